"""Who may submit which unit's content: `gongkai approvals plan --author` in the merge-request pipeline.

A browser editor's forge account can push anywhere in the repository; the pipeline refuses a change
that touches a unit's folders unless its submitter is that unit's editor, section reviewer or leader
(or one of the office's people), and keeps governance data the office's (GK-AUTHOR-001/002).
"""
from __future__ import annotations

import json

import pytest

from pipeline.cli import main
from tests.approvals.gitrepo import CHEN, HUANG, ROSTER, ContentRepo, news

EDITORS_ROSTER = (
    ROSTER.replace("office:\n",
                   "  - {id: chenxb, name: 陈小编, email: chenxb@jyj.test.gov.cn, gitlab: chenxb, github: gh-chenxb}\n"
                   "  - {id: huangxb, name: 黄小编, email: huangxb@wjw.test.gov.cn, gitlab: huangxb, github: gh-huangxb}\n"
                   "  - {id: moxy, name: 莫小雨, email: moxy@test.gov.cn, gitlab: moxy, github: gh-moxy}\n"
                   "office:\n")
    .replace("  principal_leader: [liwentao]\n", "  principal_leader: [liwentao]\n  editors: [moxy]\n")
    .replace("jyj: {section: [zhoujing], leader: [liangxiuhua]}",
             "jyj: {section: [zhoujing], leader: [liangxiuhua], editors: [chenxb]}")
    .replace("wjw: {section: [xieyuqing], leader: [suminghui]}",
             "wjw: {section: [xieyuqing], leader: [suminghui], editors: [huangxb]}")
)


@pytest.fixture
def content(tmp_path):
    assert "editors: [chenxb]" in EDITORS_ROSTER and "editors: [moxy]" in EDITORS_ROSTER
    return ContentRepo(tmp_path, {"content/governance/roster.yaml": EDITORS_ROSTER})


def plan(content, capsys, branch, author, *extra):
    code = main(["--root", str(content.root), "approvals", "plan", "--base", "main", "--head", branch,
                 "--format", "json", "--forge", "gitlab", "--author", author, *extra])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def test_a_units_editor_may_submit_that_units_news(content, capsys):
    branch = content.branch({"content/news/jyj/xw-1.md": news("xw-1", "jyj")}, CHEN)
    code, data, err = plan(content, capsys, branch, "chenxb")
    assert code == 0 and data["refusals"] == [] and err == ""
    assert data["submitter"] == "@chenxb"


def test_an_editor_touching_another_units_folder_is_refused_with_that_unit_named(content, capsys):
    branch = content.branch({"content/news/jyj/xw-1.md": news("xw-1", "jyj"),
                             "content/news/wjw/xw-2.md": news("xw-2", "wjw")}, CHEN)
    code, data, err = plan(content, capsys, branch, "chenxb")
    assert code == 1
    [refusal] = data["refusals"]
    assert refusal["code"] == "GK-AUTHOR-001" and refusal["path"] == "content/news/wjw/xw-2.md"
    assert "测试市卫生健康委员会" in refusal["message"] and "units.wjw.editors" in refusal["message"]
    assert "content/news/wjw/xw-2.md:1: 错误 GK-AUTHOR-001" in err.replace("：", ":")
    # The same change by the other unit's editor is refused for 教育局's folder instead.
    code, data, _ = plan(content, capsys, branch, "huangxb")
    assert code == 1 and [r["path"] for r in data["refusals"]] == ["content/news/jyj/xw-1.md"]


def test_moving_an_item_into_another_units_folder_needs_both_units(content, capsys):
    content.merge_request({"content/news/jyj/xw-1.md": news("xw-1", "jyj")}, CHEN)
    branch = content.branch({}, CHEN, renames={"content/news/jyj/xw-1.md": "content/news/wjw/xw-1.md"})
    code, data, _ = plan(content, capsys, branch, "chenxb")
    assert code == 1 and "测试市卫生健康委员会" in data["refusals"][0]["message"]


def test_governance_files_stay_the_offices(content, capsys):
    columns = (content.root / "content/governance/columns.yaml").read_text(encoding="utf-8") + "\n# 改动\n"
    branch = content.branch({"content/governance/columns.yaml": columns}, CHEN)
    code, data, _ = plan(content, capsys, branch, "chenxb")
    assert code == 1
    [refusal] = data["refusals"]
    assert refusal["path"] == "content/governance/columns.yaml" and "市人民政府办公室" in refusal["message"]
    # The office's web editor may change governance data and any unit's content (Art. 24: taking down at once).
    branch = content.branch({"content/governance/columns.yaml": columns,
                             "content/news/wjw/xw-3.md": news("xw-3", "wjw")}, CHEN)
    code, data, _ = plan(content, capsys, branch, "moxy")
    assert code == 0 and data["refusals"] == []


def test_a_login_not_in_the_roster_is_refused(content, capsys):
    branch = content.branch({"content/news/jyj/xw-1.md": news("xw-1", "jyj")}, CHEN)
    code, data, err = plan(content, capsys, branch, "someone-else")
    assert code == 1 and [r["code"] for r in data["refusals"]] == ["GK-AUTHOR-002"]
    assert "GK-AUTHOR-002" in err and "@someone-else" in err


def test_a_branch_that_adds_its_author_to_the_roster_does_not_authorise_itself(content, capsys):
    roster = EDITORS_ROSTER.replace("editors: [huangxb]", "editors: [huangxb, chenxb]")
    branch = content.branch({"content/governance/roster.yaml": roster,
                             "content/news/wjw/xw-2.md": news("xw-2", "wjw")}, CHEN)
    code, data, _ = plan(content, capsys, branch, "chenxb")
    assert code == 1
    assert {r["path"] for r in data["refusals"]} == {"content/governance/roster.yaml", "content/news/wjw/xw-2.md"}


def test_github_logins_and_the_markdown_report(content, capsys):
    branch = content.branch({"content/news/wjw/xw-2.md": news("xw-2", "wjw")}, HUANG)
    assert main(["--root", str(content.root), "approvals", "plan", "--base", "main", "--head", branch,
                 "--forge", "github", "--author", "gh-huangxb"]) == 0
    assert "GK-AUTHOR" not in capsys.readouterr().out
    assert main(["--root", str(content.root), "approvals", "plan", "--base", "main", "--head", branch,
                 "--forge", "github", "--author", "gh-chenxb"]) == 1
    out = capsys.readouterr().out
    assert "⛔ GK-AUTHOR-001 `content/news/wjw/xw-2.md`" in out and "陈小编" in out


def test_an_empty_author_is_a_usage_error_not_a_pass(content, capsys):
    branch = content.branch({"content/news/jyj/xw-1.md": news("xw-1", "jyj")}, CHEN)
    code = main(["--root", str(content.root), "approvals", "plan", "--base", "main", "--head", branch,
                 "--author", ""])
    assert code == 2
    assert "GITLAB_USER_LOGIN" in capsys.readouterr().err
