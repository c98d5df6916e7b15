"""GK-COV-001 (warning): a unit has no current item in a disclosure category that applies to it."""
from __future__ import annotations

from datetime import datetime

from pipeline.check.whole import check_repository
from pipeline.diagnostics import Severity, has_errors
from pipeline.content.repository import load_repository
from pipeline.timeutil import TZ
from tests.item_samples import line_no, sample
from tests.repo_factory import found, make_repo, unit_yaml

JYJ = "content/units/jyj.yaml"
BUDGET_UNIT = unit_yaml("jyj", "测试市教育局", applicable=("budget",))
NA_LINE = line_no(BUDGET_UNIT, "not_applicable:")
NOTICE_PATH, NOTICE = sample("notice")  # unit jyj, dated 2026-02-20 10:00
BUDGET_NOTICE = NOTICE.replace("disclosure_category: livelihood", "disclosure_category: budget")


def at(year, month, day):
    return datetime(year, month, day, 12, 0, tzinfo=TZ)


def check(tmp_path, files, now):
    return check_repository(load_repository(make_repo(tmp_path, files), now=now))


def test_unit_with_nothing_in_an_applicable_category_is_warned_at_not_applicable(tmp_path):
    diagnostics = check(tmp_path, {JYJ: BUDGET_UNIT}, at(2026, 6, 1))
    assert found(diagnostics) == {("GK-COV-001", JYJ, NA_LINE)}
    (diag,) = diagnostics
    assert diag.severity is Severity.WARNING
    assert diag.message == "测试市教育局有 1 个公开类别没有现行内容:财政预决算。"
    assert not has_errors(diagnostics)


def test_current_item_in_the_category_passes(tmp_path):
    assert check(tmp_path, {JYJ: BUDGET_UNIT, NOTICE_PATH: BUDGET_NOTICE}, at(2026, 6, 1)) == []


def test_item_of_another_unit_does_not_cover(tmp_path):
    notice = BUDGET_NOTICE.replace("unit: jyj", "unit: yjzfb")
    assert found(check(tmp_path, {JYJ: BUDGET_UNIT, NOTICE_PATH: notice}, at(2026, 6, 1))) == {("GK-COV-001", JYJ, NA_LINE)}


def test_item_older_than_the_horizon_does_not_cover(tmp_path):
    diagnostics = check(tmp_path, {JYJ: BUDGET_UNIT, NOTICE_PATH: BUDGET_NOTICE}, at(2027, 3, 1))
    assert found(diagnostics) == {("GK-COV-001", JYJ, NA_LINE)}


def test_future_item_does_not_cover_yet(tmp_path):
    diagnostics = check(tmp_path, {JYJ: BUDGET_UNIT, NOTICE_PATH: BUDGET_NOTICE}, at(2026, 2, 1))
    assert found(diagnostics) == {("GK-COV-001", JYJ, NA_LINE)}


def test_withdrawn_item_does_not_cover(tmp_path):
    notice = BUDGET_NOTICE.replace("valid_until: 2026-03-31", "withdrawn:\n  date: 2026-02-21\n  reason: 数据有误")
    diagnostics = check(tmp_path, {JYJ: BUDGET_UNIT, NOTICE_PATH: notice}, at(2026, 6, 1))
    assert found(diagnostics) == {("GK-COV-001", JYJ, NA_LINE)}


def test_horizon_comes_from_settings(tmp_path):
    files = {JYJ: BUDGET_UNIT, NOTICE_PATH: BUDGET_NOTICE,
             "content/governance/settings.yaml": "coverage:\n  current_days: 30\n"}
    assert found(check(tmp_path, files, at(2026, 6, 1))) == {("GK-COV-001", JYJ, NA_LINE)}
    assert check(tmp_path / "b", files, at(2026, 3, 1)) == []


def test_unit_without_exemptions_is_warned_at_its_id_and_lists_every_category(tmp_path):
    unit = "id: jyj\nname: 测试市教育局\nkind: 市直部门\ncontact:\n  address: 测试市 1 号\n  phone: 0771-1\n  hours: 工作日\n"
    diagnostics = check(tmp_path, {JYJ: unit}, at(2026, 6, 1))
    assert found(diagnostics) == {("GK-COV-001", JYJ, 1)}
    message = diagnostics[0].message
    assert message.startswith("测试市教育局有 15 个公开类别没有现行内容:规章和规范性文件、机构职能、")
    assert message.count("、") == 14 and "\n" not in message  # one line, however many are missing


def test_unit_record_with_functions_leader_and_contact_covers_organization(tmp_path):
    organization = unit_yaml("jyj", "测试市教育局", applicable=("organization",))
    assert found(check(tmp_path, {JYJ: organization}, at(2026, 6, 1))) == {("GK-COV-001", JYJ, NA_LINE)}
    described = organization.replace("kind: 市直部门", "kind: 市直部门\nfunctions: 主管全市教育工作。\nleader: 局长 张三")
    assert check(tmp_path / "b", {JYJ: described}, at(2026, 6, 1)) == []


def test_declared_exemptions_pass(tmp_path):
    assert check(tmp_path, {}, at(2026, 6, 1)) == []


ELSEWHERE = ("published_elsewhere:\n  - category: budget\n    platform: 测试市预决算公开平台\n"
             "    url: https://yjs.test.gov.cn/bm/jyj/\n")


def test_category_published_on_a_dedicated_platform_is_covered(tmp_path):
    assert check(tmp_path, {JYJ: BUDGET_UNIT + ELSEWHERE}, at(2026, 6, 1)) == []


def test_platform_without_an_address_is_a_schema_error(tmp_path):
    unit = BUDGET_UNIT + ELSEWHERE.replace("    url: https://yjs.test.gov.cn/bm/jyj/\n", "")
    assert ("GK-SCH-001", JYJ, line_no(unit, "  - category: budget")) in found(check(tmp_path, {JYJ: unit}, at(2026, 6, 1)))


def test_category_declared_both_not_applicable_and_elsewhere_is_an_error_at_the_second(tmp_path):
    unit = unit_yaml("jyj", "测试市教育局") + ELSEWHERE
    diagnostics = check(tmp_path, {JYJ: unit}, at(2026, 6, 1))
    assert found(diagnostics) == {("GK-COV-002", JYJ, line_no(unit, "  - category: budget", 2))}
    assert has_errors(diagnostics)
    assert "预决算" in diagnostics[0].message
