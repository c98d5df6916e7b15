"""Unsafe and non-Markdown markup (《门户网站管理办法》第二十五条: sanitised Markdown).

The portal is static and served with a strict Content-Security-Policy; this
rule stops, at merge-request time, what the policy would otherwise have to
catch: script, event handlers and `javascript:` URLs (GK-HTML-001), and raw
HTML that an editor should have written as Markdown (GK-HTML-002).
"""
from __future__ import annotations

import html
import re
from typing import Iterator

from pipeline.content.loader import Item, TextField
from pipeline.diagnostics import Diagnostic, Severity
from pipeline.core.links import link_targets
from pipeline.core.publication import screened_items, shown_fields
from pipeline.content.source_positions import is_body, source_position
from pipeline.check.rules import ITEM, Rule, register

DANGER_CODE = "GK-HTML-001"
RAW_HTML_CODE = "GK-HTML-002"

# Tags that run code, load other pages or restyle and redirect the whole page.
DANGEROUS_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet",
                  "style", "form", "meta", "link", "base"}
# Attributes whose value is fetched or followed as a URL (a data: title is harmless).
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster",
                  "srcset", "cite", "data", "codebase", "lowsrc", "dynsrc", "ping", "manifest"}
DANGEROUS_SCHEMES = ("javascript", "vbscript", "data")

# --- what Markdown renders as code (escaped, so harmless) -------------------
# A fence counts only when closed: an unclosed fence is not code for every
# renderer, and what is not code may be live HTML.
_CODE_OR_COMMENT = re.compile(
    r"(?P<fenced>^(?P<fence>(?P<fc>[`~])(?P=fc){2,})[^\n]*\n.*?^(?P=fence)(?P=fc)*[ \t]*$)"
    r"|(?P<span>(?<![`\\])(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`))"
    r"|(?P<comment><!--.*?-->)",
    re.M | re.S,
)

# --- HTML ---------------------------------------------------------------------
# A tag name right after `<` (browsers require that), then attributes up to `>`;
# a tag left open runs on over single line breaks, as a browser would read it.
_TAG = re.compile(
    r"(?<!\\)<(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)"
    r"(?P<attrs>(?:[^<>\n]|\n(?![ \t]*\n))*)>?"
)
_ATTRIBUTE = re.compile(
    r"""(?<=[\s/"'])(?P<name>[^\s"'<>/=]+)(?:\s*=\s*(?P<value>"[^"]*"?|'[^']*'?|[^\s"'>]+))?"""
)

_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")

# Advice for the tags editors paste most (from Word or other sites).
_MARKDOWN_FOR = {
    "img": "图片请写成 ![图片说明](files/图片文件名)",
    "a": "链接请写成 [链接文字](地址)",
    "table": "表格请用 Markdown 表格(| 列1 | 列2 |,第二行 | --- | --- |)",
    "h1": "标题请以 # 开头", "h2": "标题请以 ## 开头", "h3": "标题请以 ### 开头",
    "h4": "标题请以 #### 开头", "h5": "标题请以 ##### 开头", "h6": "标题请以 ###### 开头",
    "ul": "列表请每行以 - 开头", "ol": "编号列表请每行以 1. 开头", "li": "列表项请以 - 或 1. 开头",
    "p": "段落之间空一行即可", "div": "段落之间空一行即可",
    "b": "加粗请写成 **文字**", "strong": "加粗请写成 **文字**",
    "i": "斜体请写成 *文字*", "em": "斜体请写成 *文字*",
    "font": "字体、字号、颜色由网站统一样式决定,请删除",
    "center": "对齐方式由网站统一样式决定,请删除",
}
for _cell in ("tr", "td", "th", "thead", "tbody", "tfoot", "caption", "colgroup", "col"):
    _MARKDOWN_FOR[_cell] = _MARKDOWN_FOR["table"]


def mask_code(text: str) -> str:
    """`text` with code blocks, code spans and HTML comments blanked, offsets and lines kept."""
    if "`" not in text and "~~~" not in text and "<!--" not in text:
        return text
    return _CODE_OR_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def dangerous_scheme(raw: str) -> str | None:
    """`javascript`, `vbscript` or `data` when the URL uses it, however it is disguised.

    Browsers decode character references (java&#115;cript:) and drop
    whitespace and control characters inside a scheme; Markdown drops
    backslash escapes (javascript\\:).
    """
    url = _INVISIBLE.sub("", html.unescape(_MD_ESCAPE.sub(r"\1", raw))).lower()
    for scheme in DANGEROUS_SCHEMES:
        if url.startswith(scheme + ":"):
            return scheme
    return None


def _scheme_anywhere(raw: str) -> str | None:
    """A script scheme anywhere in an attribute value (style="background:url(javascript:…)")."""
    value = _INVISIBLE.sub("", html.unescape(raw)).lower()
    for scheme in ("javascript", "vbscript"):
        if scheme + ":" in value:
            return scheme
    return None


def _scheme_advice(scheme: str) -> str:
    if scheme == "data":
        return "这类地址把文件内容直接嵌在页面里,绕过了附件审核。请把文件放到 files/ 目录,写成 ![说明](files/文件名) 或 [说明](files/文件名)。"
    return "这类地址会在访问者浏览器中执行脚本,必须删除;链接请改为 https:// 开头的地址或站内 files/ 文件。"


@register
class UnsafeMarkup(Rule):
    """Markdown 中的危险标记和原始 HTML(《门户网站管理办法》第二十五条)。

    - GK-HTML-001 危险标记:`<script>`、`<iframe>`、`<object>`、`<embed>`、
      `<style>`、`<form>`、`<meta>`、`<link>`、`<base>` 等标签;任何事件处理
      属性(onclick=、onerror= 等);链接、图片、自动链接、引用式链接和 HTML
      属性中的 `javascript:`、`vbscript:`、`data:` 地址(不区分大小写,识别
      `java&#115;cript:` 这类字符实体和夹杂空白的写法)。正文和头信息中的
      文字字段都检查:标题里的 `<script>` 同样是攻击。
    - GK-HTML-002 原始 HTML:正文中不在 settings 的 `markdown.allowed_html`
      允许清单(默认 br、sup、sub、u、abbr、span、mark、small)中的 HTML
      标签,应改用 Markdown 写法;同一行的多个标签合并报告一次。

    围栏代码块(``` 或 ~~~,须有结束行)和行内代码(`...`)会按原样转义显示,
    其中的内容不检查;HTML 注释 `<!-- -->` 不检查。

    FAIL::

        <div align="center"><img src="files/tu.png" onerror="alert(1)"></div>
        [点击查看](javascript:alert(1))

    PASS::

        ![活动现场](files/tu.png)
        [点击查看](files/tongzhi.pdf)
        H<sub>2</sub>O,示例代码 `<div>`
    """

    codes = {
        DANGER_CODE: "危险标记:script/iframe 等标签、事件处理属性、javascript:/data: 地址",
        RAW_HTML_CODE: "正文含允许清单以外的 HTML 标签(应改用 Markdown)",
    }

    reach = ITEM

    def check(self, repo) -> Iterator[Diagnostic]:
        allowed = _allowed_tags(repo.settings)
        for item in screened_items(repo):
            for text_field in shown_fields(item, repo.now):
                yield from self._check_field(item, text_field, allowed)

    def _check_field(self, item: Item, text_field: TextField, allowed: set[str]) -> Iterator[Diagnostic]:
        body = is_body(text_field)
        text = mask_code(text_field.text) if body else text_field.text
        if "<" not in text and "](" not in text and "]:" not in text:
            return  # the common case: plain prose

        def diagnostic(code: str, start: int, end: int, message: str) -> Diagnostic:
            line, col = source_position(item, text_field, start, end)
            return Diagnostic(item.path, line, col, code, Severity.ERROR, message)

        raw_by_line: dict[int, list[tuple[int, int, str]]] = {}
        for tag in _TAG.finditer(text) if "<" in text else ():
            name = tag.group("name").lower()
            if tag.group("close"):
                continue  # the opening tag is reported
            if name in DANGEROUS_TAGS:
                yield diagnostic(DANGER_CODE, tag.start(), tag.end("name"),
                                 f"发现危险的 HTML 标签 <{name}>,它可以在访问者浏览器中执行代码或改变整个页面,必须删除。"
                                 "确需嵌入视频、地图、表单的,请联系网站管理员以安全方式提供。")
                continue
            yield from self._attributes(tag, text, diagnostic)
            if body and name not in allowed:
                raw_by_line.setdefault(text_field.line_at(tag.start()), []).append((tag.start(), tag.end("name"), name))

        for link in link_targets(text):
            scheme = dangerous_scheme(link.target)
            if scheme:
                yield diagnostic(DANGER_CODE, link.start, link.end,
                                 f"链接或图片地址使用了 {scheme}: 协议。" + _scheme_advice(scheme))

        for line, tags in raw_by_line.items():
            names = list(dict.fromkeys(name for _, _, name in tags))
            advice = list(dict.fromkeys(_MARKDOWN_FOR[n] for n in names if n in _MARKDOWN_FOR))
            message = ("正文中有原始 HTML 标签 " + "、".join(f"<{n}>" for n in names) + ",网站只发布 Markdown。"
                       + (";".join(advice) + "。" if advice else "请改用 Markdown 写法或删除这些标签。")
                       + "允许直接使用的标签:" + ("、".join(sorted(allowed)) or "无") + "。")
            start, end, _ = tags[0]
            yield diagnostic(RAW_HTML_CODE, start, end, message)

    @staticmethod
    def _attributes(tag: re.Match, text: str, diagnostic) -> Iterator[Diagnostic]:
        for attribute in _ATTRIBUTE.finditer(text, tag.start("attrs"), tag.end("attrs")):
            name = attribute.group("name").lower()
            value = attribute.group("value")
            if value is None:
                continue
            value = value.strip("\"'")
            if re.fullmatch(r"on[a-z]+", name):
                yield diagnostic(DANGER_CODE, attribute.start(), attribute.end("name"),
                                 f"HTML 属性 {name} 是脚本事件处理程序,会在访问者浏览器中执行代码,必须删除。")
                continue
            scheme = dangerous_scheme(value) if name in URL_ATTRIBUTES else None
            scheme = scheme or _scheme_anywhere(value)
            if scheme:
                yield diagnostic(DANGER_CODE, attribute.start(), attribute.end("name"),
                                 f"HTML 属性 {name} 的值使用了 {scheme}: 协议。" + _scheme_advice(scheme))


def _allowed_tags(settings) -> set[str]:
    markdown = settings.get("markdown") if isinstance(settings, dict) else None
    tags = markdown.get("allowed_html") if isinstance(markdown, dict) else None
    if not isinstance(tags, list):
        return set()
    return {tag.lower() for tag in tags if isinstance(tag, str)} - DANGEROUS_TAGS
