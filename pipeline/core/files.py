"""Which repository files an item uses (attachments, media, forms, files linked in its Markdown).

Every such path is written relative to content/ (files/2026/附件1.pdf). One
function lists them, so the path rule, the reference rule, approvals (who
approves a changed attachment) and the build see the same set; `files_published` says which
of them the site publishes (the build copies those and nothing else).
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Iterator

from pipeline.content.loader import Item
from pipeline.core.datasets import withheld_files
from pipeline.core.links import file_target_path, is_file_target, link_targets

# (list key, key inside each entry) of metadata that names repository files.
FILE_KEYS = (("attachments", "file"), ("media", "file"), ("forms", "file"), ("resources", "file"))


@dataclass(frozen=True)
class FileUse:
    written: str  # the path as the editor wrote it
    line: int  # where, in the item's source file

    @property
    def rel(self) -> str:
        """The file it names, relative to content/ (no query or fragment, escapes decoded)."""
        return file_target_path(self.written)


def files_used(item: Item) -> Iterator[FileUse]:
    """Every repository file `item` uses, in source order of metadata then Markdown."""
    for list_key, key in FILE_KEYS:
        entries = item.meta.get(list_key)
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            if isinstance(entry, dict) and isinstance(entry.get(key), str):
                yield FileUse(entry[key], item.line_of(list_key, index, key))
    for text_field in item.markdown_fields():
        for link in link_targets(text_field.text):
            if link.rewritable and is_file_target(link.target):
                yield FileUse(link.target, text_field.line_at(link.start))


def files_published(item: Item) -> list[FileUse]:
    """The files of `item` that the site publishes at their addresses: every file it uses
    (`files_used`) except those it must never publish (a conditional dataset's data resources,
    `datasets.withheld_files`), wherever it names them. The build copies these, and nothing else."""
    withheld = {file_target_path(f) for f in withheld_files(item)}
    return [use for use in files_used(item) if use.rel not in withheld]


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


def asset_users(items) -> dict[str, list[Item]]:
    """Attachment path (relative to content/) -> the items that use it (`files_used`), in the items' order:
    made once, so that asking for each of a repository's attachments reads every item once, not once each."""
    out: dict[str, list[Item]] = {}
    for item in items:
        for rel in dict.fromkeys(use.rel for use in files_used(item)):
            out.setdefault(rel, []).append(item)
    return out


def items_referencing(asset_path: str, users: dict[str, list[Item]], lookup) -> list[Item]:
    """Items that use an attachment (`users`: `asset_users` of every item, the build's own list); failing
    that, the item whose id is the attachment's folder (files/2026/<id>/...)."""
    rel = asset_path.split("/", 1)[1] if asset_path.startswith("content/") else asset_path
    out = list(users.get(rel, ()))
    if not out:
        folder = posixpath.basename(posixpath.dirname(asset_path))
        owner = lookup(folder) if folder else None
        if owner is not None:
            out.append(owner)
    return out
