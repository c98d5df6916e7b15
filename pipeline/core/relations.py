"""Relations between items, computed once and shared by rules and the build."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterator

from pipeline.core.links import ITEM_SCHEME, UNIT_SCHEME, link_targets, split_item_target
from pipeline.timeutil import parse_when

# Metadata keys that name other items by id -> the type the named item must have.
ITEM_REFERENCE_KEYS = {"interprets": "policy", "replaced_by": "policy", "related_policies": "policy"}


@dataclass(frozen=True)
class Reference:
    """One id a record names: in a metadata key (`key`, `index` in its list) or in a by-id link of its Markdown."""

    id: str
    kind: str  # "item" or "unit" (a `unit:` link)
    key: str | None = None  # the metadata key; None: a link in a Markdown text
    index: int | None = None  # position in the key's list (None: a single value)
    wanted: str | None = None  # the type the named item must have
    line: int | None = None  # of a link: its line in the file


def references(item) -> Iterator[Reference]:
    """Every id an item (or unit) names: `interprets`, `replaced_by`, `related_policies`, and `item:` / `unit:`
    links in every Markdown text the site renders. Values of the wrong shape are left to the schema check."""
    yield from metadata_references(item)
    yield from link_references(item)


def metadata_references(item) -> Iterator[Reference]:
    for key, wanted in ITEM_REFERENCE_KEYS.items():
        value = item.meta.get(key)
        values = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, ref in values:
            if isinstance(ref, str) and ref:
                yield Reference(ref, "item", key, index, wanted)


def link_references(item) -> Iterator[Reference]:
    for text_field in item.markdown_fields():
        for link in link_targets(text_field.text):
            if link.target.startswith(ITEM_SCHEME):
                yield Reference(split_item_target(link.target)[0], "item", line=text_field.line_at(link.start))
            elif link.target.startswith(UNIT_SCHEME):
                yield Reference(link.target[len(UNIT_SCHEME):], "unit", line=text_field.line_at(link.start))


def referenced_ids(item) -> set[str]:
    """The ids of the items an item names (`references`): what the reference rule resolves, what the changed
    check's scope follows and what the item's page depends on."""
    return {ref.id for ref in references(item) if ref.kind == "item"}


def interpretations_by_policy(repo) -> dict[str, list]:
    out = defaultdict(list)
    for item in repo.of_type("interpretation"):
        refs = item.meta.get("interprets")
        if isinstance(refs, list):
            for ref in refs:
                if isinstance(ref, str):
                    out[ref].append(item)
    return dict(out)


def published_no_later(first, second) -> bool:
    """True when `first` is not after `second`; a date without a time compares by day."""
    a, b = parse_when(first), parse_when(second)
    if a is None or b is None:
        return True  # unparseable dates are reported elsewhere
    if len(str(first).strip()) <= 10 or len(str(second).strip()) <= 10:
        return a.date() <= b.date()
    return a <= b
