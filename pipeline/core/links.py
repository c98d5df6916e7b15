"""The one parser of link targets in Markdown, and the by-id link form `[text](item:ID)`.

Every reader of links uses `link_targets`: the reference rule resolves by-id
links, the markup rule looks for script schemes, `files.files_used` finds
attachments, and the renderer rewrites targets into addresses. One parser, so
that what the check resolves is what the build links, and what the screen
reads is what a browser would follow.

The patterns are deliberately tolerant (an unclosed `](`, a line break after
it): for a screen, reading too much is safe; for the renderer, rewriting a
target Markdown then does not treat as a link changes nothing a reader sees.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator
from urllib.parse import unquote

ITEM_SCHEME = "item:"
UNIT_SCHEME = "unit:"

INLINE = "inline"  # [text](target) and ![alt](target)
REFERENCE = "reference"  # [label]: target
AUTOLINK = "autolink"  # <scheme:target>

_INLINE = re.compile(r"\]\([ \t]*\n?[ \t]*<?(?P<url>[^\s<>)][^\s<>)]*)")
_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*\n?[ \t]*<?(?P<url>[^\s<>]+)", re.M)
_AUTOLINK = re.compile(r"<(?P<url>[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class LinkTarget:
    start: int  # offset of the target in the text
    end: int
    target: str
    kind: str  # INLINE, REFERENCE or AUTOLINK

    @property
    def rewritable(self) -> bool:
        """Targets the renderer turns into site addresses (an autolink shows its text, so stays)."""
        return self.kind != AUTOLINK


def link_targets(text: str) -> Iterator[LinkTarget]:
    """Every link or image target in `text`, in order of position."""
    if not text:
        return
    found = []
    if "](" in text:
        found += [LinkTarget(m.start("url"), m.end("url"), m.group("url"), INLINE) for m in _INLINE.finditer(text)]
    if "]:" in text:
        found += [LinkTarget(m.start("url"), m.end("url"), m.group("url"), REFERENCE) for m in _REFERENCE.finditer(text)]
    if "<" in text:
        found += [LinkTarget(m.start("url"), m.end("url"), m.group("url"), AUTOLINK) for m in _AUTOLINK.finditer(text)]
    yield from sorted(found, key=lambda t: t.start)


def split_item_target(target: str) -> tuple[str, str]:
    """'item:ID#frag' -> ('ID', '#frag')."""
    rest = target[len(ITEM_SCHEME):]
    ident, hash_, frag = rest.partition("#")
    return ident, (hash_ + frag)


def is_file_target(target: str) -> bool:
    """A target with no scheme and no leading '#' names a file kept in the repository (files/...)."""
    return not target.startswith("#") and not _SCHEME.match(target)


def file_target_path(target: str) -> str:
    """The repository file (relative to content/) a file target names: no query, no fragment, unescaped."""
    return unquote(re.split(r"[?#]", target, maxsplit=1)[0]).lstrip("/")
