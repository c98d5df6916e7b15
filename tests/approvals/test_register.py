"""`gongkai register`: the demo repository's items, published through a scripted series of merges.

The demo content (this repository's content/) is replayed into a fresh Git repository: governance
data and units first, then one merge request per CODEOWNERS section (a tier, and for department
items a unit), written by that unit's editor and approved, in the merge commit's trailers, by the
first people the roster names for each step. Then one item is renamed and another withdrawn.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from pipeline.approvals.changes import open_repo
from pipeline.core.files import files_used
from pipeline.core.publication import Status, status
from pipeline.timeutil import parse_now
from pipeline.approvals.roster import Roster
from pipeline.approvals.tiers import load_policy
from pipeline.approvals.verify import verify_commit
from pipeline.cli import main
from pipeline.content.repository import load_repository
from tests.approvals.gitrepo import CHEN, ContentRepo, Who, news, trailers

REAL_ROOT = Path(__file__).resolve().parents[2]


class DemoReplay(ContentRepo):
    """A ContentRepo whose first commit holds the demo's governance data and units only."""

    def __init__(self, tmp_path: Path):
        self.demo = load_repository(REAL_ROOT)
        root = tmp_path / "repo"
        for folder in ("content/governance", "content/units"):
            shutil.copytree(REAL_ROOT / folder, root / folder)
        super().__init__(tmp_path, base=False)
        assert self.root == root


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("demo")
    content = DemoReplay(tmp_path)
    demo, policy = content.demo, load_policy()
    roster = Roster.from_repository(demo)
    expected = {}  # item id -> (submitter, [approvers in step order])
    placed: set[str] = set()
    groups: dict[tuple, tuple] = {}  # one merge request per tier and unit, as the approval plan groups them
    for item in demo.items:
        need = policy.need_for_item(item, demo.by_id.get)
        group = groups.setdefault(need.key, (need, []))[1]
        for rel in [item.path] + ["content/" + use.rel for use in files_used(item)]:
            if rel not in placed and (REAL_ROOT / rel).is_file():
                placed.add(rel)
                group.append(rel)
    for need, files in groups.values():
        found = SimpleNamespace(need=need, name=need.unit or need.tier_id)
        tier = policy.tier(found.need.tier_id)
        approvers = [policy.eligible(found.need, step, roster)[0] for step in tier.steps]
        unit = found.need.unit or "yjzfb"
        editor = Who(f"{unit}编辑", f"editor@{unit}.example.cn")
        data = {rel: (REAL_ROOT / rel).read_bytes() for rel in files}
        branch = content.branch({}, editor)  # empty first, then the real bytes (binary attachments too)
        content.repo.git.checkout("-q", branch)
        for rel, blob in data.items():
            (content.root / rel).parent.mkdir(parents=True, exist_ok=True)
            (content.root / rel).write_bytes(blob)
        content.repo.git.add(A=True)
        content._commit(f"{found.name} 的信息", editor)
        content.repo.git.checkout("-q", "main")
        merge = content.merge(branch, trailers(approved=[Who(p.name, p.email) for p in approvers]))
        repo = open_repo(content.root)
        verdict = verify_commit(repo, repo.commit(merge), policy, content.root)
        assert verdict.ok, (found.name, [g.problems for g in verdict.groups])
        for item in demo.items:
            if item.path in files:
                expected[item.id] = (editor.ident, [p.display for p in approvers])
    return content, expected


NOW = parse_now("2026-11-26 09:00")


def register_json(content, capsys) -> list[dict]:
    assert main(["--root", str(content.root), "register", "--format", "json", "--now", "2026-11-26 09:00"]) == 0
    return json.loads(capsys.readouterr().out)


def test_register_lists_every_demo_item_with_its_approvers(replayed, capsys):
    content, expected = replayed
    records = {r["id"]: r for r in register_json(content, capsys)}
    assert set(records) == set(expected)
    assert len(expected) == len(content.demo.items) >= 200
    for item_id, (submitter, approvers) in expected.items():
        record = records[item_id]
        # The register and the site answer "is it online?" with the same function.
        shown = {Status.PUBLISHED: "已发布", Status.SCHEDULED: "待发布", Status.TO_BE_WITHDRAWN: "已发布(待撤回)",
                 Status.WITHDRAWN: "已撤回", Status.NEVER: "不公开"}
        assert record["status"] == shown[status(content.demo.by_id[item_id], NOW)], item_id
        assert record["submitted_by"] == [submitter]
        assert record["reviewed_by"] + record["approved_by"] == approvers, item_id
        assert record["approved"] is True
        assert record["merge_commit"]
        # First publication: the later of the merge and the item's own date (issue 10), never before either.
        own = content.demo.by_id[item_id]
        if own.type == "letter" and own.meta.get("public") is not True:
            assert record["first_published"] is None  # a letter not marked public never went online
            continue
        own_time = (own.meta.get("replied") if own.type == "letter" else own.meta.get("date"))
        assert record["first_published"] == max(record["history"][0]["merged_at"], _minutes(own_time)), item_id


def test_register_follows_renames_and_records_withdrawals(replayed, capsys):
    content, expected = replayed
    roster = Roster.from_repository(content.demo)
    section, leader = (Who(p.name, p.email) for p in (roster.holders("unit.section", "jyj")[0],
                                                       roster.holders("unit.leader", "jyj")[0]))
    jyj_news = next(i for i in sorted(content.demo.items, key=lambda i: i.path)
                    if i.type == "news" and i.meta.get("unit") == "jyj")
    old_rel = jyj_news.path
    new_id = jyj_news.id + "-gx"
    new_rel = old_rel.replace(jyj_news.id, new_id)
    text = (content.root / old_rel).read_text(encoding="utf-8").replace(f"id: {jyj_news.id}", f"id: {new_id}")
    content.merge_request({new_rel: text}, Who("jyj编辑", "editor@jyj.example.cn"), approved=[section, leader],
                          renames={old_rel: new_rel})
    content.merge_request({"content/news/xw-test-ch.md": news("xw-test-ch", "jyj")}, CHEN, approved=[section, leader])
    withdrawn = news("xw-test-ch", "jyj").replace("date: 2026-03-01 09:00",
                                                   "date: 2026-03-01 09:00\nwithdrawn:\n  date: 2026-03-05\n  reason: 信息有误")
    content.merge_request({"content/news/xw-test-ch.md": withdrawn}, CHEN, approved=[section])

    records = {r["id"]: r for r in register_json(content, capsys)}
    moved = records[new_id]
    assert jyj_news.id not in records
    assert moved["former_ids"] == [jyj_news.id]
    assert [e["action"] for e in moved["history"]] == ["新增", "改名"]
    assert moved["first_published_by"] == moved["history"][0]["commit"] != moved["merge_commit"]
    assert moved["reviewed_by"] + moved["approved_by"] == [section.ident, leader.ident] == expected[jyj_news.id][1]
    assert all(e["approved"] for e in moved["history"])
    assert moved["submitted_by"] == ["jyj编辑 <editor@jyj.example.cn>"]
    gone = records["xw-test-ch"]
    assert gone["status"] == "已撤回" and gone["withdrawn"] == "2026-03-05"
    assert len(gone["history"]) == 2
    # The withdrawal was merged with the section's approval only: the register says so.
    assert gone["approved"] is False and gone["reviewed_by"] == [section.ident] and gone["approved_by"] == []
    # Status is the publication model's, at the register's moment: before its withdrawal date the
    # item is still online, and a scheduled item is not yet published.
    assert main(["--root", str(content.root), "register", "--format", "json", "--now", "2026-03-04 12:00"]) == 0
    early = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert early["xw-test-ch"]["status"] == "已发布(待撤回)"
    assert main(["--root", str(content.root), "register", "--format", "json", "--now", "2026-02-28 12:00"]) == 0
    assert {r["id"]: r for r in json.loads(capsys.readouterr().out)}["xw-test-ch"]["status"] == "待发布"


def test_register_csv_and_internal_html(replayed, capsys, tmp_path):
    content, expected = replayed
    assert main(["--root", str(content.root), "register"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][:8] == ["编号", "标题", "类型", "发布单位", "审批层级", "提交人", "审核人", "审批人"]
    assert {r[0] for r in rows[1:]} == {r["id"] for r in register_json(content, capsys)}
    page = tmp_path / "register.html"
    assert main(["--root", str(content.root), "register", "--format", "html", "--output", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert 'content="noindex, nofollow"' in html and "内部资料" in html and "造册登记" in html
    assert main(["--root", str(content.root), "register", "--format", "html",
                 "--output", str(content.root / "output" / "register.html")]) == 2
    assert "不能写入对外发布的目录" in capsys.readouterr().err


def test_register_of_a_repository_without_commits_is_a_usage_error(tmp_path, capsys):
    import git

    from tests.repo_factory import make_repo

    root = make_repo(tmp_path)
    git.Repo.init(root)
    assert main(["--root", str(root), "register"]) == 2
    assert "找不到版本「HEAD」" in capsys.readouterr().err


def _minutes(value: str) -> str:
    """A content time as the register writes it (YYYY-MM-DD HH:MM); a date alone is its midnight."""
    value = str(value).strip()
    return value[:16] if len(value) > 10 else value + " 00:00"
