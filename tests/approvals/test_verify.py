"""`gongkai approvals verify` on merge commits carrying Approved-by / Reviewed-by trailers.

Each test builds a real Git repository (GitPython, several authors) and merges a branch with
`--no-ff`, the way GitLab does with the merge commit template `%{approved_by}`.
"""
from __future__ import annotations

import pytest

from pipeline.approvals.changes import open_repo
from pipeline.approvals.tiers import load_policy
from pipeline.approvals.verify import verify_commit
from pipeline.cli import main
from tests.approvals.gitrepo import (
    CHEN, HUANG, LI, LIANG, QIN, SU, WEI, XIE, ZHOU, ContentRepo, emergency_response, news, policy,
)


@pytest.fixture
def content(tmp_path):
    return ContentRepo(tmp_path)


def verify(content: ContentRepo, rev: str = "HEAD"):
    repo = open_repo(content.root)
    return verify_commit(repo, repo.commit(rev), load_policy(), content.root)


def problems(verdict) -> str:
    return "\n".join(p for g in verdict.groups for p in g.problems)


# --- a department's own item (Art. 28(3)) -----------------------------------------------

def test_department_item_approved_by_its_section_and_leader_passes(content):
    content.merge_request({"content/news/xw-1.md": news("xw-1", "jyj")}, CHEN, approved=[ZHOU, LIANG])
    verdict = verify(content)
    assert verdict.ok, problems(verdict)
    [group] = verdict.groups
    assert (group.tier.id, group.need.unit) == ("unit", "jyj")
    assert [s.person.name for s in group.steps] == ["周静", "梁秀华"]


def test_department_item_approved_only_by_the_section_fails(content):
    content.merge_request({"content/news/xw-1.md": news("xw-1", "jyj")}, CHEN, approved=[ZHOU])
    verdict = verify(content)
    assert not verdict.ok
    assert "缺少「本单位负责领导审批」" in problems(verdict)
    assert "梁秀华" in problems(verdict)


def test_department_item_approved_by_another_units_leader_fails(content):
    content.merge_request({"content/news/xw-1.md": news("xw-1", "jyj")}, CHEN, approved=[ZHOU, SU])
    verdict = verify(content)
    assert not verdict.ok
    assert "缺少「本单位负责领导审批」" in problems(verdict)


def test_department_item_approved_by_its_own_author_fails(content):
    # The leader wrote the item herself: she cannot also approve it (Art. 15).
    content.merge_request({"content/news/xw-1.md": news("xw-1", "jyj")}, LIANG, approved=[ZHOU, LIANG])
    verdict = verify(content)
    assert not verdict.ok
    assert "梁秀华 是本次变更的提交人,不能审批自己的变更" in problems(verdict)


def test_reviewed_by_alone_does_not_count_as_the_sections_review(content):
    # GitLab writes Reviewed-by for anyone who submitted a review, also "request changes".
    content.merge_request({"content/news/xw-1.md": news("xw-1", "jyj")}, CHEN, approved=[LIANG], reviewed=[ZHOU])
    verdict = verify(content)
    assert not verdict.ok
    assert "周静 只有 Reviewed-by 记录" in problems(verdict)


def test_one_person_cannot_do_both_steps(content, tmp_path):
    # A unit whose section reviewer also leads it: two steps still need two people.
    roster = (content.root / "content/governance/roster.yaml").read_text(encoding="utf-8")
    content.write({"content/governance/roster.yaml":
                   roster.replace("wjw: {section: [xieyuqing], leader: [suminghui]}",
                                  "wjw: {section: [xieyuqing, suminghui], leader: [suminghui]}")})
    content.repo.git.commit("-qm", "名册调整")
    content.merge_request({"content/news/xw-2.md": news("xw-2", "wjw")}, HUANG, approved=[SU])
    verdict = verify(content)
    assert not verdict.ok
    assert "须由不同的人完成" in problems(verdict)


# --- emergencies and sensitive information (Art. 28(2)) ----------------------------------

def test_emergency_item_needs_the_egov_lead_and_the_principal_leader(content):
    item = {"content/responses/hy-1.md": emergency_response("hy-1", "jyj")}
    content.merge_request(item, CHEN, approved=[ZHOU, LIANG])
    verdict = verify(content)
    assert not verdict.ok
    assert [g.tier.id for g in verdict.groups] == ["emergency"]
    assert "缺少「电子政务中心分管领导审核」" in problems(verdict)
    assert "缺少「办公室主要领导审批」" in problems(verdict)

    content.merge_request({"content/responses/hy-2.md": emergency_response("hy-2", "jyj")}, CHEN,
                          approved=[QIN, LI])
    verdict = verify(content)
    assert verdict.ok, problems(verdict)
    assert [s.person.name for s in verdict.groups[0].steps] == ["覃海波", "李文涛"]


def test_sensitive_flag_and_lesser_emergencies(content):
    content.merge_request({"content/news/xw-3.md": news("xw-3", "jyj", sensitive="true")}, CHEN,
                          approved=[ZHOU, LIANG])
    assert [g.tier.id for g in verify(content).groups] == ["emergency"]
    content.merge_request({"content/responses/hy-3.md": emergency_response("hy-3", "jyj", "一般")}, CHEN,
                          approved=[ZHOU, LIANG])
    verdict = verify(content)
    assert [g.tier.id for g in verdict.groups] == ["unit"] and verdict.ok


# --- items in the name of the city government (Art. 28(1)) -------------------------------

def test_city_government_policy_needs_the_office(content):
    item = {"content/policies/zc-1.md": policy("zc-1", "jyj", "市人民政府")}
    content.merge_request(item, CHEN, approved=[ZHOU, LIANG])
    verdict = verify(content)
    assert not verdict.ok
    assert [g.tier.id for g in verdict.groups] == ["city"]
    assert "缺少「市人民政府办公室审核」" in problems(verdict)

    content.merge_request({"content/policies/zc-2.md": policy("zc-2", "jyj", "市人民政府")}, CHEN,
                          approved=[WEI, LI])
    assert verify(content).ok


def test_interpretation_of_a_city_policy_needs_the_office(content):
    content.merge_request({"content/policies/zc-1.md": policy("zc-1", "jyj", "市人民政府")}, CHEN,
                          approved=[WEI, QIN])
    interpretation = ("---\nid: jd-zc-1\ntitle: 解读\nunit: jyj\ndate: 2026-03-01 09:00\n"
                      "interprets: [zc-1]\nform: 文字\n---\n解读正文。\n")
    content.merge_request({"content/interpretations/jd-zc-1.md": interpretation}, CHEN, approved=[ZHOU, LIANG])
    verdict = verify(content)
    assert not verdict.ok and [g.tier.id for g in verdict.groups] == ["city"]


def test_governance_files_need_the_office(content):
    roster = (content.root / "content/governance/roster.yaml").read_text(encoding="utf-8")
    content.merge_request({"content/governance/roster.yaml": roster + "# 调整\n"}, CHEN, approved=[ZHOU, LIANG])
    verdict = verify(content)
    assert not verdict.ok and [g.tier.id for g in verdict.groups] == ["city"]


# --- a merge request touching two units ---------------------------------------------------

def test_merge_request_touching_two_units_needs_both(content):
    files = {"content/news/xw-1.md": news("xw-1", "jyj"), "content/news/xw-2.md": news("xw-2", "wjw")}
    content.merge_request(files, CHEN, approved=[ZHOU, LIANG])
    verdict = verify(content)
    assert not verdict.ok
    failing = [g for g in verdict.groups if not g.ok]
    assert [(g.need.unit, g.paths) for g in failing] == [("wjw", ["content/news/xw-2.md"])]
    assert "谢雨晴" in problems(verdict) and "苏明辉" in problems(verdict)

    files = {"content/news/xw-3.md": news("xw-3", "jyj"), "content/news/xw-4.md": news("xw-4", "wjw")}
    content.merge_request(files, CHEN, approved=[ZHOU, LIANG, XIE, SU])
    assert verify(content).ok


# --- deletions, renames, lowering a tier ----------------------------------------------------

def test_deleting_an_item_needs_the_tier_of_what_it_was(content):
    content.merge_request({"content/responses/hy-1.md": emergency_response("hy-1", "jyj")}, CHEN,
                          approved=[QIN, LI])
    content.merge_request({"content/responses/hy-1.md": None}, CHEN, approved=[ZHOU, LIANG])
    verdict = verify(content)
    assert [g.tier.id for g in verdict.groups] == ["emergency"]
    assert not verdict.ok
    assert verdict.entries[0].change.status == "D"


def test_renaming_an_item_keeps_its_tier(content):
    content.merge_request({"content/policies/zc-1.md": policy("zc-1", "jyj", "市人民政府")}, CHEN,
                          approved=[WEI, LI])
    content.merge_request({}, CHEN, approved=[ZHOU, LIANG],
                          renames={"content/policies/zc-1.md": "content/news/zc-1.md"})
    verdict = verify(content)
    assert verdict.entries[0].change.status == "R"
    assert not verdict.ok and "city" in [g.tier.id for g in verdict.groups]


def test_lowering_the_tier_in_the_same_change_still_needs_the_old_tier(content):
    content.merge_request({"content/policies/zc-1.md": policy("zc-1", "jyj", "市人民政府")}, CHEN,
                          approved=[WEI, LI])
    content.merge_request({"content/policies/zc-1.md": policy("zc-1", "jyj", "本单位")}, CHEN,
                          approved=[ZHOU, LIANG])
    verdict = verify(content)
    assert sorted(g.tier.id for g in verdict.groups) == ["city", "unit"]
    assert not verdict.ok


def test_roster_changed_in_the_same_merge_request_does_not_count(content):
    # A merge request that makes its author's friend the leader of jyj cannot use that new role.
    roster = (content.root / "content/governance/roster.yaml").read_text(encoding="utf-8")
    roster = roster.replace("jyj: {section: [zhoujing], leader: [liangxiuhua]}",
                            "jyj: {section: [zhoujing], leader: [liangxiuhua, suminghui]}")
    content.merge_request({"content/news/xw-1.md": news("xw-1", "jyj"),
                           "content/governance/roster.yaml": roster}, CHEN, approved=[ZHOU, SU, WEI, QIN])
    verdict = verify(content)
    unit_group = next(g for g in verdict.groups if g.tier.id == "unit")
    assert not unit_group.ok


# --- the command ---------------------------------------------------------------------------

def test_cli_exit_codes_and_chinese_report(content, capsys):
    content.merge_request({"content/news/xw-1.md": news("xw-1", "jyj")}, CHEN, approved=[ZHOU, LIANG])
    assert main(["--root", str(content.root), "approvals", "verify", "HEAD"]) == 0
    assert "结论:审批齐全" in capsys.readouterr().out
    content.merge_request({"content/news/xw-2.md": news("xw-2", "jyj")}, CHEN, approved=[ZHOU])
    assert main(["--root", str(content.root), "approvals", "verify", "HEAD"]) == 1
    out = capsys.readouterr().out
    assert "✘ 测试市教育局" in out and "不得发布" in out


def test_unknown_revision_is_a_usage_error_without_traceback(content, capsys):
    assert main(["--root", str(content.root), "approvals", "verify", "no-such-rev"]) == 2
    err = capsys.readouterr().err
    assert "找不到版本「no-such-rev」" in err and "Traceback" not in err


def test_not_a_git_repository_is_a_usage_error(tmp_path, capsys):
    from tests.repo_factory import make_repo

    root = make_repo(tmp_path / "plain")
    assert main(["--root", str(root), "approvals", "verify", "HEAD"]) == 2
    assert "不是 Git 仓库" in capsys.readouterr().err


def test_direct_commit_without_merge_request(content):
    # A push straight to main: the commit's own author, no trailers -> not approved.
    content.write({"content/news/xw-9.md": news("xw-9", "jyj")})
    content._commit("直接提交", CHEN)
    verdict = verify(content)
    assert not verdict.ok
    assert [a.name for a in verdict.authors] == ["陈小编"]
    # neither step is done by the author's own push, and the editor is told who can do each
    [group] = verdict.groups
    assert [s.person for s in group.steps] == [None, None]
    lines = problems(verdict).splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith("缺少「本单位科室审核」:可由 周静") and lines[1].startswith("缺少「本单位负责领导审批」:可由 梁秀华")


def test_trailers_typed_into_the_description_do_not_count(content):
    # Only the trailer block at the end of the merge commit message counts (ci/APPROVALS.md's template):
    # an author cannot approve by writing Approved-by lines into the merge request's description.
    branch = content.branch({"content/news/xw-1.md": news("xw-1", "jyj")}, CHEN)
    message = ("Merge branch 'x' into 'main'\n\n新闻稿\n\nApproved-by: 周静 <zhoujing@jyj.test.gov.cn>\n"
               "Approved-by: 梁秀华 <liangxiuhua@jyj.test.gov.cn>\n\nSee merge request !1\n\n"
               "Merged-by: 门户网站管理员 <admin@test.gov.cn>\n")
    content.repo.git.merge("--no-ff", "-q", branch, "-m", message)
    verdict = verify(content)
    assert not verdict.ok and verdict.evidence == []
