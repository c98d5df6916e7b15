"""How item ids are made: the convention of a type's (and a unit's) existing ids, and the next free one.

`gongkai new` (pipeline.authoring.new_item) and the browser editor's configuration
(pipeline.cms.config, whose built admin site has each type's and unit's convention for its id widget) both use it,
so an item made either way is named as the repository's items are.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from pipeline.content.types import TYPES
from pipeline.timeutil import parse_day

# The parts an id is made of, besides literal words: the unit's id, the year, the item's month and
# day (xw-2026-0716 is the news of 16 July), and a running number (xj-2026-0012, yjzf-2026-3).
UNIT, YEAR, MONTH_DAY, NUMBER = "{unit}", "{year}", "{mmdd}", "{n}"
COUNTERS = (MONTH_DAY, NUMBER)
YEAR_PATTERN = re.compile(r"(19|20)[0-9]{2}")
# The fields an item's own date is in (a letter has no `date`: it is received).
DATE_KEYS = ("date", "received")
# `gongkai new` reads at most this many items of a type to learn its convention: a sample says as
# much as thousands, and a unit's editor waits for none of them.
SAMPLE = 300


def id_examples(items) -> list[tuple]:
    """(id, unit, day) of each item: what `id_convention` learns a type's convention from."""
    return [(item.id, item.meta.get("unit") if isinstance(item.meta.get("unit"), str) else None, _item_day(item.meta))
            for item in items]


def _item_day(meta: dict):
    for key in DATE_KEYS:
        value = meta.get(key)
        if value is not None:
            return parse_day(str(value))
    return None


@dataclass(frozen=True)
class IdConvention:
    """How the ids of one type (of one unit) are made: ("xw", YEAR, MONTH_DAY), ("xj", YEAR, NUMBER) width 4."""

    parts: tuple[str, ...]
    width: int = 0  # digits of the running number, zero-padded; 0: as many as it takes
    example: str = ""  # an existing id written this way, for the editor
    descriptive: bool = False  # the existing ids name their subject (bs-jtj-daolu-huoyun): a number stands in


def fallback_convention(type_name: str) -> IdConvention:
    """For a type the repository has no item of yet: prefix, year and a four-digit number."""
    return IdConvention((TYPES[type_name].id_prefix, YEAR, NUMBER), 4)


def id_parts(item_id: str, unit: str | None, when) -> tuple[str, ...]:
    """The shape of one existing id: its words, with the unit, the year and the counter named."""
    segments = item_id.split("-")
    out = []
    for index, segment in enumerate(segments):
        if unit and segment == unit:
            out.append(UNIT)
        elif YEAR_PATTERN.fullmatch(segment):
            out.append(YEAR)
        elif segment.isdigit() and index == len(segments) - 1:
            out.append(MONTH_DAY if when is not None and segment == f"{when:%m%d}" else NUMBER)
        else:
            out.append(segment)
    return tuple(out)


def id_convention(type_name: str, examples: list[tuple[str, str | None, object]], unit: str,
                  units: Collection[str] = ()) -> IdConvention:
    """The convention a new item of `unit` follows, from (id, unit, date) of the type's existing items.

    The unit's own items decide when they follow a numbered convention; otherwise the type's items
    across the repository do. The shape most items have wins (the newest item breaks a tie), so an odd
    old id does not set the rule. A shape with another unit's id in it (jd-yjzfb-2025-11, 财政局's
    interpretation of a 市政府办公室 document) is that item's reference, not a convention. Ids that name
    their subject (services, datasets, pages) keep what all of them share (bs-<unit>-) and get a
    running number in place of the name.
    """
    if not examples:
        return fallback_convention(type_name)
    # Newest first: Counter keeps first-seen order among equal counts.
    ordered = sorted(examples, key=lambda e: (e[2] is not None, e[2] or 0, e[0]), reverse=True)
    own = [e for e in ordered if e[1] == unit]
    for group in (own, ordered):
        shapes = Counter(id_parts(i, u, d) for i, u, d in group)
        numbered = [(shape, count) for shape, count in shapes.most_common()
                    if shape[-1] in COUNTERS and not set(shape) & set(units)]
        if numbered and numbered[0][1] * 2 >= len(group):
            parts = numbered[0][0]
            matching = [(i, u, d) for i, u, d in group if id_parts(i, u, d) == parts]
            numbers = [i.rsplit("-", 1)[-1] for i, _, _ in matching]
            padded = any(len(n) > 1 and n.startswith("0") for n in numbers)
            return IdConvention(parts, max(map(len, numbers)) if padded else 0, matching[0][0])
    shapes = [id_parts(i, u, d) for i, u, d in ordered]
    common = []
    for words in zip(*shapes):
        if len(set(words)) != 1 or words[0] in (YEAR, *COUNTERS):
            break
        common.append(words[0])
    return IdConvention(tuple(common or [TYPES[type_name].id_prefix]) + (NUMBER,), 0, ordered[0][0], True)


def next_id(convention: IdConvention, unit: str, now: datetime, taken: set[str]) -> str:
    """The first id of `convention` for `unit` at `now` that no item has: the number after the highest."""
    words = [unit if p == UNIT else str(now.year) if p == YEAR else p for p in convention.parts[:-1]]
    stem = "-".join(words) + "-" if words else ""
    if convention.parts[-1] == MONTH_DAY:
        candidate = f"{stem}{now:%m%d}"
        extra = 2  # two items on one day: the second gets -2, as the repository's own pairs do (jd-…-mt)
        while candidate in taken:
            candidate, extra = f"{stem}{now:%m%d}-{extra}", extra + 1
        return candidate
    pattern = re.compile(re.escape(stem) + r"([0-9]+)")
    highest = max((int(m.group(1)) for m in map(pattern.fullmatch, taken) if m), default=0)
    number = highest + 1
    while f"{stem}{number:0{convention.width}d}" in taken:
        number += 1
    return f"{stem}{number:0{convention.width}d}"
