"""When a policy document was issued, when it stopped being in force, and whether it was in force on a day.

`validity` says what a document is now; with `validity_date` (when it became 已修订, 已废止 or 失效)
and `expires` (the end of a fixed term), it also says what the document was on any earlier day. The
coverage rule (in force now), the yearly report (issued, repealed and in force on 31 December) and its
consistency rule read it from here.
"""
from __future__ import annotations

from datetime import date, timedelta

from pipeline.core.publication import withdrawal_time
from pipeline.timeutil import parse_day

IN_FORCE = "现行有效"
ENDED = ("已修订", "已废止", "失效")  # 修订: replaced by the revised document, which is issued anew
COUNTED_TYPES = ("规章", "行政规范性文件")  # the rows of Part 2 of the national yearly report format


def issued_on(policy) -> date | None:
    """The day the document was made (成文日期 `written`, else its publication)."""
    return parse_day(policy.meta.get("written")) or parse_day(policy.meta.get("date"))


def ended_on(policy) -> date | None:
    """The first day the document was no longer in force, or None while it still is.

    A validity change counts from its `validity_date` (the document's publication when none is written);
    a fixed term ends the day after `expires`; a document withdrawn from the site (撤回) ends the day it
    was withdrawn, as far as what the site holds is concerned.
    """
    ends = []
    withdrawn = withdrawal_time(policy)
    if withdrawn is not None:
        ends.append(withdrawn.date())
    if policy.meta.get("validity") in ENDED:
        ends.append(parse_day(policy.meta.get("validity_date")) or issued_on(policy))
    expires = parse_day(policy.meta.get("expires"))
    if expires is not None:
        ends.append(expires + timedelta(days=1))
    ends = [d for d in ends if d is not None]
    return min(ends) if ends else None


def in_force_on(policy, day: date) -> bool:
    issued, ended = issued_on(policy), ended_on(policy)
    return issued is not None and issued <= day and (ended is None or day < ended)
