"""The sharded build (issue 14) as GitLab runs it: ci/build-shards.gitlab-ci.yml under gitlab-ci-local,
two `parallel` shard jobs feeding the merge job, whose output/ must be byte for byte the output of one
build of the same commit at the same moment."""
from __future__ import annotations

from datetime import datetime

from pipeline.content.repository import load_repository
from pipeline.site.build import build_site
from pipeline.timeutil import TZ
from tests.ci.pipeline_repo import make_pipeline_repo
from tests.ci.test_gitlab_pipeline import artifact, run_pipeline
from tests.portal.conftest import tree_hash

CREATED = "2026-11-26T01:00:00Z"  # 09:00 in Yunjiang


def test_two_shard_jobs_and_a_merge_give_the_full_build(tmp_path):
    repo = make_pipeline_repo(tmp_path / "gitlab")
    # Three search parts for the demo, so that the shards index different ones.
    settings = repo.root / "content/governance/settings.yaml"
    assert "search:" not in settings.read_text(encoding="utf-8")
    # Added to the demo's settings, not in place of them: the committed editor configuration follows `cms:`.
    settings.write_text(settings.read_text(encoding="utf-8") + "search:\n  pages_per_part: 100\n", encoding="utf-8")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "搜索索引分块", env=repo.who("门户网站管理员", "admin@yunjiang.gov.cn"))
    code, log = run_pipeline(repo, "--file", "ci/build-shards.gitlab-ci.yml",
                             "--variable", f"CI_PIPELINE_CREATED_AT={CREATED}")
    assert code == 0, log[-4000:]
    assert "build-shard: [1/2]" in log and "build-shard: [2/2]" in log, log[-3000:]
    merged = artifact(repo, "build-merge", "output")
    assert (merged / "index.html").is_file(), log[-3000:]

    now = datetime(2026, 11, 26, 9, 0, tzinfo=TZ)
    full = build_site(load_repository(repo.root, now=now), tmp_path / "full", now)
    assert full.ok and full.search_parts == 3
    a, b = tree_hash(full.output), tree_hash(merged)
    assert a == b, sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))[:10]
