"""What reaches the public site, and when: the business rules of publishing.

Shared by the build (what to write), the sitemap and feeds (what to list)
and the audit (what citizens can see), so they never disagree.
"""
from __future__ import annotations

from datetime import datetime

from .content import Item
from .timeutil import parse_when

FUTURE = "future"  # scheduled: absent until a build runs at or after its time
HIDDEN = "hidden"  # never published (a letter not marked public, or not yet answered)
WITHDRAWN = "withdrawn"  # its page becomes a notice; gone from listings, feeds, sitemap, search
PUBLISHED = "published"


def publication_time(item: Item) -> datetime | None:
    """When citizens first see the item: a letter with its reply, anything else at its date."""
    if item.type == "letter":
        return parse_when(item.meta.get("replied"))
    return parse_when(item.meta.get("date"))


def meant_for_publication(item: Item) -> bool:
    """False only for a letter not marked public (Art. 21): it never reaches the site.

    The content screens check everything meant for publication, a public letter
    before its reply is written included."""
    return not (item.type == "letter" and item.meta.get("public") is not True)


def status(item: Item, now: datetime) -> str:
    meta = item.meta
    if not meant_for_publication(item) or (item.type == "letter" and not meta.get("reply")):
        return HIDDEN  # a public letter appears with its reply, not before
    when = publication_time(item)
    if when is None or when > now:
        return FUTURE
    withdrawn = meta.get("withdrawn")
    if isinstance(withdrawn, dict):
        withdrawn_at = parse_when(withdrawn.get("date"))
        if withdrawn_at is None or withdrawn_at <= now:
            return WITHDRAWN
    return PUBLISHED
