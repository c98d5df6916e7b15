"""The one loader (pipeline.content.loader): source lines, encodings, and bad YAML as diagnostics.

Codes: GK-ENC-001, GK-YAML-001, GK-YAML-002, GK-YAML-003, GK-YAML-004.
"""
from __future__ import annotations

import re

import pytest

from pipeline.content.loader import LoadError, parse_item
from pipeline.content.repository import load_repository
from tests.repo_factory import NEWS, found, make_repo, md, run_check, unit_yaml

NESTED = """\
---
id: zc-1
title: 测试市某某管理办法
attachments:
  - title: 附件1
    file: files/2026/附件1.pdf
  - title: 附件2
    file: files/2026/附件2.pdf
interprets: [zc-2, zc-3]
date: 2026-03-01
written: 2026-02-20
summary: |
  第一行摘要
  第二行摘要
---
正文第一行
第二行
"""


def parse(text: str | bytes, rel: str = "content/policies/zc-1.md", type_name: str = "policy"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_item(data, rel, type_name)


def load_error(text: str | bytes, rel: str = "content/news/xw-1.md", type_name: str = "news"):
    with pytest.raises(LoadError) as info:
        parse(text, rel, type_name)
    return info.value.diagnostic


# --- lines -----------------------------------------------------------------------------------

def test_front_matter_key_lines_are_exact_including_nested_list_entries():
    item = parse(NESTED)
    assert item.key_lines == {
        ("id",): 2,
        ("title",): 3,
        ("attachments",): 4,
        ("attachments", 0): 5,
        ("attachments", 0, "title"): 5,
        ("attachments", 0, "file"): 6,
        ("attachments", 1): 7,
        ("attachments", 1, "title"): 7,
        ("attachments", 1, "file"): 8,
        ("interprets",): 9,
        ("interprets", 0): 9,
        ("interprets", 1): 9,
        ("date",): 10,
        ("written",): 11,
        ("summary",): 12,
    }
    assert item.first_line == 2


def test_line_of_falls_back_to_the_deepest_existing_key_then_the_first_line():
    item = parse(NESTED)
    assert item.line_of("attachments", 1, "file") == 8
    assert item.line_of("attachments", 1, "nosuch") == 7
    assert item.line_of("attachments", 5) == 4
    assert item.line_of("nosuch") == 2


def test_block_scalar_text_starts_on_the_line_after_its_indicator():
    item = parse(NESTED)
    assert item.value_lines[("summary",)] == (13, True)
    assert item.value_lines[("attachments", 1, "file")] == (8, False)
    summary = next(f for f in item.text_fields() if f.pointer == ("summary",))
    assert summary.line_at(summary.text.index("第二行")) == 14


def test_body_and_its_first_line():
    item = parse(NESTED)
    assert item.body == "正文第一行\n第二行\n"
    assert item.body_line == 16
    body = next(f for f in item.text_fields() if f.pointer == ("body",))
    assert body.line_at(body.text.index("第二行")) == 17


def test_plain_yaml_file_starts_at_line_one():
    item = parse("id: jyj\nname: 测试市教育局\ncontact:\n  phone: 0771-1\n", "content/units/jyj.yaml", "unit")
    assert item.first_line == 1
    assert item.key_lines[("contact", "phone")] == 4
    assert item.body == "" and item.body_line == 0


def test_id_defaults_to_the_file_name():
    item = parse("---\ntitle: 无编号\n---\n", "content/news/xw-9.md", "news")
    assert item.id == "xw-9"


def test_dates_stay_the_strings_the_editor_typed():
    item = parse(md("""
        id: dc-1
        date: 2026-03-01
        start: 2026-03-01
        end: 2026-03-31 18:00
        result:
          date: 2026-04-15
        changes:
          - date: 2026-03-02 09:30
        """), "content/surveys/dc-1.md", "survey")
    assert item.meta["date"] == "2026-03-01"
    assert item.meta["start"] == "2026-03-01"
    assert item.meta["end"] == "2026-03-31 18:00"
    assert item.meta["result"]["date"] == "2026-04-15"
    assert item.meta["changes"][0]["date"] == "2026-03-02 09:30"


# --- encodings -------------------------------------------------------------------------------

def test_bom_and_crlf_are_accepted_with_the_same_lines():
    plain = parse(NESTED)
    windows = parse(b"\xef\xbb\xbf" + NESTED.replace("\n", "\r\n").encode("utf-8"))
    assert windows.meta == plain.meta
    assert windows.key_lines == plain.key_lines
    assert windows.body == plain.body
    assert windows.body_line == plain.body_line


def test_bom_and_crlf_item_is_clean_and_its_errors_point_to_the_right_line(tmp_path):
    clean = b"\xef\xbb\xbf" + NEWS.replace("\n", "\r\n").encode("utf-8")
    assert run_check(make_repo(tmp_path / "a", {"content/news/xw-1.md": clean})) == []
    broken = clean.replace("date: 2026-03-01 09:00".encode(), "date: 2026年3月1日".encode())
    diagnostics = run_check(make_repo(tmp_path / "b", {"content/news/xw-1.md": broken}))
    assert ("GK-SCH-003", "content/news/xw-1.md", 5) in found(diagnostics)


def test_gbk_file_is_enc_001_at_the_first_bad_line_naming_gongkai_normalize(tmp_path):
    gbk = NEWS.encode("gbk")  # line 3 (title) holds the first Chinese character
    diagnostics = run_check(make_repo(tmp_path, {"content/news/xw-1.md": gbk}))
    assert found(diagnostics) == {("GK-ENC-001", "content/news/xw-1.md", 3)}
    (diag,) = diagnostics
    assert "gongkai normalize content/news/xw-1.md" in diag.message


def test_gbk_unit_file_is_enc_001(tmp_path):
    gbk = unit_yaml("jyj", "测试市教育局").encode("gb18030")
    diagnostics = run_check(make_repo(tmp_path, {"content/units/jyj.yaml": gbk}))
    assert ("GK-ENC-001", "content/units/jyj.yaml", 2) in found(diagnostics)


def test_binary_garbage_is_an_encoding_error_not_a_crash():
    diag = load_error(b"---\nid: x\n---\n\xff\xfe\x00\x81")
    assert (diag.code, diag.line) == ("GK-ENC-001", 4)


def test_utf8_without_bom_and_lf_is_the_plain_case(tmp_path):
    assert run_check(make_repo(tmp_path, {"content/news/xw-1.md": NEWS})) == []


# --- YAML problems ---------------------------------------------------------------------------

@pytest.mark.parametrize("front, line", [
    ("id: xw-1\ntitle: 会议: 通知\n", 3),  # a second colon in a plain value
    ("id: xw-1\ntitle: 新闻\n  unit: jyj\n", 4),  # indentation
    ("id: xw-1\ntitle: \"没有结束的引号\nunit: jyj\n", 3),  # unclosed quote: at the line it opens on
])
def test_yaml_syntax_error_is_yaml_001_at_the_line(tmp_path, front, line):
    diagnostics = run_check(make_repo(tmp_path, {"content/news/xw-1.md": f"---\n{front}---\n正文\n"}))
    assert found(diagnostics) == {("GK-YAML-001", "content/news/xw-1.md", line)}
    assert re.search(r"[\u4e00-\u9fff]", diagnostics[0].message)


def test_yaml_syntax_error_in_a_plain_yaml_file(tmp_path):
    bad = "id: jyj\nname: 测试市教育局\nkind: [市直部门\n"
    diagnostics = run_check(make_repo(tmp_path, {"content/units/jyj.yaml": bad}))
    assert found(diagnostics) == {("GK-YAML-001", "content/units/jyj.yaml", 3)}  # where the [ opens
    assert diagnostics[0].message == "YAML 语法错误:「kind: [市直部门」的括号没有配对:请补上「]」,或把值写成不带括号的文字。"


def test_yaml_column_is_kept():
    diag = load_error("---\nid: xw-1\ntitle: 会议: 通知\n---\n")
    assert (diag.line, diag.col) == (3, 10)  # the second colon


def test_unsafe_yaml_tags_are_syntax_errors_never_executed():
    diag = load_error("---\nid: !!python/object/apply:os.system [\"true\"]\n---\n")
    assert (diag.code, diag.line) == ("GK-YAML-001", 2)


def test_valid_yaml_passes():
    assert parse(NEWS, "content/news/xw-1.md", "news").meta["title"] == "测试新闻"


def test_duplicate_key_is_yaml_002_at_the_second_occurrence(tmp_path):
    text = "---\nid: xw-1\ntitle: 甲\nunit: jyj\ntitle: 乙\ndate: 2026-03-01\n---\n"
    diagnostics = run_check(make_repo(tmp_path, {"content/news/xw-1.md": text}))
    assert found(diagnostics) == {("GK-YAML-002", "content/news/xw-1.md", 5)}
    assert "第 3 行" in diagnostics[0].message


def test_duplicate_nested_key_is_yaml_002():
    diag = load_error("id: jyj\ncontact:\n  phone: 1\n  phone: 2\n", "content/units/jyj.yaml", "unit")
    assert (diag.code, diag.line) == ("GK-YAML-002", 4)


def test_same_key_in_two_list_entries_is_not_a_duplicate():
    item = parse(NESTED)
    assert [a["title"] for a in item.meta["attachments"]] == ["附件1", "附件2"]


@pytest.mark.parametrize("text", [
    "id: xw-1\ntitle: 无头信息\n",  # no front matter at all
    "---\nid: xw-1\ntitle: 未结束\n",  # unterminated
    "---x\nid: xw-1\n---\n",  # first line is not just ---
    "",  # empty file
])
def test_missing_or_unterminated_front_matter_is_yaml_003_at_line_one(tmp_path, text):
    diagnostics = run_check(make_repo(tmp_path, {"content/news/xw-1.md": text}))
    assert found(diagnostics) == {("GK-YAML-003", "content/news/xw-1.md", 1)}


def test_front_matter_may_end_with_dots_and_trailing_spaces():
    item = parse("--- \nid: xw-1\n... \n正文\n", "content/news/xw-1.md", "news")
    assert item.meta == {"id": "xw-1"} and item.body == "正文\n" and item.body_line == 4


@pytest.mark.parametrize("rel, text, line", [
    ("content/news/xw-1.md", "---\n- id: xw-1\n- title: 列表\n---\n", 2),
    ("content/news/xw-1.md", "---\n就是一句话\n---\n", 2),
    ("content/units/jyj.yaml", "- id: jyj\n- name: 列表\n", 1),
])
def test_list_or_scalar_instead_of_mapping_is_yaml_004(tmp_path, rel, text, line):
    diagnostics = run_check(make_repo(tmp_path, {rel: text}))
    assert ("GK-YAML-004", rel, line) in found(diagnostics)


def test_one_bad_file_does_not_stop_the_scan(tmp_path):
    root = make_repo(tmp_path, {
        "content/news/xw-1.md": NEWS,
        "content/news/xw-2.md": "---\nid: xw-2\ntitle: 会议: 通知\n---\n",
        "content/news/xw-3.md": NEWS.replace("xw-1", "xw-3").encode("gbk"),
    })
    repo = load_repository(root)
    assert [item.id for item in repo.items] == ["xw-1"]
    assert found(repo.load_diagnostics) == {
        ("GK-YAML-001", "content/news/xw-2.md", 3),
        ("GK-ENC-001", "content/news/xw-3.md", 3),
    }
