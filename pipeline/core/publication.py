"""What reaches the public site, and when: the business decisions of publishing.

One function per decision, called alike by the rules (what to screen), the
catalogue and page builders (what to write and list), approvals and the audit:

- `status(item, now)`: published, scheduled, to be withdrawn, withdrawn, never published;
- `publication_time` / `withdrawal_time`: the moments those statuses turn on;
- `shown_fields(item, now)`: every text of an item that the site shows now or
  will show at any later moment. The content screens (privacy, wording,
  markup) run on exactly this, so a scheduled item, an item to be withdrawn
  later and a public letter before its reply are screened in full.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Iterator

from pipeline.content.loader import Item, TextField
from pipeline.timeutil import TZ, parse_when

if TYPE_CHECKING:
    from pipeline.content.repository import Repository


class Status(str, Enum):
    PUBLISHED = "published"  # on the site, listed, searchable
    SCHEDULED = "scheduled"  # not yet: its time has not come, or a public letter still unanswered
    TO_BE_WITHDRAWN = "to-be-withdrawn"  # on the site like a published item until its withdrawal date
    WITHDRAWN = "withdrawn"  # its page is a notice (title, date, reason); listed nowhere
    NEVER = "never"  # never reaches the site (a letter not marked public, Art. 21)

    @property
    def live(self) -> bool:
        """Shown in full and listed: in feeds, sitemap, search, columns."""
        return self in (Status.PUBLISHED, Status.TO_BE_WITHDRAWN)

    @property
    def has_page(self) -> bool:
        """The site writes a page at the item's address (the full item, or the withdrawal notice)."""
        return self.live or self is Status.WITHDRAWN


# What a withdrawn item still shows: its title and the withdrawal notice (defs: withdrawal).
WITHDRAWN_NOTICE_KEYS = frozenset({"title", "withdrawn"})


def publication_time(item: Item) -> datetime | None:
    """When citizens first see the item: a letter with its reply, anything else at its date."""
    if item.type == "letter":
        return parse_when(item.meta.get("replied"))
    return parse_when(item.meta.get("date"))


def meant_for_publication(item: Item) -> bool:
    """False only for a letter not marked public (Art. 21): it never reaches the site."""
    return not (item.type == "letter" and item.meta.get("public") is not True)


def withdrawal_declared(item: Item) -> bool:
    """The item carries a `withdrawn` block (whatever its date: an unreadable one is the schema's to report)."""
    return isinstance(item.meta.get("withdrawn"), dict)


def withdrawal_time(item: Item) -> datetime | None:
    """When the item is (or was) withdrawn; None when it is not, or when the date cannot be read."""
    withdrawn = item.meta.get("withdrawn")
    return parse_when(withdrawn.get("date")) if isinstance(withdrawn, dict) else None


def status(item: Item, now: datetime) -> Status:
    if not meant_for_publication(item):
        return Status.NEVER
    if item.type == "letter" and not item.meta.get("reply"):
        return Status.SCHEDULED  # a public letter appears with its reply, not before
    when = publication_time(item)
    if when is None or when > now:
        return Status.SCHEDULED
    if withdrawal_declared(item):
        withdrawn_at = withdrawal_time(item)
        # A withdrawal without a readable date takes effect at once: withdrawing is the safe side.
        if withdrawn_at is None or withdrawn_at <= now:
            return Status.WITHDRAWN
        return Status.TO_BE_WITHDRAWN
    return Status.PUBLISHED


def shown_fields(item: Item, now: datetime) -> Iterator[TextField]:
    """Every text of `item` the site shows now or later: what the content screens must read.

    Nothing of an item never published; only the notice of an item already
    withdrawn (its body left the site and never returns); everything else,
    whatever today's status: a scheduled item, an item to be withdrawn later
    and a public letter awaiting its reply are published in full some day.
    """
    state = status(item, now) if item.type != "unit" else Status.PUBLISHED
    if state is Status.NEVER:
        return
    for text_field in item.text_fields():
        if state is Status.WITHDRAWN and (not text_field.pointer or text_field.pointer[0] not in WITHDRAWN_NOTICE_KEYS):
            continue
        yield text_field


def screened_items(repo: "Repository") -> Iterator[Item]:
    """Content items in path order, then unit pages: every record whose text may reach the site."""
    yield from repo.items
    yield from repo.units.values()


# --- surveys (调查征集, Art. 22) ---------------------------------------------------------------

def survey_result(item: Item, now: datetime) -> dict | None:
    """The survey's result as the site shows it at `now`: its `result` once its date has come, else
    None (a result written in advance stays off the page, the listings and the search index until
    its date). The survey page, the interaction listing and the audit (GK-SURVEY-001) ask here."""
    result = item.meta.get("result")
    if not isinstance(result, dict):
        return None
    shown = parse_when(result.get("date"))
    return result if shown is not None and shown <= now else None


def survey_result_time(item: Item) -> datetime | None:
    """When the survey's result becomes public (its `result.date`), or None when none is written."""
    result = item.meta.get("result")
    return parse_when(result.get("date")) if isinstance(result, dict) else None


def survey_state(item: Item, now: datetime) -> str:
    """What the survey is at `now`, as its page and the 政民互动 listing say it."""
    start, end = parse_when(item.meta.get("start")), parse_when(item.meta.get("end"))
    if start and now < start:
        return "未开始"
    if end and now.date() <= end.date():
        return "进行中"
    return "已结束,结果已公布" if survey_result(item, now) is not None else "已结束,结果整理中"


# --- when what the site shows of an item changes by time alone ---------------------------------

def _shown_state(item: Item, now: datetime) -> tuple:
    """Everything of `item` the site shows that depends on `now`: its status and, for a survey, its state
    and whether its result is out."""
    if item.type == "survey":
        return status(item, now), survey_state(item, now), survey_result(item, now) is not None
    return (status(item, now),)


def _turning_points(item: Item) -> list[datetime]:
    """Every instant at which `_shown_state` may change: the decisions above compare `now` with these."""
    points = [publication_time(item), withdrawal_time(item)]
    if item.type == "survey":
        end = parse_when(item.meta.get("end"))
        # "进行中" holds through the end's day (`now.date() <= end.date()`): it ends at the next midnight.
        points += [parse_when(item.meta.get("start")), survey_result_time(item),
                   datetime.combine(end.date() + timedelta(days=1), time(), TZ) if end else None]
    return sorted(p for p in points if p is not None)


def next_change(item: Item, now: datetime) -> datetime | None:
    """The first instant after `now` at which `status` (and a survey's state or result) says something else
    for `item` by time alone, or None when nothing will: a page showing the item is the same until then."""
    shown = _shown_state(item, now)
    return next((t for t in _turning_points(item) if t > now and _shown_state(item, t) != shown), None)
