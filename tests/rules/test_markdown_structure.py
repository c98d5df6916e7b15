"""GK-MD-001/002/003: how deep and large a Markdown text may be, asserted as exact (code, path, line);
and the decision held both ways: what the check passes, the renderer renders."""
from __future__ import annotations

from datetime import datetime

from hypothesis import HealthCheck, given, settings, strategies as st

from pipeline.content.repository import load_repository
from pipeline.core.markdown import (DEPTH_CODE, ELEMENTS_CODE, INLINE_DEPTH_CODE, MarkdownLimits,
                                    MarkdownTooComplex, TextNotRenderable, render_markdown, structure_problems)
from pipeline.core.site_items import Catalogue
from tests.repo_factory import found, make_repo, md, run_check, unit_yaml
from tests.test_cli import gongkai

NEWS_PATH = "content/news/xw-1.md"
BODY_FIRST_LINE = 7  # "---", four front-matter lines, "---", then the body


def news(body: str) -> str:
    return md("""
        id: xw-1
        title: 测试新闻
        unit: jyj
        date: 2026-03-01 09:00
        """, body)


def nested_list(levels: int, indent: str = "    ") -> str:
    return "".join(indent * level + f"- 第 {level + 1} 层\n" for level in range(levels))


def check(tmp_path, body, code, settings_yaml=None):
    files = {NEWS_PATH: news(body)}
    if settings_yaml:
        files["content/governance/settings.yaml"] = settings_yaml
    return found(run_check(make_repo(tmp_path, files)), code)


# --- GK-MD-001 -----------------------------------------------------------------------

def test_list_nested_deeper_than_the_limit_is_reported_where_it_goes_too_deep(tmp_path):
    # The 21st item is the first one over 20 levels: body line 21.
    assert check(tmp_path, nested_list(21), DEPTH_CODE) == {(DEPTH_CODE, NEWS_PATH, BODY_FIRST_LINE + 20)}


def test_list_nested_to_the_limit_passes(tmp_path):
    assert check(tmp_path, nested_list(20), None) == set()


def test_lists_nested_by_two_spaces_count_too(tmp_path):
    assert check(tmp_path, "前言\n\n" + nested_list(21, "  "), DEPTH_CODE) == \
        {(DEPTH_CODE, NEWS_PATH, BODY_FIRST_LINE + 2 + 20)}


def test_block_quotes_nested_too_deep_are_reported(tmp_path):
    assert check(tmp_path, "一段。\n\n" + ">" * 21 + " 引用\n", DEPTH_CODE) == {(DEPTH_CODE, NEWS_PATH, BODY_FIRST_LINE + 2)}
    assert check(tmp_path / "ok", "一段。\n\n" + "> " * 3 + "引用\n", None) == set()


def test_the_limit_is_a_setting(tmp_path):
    assert check(tmp_path, nested_list(6), DEPTH_CODE, "limits:\n  markdown_max_depth: 5\n") == \
        {(DEPTH_CODE, NEWS_PATH, BODY_FIRST_LINE + 5)}


def test_a_fenced_code_block_is_text_not_structure(tmp_path):
    assert check(tmp_path, "```\n" + nested_list(30) + "```\n", None) == set()


# --- GK-MD-002 -----------------------------------------------------------------------

def test_emphasis_nested_too_deep_is_reported(tmp_path):
    body = "一段。\n\n" + "*" * 42 + "强调" + "*" * 42 + "\n"
    assert check(tmp_path, body, INLINE_DEPTH_CODE) == {(INLINE_DEPTH_CODE, NEWS_PATH, BODY_FIRST_LINE + 2)}


def test_link_brackets_nested_too_deep_are_reported(tmp_path):
    body = "[" * 21 + "链接" + "](https://www.gov.cn/)" * 21 + "\n"
    assert check(tmp_path, body, INLINE_DEPTH_CODE) == {(INLINE_DEPTH_CODE, NEWS_PATH, BODY_FIRST_LINE)}


def test_ordinary_emphasis_stray_asterisks_and_code_pass(tmp_path):
    body = "**加粗** *斜体* ***两者*** [链接](https://www.gov.cn/)\n\n" + "*注 " * 40 + "\n\n`" + "*" * 50 + "`\n"
    assert check(tmp_path, body, None) == set()


# --- GK-MD-003 -----------------------------------------------------------------------

def test_too_many_elements_are_reported_at_the_line_that_passes_the_limit(tmp_path):
    settings_yaml = "limits:\n  markdown_max_elements: 100\n"
    # Each line is a paragraph line and a list item: two elements, so line 51 makes 102.
    assert check(tmp_path, "- 项\n" * 60, ELEMENTS_CODE, settings_yaml) == {(ELEMENTS_CODE, NEWS_PATH, BODY_FIRST_LINE + 50)}
    assert check(tmp_path / "ok", "- 项\n" * 50, None, settings_yaml) == set()


def test_a_units_functions_are_measured_too(tmp_path):
    unit = unit_yaml("jyj", "测试市教育局", "市直部门", 12346) + "functions: |\n" + \
        "".join("  " + line + "\n" for line in nested_list(21).splitlines())
    root = make_repo(tmp_path, {"content/units/jyj.yaml": unit})
    lines = unit.splitlines()
    first = lines.index("functions: |") + 2
    assert found(run_check(root), DEPTH_CODE) == {(DEPTH_CODE, "content/units/jyj.yaml", first + 20)}


# --- the renderer: same limits, and a diagnostic where it still cannot convert ---------------

def test_the_renderer_refuses_what_the_check_reports():
    try:
        render_markdown(nested_list(700), lambda _: None, ())
    except MarkdownTooComplex as exc:
        assert exc.problem.code == DEPTH_CODE and exc.problem.line == 20
    else:
        raise AssertionError("rendered a text over the limits")


def test_a_recursion_error_while_converting_becomes_the_items_diagnostic(tmp_path):
    # A shape the scan does not measure that still overflows the converter: the build reports the
    # item at its body's first line (GK-MD-001), never a crash.
    def overflow(_source):
        raise RecursionError

    repo = load_repository(make_repo(tmp_path, {NEWS_PATH: news("正文。\n")}))
    catalogue = Catalogue(repo, datetime.fromisoformat("2026-06-01T12:00:00+08:00"), overflow)
    try:
        catalogue.entries["xw-1"].rendered
    except TextNotRenderable as exc:
        assert found(exc.diagnostics) == {(DEPTH_CODE, NEWS_PATH, BODY_FIRST_LINE)}
    else:
        raise AssertionError("no diagnostic")


def test_build_of_a_700_level_list_stops_with_the_diagnostic_not_a_traceback(tmp_path):
    root = make_repo(tmp_path, {NEWS_PATH: news(nested_list(700))})
    result = gongkai("--root", root, "build", "--now", "2026-06-01 12:00", "--output", tmp_path / "out")
    assert result.returncode == 1
    assert f"{NEWS_PATH}:{BODY_FIRST_LINE + 20}: 错误 {DEPTH_CODE}" in result.stdout
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr
    assert not (tmp_path / "out").exists()


# --- the property: the check passes => the text renders ----------------------------------

def _block(children):
    return st.one_of(
        st.builds(lambda c, n: "".join("    " * i + "- " + c + "\n" for i in range(n)), children, st.integers(1, 40)),
        st.builds(lambda c, n: "".join("  " * i + "1. " + c + "\n" for i in range(n)), children, st.integers(1, 40)),
        st.builds(lambda c, n: "> " * n + c + "\n", children, st.integers(1, 60)),
        st.builds(lambda c, n: "    " * n + "> - " + c + "\n", children, st.integers(0, 30)),
        st.builds(lambda c: f"| {c} | b |\n| --- | --- |\n| 1 | {c} |\n", children),
        st.builds(lambda c: c + "\n", children),
    )


_INLINE = st.recursive(
    st.sampled_from(["文字", "138", "a", " ", "*", "_", "[", "]", "`", "\\*"]),
    lambda inner: st.one_of(
        st.builds(lambda c, n: "*" * n + c + "*" * n, inner, st.integers(1, 50)),
        st.builds(lambda c, n: "_" * n + c + "_" * n, inner, st.integers(1, 50)),
        st.builds(lambda c: f"[{c}](https://www.gov.cn/)", inner),
        st.builds(lambda a, b: a + b, inner, inner),
    ),
    max_leaves=30,
)

MARKDOWN = st.lists(_block(_INLINE), min_size=1, max_size=8).map("\n".join)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(MARKDOWN)
def test_a_text_the_check_passes_is_one_the_renderer_renders(text):
    # The check's own function and the renderer, directly: a site build per example would cost minutes.
    limits = MarkdownLimits()
    if structure_problems(text, limits):
        return
    rendered = render_markdown(text, lambda _: None, (), limits=limits)
    assert isinstance(rendered.html, str)
