"""The `gongkai` command end to end, in a subprocess, on small repositories in temporary directories.

Exit codes: 0 clean (warnings allowed), 1 content errors, 2 usage or internal failure.
Bad content is a diagnostic with a code and `path:line`, never a traceback.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pipeline.content import parse_item
from pipeline.schema import SchemaSet
from pipeline.content_types import CONTENT_TYPES, TYPES
from tests.item_samples import all_samples, line_no, sample
from tests.repo_factory import BASE, INTERPRETATION, NEWS, POLICY, make_repo, md, run_check

TESTS = Path(__file__).resolve().parent
GONGKAI = Path(sys.executable).with_name("gongkai")
COMMAND = [str(GONGKAI)] if GONGKAI.exists() else [sys.executable, "-m", "pipeline.cli"]
CODE = re.compile(r"\bGK-[A-Z]+-[0-9]{3}\b")
CJK = re.compile(r"[\u4e00-\u9fff]")
NOW = "2026-06-01 12:00"


def gongkai(*args, cwd=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([*COMMAND, *map(str, args)], capture_output=True, text=True, encoding="utf-8",
                          cwd=cwd, env=env, timeout=120)


def check(root, *args) -> subprocess.CompletedProcess:
    return gongkai("--root", root, "check", "--now", NOW, *args)


def no_traceback(result):
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr, result.stderr


def gb11643(first17: str) -> str:
    """A resident ID number: 17 digits and the GB 11643 (ISO 7064 MOD 11-2) check character."""
    total = sum(int(digit) * (2 ** (17 - i) % 11) for i, digit in enumerate(first17))
    check_value = (12 - total % 11) % 11
    return first17 + ("X" if check_value == 10 else str(check_value))


VALID_ID = gb11643("45010219850312123")  # born 1985-03-12
WRONG_CHECK_DIGIT = VALID_ID[:-1] + str((int(VALID_ID[-1]) + 1) % 10)
NEWS_PATH = "content/news/xw-1.md"
POLICY_PATH = "content/policies/zc-1.md"
INTERP_PATH = "content/interpretations/jd-zc-1.md"


def news_body(text: str) -> str:
    return NEWS.replace("教育局召开会议。\n", "教育局召开会议。\n\n" + text + "\n")


def attached(path: str) -> str:
    return POLICY.replace("validity: 现行有效", f"validity: 现行有效\nattachments:\n  - title: 附件1\n    file: {path}")


# --- exit codes ------------------------------------------------------------------------------

def test_clean_repository_exits_0(tmp_path):
    result = check(make_repo(tmp_path, all_samples()))
    assert result.returncode == 0, result.stdout
    assert not CODE.search(result.stdout)
    no_traceback(result)


def test_warnings_alone_exit_0(tmp_path):
    from tests.repo_factory import unit_yaml

    root = make_repo(tmp_path, {"content/units/jyj.yaml": unit_yaml("jyj", "测试市教育局", applicable=("budget",))})
    result = check(root)
    assert result.returncode == 0
    assert "GK-COV-001" in result.stdout and "警告" in result.stdout


def test_errors_exit_1(tmp_path):
    result = check(make_repo(tmp_path, {NEWS_PATH: NEWS.replace("unit: jyj", "unit: nosuch")}))
    assert result.returncode == 1
    assert f"{NEWS_PATH}:4" in result.stdout


def test_not_a_repository_exits_2_with_a_message(tmp_path):
    result = gongkai("--root", tmp_path, "check")
    assert result.returncode == 2
    assert "content/" in result.stderr and CJK.search(result.stderr)
    no_traceback(result)


def test_check_from_inside_the_repository_finds_its_root(tmp_path):
    root = make_repo(tmp_path, {NEWS_PATH: NEWS})
    result = gongkai("check", "--now", NOW, cwd=root / "content" / "news")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("args", [
    ["check", "--format", "sarif"],
    ["check", "--now", "下周一"],
    ["new", "blog"],
    ["no-such-command"],
    [],
])
def test_usage_errors_exit_2(tmp_path, args):
    result = gongkai("--root", make_repo(tmp_path), *args)
    assert result.returncode == 2
    no_traceback(result)


def test_internal_failure_exits_2(tmp_path):
    """A bug in a rule is not a content error: exit 2, so CI never blames the editor for it."""
    root = make_repo(tmp_path, {NEWS_PATH: NEWS})
    code = ("import sys; from pipeline.rules import dates\n"
            "def boom(self, repo):\n    raise RuntimeError('bug in a rule')\n    yield\n"
            "dates.Dates.check = boom\n"
            "from pipeline.cli import main\n"
            f"sys.exit(main(['--root', {str(root)!r}, 'check']))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, (result.returncode, result.stderr[-500:])


# --- the acceptance list of issue 2 ----------------------------------------------------------

ACCEPTANCE = {
    "yaml-syntax-error": ({NEWS_PATH: NEWS.replace("title: 测试新闻", "title: 会议: 通知")}, NEWS_PATH, 3, "GK-YAML-001"),
    "gbk-file": ({NEWS_PATH: NEWS.encode("gbk")}, NEWS_PATH, 3, "GK-ENC-001"),
    "id-number-in-body": ({NEWS_PATH: news_body(f"联系人身份证号:{VALID_ID}。")}, NEWS_PATH, 9, None),
    "script-in-body": ({NEWS_PATH: news_body("<script>alert('x')</script>")}, NEWS_PATH, 9, None),
    "normative-document-without-interpretation": ({POLICY_PATH: POLICY}, POLICY_PATH, line_no(POLICY, "doc_type"), "GK-REL-001"),
    "interpretation-of-unknown-id": (
        {POLICY_PATH: POLICY, INTERP_PATH: INTERPRETATION,
         "content/interpretations/jd-zc-9.md": INTERPRETATION.replace("jd-zc-1", "jd-zc-9").replace("[zc-1]", "[zc-9]")},
        "content/interpretations/jd-zc-9.md", line_no(INTERPRETATION, "interprets"), "GK-REF-001"),
    "duplicate-id": ({NEWS_PATH: NEWS, "content/notices/xw-1.md": sample("notice")[1].replace("id: tz-1", "id: xw-1")},
                     "content/notices/xw-1.md", 2, "GK-ID-001"),
    "attachment-with-dot-dot": ({POLICY_PATH: attached("../../../etc/passwd"), INTERP_PATH: INTERPRETATION},
                                POLICY_PATH, line_no(attached("x"), "    file: "), "GK-PATH-001"),
}


@pytest.mark.parametrize("case", sorted(ACCEPTANCE))
def test_acceptance_bad_content_exits_1_with_code_and_location(tmp_path, case):
    files, path, line, code = ACCEPTANCE[case]
    result = check(make_repo(tmp_path, files))
    no_traceback(result)
    assert result.returncode == 1, result.stdout
    located = [row for row in result.stdout.splitlines() if row.startswith((f"{path}:{line}:", f"{path}:{line} "))]
    assert located, result.stdout
    found_codes = {c for row in located for c in CODE.findall(row)}
    assert found_codes, located
    if code:
        assert code in found_codes, located


def test_id_number_with_a_wrong_check_digit_gives_only_a_warning(tmp_path):
    """A mistyped real number is still personal data (issue 9): warned about, but it does not block."""
    result = check(make_repo(tmp_path, {NEWS_PATH: news_body(f"编号:{WRONG_CHECK_DIGIT}。")}))
    assert result.returncode == 0, result.stdout
    assert "警告 GK-PRIV-004" in result.stdout and "校验位不符" in result.stdout
    no_traceback(result)


def test_masked_id_number_gives_no_diagnostic(tmp_path):
    masked = VALID_ID[:2] + "*" * 13 + VALID_ID[-3:]
    result = check(make_repo(tmp_path, {NEWS_PATH: news_body(f"身份证号:{masked}。")}))
    assert result.returncode == 0, result.stdout


def test_all_acceptance_problems_at_once_are_all_reported(tmp_path):
    """One merge request with every problem: each is reported, none hides another."""
    notice = sample("notice")[1]
    files = {
        "content/news/xw-1.md": NEWS.replace("title: 测试新闻", "title: 会议: 通知"),
        "content/news/xw-2.md": NEWS.replace("xw-1", "xw-2").encode("gbk"),
        "content/news/xw-3.md": news_body(f"身份证号:{VALID_ID}。").replace("xw-1", "xw-3"),
        "content/news/xw-4.md": news_body("<script>alert(1)</script>").replace("xw-1", "xw-4"),
        "content/news/xw-5.md": NEWS.replace("xw-1", "xw-5"),
        "content/notices/xw-5.md": notice.replace("id: tz-1", "id: xw-5"),
        POLICY_PATH: POLICY,
        "content/policies/zc-2.md": attached("../x.pdf").replace("zc-1", "zc-2").replace("doc_type: 行政规范性文件", "doc_type: 其他文件"),
        "content/interpretations/jd-zc-9.md": INTERPRETATION.replace("jd-zc-1", "jd-zc-9").replace("zc-1", "zc-9"),
    }
    result = check(make_repo(tmp_path, files))
    assert result.returncode == 1
    no_traceback(result)
    for rel in files:
        if rel != "content/news/xw-5.md":  # the first of two items with one id is fine
            assert f"{rel}:" in result.stdout, rel


# --- report formats --------------------------------------------------------------------------

FORMATS = ["text", "json", "junit", "codequality", "github", "markdown"]


@pytest.fixture(scope="module")
def broken_repo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("formats")
    return make_repo(tmp, {
        NEWS_PATH: NEWS.replace("unit: jyj", "unit: nosuch"),
        POLICY_PATH: POLICY,
        "content/news/xw-2.md": NEWS.replace("xw-1", "xw-2").replace("title: 测试新闻", "title: 会议: 通知"),
    })


@pytest.fixture(scope="module")
def reports(broken_repo):
    out = {}
    for fmt in FORMATS:
        result = check(broken_repo, "--format", fmt)
        assert result.returncode == 1, (fmt, result.stderr)
        no_traceback(result)
        out[fmt] = result.stdout
    return out


EXPECTED = {("GK-REF-002", NEWS_PATH, 4), ("GK-REL-001", POLICY_PATH, 6), ("GK-YAML-001", "content/news/xw-2.md", 3)}


def test_every_format_is_produced(reports):
    assert all(reports[fmt].strip() for fmt in FORMATS)


def test_json_report_parses_and_lists_the_diagnostics(reports):
    document = json.loads(reports["json"])
    assert {(d["code"], d["path"], d["line"]) for d in document["diagnostics"]} == EXPECTED
    assert document["summary"]["error"] == 3


def test_junit_report_parses(reports):
    tree = ET.fromstring(reports["junit"])
    text = ET.tostring(tree, encoding="unicode")
    for code, path, _ in EXPECTED:
        assert code in text and path in text
    assert tree.iter("failure") is not None and len(list(tree.iter("failure"))) >= 3


def test_codequality_report_parses(reports):
    issues = json.loads(reports["codequality"])
    assert isinstance(issues, list)
    assert {(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues} == EXPECTED
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_github_report_has_one_annotation_per_diagnostic(reports):
    lines = reports["github"].strip().splitlines()
    assert len(lines) == 3 and all(line.startswith("::error ") for line in lines)
    assert any(f"file={NEWS_PATH},line=4," in line for line in lines)


def test_text_and_markdown_reports_name_every_location(reports):
    for code, path, line in EXPECTED:
        assert f"{path}:{line}" in reports["text"] and code in reports["text"]
        assert f"{path}:{line}" in reports["markdown"].replace("\\", "")


def test_report_can_be_written_to_a_file(broken_repo, tmp_path):
    target = tmp_path / "report.json"
    result = check(broken_repo, "--format", "json", "--output", target)
    assert result.returncode == 1
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["error"] == 3


# --- gongkai rules ---------------------------------------------------------------------------

def codes_asserted_by_tests() -> set[str]:
    """Every rule code named anywhere in the test suite (test_reporters uses made-up codes)."""
    codes = set()
    for path in TESTS.rglob("*.py"):
        if path.name != "test_reporters.py":
            codes |= set(CODE.findall(path.read_text(encoding="utf-8")))
    return codes


@pytest.fixture(scope="module")
def listed_codes():
    result = gongkai("rules")
    assert result.returncode == 0
    return {line.split()[0] for line in result.stdout.splitlines() if CODE.match(line)}


def test_rules_lists_every_code_any_test_asserts(listed_codes):
    assert codes_asserted_by_tests() <= listed_codes, codes_asserted_by_tests() - listed_codes


def test_every_listed_code_is_asserted_by_some_test(listed_codes):
    assert listed_codes <= codes_asserted_by_tests(), listed_codes - codes_asserted_by_tests()


def test_rules_json_has_a_chinese_description_for_every_code():
    result = gongkai("rules", "--format", "json")
    rules = json.loads(result.stdout)
    assert rules and all(CODE.fullmatch(r["code"]) and CJK.search(r["description"]) for r in rules)


# --- gongkai new -----------------------------------------------------------------------------

# A yearly report is drafted from the content instead (tests/test_annual_report.py: new report).
@pytest.mark.parametrize("type_name", sorted(set(TYPES) - {"report"}))
def test_new_writes_a_template_with_every_required_key_and_only_values_to_fill(tmp_path, type_name):
    root = make_repo(tmp_path)
    result = gongkai("--root", root, "new", type_name, "--now", NOW)
    assert result.returncode == 0, result.stderr
    folder = root / "content" / TYPES[type_name].folder
    (written,) = list(folder.iterdir())
    assert written.stem in result.stdout
    rel = written.relative_to(root).as_posix()
    item = parse_item(written.read_bytes(), rel, type_name)  # the real loader reads it
    required = SchemaSet().schemas[type_name]["required"]
    assert set(required) <= set(item.meta), set(required) - set(item.meta)
    assert item.id == written.stem
    comments = [line for line in written.read_text(encoding="utf-8").splitlines() if line.lstrip().startswith("#")]
    assert len(comments) >= len(required) and all(CJK.search(c) for c in comments)
    errors = [d for d in run_check(root) if d.path == rel]
    assert not [d for d in errors if d.code == "GK-SCH-001"]
    # Empty values to fill in, and the body hint, which must not be published as it stands (issue 9).
    assert {d.code for d in errors} <= {"GK-SCH-003", "GK-WORD-002"}, sorted({(d.code, d.line, d.message) for d in errors})
    if type_name != "letter":  # a new letter is not public: nothing of it is screened until it is
        assert "GK-WORD-002" in {d.code for d in errors}


def test_new_with_unit_and_title_fills_them(tmp_path):
    root = make_repo(tmp_path)
    assert gongkai("--root", root, "new", "news", "--unit", "jyj", "--title", "标题: 含冒号", "--now", NOW).returncode == 0
    (written,) = list((root / "content/news/jyj").iterdir())  # the unit's own folder
    item = parse_item(written.read_bytes(), "content/news/x.md", "news")
    assert (item.meta["unit"], item.meta["title"]) == ("jyj", "标题: 含冒号")


def test_new_gives_a_fresh_id_each_time(tmp_path):
    root = make_repo(tmp_path)
    for _ in range(2):
        assert gongkai("--root", root, "new", "notice", "--now", NOW).returncode == 0
    names = sorted(p.stem for p in (root / "content/notices").iterdir())
    assert len(names) == 2 and names[0] != names[1]
    assert not [d for d in run_check(root) if d.code == "GK-ID-001"]


def test_every_type_has_a_folder_and_a_schema():
    assert {t.name for t in CONTENT_TYPES} <= set(SchemaSet().schemas)


# --- gongkai normalize -----------------------------------------------------------------------

def test_normalize_converts_gbk_to_utf8_after_which_check_passes(tmp_path):
    crlf_gbk = NEWS.replace("\n", "\r\n").encode("gbk")
    root = make_repo(tmp_path, {NEWS_PATH: crlf_gbk})
    assert check(root).returncode == 1
    result = gongkai("normalize", root / NEWS_PATH)
    assert result.returncode == 0 and "UTF-8" in result.stdout
    assert (root / NEWS_PATH).read_bytes() == NEWS.encode("utf-8")
    after = check(root)
    assert after.returncode == 0, after.stdout


def test_normalize_leaves_utf8_files_alone(tmp_path):
    bom = b"\xef\xbb\xbf" + NEWS.replace("\n", "\r\n").encode("utf-8")
    root = make_repo(tmp_path, {NEWS_PATH: bom, "content/notices/tz-1.md": sample("notice")[1]})
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (root / "content").rglob("*.md")}
    result = gongkai("normalize", root / "content")
    assert result.returncode == 0
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in before} == before


def test_normalize_a_folder_converts_only_what_needs_it(tmp_path):
    root = make_repo(tmp_path, {NEWS_PATH: NEWS.encode("gb18030"), "content/notices/tz-1.md": sample("notice")[1]})
    assert gongkai("normalize", root / "content").returncode == 0
    assert check(root).returncode == 0


def test_normalize_refuses_what_is_neither_utf8_nor_gbk(tmp_path):
    path = tmp_path / "x.md"
    path.write_bytes(b"---\nid: x\n---\n\xff\xff\xff\n")
    result = gongkai("normalize", path)
    assert result.returncode == 1
    assert path.read_bytes() == b"---\nid: x\n---\n\xff\xff\xff\n"
    no_traceback(result)


# --- never a traceback for bad values --------------------------------------------------------

UNIT_LIST = BASE["content/units/jyj.yaml"].split("not_applicable:")[0]
COLUMNS = BASE["content/governance/columns.yaml"]


@pytest.mark.parametrize("rel, text", [
    (POLICY_PATH, POLICY.replace("doc_type: 行政规范性文件", "doc_type: [规章, 其他文件]")),
    (POLICY_PATH, POLICY.replace("doc_type: 行政规范性文件", "doc_type: {a: 1}")),
    ("content/units/jyj.yaml", UNIT_LIST + "not_applicable: 5\n"),
    ("content/units/jyj.yaml", UNIT_LIST + "not_applicable:\n  - category: [budget]\n    reason: 列表\n"),
    ("content/governance/columns.yaml", "columns: 5\n"),
    ("content/governance/columns.yaml", COLUMNS.replace("units: [yjzfb]", "units: 5", 1)),
    ("content/governance/columns.yaml", COLUMNS.replace("types: [news]", "types: true", 1)),
    ("content/governance/columns.yaml", COLUMNS.replace("types: [news]", "types: [[news]]", 1)),
    ("content/governance/columns.yaml", COLUMNS.replace("  - id: ywdt", "  - id: [ywdt]", 1)),
    ("content/governance/wording.yaml", "entries: 5\n"),
], ids=["doc-type-list", "doc-type-map", "not-applicable-int", "category-list", "columns-int",
        "column-units-int", "column-types-bool", "column-types-nested", "column-id-list", "wording-int"])
def test_a_value_of_the_wrong_shape_is_a_diagnostic_not_a_crash(tmp_path, rel, text):
    root = make_repo(tmp_path, {NEWS_PATH: NEWS, rel: text})
    diagnostics = run_check(root)  # must not raise
    assert any(d.path == rel and d.code.startswith("GK-SCH-") for d in diagnostics)


def test_a_value_of_the_wrong_shape_through_the_command(tmp_path):
    root = make_repo(tmp_path, {"content/governance/columns.yaml": "columns: 5\n"})
    result = check(root)
    no_traceback(result)
    assert result.returncode == 1
    assert "content/governance/columns.yaml:1" in result.stdout


def test_md_helper_builds_front_matter():
    assert md("id: x").splitlines()[:3] == ["---", "id: x", "---"]


# --- time as CI gives it (issue 9) ------------------------------------------------------------

def test_now_accepts_iso_8601_with_an_offset_or_z():
    from pipeline.timeutil import parse_now, parse_when

    expected = parse_when("2026-11-20 12:00")
    assert parse_now("2026-11-20T12:00:00+08:00") == expected
    assert parse_now("2026-11-20T04:00:00Z") == expected
    assert parse_now("2026-11-20T04:00:00.000Z") == expected
    assert parse_now("2026-11-20 12:00") == expected


@pytest.mark.parametrize("moment", ["2026-11-20T12:00:00+08:00", "2026-11-20T04:00:00Z"])
def test_check_takes_the_ci_time_variable_as_it_is(tmp_path, moment):
    result = gongkai("--root", make_repo(tmp_path, {NEWS_PATH: NEWS}), "check", "--now", moment)
    assert result.returncode == 0, result.stderr
    no_traceback(result)


def test_an_impossible_time_is_a_usage_error(tmp_path):
    result = gongkai("--root", make_repo(tmp_path), "check", "--now", "2026-13-20T12:00:00+08:00")
    assert result.returncode == 2 and "ISO 8601" in result.stderr
    no_traceback(result)


@pytest.mark.parametrize("code", ["GK-YAML-005", "GK-YAML-006", "GK-YAML-007", "GK-YAML-008", "GK-TEXT-001",
                                  "GK-TEXT-002", "GK-PRIV-004", "GK-WORD-002"])
def test_rules_documents_each_new_code_with_a_failing_and_a_passing_example(code):
    result = gongkai("rules", code)
    assert result.returncode == 0
    assert code in result.stdout and "FAIL" in result.stdout and "PASS" in result.stdout
    assert CJK.search(result.stdout)
