"""A build split across runners: `gongkai build --shard K/N` writes a disjoint part of the site, and
`gongkai build --merge` assembles the parts into the output a single build gives, byte for byte.

Every shard checks the repository and plans the whole site (planning is cheap, and it makes every
page's bytes independent of the shard that writes it), then renders only its pages: a searchable
page goes with its search part (a part is indexed whole by one shard), every other page and file
by a hash of its address. The merge refuses shards of different plans or a missing shard, takes
each file once (a file two shards both write must be identical), writes the
list of search parts, link-checks the whole site and swaps it in atomically.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from datetime import datetime
from pathlib import Path

from pipeline.core.addresses import output_name
from pipeline.content.repository import Repository
from pipeline.site.build import BuildResult, link_check_and_swap, run_build, swap
from pipeline.site.build_plan import SiteBuild
from pipeline.site.search import BUNDLE_DIR, MANIFEST
from pipeline.site.stages import Stages
from pipeline.site.staging import staging_folder

SHARD_FILE = ".gongkai-shard.json"  # in a shard's folder, never in the merged site


class ShardError(Exception):
    """Shards that do not make one site: said in Chinese, exit 1, output/ untouched."""


def parse_shard(text: str) -> tuple[int, int]:
    """`K/N` with 1 ≤ K ≤ N (GitLab's CI_NODE_INDEX/CI_NODE_TOTAL)."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise ValueError(f"分片应写成 K/N,且 1 ≤ K ≤ N,如 1/2;收到「{text}」")
    return int(match[1]), int(match[2])


def _bucket(key: str, n: int) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big") % n


def shard_of_page(page, n: int) -> int:
    """0-based shard of a page: its search part's, or its address's hash."""
    if page.search is not None:
        return int(page.search) % n
    return _bucket(page.url, n)


def plan_fingerprint(build: SiteBuild, now: datetime) -> str:
    """What every shard of one build agrees on: the moment and the whole list of pages and files."""
    h = hashlib.blake2b(digest_size=16)
    h.update(now.isoformat().encode())
    for page in build.pages:
        h.update(f"\n{output_name(page.url)} {page.search}".encode())
    for _, rel in build.files:
        h.update(f"\nfile {rel}".encode())
    return h.hexdigest()


def build_shard(repo: Repository, destination: Path, now: datetime, k: int, n: int,
                stages: Stages | None = None) -> BuildResult:
    """Shard `k` of `n` (1-based) into `destination` (replaced). Returns the BuildResult."""
    fingerprint = ""

    def select(build: SiteBuild) -> None:
        nonlocal fingerprint
        fingerprint = plan_fingerprint(build, now)  # of the whole plan, before it is cut
        build.pages = [p for p in build.pages if shard_of_page(p, n) == k - 1]
        build.files = [(src, rel) for src, rel in build.files if _bucket(rel, n) == k - 1]

    def mark_and_swap(staging: Path, build: SiteBuild, result: BuildResult) -> bool:
        # No link check: a shard's pages link to pages of other shards; the merge checks the whole site.
        (staging / SHARD_FILE).write_text(json.dumps({"shard": k, "of": n, "plan": fingerprint}), encoding="utf-8")
        with result.stages.stage("swap"):
            swap(staging, destination)
        return True

    return run_build(repo, destination, now, stages, finish=mark_and_swap, select=select)


def merge_shards(repo: Repository, shards: list[Path], output: Path, stages: Stages | None = None) -> BuildResult:
    """Assemble shard folders into `output` (swapped in atomically when the merged site's links hold)."""
    stages = stages or Stages()
    result = BuildResult(stages=stages)
    marks = [_shard_mark(Path(s)) for s in shards]
    n = {m["of"] for m in marks}
    plans = {m["plan"] for m in marks}
    if len(n) != 1 or len(plans) != 1:
        raise ShardError("这些分片不属于同一次构建(分片数或构建计划不同),请用同一提交、同一 --now 重新构建。")
    total = n.pop()
    have = sorted(m["shard"] for m in marks)
    if have != list(range(1, total + 1)):
        missing = sorted(set(range(1, total + 1)) - set(have))
        raise ShardError(f"分片不全:共 {total} 片,缺少第 {'、'.join(map(str, missing)) or '?'} 片(或有重复)。")
    output = Path(output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    with staging_folder(output) as staging:
        with stages.stage("merge"):
            parts = []
            for shard in shards:
                _take(Path(shard), staging)
                parts += _manifest(Path(shard))
            parts.sort(key=lambda p: int(p["id"]))
            (staging / BUNDLE_DIR).mkdir(exist_ok=True)
            (staging / BUNDLE_DIR / MANIFEST).write_text(
                json.dumps({"partitions": parts}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        result.pages = sum(1 for _ in staging.rglob("*.html"))
        result.search_parts = len(parts)
        if not link_check_and_swap(repo, staging, output, result):
            return result
    result.output = output
    return result


def _shard_mark(folder: Path) -> dict:
    try:
        mark = json.loads((folder / SHARD_FILE).read_text(encoding="utf-8"))
        assert isinstance(mark["shard"], int) and isinstance(mark["of"], int) and isinstance(mark["plan"], str)
        return mark
    except (OSError, ValueError, KeyError, TypeError, AssertionError):
        raise ShardError(f"{folder} 不是 gongkai build --shard 写出的分片目录(缺少 {SHARD_FILE})。") from None


def _manifest(folder: Path) -> list[dict]:
    path = folder / BUNDLE_DIR / MANIFEST
    return json.loads(path.read_text(encoding="utf-8"))["partitions"] if path.is_file() else []


def _take(shard: Path, staging: Path) -> None:
    manifest = (shard / BUNDLE_DIR / MANIFEST).as_posix()
    for folder, _, names in os.walk(shard):
        for name in names:
            source = Path(folder) / name
            if source.as_posix() == manifest:
                continue
            rel = source.relative_to(shard)
            if rel.as_posix() == SHARD_FILE:
                continue
            target = staging / rel
            if target.exists():
                if target.read_bytes() != source.read_bytes():
                    raise ShardError(f"两个分片写出了不同的 {rel.as_posix()}:请确认各分片用同一版本构建。")
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)
