"""The one stable by-id link form written in bodies: `[text](item:ID)`.

Rules resolve these links; the build turns them into URLs. Both use the
patterns here so that they can never disagree.
"""
from __future__ import annotations

import re

# A Markdown link or image target: ](target) or ](target "title")
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
ITEM_SCHEME = "item:"
UNIT_SCHEME = "unit:"


def link_targets(text: str):
    """Yield (offset, target) for every Markdown link/image target in `text`."""
    for match in LINK_TARGET.finditer(text):
        yield match.start(1), match.group(1)


def split_item_target(target: str) -> tuple[str, str]:
    """'item:ID#frag' -> ('ID', '#frag')."""
    rest = target[len(ITEM_SCHEME):]
    ident, hash_, frag = rest.partition("#")
    return ident, (hash_ + frag)


SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def is_file_target(target: str) -> bool:
    """A target with no scheme and no leading '#' names a file kept in the repository (files/...)."""
    return not target.startswith("#") and not SCHEME.match(target)
