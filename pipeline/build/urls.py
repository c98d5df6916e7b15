"""Addresses derive from ids and types, never from titles."""
from __future__ import annotations

from urllib.parse import unquote

from ..types import TYPES


def item_path(type_name: str, item_id: str) -> str:
    return f"/{TYPES[type_name].folder}/{item_id}/"


def item_url(item) -> str:
    return item_path(item.type, item.id)


def unit_url(unit_id: str) -> str:
    return f"/units/{unit_id}/"


def column_url(column_id: str) -> str:
    return f"/columns/{column_id}/"


def file_url(rel: str) -> str:
    """A repository file (written relative to content/) as served from the site."""
    return "/" + rel.lstrip("/")


class UnsafeURL(ValueError):
    """A site path that cannot be a file inside output/ (it climbs out, or carries a query)."""


def output_name(url: str) -> str:
    """Where a URL's page is written inside output/, relative to it.

    `/a/b/` and `/a/b` (no file extension) become `a/b/index.html`, which is
    what a static server answers for both; `/a/b.html` stays a file.
    Percent-escapes are decoded as the server decodes them.
    """
    if not url.startswith("/") or "?" in url or "#" in url or "\\" in url:
        raise UnsafeURL(url)
    segments = unquote(url).split("/")[1:]
    if any(s in (".", "..") or "\0" in s for s in segments):
        raise UnsafeURL(url)
    path = "/".join(s for s in segments if s)
    if not path:
        return "index.html"
    if url.endswith("/") or "." not in segments[-1]:
        return path + "/index.html"
    return path
