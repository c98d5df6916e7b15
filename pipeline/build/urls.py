"""Addresses derive from ids and types, never from titles."""
from __future__ import annotations

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


def output_name(url: str) -> str:
    """Where a URL's page is written inside output/."""
    path = url.lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    return path
