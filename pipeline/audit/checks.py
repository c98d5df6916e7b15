"""The audit's own checks: deadlines and freshness, as of a moment (`--as-of`).

Each check is a small class like a rule: `codes` with one line each, a docstring with a failing and a
passing case, and `run(context)` yielding `Finding`s. They read items through the one loader and the
publication model (`publication.status`, the catalogue), never their own copy of "is it published".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import ClassVar, Iterator

from dateutil.relativedelta import relativedelta

from pipeline.core.site_items import Catalogue
from pipeline.core.open_data import is_overdue, modified, next_update_due
from pipeline.core.publication import publication_time, status, survey_result, survey_result_time
from pipeline.timeutil import parse_when
from pipeline.audit.findings import INSPECTION, MEASURES, ORDINANCE, Finding, Level
from pipeline.core.deadlines import answered_in_time, reply_due
from pipeline.core.workdays import WorkCalendar


@dataclass
class Context:
    repo: object  # pipeline.content.repository.Repository, loaded with now = as_of
    as_of: datetime
    calendar: WorkCalendar

    @property
    def settings(self) -> dict:
        return self.repo.settings["audit"]

    @cached_property
    def catalogue(self) -> Catalogue:
        return Catalogue(self.repo, self.as_of)

    def unit_name(self, unit_id: str) -> str:
        return self.repo.unit_name(unit_id)


class Check:
    codes: ClassVar[dict[str, str]] = {}

    def run(self, ctx: Context) -> Iterator[Finding]:
        raise NotImplementedError


def _finding(level, code, item, source, message, *, unit=None, pointer=(), due="") -> Finding:
    line = item.line_of(*pointer) if pointer else 1
    return Finding(level, code, unit if unit is not None else str(item.meta.get("unit") or ""), item.id, source,
                   message, item.path, line, due)


class Letters(Check):
    """GK-LETTER-001..004: letters answered within the working days of Art. 20.

    咨询 2 working days (no extension), 求助 and 建议 5, 投诉 and 举报 10; `extended: true` allows one
    extension of the same length. The day of receipt does not count (Civil Code Art. 201); holidays
    and adjusted working weekends follow the State Council's notice. The unit that must act is the
    replying unit (`reply_unit`), else the letter's unit. A valid 咨询 unanswered for more than three
    months is a single-veto item of the national inspection.

    FAIL: a 咨询 received Wednesday 2026-09-30 (the National Day holiday is 10-01..10-07): its two
          working days are 10-08 and 10-09, so answered on Saturday 10-10 it is one working day late
          (10-10 is an adjusted working day).
    PASS: the same letter answered on 2026-10-09.
    """

    codes = {
        "GK-LETTER-001": "信件答复超过第二十条的期限",
        "GK-LETTER-002": "信件已过答复期限仍未答复",
        "GK-LETTER-003": "咨询类信件不得延期",
        "GK-LETTER-004": "有效咨询超过 3 个月未答复(单项否决)",
    }
    SOURCE = f"{MEASURES}第二十条"

    def run(self, ctx):
        days_by_kind = ctx.settings["letter_reply_workdays"]
        for letter in ctx.repo.of_type("letter"):
            meta = letter.meta
            received = parse_when(meta.get("received"))
            kind = meta.get("kind")
            if received is None or received > ctx.as_of or kind not in days_by_kind:
                continue
            unit = str(meta.get("reply_unit") or meta.get("unit") or "")
            due, days, extended = reply_due(letter, ctx.settings, ctx.calendar)
            if meta.get("extended") is True and not extended:
                yield _finding(Level.ISSUE, "GK-LETTER-003", letter, self.SOURCE,
                               f"{kind}类信件不得申请延期:按 {days} 个工作日计算答复期限。", unit=unit,
                               pointer=("extended",))
            replied = parse_when(meta.get("replied"))
            if replied is not None and replied > ctx.as_of:
                replied = None  # answered later than the moment audited: as of then, not yet
            label = f"{kind}类信件(收到 {received:%Y-%m-%d %H:%M},{days} 个工作日{'(已延期)' if extended else ''})"
            if replied is not None:
                if not answered_in_time(letter, ctx.settings, ctx.calendar):
                    late = ctx.calendar.between(due, replied)
                    yield _finding(Level.ISSUE, "GK-LETTER-001", letter, self.SOURCE,
                                   f"{label}最迟应在 {due:%Y-%m-%d} 答复,{replied:%Y-%m-%d} 才答复,超期 {late} 个工作日。",
                                   unit=unit, pointer=("replied",), due=f"{due:%Y-%m-%d}")
                continue
            if ctx.as_of.date() <= due:
                continue
            months = ctx.settings["consultation_veto_months"]
            if kind == "咨询" and ctx.as_of > received + relativedelta(months=months):
                yield _finding(Level.VETO, "GK-LETTER-004", letter, f"{INSPECTION}(互动回应)",
                               f"{label}超过 {months} 个月仍未答复:属于网站检查的单项否决项,请立即答复。",
                               unit=unit, pointer=("received",), due=f"{due:%Y-%m-%d}")
            else:
                overdue = ctx.calendar.between(due, ctx.as_of)
                yield _finding(Level.ISSUE, "GK-LETTER-002", letter, self.SOURCE,
                               f"{label}最迟应在 {due:%Y-%m-%d} 答复,至今未答复,已超期 {overdue} 个工作日。",
                               unit=unit, pointer=("received",), due=f"{due:%Y-%m-%d}")


class Surveys(Check):
    """GK-SURVEY-001: results of a survey published within one month of its end (Art. 22).

    FAIL: a survey ended 2026-09-30 with no `result` on 2026-11-01, or a result dated 2026-11-05.
    PASS: `result: {date: 2026-10-20, summary: …}`.
    """

    codes = {"GK-SURVEY-001": "调查征集结束 1 个月后仍未公布结果"}

    def run(self, ctx):
        months = ctx.settings["survey_result_months"]
        for survey in ctx.repo.of_type("survey"):
            end = parse_when(survey.meta.get("end"))
            if end is None or not status(survey, ctx.as_of).live:
                continue
            due = end + relativedelta(months=months)
            if survey_result(survey, ctx.as_of) is not None:  # what the survey page shows at this moment
                shown = survey_result_time(survey)
                if shown > due:
                    yield _finding(Level.ISSUE, "GK-SURVEY-001", survey, f"{MEASURES}第二十二条",
                                   f"调查于 {end:%Y-%m-%d} 结束,结果 {shown:%Y-%m-%d} 才公布,超过了 {months} 个月的期限。",
                                   pointer=("result", "date"), due=f"{due:%Y-%m-%d}")
            elif ctx.as_of > due:
                yield _finding(Level.ISSUE, "GK-SURVEY-001", survey, f"{MEASURES}第二十二条",
                               f"调查于 {end:%Y-%m-%d} 结束,最迟应在 {due:%Y-%m-%d} 公布调查结果,至今未公布。",
                               pointer=("end",), due=f"{due:%Y-%m-%d}")


class Responses(Check):
    """GK-RESP-001..003: responses in the time Art. 14 sets.

    特别重大 events: first release within 1 hour of the event; events with casualties or wide impact
    (`casualties: true`): a press conference within 24 hours; other public-opinion responses
    (回应关切, 辟谣): published within 48 hours of the event.

    FAIL: `severity: 特别重大`, event 04:50, first release 06:30.
    PASS: first release 05:40.
    """

    codes = {
        "GK-RESP-001": "特别重大突发事件首次发布超过 1 小时",
        "GK-RESP-002": "造成重大人员伤亡的事件超过 24 小时未召开新闻发布会",
        "GK-RESP-003": "舆情回应超过 48 小时",
    }
    SOURCE = f"{MEASURES}第十四条"

    def run(self, ctx):
        first_hours = ctx.settings["first_release_hours"]
        for item in ctx.repo.of_type("response"):
            meta = item.meta
            event = parse_when(meta.get("event_time"))
            if event is None or not status(item, ctx.as_of).live:
                continue
            kind, severity = meta.get("kind"), meta.get("severity")
            if kind == "突发事件信息" and severity in first_hours:
                first = parse_when(meta.get("first_release"))
                limit = timedelta(hours=first_hours[severity])
                if first is not None and first - event > limit:
                    yield _finding(Level.ISSUE, "GK-RESP-001", item, self.SOURCE,
                                   f"{severity}突发事件于 {event:%m-%d %H:%M} 发生,{first:%m-%d %H:%M} 才首次发布"
                                   f"({_hours(first - event)}),应在 {first_hours[severity]} 小时内。",
                                   pointer=("first_release",))
            if meta.get("casualties") is True:
                limit = timedelta(hours=ctx.settings["press_conference_hours"])
                held = parse_when(meta.get("press_conference"))
                if (held is None and ctx.as_of - event > limit) or (held is not None and held - event > limit):
                    when = f"{held:%m-%d %H:%M} 才召开新闻发布会({_hours(held - event)})" if held else "至今未记录新闻发布会"
                    yield _finding(Level.ISSUE, "GK-RESP-002", item, self.SOURCE,
                                   f"事件于 {event:%m-%d %H:%M} 发生,造成重大人员伤亡或社会影响较大,{when};"
                                   f"最迟应在 {ctx.settings['press_conference_hours']} 小时内召开。",
                                   pointer=("press_conference",) if held else ("casualties",))
            if kind in ("回应关切", "辟谣"):
                published = publication_time(item)
                limit = timedelta(hours=ctx.settings["response_hours"])
                if published is not None and published - event > limit:
                    yield _finding(Level.ISSUE, "GK-RESP-003", item, self.SOURCE,
                                   f"舆情于 {event:%m-%d %H:%M} 出现,{published:%m-%d %H:%M} 才回应({_hours(published - event)}),"
                                   f"应在 {ctx.settings['response_hours']} 小时内。", pointer=("date",))


class DisclosureTimeliness(Check):
    """GK-TIME-001: a document published more than 20 working days after it was made (条例 Art. 26).

    FAIL: a policy `written: 2026-03-02` published 2026-04-20.
    PASS: the same policy published 2026-03-20.
    """

    codes = {"GK-TIME-001": "信息形成后超过 20 个工作日才公开"}

    def run(self, ctx):
        limit = ctx.settings["disclosure_workdays"]
        for item in ctx.repo.of_type("policy"):
            made, published = parse_when(item.meta.get("written")), publication_time(item)
            if made is None or published is None or not status(item, ctx.as_of).live:
                continue
            took = ctx.calendar.between(made, published)
            if took > limit:
                yield _finding(Level.ISSUE, "GK-TIME-001", item, f"{ORDINANCE}第二十六条",
                               f"成文日期 {made:%Y-%m-%d},{published:%Y-%m-%d} 才公开,用了 {took} 个工作日"
                               f"(应在形成之日起 {limit} 个工作日内)。", pointer=("date",))


class Freshness(Check):
    """GK-FRESH-001..013: columns updated as the column responsibility table says (Arts. 8, 31).

    Per column: newest item older than the column's `cadence_days` (001) or no item at all (002).
    For the site: the home page's newest item, stale columns (动态/要闻 older than 2 weeks, 通知公告 and
    政策文件 older than 6 months), columns past their cadence, and empty columns, each against the
    national inspection's single-veto level and an early-warning level below it (settings `audit:`).

    FAIL: 部门动态's newest item is 20 days old with `cadence_days: 14`.
    PASS: an item published in it last week.
    """

    codes = {
        "GK-FRESH-001": "栏目超过更新周期未更新",
        "GK-FRESH-002": "空白栏目",
        "GK-FRESH-010": "首页栏目长时间未更新",
        "GK-FRESH-011": "长期未更新的栏目过多",
        "GK-FRESH-012": "应更新而未更新的栏目过多",
        "GK-FRESH-013": "空白栏目过多",
    }

    def run(self, ctx):
        from pipeline.pages.listings import HOME_BLOCKS

        settings, catalogue = ctx.settings, ctx.catalogue
        stale_ages = settings["stale_days_by_type"]
        stale, unupdated, empty = [], [], []
        for column in ctx.repo.columns:
            column_id, types = column.get("id"), column.get("types") or []
            if not isinstance(column_id, str) or not types:
                continue  # a column of fixed pages has nothing to update
            units = [u for u in column.get("units") or [] if isinstance(u, str)]
            lead = units[0] if units else ""
            names = "、".join(ctx.unit_name(u) for u in units) or "未指定"
            entries = catalogue.in_columns(column_id)
            where = ("content/governance/columns.yaml", _column_line(ctx.repo, column_id))
            if not entries:
                empty.append(column["name"])
                yield Finding(Level.ISSUE, "GK-FRESH-002", lead, column_id, f"{MEASURES}第八条、第三十一条",
                              f"栏目「{column['name']}」没有任何已发布的信息(空白栏目)。责任单位:{names}。", *where)
                continue
            age = ctx.as_of - entries[0].when
            cadence = column.get("cadence_days")
            strict = [stale_ages[t] for t in types if t in stale_ages]
            if strict and age > timedelta(days=min(strict)):
                stale.append(column["name"])
            if isinstance(cadence, int) and age > timedelta(days=cadence):
                unupdated.append(column["name"])
                due = entries[0].when + timedelta(days=cadence)
                yield Finding(Level.ISSUE, "GK-FRESH-001", lead, column_id, f"{MEASURES}第八条、第三十一条",
                              f"栏目「{column['name']}」最近一条信息发布于 {entries[0].when:%Y-%m-%d}({age.days} 天前),"
                              f"超过 {cadence} 天的更新周期。责任单位:{names}。", *where, due=f"{due:%Y-%m-%d}")
        home = [e for _, cols, _ in HOME_BLOCKS for e in catalogue.in_columns(*cols)[:1]]
        if home:
            newest = max(e.when for e in home)
            age = ctx.as_of - newest
            for level, days in ((Level.VETO, settings["home_page_veto_days"]),
                                (Level.WARNING, settings["home_page_warning_days"])):
                if age > timedelta(days=days):
                    yield Finding(level, "GK-FRESH-010", ctx.repo.host_unit, "home", INSPECTION,
                                  f"首页栏目最近一次更新在 {newest:%Y-%m-%d}({age.days} 天前),"
                                  f"{'超过' if level is Level.VETO else '接近'} {settings['home_page_veto_days']} 天未更新的单项否决线。")
                    break
        for code, found, veto, warning, what in (
                ("GK-FRESH-011", stale, settings["stale_columns_veto"], settings["stale_columns_warning"],
                 "长期未更新(动态、要闻类 2 周,通知公告、政策文件类 6 个月)的栏目"),
                ("GK-FRESH-012", unupdated, settings["unupdated_columns_veto"], settings["unupdated_columns_warning"],
                 "超过更新周期的栏目"),
                ("GK-FRESH-013", empty, settings["empty_columns_veto"], settings["empty_columns_warning"], "空白栏目")):
            for level, threshold in ((Level.VETO, veto), (Level.WARNING, warning)):
                if len(found) >= threshold > 0:
                    yield Finding(level, code, ctx.repo.host_unit, "", INSPECTION,
                                  f"{what}有 {len(found)} 个({'、'.join(found)}),"
                                  f"{'达到' if level is Level.VETO else '接近'} {veto} 个的单项否决线。")
                    break


def _column_line(repo, column_id: str) -> int:
    record = repo.governance.get("columns")
    if record is None:
        return 0
    for index, column in enumerate(record.meta.get("columns") or []):
        if isinstance(column, dict) and column.get("id") == column_id:
            return record.line_of("columns", index)
    return 0


def _hours(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60} 小时 {minutes % 60} 分" if minutes % 60 else f"{minutes // 60} 小时"


class DatasetFreshness(Check):
    """GK-FRESH-020: a dataset not updated as often as its `frequency` promises (Art. 7(1), 31).

    The next update is due one period after `modified` (`open_data.next_update_due`: 每月 one month,
    每年 one year, …); 不定期 and 不再更新 promise nothing.

    FAIL: `frequency: 每月`, `modified: 2026-09-30`, audited on 2026-11-26 (due 2026-10-30).
    PASS: `modified: 2026-11-02`, or `frequency: 不定期`.
    """

    codes = {"GK-FRESH-020": "开放数据集超过更新频率未更新"}

    def run(self, ctx):
        for dataset in ctx.repo.of_type("dataset"):
            if not status(dataset, ctx.as_of).live or not is_overdue(dataset, ctx.as_of):
                continue
            due = next_update_due(dataset)
            yield _finding(Level.ISSUE, "GK-FRESH-020", dataset, f"{MEASURES}第七条、第三十一条",
                           f"数据集「{dataset.title}」标明{dataset.meta.get('frequency')}更新,上次更新 {modified(dataset)},"
                           f"最迟应在 {due} 更新,至今未更新。请更新数据和 modified 日期,或如实修改 frequency。",
                           pointer=("modified",), due=f"{due}")


CHECKS: list[type[Check]] = [Freshness, Letters, Surveys, Responses, DisclosureTimeliness, DatasetFreshness]


def audit_codes() -> dict[str, str]:
    return {code: text for check in CHECKS for code, text in check.codes.items()}
