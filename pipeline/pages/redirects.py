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
from urllib.parse import unquote

from pipeline.core.addresses import ASSET_FOLDERS, NGINX_REDIRECTS, UnsafeURL, item_url, output_name
from pipeline.content.loader import Item
from pipeline.core.publication import Status, status
from pipeline.pages import page as dep
from pipeline.pages.page import Page, html_page, text_file

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


def redirects(catalogue, page_names: set[str]) -> list[tuple[str, object]]:
    """(former address, entry) for each holding claim of an item that has a page now."""
    out = []
    for claim in former_address_claims(catalogue, page_names):
        entry = catalogue.entries.get(claim.item.id)
        if claim.problem is None and entry is not None and entry.item is claim.item:
            out.append((claim.url, entry))
    return out


def _nginx_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nginx_redirects(moved: list[tuple[str, object]]) -> str:
    """`location = … { return 301 …; }` for every redirect, for each form a browser may ask for.

    nginx matches the decoded path, so a percent-escaped former address is written decoded; an
    address of a folder is matched with and without its slash and as its index.html.
    """
    lines = ["# 由 gongkai build 根据各条目的 former_urls 生成,请勿手工修改。ci/nginx/ 的配置 include 本文件。"]
    for url, entry in moved:
        path = unquote(url)
        forms = [path]
        if path.endswith("/") and len(path) > 1:
            forms += [path.rstrip("/"), path + "index.html"]
        elif "." not in path.rsplit("/", 1)[-1]:
            forms += [path + "/", path + "/index.html"]
        for form in forms:
            lines.append(f"location = {_nginx_string(form)} {{ return 301 {entry.url}; }}")
    return "\n".join(lines) + "\n"


def redirect_pages(catalogue, page_names: set[str]) -> list[Page]:
    """A redirect page for each holding claim (for any static host), and the web server's 301 rules."""
    moved = redirects(catalogue, page_names)
    pages = [html_page(url, "redirect.html", partial(dict, {"title": entry.title, "target": entry.url}),
                       {dep.item(entry.id)}) for url, entry in moved]
    # The web server's 301 rules for the same redirects, written with the site (ci/nginx/ includes it).
    pages.append(text_file(NGINX_REDIRECTS, partial(nginx_redirects, moved), {dep.item(e.id) for _, e in moved}))
    return pages
