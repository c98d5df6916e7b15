"""`gongkai approvals plan` on a merge-request branch: changed items, their tiers, the right people."""
from __future__ import annotations

import json

import pytest

from pipeline.cli import main
from tests.approvals.gitrepo import CHEN, LI, QIN, ContentRepo, emergency_response, news, policy


@pytest.fixture
def content(tmp_path):
    return ContentRepo(tmp_path)


def plan_json(content, capsys, *extra):
    assert main(["--root", str(content.root), "approvals", "plan", "--base", "main", "--format", "json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def people(group, step):
    return [p["name"] for p in group["steps"][step]["people"]]


def test_plan_on_a_branch_names_the_right_people(content, capsys):
    content.merge_request({"content/responses/hy-1.md": emergency_response("hy-1", "jyj")}, CHEN, approved=[QIN, LI])
    branch = content.branch({
        "content/news/xw-1.md": news("xw-1", "jyj"),
        "content/news/xw-2.md": news("xw-2", "wjw"),
        "content/policies/zc-1.md": policy("zc-1", "jyj", "市人民政府"),
        "content/responses/hy-1.md": None,  # deleting an emergency item
    }, CHEN)
    content.repo.git.checkout("-q", branch)  # the CI job runs on the merge-request branch
    data = plan_json(content, capsys)
    groups = {(g["tier"], g["unit"]): g for g in data["approvals"]}
    assert set(groups) == {("emergency", None), ("city", None), ("unit", "jyj"), ("unit", "wjw")}
    assert people(groups[("emergency", None)], 0) == ["覃海波"]
    assert people(groups[("emergency", None)], 1) == ["李文涛"]
    assert people(groups[("city", None)], 0) == ["韦晓玲", "陆振华"]
    assert people(groups[("city", None)], 1) == ["覃海波", "李文涛"]
    assert people(groups[("unit", "jyj")], 0) == ["周静"] and people(groups[("unit", "jyj")], 1) == ["梁秀华"]
    assert people(groups[("unit", "wjw")], 0) == ["谢雨晴"] and people(groups[("unit", "wjw")], 1) == ["苏明辉"]
    assert groups[("unit", "wjw")]["unit_name"] == "测试市卫生健康委员会"
    changes = {c["path"]: c for c in data["changes"]}
    assert changes["content/responses/hy-1.md"]["status"] == "D"
    assert changes["content/responses/hy-1.md"]["needs"][0]["tier"] == "emergency"
    assert changes["content/policies/zc-1.md"]["url"] == "/policies/zc-1/"
    assert data["authors"] == ["陈小编 <chenxb@jyj.test.gov.cn>"]


def test_markdown_mentions_forge_users_and_links_previews(content, capsys):
    branch = content.branch({"content/news/xw-1.md": news("xw-1", "jyj")}, CHEN)
    assert main(["--root", str(content.root), "approvals", "plan", "--base", "main", "--head", branch,
                 "--forge", "github", "--preview-url", "https://preview.example/mr-1/"]) == 0
    out = capsys.readouterr().out
    assert "周静 @gh-zhoujing" in out and "梁秀华 @gh-liangxiuhua" in out
    assert "[打开](https://preview.example/mr-1/news/xw-1/index.html)" in out
    assert "提交人(不能审批本次变更):陈小编" in out


def test_attachment_takes_the_tier_of_the_item_using_it(content, capsys):
    item = policy("zc-1", "wjw").replace("validity: 现行有效",
                                         "validity: 现行有效\nattachments:\n  - title: 附件\n    file: files/2026/zc-1/附件 1.pdf")
    content.merge_request({"content/policies/zc-1.md": item, "content/files/2026/zc-1/附件 1.pdf": "%PDF-1.4\n"}, CHEN)
    content.branch({"content/files/2026/zc-1/附件 1.pdf": "%PDF-1.4 v2\n"}, CHEN, name="fix-attachment")
    data = plan_json(content, capsys, "--head", "fix-attachment")
    [change] = data["changes"]
    assert change["kind"] == "asset" and change["used_by"] == ["zc-1"]
    assert [(n["tier"], n["unit"]) for n in change["needs"]] == [("unit", "wjw")]


def test_a_branch_editing_the_roster_does_not_choose_its_own_approvers(content, capsys):
    roster = (content.root / "content/governance/roster.yaml").read_text(encoding="utf-8")
    roster = roster.replace("jyj: {section: [zhoujing], leader: [liangxiuhua]}",
                            "jyj: {section: [zhoujing], leader: [suminghui]}")
    content.branch({"content/news/xw-1.md": news("xw-1", "jyj"),
                    "content/governance/roster.yaml": roster}, CHEN, name="sneaky")
    data = plan_json(content, capsys, "--head", "sneaky")
    jyj = next(g for g in data["approvals"] if g["unit"] == "jyj")
    assert people(jyj, 1) == ["梁秀华"]
    assert any(g["tier"] == "city" for g in data["approvals"])  # and the roster change needs the office


def test_unknown_base_is_a_usage_error(content, capsys):
    assert main(["--root", str(content.root), "approvals", "plan", "--base", "origin/nope"]) == 2
    assert "找不到版本「origin/nope」" in capsys.readouterr().err


def test_plan_warns_when_only_the_author_could_review(content, capsys):
    """Issue 10: the author is jyj's only section reviewer: say so before merging, and what to add."""
    from tests.approvals.gitrepo import ZHOU

    branch = content.branch({"content/news/xw-1.md": news("xw-1", "jyj")}, ZHOU)
    content.repo.git.checkout("-q", branch)
    data = plan_json(content, capsys)
    (group,) = data["approvals"]
    assert len(group["warnings"]) == 1
    assert "只有提交人本人" in group["warnings"][0] and "units.jyj.section" in group["warnings"][0]
    assert main(["--root", str(content.root), "approvals", "plan", "--base", "main"]) == 0
    assert "> ⚠" in capsys.readouterr().out


def test_plan_has_no_warning_when_others_can_approve(content, capsys):
    branch = content.branch({"content/news/xw-1.md": news("xw-1", "jyj")}, CHEN)
    content.repo.git.checkout("-q", branch)
    (group,) = plan_json(content, capsys)["approvals"]
    assert group["warnings"] == []


def test_a_units_register_of_applications_needs_that_units_approvers_as_codeowners_says(content, capsys):
    from pipeline.approvals.codeowners import generate
    from pipeline.content.repository import load_repository

    register = "unit: jyj\nyear: 2025\napplications:\n  - {number: \"1\", received: 2025-03-01, applicant: 自然人}\n"
    branch = content.branch({"content/applications/jyj/2025.yaml": register}, CHEN)
    content.repo.git.checkout("-q", branch)
    data = plan_json(content, capsys)
    (change,) = [c for c in data["changes"] if c["path"] == "content/applications/jyj/2025.yaml"]
    assert [(n["tier"], n["unit"]) for n in change["needs"]] == [("unit", "jyj")]
    codeowners = generate(load_repository(content.root), "github")
    assert "/content/*/jyj/" in codeowners  # the unit's folder pattern covers its register, and nothing else does
    assert "/content/applications/" not in codeowners


def test_a_register_in_a_folder_that_is_no_units_goes_by_the_path_rules_as_codeowners_says(content, capsys):
    """Which unit a folder belongs to is `locations.unit_folder_of`, for the plan as for CODEOWNERS: a
    register under content/applications/<not a unit>/ is nobody's unit folder (a hand split said `xyz`)."""
    from pipeline.approvals.codeowners import sections
    from pipeline.approvals.roster import Roster
    from pipeline.content.locations import unit_folder_of
    from pipeline.content.repository import load_repository

    register = "unit: xyz\nyear: 2025\napplications:\n  - {number: \"1\", received: 2025-03-01, applicant: 自然人}\n"
    path = "content/applications/xyz/2025.yaml"
    branch = content.branch({path: register}, CHEN)
    content.repo.git.checkout("-q", branch)
    data = plan_json(content, capsys)
    (change,) = [c for c in data["changes"] if c["path"] == path]
    repo = load_repository(content.root)
    assert unit_folder_of(path, repo.units) is None
    (section,) = [s for s in sections(repo, Roster.from_repository(repo) or Roster()) if "/" + path in s.paths]
    assert [(n["tier"], n["unit"]) for n in change["needs"]] == [(section.need.tier_id, section.need.unit or None)]
    assert change["needs"][0]["tier"] == "city"
