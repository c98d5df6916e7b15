"""`gongkai report annual`: Part 2 of the yearly disclosure report computed from the content (issue 13)."""
from __future__ import annotations

import json
from datetime import datetime

import pytest

from pipeline.yearly_report.figures import NOT_COMPUTED, compute
from pipeline.content.repository import load_repository
from pipeline.timeutil import TZ
from tests.repo_factory import NEWS, POLICY, make_repo
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


def test_a_document_made_in_the_year_and_published_after_it_counts_for_its_year(tmp_path):
    files = {**FILES, "content/policies/zc-h.md": policy("zc-h", "2025-12-30").replace("date: 2025-12-30 10:00",
                                                                                        "date: 2026-01-05 10:00")}
    root = make_repo(tmp_path, files)
    before = compute(load_repository(root, now=datetime(2026, 1, 2, tzinfo=TZ)), 2025, "jyj")
    assert "zc-h" not in before.documents["行政规范性文件"]["issued"].items  # not on the site yet
    repo = load_repository(root, now=datetime(2026, 2, 1, tzinfo=TZ))
    y2025, y2026 = (counts(compute(repo, y, "jyj")) for y in (2025, 2026))
    assert "zc-h" in y2025["issued"][1] and "zc-h" in y2025["in_force"][1]
    assert y2026["in_force"][0] == y2025["in_force"][0] + y2026["issued"][0] - y2026["repealed"][0]


def test_a_document_withdrawn_from_the_site_is_repealed_in_the_year_of_its_withdrawal(tmp_path):
    withdrawn = FILES["content/policies/zc-c.md"] + ""
    withdrawn = withdrawn.replace("validity:", "withdrawn: {date: 2026-05-10 09:00, reason: 发布有误,予以撤回}\nvalidity:", 1)
    root = make_repo(tmp_path, {**FILES, "content/policies/zc-c.md": withdrawn})
    repo = load_repository(root, now=datetime(2026, 6, 1, tzinfo=TZ))
    y2025, y2026 = (counts(compute(repo, y, "jyj")) for y in (2025, 2026))
    assert "zc-c" in y2025["in_force"][1] and "zc-c" in y2026["repealed"][1] and "zc-c" not in y2026["in_force"][1]
    assert y2026["in_force"][0] == y2025["in_force"][0] + y2026["issued"][0] - y2026["repealed"][0]


def test_figures_the_content_cannot_give_are_marked_with_the_reason(tmp_path):
    rep = report(tmp_path, 2025)
    assert set(rep.decisions) == {"行政许可", "行政处罚", "行政强制", "行政事业性收费"}
    assert all(f.value is None and f.how for f in rep.decisions.values())


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
    read = 0
    for path in built.output.rglob("*"):
        assert "applications" not in path.as_posix()[len(str(built.output)):]
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".csv", ".txt", ".jsonld"):
            assert "2025-003" not in path.read_text(encoding="utf-8", errors="replace"), path
            read += 1
    assert read >= 10 and (built.output / "index.html").is_file(), f"only {read} files of the site were searched"


# --- decisions and fees from datasets --------------------------------------------------------------------------

def decisions_dataset(did: str, row: str, fields: list[str], csv_name: str, use: str) -> str:
    front = [f"id: {did}", f"title: 测试市教育局{row}数据", "unit: jyj", "date: 2026-01-10 10:00", "modified: 2026-01-10",
             f"summary: 逐件公开的{row}。", "disclosure_category: enforcement", f"keywords: [{row}]", "theme: 教育文化",
             "license: CC-BY-4.0", "frequency: 每年", 'temporal: {start: "2024", end: "2025"}', "spatial: 测试市",
             "open_condition: 无条件开放", "contact: {name: 市教育局法规科, phone: 0771-5612000}", "resources:",
             "  - name: mx", f"    title: {row}明细", f"    file: files/jyj/2026/{did}/{csv_name}", f"    annual_report: {use}",
             "    schema:", "      fields:", *(f"        - {f}" for f in fields)]
    return "---\n" + "\n".join(front) + "\n---\n每行一件。\n"


PUNISHMENTS = decisions_dataset("sj-cf", "行政处罚", ["{name: wh, title: 决定书文号, type: string, constraints: {required: true}}",
                                                   "{name: jdrq, title: 决定日期, type: date, constraints: {required: true}}"],
                                "cf.csv", "{row: 行政处罚, date: jdrq}")
FEE_ITEMS = decisions_dataset("sj-sf", "行政事业性收费", ["{name: xm, title: 收费项目, type: string}",
                                                    "{name: nd, title: 年度, type: year}",
                                                    "{name: je, title: 收费金额, type: number, unit: 元}"],
                              "sf.csv", "{row: 行政事业性收费, date: nd, amount: je}")
DATASETS = {
    "content/datasets/sj-cf.md": PUNISHMENTS,
    "content/files/jyj/2026/sj-cf/cf.csv": "wh,jdrq\n测教罚〔2024〕9号,2024-12-30\n测教罚〔2025〕1号,2025-03-02\n"
                                          "测教罚〔2025〕2号,2025-07-15\n测教罚〔2025〕3号,2025-12-31\n",
    "content/datasets/sj-sf.md": FEE_ITEMS,
    "content/files/jyj/2026/sj-sf/sf.csv": "xm,nd,je\n教师资格认定体检费,2024,90000\n教师资格认定体检费,2025,125000\n"
                                          "普通话水平测试费,2025,37500.5\n",
}


def test_decisions_and_fees_are_counted_from_datasets_that_list_them_row_by_row(tmp_path):
    from pipeline.yearly_report.figures import same_value

    root = make_repo(tmp_path, {**FILES, **DATASETS})
    rep = compute(load_repository(root, now=datetime(2026, 3, 1, tzinfo=TZ)), 2025, "jyj")
    assert (rep.decisions["行政处罚"].value, rep.decisions["行政处罚"].items) == (3, ["sj-cf"])
    assert rep.decisions["行政事业性收费"].value == 16.25005  # (125000 + 37500.5) 元 in 万元, not rounded
    assert rep.decisions["行政许可"].value is None
    # a report may write the amount to fewer decimals: it agrees at the precision written
    assert same_value(16.25005, 16.25005) and same_value(16.25, 16.25005) and same_value(16.3, 16.25005)
    assert not same_value(16.2, 16.25005) and not same_value("16.25", 16.25005)
    # a year the dataset does not cover whole is not computed from it (its rows would undercount)
    before = compute(load_repository(root, now=datetime(2026, 3, 1, tzinfo=TZ)), 2023, "jyj")
    assert before.decisions["行政处罚"].value is None and before.decisions["行政事业性收费"].value is None


def test_a_scope_of_several_units_is_computed_only_from_sources_every_unit_keeps(tmp_path):
    root = make_repo(tmp_path, {**FILES, **DATASETS, **REGISTERS})
    rep = compute(load_repository(root, now=datetime(2026, 3, 1, tzinfo=TZ)), 2025, ["jyj", "yjzfb"])
    assert rep.applications is None and rep.reviews is None  # yjzfb keeps no register
    assert rep.decisions["行政处罚"].value is None and "测试市人民政府办公室" in rep.decisions["行政处罚"].how


def test_a_dataset_whose_report_fields_do_not_fit_is_a_data_diagnostic(tmp_path):
    from tests.repo_factory import run_check

    bad = DATASETS["content/datasets/sj-sf.md"].replace("unit: 元", "unit: 千元")
    wrong_field = DATASETS["content/datasets/sj-cf.md"].replace("date: jdrq}", "date: rq}")
    diagnostics = run_check(make_repo(tmp_path, {**DATASETS, "content/datasets/sj-sf.md": bad,
                                                 "content/datasets/sj-cf.md": wrong_field}))
    messages = {d.path: d.message for d in diagnostics if d.code == "GK-DATA-005"}
    assert "元 或 万元" in messages["content/datasets/sj-sf.md"]
    assert "「rq」" in messages["content/datasets/sj-cf.md"]
    assert not [d for d in run_check(make_repo(tmp_path / "ok", DATASETS)) if d.code.startswith("GK-DATA")]


# --- the report item: drafted by --write, checked against the content -------------------------------------------

def written_report(tmp_path, files=None, year="2025", extra=()):
    root = make_repo(tmp_path, {**FILES, **REGISTERS, **(files or {})})
    result = gongkai("--root", root, "report", "annual", "--year", year, "--unit", "jyj", "--write", "--now",
                     "2026-02-01 09:00", *extra)
    assert result.returncode == 0, result.stderr
    return root, root / f"content/reports/jyj/ndbg-jyj-{year}.md"


def test_write_drafts_the_report_with_the_tables_filled_and_the_text_left_to_write(tmp_path):
    from pipeline.yearly_report.figures import PLACEHOLDER
    from tests.repo_factory import run_check

    root, path = written_report(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "行政规范性文件: {本年制发件数: 2, 本年废止件数: 2, 现行有效件数: 4}" in text
    assert "本年新收: {自然人: 3, 商业企业: 1, " in text and "行政许可: {本年处理决定数量: 待填写}" in text
    for part in ("## 一、总体情况", "## 五、存在的主要问题及改进情况", "## 六、其他需要报告的事项"):
        assert part in text
    codes = {d.code for d in run_check(root) if d.path.endswith("ndbg-jyj-2025.md")}
    assert codes == {"GK-WORD-002"}  # the placeholders stop it, and its computed figures agree
    assert text.count(PLACEHOLDER) >= 7  # 3 text parts and 4 figures the content cannot give


def test_write_again_updates_only_the_figures_and_keeps_what_the_unit_wrote(tmp_path):
    root, path = written_report(tmp_path)
    text = path.read_text(encoding="utf-8").replace("待填写:概述", "2025 年,本局坚持以公开为常态。概述")
    text = text.replace("行政许可: {本年处理决定数量: 待填写}", "行政许可: {本年处理决定数量: 1260}")
    path.write_text(text, encoding="utf-8")
    (root / "content/policies/zc-h.md").write_text(policy("zc-h", "2025-11-01"), encoding="utf-8")
    result = gongkai("--root", root, "report", "annual", "--year", "2025", "--unit", "jyj", "--write")
    assert result.returncode == 0, result.stderr
    again = path.read_text(encoding="utf-8")
    assert "行政规范性文件: {本年制发件数: 3, 本年废止件数: 2, 现行有效件数: 5}" in again  # zc-h counted
    assert "2025 年,本局坚持以公开为常态。" in again and "行政许可: {本年处理决定数量: 1260}" in again


def test_a_published_figure_that_differs_from_the_content_names_its_cell_both_values_and_the_items(tmp_path):
    from tests.item_samples import line_no
    from tests.repo_factory import run_check

    root, path = written_report(tmp_path)
    text = path.read_text(encoding="utf-8").replace("现行有效件数: 4}", "现行有效件数: 5}")
    path.write_text(text, encoding="utf-8")
    found = [d for d in run_check(root) if d.code == "GK-RPT-001"]
    assert len(found) == 1
    d = found[0]
    assert (d.path, d.line) == ("content/reports/jyj/ndbg-jyj-2025.md", line_no(text, "行政规范性文件: {本年制发件数"))
    assert "「行政规范性文件」的「现行有效件数」填报为 5,按内容计算为 4" in d.message
    assert "zc-a、zc-c、zc-d、zc-e" in d.message and "--write" in d.message


def test_a_part_3_figure_from_the_register_is_compared_too(tmp_path):
    from tests.repo_factory import run_check

    root, path = written_report(tmp_path)
    text = path.read_text(encoding="utf-8").replace("予以公开: {自然人: 1,", "予以公开: {自然人: 2,")
    path.write_text(text, encoding="utf-8")
    messages = [d.message for d in run_check(root) if d.code == "GK-RPT-001"]
    assert len(messages) == 1 and "依申请公开「予以公开」的「自然人」填报为 2,按内容计算为 1" in messages[0]
    assert "content/applications/jyj/2025.yaml" in messages[0]


def test_in_force_must_follow_from_the_previous_years_report(tmp_path):
    from tests.repo_factory import run_check

    root, path24 = written_report(tmp_path, year="2024")
    gongkai("--root", root, "report", "annual", "--year", "2025", "--unit", "jyj", "--write")
    path25 = root / "content/reports/jyj/ndbg-jyj-2025.md"
    assert not [d for d in run_check(root) if d.code == "GK-RPT-002"]
    # The 2024 report said 5 in force (the content says 4): 5 + 2 - 2 is not 2025's 4.
    text = path24.read_text(encoding="utf-8").replace("现行有效件数: 4}", "现行有效件数: 5}")
    path24.write_text(text, encoding="utf-8")
    found = [d for d in run_check(root) if d.code in ("GK-RPT-001", "GK-RPT-002")]
    assert {(d.code, d.path) for d in found} == {("GK-RPT-001", "content/reports/jyj/ndbg-jyj-2024.md"),
                                                 ("GK-RPT-002", "content/reports/jyj/ndbg-jyj-2025.md")}
    assert "上年现行有效 5 + 本年制发 2 − 本年废止 2 = 5" in next(d.message for d in found if d.code == "GK-RPT-002")
    assert path25.exists()


def test_write_without_a_unit_is_a_usage_error(tmp_path):
    result = gongkai("--root", make_repo(tmp_path, FILES), "report", "annual", "--year", "2025", "--write")
    assert result.returncode == 2 and "--unit" in result.stderr and "Traceback" not in result.stderr


def test_the_report_schema_holds_exactly_the_cells_of_the_format(tmp_path):
    from pipeline.yearly_report.tables import tables
    from pipeline.content.schema import SchemaSet

    schemas = SchemaSet()
    register = schemas.schemas["applications"]
    layout = {c for t in tables(register["x-applicants"], register["x-outcomes"], register["x-results"])
              for _, cells in t.rows for c in cells}
    figures = schemas.compiled("report")["properties"]["figures"]["properties"]
    in_schema = {(part, row, column) for part, rows in figures.items() for row, cols in rows["properties"].items()
                 for column in cols["properties"]}
    assert in_schema == layout
    computed = report(tmp_path, 2025, files={**FILES, **REGISTERS}).cells()
    assert set(computed) <= layout


def test_new_report_drafts_last_years_report_from_the_content(tmp_path):
    root = make_repo(tmp_path, {**FILES, **REGISTERS})
    result = gongkai("--root", root, "new", "report", "--unit", "jyj", "--now", "2026-01-05 09:00")
    assert result.returncode == 0, result.stderr
    text = (root / "content/reports/jyj/ndbg-jyj-2025.md").read_text(encoding="utf-8")
    assert "year: 2025" in text and "行政规范性文件: {本年制发件数: 2, 本年废止件数: 2, 现行有效件数: 4}" in text
    refused = gongkai("--root", root, "new", "report")
    assert refused.returncode == 2 and "--unit" in refused.stderr


def test_two_reports_for_the_same_unit_and_year_are_an_error(tmp_path):
    from tests.repo_factory import run_check

    root, path = written_report(tmp_path)
    twin = path.read_text(encoding="utf-8").replace("id: ndbg-jyj-2025", "id: ndbg-jyj-2025b")
    (path.parent / "ndbg-jyj-2025b.md").write_text(twin, encoding="utf-8")
    found = {(d.code, d.path) for d in run_check(root) if d.code == "GK-RPT-003"}
    assert found == {("GK-RPT-003", "content/reports/jyj/ndbg-jyj-2025b.md")}
    earlier = twin.replace('date: "2026-02-01 09:00"', 'date: "2026-01-20 09:00"')
    assert earlier != twin
    (path.parent / "ndbg-jyj-2025b.md").write_text(earlier, encoding="utf-8")
    found = {(d.code, d.path) for d in run_check(root) if d.code == "GK-RPT-003"}
    assert found == {("GK-RPT-003", "content/reports/jyj/ndbg-jyj-2025.md")}  # the later one is the second
    withdrawn = earlier.replace("year: 2025\n", "year: 2025\nwithdrawn: {date: 2026-01-21 09:00, reason: 重复发布}\n", 1)
    (path.parent / "ndbg-jyj-2025b.md").write_text(withdrawn, encoding="utf-8")
    assert not [d for d in run_check(root) if d.code == "GK-RPT-003"]


def test_an_application_open_across_two_year_ends_is_carried_until_answered_and_its_review_counted_once(tmp_path):
    register_2024 = ('unit: jyj\nyear: 2024\napplications:\n  - {number: "2024-009", received: 2024-11-20, applicant: 其他, '
                     'outcome: 部分公开, answered: 2026-02-01, review: 维持}\n')
    files = {**FILES, **REGISTERS, "content/applications/jyj/2024.yaml": register_2024}
    y2025, y2026 = report(tmp_path / "a", 2025, files=files), report(tmp_path / "b", 2026, files=files)
    rows25, rows26 = y2025.applications["rows"], y2026.applications["rows"]
    assert rows25["上年结转"]["其他"] == 1 and rows25["结转下年度继续办理"]["其他"] == 1
    assert rows26["上年结转"]["其他"] == 1 and rows26["部分公开"]["其他"] == 1
    assert y2025.reviews["行政复议"]["维持"] == 1  # 2025-002's, not 2024-009's: that one is answered in 2026
    assert y2026.reviews["行政复议"]["维持"] == 1
    for rows in (rows25, rows26):
        assert rows["本年新收"]["总计"] + rows["上年结转"]["总计"] == rows["办理结果总计"]["总计"] + rows["结转下年度继续办理"]["总计"]


def test_rewriting_the_figures_keeps_everything_else_as_written():
    from pipeline.yearly_report.draft import replace_figures

    figures = {"主动公开": {"规章": {"本年制发件数": 2}}}
    text = ("---\nid: r\nfigures:\n  主动公开:\n# 第二部分由单位核对\n    规章: {本年制发件数: 1}\n"
            "  依申请公开: {}\nsummary: 摘要\n---\n正文\n---\n附言\n")
    out = replace_figures(text, figures)
    assert out == "---\nid: r\nfigures:\n  主动公开:\n    规章: {本年制发件数: 2}\nsummary: 摘要\n---\n正文\n---\n附言\n"
    crlf = "\ufeff" + text.replace("\n", "\r\n")
    again = replace_figures(crlf, figures)
    assert again.startswith("\ufeff---\r\n") and "\n" not in again.replace("\r\n", "")
    assert again.replace("\r\n", "\n").lstrip("\ufeff") == out
    dots = replace_figures("---\nid: r\n...\n正文\n", {"主动公开": {"行政许可": {"本年处理决定数量": "1,130"}}})
    assert dots == '---\nid: r\nfigures:\n  主动公开:\n    行政许可: {本年处理决定数量: "1,130"}\n...\n正文\n'
    with pytest.raises(ValueError):
        replace_figures("没有头信息\n", figures)


def test_a_report_covering_a_unit_that_does_not_exist_says_so_and_is_not_compared(tmp_path):
    from tests.repo_factory import run_check

    root, path = written_report(tmp_path)
    text = path.read_text(encoding="utf-8").replace("year: 2025\n", "year: 2025\ncovers: [jyj, jyjj]\n", 1)
    path.write_text(text, encoding="utf-8")
    codes = [(d.code, d.message) for d in run_check(root) if d.code.startswith("GK-RPT")]
    assert len(codes) == 1 and codes[0][0] == "GK-RPT-004" and "「jyjj」" in codes[0][1]


def test_an_application_is_registered_once_and_in_its_year(tmp_path):
    from tests.repo_factory import run_check

    twice = REGISTER_2026.replace('number: "2026-001"', 'number: "2025-005"')
    late = REGISTER_2025.replace("received: 2025-12-29", "received: 2026-01-03")
    found = {(d.code, d.path) for d in run_check(make_repo(tmp_path, {**REGISTERS, "content/applications/jyj/2026.yaml": twice,
                                                                      "content/applications/jyj/2025.yaml": late}))
             if d.code.startswith("GK-APP")}
    assert found == {("GK-APP-002", "content/applications/jyj/2026.yaml"), ("GK-APP-003", "content/applications/jyj/2025.yaml")}
    # counted once all the same, as its latest file records it
    rows = report(tmp_path / "r", 2026, files={**FILES, **REGISTERS, "content/applications/jyj/2026.yaml": twice}).applications["rows"]
    assert rows["本年新收"]["总计"] + rows["上年结转"]["总计"] == 2


def test_a_published_report_is_compared_with_the_site_as_it_was_when_the_report_came_out(tmp_path):
    from tests.repo_factory import run_check

    root, path = written_report(tmp_path)  # dated 2026-02-01: zc-a, zc-c, zc-d, zc-e in force
    late = policy("zc-k", "2025-06-01").replace("date: 2025-06-01 10:00", "date: 2026-12-20 10:00")
    (root / "content/policies/zc-k.md").write_text(late, encoding="utf-8")
    repo_later = load_repository(root, now=datetime(2026, 12, 21, tzinfo=TZ))
    from pipeline.check.whole import check_repository
    assert not [d for d in check_repository(repo_later) if d.code.startswith("GK-RPT")]
    assert not [d for d in run_check(root) if d.code.startswith("GK-RPT")]
    assert "zc-k" in compute(repo_later, 2025, "jyj").documents["行政规范性文件"]["issued"].items  # a new draft counts it


def test_write_on_a_published_report_computes_as_the_check_compares(tmp_path):
    from tests.repo_factory import run_check

    root, path = written_report(tmp_path)  # dated 2026-02-01
    late = policy("zc-k", "2025-06-01").replace("date: 2025-06-01 10:00", "date: 2026-03-01 10:00")
    (root / "content/policies/zc-k.md").write_text(late, encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    result = gongkai("--root", root, "report", "annual", "--year", "2025", "--unit", "jyj", "--write")
    assert result.returncode == 0 and "date" in result.stdout
    assert path.read_text(encoding="utf-8") == before  # as of its date zc-k was not on the site
    path.write_text(before.replace('date: "2026-02-01 09:00"', 'date: "2026-03-02 09:00"'), encoding="utf-8")
    assert [d.code for d in run_check(root) if d.code.startswith("GK-RPT")] == ["GK-RPT-001", "GK-RPT-001"]  # issued, in force
    gongkai("--root", root, "report", "annual", "--year", "2025", "--unit", "jyj", "--write")
    assert "本年制发件数: 3" in path.read_text(encoding="utf-8")
    assert not [d for d in run_check(root) if d.code.startswith("GK-RPT")]


def test_in_force_and_ended_and_the_validity_shown_agree_on_every_day(tmp_path):
    """`validity_on` (pages, library, search) and `ended_on` (repealed figures) say the same as `in_force_on`
    (in-force figures, coverage) on every day from 2024 to 2026, for documents repealed, revised, with a term."""
    from datetime import date, timedelta

    from pipeline.core.policy_validity import IN_FORCE, ended_on, in_force_on, issued_on, validity_on

    repo = load_repository(make_repo(tmp_path, FILES))
    day = date(2024, 1, 1)
    while day <= date(2026, 12, 31):
        for p in repo.of_type("policy"):
            ended, issued = ended_on(p), issued_on(p)
            assert in_force_on(p, day) == (issued <= day and (ended is None or day < ended)), (p.id, day)
            assert in_force_on(p, day) == (issued <= day and validity_on(p, day) == IN_FORCE), (p.id, day)
        day += timedelta(days=1)
    assert validity_on(repo.by_id["zc-d"], date(2025, 12, 31)) == IN_FORCE
    assert validity_on(repo.by_id["zc-d"], date(2026, 1, 1)) == "失效"
    assert validity_on(repo.by_id["zc-b"], date(2025, 6, 29)) == IN_FORCE  # repealed from its validity_date on
    assert validity_on(repo.by_id["zc-b"], date(2025, 6, 30)) == "已废止"


def test_a_check_computes_a_reports_figures_again_only_when_a_file_they_count_changed(tmp_path, monkeypatch):
    """The cached check (`gongkai check`, the build's gate) keeps each report's figures with a digest of the
    files they count: the units' own items, the letters they answer, the interpretations of their policies
    and their datasets' data files. A change elsewhere reuses them; a change to any of those computes them
    again. Each time the check says what a check from nothing says, and the figures it hands on to the
    report's page are what a fresh computation gives."""
    import pipeline.yearly_report.figures as figures
    from pipeline.check.cached import check_repository_cached
    from pipeline.check.whole import check_repository
    from pipeline.content.parse_cache import ParseCache
    from tests.item_samples import SAMPLES

    root, path = written_report(tmp_path, DATASETS)
    result = gongkai("--root", root, "report", "annual", "--year", "2025", "--unit", "yjzfb", "--write", "--now",
                     "2026-02-01 09:00")
    assert result.returncode == 0, result.stderr
    now = datetime(2026, 2, 1, 12, 0, tzinfo=TZ)
    fresh_compute, computed = figures._compute, []
    monkeypatch.setattr(figures, "_compute", lambda repo, year, scope, as_of: computed.append(scope)
                        or fresh_compute(repo, year, scope, as_of))
    letter = SAMPLES["letter"][1].replace("id: xj-1", "id: xj-9").replace("unit: jyj", "unit: yjzfb", 1)
    letter = letter.replace("2026-03-02 09:00", "2025-06-02 09:00").replace("2026-03-03 16:00", "2025-06-03 16:00")
    interpretation = (f"---\nid: jd-9\ntitle: 《办法》政策解读\nunit: yjzfb\ndate: 2026-01-15 09:00\n"
                      f"interprets: [zc-a]\nform: 图解\n---\n解读正文。\n")
    steps = [
        ("nothing changed", None, "", set()),
        ("a news item of the other unit", "content/news/xw-9.md", NEWS.replace("unit: jyj", "unit: yjzfb").replace("xw-1", "xw-9"), {("yjzfb",)}),
        ("the other unit interprets a jyj policy", "content/interpretations/jd-9.md", interpretation,
         {("jyj",), ("yjzfb",)}),
        ("jyj answers a letter of the other unit", "content/letters/xj-9.md", letter, {("jyj",), ("yjzfb",)}),
        ("one more punishment in jyj's dataset", "content/files/jyj/2026/sj-cf/cf.csv",
         DATASETS["content/files/jyj/2026/sj-cf/cf.csv"] + "测教罚〔2025〕4号,2025-08-01\n", {("jyj",)}),
    ]
    check_repository_cached(load_repository(root, now=now))
    for name, rel, text, recomputed in steps:
        if rel:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
        computed.clear()
        repo = load_repository(root, now=now)
        found = check_repository_cached(repo)
        assert set(computed) == recomputed, name
        fresh = load_repository(root, now=now, cache=ParseCache(root, use=False))
        assert found == check_repository(fresh), name
        handed_on = figures.computed_reports(repo)
        assert {k[1] for k in handed_on} == {("jyj",), ("yjzfb",)}, name
        for key, report in handed_on.items():
            assert report == fresh_compute(fresh, *key), (name, key)
    assert any("「行政处罚」的「本年处理决定数量」填报为 3,按内容计算为 4" in d.message for d in found if d.code == "GK-RPT-001")
