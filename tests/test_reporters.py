"""Every reporter on the same list of diagnostics (STYLE.md, practice 4)."""
from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET

import pytest

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.reporters import REPORTERS, UnknownFormat, render

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

# Deliberately not in sorted order; the tricky message has a pipe, a comma, a
# colon and a newline; one warning has no line (0) and a percent sign.
DIAGNOSTICS = [
    Diagnostic("content/policies/b.md", 12, 3, "GK-SCH-001", E, "缺少必填字段「title」。"),
    Diagnostic("content/policies/a.md", 4, 7, "GK-LNK-001", E, "链接 a|b, 目标: 不存在\n请检查地址"),
    Diagnostic("content/news/c.md", 0, 0, "GK-SCH-003", W, "发布日期为空,按 100% 公开处理"),
    Diagnostic("content/policies/b.md", 2, 0, "GK-SCH-002", E, "未知字段「titel」"),
    Diagnostic("", 0, 0, "GK-GOV-001", I, "站点设置缺少备案号"),
]
ERRORS = [d for d in DIAGNOSTICS if d.severity is E]
RULES = {"GK-SCH-001": "必填字段", "GK-LNK-001": "站内链接", "GK-UNUSED-009": "本次未出现的规则"}


def out(fmt, diagnostics=DIAGNOSTICS, checked_files=120, rules=RULES):
    return render(fmt, diagnostics, checked_files=checked_files, rules=rules)


# --- registry and shared guarantees ---------------------------------------------------------

def test_registry_names_every_format():
    assert set(REPORTERS) == {"text", "json", "junit", "codequality", "github", "markdown"}


def test_unknown_format_is_a_user_error_naming_the_choices():
    with pytest.raises(UnknownFormat, match="sarif.*text"):
        out("sarif")


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_output_is_deterministic_and_independent_of_input_order(fmt):
    first = out(fmt)
    assert out(fmt) == first
    assert out(fmt, list(reversed(DIAGNOSTICS))) == first


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_exact_ties_do_not_depend_on_input_order(fmt):
    tied = [Diagnostic("a.md", 1, 1, "GK-X-001", E, "甲"), Diagnostic("a.md", 1, 1, "GK-X-001", W, "乙")]
    assert out(fmt, tied) == out(fmt, tied[::-1])


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_reporters_do_not_mutate_input(fmt):
    given = list(DIAGNOSTICS)
    out(fmt, given)
    assert given == DIAGNOSTICS


# --- text ---------------------------------------------------------------------------------

def test_text_lines_sorted_with_location_label_code_and_summary():
    assert out("text").splitlines() == [
        "<仓库>: 提示 GK-GOV-001 站点设置缺少备案号",
        "content/news/c.md: 警告 GK-SCH-003 发布日期为空,按 100% 公开处理",
        "content/policies/a.md:4:7: 错误 GK-LNK-001 链接 a|b, 目标: 不存在",
        "    请检查地址",
        "content/policies/b.md:2: 错误 GK-SCH-002 未知字段「titel」",
        "content/policies/b.md:12:3: 错误 GK-SCH-001 缺少必填字段「title」。",
        "检查了 120 个文件:3 个错误,1 个警告,1 个提示。",
    ]


def test_text_summary_without_info_names_errors_and_warnings_only():
    text = out("text", [d for d in DIAGNOSTICS if d.severity is not I])
    assert text.splitlines()[-1] == "检查了 120 个文件:3 个错误,1 个警告。"


def test_text_empty_is_one_clean_summary_line():
    assert out("text", [], checked_files=7) == "检查了 7 个文件:未发现问题。\n"


# --- json ---------------------------------------------------------------------------------

def test_json_parses_with_counts_and_sorted_diagnostics():
    raw = out("json")
    data = json.loads(raw)
    assert data["version"] == 1
    assert data["checked_files"] == 120
    assert data["summary"] == {"error": 3, "warning": 1, "info": 1}
    assert [d["code"] for d in data["diagnostics"]] == [
        "GK-GOV-001", "GK-SCH-003", "GK-LNK-001", "GK-SCH-002", "GK-SCH-001"]
    assert sorted(data["diagnostics"], key=lambda d: d["code"]) == sorted(
        (d.as_dict() for d in DIAGNOSTICS), key=lambda d: d["code"])
    assert "缺少必填字段「title」。" in raw  # ensure_ascii=False: Chinese stays readable
    assert "\n  \"version\"" in raw  # indent 2


def test_json_empty():
    data = json.loads(out("json", []))
    assert data["summary"] == {"error": 0, "warning": 0, "info": 0}
    assert data["diagnostics"] == []


# --- junit --------------------------------------------------------------------------------

def _suite(xml_text):
    root = ET.fromstring(xml_text.encode("utf-8"))
    suites = root.findall("testsuite")
    assert len(suites) == 1 and suites[0].get("name") == "gongkai check"
    return root, suites[0]


def test_junit_one_testcase_per_diagnostic_and_counts_match():
    root, suite = _suite(out("junit"))
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [
        "<仓库> GK-GOV-001", "content/news/c.md GK-SCH-003", "content/policies/a.md:4:7 GK-LNK-001",
        "content/policies/b.md:2 GK-SCH-002", "content/policies/b.md:12:3 GK-SCH-001"]
    assert [c.get("classname") for c in cases][-2:] == ["content/policies/b.md"] * 2
    failing = [c for c in cases if c.find("failure") is not None]
    assert len(failing) == len(ERRORS)
    for element in (root, suite):
        assert element.get("tests") == str(len(cases))
        assert element.get("failures") == str(len(failing))
    assert all(len(c.findall("failure")) <= 1 for c in cases)  # what GitLab's parser reads


def test_junit_two_errors_in_one_file_are_two_failures():
    """Issue 10: they used to be merged into one failure."""
    _, suite = _suite(out("junit"))
    b = suite.findall("testcase[@classname='content/policies/b.md']/failure")
    assert [f.get("type") for f in b] == ["GK-SCH-002", "GK-SCH-001"]


def test_junit_every_error_is_in_a_failure_and_warnings_do_not_fail():
    _, suite = _suite(out("junit"))
    failure_text = "\n".join(f.text for f in suite.iter("failure"))
    assert failure_text.count(": 错误 ") == len(ERRORS)
    for d in ERRORS:
        assert d.code in failure_text
    # The multi-line message survives XML escaping and parsing.
    assert "链接 a|b, 目标: 不存在\n    请检查地址" in failure_text
    a = suite.find("testcase[@classname='content/policies/a.md']/failure")
    assert a.get("message") == "GK-LNK-001 链接 a|b, 目标: 不存在"
    warned = suite.find("testcase[@classname='content/news/c.md']")
    assert warned.find("failure") is None
    assert "GK-SCH-003" in warned.find("system-out").text


@pytest.mark.parametrize("diagnostics", [DIAGNOSTICS, [], [Diagnostic("content/x.md", 1, 1, "GK-X-001", E, "控制字符\x01")]],
                         ids=["mixed", "empty", "control-character"])
def test_junit_validates_against_the_jenkins_xunit_schema(diagnostics):
    from pathlib import Path

    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(Path(__file__).with_name("vendor") / "junit-10.xsd")))
    document = etree.fromstring(out("junit", diagnostics).encode("utf-8"))
    assert schema.validate(document), schema.error_log


def test_junit_survives_characters_xml_cannot_carry():
    bad = Diagnostic("content/x.md", 1, 1, "GK-X-001", E, "控制字符\x01和<标签>&")
    _, suite = _suite(out("junit", [bad]))
    assert "<标签>&" in suite.find("testcase/failure").text


def test_junit_empty_has_one_passing_testcase():
    root, suite = _suite(out("junit", []))
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["gongkai check"]
    assert list(cases[0]) == []
    assert (root.get("tests"), root.get("failures")) == ("1", "0")


# --- GitLab Code Quality ------------------------------------------------------------------

def test_codequality_fields_and_severities():
    issues = json.loads(out("codequality"))
    assert len(issues) == len(DIAGNOSTICS)
    by_code = {i["check_name"]: i for i in issues}
    assert {c: i["severity"] for c, i in by_code.items()} == {
        "GK-SCH-001": "major", "GK-LNK-001": "major", "GK-SCH-002": "major",
        "GK-SCH-003": "minor", "GK-GOV-001": "info"}
    assert by_code["GK-SCH-001"]["description"] == "GK-SCH-001 缺少必填字段「title」。"
    assert by_code["GK-SCH-001"]["location"] == {"path": "content/policies/b.md", "lines": {"begin": 12}}
    assert by_code["GK-SCH-003"]["location"]["lines"] == {"begin": 1}  # line 0 -> 1


def test_codequality_fingerprints_unique_stable_and_independent_of_other_issues():
    first = [i["fingerprint"] for i in json.loads(out("codequality"))]
    assert len(set(first)) == len(first)
    assert all(re.fullmatch(r"[0-9a-f]{64}", f) for f in first)
    assert [i["fingerprint"] for i in json.loads(out("codequality"))] == first
    # A problem keeps its fingerprint when other problems appear or are fixed,
    # which is what lets GitLab show "new" vs "resolved" in a merge request.
    alone = json.loads(out("codequality", [DIAGNOSTICS[0]]))[0]["fingerprint"]
    assert alone in first
    # ... and it changes when the message changes.
    edited = dataclasses.replace(DIAGNOSTICS[0], message="别的说明")
    assert json.loads(out("codequality", [edited]))[0]["fingerprint"] not in first


def test_codequality_same_problem_twice_on_a_line_still_unique():
    twice = [Diagnostic("a.md", 3, 1, "GK-X-001", E, "重复"), Diagnostic("a.md", 3, 9, "GK-X-001", E, "重复")]
    fingerprints = [i["fingerprint"] for i in json.loads(out("codequality", twice))]
    assert len(set(fingerprints)) == 2


def test_codequality_empty_is_empty_list():
    assert json.loads(out("codequality", [])) == []


# --- GitHub annotations -------------------------------------------------------------------

def test_github_one_escaped_command_per_diagnostic():
    assert out("github").splitlines() == [
        "::notice title=GK-GOV-001::站点设置缺少备案号",
        "::warning file=content/news/c.md,title=GK-SCH-003::发布日期为空,按 100%25 公开处理",
        "::error file=content/policies/a.md,line=4,col=7,title=GK-LNK-001::链接 a|b, 目标: 不存在%0A请检查地址",
        "::error file=content/policies/b.md,line=2,title=GK-SCH-002::未知字段「titel」",
        "::error file=content/policies/b.md,line=12,col=3,title=GK-SCH-001::缺少必填字段「title」。",
    ]


def test_github_escapes_properties_more_than_data():
    d = Diagnostic("content/a,b:c%.md", 1, 2, "GK-X-001", W, "回车\r\n换行: 100%")
    assert out("github", [d]) == (
        "::warning file=content/a%2Cb%3Ac%25.md,line=1,col=2,title=GK-X-001::回车%0D%0A换行: 100%25\n")


def test_github_empty_emits_no_commands():
    assert out("github", []) == ""


# --- Markdown comment ---------------------------------------------------------------------

UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def _table_rows(markdown):
    return [line for line in markdown.splitlines() if line.startswith("| ")][2:]


def test_markdown_heading_summary_and_table():
    md = out("markdown")
    lines = md.splitlines()
    assert lines[0] == "### gongkai check"
    assert "❌ 检查了 120 个文件:3 个错误,1 个警告,1 个提示。" in lines
    assert "| 位置 | 规则 | 级别 | 说明 |" in lines
    rows = _table_rows(md)
    assert len(rows) == len(DIAGNOSTICS)
    assert all(len(UNESCAPED_PIPE.findall(row)) == 5 for row in rows)  # exactly four cells each
    assert "| content/policies/a.md:4:7 | GK-LNK-001 | 错误 | 链接 a\\|b, 目标: 不存在<br>请检查地址 |" in rows
    assert "| content/news/c.md | GK-SCH-003 | 警告 | 发布日期为空,按 100% 公开处理 |" in rows


def test_markdown_escapes_markup_in_messages():
    d = Diagnostic("a.md", 1, 1, "GK-X-001", E, "<script> *强调* `代码`")
    row = _table_rows(out("markdown", [d]))[0]
    assert "\\<script\\> \\*强调\\* \\`代码\\`" in row


def test_markdown_rules_section_lists_only_codes_that_occur():
    md = out("markdown")
    section = md.split("**规则说明**", 1)[1]
    assert "- GK-LNK-001:站内链接" in section
    assert "- GK-SCH-001:必填字段" in section
    assert "GK-UNUSED-009" not in md


def test_markdown_without_rules_has_no_rules_section():
    assert "规则说明" not in out("markdown", rules=None)


def test_markdown_table_limited_to_200_rows():
    many = [Diagnostic(f"content/p{i:03}.md", 1, 1, "GK-X-001", W, "提示") for i in range(205)]
    md = out("markdown", many)
    assert len(_table_rows(md)) == 200
    assert "另有 5 条未列出" in md
    assert "另有" not in out("markdown", many[:200])


def test_markdown_warnings_only_is_green():
    md = out("markdown", [d for d in DIAGNOSTICS if d.severity is W])
    assert "✅ 检查了 120 个文件:0 个错误,1 个警告。" in md.splitlines()


def test_markdown_empty_is_heading_and_clean_summary():
    assert out("markdown", [], checked_files=9) == "### gongkai check\n\n✅ 检查了 9 个文件:未发现问题。\n"


# --- a diagnostic's detail: on request (--verbose), in machine formats, never in the MR comment ----

DETAILED = Diagnostic("content/units/jyj.yaml", 9, 0, "GK-COV-001", W, "测试市教育局有 1 个公开类别没有现行内容:财政预决算。",
                      detail="请发布相应信息,或在 not_applicable 中写明理由。")


def test_detail_is_shown_by_verbose_text_only():
    plain = render("text", [DETAILED], checked_files=1)
    verbose = render("text", [DETAILED], checked_files=1, verbose=True)
    assert plain.splitlines() == ["content/units/jyj.yaml:9: 警告 GK-COV-001 测试市教育局有 1 个公开类别没有现行内容:财政预决算。",
                                  "检查了 1 个文件:0 个错误,1 个警告。"]
    assert verbose.splitlines()[1] == "    请发布相应信息,或在 not_applicable 中写明理由。"
    assert verbose.splitlines()[0] == plain.splitlines()[0]


def test_detail_is_in_json_but_not_in_the_merge_request_comment():
    (entry,) = json.loads(render("json", [DETAILED], checked_files=1))["diagnostics"]
    assert entry["detail"] == DETAILED.detail and entry["message"] == DETAILED.message
    assert "detail" not in json.loads(out("json"))["diagnostics"][0]  # only when there is one
    assert DETAILED.detail not in render("markdown", [DETAILED], checked_files=1)


def test_detail_does_not_make_two_diagnostics_differ():
    assert dataclasses.replace(DETAILED, detail="") == DETAILED
