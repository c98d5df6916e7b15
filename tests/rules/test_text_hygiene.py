"""GK-TEXT-001/002: control characters, bidirectional controls and zero-width characters."""
from __future__ import annotations

from tests.repo_factory import NEWS, POLICY, INTERPRETATION, make_repo, run_check

NEWS_PATH = "content/news/xw-1.md"
BODY_LINE = 7


def findings(tmp_path, files):
    return sorted((d.code, d.path, d.line, d.col, d.severity.value) for d in run_check(make_repo(tmp_path, files))
                  if d.code.startswith("GK-TEXT"))


def test_clean_text_passes(tmp_path):
    assert findings(tmp_path, {NEWS_PATH: NEWS}) == []


def test_nul_and_control_characters_in_a_body_are_errors_at_their_column(tmp_path):
    text = NEWS.replace("教育局召开会议。", "教育局\x00召开会议\x01。")
    assert findings(tmp_path, {NEWS_PATH: text}) == [
        ("GK-TEXT-001", NEWS_PATH, BODY_LINE, 4, "error"), ("GK-TEXT-001", NEWS_PATH, BODY_LINE, 9, "error")]


def test_bidi_override_in_a_title_is_an_error(tmp_path):
    text = NEWS.replace("title: 测试新闻", "title: 测试\u202e闻新")
    assert findings(tmp_path, {NEWS_PATH: text}) == [("GK-TEXT-002", NEWS_PATH, 3, 10, "error")]


def test_zero_width_space_in_a_document_number_is_an_error(tmp_path):
    policy = POLICY.replace("doc_number: 测教规〔2026〕1号", "doc_number: 测教规〔2026〕\u200b1号")
    files = {"content/policies/zc-1.md": policy, "content/interpretations/jd-zc-1.md": INTERPRETATION}
    assert [f[:3] + (f[4],) for f in findings(tmp_path, files)] == [
        ("GK-TEXT-002", "content/policies/zc-1.md", 7, "error")]


def test_invisible_characters_in_a_body_are_warnings_with_their_position(tmp_path):
    text = NEWS.replace("教育局召开会议。", "教育局\u200b召开\u2066会议。")
    assert findings(tmp_path, {NEWS_PATH: text}) == [
        ("GK-TEXT-002", NEWS_PATH, BODY_LINE, 4, "warning"), ("GK-TEXT-002", NEWS_PATH, BODY_LINE, 7, "warning")]
