"""Which part of the search index holds a page: one decision for the plan, the indexer and the shards.

The index is split into ⌈pages / `search.pages_per_part`⌉ parts (settings), each searchable page in
the part its address hashes to, so a part holds about that many pages (a few per cent either way). Hashing, not years or types: every part then has the
site's mix of pages and so nearly the site's word statistics, which is what makes Pagefind's
scores from different parts comparable when the search page merges them (parts by year would
rank a small year's pages below a large year's). A page stays in its part while the number of
parts stays the same, so an edit re-indexes the parts of the pages it changed, not the site.
Parts of 1,000 pages, not larger, because Pagefind cannot update a bundle: a changed part is indexed
whole, in time proportional to its pages (about 2 ms a page). Not smaller, because each part adds its
own index chunks to every query (about 80 KB a part for a two-word query, whatever the part's size;
the search page loads Pagefind's code and WebAssembly once for all parts), and because small parts'
word statistics drift apart: at demo scale (a few hundred pages) some splits move recall terms out of
the first five (tests/browser/test_search_parts.py; bench/README.md, 2026-12-07).
"""
from __future__ import annotations

import hashlib

DEFAULT_PAGES_PER_PART = 1000  # bench/README.md, 2026-12-07: the index time of a change against a first query's bytes


def part_count(pages: int, per_part: int = DEFAULT_PAGES_PER_PART) -> int:
    return max(1, -(-pages // max(1, per_part)))


def part_of(url: str, parts: int) -> str:
    """The part (`"0"` … `"parts-1"`) of the page at `url`, stable across builds and machines."""
    if parts <= 1:
        return "0"
    digest = hashlib.blake2b(url.encode("utf-8"), digest_size=8).digest()
    return str(int.from_bytes(digest, "big") % parts)


def pages_per_part(settings: dict) -> int:
    search = settings.get("search") if isinstance(settings, dict) else None
    value = search.get("pages_per_part") if isinstance(search, dict) else None
    return value if isinstance(value, int) and value > 0 else DEFAULT_PAGES_PER_PART
