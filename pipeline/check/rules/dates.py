"""Dates are real calendar dates and happen in a possible order."""
from __future__ import annotations

import re

from pipeline.diagnostics import Severity
from pipeline.core.relations import published_no_later
from pipeline.timeutil import parse_when
from pipeline.check.rules import ITEM, Rule, register

DATE_LIKE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}(:[0-9]{2})?)?$")

# (type, earlier key, later key, message) — pointer tuples allow nested keys.
ORDER = (
    ("policy", ("written",), ("date",), "成文日期不能晚于发布日期"),
    ("survey", ("start",), ("end",), "调查结束日期不能早于开始日期"),
    ("survey", ("end",), ("result", "date"), "调查结果不能在调查结束前发布"),
    ("letter", ("received",), ("replied",), "答复时间不能早于收到时间"),
    ("response", ("event_time",), ("first_release",), "首次发布时间不能早于事件发生时间"),
)


def _get(meta, pointer):
    for key in pointer:
        if not isinstance(meta, dict):
            return None
        meta = meta.get(key)
    return meta


@register
class Dates(Rule):
    """GK-DATE-001/002: dates exist on the calendar and follow each other sensibly.

    Falsified or impossible dates are a single-veto item of the national
    website inspection, so they are errors.

    FAIL: `date: 2026-02-30`; a letter `replied` before it was `received`.
    PASS: `date: 2026-02-28 09:30`.
    """

    codes = {
        "GK-DATE-001": "日期不存在(如 2 月 30 日)",
        "GK-DATE-002": "日期先后顺序不可能",
    }

    reach = ITEM

    def check(self, repo):
        for item in [*repo.items, *repo.units.values()]:
            for field in item.text_fields():
                if field.pointer == ("body",) or not DATE_LIKE.match(field.text):
                    continue
                if parse_when(field.text) is None:
                    yield item.diagnostic("GK-DATE-001", Severity.ERROR,
                                          f"「{field.text}」不是存在的日期或时间,请核对。", *field.pointer)
            for type_name, first, second, message in ORDER:
                if item.type != type_name:
                    continue
                a, b = _get(item.meta, first), _get(item.meta, second)
                if isinstance(a, str) and isinstance(b, str) and not published_no_later(a, b):
                    yield item.diagnostic("GK-DATE-002", Severity.ERROR,
                                          f"{message}:{'.'.join(first)} 是 {a},{'.'.join(second)} 是 {b}。", *second)
