"""A policy page shows its change history from the item (修订记录) and from Git (更新记录)."""
from __future__ import annotations

import git
import pytest

from pipeline.content.history import ContentHistory as History
from tests.repo_factory import INTERPRETATION, POLICY, make_repo

from .conftest import build, tree_hash, when

ACTOR = git.Actor("测试编辑", "editor@test.gov.cn")
POLICY_PATH = "content/policies/zc-1.md"


def commit(repo: git.Repo, message: str, moment: str, *paths: str):
    repo.index.add(list(paths))
    moment = when(moment)
    return repo.index.commit(message, author=ACTOR, committer=ACTOR, author_date=moment, commit_date=moment)


@pytest.fixture
def git_repo(tmp_path):
    """A content repository with three commits, two of which touch the policy."""
    root = make_repo(tmp_path, {POLICY_PATH: POLICY, "content/interpretations/jd-zc-1.md": INTERPRETATION})
    repo = git.Repo.init(root)
    everything = [str(p.relative_to(root)) for p in sorted(root.rglob("*")) if p.is_file() and ".git" not in p.parts]
    commit(repo, "发布《测试市义务教育招生入学管理办法》", "2026-03-01 08:30", *everything)
    (root / "content/interpretations/jd-zc-1.md").write_text(INTERPRETATION + "\n补充说明。\n", encoding="utf-8")
    commit(repo, "解读补充说明", "2026-03-03 10:00", "content/interpretations/jd-zc-1.md")
    changed = POLICY.replace("validity: 现行有效", 'validity: 现行有效\nchanges:\n  - date: "2026-03-05"\n    note: 更正第一条的文字错误。')
    (root / POLICY_PATH).write_text(changed, encoding="utf-8")
    commit(repo, "更正办法第一条文字错误", "2026-03-05 16:20", POLICY_PATH)
    return root


def test_history_lists_commits_touching_the_file_newest_first(git_repo):
    revisions = History(git_repo).for_path(POLICY_PATH)
    assert [(r.day, r.subject) for r in revisions] == [
        ("2026-03-05", "更正办法第一条文字错误"), ("2026-03-01", "发布《测试市义务教育招生入学管理办法》")]
    assert all(len(r.commit) == 40 for r in revisions)
    assert History(git_repo).for_path("content/policies/none.md") == []


def test_history_follows_the_file_into_its_unit_folder(git_repo):
    """Moving an item into content/policies/<unit>/ keeps its history; the move itself is no revision."""
    repo = git.Repo(git_repo)
    moved = "content/policies/jyj/zc-1.md"
    (git_repo / moved).parent.mkdir()
    repo.git.mv(POLICY_PATH, moved)
    moment = when("2026-03-06 09:00")
    repo.index.commit("条目移入单位目录", author=ACTOR, committer=ACTOR, author_date=moment, commit_date=moment)
    (git_repo / moved).write_text((git_repo / moved).read_text(encoding="utf-8") + "\n第九条 本办法自发布之日起施行。\n",
                                  encoding="utf-8")
    commit(repo, "补充施行日期", "2026-03-07 10:00", moved)
    assert [r.subject for r in History(git_repo).for_path(moved)] == [
        "补充施行日期", "更正办法第一条文字错误", "发布《测试市义务教育招生入学管理办法》"]
    assert History(git_repo).for_path(POLICY_PATH) == []


def test_history_stops_at_the_build_time(git_repo):
    revisions = History(git_repo, now=when("2026-03-04 00:00")).for_path(POLICY_PATH)
    assert [r.subject for r in revisions] == ["发布《测试市义务教育招生入学管理办法》"]


def test_history_of_a_repository_inside_a_larger_work_tree(tmp_path):
    outer = tmp_path / "outer"
    root = make_repo(outer / "portal", {POLICY_PATH: POLICY})
    repo = git.Repo.init(outer)
    commit(repo, "导入门户内容", "2026-03-01 08:30", f"portal/repo/{POLICY_PATH}")
    assert [r.subject for r in History(root).for_path(POLICY_PATH)] == ["导入门户内容"]


def test_history_is_empty_outside_git_and_before_the_first_commit(tmp_path):
    root = make_repo(tmp_path, {POLICY_PATH: POLICY})
    assert History(root).for_path(POLICY_PATH) == []
    git.Repo.init(root)
    assert History(root).for_path(POLICY_PATH) == []


def test_policy_page_shows_item_changes_and_git_history(git_repo, tmp_path):
    site = build(git_repo, tmp_path / "out", "2026-03-06 09:00")
    assert site.result.ok, [d.message for d in site.result.diagnostics]
    soup = site.soup("/policies/zc-1/")
    headings = {h.get_text(strip=True): h.find_parent("section") for h in soup.find_all("h2")}
    changes = headings["修订记录"].get_text(" ", strip=True)
    assert "2026-03-05" in changes and "更正第一条的文字错误。" in changes
    history = [li.get_text(" ", strip=True) for li in headings["更新记录"].find_all("li")]
    assert history == ["2026-03-05 更正办法第一条文字错误", "2026-03-01 发布《测试市义务教育招生入学管理办法》"]
    assert "解读补充说明" not in soup.get_text(), "only commits touching the policy's own file"


def test_history_is_deterministic_for_a_commit(git_repo, tmp_path):
    first = build(git_repo, tmp_path / "a", "2026-03-06 09:00")
    second = build(git_repo, tmp_path / "b", "2026-03-06 09:00")
    assert tree_hash(first.output) == tree_hash(second.output)


def test_policy_page_without_git_has_no_history_section(tmp_path):
    root = make_repo(tmp_path, {POLICY_PATH: POLICY, "content/interpretations/jd-zc-1.md": INTERPRETATION})
    site = build(root, tmp_path / "out", "2026-03-06 09:00")
    assert site.result.ok
    headings = [h.get_text(strip=True) for h in site.soup("/policies/zc-1/").find_all("h2")]
    assert "更新记录" not in headings and "修订记录" not in headings


def test_a_commit_subject_without_chinese_is_shown_as_a_neutral_note(git_repo, tmp_path):
    """A merge or a tool's commit must not put English on a Chinese policy page."""
    repo = git.Repo(git_repo)
    (git_repo / POLICY_PATH).write_text((git_repo / POLICY_PATH).read_text(encoding="utf-8") + "\n附则。\n",
                                        encoding="utf-8")
    commit(repo, "Merge branch 'fix-typo' into main", "2026-03-06 11:00", POLICY_PATH)
    site = build(git_repo, tmp_path / "out", "2026-03-07 09:00")
    soup = site.soup("/policies/zc-1/")
    section = next(h.find_parent("section") for h in soup.find_all("h2") if h.get_text(strip=True) == "更新记录")
    history = [li.get_text(" ", strip=True) for li in section.find_all("li")]
    assert history[0] == "2026-03-06 内容更新"
    assert history[1] == "2026-03-05 更正办法第一条文字错误", "a Chinese subject is shown as written"
    assert "Merge" not in soup.get_text()
