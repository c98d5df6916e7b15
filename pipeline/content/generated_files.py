"""Files the pipeline generates into the content repository and the repository commits (CODEOWNERS, the
editor's configuration): a command writes one when it differs from what its generator gives, and a rule
reports a committed one that no longer matches, at its first different line."""
from __future__ import annotations

from pathlib import Path


def write_generated(root: Path, rel: str, text: str) -> bool:
    """Write `text` to `root/rel` unless the file already holds it; True when it was written."""
    target = root / rel
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return True


def stale_line(path: Path, expected: str) -> int | None:
    """The first line at which the committed file differs from `expected` (line endings aside; an unreadable
    file differs from line 1); None when it matches."""
    try:
        committed = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        committed = ""
    if committed == expected:
        return None
    return first_difference(committed, expected)


def first_difference(committed: str, expected: str) -> int:
    a, b = committed.split("\n"), expected.split("\n")
    for index, (left, right) in enumerate(zip(a, b), 1):
        if left != right:
            return index
    return min(len(a), len(b)) + (0 if len(a) == len(b) else 1)
