"""GK-REL-001/002/003: policies and their interpretations (Art. 7(2), 13)."""
from __future__ import annotations

import pytest

from tests.item_samples import line_no
from tests.repo_factory import INTERPRETATION, POLICY, found, make_repo, run_check

POLICY_PATH = "content/policies/zc-1.md"
INTERP_PATH = "content/interpretations/jd-zc-1.md"
DOC_TYPE_LINE = line_no(POLICY, "doc_type:")


def check(tmp_path, files):
    return run_check(make_repo(tmp_path, files))


def policy(doc_type="行政规范性文件", extra=""):
    text = POLICY.replace("doc_type: 行政规范性文件", f"doc_type: {doc_type}")
    return text.replace("validity: 现行有效", ("validity: 现行有效\n" + extra).rstrip())


# --- GK-REL-001 ------------------------------------------------------------------------------

@pytest.mark.parametrize("doc_type", ["行政规范性文件", "规章"])
def test_policy_that_must_be_interpreted_without_interpretation_is_rel_001(tmp_path, doc_type):
    diagnostics = check(tmp_path, {POLICY_PATH: policy(doc_type)})
    assert found(diagnostics) == {("GK-REL-001", POLICY_PATH, DOC_TYPE_LINE)}
    assert "zc-1" in diagnostics[0].message and "gongkai new interpretation" in diagnostics[0].message


def test_flagged_other_document_without_interpretation_is_rel_001(tmp_path):
    diagnostics = check(tmp_path, {POLICY_PATH: policy("其他文件", "needs_interpretation: true")})
    assert found(diagnostics) == {("GK-REL-001", POLICY_PATH, DOC_TYPE_LINE)}


def test_other_document_needs_no_interpretation(tmp_path):
    assert check(tmp_path, {POLICY_PATH: policy("其他文件")}) == []


def test_policy_with_interpretation_passes(tmp_path):
    assert check(tmp_path, {POLICY_PATH: POLICY, INTERP_PATH: INTERPRETATION}) == []


def test_interpretation_of_several_policies_counts_for_each(tmp_path):
    second = POLICY.replace("zc-1", "zc-2").replace("〔2026〕1号", "〔2026〕2号").replace("2026-00001", "2026-00002")
    interp = INTERPRETATION.replace("interprets: [zc-1]", "interprets: [zc-1, zc-2]")
    assert check(tmp_path, {POLICY_PATH: POLICY, "content/policies/zc-2.md": second, INTERP_PATH: interp}) == []


def test_withdrawn_interpretation_does_not_count(tmp_path):
    interp = INTERPRETATION.replace("form: 文字", "form: 文字\nwithdrawn:\n  date: 2026-03-02\n  reason: 内容有误")
    diagnostics = check(tmp_path, {POLICY_PATH: POLICY, INTERP_PATH: interp})
    assert found(diagnostics) == {("GK-REL-001", POLICY_PATH, DOC_TYPE_LINE)}


def test_withdrawn_policy_needs_no_interpretation(tmp_path):
    withdrawn = policy(extra="withdrawn:\n  date: 2026-03-02\n  reason: 误发")
    assert check(tmp_path, {POLICY_PATH: withdrawn}) == []


def test_required_document_types_come_from_settings(tmp_path):
    settings = "interpretation:\n  required_doc_types: [规章]\n"
    files = {POLICY_PATH: POLICY, "content/governance/settings.yaml": settings}
    assert check(tmp_path, files) == []
    files[POLICY_PATH] = policy("规章")
    assert found(check(tmp_path / "b", files)) == {("GK-REL-001", POLICY_PATH, DOC_TYPE_LINE)}


# --- GK-REL-002 ------------------------------------------------------------------------------

def interpretation_dated(date: str) -> str:
    return INTERPRETATION.replace("date: 2026-03-01 09:00", f"date: {date}")


@pytest.mark.parametrize("date", ["2026-03-05 09:00", "2026-03-01 09:30", "2026-03-02"])
def test_interpretation_later_than_policy_is_rel_002_at_its_date(tmp_path, date):
    interp = interpretation_dated(date)
    diagnostics = check(tmp_path, {POLICY_PATH: POLICY, INTERP_PATH: interp})
    assert found(diagnostics) == {("GK-REL-002", INTERP_PATH, line_no(interp, "date:"))}


@pytest.mark.parametrize("date", ["2026-03-01 09:00", "2026-02-28 17:00", "2026-03-01", "2026-03-01 23:00"])
def test_interpretation_no_later_than_policy_passes(tmp_path, date):
    """Same moment, earlier, or the same day when one side gives no time."""
    interp = interpretation_dated(date)
    if date == "2026-03-01 23:00":  # the policy gives only a day: compared by day
        files = {POLICY_PATH: POLICY.replace("date: 2026-03-01 09:00", "date: 2026-03-01"), INTERP_PATH: interp}
    else:
        files = {POLICY_PATH: POLICY, INTERP_PATH: interp}
    assert check(tmp_path, files) == []


def test_one_timely_interpretation_is_enough(tmp_path):
    late = interpretation_dated("2026-04-01").replace("jd-zc-1", "jd-zc-1-tj").replace("form: 文字", "form: 新闻发布会")
    files = {POLICY_PATH: POLICY, INTERP_PATH: INTERPRETATION, "content/interpretations/jd-zc-1-tj.md": late}
    assert check(tmp_path, files) == []


# --- GK-REL-003 ------------------------------------------------------------------------------

NEWER = POLICY.replace("zc-1", "zc-2").replace("〔2026〕1号", "〔2026〕2号").replace("2026-00001", "2026-00002")
BOTH_INTERPRETED = INTERPRETATION.replace("interprets: [zc-1]", "interprets: [zc-1, zc-2]")


def test_current_policy_with_a_replacement_is_rel_003_at_validity(tmp_path):
    text = policy(extra="replaced_by: zc-2")
    files = {POLICY_PATH: text, "content/policies/zc-2.md": NEWER, INTERP_PATH: BOTH_INTERPRETED}
    diagnostics = check(tmp_path, files)
    assert found(diagnostics) == {("GK-REL-003", POLICY_PATH, line_no(text, "validity:"))}


def test_policy_replaced_by_itself_is_rel_003_at_replaced_by(tmp_path):
    text = POLICY.replace("validity: 现行有效", "validity: 已修订\nvalidity_date: 2026-04-01\nreplaced_by: zc-1")
    diagnostics = check(tmp_path, {POLICY_PATH: text, INTERP_PATH: INTERPRETATION})
    assert found(diagnostics) == {("GK-REL-003", POLICY_PATH, line_no(text, "replaced_by:"))}


def test_revised_policy_with_its_replacement_passes(tmp_path):
    text = POLICY.replace("validity: 现行有效", "validity: 已修订\nvalidity_date: 2026-04-01\nreplaced_by: zc-2")
    files = {POLICY_PATH: text, "content/policies/zc-2.md": NEWER, INTERP_PATH: BOTH_INTERPRETED}
    assert check(tmp_path, files) == []
