"""A department's routine item stays with the department, from the plan to verify (Art. 28(3)).

The repository commits its generated CODEOWNERS, as a web office's does; the merge requests below
change content only. Real Git repositories, the real commands.
"""
from __future__ import annotations

import json

import pytest

from pipeline.cli import main
from tests.approvals.gitrepo import ADMIN, CHEN, LIANG, ZHOU, ContentRepo, news
from tests.repo_factory import found, run_check


@pytest.fixture
def content(tmp_path, capsys):
    repo = ContentRepo(tmp_path)
    for forge in ("gitlab", "github"):
        assert main(["--root", str(repo.root), "approvals", "codeowners", "--forge", forge, "--write"]) == 0
    repo.repo.git.add(A=True)
    repo._commit("生成 CODEOWNERS", ADMIN)
    capsys.readouterr()
    return repo


def plan(content, capsys, head: str) -> dict:
    assert main(["--root", str(content.root), "approvals", "plan", "--base", "main", "--head", head,
                 "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def verify(content, capsys, rev: str = "HEAD") -> tuple[int, str]:
    code = main(["--root", str(content.root), "approvals", "verify", rev])
    return code, capsys.readouterr().out


def test_a_new_news_item_goes_through_its_own_unit_only(content, capsys):
    codeowners = (content.root / ".gitlab/CODEOWNERS").read_text(encoding="utf-8")
    branch = content.branch({"content/news/jyj/xw-7.md": news("xw-7", "jyj", "教育局召开秋季开学工作会")}, CHEN)
    content.repo.git.checkout("-q", branch)
    assert not found(run_check(content.root), "GK-OWN-001")  # CODEOWNERS still matches: nothing to regenerate
    content.repo.git.checkout("-q", "main")
    data = plan(content, capsys, branch)
    assert [(g["tier"], g["unit"]) for g in data["approvals"]] == [("unit", "jyj")]
    assert [c["path"] for c in data["changes"]] == ["content/news/jyj/xw-7.md"]
    content.merge(branch, f"Approved-by: {ZHOU.ident}\nApproved-by: {LIANG.ident}")
    code, out = verify(content, capsys)
    assert code == 0, out
    assert "市人民政府办公室" not in out
    assert (content.root / ".gitlab/CODEOWNERS").read_text(encoding="utf-8") == codeowners


def test_a_regenerated_codeowners_brings_no_tier_of_its_own(content, capsys):
    """In the older layout a new item is listed by name; the regenerated file rides along."""
    legacy = content.root / "content/news/xw-8.md"
    legacy.parent.mkdir(exist_ok=True)
    legacy.write_text(news("xw-8", "jyj"), encoding="utf-8")
    assert main(["--root", str(content.root), "approvals", "codeowners", "--forge", "gitlab", "--write"]) == 0
    regenerated = (content.root / ".gitlab/CODEOWNERS").read_text(encoding="utf-8")
    capsys.readouterr()
    legacy.unlink()
    content.repo.git.checkout("--", ".gitlab/CODEOWNERS")
    branch = content.branch({"content/news/xw-8.md": news("xw-8", "jyj"), ".gitlab/CODEOWNERS": regenerated}, CHEN)
    data = plan(content, capsys, branch)
    assert [(g["tier"], g["unit"]) for g in data["approvals"]] == [("unit", "jyj")]
    [owners] = [c for c in data["changes"] if c["path"] == ".gitlab/CODEOWNERS"]
    assert owners["needs"] == []

    edited = regenerated.replace("@zhoujing @liangxiuhua", "@zhoujing @chenxb")  # a hand edit
    other = content.branch({"content/news/xw-8.md": news("xw-8", "jyj"), ".gitlab/CODEOWNERS": edited}, CHEN)
    data = plan(content, capsys, other)
    assert ("city", None) in [(g["tier"], g["unit"]) for g in data["approvals"]]
