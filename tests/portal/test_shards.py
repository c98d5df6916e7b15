"""A build split across runners (issue 14): shards of the demo merged into one output must be, byte for
byte, what one build gives; a merge of shards that do not make one site is refused."""
from __future__ import annotations

import shutil

import pytest

from pipeline.content.repository import load_repository
from pipeline.site.shards import ShardError, build_shard, merge_shards, parse_shard

from .conftest import DEMO_NOW, build, tree_hash, when

SETTINGS = "search:\n  pages_per_part: 100\n"  # three search parts, so that shards index different ones


@pytest.fixture(scope="module")
def repo_root(demo_root, tmp_path_factory):
    root = tmp_path_factory.mktemp("sharded") / "repo"
    shutil.copytree(demo_root / "content", root / "content")
    (root / "content" / "governance" / "settings.yaml").write_text(SETTINGS, encoding="utf-8")
    return root


def shards(root, folder, n, now=DEMO_NOW):
    moment = when(now)
    out = []
    for k in range(1, n + 1):
        result = build_shard(load_repository(root, now=moment), folder / f"shard-{k}", moment, k, n)
        assert result.ok, [d.message for d in result.diagnostics if d.severity.value == "error"]
        out.append(result)
    return out


@pytest.mark.parametrize("n", [2, 3])
def test_merged_shards_are_the_full_build(repo_root, tmp_path, n):
    full = build(repo_root, tmp_path / "full", DEMO_NOW)
    parts = shards(repo_root, tmp_path, n)
    pages = [r.pages for r in parts]
    assert all(pages) and sum(pages) == full.result.pages, pages  # disjoint, and nothing left out
    merged = merge_shards(load_repository(repo_root, items=False), [r.output for r in parts], tmp_path / "merged")
    assert merged.ok and merged.search_parts == full.result.search_parts == 3
    a, b = tree_hash(full.output), tree_hash(merged.output)
    assert a == b, sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))[:10]


def test_a_missing_or_foreign_shard_is_refused(repo_root, tmp_path):
    parts = shards(repo_root, tmp_path / "a", 2)
    root = load_repository(repo_root, items=False)
    with pytest.raises(ShardError, match="缺少第 2 片"):
        merge_shards(root, [parts[0].output], tmp_path / "out")
    later = shards(repo_root, tmp_path / "b", 2, now="2026-11-27 09:00")
    with pytest.raises(ShardError, match="不属于同一次构建"):
        merge_shards(root, [parts[0].output, later[1].output], tmp_path / "out")
    assert not (tmp_path / "out").exists()
    with pytest.raises(ShardError, match="不是 gongkai build --shard"):
        merge_shards(root, [parts[0].output, tmp_path], tmp_path / "out")


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b", ""])
def test_shard_numbers_are_checked(text):
    with pytest.raises(ValueError, match="K/N"):
        parse_shard(text)
