"""Which file is what: where a file sits under content/ decides whether it is an item, a unit, governance data, …

One function (`classify_path`) for files on disk and paths in Git history alike.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from pipeline.content.types import ASSET_DIR, GOVERNANCE_DIR, GOVERNANCE_FILES, REGISTER_DIR, TYPES_BY_FOLDER, UNIT_FOLDER

ITEM_SUFFIXES = {".md", ".yaml", ".yml"}
# Files that may sit in content/ beside the folders (documentation for editors).
ROOT_FILES = {"README.md", ".gitattributes", ".gitkeep"}

# The paths outside content/ that matter, one list for the changed check's Git scan, its scope and approvals:
# the approvers' file on each forge (GK-OWN-001 checks it, approvals write it and route it to the city tier),
CODEOWNERS_FILES = {"gitlab": ".gitlab/CODEOWNERS", "github": ".github/CODEOWNERS"}
# the browser editor's configuration (generated from the schemas and settings; GK-CMS-001 checks it),
CMS_CONFIG = "ci/cms/config.yml"
# and, in a source checkout, the checker itself: a change to these changes every diagnostic (a whole check).
CHECKER_FOLDERS = ("schemas", "pipeline")
CHECKER_FILES = ("pyproject.toml", "requirements.lock")
# Paths whose changed or untracked files `check --changed-since` looks at besides content/.
OUTSIDE_CONTENT = (*CHECKER_FOLDERS, *CHECKER_FILES, *CODEOWNERS_FILES.values(), CMS_CONFIG)


def outside_role(rel: str) -> str | None:
    """What a repository-relative path outside content/ is to the check: "codeowners", "cms", "checker" or None."""
    if rel in CODEOWNERS_FILES.values():
        return "codeowners"
    if rel == CMS_CONFIG:
        return "cms"
    if rel in CHECKER_FILES or rel.split("/", 1)[0] in CHECKER_FOLDERS and "/" in rel:
        return "checker"
    return None


@dataclass
class ContentFile:
    """A file found under content/, classified by where it sits."""

    path: Path  # absolute
    rel: str  # repository-relative
    kind: str  # "item", "unit", "governance", "asset", "unknown"
    type: str | None = None


def rel_path(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


# --- reading bytes ---------------------------------------------------------


def classify_path(rel: str) -> tuple[str, str | None]:
    """(kind, type) of a repository-relative path: where it sits decides what it is.

    Kinds: item, unit, governance, register (依申请公开台账, never published), asset, root (a documentation file beside the
    folders), unknown (under content/ but nothing the pipeline reads), outside
    (not under content/). Used for files on disk and for paths in Git history alike.
    """
    parts = rel.split("/")
    if parts[0] != "content" or len(parts) < 2:
        return "outside", None
    folder = parts[1] if len(parts) > 2 else None
    name = parts[-1]
    dot = name.rfind(".")
    suffix = name[dot:].lower() if 0 < dot < len(name) - 1 else ""  # PurePosixPath.suffix, without its cost
    if folder == ASSET_DIR:
        return "asset", None
    if folder == GOVERNANCE_DIR and suffix in {".yaml", ".yml"} and len(parts) == 3 \
            and parts[2].rsplit(".", 1)[0] in GOVERNANCE_FILES:
        return "governance", parts[2].rsplit(".", 1)[0]
    if folder == UNIT_FOLDER and suffix in {".yaml", ".yml"}:
        return "unit", "unit"
    if folder == REGISTER_DIR and suffix in {".yaml", ".yml"} and len(parts) == 4:
        return "register", "applications"
    if folder in TYPES_BY_FOLDER and suffix in ITEM_SUFFIXES:
        return "item", TYPES_BY_FOLDER[folder].name
    if len(parts) == 2 and parts[1] in ROOT_FILES:
        return "root", None
    return "unknown", None


def classify(root: Path, path: Path) -> ContentFile:
    rel = rel_path(path, root)
    return ContentFile(path, rel, *classify_path(rel))


def scan(root: Path) -> Iterator[ContentFile]:
    """Every file under content/, in a stable order (deterministic diagnostics and builds)."""
    content = root / "content"
    for dirpath, dirnames, filenames in os.walk(content, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        folder = Path(dirpath)
        # Paths relative to the root built as strings, once per folder: pathlib per file costs 0.5 s per 10,000.
        rel_folder = os.path.relpath(dirpath, root).replace(os.sep, "/")
        for name in sorted(filenames):
            if name.startswith(".") and name not in ROOT_FILES:
                continue
            rel = f"{rel_folder}/{name}"
            yield ContentFile(folder / name, rel, *classify_path(rel))
        # Symlinked folders are not walked; report them like symlinked files.
        for name in list(dirnames):
            if (folder / name).is_symlink():
                yield ContentFile(folder / name, f"{rel_folder}/{name}", "symlink")
