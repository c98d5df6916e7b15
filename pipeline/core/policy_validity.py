"""When a policy document was issued, when it stopped being in force, and whether it was in force on a day.

`validity` says what a document is; with `validity_date` (when it became 已修订, 已废止 or 失效)
and `expires` (the end of a fixed term), it also says what the document is on any day: `validity_on`.
The policy page's 有效性 row and notice, the policy library's facets, the search filter 有效性, the
coverage rule (in force now), the yearly report (issued, repealed and in force on 31 December) and its
consistency rule all read it from here, so a 现行有效 document past its `expires` day is 失效 on all
of them from the same day.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from pipeline.core.publication import withdrawal_time
from pipeline.timeutil import parse_day

IN_FORCE = "现行有效"
EXPIRED = "失效"  # the schema's label for a document whose term ran out
ENDED = ("已修订", "已废止", EXPIRED)  # 修订: replaced by the revised document, which is issued anew
COUNTED_TYPES = ("规章", "行政规范性文件")  # the rows of Part 2 of the national yearly report format


def issued_on(policy) -> date | None:
    """The day the document was made (成文日期 `written`, else its publication)."""
    return parse_day(policy.meta.get("written")) or parse_day(policy.meta.get("date"))


def _changed_on(policy) -> date | None:
    """The day a written 已修订, 已废止 or 失效 took effect (its `validity_date`, else the document's issue)."""
    return parse_day(policy.meta.get("validity_date")) or issued_on(policy)


def _expired_from(policy) -> date | None:
    """The first day after a fixed term (`expires`), when the document is 失效."""
    expires = parse_day(policy.meta.get("expires"))
    return expires + timedelta(days=1) if expires is not None else None


def validity_on(policy, day: date) -> str | None:
    """The document's validity on `day`, as every page and figure shows it (a label of the schema's enum).

    A written 已修订 / 已废止 / 失效 holds from its `validity_date` (before it the document was 现行有效);
    a fixed term (`expires`) makes the document 失效 from the day after. None when no validity is written.
    """
    written = policy.meta.get("validity")
    if not isinstance(written, str):
        return None
    if written in ENDED:
        changed = _changed_on(policy)
        if changed is None or day >= changed:
            return written
    expired = _expired_from(policy)
    if expired is not None and day >= expired:
        return EXPIRED
    return IN_FORCE if written in ENDED else written


def validity_since(policy, day: date) -> date | None:
    """The day the validity shown on `day` took effect, when it is not 现行有效 (the date beside it)."""
    shown = validity_on(policy, day)
    if shown is None or shown == IN_FORCE:
        return None
    written = policy.meta.get("validity")
    changed = _changed_on(policy) if written in ENDED else None
    if shown == written and changed is not None and day >= changed:
        return parse_day(policy.meta.get("validity_date"))
    return _expired_from(policy)


def validity_changes(policy) -> list[date]:
    """The days on which `validity_on` changes its answer: what a page showing it depends on besides the item."""
    days = [_expired_from(policy)]
    if policy.meta.get("validity") in ENDED:
        days.append(parse_day(policy.meta.get("validity_date")))
    return sorted(d for d in days if d is not None)


def next_change(policy, now: datetime) -> datetime | None:
    """The first midnight after `now` at which `validity_on` (and so `validity_since`) gives another answer,
    or None: the moment a page showing the validity must be written again."""
    shown = validity_on(policy, now.date())
    for day in validity_changes(policy):
        moment = datetime.combine(day, time(), now.tzinfo)
        if moment > now and validity_on(policy, day) != shown:
            return moment
    return None


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
        ends.append(_changed_on(policy))
    ends.append(_expired_from(policy))
    ends = [d for d in ends if d is not None]
    return min(ends) if ends else None


def in_force_on(policy, day: date) -> bool:
    """Issued by `day`, not withdrawn from the site by then, and 现行有效 that day (`validity_on`)."""
    issued, withdrawn = issued_on(policy), withdrawal_time(policy)
    return (issued is not None and issued <= day and (withdrawn is None or day < withdrawn.date())
            and validity_on(policy, day) == IN_FORCE)
