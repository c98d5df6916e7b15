"""One page of the site: address, template, dependencies, and its context computed on demand."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterable

from pipeline.core.addresses import listing_page_url

# Dependency keys: what a page's bytes are made from. A change to any of them may change the page.
SITE = "governance:site"
SETTINGS = "governance:settings"  # the header's and footer's marks, record links and 12345 entries
COLUMNS = "governance:columns"
UNITS = "units"  # the set of units and their names (navigation, unit lists, the footer's host)


def item(item_id: str) -> str:
    return f"item:{item_id}"


def unit(unit_id: str) -> str:
    return f"unit:{unit_id}"


def file(rel: str) -> str:
    """A repository file (relative to content/) whose contents a page shows: a dataset's CSV."""
    return f"file:{rel}"


def listing(key: str, members: Iterable) -> str:
    """Membership and order of a listing (which items it holds, and what of them it counts or groups by),
    beyond the items it shows on this page. `members` are plain values (ids, tuples of ids and labels) as
    of the build's `now`; their digest is part of the key, so a later build sees the listing changed
    when they differ, whether an edit or time changed them."""
    digest = hashlib.blake2b(repr(list(members)).encode("utf-8"), digest_size=12).hexdigest()
    return f"listing:{key}#{digest}"


def template(name: str) -> str:
    return f"template:{name}"


def shown(entries: Iterable) -> set[str]:
    return {item(e.id) for e in entries}


def ids(entries: Iterable) -> list[str]:
    """The members of a listing that only holds and orders items (a column, a category, a unit's items)."""
    return [e.id for e in entries]


def earliest(*moments: datetime | None) -> datetime | None:
    return min((m for m in moments if m is not None), default=None)


@dataclass(frozen=True)
class Page:
    url: str
    template: str | None  # a theme template, or None for a file written as text (feeds, sitemap.xml)
    depends: frozenset[str]
    make: Callable[[], object] = field(compare=False, repr=False)  # the template context (dict) or the text
    search: str | None = None  # the part of the search index that holds this page; None: not searchable
    # The first instant after the build's `now` at which the page's bytes would differ by time alone (an
    # item it shows is published or withdrawn, a survey closes, a policy expires …); None: never.
    changes_at: datetime | None = None

    def context(self) -> dict:
        assert self.template is not None
        return self.make()

    def text(self) -> str:
        assert self.template is None
        return self.make()


def html_page(url: str, template_name: str, make: Callable[[], dict], depends: Iterable[str] = (),
              search: str | None = None, changes_at: datetime | None = None) -> Page:
    """A page rendered with a theme template; every such page shows the site's identity and navigation.
    (`template:NAME` stands for the template and every template it extends, includes or imports.)"""
    common = {SITE, SETTINGS, COLUMNS, UNITS, template(template_name), template("base.html"), template("_macros.html")}
    return Page(url, template_name, frozenset(common | set(depends)), make, search, changes_at)


def text_file(url: str, make: Callable[[], str], depends: Iterable[str] = ()) -> Page:
    return Page(url, None, frozenset({SITE, *depends}), make)


PER_PAGE = 20


def paginate(url: str, entries: list, per_page: int = PER_PAGE):
    """Yield (page_url, page_entries, pager) for a listing split into pages."""
    total = max(1, -(-len(entries) // per_page))
    for number in range(1, total + 1):
        pager = {
            "number": number, "total": total,
            "prev": listing_page_url(url, number - 1) if number > 1 else None,
            "next": listing_page_url(url, number + 1) if number < total else None,
        }
        yield listing_page_url(url, number), entries[(number - 1) * per_page:number * per_page], pager
