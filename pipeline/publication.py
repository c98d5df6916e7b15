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


def status(item: Item, now: datetime) -> str:
    meta = item.meta
    if item.type == "letter" and (meta.get("public") is not True or not meta.get("reply")):
        return HIDDEN  # Art. 21: only letters marked public, and only with their reply
    when = publication_time(item)
    if when is None or when > now:
        return FUTURE
    withdrawn = meta.get("withdrawn")
    if isinstance(withdrawn, dict):
        withdrawn_at = parse_when(withdrawn.get("date"))
        if withdrawn_at is None or withdrawn_at <= now:
            return WITHDRAWN
    return PUBLISHED
