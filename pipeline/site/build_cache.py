"""What one build keeps for the next, under `.cache/gongkai/` of the content repository: converted Markdown,
and the key and next moment of every page of the live output (`load_pages`, `pages_to_keep`, `save_pages`).

A cache only ever saves time. It is keyed by the converter's code and versions (a different one
is ignored as a whole), every entry by the hash of its text; an unreadable or foreign file is
treated as empty, and it is replaced atomically so that an interrupted build leaves the old one.
It is JSON, never pickle: reading it can run no code. Converted Markdown is kept in 256 files by the first
two hex digits of the text's hash (`markdown/<xx>.json`), read as a build asks for them and rewritten only
where it converted something new: a rebuild that renders a few pages reads and writes a few 256ths of it
(one file held 92 MB at 50,000 items, read and written whole by every build). Its entries go onto pages unsanitised, so a
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
MARKDOWN_DIR = "markdown"
OLD_MARKDOWN_FILE = "markdown.json"  # the one-file cache of earlier versions: removed when shards are written
SHARDS = [f"{k:02x}" for k in range(256)]
PAGES_VERSION = 2


def cache_dir(root: Path) -> Path:
    return cache_folder(root)


class ShardedEntries:
    """Cached conversions by the hash of their text, a shard read the first time a key of it is asked for
    (in a forked render worker, by that worker). A shard of another converter version, unreadable or not
    of the expected shape counts as empty."""

    def __init__(self, folder: Path | None, version: str):
        self.folder, self.version = folder, version
        self.shards: dict[str, dict[str, str]] = {}

    def shard(self, name: str) -> dict[str, str]:
        if name not in self.shards:
            self.shards[name] = self._read(name)
        return self.shards[name]

    def _read(self, name: str) -> dict[str, str]:
        if self.folder is None:
            return {}
        try:
            data = json.loads((self.folder / f"{name}.json").read_bytes())
        except (OSError, ValueError):  # absent, truncated, or written by something else
            return {}
        if not isinstance(data, dict):
            return {}
        entries = data.get("entries")
        if data.get("version") != self.version or not isinstance(entries, dict) or \
                not all(isinstance(k, str) and k[:2] == name and isinstance(v, str) for k, v in entries.items()):
            return {}
        return entries

    def get(self, key: str, default=None):
        return self.shard(key[:2]).get(key, default)


def load_markdown(root: Path) -> HtmlCache:
    folder = cache_dir(root) / MARKDOWN_DIR
    return HtmlCache(entries=ShardedEntries(folder if trusted(root) and folder.is_dir() else None,
                                            converter_version()))


def save_markdown(root: Path, cache: HtmlCache, kept_pages: bool = False) -> None:
    """Keep what this build used. Texts no longer on the site drop out at a build that rendered every page
    (every shard rewritten); one that kept pages unrendered keeps the earlier entries too (their texts are
    on those pages, and the next build that renders them finds them here), rewriting only the shards it
    added to. Each shard is replaced atomically."""
    if not trusted(root):
        return
    folder = cache_dir(root) / MARKDOWN_DIR
    version = converter_version()
    used: dict[str, dict[str, str]] = {}
    for key, html in cache.used.items():
        used.setdefault(key[:2], {})[key] = html
    entries = cache.entries if isinstance(cache.entries, ShardedEntries) else ShardedEntries(None, version)
    if kept_pages:
        for name, new in used.items():
            old = entries.shard(name)
            if not new.keys() <= old.keys():  # a key names its text: a known key holds the same conversion
                _write_json(folder, f"{name}.json", {"version": version, "entries": {**old, **new}})
    else:
        for name in SHARDS:
            if name in used:
                _write_json(folder, f"{name}.json", {"version": version, "entries": used[name]})
            else:
                (folder / f"{name}.json").unlink(missing_ok=True)
    (cache_dir(root) / OLD_MARKDOWN_FILE).unlink(missing_ok=True)


def _write_json(folder: Path, name: str, data: dict) -> None:
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


@dataclass
class LiveSite:
    """What the build that made the live output recorded: the moment it was built as of, its pages' records
    and every file it wrote besides its search bundle (pages and copied files)."""

    built_at: datetime
    pages: dict[str, PageRecord]
    files: frozenset[str]


def save_pages(root: Path, output: Path, identity: list[int], now: datetime, records: dict[str, PageRecord],
               files: set[str]) -> None:
    """Record what the output folder `identity` just swapped in was rendered from, as of `now`, and the
    files it holds (`files`: the search bundle aside)."""
    if not trusted(root):
        return
    _write_json(cache_dir(root), _pages_file(output), {
        "version": PAGES_VERSION, "output": identity, "now": now.isoformat(),
        "pages": {name: [r.key, r.changes_at, r.search] for name, r in records.items()}, "files": sorted(files)})


def load_pages(root: Path, output: Path) -> LiveSite | None:
    """The records of the live `output`; None when there are none that describe this very folder (first
    build, another build's output, a damaged or foreign file)."""
    path = cache_dir(root) / _pages_file(output)
    if not trusted(root) or not path.is_file():
        return None
    try:
        data = json.loads(path.read_bytes())
        if data["version"] != PAGES_VERSION or data["output"] != _identity(output):
            return None
        files = data["files"]
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            return None
        return LiveSite(datetime.fromisoformat(data["now"]), {
            name: PageRecord(key, changes_at, search) for name, (key, changes_at, search) in data["pages"].items()},
            frozenset(files))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def pages_to_keep(previous: LiveSite | None, keys: dict[str, str | None], now: datetime) -> dict[str, str | None]:
    """The pages the live output already holds as this build would render them: the same key, and no moment
    of theirs reached between the build that wrote them and `now`. Name -> its search digest.
    A build as of an earlier moment than the live output's keeps nothing (what time changed cannot be undone
    page by page: a page only knows its next change)."""
    if previous is None:
        return {}
    built_at, records = previous.built_at, previous.pages
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
