"""What a REPOSITORY rule's findings read, as one digest: while it is the same, the cached check reuses them.

Every cached finding already depends, as a whole, on the code, the schemas, the governance files, the unit
records, the registers and today's date (pipeline.check.cached's context key). A rule over every item reads
only part of the rest, and says which part through `Rule.inputs`; these helpers make the usual parts.
`signatures` is the cached check's: per file, its kind, type, a hash of its bytes and, for an item, its
status as of the check's `now`.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from pipeline.content.repository import Repository


def digest_of(parts: Iterable[str]) -> str:
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def front_matter(repo: "Repository", signatures: dict[str, tuple]) -> str:
    """Every item's path, status and metadata (its front matter, or the whole of a YAML item), and every
    other file's bytes: what decides which pages the site has and at which addresses. An edit of an
    item's body text leaves it the same."""
    found = repo.__dict__.get("_front_matter_digest")
    if found is None:
        items = {item.path: item for item in repo.items}
        parts = []
        for rel, signature in sorted(signatures.items()):
            item = items.get(rel)
            if item is None:
                parts.append(f"{rel}\n{signature[2]}")
            else:
                parts.append(f"{rel}\n{signature[3]}\n" + "\n".join(item.meta_lines))
        found = repo.__dict__["_front_matter_digest"] = digest_of(parts)
    return found


def file_bytes(repo: "Repository", rels: Iterable[str]) -> list[str]:
    """Files outside content/ (which the scan does not list) by their bytes, or as missing."""
    return [f"{rel}\n{file_digest(repo.root / rel) if (repo.root / rel).is_file() else '-'}" for rel in rels]


def file_digest(path: Path) -> str:
    """The bytes' hash of a file the loader did not read (an attachment, an unknown or too large file)."""
    from pipeline.content.repository import content_digest

    try:
        if path.is_symlink():
            return "link:" + os.readlink(path)
        return content_digest(path.read_bytes())
    except OSError as exc:
        return f"unreadable:{exc.errno}"
