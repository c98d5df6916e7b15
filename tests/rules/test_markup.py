"""GK-HTML-001 (dangerous markup) and GK-HTML-002 (raw HTML outside the allow-list)."""
from __future__ import annotations

import textwrap

import pytest

from pipeline.check.rules.markup import DANGER_CODE, RAW_HTML_CODE, dangerous_scheme
from tests.repo_factory import found, make_repo, md, run_check

NEWS_PATH = "content/news/xw-1.md"
BODY_FIRST_LINE = 7


def news(body: str, title: str = "测试新闻") -> str:
    return md(f"""
        id: xw-1
        title: {title}
        unit: jyj
        date: 2026-03-01 09:00
        """, textwrap.dedent(body).lstrip("\n"))


def diagnostics(tmp_path, files, code):
    return [d for d in run_check(make_repo(tmp_path, files)) if d.code == code]


def lines(tmp_path, body, code):
    return {d.line - BODY_FIRST_LINE + 1 for d in diagnostics(tmp_path, {NEWS_PATH: news(body)}, code)}


# --- GK-HTML-001 ---------------------------------------------------------------

def test_dangerous_markup_in_body_is_reported_on_its_line(tmp_path):
    body = """
        正文第一行。
        <script>alert(1)</script>
        <IFRAME src="https://example.com"></IFRAME>
        <img src="files/a.png" onerror="alert(1)">
        [点击](javascript:alert(1))
        ![图](data:image/png;base64,AAAA)
        [转义](java&#115;cript:alert(1)) 与 [反斜杠](javascript\\:alert(1))
        <JavaScript:alert(1)>
        <a href=" jav&#x09;ascript:alert(1)">链接</a>
        <span style="background:url(javascript:alert(1))">文字</span>
        <span
          onmouseover="alert(1)">跨行的标签</span>

        [参考]: vbscript:msgbox(1)
        """
    diags = diagnostics(tmp_path, {NEWS_PATH: news(body)}, DANGER_CODE)
    assert found(diags, DANGER_CODE) == {
        (DANGER_CODE, NEWS_PATH, BODY_FIRST_LINE + n) for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13)}
    # Two findings on line 7 are two diagnostics, told apart by column.
    assert len([d for d in diags if d.line == BODY_FIRST_LINE + 6]) == 2


def test_dangerous_markup_in_metadata_is_reported(tmp_path):
    item = news("正文。\n", title='"通知<script>alert(1)</script>"')
    assert found(diagnostics(tmp_path, {NEWS_PATH: item}, DANGER_CODE), DANGER_CODE) == {
        (DANGER_CODE, NEWS_PATH, 3)}


def test_safe_links_and_prose_pass(tmp_path):
    body = """
        [通知全文](files/tongzhi.pdf)、[国务院](https://www.gov.cn/)、<https://www.gov.cn/>。
        ![活动现场](files/huodong.jpg "现场")
        data: 2026 年数据;javascript: 是一种编程语言的名字。
        某指标 a<b 且 c > d。
        <span title="data: 说明">说明</span>
        """
    assert lines(tmp_path, body, DANGER_CODE) == set()


def test_code_is_not_markup(tmp_path):
    body = """
        行内代码 `<script>alert(1)</script>` 和 ``<div onclick="x">`` 不会执行。
        ```html
        <script>alert(1)</script>
        <div>示例</div>
        ```
        <!-- 编辑备注:<div>旧版</div> -->
        """
    assert lines(tmp_path, body, DANGER_CODE) == set()
    assert lines(tmp_path, body, RAW_HTML_CODE) == set()


def test_unclosed_fence_is_still_checked(tmp_path):
    body = """
        ```
        <script>alert(1)</script>
        """
    assert lines(tmp_path, body, DANGER_CODE) == {2}


@pytest.mark.parametrize("url, scheme", [
    ("javascript:alert(1)", "javascript"),
    ("JaVaScRiPt:alert(1)", "javascript"),
    ("java&#115;cript:alert(1)", "javascript"),
    ("java&#x73;cript&colon;alert(1)", "javascript"),
    ("\tjava\nscript:alert(1)", "javascript"),
    ("vbscript:msgbox(1)", "vbscript"),
    ("DATA:text/html;base64,PHNjcmlwdD4=", "data"),
    ("https://www.gov.cn/", None),
    ("files/a.pdf", None),
    ("item:zc-1", None),
])
def test_dangerous_scheme(url, scheme):
    assert dangerous_scheme(url) == scheme


# --- GK-HTML-002 ---------------------------------------------------------------

def test_raw_html_outside_the_allow_list_is_reported(tmp_path):
    body = """
        <div align="center">居中</div>
        <font color="red">红字</font>

        <table><tr><td>1</td></tr></table>
        图片 <img src="files/a.png">
        """
    diags = diagnostics(tmp_path, {NEWS_PATH: news(body)}, RAW_HTML_CODE)
    assert found(diags, RAW_HTML_CODE) == {
        (RAW_HTML_CODE, NEWS_PATH, BODY_FIRST_LINE + n) for n in (0, 1, 3, 4)}
    table = next(d for d in diags if d.line == BODY_FIRST_LINE + 3)
    assert "<table>、<tr>、<td>" in table.message and "Markdown 表格" in table.message
    image = next(d for d in diags if d.line == BODY_FIRST_LINE + 4)
    assert "![图片说明](files/" in image.message


def test_allowed_tags_and_comments_pass(tmp_path):
    body = """
        H<sub>2</sub>O,10<sup>3</sup>,<u>下划线</u><br>
        <span class="x">文字</span><mark>重点</mark><small>注</small><abbr title="政务">政</abbr>
        <!-- 编辑备注 -->
        \\<div> 是转义后的文字。
        """
    assert lines(tmp_path, body, RAW_HTML_CODE) == set()
    assert lines(tmp_path, body, DANGER_CODE) == set()


def test_allow_list_comes_from_settings(tmp_path):
    settings = "markdown:\n  allowed_html: [div, script]\n"
    body = """
        <div>允许</div>
        <script>alert(1)</script>
        <font>不允许</font>
        """
    files = {NEWS_PATH: news(body), "content/governance/settings.yaml": settings}
    assert found(diagnostics(tmp_path / "a", files, RAW_HTML_CODE), RAW_HTML_CODE) == {
        (RAW_HTML_CODE, NEWS_PATH, BODY_FIRST_LINE + 2)}
    # Allowing a dangerous tag does not make it safe.
    assert found(diagnostics(tmp_path / "b", files, DANGER_CODE), DANGER_CODE) == {
        (DANGER_CODE, NEWS_PATH, BODY_FIRST_LINE + 1)}


def test_metadata_is_not_checked_for_raw_html(tmp_path):
    item = news("正文。\n", title='"<div>标题</div>"')
    assert diagnostics(tmp_path, {NEWS_PATH: item}, RAW_HTML_CODE) == []


def test_private_letter_is_not_checked(tmp_path):
    letter = textwrap.dedent("""\
        id: xj-1
        title: 咨询
        unit: jyj
        kind: 咨询
        received: 2026-03-02 10:00
        question: |
          第一行
          <script>alert(1)</script>
        public: {public}
        """)
    public = diagnostics(tmp_path / "a", {"content/letters/xj-1.yaml": letter.format(public="true")}, DANGER_CODE)
    assert found(public, DANGER_CODE) == {(DANGER_CODE, "content/letters/xj-1.yaml", 8)}
    assert diagnostics(tmp_path / "b", {"content/letters/xj-1.yaml": letter.format(public="false")}, DANGER_CODE) == []
