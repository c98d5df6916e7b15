"""What one build keeps for the next: converted Markdown, under `.cache/gongkai/` of the content repository.

A cache only ever saves time. It is keyed by the converter's code and versions (a different one
is ignored as a whole), every entry by the hash of its text; an unreadable or foreign file is
treated as empty, and it is replaced atomically so that an interrupted build leaves the old one.
It is JSON, never pickle: reading it can run no code. Its entries go onto pages unsanitised, so a
cache that arrives with the content (a `.cache/` committed to the repository) is never read; CI
keeps the folder between pipelines of the same protected branch only (`.gitlab-ci.yml`).
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from pipeline.core.markdown import HtmlCache, converter_version
from pipeline.content.parse_cache import cache_folder, trusted
MARKDOWN_FILE = "markdown.json"


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


def save_markdown(root: Path, cache: HtmlCache) -> None:
    """Keep what this build used (texts no longer on the site drop out), replacing the file atomically."""
    if not trusted(root):
        return
    folder = cache_dir(root)
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".markdown-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"version": converter_version(), "entries": cache.used}, f, ensure_ascii=False)
        os.replace(tmp, folder / MARKDOWN_FILE)
    except OSError:
        if tmp:
            Path(tmp).unlink(missing_ok=True)  # a read-only checkout builds as fast as a cold one, never fails
