"""References from items to files kept in the repository (attachments, media, forms).

Every such path is written relative to content/ (files/2026/附件1.pdf). One
function lists them, so the path rule, the reference rule and the build see
the same set.
"""
from __future__ import annotations

from pathlib import PurePosixPath

from .content import Item
from .links import is_file_target, link_targets

# (list key, key inside each entry) of metadata that names repository files.
FILE_KEYS = (("attachments", "file"), ("media", "file"), ("forms", "file"))


def file_references(item: Item):
    """Yield (path_as_written, line) for every repository file an item uses."""
    for list_key, key in FILE_KEYS:
        entries = item.meta.get(list_key)
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            if isinstance(entry, dict) and isinstance(entry.get(key), str):
                yield entry[key], item.line_of(list_key, index, key)
    if item.body:
        for offset, target in link_targets(item.body):
            if is_file_target(target):
                yield target, item.body_line + item.body.count("\n", 0, offset)


def unsafe_reason(path: str) -> str | None:
    """Why a written path could leave the repository, or None when it stays inside content/."""
    if "\\" in path:
        return "路径中不能用反斜杠 \\,请用 /"
    pure = PurePosixPath(path)
    if pure.is_absolute() or path.startswith("~"):
        return "不能使用绝对路径"
    if ".." in pure.parts:
        return "不能包含 ..(指向仓库之外或其他目录)"
    return None
