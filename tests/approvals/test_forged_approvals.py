"""Approvals nobody can forge (issue 10, point 3): trailers count only on a merge the forge wrote.

Real Git repositories: an editor who writes the two Approved-by lines into their own commit and gets
it onto main without a merge commit (fast-forward, rebase, a push), or who merges it themselves, is
not approved; `verify` says to read the forge's API instead.
"""
from __future__ import annotations

from pipeline.approvals.changes import open_repo
from pipeline.approvals.tiers import load_policy
from pipeline.approvals.verify import verify_commit
from pipeline.cli import main
from tests.approvals.gitrepo import ADMIN, CHEN, LIANG, ZHOU, ContentRepo, news, trailers

APPROVED = trailers(approved=(ZHOU, LIANG))


def verify(content: ContentRepo):
    repo = open_repo(content.root)
    return verify_commit(repo, repo.head.commit, load_policy(), content.root)


def own_commit_with_trailers(content: ContentRepo) -> str:
    """A branch whose one commit, by the editor, ends with the approvals they would like to have."""
    content.count += 1
    name = f"mr-{content.count}"
    content.repo.git.checkout("-q", "-b", name, "main")
    content.write({"content/news/xw-1.md": news("xw-1", "jyj")})
    content._commit(f"新闻稿\n\n{APPROVED}\n", CHEN)
    content.repo.git.checkout("-q", "main")
    return name


def test_the_genuine_merge_still_passes(tmp_path):
    content = ContentRepo(tmp_path)
    content.merge_request({"content/news/xw-1.md": news("xw-1", "jyj")}, CHEN, approved=(ZHOU, LIANG))
    assert verify(content).ok


def test_authors_own_trailers_fast_forwarded_onto_main_fail(tmp_path, capsys):
    content = ContentRepo(tmp_path)
    content.repo.git.merge("--ff-only", "-q", own_commit_with_trailers(content))
    verdict = verify(content)
    assert not verdict.ok and verdict.evidence == []
    assert main(["--root", str(content.root), "approvals", "verify", "HEAD"]) == 1
    out = capsys.readouterr().out
    assert "只有一个父提交" in out and "--forge-api" in out and "审批不全" in out


def test_a_merge_committed_by_the_author_is_no_evidence(tmp_path):
    content = ContentRepo(tmp_path)
    branch = content.branch({"content/news/xw-1.md": news("xw-1", "jyj")}, CHEN)
    content.merge(branch, APPROVED, merger=CHEN)
    verdict = verify(content)
    assert not verdict.ok and any("也是所合并修改的作者" in p for p in verdict.problems)


def test_trailers_the_author_wrote_do_not_count_when_a_template_copies_them(tmp_path):
    content = ContentRepo(tmp_path)
    branch = own_commit_with_trailers(content)
    content.merge(branch, APPROVED)  # a template such as %{all_commits} copying the editor's lines
    verdict = verify(content)
    assert not verdict.ok and verdict.evidence == []


def test_forge_committer_identities_when_configured(tmp_path):
    settings = "approvals:\n  forge_committers: [gitlab@test.gov.cn]\n"
    content = ContentRepo(tmp_path, {"content/governance/settings.yaml": settings})
    content.merge_request({"content/news/xw-1.md": news("xw-1", "jyj")}, CHEN, approved=(ZHOU, LIANG))
    verdict = verify(content)  # merged by the administrator's account, not the forge's
    assert not verdict.ok and any("forge_committers" in p for p in verdict.problems)
    assert ADMIN.email != "gitlab@test.gov.cn"


def test_a_merge_by_the_configured_forge_identity_passes(tmp_path):
    from tests.approvals.gitrepo import Who

    settings = "approvals:\n  forge_committers: [gitlab@test.gov.cn]\n"
    content = ContentRepo(tmp_path, {"content/governance/settings.yaml": settings})
    branch = content.branch({"content/news/xw-1.md": news("xw-1", "jyj")}, CHEN)
    content.merge(branch, APPROVED, merger=Who("GitLab", "gitlab@test.gov.cn"))
    assert verify(content).ok
