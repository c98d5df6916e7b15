"""What one build keeps for the next, under `.cache/gongkai/` of the content repository: converted Markdown,
and the key and next moment of every page of the live output (`load_pages`, `pages_to_keep`, `save_pages`).

A cache only ever saves time. It is keyed by the converter's code and versions (a different one
is ignored as a whole), every entry by the hash of its text; an unreadable or foreign file is
treated as empty, and it is replaced atomically so that an interrupted build leaves the old one.
It is JSON, never pickle: reading it can run no code. Its entries go onto pages unsanitised, so a
cache that arrives with the content (a `.cache/` committed to the repository) is never read; CI
keeps the folder between pipelines of the same protected branch only (`.gitlab-ci.yml`).
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipeline.core.markdown import HtmlCache, converter_version
from pipeline.content.parse_cache import cache_folder, trusted
MARKDOWN_FILE = "markdown.json"
PAGES_VERSION = 1


def cache_dir(root: Path) -> Path:
    return cache_folder(root)


def load_markdown(root: Path) -> HtmlCache:
    path = cache_dir(root) / MARKDOWN_FILE
    if not path.is_file() or not trusted(root):
        return HtmlCache()
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):  # truncated, or written by something else: start afresh
        return HtmlCache()
    entries = data.get("entries") if isinstance(data, dict) else None
    if data.get("version") != converter_version() or not isinstance(entries, dict) or \
            not all(isinstance(v, str) for v in entries.values()):
        return HtmlCache()
    return HtmlCache(entries=entries)


def save_markdown(root: Path, cache: HtmlCache, kept_pages: bool = False) -> None:
    """Keep what this build used, replacing the file atomically. Texts no longer on the site drop out at
    a build that rendered every page; one that kept pages unrendered keeps the earlier entries too (their
    texts are on those pages, and the next build that renders them finds them here)."""
    if not trusted(root):
        return
    entries = {**cache.entries, **cache.used} if kept_pages else cache.used
    _write_json(root, MARKDOWN_FILE, {"version": converter_version(), "entries": entries})


def _write_json(root: Path, name: str, data: dict) -> None:
    folder = cache_dir(root)
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(json.dumps(data, ensure_ascii=False))  # json.dump encodes in Python, chunk by chunk: 4x slower
        os.replace(tmp, folder / name)
    except OSError:
        if tmp:
            Path(tmp).unlink(missing_ok=True)  # a read-only checkout builds as fast as a cold one, never fails


# --- pages: what the live output was rendered from ----------------------------------------------------

@dataclass(frozen=True)
class PageRecord:
    key: str | None  # `site.build_plan.page_keys`: None, rendered every time
    changes_at: str | None  # ISO instant: from then on time alone changes the page
    search: str | None  # the hash of its bytes, for a searchable page (the search parts' fingerprints)


def _pages_file(output: Path) -> str:
    """One record per output folder: a build with `--output` elsewhere keeps its own."""
    return f"pages-{hashlib.sha256(str(Path(output).resolve()).encode()).hexdigest()[:16]}.json"


def folder_identity(st: os.stat_result) -> list[int]:
    """Which folder records describe: each build's output is a new folder (its staging folder, renamed into
    place, which sets its change time), so another build's output in its place (a merge, a build with the
    cache off, a later build that won the swap) never matches, even on an inode number used again."""
    return [st.st_dev, st.st_ino, st.st_ctime_ns]


def _identity(output: Path) -> list[int]:
    return folder_identity(os.stat(output))


def save_pages(root: Path, output: Path, identity: list[int], now: datetime, records: dict[str, PageRecord]) -> None:
    """Record what the output folder `identity` just swapped in was rendered from, as of `now`."""
    if not trusted(root):
        return
    _write_json(root, _pages_file(output), {
        "version": PAGES_VERSION, "output": identity, "now": now.isoformat(),
        "pages": {name: [r.key, r.changes_at, r.search] for name, r in records.items()}})


def load_pages(root: Path, output: Path) -> tuple[datetime, dict[str, PageRecord]] | None:
    """The records of the live `output` and the moment it was built as of; None when there are none that
    describe this very folder (first build, another build's output, a damaged or foreign file)."""
    path = cache_dir(root) / _pages_file(output)
    if not trusted(root) or not path.is_file():
        return None
    try:
        data = json.loads(path.read_bytes())
        if data["version"] != PAGES_VERSION or data["output"] != _identity(output):
            return None
        return datetime.fromisoformat(data["now"]), {
            name: PageRecord(key, changes_at, search) for name, (key, changes_at, search) in data["pages"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def pages_to_keep(previous: tuple[datetime, dict[str, PageRecord]] | None, keys: dict[str, str | None],
                  now: datetime) -> dict[str, str | None]:
    """The pages the live output already holds as this build would render them: the same key, and no moment
    of theirs reached between the build that wrote them and `now`. Name -> its search digest.
    A build as of an earlier moment than the live output's keeps nothing (what time changed cannot be undone
    page by page: a page only knows its next change)."""
    if previous is None:
        return {}
    built_at, records = previous
    if now < built_at:
        return {}
    kept = {}
    for name, key in keys.items():
        record = records.get(name)
        if record is None or key is None or record.key != key:
            continue
        if record.changes_at is not None and now >= datetime.fromisoformat(record.changes_at):
            continue
        kept[name] = record.search
    return kept
