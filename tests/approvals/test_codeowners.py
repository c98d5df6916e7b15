"""CODEOWNERS generation, GK-OWN-001 (committed file out of date), GK-OWN-002 (roster references),
GK-OWN-003 (an item in another unit's folder) and GK-OWN-004 (a tier the roster cannot complete)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.approvals.codeowners import generate
from pipeline.cli import main
from pipeline.content.repository import load_repository
from pipeline.check.rules.ownership import CodeownersUpToDate, RosterCoversTiers, RosterReferences
from tests.approvals.gitrepo import BASE_FILES, ROSTER, emergency_response, news, policy
from tests.repo_factory import found, make_repo, run_check

REAL_ROOT = Path(__file__).resolve().parents[2]

FILES = {
    **BASE_FILES,
    "content/news/jyj/xw-1.md": news("xw-1", "jyj"),
    "content/news/wjw/xw-2.md": news("xw-2", "wjw"),
    "content/policies/jyj/zc-1.md": policy("zc-1", "jyj", "市人民政府"),
    "content/responses/wjw/hy-1.md": emergency_response("hy-1", "wjw"),
    "content/files/wjw/2026/xw-2/附件 1.pdf": "%PDF-1.4\n",
    # The older layout, straight in the type folder: listed file by file.
    "content/news/xw-9.md": news("xw-9", "jyj"),
    "content/responses/hy-9.md": emergency_response("hy-9", "wjw"),
    "content/files/2026/xw-9/附件.pdf": "%PDF-1.4\n",
}


def section(text: str, header: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(header)
    out = []
    for line in lines[start + 1:]:
        if not line:
            break
        out.append(line)
    return out


def owners_of(text: str, path: str) -> list[str]:
    """GitLab's reading of a CODEOWNERS file: in each section the last matching pattern counts
    (`*` within one folder name, a trailing `/` for everything below)."""
    out, header, match = [], None, None
    for line in text.splitlines() + ["[end]"]:
        if line.startswith("["):
            if header and match:
                out.append(header)
            header, match = line, None
        elif line and not line.startswith("#") and header:
            pattern = line.replace("\\ ", " ")
            regex = re.escape(pattern).replace(r"\*", "[^/]*")
            regex = regex + ".*" if pattern.endswith("/") else regex
            if re.fullmatch(regex, "/" + path):
                match = pattern
    return out


def test_gitlab_sections_per_tier_and_unit(tmp_path):
    text = generate(load_repository(make_repo(tmp_path, FILES)), "gitlab")
    assert section(text, "[测试市教育局][2] @zhoujing @liangxiuhua") == [
        "/content/*/jyj/", "/content/files/2026/xw-9/附件.pdf", "/content/news/xw-9.md"]
    assert section(text, "[测试市卫生健康委员会][2] @xieyuqing @suminghui") == ["/content/*/wjw/"]
    # Only files outside unit folders can carry a content-dependent tier in CODEOWNERS; the rest is
    # the plan's and verify's (an emergency in wjw's folder is still an emergency there).
    assert section(text, "[重大突发事件和敏感信息][2] @qinhaibo @liwentao") == ["/content/responses/hy-9.md"]
    office = section(text, "[市人民政府办公室][2] @weixiaoling @luzhenhua @qinhaibo @liwentao")
    assert office[:2] == ["/content/governance/", "/content/units/"] and "/.gitlab-ci.yml" in office
    assert "/content/*/yjzfb/" in office  # the city government office's own items
    assert owners_of(text, "content/news/jyj/xw-1.md") == ["[测试市教育局][2] @zhoujing @liangxiuhua"]
    assert owners_of(text, "content/files/wjw/2026/xw-2/附件 1.pdf") == ["[测试市卫生健康委员会][2] @xieyuqing @suminghui"]
    assert owners_of(text, "content/files/2026/xw-9/附件.pdf") == ["[测试市教育局][2] @zhoujing @liangxiuhua"]


def test_github_owners_per_path(tmp_path):
    text = generate(load_repository(make_repo(tmp_path, FILES)), "github")
    lines = text.splitlines()
    assert "/content/*/jyj/ @gh-zhoujing @gh-liangxiuhua" in lines
    assert "/content/news/xw-9.md @gh-zhoujing @gh-liangxiuhua" in lines
    assert "/content/governance/ @gh-weixiaoling @gh-luzhenhua @gh-qinhaibo @gh-liwentao" in lines
    assert "[" not in "".join(l for l in lines if not l.startswith("#"))  # no GitLab sections


def test_new_renamed_and_deleted_items_need_no_new_codeowners(tmp_path, capsys):
    root = make_repo(tmp_path, FILES)
    for forge in ("gitlab", "github"):
        assert main(["--root", str(root), "approvals", "codeowners", "--forge", forge, "--write"]) == 0
    capsys.readouterr()
    assert not found(run_check(root), "GK-OWN-001")
    (root / "content/news/jyj/xw-3.md").write_text(news("xw-3", "jyj"), encoding="utf-8")
    (root / "content/files/jyj/2026/xw-3").mkdir(parents=True)
    (root / "content/files/jyj/2026/xw-3/图1.pdf").write_text("%PDF-1.4\n", encoding="utf-8")
    (root / "content/news/wjw/xw-2.md").rename(root / "content/news/wjw/xw-20.md")
    (root / "content/news/wjw/xw-20.md").write_text(news("xw-20", "wjw"), encoding="utf-8")
    (root / "content/policies/jyj/zc-1.md").unlink()
    assert not found(run_check(root), "GK-OWN-001")


def test_out_of_date_codeowners_fails_the_check(tmp_path, capsys):
    root = make_repo(tmp_path, FILES)
    assert not found(run_check(root), "GK-OWN-001")  # no CODEOWNERS in the repository: nothing to compare
    assert main(["--root", str(root), "approvals", "codeowners", "--forge", "gitlab", "--write"]) == 0
    assert main(["--root", str(root), "approvals", "codeowners", "--forge", "github", "--write"]) == 0
    capsys.readouterr()
    assert not found(run_check(root), "GK-OWN-001")
    roster = root / "content/governance/roster.yaml"
    roster.write_text(roster.read_text(encoding="utf-8").replace(
        "jyj: {section: [zhoujing], leader: [liangxiuhua]}", "jyj: {section: [zhoujing], leader: [suminghui]}"),
        encoding="utf-8")
    hits = sorted(found(run_check(root), "GK-OWN-001"))
    assert [(path, line) for _, path, line in hits] == [(".github/CODEOWNERS", 19), (".gitlab/CODEOWNERS", 24)]
    # An item in the older layout is listed by name, so adding one makes the file stale.
    (root / "content/news/xw-8.md").write_text(news("xw-8", "jyj"), encoding="utf-8")
    assert main(["--root", str(root), "approvals", "codeowners", "--forge", "gitlab", "--write"]) == 0
    assert main(["--root", str(root), "approvals", "codeowners", "--forge", "github", "--write"]) == 0
    assert not found(run_check(root), "GK-OWN-001")


def test_an_item_in_another_units_folder_is_an_error(tmp_path):
    root = make_repo(tmp_path, {**FILES, "content/news/jyj/xw-5.md": news("xw-5", "wjw")})
    hits = [d for d in run_check(root) if d.code == "GK-OWN-003"]
    assert [(d.path, d.line) for d in hits] == [("content/news/jyj/xw-5.md", 4)]
    assert "content/news/wjw/xw-5.md" in hits[0].message
    assert not found(run_check(make_repo(tmp_path / "ok", FILES)), "GK-OWN-003")


@pytest.mark.parametrize("change, expected", [
    ("wjw: {section: [xieyuqing], leader: [suminghui]}", "wjw: {section: [xieyuqing], leader: []}"),
    ("egov_leader: [qinhaibo]", "egov_leader: []"),
    ("wjw: {section: [xieyuqing], leader: [suminghui]}", "wjw: {section: [suminghui], leader: [suminghui]}"),
])
def test_a_tier_the_roster_cannot_complete_is_a_warning(tmp_path, change, expected):
    root = make_repo(tmp_path, {**FILES, "content/governance/roster.yaml": ROSTER.replace(change, expected)})
    hits = [d for d in run_check(root) if d.code == "GK-OWN-004"]
    assert hits and all(d.severity.value == "warning" for d in hits)
    if "egov_leader" in change:
        assert "「电子政务中心分管领导审核」没有人可以担任" in hits[0].message and "office.egov_leader" in hits[0].message
    elif "leader: []" in expected:
        assert "单位「wjw」" in hits[0].message and "units.wjw.leader" in hits[0].message
    else:
        assert "名册中只有 苏明辉 可以担任" in hits[0].message
    assert not list(RosterCoversTiers().check(load_repository(make_repo(tmp_path / "ok", FILES))))


def test_codeowners_without_a_roster_is_a_usage_error(tmp_path, capsys):
    root = make_repo(tmp_path)
    assert main(["--root", str(root), "approvals", "codeowners", "--forge", "gitlab"]) == 2
    assert "找不到审核审批人员名册" in capsys.readouterr().err


def test_roster_references_are_checked(tmp_path):
    bad = ROSTER.replace("reviewers: [weixiaoling, luzhenhua]", "reviewers: [weixiaoling, nobody]")
    bad = bad.replace("wjw: {section: [xieyuqing], leader: [suminghui]}", "wjw: {section: [suminghui], leader: [suminghui]}")
    bad = bad.replace("  yjzfb: {section: [luzhenhua], leader: [liwentao]}\n", "")
    root = make_repo(tmp_path, {**BASE_FILES, "content/governance/roster.yaml": bad})
    messages = [d.message for d in RosterReferences().check(load_repository(root))]
    assert any("「nobody」不在 people 名单中" in m for m in messages)
    assert any("单位「wjw」的负责领导同时是科室审核人" in m for m in messages)
    assert any("名册中没有单位「yjzfb」" in m for m in messages)


def test_roster_schema_problems_are_reported_with_lines(tmp_path):
    bad = ROSTER.replace("email: zhoujing@jyj.test.gov.cn, ", "")
    root = make_repo(tmp_path, {**BASE_FILES, "content/governance/roster.yaml": bad})
    assert ("GK-SCH-001", "content/governance/roster.yaml", 6) in found(run_check(root))


def test_the_committed_demo_codeowners_are_up_to_date():
    assert (REAL_ROOT / ".gitlab/CODEOWNERS").is_file() and (REAL_ROOT / ".github/CODEOWNERS").is_file()
    diagnostics = list(CodeownersUpToDate().check(load_repository(REAL_ROOT)))
    assert diagnostics == [], diagnostics[0].message if diagnostics else ""
    assert list(RosterReferences().check(load_repository(REAL_ROOT))) == []


@pytest.mark.parametrize("roster", [
    "people: 5\noffice: 3\nunits: [1]\n",
    "people: [5, {id: 7}, {id: x1, name: [], email: {}}]\noffice: {reviewers: 5}\nunits: {jyj: 5, wjw: {section: 5}}\n",
    "people: []\n",
])
def test_a_roster_of_the_wrong_shape_is_reported_not_a_crash(tmp_path, roster):
    root = make_repo(tmp_path, {**FILES, "content/governance/roster.yaml": roster})
    (root / ".gitlab").mkdir()
    (root / ".gitlab/CODEOWNERS").write_text("# old\n", encoding="utf-8")
    codes = {code for code, _, _ in found(run_check(root))}
    assert "GK-OWN-001" in codes and codes & {"GK-SCH-001", "GK-SCH-003", "GK-OWN-002"}


def test_attachments_outside_unit_folders_go_to_the_units_of_the_items_using_them(tmp_path, monkeypatch):
    """An attachment of the older layout is listed under the tier of each item that uses it, and generating
    the file reads each item's files once: asking every item about every attachment made it take four
    minutes at 50,000 items."""
    import pipeline.core.files as files

    extra = {f"content/news/xw-{n}.md": news(f"xw-{n}", "wjw" if n % 2 else "jyj").replace(
        "正文。", f"附件:[表{n}](files/共用/表{n}.pdf)。") for n in range(20, 40)}
    extra.update({f"content/files/共用/表{n}.pdf": "%PDF-1.4\n" for n in range(20, 40)})
    repo = load_repository(make_repo(tmp_path, {**FILES, **extra}))
    calls = []
    real = files.files_used
    monkeypatch.setattr(files, "files_used", lambda item: calls.append(item.path) or real(item))
    text = generate(repo, "gitlab")
    assert owners_of(text, "content/files/共用/表21.pdf") == ["[测试市卫生健康委员会][2] @xieyuqing @suminghui"]
    assert owners_of(text, "content/files/共用/表22.pdf") == ["[测试市教育局][2] @zhoujing @liangxiuhua"]
    assert sorted(calls) == sorted(item.path for item in repo.items)


def test_the_cached_check_runs_codeowners_and_former_addresses_again_only_when_what_they_read_changed(
        tmp_path, monkeypatch, capsys):
    """`gongkai check` and the build's gate keep these two rules' findings while what they read is the same:
    the former-address rule reads every item's metadata (not its body), CODEOWNERS the file list (and, once
    a file sits outside the unit folders, every file). Each step says what a check from nothing says."""
    from pipeline.check.cached import check_repository_cached
    from pipeline.check.rules.former_addresses import FormerAddresses
    from pipeline.check.whole import check_repository
    from pipeline.content.parse_cache import ParseCache

    files = {rel: text for rel, text in FILES.items() if "9" not in rel}  # unit folders only
    root = make_repo(tmp_path, files)
    assert main(["--root", str(root), "approvals", "codeowners", "--forge", "gitlab", "--write"]) == 0
    capsys.readouterr()
    ran = []
    for cls in (FormerAddresses, CodeownersUpToDate):
        monkeypatch.setattr(cls, "check", lambda self, repo, real=cls.check: ran.append(type(self).__name__) or real(self, repo))
    news_path = root / "content/news/jyj/xw-1.md"
    claimed = news("xw-1", "jyj").replace("date: 2026-03-01 09:00", 'date: 2026-03-01 09:00\nformer_urls: ["/sitemap/", "/art/1.html"]')

    def append(rel, text):
        with (root / rel).open("a", encoding="utf-8") as handle:
            handle.write(text)

    steps = [
        ("a body edited", lambda: append("content/news/jyj/xw-1.md", "又一段。\n"), set(), set()),
        ("former addresses claimed", lambda: news_path.write_text(claimed, encoding="utf-8"),
         {"FormerAddresses"}, {"GK-URL-002"}),
        ("a body edited again", lambda: append("content/news/jyj/xw-1.md", "再一段。\n"), set(), {"GK-URL-002"}),
        ("the page's address no longer claimed", lambda: news_path.write_text(claimed.replace('"/sitemap/", ', ""), encoding="utf-8"),
         {"FormerAddresses"}, set()),
        ("an item added in a unit folder", lambda: (root / "content/news/wjw/xw-5.md").write_text(news("xw-5", "wjw"), encoding="utf-8"),
         {"FormerAddresses", "CodeownersUpToDate"}, set()),
        ("an item outside the unit folders", lambda: (root / "content/news/xw-7.md").write_text(news("xw-7", "jyj"), encoding="utf-8"),
         {"FormerAddresses", "CodeownersUpToDate"}, {"GK-OWN-001"}),
        ("its body edited", lambda: append("content/news/xw-7.md", "补充。\n"), {"CodeownersUpToDate"}, {"GK-OWN-001"}),
        ("CODEOWNERS generated again", lambda: main(["--root", str(root), "approvals", "codeowners", "--forge", "gitlab", "--write"]),
         {"CodeownersUpToDate"}, set()),
    ]
    check_repository_cached(load_repository(root))
    for name, change, expected_runs, expected_codes in steps:
        change()
        ran.clear()
        found = check_repository_cached(load_repository(root))
        assert set(ran) == expected_runs, name
        assert found == check_repository(load_repository(root, cache=ParseCache(root, use=False))), name
        assert {d.code for d in found} & {"GK-URL-002", "GK-OWN-001"} == expected_codes, name
