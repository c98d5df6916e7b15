"""GK-DATE-001 (impossible date) and GK-DATE-002 (impossible order)."""
from __future__ import annotations

import pytest

from tests.item_samples import line_no, sample
from tests.repo_factory import INTERPRETATION, NEWS, POLICY, found, make_repo, run_check

NEWS_PATH = "content/news/xw-1.md"
POLICY_PATH = "content/policies/zc-1.md"
INTERP_PATH = "content/interpretations/jd-zc-1.md"


def check(tmp_path, files):
    return run_check(make_repo(tmp_path, files))


# --- GK-DATE-001 -----------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["2026-02-30", "2026-02-29 09:00", "2026-13-01", "2026-03-01 25:00", "2026-04-31 09:00:60"])
def test_impossible_date_is_date_001_at_the_key_line(tmp_path, value):
    news = NEWS.replace("date: 2026-03-01 09:00", f"date: {value}")
    diagnostics = check(tmp_path, {NEWS_PATH: news})
    assert found(diagnostics) == {("GK-DATE-001", NEWS_PATH, line_no(news, "date:"))}
    assert value in diagnostics[0].message


@pytest.mark.parametrize("value", ["2026-02-28 09:30", "2024-02-29", "2026-12-31 23:59:59"])
def test_real_dates_pass(tmp_path, value):
    assert check(tmp_path, {NEWS_PATH: NEWS.replace("date: 2026-03-01 09:00", f"date: {value}")}) == []


def test_impossible_nested_date_is_at_its_own_line(tmp_path):
    path, survey = sample("survey")
    survey = survey.replace("  date: 2026-04-15", "  date: 2026-04-31")
    diagnostics = check(tmp_path, {path: survey})
    assert found(diagnostics) == {("GK-DATE-001", path, line_no(survey, "  date: 2026-04-31"))}


def test_impossible_date_in_a_list_entry(tmp_path):
    news = NEWS.replace("unit: jyj", "unit: jyj\nchanges:\n  - date: 2026-06-31\n    note: 更正标题")
    diagnostics = check(tmp_path, {NEWS_PATH: news})
    assert found(diagnostics) == {("GK-DATE-001", NEWS_PATH, line_no(news, "- date:"))}


def test_date_like_text_in_the_body_is_not_checked(tmp_path):
    news = NEWS.replace("教育局召开会议。", "2026-02-30")
    assert check(tmp_path, {NEWS_PATH: news}) == []


# --- GK-DATE-002 -----------------------------------------------------------------------------

def test_policy_written_after_publication_is_date_002_at_date(tmp_path):
    policy = POLICY.replace("written: 2026-02-20", "written: 2026-03-05")
    diagnostics = check(tmp_path, {POLICY_PATH: policy, INTERP_PATH: INTERPRETATION})
    assert found(diagnostics) == {("GK-DATE-002", POLICY_PATH, line_no(policy, "date: 2026-03-01"))}


def test_policy_written_on_publication_day_passes(tmp_path):
    policy = POLICY.replace("written: 2026-02-20", "written: 2026-03-01")
    assert check(tmp_path, {POLICY_PATH: policy, INTERP_PATH: INTERPRETATION}) == []


def test_survey_ending_before_it_starts_is_date_002_at_end(tmp_path):
    path, survey = sample("survey")
    survey = survey.replace("end: 2026-03-31", "end: 2026-02-27").replace("  date: 2026-04-15", "  date: 2026-03-15")
    diagnostics = check(tmp_path, {path: survey})
    assert found(diagnostics) == {("GK-DATE-002", path, line_no(survey, "end:"))}


def test_survey_result_before_its_end_is_date_002_at_result_date(tmp_path):
    path, survey = sample("survey")
    survey = survey.replace("  date: 2026-04-15", "  date: 2026-03-20")
    diagnostics = check(tmp_path, {path: survey})
    assert found(diagnostics) == {("GK-DATE-002", path, line_no(survey, "  date: 2026-03-20"))}


def test_survey_in_order_passes(tmp_path):
    path, survey = sample("survey")
    assert check(tmp_path, {path: survey.replace("  date: 2026-04-15", "  date: 2026-03-31")}) == []


def test_letter_replied_before_received_is_date_002_at_replied(tmp_path):
    path, letter = sample("letter")
    letter = letter.replace("replied: 2026-03-03 16:00", "replied: 2026-03-02 08:00")
    diagnostics = check(tmp_path, {path: letter})
    assert found(diagnostics) == {("GK-DATE-002", path, line_no(letter, "replied:"))}


def test_letter_replied_after_received_passes(tmp_path):
    path, letter = sample("letter")
    assert check(tmp_path, {path: letter.replace("replied: 2026-03-03 16:00", "replied: 2026-03-02 09:00")}) == []


def test_release_before_the_event_is_date_002_at_first_release(tmp_path):
    path, response = sample("response")
    response = response.replace("first_release: 2026-03-05 09:20", "first_release: 2026-03-05 08:00")
    diagnostics = check(tmp_path, {path: response})
    assert found(diagnostics) == {("GK-DATE-002", path, line_no(response, "first_release:"))}


def test_release_after_the_event_passes(tmp_path):
    path, response = sample("response")
    assert check(tmp_path, {path: response}) == []
