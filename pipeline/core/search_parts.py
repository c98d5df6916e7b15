"""Which part of the search index holds a page: one decision for the plan, the indexer and the shards.

The index is split into the fewest parts, a power of two, that keep each at or under
`search.pages_per_part` pages on average (settings), each searchable page in the part its address
hashes to, so a part holds between half that and that many (a few per cent either way). Hashing, not years or types: every part then has the
site's mix of pages and so nearly the site's word statistics, which is what makes Pagefind's
scores from different parts comparable when the search page merges them (parts by year would
rank a small year's pages below a large year's). A page stays in its part while the number of
parts stays the same, so an edit re-indexes the parts of the pages it changed, not the site.
A power of two because a change of the count moves nearly every page to another part (all parts
indexed again): with ⌈pages / size⌉ parts that happened each time the site grew by one part's worth
of pages, now it happens when the site doubles.
Small parts because Pagefind cannot update a bundle: a changed part is indexed whole, in time
proportional to its pages (about 2 ms a page), and a policy's title is shown on about a dozen pages,
each perhaps in another part. The search page loads Pagefind's code once and merges the parts into it
(themes/portal/static/js/search.js), so a part costs a first query only its own small files
(bench/README.md, 2026-12-07). Not tiny: with parts of 40 pages Pagefind's word statistics differ
from part to part enough to move recall terms out of the first five (tests/browser/test_search_parts.py).
"""
from __future__ import annotations

import hashlib

DEFAULT_PAGES_PER_PART = 1000  # bench/README.md, 2026-12-07: the index time of a change against a first query's bytes


def part_count(pages: int, per_part: int = DEFAULT_PAGES_PER_PART) -> int:
    parts = 1
    while pages > parts * max(1, per_part):
        parts *= 2
    return parts


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
