"""`gongkai report annual`: Part 2 of the yearly disclosure report computed from the content (issue 13)."""
from __future__ import annotations

import json
from datetime import datetime

import pytest

from pipeline.annual_report import NOT_COMPUTED, compute
from pipeline.repository import load_repository
from pipeline.timeutil import TZ
from tests.repo_factory import POLICY, make_repo
from tests.test_cli import gongkai


def policy(pid: str, written: str, validity: str = "现行有效", validity_date: str | None = None,
           expires: str | None = None, doc_type: str = "行政规范性文件", unit: str = "jyj", replaced_by: str | None = None):
    text = (POLICY.replace("id: zc-1", f"id: {pid}").replace("written: 2026-02-20", f"written: {written}")
            .replace("date: 2026-03-01 09:00", f"date: {written} 10:00").replace("validity: 现行有效", f"validity: {validity}")
            .replace("doc_type: 行政规范性文件", f"doc_type: {doc_type}").replace("unit: jyj", f"unit: {unit}")
            .replace("测教规〔2026〕1号", f"测教规〔{written[:4]}〕{pid[-1]}号"))
    extra = [f"validity_date: {validity_date}" if validity_date else "", f"expires: {expires}" if expires else "",
             f"replaced_by: {replaced_by}" if replaced_by else ""]
    front = "\n".join(e for e in extra if e)
    return text.replace("validity:", (front + "\nvalidity:") if front else "validity:", 1)


# A small history across 2024-2025:
#   zc-a issued 2024, in force;       zc-b issued 2024, repealed 2025-06-30;
#   zc-c issued 2025, in force;       zc-d issued 2024, fixed term to 2025-12-31 (in force that day, ended in 2026);
#   zc-e issued 2025-03 replacing zc-f (issued 2024, 已修订 on 2025-03-10);
#   ling-1 a 规章 of the city government issued 2025; zc-g of another unit.
FILES = {
    "content/policies/zc-a.md": policy("zc-a", "2024-03-01"),
    "content/policies/zc-b.md": policy("zc-b", "2024-05-01", "已废止", "2025-06-30"),
    "content/policies/zc-c.md": policy("zc-c", "2025-04-01"),
    "content/policies/zc-d.md": policy("zc-d", "2024-07-01", expires="2025-12-31"),
    "content/policies/zc-e.md": policy("zc-e", "2025-03-10"),
    "content/policies/zc-f.md": policy("zc-f", "2024-09-01", "已修订", "2025-03-10", replaced_by="zc-e"),
    "content/policies/ling-1.md": policy("ling-1", "2025-08-01", doc_type="规章"),
    "content/policies/zc-g.md": policy("zc-g", "2025-02-01", unit="yjzfb"),
}


def report(tmp_path, year, unit="jyj", files=FILES):
    root = make_repo(tmp_path, files)
    repo = load_repository(root, now=datetime(year, 12, 31, 23, 59, tzinfo=TZ))
    return compute(repo, year, unit)


def counts(rep, doc_type="行政规范性文件"):
    row = rep.documents[doc_type]
    return {k: (f.value, f.items) for k, f in row.items()}


def test_issuing_repealing_expiring_and_replacing_across_two_years(tmp_path):
    assert counts(report(tmp_path / "a", 2024)) == {
        "issued": (4, ["zc-a", "zc-b", "zc-d", "zc-f"]), "repealed": (0, []),
        "in_force": (4, ["zc-a", "zc-b", "zc-d", "zc-f"])}
    assert counts(report(tmp_path / "b", 2025)) == {
        "issued": (2, ["zc-c", "zc-e"]),
        "repealed": (2, ["zc-b", "zc-f"]),  # repealed; revised (replaced by zc-e)
        "in_force": (4, ["zc-a", "zc-c", "zc-d", "zc-e"])}
    assert counts(report(tmp_path / "c", 2026)) == {
        "issued": (0, []), "repealed": (1, ["zc-d"]),  # its term ran to 2025-12-31
        "in_force": (3, ["zc-a", "zc-c", "zc-e"])}


def test_in_force_follows_from_the_previous_year(tmp_path):
    for year in (2025, 2026):
        before, now = counts(report(tmp_path / f"p{year}", year - 1)), counts(report(tmp_path / f"n{year}", year))
        assert now["in_force"][0] == before["in_force"][0] + now["issued"][0] - now["repealed"][0], year


def test_rules_are_counted_apart_and_only_for_their_unit(tmp_path):
    assert counts(report(tmp_path / "a", 2025, unit="jyj"), "规章")["issued"] == (1, ["ling-1"])
    assert counts(report(tmp_path / "b", 2025, unit="yjzfb"))["issued"] == (1, ["zc-g"])
    assert counts(report(tmp_path / "c", 2025, unit=None))["issued"] == (3, ["zc-c", "zc-e", "zc-g"])


def test_a_document_published_after_the_year_is_not_counted(tmp_path):
    files = {**FILES, "content/policies/zc-h.md": policy("zc-h", "2025-12-30").replace("date: 2025-12-30 10:00",
                                                                                        "date: 2026-01-05 10:00")}
    issued = counts(report(tmp_path, 2025, files=files))["issued"]
    assert "zc-h" not in issued[1]  # written in 2025, but not on the site by 31 December


def test_figures_the_content_cannot_give_are_marked_with_the_reason(tmp_path):
    rep = report(tmp_path, 2025)
    assert {row for _, row, _, _ in rep.decisions} == {"行政许可", "行政处罚", "行政强制", "行政事业性收费"}
    assert all(reason for *_, reason in rep.decisions)


@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_command_prints_the_tables_with_how_each_figure_was_obtained(tmp_path, fmt):
    root = make_repo(tmp_path, FILES)
    result = gongkai("--root", root, "report", "annual", "--year", "2025", "--unit", "jyj", "--format", fmt)
    assert result.returncode == 0, result.stderr
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["part2"]["documents"]["行政规范性文件"]["repealed"]["items"] == ["zc-b", "zc-f"]
    else:
        assert "| 行政规范性文件 | 2 | 2 | 4 |" in result.stdout
        assert "zc-b、zc-f" in result.stdout and NOT_COMPUTED in result.stdout


def test_unknown_unit_is_a_usage_error(tmp_path):
    result = gongkai("--root", make_repo(tmp_path), "report", "annual", "--year", "2025", "--unit", "nope")
    assert result.returncode == 2 and "nope" in result.stderr and "Traceback" not in result.stderr


# --- Parts 3 and 4: the register of applications ----------------------------------------------------------

REGISTER_2025 = """\
unit: jyj
year: 2025
applications:
  - {number: "2025-001", received: 2025-02-10, applicant: 自然人, outcome: 予以公开, answered: 2025-02-24}
  - {number: "2025-002", received: 2025-05-06, applicant: 商业企业, outcome: 部分公开, answered: 2025-05-27, review: 维持}
  - {number: "2025-003", received: 2025-08-01, applicant: 自然人, outcome: "无法提供:本机关不掌握相关政府信息", answered: 2025-08-15,
     litigation: {after_review: false, result: 尚未审结}}
  - {number: "2025-004", received: 2025-12-22, applicant: 法律服务机构, outcome: 予以公开, answered: 2026-01-09}
  - {number: "2025-005", received: 2025-12-29, applicant: 自然人}
"""
REGISTER_2026 = """\
unit: jyj
year: 2026
applications:
  - {number: "2026-001", received: 2026-03-03, applicant: 科研机构, outcome: 予以公开, answered: 2026-03-20}
"""
REGISTERS = {"content/applications/jyj/2025.yaml": REGISTER_2025, "content/applications/jyj/2026.yaml": REGISTER_2026}


def test_part_3_counts_new_applications_outcomes_and_what_is_carried_forward(tmp_path):
    part3 = report(tmp_path, 2025, files={**FILES, **REGISTERS}).applications["rows"]
    assert part3["本年新收"]["总计"] == 5 and part3["本年新收"]["自然人"] == 3
    assert part3["上年结转"]["总计"] == 0
    assert part3["予以公开"]["自然人"] == 1 and part3["部分公开"]["商业企业"] == 1
    assert part3["无法提供:本机关不掌握相关政府信息"]["总计"] == 1
    assert part3["结转下年度继续办理"] == {"自然人": 1, "商业企业": 0, "科研机构": 0, "社会公益组织": 0,
                                      "法律服务机构": 1, "其他": 0, "总计": 2}  # answered in 2026, or not yet
    assert part3["办理结果总计"]["总计"] == 3


def test_what_is_carried_forward_is_next_years_carried_over_and_counted_there(tmp_path):
    rep = report(tmp_path, 2026, files={**FILES, **REGISTERS})
    part3 = rep.applications["rows"]
    assert part3["上年结转"]["总计"] == 2 and part3["本年新收"]["总计"] == 1
    assert part3["予以公开"]["总计"] == 2  # 2025-004 answered in January, and 2026-001
    assert part3["结转下年度继续办理"]["总计"] == 1  # 2025-005 still open
    # received + carried over = decided + carried forward
    assert part3["本年新收"]["总计"] + part3["上年结转"]["总计"] == part3["办理结果总计"]["总计"] + part3["结转下年度继续办理"]["总计"]


def test_part_4_counts_reviews_and_lawsuits(tmp_path):
    reviews = report(tmp_path, 2025, files={**FILES, **REGISTERS}).reviews
    assert reviews["行政复议"]["维持"] == 1 and reviews["行政复议"]["总计"] == 1
    assert reviews["行政诉讼(未经复议直接起诉)"]["尚未审结"] == 1 and reviews["行政诉讼(复议后起诉)"]["总计"] == 0


def test_without_a_register_parts_3_and_4_are_not_computed(tmp_path):
    rep = report(tmp_path, 2025)
    assert rep.applications is None
    result = gongkai("--root", make_repo(tmp_path / "cli", FILES), "report", "annual", "--year", "2025", "--unit", "jyj")
    assert "三、四部分:" + NOT_COMPUTED in result.stdout


def test_register_must_sit_in_its_units_folder_and_year(tmp_path):
    from tests.repo_factory import found, run_check

    wrong = {"content/applications/jyj/2025.yaml": REGISTER_2025.replace("unit: jyj", "unit: yjzfb").replace("year: 2025", "year: 2024"),
             "content/applications/abc/2025.yaml": REGISTER_2025.replace("unit: jyj", "unit: abc")}
    assert found(run_check(make_repo(tmp_path, wrong)), "GK-APP-001") == {
        ("GK-APP-001", "content/applications/jyj/2025.yaml", 1), ("GK-APP-001", "content/applications/jyj/2025.yaml", 2),
        ("GK-APP-001", "content/applications/abc/2025.yaml", 1)}
    assert run_check(make_repo(tmp_path / "ok", REGISTERS)) == []


def test_register_is_checked_against_its_schema(tmp_path):
    from tests.repo_factory import found, run_check

    bad = REGISTER_2025.replace("applicant: 商业企业", "applicant: 企业").replace('number: "2025-001", ', 'number: "2025-001", name: 张三, ')
    codes = {code for code, *_ in found(run_check(make_repo(tmp_path, {"content/applications/jyj/2025.yaml": bad})))}
    assert {"GK-SCH-002", "GK-SCH-003"} <= codes  # no field for who applied; applicant kinds from the format


def test_register_is_never_published(tmp_path):
    from tests.portal.conftest import build

    built = build(make_repo(tmp_path, REGISTERS), tmp_path / "out", "2026-06-01 09:00")
    assert built.result.ok
    for path in built.output.rglob("*"):
        assert "applications" not in path.as_posix()[len(str(built.output)):]
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".csv", ".txt", ".jsonld"):
            assert "2025-003" not in path.read_text(encoding="utf-8", errors="replace"), path
