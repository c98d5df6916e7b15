"""What reaches the site, and where a finding in it sits in the source file.

Shared by the content screens (privacy, wording, markup); not a rule itself,
so it registers nothing.

Scope: every content item and every unit page, except
- letters whose `public` is not true (Art. 21: they never reach the site);
- withdrawn items, of which only the notice survives: its title and the
  withdrawal reason are screened, the rest is off the site.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..content import Item, LoadError, TextField, decode_utf8
from ..publication import meant_for_publication

if TYPE_CHECKING:
    from ..repository import Repository

BODY = ("body",)
# What a withdrawn item still shows: its title and the reason (defs: withdrawal).
WITHDRAWN_NOTICE_KEYS = {"title", "withdrawn"}


def published_items(repo: "Repository") -> Iterator[Item]:
    """Published content items in path order, then unit pages."""
    for item in repo.items:
        if meant_for_publication(item):
            yield item
    yield from repo.units.values()


def published_fields(item: Item) -> Iterator[TextField]:
    """The body and every metadata string of `item` that the site shows."""
    withdrawn = "withdrawn" in item.meta
    for text_field in item.text_fields():
        if not isinstance(text_field.text, str):
            continue
        if withdrawn and (not text_field.pointer or text_field.pointer[0] not in WITHDRAWN_NOTICE_KEYS):
            continue
        yield text_field


def is_body(text_field: TextField) -> bool:
    return text_field.pointer == BODY


class Locator:
    """Turn a match in a published text into (line, col) of the source file.

    Bodies: exact, from offsets. Metadata: the source file is read (only when
    something was found) and the matched text looked up on its line; inside a
    block scalar among the scalar's lines, which also corrects `line_at` for
    folded (`>`) scalars. Not found: `line_at` and column 0. A column matters beyond
    display: the decision layer merges diagnostics with the same path, line,
    column and code, so two findings on one line need distinct columns.
    """

    def __init__(self, repo: "Repository"):
        self.root = repo.root
        self._sources: dict[str, list[str] | None] = {}

    def __call__(self, item: Item, text_field: TextField, start: int, end: int) -> tuple[int, int]:
        line = text_field.line_at(start)
        text = text_field.text
        if is_body(text_field):
            return line, start - (text.rfind("\n", 0, start) + 1) + 1
        fragment = text[start:end]
        lines = self._source(item.path)
        if not fragment or "\n" in fragment or not lines or not 1 <= line <= len(lines):
            return line, 0
        if text_field.block:
            found = _in_block_scalar(lines, text_field, fragment, text.count(fragment, 0, start))
            if found:
                return found
        occurrence = text.count(fragment, 0, start)  # a flow scalar is one source line
        col = _nth(lines[line - 1], fragment, occurrence)
        return line, col + 1 if col >= 0 else 0

    def _source(self, rel: str) -> list[str] | None:
        if rel not in self._sources:
            try:
                text = decode_utf8((self.root / rel).read_bytes(), rel)
            except (OSError, LoadError):
                self._sources[rel] = None
            else:
                self._sources[rel] = text.split("\n")
        return self._sources[rel]


def _nth(haystack: str, needle: str, n: int) -> int:
    """Index of the n-th (0-based) occurrence of `needle`, -1 if there are fewer."""
    at = -1
    for _ in range(n + 1):
        at = haystack.find(needle, at + 1)
        if at < 0:
            return -1
    return at


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _in_block_scalar(lines: list[str], text_field: TextField, fragment: str, occurrence: int):
    """(line, col) of the occurrence-th `fragment` among the source lines of a block scalar.

    Needed for folded scalars (`>`), where YAML joins source lines with spaces
    and `line_at` can only give the first line; exact for literal ones too.
    The scalar runs from the line after its indicator while lines are blank or
    indented deeper than the indicator's line.
    """
    first = text_field.line - 1  # 0-based index of the first content line
    if first < 1 or first > len(lines):
        return None
    indent = _indent(lines[first - 1])
    for index in range(first, len(lines)):
        source_line = lines[index]
        if source_line.strip() and _indent(source_line) <= indent:
            break
        count = source_line.count(fragment)
        if occurrence < count:
            return index + 1, _nth(source_line, fragment, occurrence) + 1
        occurrence -= count
    return None
