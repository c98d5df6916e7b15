"""GK-DATA-001..006: every CSV resource of a dataset conforms to its Table Schema; cells pass the privacy screen."""
from __future__ import annotations

from pipeline.diagnostics import has_errors
from tests.item_samples import COMPANIONS, line_no, sample
from tests.repo_factory import found, make_repo, run_check as run_repo

PATH, DATASET = sample("dataset")
((CSV, TABLE),) = COMPANIONS["dataset"].items()


def run_check(tmp_path, files):
    return run_repo(make_repo(tmp_path, files))


def check(tmp_path, csv: str | bytes = TABLE, dataset: str = DATASET):
    return run_check(tmp_path, {PATH: dataset, CSV: csv})


def test_sample_dataset_passes(tmp_path):
    assert check(tmp_path) == []


def test_non_numeric_value_in_a_numeric_field_is_reported_at_its_csv_line_with_the_field_title(tmp_path):
    csv = TABLE.replace("2024,初中,52,46000", "2024,初中,五十二,46000")
    diagnostics = check(tmp_path, csv)
    assert found(diagnostics) == {("GK-DATA-003", CSV, 3)}
    message = diagnostics[0].message
    assert "「学校数」(schools)" in message and "「五十二」" in message and "整数" in message
    assert has_errors(diagnostics)


def test_line_numbers_follow_the_file_when_a_quoted_cell_spans_lines(tmp_path):
    csv = 'year,level,schools,pupils\n2024,"小学\n(含教学点)",120,98000\n2024,初中,52,x\n'
    diagnostics = check(tmp_path, csv)
    assert found(diagnostics) == {("GK-DATA-003", CSV, 4)}


def test_constraint_violation_names_the_constraint(tmp_path):
    diagnostics = check(tmp_path, TABLE.replace("2024,初中,52,46000", "2024,初中,-3,46000"))
    assert found(diagnostics) == {("GK-DATA-003", CSV, 3)}
    assert "不能小于 0" in diagnostics[0].message


def test_missing_required_value_and_short_row(tmp_path):
    csv = TABLE.replace("2024,初中,52,46000", "2024,,52,46000").replace("2025,小学,118,96500", "2025,小学,118")
    diagnostics = check(tmp_path, csv)
    assert found(diagnostics) == {("GK-DATA-003", CSV, 3), ("GK-DATA-003", CSV, 4)}
    assert any("不能为空" in d.message for d in diagnostics)
    assert any("缺少「在校学生数」(pupils)的值" in d.message for d in diagnostics)


def test_missing_required_column_is_one_header_diagnostic_at_line_one(tmp_path):
    csv = "\n".join(",".join(row.split(",")[:3]) for row in TABLE.strip().split("\n")) + "\n"
    diagnostics = check(tmp_path, csv)
    assert found(diagnostics) == {("GK-DATA-002", CSV, 1)}
    assert "缺少列:pupils" in diagnostics[0].message


def test_extra_or_reordered_columns_are_header_diagnostics(tmp_path):
    extra = TABLE.replace("year,level,schools,pupils", "year,level,schools,pupils,note").replace("98000", "98000,")
    assert "多出列:note" in check(tmp_path, extra)[0].message
    swapped = TABLE.replace("year,level,schools,pupils", "year,level,pupils,schools")
    diagnostics = check(tmp_path / "b", swapped)
    assert found(diagnostics) == {("GK-DATA-002", CSV, 1)} and "顺序" in diagnostics[0].message


def test_duplicate_primary_key_names_the_earlier_line(tmp_path):
    diagnostics = check(tmp_path, TABLE + "2024,小学,121,98100\n")
    assert found(diagnostics) == {("GK-DATA-004", CSV, 5)}
    assert "第 2 行重复" in diagnostics[0].message


def test_gbk_file_is_one_encoding_diagnostic_offering_normalize(tmp_path):
    diagnostics = check(tmp_path, TABLE.encode("gbk"))
    # The first line that cannot be UTF-8: 小学 in GBK (D0 A1 D1 A7) happens to be valid UTF-8 bytes, 初中 is not.
    assert found(diagnostics) == {("GK-DATA-001", CSV, 3)}
    assert "gongkai normalize" in diagnostics[0].message


def test_utf8_with_bom_as_excel_saves_it_passes(tmp_path):
    assert check(tmp_path, b"\xef\xbb\xbf" + TABLE.encode("utf-8")) == []


def test_errors_are_capped_per_resource(tmp_path):
    rows = "".join(f"{2000 + n},小学,x,1\n" for n in range(40))
    diagnostics = check(tmp_path, "year,level,schools,pupils\n" + rows)
    assert len(diagnostics) == 21 and sum("只列前 20 处" in d.message for d in diagnostics) == 1


def test_invalid_table_schema_and_chart_fields_are_data_005_at_the_resource(tmp_path):
    bad_key = DATASET.replace("primaryKey: [year, level]", "primaryKey: [year, grade]")
    diagnostics = check(tmp_path, dataset=bad_key)
    assert found(diagnostics) == {("GK-DATA-005", PATH, line_no(DATASET, "schema:"))}
    bad_chart = DATASET.replace("y: [pupils]", "y: [level]")
    diagnostics = check(tmp_path / "b", dataset=bad_chart)
    assert found(diagnostics) == {("GK-DATA-005", PATH, line_no(DATASET, "schema:"))}
    assert "level" in diagnostics[0].message


def test_open_condition_must_match_the_files(tmp_path):
    conditional = DATASET.replace("open_condition: 无条件开放", "open_condition: 有条件开放")
    diagnostics = check(tmp_path, dataset=conditional)
    assert found(diagnostics) == {("GK-DATA-006", PATH, line_no(DATASET, "open_condition:")),
                                  ("GK-DATA-006", PATH, line_no(DATASET, "file:"))}
    fixed = conditional.replace("    file: files/jyj/2026/sj-1/xxsl.csv\n", "").replace(
        "open_condition: 有条件开放", "open_condition: 有条件开放\napply: 科研机构可向市教育局发展规划科书面申请,10 个工作日内答复。")
    assert run_check(tmp_path / "b", {PATH: fixed}) == []
    no_file = DATASET.replace("    file: files/jyj/2026/sj-1/xxsl.csv\n", "")
    assert found(run_check(tmp_path / "c", {PATH: no_file})) == {("GK-DATA-006", PATH, line_no(DATASET, "- name: xxsl"))}


def test_missing_csv_is_a_missing_file(tmp_path):
    assert found(run_check(tmp_path, {PATH: DATASET})) == {("GK-REF-004", PATH, line_no(DATASET, "file:"))}


def test_privacy_screen_reads_every_cell(tmp_path):
    csv = "year,level,schools,pupils\n2024,小学 联系人13812345678,120,98000\n"
    diagnostics = check(tmp_path, csv)
    assert found(diagnostics) == {("GK-PRIV-002", CSV, 2)}
    assert "138****5678" in diagnostics[0].message and "13812345678" not in diagnostics[0].message
