"""Former addresses (`former_urls`): who may claim which old address, and the redirect pages.

One decision for the rule (GK-URL-001/002) and the build: an old address
becomes a redirect only when it is a path of this site, no page of the site
uses it (an item's address, a listing, a feed, the site map, the theme's or
the search bundle's folders), and no earlier item claimed it. The rule
reports every claim that fails; the build writes a redirect for every claim
of an item that has a page now, so with a clean check nothing is dropped.

Every item that will ever have a page takes part (a scheduled item's claims
are reserved before it appears), so a later publication cannot silently take
an old address another item already redirects.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from ..addresses import ASSET_FOLDERS, UnsafeURL, item_url, output_name
from ..content import Item
from ..publication import Status, status
from . import page as dep
from .page import Page, html_page

UNSAFE = "unsafe"  # not a path of this site
PAGE = "page"  # a page of the site has this address
CLAIMED = "claimed"  # an earlier item claimed it


@dataclass(frozen=True)
class Claim:
    item: Item
    index: int  # position in the item's former_urls
    url: str
    problem: str | None = None  # None: the claim holds
    other: Item | None = None  # the item whose address or claim it collides with, if any


def former_address_claims(catalogue, page_names: set[str]) -> list[Claim]:
    """Every former address of every item that will ever have a page, in repository order, judged."""
    items = [i for i in catalogue.repo.items if status(i, catalogue.now) is not Status.NEVER]
    current = {}
    for item in items:
        current.setdefault(output_name(item_url(item)), item)
    claimed: dict[str, Item] = {}
    out = []
    for item in items:
        former = item.meta.get("former_urls")
        if not isinstance(former, list):
            continue
        for index, url in enumerate(former):
            if not isinstance(url, str):
                continue
            try:
                name = output_name(url)
            except UnsafeURL:
                out.append(Claim(item, index, url, UNSAFE))
                continue
            if name in current:
                out.append(Claim(item, index, url, PAGE, current[name]))
            elif name in page_names or name.split("/", 1)[0] in ASSET_FOLDERS:
                out.append(Claim(item, index, url, PAGE))
            elif name in claimed and claimed[name] is not item:
                out.append(Claim(item, index, url, CLAIMED, claimed[name]))
            else:
                claimed.setdefault(name, item)
                out.append(Claim(item, index, url))
    return out


def redirect_pages(catalogue, page_names: set[str]) -> list[Page]:
    """A redirect page for each holding claim of an item that has a page now."""
    pages = []
    for claim in former_address_claims(catalogue, page_names):
        entry = catalogue.entries.get(claim.item.id)
        if claim.problem is None and entry is not None and entry.item is claim.item:
            pages.append(html_page(claim.url, "redirect.html",
                                   partial(dict, {"title": entry.title, "target": entry.url}), {dep.item(entry.id)}))
    return pages
