"""`gongkai build`: check, then Pelican, then an atomic swap into output/.

A failed check, a failed render or a broken internal link leaves the
previous output/ untouched: Pelican writes into a temporary sibling directory
that is link-checked and replaces output/ only when everything succeeded.

The live output/ is the base of the next build: a page, file or search part
whose bytes do not change is hard-linked from it, and only what changed is
indexed and link-checked (`pipeline.site.write_pages`, `pipeline.site.search`),
so the result is byte for byte what a build from nothing gives. A page whose
dependencies' hashes are those the live one was rendered from, and whose next
moment has not come, is not even rendered (`pipeline.site.build_cache`).
"""
from __future__ import annotations

import contextlib
import errno
import io
import logging
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from pipeline.check.cached import check_repository_cached
from pipeline.core.addresses import output_name
from pipeline.core.markdown import TextNotRenderable
from pipeline.diagnostics import Diagnostic, has_errors
from pipeline.content.repository import Repository, collector_paused
from pipeline.resources import pelican_settings, plugin_dir, theme_dir
from pipeline.site.build_cache import (PageRecord, folder_identity, load_markdown, load_pages, pages_to_keep,
                                       save_markdown, save_pages)
from pipeline.site.build_plan import SiteBuild, page_keys, plan_site
from pipeline.site.stages import Stages
from pipeline.site.staging import keep_spare, prune_to, staging_folder, swap_lock, take_spare
from pipeline.site.search import BUNDLE_DIR, PagefindMissing, SearchIndexError, index_site, pagefind_binary
from pipeline.site.internal_links import SiteIndex, check_links, parse_page

PELICANCONF = pelican_settings()
THEME_DIR = theme_dir()
PLUGIN_DIR = plugin_dir()


class BuildError(Exception):
    """Rendering failed after a clean check: a bug in the theme or plugins, not in content."""


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    output: Path | None = None
    pages: int = 0
    changed: int = 0  # files written afresh; the others are linked unchanged from the previous output
    kept: int = 0  # pages linked from the previous output without being rendered
    search_parts: int = 0
    reindexed: list[str] = field(default_factory=list)  # the search parts Pagefind indexed again
    stages: Stages = field(default_factory=Stages)

    @property
    def ok(self) -> bool:
        return self.output is not None


def build_site(repo: Repository, output: Path, now: datetime, stages: Stages | None = None) -> BuildResult:
    """The whole site into `output`, swapped in when its internal links hold."""

    def link_check(staging: Path, build: SiteBuild, result: BuildResult) -> bool:
        with result.stages.stage("linkcheck"):  # listing both sites is the link check's work too
            # What the staging folder holds besides the search bundle is what this build wrote and kept: every
            # output name (`site.staging.prune_to` left nothing else in a spare), so it is not listed again.
            index = SiteIndex(staging, skip=(BUNDLE_DIR,), files=output_names(build))
            pages = _pages_to_link_check(index, build, build.previous)
        return link_check_and_swap(repo, staging, output, result, index, pages)

    return run_build(repo, output, now, stages, finish=link_check)


def run_build(repo: Repository, destination: Path, now: datetime, stages: Stages | None, *,
              finish: Callable[[Path, SiteBuild, BuildResult], bool],
              select: Callable[[SiteBuild], None] | None = None) -> BuildResult:
    """The one sequence of a build and of a shard: check (an error stops it), plan, `select` the part of
    the plan to write (all of it by default), render into a staging folder beside `destination`, index,
    then `finish` (link check and swap, or a shard's mark and swap); False from it leaves `destination`
    as it was. A live `destination` is the base: unchanged bytes are linked from it."""
    stages = stages or Stages()
    with stages.stage("check"):
        diagnostics = check_repository_cached(repo)  # the whole check's diagnostics, at the change's cost
    result = BuildResult(diagnostics=diagnostics, stages=stages)
    if has_errors(diagnostics):
        return result
    destination = Path(destination).resolve()
    destination.parent.mkdir(parents=True, exist_ok=True)
    pagefind_binary(repo.root)  # a missing tool is a set-up error said before any work (PagefindMissing)
    # Locked while this build runs; a killed build's folder is removed by the next one (site.staging).
    with staging_folder(destination) as staging:
        try:
            with stages.stage("plan"), collector_paused():  # the catalogue, every page's address and dependencies
                build = plan_site(repo, now, THEME_DIR, load_markdown(repo.root))
                build.previous = destination if destination.is_dir() else None
                if select is not None:
                    select(build)
                keys = page_keys(build, THEME_DIR)
                if build.previous is not None:
                    live = load_pages(repo.root, destination)
                    build.kept = pages_to_keep(live, keys, now)
                    build.live_files = live.files if live is not None else None
            with stages.stage("render"):  # Markdown, templates and writing the files (Pelican and the plugin)
                if build.previous is not None and take_spare(destination, staging):
                    # The site the last swap retired, less what differs from the live one: only the
                    # change's files and folders are made (site.staging).
                    build.present = prune_to(staging, destination, output_names(build), keep=(BUNDLE_DIR,))
                result.pages = run_pelican(build, repo, staging)
                build.markdown_cache.used = build.written.markdown
                save_markdown(repo.root, build.markdown_cache, kept_pages=build.written.kept > 0)
        except PagefindMissing:
            raise  # a set-up problem (ECharts not installed) the command reports as such
        except Exception as exc:
            refused = _refused_texts(exc)
            if refused is None:
                raise BuildError(f"渲染网站失败:{exc}") from exc
            # A text the renderer refused is content, reported like the check's findings (the check
            # reports the same limits, so this is only a shape its scan does not measure).
            shutil.rmtree(staging, ignore_errors=True)
            result.diagnostics = result.diagnostics + list(refused.diagnostics)
            return result
        try:
            with stages.stage("index"):
                indexed = index_site(staging, search_partitions(build), build.written.digests, build.previous,
                                     repo.root, build.written.changed)
            result.changed, result.reindexed = len(build.written.changed), indexed.indexed
            result.search_parts = len(indexed.indexed) + len(indexed.reused)
        except PagefindMissing:
            raise
        except SearchIndexError as exc:
            raise BuildError(str(exc)) from exc
        ours = os.stat(staging)
        if not finish(staging, build, result):
            return result
    result.output = destination
    result.kept = build.written.kept
    live = os.stat(destination)
    if (live.st_dev, live.st_ino) == (ours.st_dev, ours.st_ino):  # not already replaced by a build that ran alongside
        save_pages(repo.root, destination, folder_identity(live), now, {
            output_name(p.url): PageRecord(keys[output_name(p.url)],
                                           p.changes_at.isoformat() if p.changes_at is not None else None,
                                           build.written.digests.get(output_name(p.url)))
            for p in build.pages}, output_names(build))
    return result


def _refused_texts(exc: BaseException) -> "TextNotRenderable | None":
    """The TextNotRenderable behind `exc` (Pelican and the plugin wrap what the generator raised), if any."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, TextNotRenderable):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def link_check_and_swap(repo: Repository, staging: Path, output: Path, result: BuildResult,
                        index: SiteIndex | None = None, pages: list[str] | None = None) -> bool:
    """The last step of every build: link-check the staging folder (`pages`, or all), then swap it in.
    Broken links add their diagnostics to `result`, remove the staging folder and leave output/ as it was."""
    with result.stages.stage("linkcheck"):
        broken = check_links(staging, own_hosts=_own_hosts(repo), prefix=_display_prefix(repo, output),
                             index=index, pages=pages, parallel=True)
    result.diagnostics = result.diagnostics + broken
    if has_errors(broken):
        shutil.rmtree(staging, ignore_errors=True)
        return False
    with result.stages.stage("swap"):
        swap(staging, output)
    return True


def output_names(build: SiteBuild) -> set[str]:
    """Every file the writers put in the staging folder (the search bundle and a shard's mark aside)."""
    return {output_name(p.url) for p in build.pages} | {rel for _, rel in build.files}


def search_partitions(build: SiteBuild) -> dict[str, list[str]]:
    parts: dict[str, list[str]] = {}
    for page in build.pages:
        if page.search is not None:
            parts.setdefault(page.search, []).append(output_name(page.url))
    return parts


def _pages_to_link_check(index: SiteIndex, build: SiteBuild, previous: Path | None) -> list[str] | None:
    """The pages whose links can have changed since the live site passed this check; None for all of them.

    A page linked unchanged from the live site names what it named there, where it all existed: its
    links can break only if a file of the site went away or a rewritten page lost an anchor.
    """
    if previous is None:
        return None
    planned = {output_name(p.url) for p in build.pages}
    changed = build.written.changed
    if 2 * len(changed) > len(index.pages):
        return None  # most pages changed (a template, the site's settings): comparing anchors would cost more
    # Its search bundle's files are named by their hashes and linked from no page; its other files are
    # those the build that made it recorded, when that record describes this very folder.
    before = SiteIndex(previous, skip=(BUNDLE_DIR,), files=build.live_files)
    if any(f not in index.files for f in before.files):
        return None
    for name in changed:
        if name.endswith(".html") and name in before.files:
            if not before.page(name)[1] <= parse_page((index.output / name).read_bytes())[1]:
                return None
    return [p for p in index.pages if p in changed or p not in planned]


def _own_hosts(repo: Repository) -> list[str]:
    domain = repo.site.get("domain")
    return [domain] if isinstance(domain, str) and domain else []


def _display_prefix(repo: Repository, output: Path) -> str:
    """How diagnostics name a page of the new site: as it will sit in output/, relative to the repository when inside it."""
    try:
        return output.relative_to(repo.root).as_posix() + "/"
    except ValueError:
        return output.as_posix() + "/"


def run_pelican(build: SiteBuild, repo: Repository, destination: Path) -> int:
    """Pelican hosts the writing: its run calls the plugin's generator, which writes `build` into
    `destination` and leaves what it wrote in `build.written` (a run returns nothing). Returns the pages."""
    from pelican import Pelican
    from pelican.settings import read_settings

    logging.getLogger("pelican").setLevel(logging.ERROR)
    settings = read_settings(str(PELICANCONF), override={
        "PATH": str(repo.root / "content"),
        "OUTPUT_PATH": str(destination),
        "THEME": str(THEME_DIR),
        "PLUGIN_PATHS": [str(PLUGIN_DIR)],
    })
    pelican = Pelican(settings)
    pelican.gongkai_build = build  # the plugin's one input (plugins/gongkai_portal)
    with contextlib.redirect_stdout(io.StringIO()):  # Pelican's article/page summary means nothing here
        pelican.run()
    return build.written.pages


def swap(staging: Path, output: Path) -> None:
    """Put the staging folder in place of `output` by renames: a reader sees the old site or the new one.
    Two builds finishing at once swap one after the other (`site.staging.swap_lock`): the later one wins."""
    os.chmod(staging, 0o755)
    with swap_lock(output):
        _swap(staging, output)


def _swap(staging: Path, output: Path) -> None:
    if output.exists():
        retired = output.with_name(f".{output.name}.old-{staging.name.rsplit('-', 1)[-1]}")  # unique like the staging dir
        os.rename(output, retired)
        try:
            os.rename(staging, output)
        except BaseException:
            os.rename(retired, output)  # put the previous site back
            raise
        keep_spare(retired, output)  # the next build's base; the spare it replaces is removed in the background
    else:
        os.rename(staging, output)


# The runner's own faults, not the content's nor the pipeline's: the disk is full, failing, or not ours to
# write. They can surface anywhere in a build (a page, a copied file, the cache, the staging folder), often
# wrapped by Pelican or the plugin, so the command looks for them along the chain of causes.
NO_SPACE = {errno.ENOSPC, errno.EDQUOT}
IO_FAILURE = {errno.EIO}
NO_PERMISSION = {errno.EACCES, errno.EPERM, errno.EROFS}


def runner_fault(exc: BaseException) -> OSError | None:
    """The OSError of the runner's own making behind `exc` (no space, I/O error, no permission), if any."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in NO_SPACE | IO_FAILURE | NO_PERMISSION:
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def runner_fault_message(fault: OSError, output: Path) -> str:
    """What the person running the build reads: what happened, where, and what to do."""
    where = fault.filename or output
    if fault.errno in NO_SPACE:
        what = f"磁盘空间不足(或超出配额),无法写入 {where}。请清理构建机器的磁盘或加大配额后重新构建"
    elif fault.errno in IO_FAILURE:
        what = f"读写 {where} 时发生输入/输出错误(磁盘或网络存储故障)。请检查构建机器的磁盘后重新构建"
    else:
        what = (f"没有权限读写 {where}。请检查该目录的所有者和权限:构建要在输出目录 {output} 的上一级目录中"
                f"新建临时目录再替换输出目录,然后重新构建")
    return f"构建失败:{what}。原有网站未被改动(这是运行环境问题,不是内容问题)。"
