"""Where a finding in a published text sits in its source file: `(line, col)`.

Bodies map exactly from offsets. Metadata strings are looked up in the
source lines the loader kept (`Item.meta_lines`), so no rule reads a file
again.
"""
from __future__ import annotations

from pipeline.content.loader import Item, TextField

BODY = ("body",)


def is_body(text_field: TextField) -> bool:
    return text_field.pointer == BODY


def source_position(item: Item, text_field: TextField, start: int, end: int) -> tuple[int, int]:
    """(line, col) in the source file of the match `text[start:end]` of a published text.

    Bodies: exact, from offsets. Metadata: the matched text is looked up on
    its line of the item's kept source lines; inside a
    block scalar among the scalar's lines, which also corrects `line_at` for
    folded (`>`) scalars. Not found: `line_at` and column 0. A column matters beyond
    display: the decision layer merges diagnostics with the same path, line,
    column and code, so two findings on one line need distinct columns.
    """
    line = text_field.line_at(start)
    text = text_field.text
    if is_body(text_field):
        return line, start - (text.rfind("\n", 0, start) + 1) + 1
    fragment = text[start:end]
    lines = item.meta_lines
    if not fragment or "\n" in fragment or not lines or not 1 <= line <= len(lines):
        return line, 0
    if text_field.block:
        found = _in_block_scalar(lines, text_field, fragment, text.count(fragment, 0, start))
        if found:
            return found
    occurrence = text.count(fragment, 0, start)  # a flow scalar is one source line
    col = _nth(lines[line - 1], fragment, occurrence)
    return line, col + 1 if col >= 0 else 0


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
