"""The decision layer (pipeline.check.severity): severity overrides, off, and per-path ignores from settings.yaml."""
from __future__ import annotations

from pipeline.check.severity import decide
from pipeline.diagnostics import Diagnostic, Severity, has_errors
from tests.item_samples import sample
from tests.repo_factory import NEWS, make_repo, run_check, unit_yaml

NEWS_PATH = "content/news/xw-1.md"
NOTICE_PATH, NOTICE = sample("notice")
BROKEN_NEWS = NEWS.replace("教育局召开会议。", "见[甲](item:zc-9)。")
BROKEN_NOTICE = NOTICE.replace("春季学期于 3 月 2 日开学。", "见[甲](item:zc-9)。")
SETTINGS = "content/governance/settings.yaml"


def check(tmp_path, files):
    return run_check(make_repo(tmp_path, files))


def codes(diagnostics):
    return {(d.code, d.path, d.severity) for d in diagnostics}


def test_without_settings_rules_keep_their_default_severity(tmp_path):
    assert codes(check(tmp_path, {NEWS_PATH: BROKEN_NEWS})) == {("GK-REF-001", NEWS_PATH, Severity.ERROR)}


def test_severity_can_be_lowered(tmp_path):
    files = {NEWS_PATH: BROKEN_NEWS, SETTINGS: "rules:\n  GK-REF-001: warning\n"}
    diagnostics = check(tmp_path, files)
    assert codes(diagnostics) == {("GK-REF-001", NEWS_PATH, Severity.WARNING)}
    assert not has_errors(diagnostics)


def test_severity_can_be_raised(tmp_path):
    files = {"content/units/jyj.yaml": unit_yaml("jyj", "测试市教育局", applicable=("budget",)),
             SETTINGS: "rules:\n  GK-COV-001: error\n"}
    diagnostics = check(tmp_path, files)
    assert codes(diagnostics) == {("GK-COV-001", "content/units/jyj.yaml", Severity.ERROR)}
    assert has_errors(diagnostics)


def test_a_code_can_be_switched_off(tmp_path):
    files = {NEWS_PATH: BROKEN_NEWS, SETTINGS: "rules:\n  GK-REF-001: \"off\"\n"}
    assert check(tmp_path, files) == []


def test_ignore_by_path_glob_only_under_that_path(tmp_path):
    settings = ("ignore:\n  - path: content/news/*\n    codes: [GK-REF-001]\n    reason: 历史存档\n")
    files = {NEWS_PATH: BROKEN_NEWS, NOTICE_PATH: BROKEN_NOTICE, SETTINGS: settings}
    assert codes(check(tmp_path, files)) == {("GK-REF-001", NOTICE_PATH, Severity.ERROR)}


def test_ignore_names_codes_it_applies_to(tmp_path):
    settings = "ignore:\n  - path: content/news/*\n    codes: [GK-REF-002]\n"
    files = {NEWS_PATH: BROKEN_NEWS, SETTINGS: settings}
    assert codes(check(tmp_path, files)) == {("GK-REF-001", NEWS_PATH, Severity.ERROR)}


def test_decide_is_a_pure_function_of_diagnostics_and_settings():
    a = Diagnostic("content/news/a.md", 3, 0, "GK-REF-001", Severity.ERROR, "甲")
    b = Diagnostic("content/notices/b.md", 2, 0, "GK-REF-001", Severity.ERROR, "乙")
    c = Diagnostic("content/news/a.md", 1, 0, "GK-DATE-001", Severity.ERROR, "丙")
    settings = {"rules": {"GK-DATE-001": "info"},
                "ignore": [{"path": "content/notices/**", "codes": ["GK-REF-001"]}]}
    decided = decide([b, a, c], settings)
    assert [(d.path, d.line, d.message) for d in decided] == [(c.path, c.line, "丙"), (a.path, a.line, "甲")]  # sorted by path, line
    assert decided[0].severity is Severity.INFO
    assert decide([], settings) == []
    assert decide([a], {}) == [a]
