"""The figures of a 政府信息公开工作年度报告 that the content repository can answer (国办公开办函〔2021〕30号).

Part 2 (主动公开): 规章 and 行政规范性文件 issued and repealed in the year and in force on 31 December,
each figure with the items it counts, so a reader (and the consistency rule) can see how it was
obtained. Figures the content cannot give (decisions and fee amounts a unit does not publish item by
item) are marked as not computed, with the reason. Beyond the format, what evaluators ask: items
published per disclosure category, interpretations of the year's documents and their forms, letters
by kind with their on-time rate (the audit's working-day deadlines).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from .audit.checks import reply_due
from .audit.workdays import official_calendar
from .policy_validity import COUNTED_TYPES, in_force_on, issued_on
from .publication import publication_time, status
from .timeutil import end_of_day, parse_day, parse_when

NOT_COMPUTED = "未从内容计算"
DECISION_ROWS = (("第二十条第(五)项", "行政许可", "本年处理决定数量"), ("第二十条第(六)项", "行政处罚", "本年处理决定数量"),
                 ("第二十条第(六)项", "行政强制", "本年处理决定数量"), ("第二十条第(八)项", "行政事业性收费", "本年收费金额(单位:万元)"))
NOT_COMPUTED_REASON = "本单位没有以数据集逐项公开处理决定或收费明细,由单位按业务系统统计填写"


@dataclass
class Figure:
    value: int | None  # None: not computed
    items: list[str] = field(default_factory=list)  # the ids counted
    how: str = ""

    def as_dict(self) -> dict:
        return {"value": self.value, "items": self.items, "how": self.how}


@dataclass
class AnnualReport:
    year: int
    unit: str | None  # None: the whole city
    unit_name: str
    documents: dict[str, dict[str, Figure]]  # doc type -> {issued, repealed, in_force}
    decisions: list[tuple[str, str, str, str]]  # (article, row, column, reason): not computed
    by_category: dict[str, int]
    interpretations: list[dict]
    letters: dict[str, dict]
    applications: dict | None = None  # Part 3, from the register; None when the unit keeps none
    reviews: dict | None = None  # Part 4

    def as_dict(self) -> dict:
        return {"year": self.year, "unit": self.unit, "unit_name": self.unit_name,
                "part2": {"documents": {t: {k: f.as_dict() for k, f in row.items()} for t, row in self.documents.items()},
                          "not_computed": [{"article": a, "row": r, "column": c, "reason": why}
                                           for a, r, c, why in self.decisions]},
                "part3": self.applications, "part4": self.reviews,
                "published_by_category": self.by_category, "interpretations": self.interpretations,
                "letters": self.letters}


def compute(repo, year: int, unit: str | None = None) -> AnnualReport:
    """The report's figures for `unit` (its own items; None: every unit) for calendar year `year`."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    mine = [i for i in repo.items if unit is None or i.meta.get("unit") == unit]
    policies = [p for p in mine if p.type == "policy" and status(p, end_of_day(end)).has_page]
    documents = {}
    for doc_type in COUNTED_TYPES:
        of_type = [p for p in policies if p.meta.get("doc_type") == doc_type]
        issued = sorted(p.id for p in of_type if (d := issued_on(p)) is not None and start <= d <= end)
        in_force = sorted(p.id for p in of_type if in_force_on(p, end))
        # Ended in the year: in force at the start of it (or issued in it) and no longer on 31 December,
        # so that 现行有效[N] = 现行有效[N-1] + 制发[N] - 废止[N] holds by construction.
        repealed = sorted(p.id for p in of_type if p.id not in in_force
                          and (in_force_on(p, date(year - 1, 12, 31)) or p.id in issued))
        documents[doc_type] = {
            "issued": Figure(len(issued), issued, f"成文日期在 {year} 年内的{doc_type}"),
            "repealed": Figure(len(repealed), repealed, f"{year} 年内废止、失效或被修订的{doc_type}(有效性变更日期或有效期届满)"),
            "in_force": Figure(len(in_force), in_force, f"{year} 年 12 月 31 日现行有效的{doc_type}"),
        }
    decisions = [(a, r, c, NOT_COMPUTED_REASON) for a, r, c in DECISION_ROWS]
    published = [i for i in mine if i.type != "letter" and _published_in(i, year)]
    by_category = dict(sorted(Counter(str(i.meta.get("disclosure_category")) for i in published
                                      if i.meta.get("disclosure_category")).items()))
    applications, reviews = _register(repo, year, unit)
    return AnnualReport(year, unit, _unit_name(repo, unit), documents, decisions, by_category,
                        _interpretations(repo, policies, year), _letters(repo, year, unit), applications, reviews)


CARRIED_FORWARD = "结转下年度继续办理"


def _register(repo, year: int, unit: str | None):
    """Parts 3 and 4 from the units' registers of applications (content/applications/<unit>/<year>.yaml)."""
    schema = repo.schemas.schemas["applications"]
    applicants, outcomes, results = schema["x-applicants"], schema["x-outcomes"], schema["x-results"]
    def of_year(y):
        return [r for r in repo.registers if r.meta.get("year") == y and (unit is None or r.meta.get("unit") == unit)]

    registers = of_year(year)
    if not registers:
        return None, None
    end, last_end = date(year, 12, 31), date(year - 1, 12, 31)
    rows = {name: dict.fromkeys(applicants, 0) for name in ("本年新收", "上年结转", *outcomes, CARRIED_FORWARD)}
    reviews = {"行政复议": dict.fromkeys(results, 0), "行政诉讼(未经复议直接起诉)": dict.fromkeys(results, 0),
               "行政诉讼(复议后起诉)": dict.fromkeys(results, 0)}

    def done_by(application, day):
        answered = parse_day(application.get("answered"))
        return application.get("outcome") in outcomes and answered is not None and answered <= day

    handled = []  # (application, new this year?)
    for register in of_year(year - 1):
        handled += [(a, False) for a in _applications(register, applicants) if not done_by(a, last_end)]
    for register in registers:
        for application in _applications(register, applicants):
            received = parse_day(application.get("received"))
            handled.append((application, received is not None and received.year == year))
    for application, new in handled:
        kind = application["applicant"]
        rows["本年新收" if new else "上年结转"][kind] += 1
        rows[application["outcome"] if done_by(application, end) else CARRIED_FORWARD][kind] += 1
        if application.get("review") in results:
            reviews["行政复议"][application["review"]] += 1
        litigation = application.get("litigation")
        if isinstance(litigation, dict) and litigation.get("result") in results:
            key = "行政诉讼(复议后起诉)" if litigation.get("after_review") else "行政诉讼(未经复议直接起诉)"
            reviews[key][litigation["result"]] += 1
    table = {name: {**counts, "总计": sum(counts.values())} for name, counts in rows.items()}
    table["办理结果总计"] = {k: sum(table[o][k] for o in outcomes) for k in [*applicants, "总计"]}
    for row in reviews.values():
        row["总计"] = sum(row.values())
    return {"columns": [*applicants, "总计"], "rows": table, "registers": sorted(r.path for r in registers)}, reviews


def _applications(register, applicants) -> list[dict]:
    return [a for a in register.meta.get("applications") or [] if isinstance(a, dict) and a.get("applicant") in applicants]


def _published_in(item, year: int) -> bool:
    when = publication_time(item)
    return when is not None and when.year == year and status(item, end_of_day(date(year, 12, 31))).has_page


def _interpretations(repo, policies, year: int) -> list[dict]:
    by_policy: dict[str, list] = {}
    for item in repo.items:
        if item.type == "interpretation":
            for target in item.meta.get("interprets") or []:
                if isinstance(target, str):
                    by_policy.setdefault(target, []).append(item)
    out = []
    for policy in sorted(policies, key=lambda p: p.id):
        issued = issued_on(policy)
        if issued is None or issued.year != year or policy.meta.get("doc_type") not in COUNTED_TYPES:
            continue
        forms = [str(i.meta.get("form") or "") for i in by_policy.get(policy.id, [])]
        out.append({"policy": policy.id, "title": policy.title, "interpretations": len(forms), "forms": sorted(set(forms))})
    return out


def _letters(repo, year: int, unit: str | None) -> dict[str, dict]:
    settings = repo.settings["audit"]
    calendar = official_calendar()
    out: dict[str, dict] = {}
    for letter in repo.items:
        if letter.type != "letter" or letter.meta.get("kind") not in settings["letter_reply_workdays"]:
            continue
        if unit is not None and str(letter.meta.get("reply_unit") or letter.meta.get("unit")) != unit:
            continue
        received = parse_when(letter.meta.get("received"))
        if received is None or received.year != year:
            continue
        row = out.setdefault(str(letter.meta["kind"]), {"received": 0, "answered": 0, "on_time": 0})
        row["received"] += 1
        replied = parse_when(letter.meta.get("replied"))
        if replied is None:
            continue
        row["answered"] += 1
        due, _, _ = reply_due(letter, settings, calendar)
        row["on_time"] += replied.date() <= due
    for row in out.values():
        row["on_time_rate"] = round(100 * row["on_time"] / row["answered"], 1) if row["answered"] else None
    return dict(sorted(out.items()))


def _unit_name(repo, unit: str | None) -> str:
    if unit is None:
        return "全市各单位(合计)"
    record = repo.units.get(unit)
    return str(record.meta.get("name") or unit) if record is not None else unit


def render_markdown(report: AnnualReport, labels: dict[str, str] | None = None) -> str:
    labels = labels or {}
    lines = [f"# {report.unit_name}{report.year}年政府信息公开工作年度报告:从内容计算的数据", "",
             "## 二、主动公开政府信息情况", "",
             "| 第二十条第(一)项 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "|---|---:|---:|---:|"]
    for doc_type, row in report.documents.items():
        lines.append(f"| {doc_type} | {row['issued'].value} | {row['repealed'].value} | {row['in_force'].value} |")
    lines += ["", "计算方法:"]
    for doc_type, row in report.documents.items():
        for figure in row.values():
            items = "、".join(figure.items) or "无"
            lines.append(f"- {figure.how}:{figure.value} 件({items})")
    lines += ["", "| 信息内容 | 栏目 | 说明 |", "|---|---|---|"]
    lines += [f"| {row}({article}) | {column} | {NOT_COMPUTED}:{why} |" for article, row, column, why in report.decisions]
    if report.applications:
        columns = report.applications["columns"]
        lines += ["", "## 三、收到和处理政府信息公开申请情况", "",
                  "| 申请情况及办理结果 | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns)]
        for name, counts in report.applications["rows"].items():
            lines.append(f"| {name} | " + " | ".join(str(counts[c]) for c in columns) + " |")
        lines += ["", f"依据:{'、'.join(report.applications['registers'])}(依申请公开台账,不公开)。"]
        lines += ["", "## 四、政府信息公开行政复议、行政诉讼情况", "", "| 类别 | 结果纠正 | 结果维持 | 其他结果 | 尚未审结 | 总计 |",
                  "|---|---:|---:|---:|---:|---:|"]
        lines += [f"| {name} | {r['纠正']} | {r['维持']} | {r['其他结果']} | {r['尚未审结']} | {r['总计']} |"
                  for name, r in report.reviews.items()]
    else:
        lines += ["", f"三、四部分:{NOT_COMPUTED}(本单位没有依申请公开台账 content/applications/<单位>/{report.year}.yaml)。"]
    lines += ["", "## 附:评估常用数据", "", "| 公开类别 | 本年发布条数 |", "|---|---:|"]
    lines += [f"| {labels.get(c, c)} | {n} |" for c, n in report.by_category.items()] or ["| (无) | 0 |"]
    lines += ["", "| 本年制发的文件 | 解读数 | 解读形式 |", "|---|---:|---|"]
    lines += [f"| {i['title']}({i['policy']}) | {i['interpretations']} | {'、'.join(i['forms']) or '—'} |"
              for i in report.interpretations] or ["| (无) | 0 | — |"]
    lines += ["", "| 信件类型 | 收到 | 已答复 | 按期答复 | 按期答复率 |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {kind} | {r['received']} | {r['answered']} | {r['on_time']} | "
              f"{'—' if r['on_time_rate'] is None else str(r['on_time_rate']) + '%'} |" for kind, r in report.letters.items()] \
        or ["| (无) | 0 | 0 | 0 | — |"]
    return "\n".join(lines) + "\n"
