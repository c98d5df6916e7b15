"""The figures of a 政府信息公开工作年度报告 that the content repository can answer (国办公开办函〔2021〕30号).

Part 2 (主动公开): 规章 and 行政规范性文件 issued and repealed in the year and in force on 31 December,
each figure with the items it counts, so a reader (and the consistency rule) can see how it was
obtained; 行政许可 / 行政处罚 / 行政强制 decisions and fee amounts where a unit publishes them as a
dataset with a row per decision or fee item, otherwise marked as not computed with the reason. Parts 3
and 4 from the units' registers of applications. Beyond the format, what evaluators ask: items
published per disclosure category, interpretations of the year's documents and their forms, letters
by kind with their on-time rate (the audit's working-day deadlines).

The same figures serve `gongkai report annual`, the rule that compares a published report with them
(GK-RPT-001/002) and the report's page on the site, which links every computed figure to what it counts.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from pipeline.core.deadlines import answered_in_time
from pipeline.core.workdays import official_calendar
from pipeline.core.datasets import TableError, fields, published_file, read_table, records, resources
from pipeline.core.policy_validity import COUNTED_TYPES, in_force_on, issued_on
from pipeline.core.publication import publication_time, status, withdrawal_declared, withdrawal_time
from pipeline.content.repository import as_list
from pipeline.timeutil import TZ, end_of_day, parse_day, parse_when

NOT_COMPUTED = "未从内容计算"
PLACEHOLDER = "待填写"  # what `--write` leaves in a cell the content cannot fill; GK-WORD-002 stops it

# The parts of the national format the report item's `figures` holds, by key.
PART2, PART3, PART4 = "主动公开", "依申请公开", "复议诉讼"
DOCUMENT_COLUMNS = {"issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数"}
DECISIONS = {  # row -> (article of 条例 第二十条, column)
    "行政许可": ("第二十条第(五)项", "本年处理决定数量"),
    "行政处罚": ("第二十条第(六)项", "本年处理决定数量"),
    "行政强制": ("第二十条第(六)项", "本年处理决定数量"),
    "行政事业性收费": ("第二十条第(八)项", "本年收费金额(万元)"),
}
FEES = "行政事业性收费"
AMOUNT_UNITS = {"元": Decimal("0.0001"), "万元": Decimal(1)}  # to 万元
NOT_COMPUTED_REASON = "没有覆盖全年、逐项公开处理决定或收费明细的数据集(数据集资源的 annual_report),由单位按业务系统统计填写"
NEW, CARRIED_OVER, DECIDED, CARRIED_FORWARD = "本年新收", "上年结转", "办理结果总计", "结转下年度继续办理"
REVIEW, SUIT_DIRECT, SUIT_AFTER = "行政复议", "行政诉讼(未经复议直接起诉)", "行政诉讼(复议后起诉)"
TOTAL = "总计"


@dataclass
class Figure:
    value: int | float | None  # None: not computed
    items: list[str] = field(default_factory=list)  # the ids counted
    how: str = ""

    def as_dict(self) -> dict:
        return {"value": self.value, "items": self.items, "how": self.how}


@dataclass
class AnnualReport:
    year: int
    units: tuple[str, ...]  # () : the whole city
    unit_name: str
    documents: dict[str, dict[str, Figure]]  # doc type -> {issued, repealed, in_force}
    decisions: dict[str, Figure]  # row of DECISIONS -> figure (value None: not computed, how = why)
    by_category: dict[str, int]
    interpretations: list[dict]
    letters: dict[str, dict]
    applications: dict | None = None  # Part 3, from the register; None when the units keep none
    reviews: dict | None = None  # Part 4

    @property
    def unit(self) -> str | None:
        return self.units[0] if len(self.units) == 1 else None

    def as_dict(self) -> dict:
        return {"year": self.year, "units": list(self.units), "unit_name": self.unit_name,
                "part2": {"documents": {t: {k: f.as_dict() for k, f in row.items()} for t, row in self.documents.items()},
                          "decisions": {row: {**f.as_dict(), "article": DECISIONS[row][0], "column": DECISIONS[row][1]}
                                        for row, f in self.decisions.items()}},
                "part3": self.applications, "part4": self.reviews,
                "published_by_category": self.by_category, "interpretations": self.interpretations,
                "letters": self.letters}

    def cells(self) -> dict[tuple[str, str, str], Figure]:
        """Every computed figure by its cell in a report item's `figures`: (part, row, column)."""
        out = {}
        for doc_type, row in self.documents.items():
            for key, figure in row.items():
                out[(PART2, doc_type, DOCUMENT_COLUMNS[key])] = figure
        for row, figure in self.decisions.items():
            if figure.value is not None:
                out[(PART2, row, DECISIONS[row][1])] = figure
        if self.applications is not None:
            how = f"依申请公开台账({'、'.join(self.applications['registers'])})"
            for row, counts in self.applications["rows"].items():
                for column, value in counts.items():
                    who = "各类申请人合计" if column == TOTAL else f"申请人为「{column}」"
                    out[(PART3, row, column)] = Figure(value, [], f"{how}中「{row}」一栏、{who}的申请数")
            for row, counts in self.reviews.items():
                for column, value in counts.items():
                    result = "各种结果合计" if column == TOTAL else f"结果为「{column}」"
                    out[(PART4, row, column)] = Figure(value, [], f"{how}中{row}{result}的申请数")
        return out


YEARS = (2000, 2100)  # the report schema's bounds


def is_year(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and YEARS[0] <= value <= YEARS[1]


def figures_as_of(item, now):
    """The moment a report item's figures are for: its publication (a published report states what the
    site held then), or now for a report without a readable date."""
    return publication_time(item) or now


def report_items(repo) -> list:
    """The yearly reports that are (or will be) on the site, with a year the figures can be computed for,
    the earliest published first: what the rules compare and `--write` updates."""
    found = [i for i in repo.items if i.type == "report" and is_year(i.meta.get("year")) and not withdrawal_declared(i)]
    return sorted(found, key=lambda i: (publication_time(i) or datetime.max.replace(tzinfo=TZ), i.path))


def report_scope(item) -> tuple[str, ...]:
    """The units whose content a report item's figures cover: `covers`, or the report's own unit."""
    covers = [u for u in as_list(item.meta.get("covers")) if isinstance(u, str)]
    return tuple(sorted(set(covers))) if covers else (str(item.meta.get("unit")),)


def compute(repo, year: int, units: str | tuple[str, ...] | list[str] | None = None, as_of=None) -> AnnualReport:
    """The report's figures for `units` (their own items; None or empty: every unit) for calendar year `year`.

    `as_of` (default: the repository's now) is the moment the figures are for: a published report is
    compared with the content as the site held it when the report was published, so that a document
    published later does not make last year's report wrong.

    The documents are those the site has published by then (a document made on
    29 December and published on 6 January was made in the year and counts for it), and their dates
    decide: made (成文), ended (validity change, term, withdrawal from the site), in force on 31 December.
    All three figures count the same documents by the same dates, so 现行有效[N] = 现行有效[N-1] +
    制发[N] - 废止[N] holds by construction. A dataset of decisions counts for the years its `temporal`
    covers whole, and only when every unit of the scope publishes one for that row; a register likewise.
    """
    scope = (units,) if isinstance(units, str) else tuple(sorted(set(units or ())))
    as_of = as_of or repo.now
    # The same report is asked for by its rule, the former-address rule's page list and the build's plan:
    # computed once per repository (loaded content does not change).
    memo = repo.__dict__.setdefault("_annual_report_memo", {})
    key = (year, scope, as_of)
    if key not in memo:
        memo[key] = _compute(repo, year, scope, as_of)
    return memo[key]


def computed_reports(repo) -> dict[tuple, AnnualReport]:
    """The figures computed for this repository so far, by (year, scope, as_of): what a later check may
    reuse while the files `files_read` names for the scope are unchanged (pipeline.check.cached)."""
    return dict(repo.__dict__.get("_annual_report_memo", {}))


def reuse_reports(repo, reports: dict[tuple, AnnualReport]) -> None:
    """Figures computed earlier from the same files (`files_read` of each one's scope, with the same bytes,
    and the same governance files, unit records and registers): `compute` returns them as its own."""
    repo.__dict__.setdefault("_annual_report_memo", {}).update(reports)


def files_read(repo, scope: tuple[str, ...]) -> set[str]:
    """The repository files whose bytes the figures of `scope` (a report's units, not empty) are computed
    from, besides the governance files, unit records and registers, which every cached finding depends on
    as a whole: the units' own items, the letters they answer, the interpretations naming their policies
    and their datasets' data files. A change anywhere else leaves the figures as they were."""
    index = _index(repo)
    out = {i.path for i in index.of(index.by_unit, scope)}
    out.update(i.path for i in index.of(index.letters, scope))
    for policy in index.of(index.by_unit_type["policy"], scope):
        out.update(i.path for i in index.interpretations.get(policy.id, ()))
    for dataset in index.of(index.by_unit_type["dataset"], scope):
        out.update("content/" + path for path in (published_file(dataset, r) for r in resources(dataset)) if path)
    return out


def _compute(repo, year: int, scope: tuple[str, ...], as_of) -> AnnualReport:
    start, end = date(year, 1, 1), date(year, 12, 31)
    index = _index(repo)
    # A document taken off the site in the year it was made (to correct it, say) was never in force there.
    policies = [p for p in index.of(index.by_unit_type["policy"], scope) if status(p, as_of).has_page
                and not ((w := withdrawal_time(p)) is not None and (d := issued_on(p)) is not None and w.year <= d.year)]
    documents = {}
    for doc_type in COUNTED_TYPES:
        of_type = [p for p in policies if p.meta.get("doc_type") == doc_type]
        issued = sorted(p.id for p in of_type if (d := issued_on(p)) is not None and start <= d <= end)
        in_force = sorted(p.id for p in of_type if in_force_on(p, end))
        # Ended in the year: in force at the start of it (or made in it) and no longer on 31 December.
        repealed = sorted(p.id for p in of_type if p.id not in in_force
                          and (in_force_on(p, date(year - 1, 12, 31)) or p.id in issued))
        documents[doc_type] = {
            "issued": Figure(len(issued), issued, f"成文日期在 {year} 年内的{doc_type}"),
            "repealed": Figure(len(repealed), repealed,
                               f"{year} 年内废止、失效、被修订或撤回的{doc_type}(有效性变更日期、有效期届满或撤回日期)"),
            "in_force": Figure(len(in_force), in_force, f"{year} 年 12 月 31 日现行有效的{doc_type}"),
        }
    published = [i for i in index.of(index.published_in.get(year, {}), scope) if _published_in(i, year)]
    by_category = dict(sorted(Counter(str(i.meta.get("disclosure_category")) for i in published
                                      if i.meta.get("disclosure_category")).items()))
    applications, reviews = _register(repo, year, scope)
    decisions = _decisions(repo, index.of(index.by_unit_type["dataset"], scope), year, scope, as_of)
    return AnnualReport(year, scope, _unit_name(repo, scope), documents, decisions, by_category,
                        _interpretations(index, policies, year), _letters(repo, index, year, scope), applications,
                        reviews)


ALL = "\0all"  # the group of every item: a report without a scope counts the whole repository


@dataclass
class _Index:
    place: dict[int, int]  # id(item) -> its place in path order (items are dataclasses: unhashable)
    by_unit_type: dict[str, dict]  # "policy" / "dataset" -> unit -> its items of the type, in path order
    published_in: dict[int, dict]  # year -> unit -> its items (not letters) first published in that year
    interpretations: dict[str, list]  # policy id -> the interpretations naming it
    letters: dict[str, list]  # answering unit (reply_unit, else unit) -> its letters
    by_unit: dict[str, list]  # unit -> all its items (what the figures of its reports may read)

    def of(self, groups: dict, scope: tuple[str, ...]) -> list:
        """The items of the scope's groups (every item without a scope), in path order (as a scan of the
        repository would give them)."""
        if not scope:
            return list(groups.get(ALL, ()))
        if len(scope) == 1:
            return list(groups.get(scope[0], ()))
        return sorted((i for u in scope for i in groups.get(u, ())), key=lambda i: self.place[id(i)])


def _index(repo) -> _Index:
    """The repository's policies and datasets by unit, items by unit and year of publication,
    interpretations by policy and letters by answering unit, made once per repository: each report then
    reads only what it counts (every report scanning every item made the check and the plan grow with
    reports × items: 94 s and 38 s at 50,000 items; scanning its units' items still grew so, the
    reports of a unit being as many as its years)."""
    found = repo.__dict__.get("_annual_report_index")
    if found is None:
        found = _Index({}, {"policy": {}, "dataset": {}}, {}, {}, {}, {})
        for place, item in enumerate(repo.items):
            found.place[id(item)] = place
            unit = item.meta.get("unit")
            groups = (unit if isinstance(unit, str) else None, ALL)
            found.by_unit.setdefault(groups[0], []).append(item)
            if item.type in found.by_unit_type:
                for group in groups:
                    found.by_unit_type[item.type].setdefault(group, []).append(item)
            if item.type != "letter" and (when := publication_time(item)) is not None:
                for group in groups:
                    found.published_in.setdefault(when.year, {}).setdefault(group, []).append(item)
            if item.type == "interpretation":
                for target in item.meta.get("interprets") or []:
                    if isinstance(target, str):
                        found.interpretations.setdefault(target, []).append(item)
            elif item.type == "letter":
                found.letters.setdefault(str(item.meta.get("reply_unit") or item.meta.get("unit")), []).append(item)
        repo.__dict__["_annual_report_index"] = found
    return found


# --- decisions and fees, from datasets -------------------------------------------------------------------

def report_use(resource: dict) -> dict | None:
    """A dataset resource's `annual_report`: which row of Part 2 its rows give, by which fields."""
    use = resource.get("annual_report")
    return use if isinstance(use, dict) and use.get("row") in DECISIONS else None


def report_use_problem(resource: dict) -> str | None:
    """Why a resource's `annual_report` cannot be computed from its fields, or None."""
    use = report_use(resource)
    if use is None:
        return None
    types = {f.get("name"): f for f in fields(resource)}
    when = types.get(use.get("date"))
    if when is None or when.get("type") not in ("date", "year", "yearmonth", "integer"):
        return f"年度报告统计的日期字段「{use.get('date')}」不在表结构中,或不是日期、年份类型。"
    if use["row"] == FEES:
        amount = types.get(use.get("amount"))
        if amount is None or amount.get("type") not in ("integer", "number"):
            return f"行政事业性收费的金额字段「{use.get('amount')}」不在表结构中,或不是数值类型。"
        if amount.get("unit") not in AMOUNT_UNITS:
            return f"行政事业性收费的金额字段「{use.get('amount')}」应写明计量单位 unit: 元 或 万元。"
    return None


def _year_of(value) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and len(value) >= 4 and value[:4].isdigit():
        return int(value[:4])
    return None


def _covers_year(item, year: int) -> bool:
    """The dataset's `temporal` holds the whole year: its rows can give that year's total."""
    temporal = item.meta.get("temporal") if isinstance(item.meta.get("temporal"), dict) else {}
    first, last = str(temporal.get("start") or ""), str(temporal.get("end") or "")
    if not (first[:4].isdigit() and last[:4].isdigit()):
        return False
    starts = first if len(first) > 4 else f"{first}-01-01"
    ends = last if len(last) > 4 else f"{last}-12-31"
    ends = ends if len(ends) > 7 else f"{ends}-31"
    return starts[:10] <= f"{year}-01-01" and ends[:10] >= f"{year}-12-31"


def _decisions(repo, datasets, year: int, scope: tuple[str, ...], as_of) -> dict[str, Figure]:
    counted: dict[str, list] = {row: [] for row in DECISIONS}  # row -> [(dataset id, unit, value)]
    for item in datasets:
        if not status(item, as_of).live:
            continue
        if not _covers_year(item, year):
            continue
        for resource in resources(item):
            use, path = report_use(resource), published_file(item, resource)  # a conditional dataset's: none
            if use is None or path is None or report_use_problem(resource):
                continue
            try:
                rows = records(read_table(repo.root / "content" / path), resource)
            except (OSError, TableError, ValueError):
                continue  # GK-DATA-* reports the file; its figure is left to the unit
            in_year = [r for r in rows if _year_of(r.get(use["date"])) == year]
            if use["row"] == FEES:
                unit = AMOUNT_UNITS[next(f["unit"] for f in fields(resource) if f.get("name") == use["amount"])]
                value = sum((Decimal(str(r.get(use["amount"]) or 0)) * unit for r in in_year), Decimal(0))
            else:
                value = Decimal(len(in_year))
            counted[use["row"]].append((item.id, item.meta.get("unit"), value))
    out = {}
    for row, found in counted.items():
        missing = [u for u in scope if u not in {unit for _, unit, _ in found}]
        if not found or missing or not scope:
            why = NOT_COMPUTED_REASON if not found else (
                f"{_unit_name(repo, tuple(missing))}没有覆盖全年、逐项公开{row}的数据集,合计无法从内容计算" if missing
                else "全市合计不从数据集计算")
            out[row] = Figure(None, [], why)
            continue
        total = sum((v for _, _, v in found), Decimal(0))
        ids = sorted({i for i, _, _ in found})
        if row == FEES:
            how = f"{year} 年各收费项目金额之和(万元)"
            value: int | float = float(total.normalize())
        else:
            how = f"决定日期在 {year} 年内的{row}决定条数(每行一件)"
            value = int(total)
        out[row] = Figure(value, ids, f"数据集{'、'.join(ids)}中{how}")
    return out


def same_value(published, computed) -> bool:
    """A published figure agrees with the computed one to the precision it was written in."""
    if isinstance(published, bool) or not isinstance(published, (int, float)):
        return False
    written = Decimal(str(published))
    places = -written.as_tuple().exponent if written.as_tuple().exponent < 0 else 0
    return Decimal(str(computed)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP) == written


# --- Parts 3 and 4, from the registers ---------------------------------------------------------------------

def register_schema(repo) -> tuple[list, list, list]:
    schema = repo.schemas.schemas["applications"]
    return schema["x-applicants"], schema["x-outcomes"], schema["x-results"]


def _register(repo, year: int, scope: tuple[str, ...]):
    """Parts 3 and 4 from the units' registers of applications (content/applications/<unit>/<year>.yaml)."""
    applicants, outcomes, results = register_schema(repo)

    registers = [r for r in repo.registers if r.meta.get("year") == year and (not scope or r.meta.get("unit") in scope)]
    if not registers or (scope and {r.meta.get("unit") for r in registers} != set(scope)):
        return None, None  # every unit of the scope keeps one, or the totals cannot be computed
    end, last_end = date(year, 12, 31), date(year - 1, 12, 31)
    rows = {name: dict.fromkeys(applicants, 0) for name in (NEW, CARRIED_OVER, *outcomes, CARRIED_FORWARD)}
    reviews = {name: dict.fromkeys(results, 0) for name in (REVIEW, SUIT_DIRECT, SUIT_AFTER)}

    def done_by(application, day):
        answered = parse_day(application.get("answered"))
        return application.get("outcome") in outcomes and answered is not None and answered <= day

    files = sorted((r for r in repo.registers if is_year(r.meta.get("year")) and r.meta["year"] <= year
                    and (not scope or r.meta.get("unit") in scope)), key=lambda r: (r.meta["year"], r.path))
    latest: dict[tuple, dict] = {}  # (unit, number) -> the application as its latest file records it
    for register in files:
        for application in _applications(register, applicants):
            latest[(register.meta.get("unit"), str(application.get("number")))] = application
    handled = []  # (application, new this year?): received in the year, or before it and open at its start
    for application in latest.values():
        received = parse_day(application.get("received"))
        if received is None or received > end:
            continue
        if received.year == year:
            handled.append((application, True))
        elif not done_by(application, last_end):
            handled.append((application, False))
    for application, new in handled:
        kind = application["applicant"]
        rows[NEW if new else CARRIED_OVER][kind] += 1
        decided = done_by(application, end)
        rows[application["outcome"] if decided else CARRIED_FORWARD][kind] += 1
        if not decided:
            continue  # a review or a lawsuit is counted in the year of the answer it disputes
        if application.get("review") in results:
            reviews[REVIEW][application["review"]] += 1
        litigation = application.get("litigation")
        if isinstance(litigation, dict) and litigation.get("result") in results:
            reviews[SUIT_AFTER if litigation.get("after_review") else SUIT_DIRECT][litigation["result"]] += 1
    totalled = {name: {**counts, TOTAL: sum(counts.values())} for name, counts in rows.items()}
    table = {name: totalled[name] for name in (NEW, CARRIED_OVER, *outcomes)}
    table[DECIDED] = {k: sum(table[o][k] for o in outcomes) for k in [*applicants, TOTAL]}
    table[CARRIED_FORWARD] = totalled[CARRIED_FORWARD]
    for row in reviews.values():
        row[TOTAL] = sum(row.values())
    return {"columns": [*applicants, TOTAL], "rows": table, "registers": sorted(r.path for r in files)}, reviews


def _applications(register, applicants) -> list[dict]:
    return [a for a in register.meta.get("applications") or [] if isinstance(a, dict) and a.get("applicant") in applicants]


# --- what evaluators ask besides ----------------------------------------------------------------------------

def _published_in(item, year: int) -> bool:
    when = publication_time(item)
    return when is not None and when.year == year and status(item, end_of_day(date(year, 12, 31))).live


def _interpretations(index: _Index, policies, year: int) -> list[dict]:
    by_policy = index.interpretations
    out = []
    for policy in sorted(policies, key=lambda p: p.id):
        issued = issued_on(policy)
        if issued is None or issued.year != year or policy.meta.get("doc_type") not in COUNTED_TYPES:
            continue
        forms = [str(i.meta.get("form") or "") for i in by_policy.get(policy.id, [])]
        out.append({"policy": policy.id, "title": policy.title, "interpretations": len(forms), "forms": sorted(set(forms))})
    return out


def _letters(repo, index: _Index, year: int, scope: tuple[str, ...]) -> dict[str, dict]:
    settings = repo.settings["audit"]
    calendar = official_calendar()
    out: dict[str, dict] = {}
    letters = index.of(index.letters, scope) if scope else [i for i in repo.items if i.type == "letter"]
    for letter in letters:
        if letter.meta.get("kind") not in settings["letter_reply_workdays"]:
            continue
        received = parse_when(letter.meta.get("received"))
        if received is None or received.year != year:
            continue
        row = out.setdefault(str(letter.meta["kind"]), {"received": 0, "answered": 0, "on_time": 0})
        row["received"] += 1
        in_time = answered_in_time(letter, settings, calendar)
        if in_time is None:
            continue
        row["answered"] += 1
        row["on_time"] += in_time
    for row in out.values():
        row["on_time_rate"] = round(100 * row["on_time"] / row["answered"], 1) if row["answered"] else None
    return dict(sorted(out.items()))


def _unit_name(repo, scope: tuple[str, ...]) -> str:
    if not scope:
        return "全市各单位(合计)"
    return "、".join(repo.unit_name(unit) for unit in scope)
