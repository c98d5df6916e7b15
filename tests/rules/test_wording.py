"""GK-WORD-001: serious wording errors from content/governance/wording.yaml."""
from __future__ import annotations

import textwrap

from pipeline.check.rules.wording import CODE
from tests.repo_factory import found, make_repo, md, run_check

NEWS_PATH = "content/news/xw-1.md"
BODY_FIRST_LINE = 7
WORDING_PATH = "content/governance/wording.yaml"


def news(body: str, title: str = "测试新闻") -> str:
    return md(f"""
        id: xw-1
        title: {title}
        unit: jyj
        date: 2026-03-01 09:00
        """, textwrap.dedent(body).lstrip("\n"))


def diagnostics(tmp_path, files):
    return [d for d in run_check(make_repo(tmp_path, files)) if d.code == CODE]


def test_wrong_expression_in_body_is_reported_on_its_line(tmp_path):
    body = """
        根据有关规定,现予公开。

        依据《中华人民共和国政府信息公开条列》第二十条。
        """
    diags = diagnostics(tmp_path, {NEWS_PATH: news(body)})
    assert found(diags, CODE) == {(CODE, NEWS_PATH, BODY_FIRST_LINE + 2)}
    assert diags[0].message == "「政府信息公开条列」是严重表述错误,应改为「政府信息公开条例」。"


def test_each_occurrence_is_reported(tmp_path):
    body = """
        政府信息公开条列,再写一次政府信息公开条列。
        第二行正确:政府信息公开条例。
        第三行又错:政府信息公开条列。
        """
    diags = diagnostics(tmp_path, {NEWS_PATH: news(body)})
    assert [(d.line, d.col) for d in diags] == [
        (BODY_FIRST_LINE, 1), (BODY_FIRST_LINE, 14), (BODY_FIRST_LINE + 2, 7)]


def test_correct_text_passes(tmp_path):
    assert diagnostics(tmp_path, {NEWS_PATH: news("依据《中华人民共和国政府信息公开条例》。\n")}) == []


def test_title_and_unit_page_are_checked(tmp_path):
    unit = (make_unit_with_functions("  负责全市教育工作。\n  宣传政府信息公开条列。\n"))
    diags = diagnostics(tmp_path, {NEWS_PATH: news("正文。\n", title="学习政府信息公开条列"),
                                   "content/units/jyj.yaml": unit})
    assert found(diags, CODE) == {(CODE, NEWS_PATH, 3), (CODE, "content/units/jyj.yaml", 6)}


def make_unit_with_functions(block: str) -> str:
    from tests.repo_factory import unit_yaml
    return unit_yaml("jyj", "测试市教育局", "市直部门", 12346).replace(
        "kind: 市直部门\n", "kind: 市直部门\nfunctions: |\n" + block)


def test_longest_entry_wins_and_note_is_quoted(tmp_path):
    wording = textwrap.dedent("""\
        entries:
          - wrong: 条列
            right: 条例
          - wrong: 个人信息保护法草案
            right: 个人信息保护法
            note: 该法已于 2021 年施行,不应再称草案
        """)
    body = """
        依据《个人信息保护法草案》。
        条列。
        """
    diags = diagnostics(tmp_path, {WORDING_PATH: wording, NEWS_PATH: news(body)})
    assert found(diags, CODE) == {(CODE, NEWS_PATH, BODY_FIRST_LINE), (CODE, NEWS_PATH, BODY_FIRST_LINE + 1)}
    first = next(d for d in diags if d.line == BODY_FIRST_LINE)
    assert first.message == ("「个人信息保护法草案」是严重表述错误,应改为「个人信息保护法」。"
                             "说明:该法已于 2021 年施行,不应再称草案。")


def test_right_form_containing_the_wrong_one_is_not_an_error(tmp_path):
    wording = "entries:\n  - wrong: 通办\n    right: 一网通办\n"
    body = """
        推进一网通办。
        推进通办事项。
        """
    assert found(diagnostics(tmp_path, {WORDING_PATH: wording, NEWS_PATH: news(body)}), CODE) == {
        (CODE, NEWS_PATH, BODY_FIRST_LINE + 1)}


def test_private_letter_is_not_checked(tmp_path):
    letter = textwrap.dedent("""\
        id: xj-1
        title: 咨询
        unit: jyj
        kind: 咨询
        received: 2026-03-02 10:00
        question: |
          请问政府信息公开条列在哪里看?
        public: {public}
        """)
    public = diagnostics(tmp_path / "a", {"content/letters/xj-1.yaml": letter.format(public="true")})
    assert found(public, CODE) == {(CODE, "content/letters/xj-1.yaml", 7)}
    assert diagnostics(tmp_path / "b", {"content/letters/xj-1.yaml": letter.format(public="false")}) == []


def test_missing_or_odd_wording_list_does_not_crash(tmp_path):
    body = "政府信息公开条列。\n"
    assert diagnostics(tmp_path / "a", {WORDING_PATH: None, NEWS_PATH: news(body)}) == []
    odd = "entries:\n  - wrong: 3\n    right: [x]\n  - just a string\n  - {wrong: '', right: ''}\n"
    assert diagnostics(tmp_path / "b", {WORDING_PATH: odd, NEWS_PATH: news(body)}) == []
