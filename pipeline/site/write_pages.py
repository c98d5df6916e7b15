"""Writing the planned pages into the staging folder: on every core, and only the bytes that changed.

Each page is rendered on its own (its bytes depend on the plan, never on which process or in
which order it was rendered), so the pages are dealt out to forked worker processes that share
the plan. A page whose bytes equal the file the live site already has is hard-linked from it
instead of written: the previous output is the base of the new one, and the rest of the build
(search partitions, link check) looks only at what `Written.changed` names. A page the build knows
unchanged without rendering it (`keep`: its key is the one the live file was rendered with and no moment
of its has come, `site.build_cache.pages_to_keep`) is linked from the live output and not rendered at all.
The staging folder may already hold some live files (`present`: a spare site pruned by
`site.staging.prune_to`): those count as linked, and one whose bytes change is unlinked before it is
written, since writing through it would change the live site's file.
"""
from __future__ import annotations

import filecmp
import hashlib
import multiprocessing
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pipeline.core.addresses import output_name
from pipeline.core.markdown import HtmlCache, TextNotRenderable
from pipeline.core.published_copy import is_transformed, published_bytes
from pipeline.pages import Page

SMALL_SITE = 400  # pages below which forking costs more than it saves


@dataclass
class Written:
    pages: int = 0  # pages rendered from templates (feeds and redirects excluded)
    changed: set[str] = field(default_factory=set)  # output names written afresh: new, or bytes that differ
    digests: dict[str, str] = field(default_factory=dict)  # output name -> hash of the bytes, searchable pages
    markdown: dict[str, str] = field(default_factory=dict)  # the conversions this build used
    kept: int = 0  # pages linked from the live output without rendering


class RenderFailed(Exception):
    """A page could not be rendered: a bug in the theme or the pipeline, named with the page."""


def workers() -> int:
    override = os.environ.get("GONGKAI_WORKERS", "")
    if override.isdigit() and int(override) > 0:
        return int(override)
    return len(os.sched_getaffinity(0))


def write_pages(pages: list[Page], destination: Path, render: Callable[[Page], str], previous: Path | None,
                cache: HtmlCache | None = None, processes: int | None = None,
                keep: dict[str, str | None] | None = None, present: set[str] | None = None) -> Written:
    """Render `pages` into `destination`; `previous` is the live output to link unchanged files from.
    `cache` is the Markdown cache `render` converts through: what it used is `Written.markdown`.
    `keep` names the pages to link from `previous` without rendering (with their search digests); one
    that cannot be linked (gone, another file system) is rendered like the others. `present` names the
    files `destination` already holds as links of `previous`'s."""
    processes = processes or workers()
    present = present or set()
    kept, pages = _keep(pages, Path(destination), Path(previous) if previous else None, keep or {}, present)
    out = _write(pages, destination, render, previous, cache, processes, present)
    out.pages += kept.pages
    out.digests.update(kept.digests)
    out.kept = kept.kept
    return out


def _keep(pages: list[Page], destination: Path, previous: Path | None,
          keep: dict[str, str | None], present: set[str]) -> tuple[Written, list[Page]]:
    kept, rest = Written(), []
    made: set[Path] = set()
    for page in pages:
        name = output_name(page.url)
        digest = keep.get(name)
        if previous is None or name not in keep or (page.search is not None and digest is None):
            rest.append(page)
            continue
        if name not in present:
            target = destination / name
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            if not _linked(previous / name, target):
                rest.append(page)
                continue
        kept.kept += 1
        kept.pages += page.template is not None
        if page.search is not None:
            kept.digests[name] = digest
    return kept, rest


def _write(pages: list[Page], destination: Path, render: Callable[[Page], str], previous: Path | None,
           cache: HtmlCache | None, processes: int, present: set[str]) -> Written:
    job = _Job(pages, Path(destination), render, Path(previous) if previous else None, cache, present)
    if processes < 2 or len(pages) < SMALL_SITE or "fork" not in multiprocessing.get_all_start_methods():
        return job.run(0, 1)
    global _JOB
    _JOB = job  # how a forked worker receives its job: inherited with the memory, never pickled (closures)
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            parts = pool.starmap(_run_part, [(k, processes) for k in range(processes)])
    finally:
        _JOB = None
    refused = [d for part in parts if isinstance(part, TextNotRenderable) for d in part.diagnostics]
    if refused:
        raise TextNotRenderable(*sorted(set(refused)))
    out = Written()
    for part in parts:
        if isinstance(part, str):
            raise RenderFailed(part)
        out.pages += part.pages
        out.changed |= part.changed
        out.digests.update(part.digests)
        out.markdown.update(part.markdown)
    return out


# The job of the pool write_pages runs, for its forked workers (only _run_part reads it).
_JOB = None


def _run_part(k: int, n: int):
    try:
        return _JOB.run(k, n)
    except RenderFailed as exc:
        return str(exc)  # a message crosses the process boundary whatever the exception held
    except TextNotRenderable as exc:
        return exc  # content, not a bug: its diagnostics (plain data) go back to the build


@dataclass
class _Job:
    pages: list[Page]
    destination: Path
    render: Callable[[Page], str]
    previous: Path | None
    cache: HtmlCache | None
    present: set[str]

    def run(self, k: int, n: int) -> Written:
        out = Written()
        made: set[str] = set()
        for page in self.pages[k::n]:
            name = output_name(page.url)
            try:
                data = (self.render(page) if page.template is not None else page.text()).encode("utf-8")
            except TextNotRenderable:
                raise
            except Exception as exc:
                raise RenderFailed(f"{name}:{exc}") from exc
            if page.template is not None:
                out.pages += 1
            if page.search is not None:
                out.digests[name] = hashlib.blake2b(data, digest_size=16).hexdigest()
            target = self.destination / name
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            if not self._link_unchanged(name, data, target):
                if name in self.present:
                    target.unlink()  # the live site's file
                target.write_bytes(data)
                out.changed.add(name)
        if self.cache is not None:
            out.markdown = self.cache.used  # in a forked worker: its own copy's, merged by write_pages
        return out

    def _link_unchanged(self, name: str, data: bytes, target: Path) -> bool:
        if self.previous is None:
            return False
        old = self.previous / name
        try:
            if old.stat().st_size != len(data) or old.read_bytes() != data:
                return False
            if name not in self.present:
                os.link(old, target)
        except OSError:
            return False  # absent, unreadable, or another file system: write it
        return True


def copy_files(files: list[tuple[Path, str]], destination: Path, previous: Path | None,
               present: set[str] | None = None) -> set[str]:
    """Copy the site's files (published attachments and media, the theme's); one identical to the live
    site's is linked from it. An image is written as `core.published_copy.published_bytes` makes it
    (no EXIF, GPS or text chunks; an SVG only when inert), and it is those bytes that are compared
    with the live file. `present` names the files `destination` already holds as links of `previous`'s.
    Returns the names copied afresh."""
    present = present or set()
    changed = set()
    for source, rel in files:
        target = destination / rel
        old = previous / rel if previous else None
        there = rel in present
        if not there:
            target.parent.mkdir(parents=True, exist_ok=True)
        if is_transformed(rel):
            data = published_bytes(rel, source.read_bytes())
            if not (old is not None and _same_bytes(old, data) and (there or _linked(old, target))):
                if there:
                    target.unlink()  # the live site's file
                target.write_bytes(data)
                changed.add(rel)
        elif not (old is not None and _same_file(source, old) and (there or _linked(old, target))):
            if there:
                target.unlink()
            shutil.copyfile(source, target)
            changed.add(rel)
    return changed


def _linked(old: Path, target: Path) -> bool:
    """Link the live site's file into the new one; False when it cannot be (another file system)."""
    try:
        os.link(old, target)
    except OSError:
        return False
    return True


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _same_file(a: Path, b: Path) -> bool:
    try:
        return filecmp.cmp(a, b, shallow=False)
    except OSError:
        return False
