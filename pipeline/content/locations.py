"""Where a unit's files live in the content repository: its own folder in each type folder.

    content/news/gjj/xw-2026-0415.md           a news item of 公积金中心
    content/files/gjj/2026/xw-2026-0415/图1.jpg  an attachment it uses

A path's owner is then the folder it sits in, so the forge's approval routing (CODEOWNERS: one
pattern per unit, `/content/*/gjj/`) needs no change when items are added, renamed or deleted.
`gongkai new` writes here, the check says when an item sits in another unit's folder, and the
CODEOWNERS generator writes one pattern per unit. Items and attachments outside any unit folder
(the older layout, content/news/xw-1.md) still work: CODEOWNERS lists them one by one.
"""
from __future__ import annotations

from pipeline.content.types import ASSET_DIR, REGISTER_DIR, TYPES, TYPES_BY_FOLDER


def unit_folder_of(rel: str, units) -> str | None:
    """The unit whose folder holds `rel` (repository-relative), or None outside every unit folder.

    `units` is the set (or mapping) of known unit ids: a sub-folder that is not a unit's id
    (content/files/2026/...) is not a unit folder.
    """
    parts = rel.split("/")
    if len(parts) < 4 or parts[0] != "content":
        return None
    if parts[1] not in TYPES_BY_FOLDER and parts[1] not in (ASSET_DIR, REGISTER_DIR):
        return None
    return parts[2] if parts[2] in units else None


def item_home(type_name: str, unit: str, item_id: str, suffix: str = ".md") -> str:
    """Where a new item of `unit` is written (repository-relative)."""
    return f"content/{TYPES[type_name].folder}/{unit}/{item_id}{suffix}"


def attachment_folder(unit: str, year: int, item_id: str) -> str:
    """Where the attachments of a new item go, relative to content/ (as items write file paths)."""
    return f"{ASSET_DIR}/{unit}/{year}/{item_id}/"


def codeowners_pattern(unit: str) -> str:
    """The one CODEOWNERS pattern for everything in `unit`'s folders (GitLab and GitHub alike)."""
    return f"/content/*/{unit}/"
