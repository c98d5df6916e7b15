"""Markdown to safe HTML, as a pure function: same text and same addresses, same bytes.

The check already rejects unsafe markup; nh3 (Ammonia) is the second line of
defence, so a rule that misses something still cannot put script on the site.
By-id links (`item:ID`, `unit:ID`) and repository files become addresses
here, through the one link parser (`pipeline.core.links`) and the one address
scheme (`pipeline.core.addresses`). `render_markdown` returns the HTML together with
the files and items it links, and keeps no state between calls: a build that keeps converted texts
hands its `HtmlCache.convert` in as `convert`.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Callable, Collection

import markdown
import nh3

from pipeline.core.addresses import file_url, unit_url
from pipeline.core.links import ITEM_SCHEME, UNIT_SCHEME, file_target_path, is_file_target, link_targets, split_item_target

TAGS = {
    "a", "abbr", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "mark", "ol", "p", "pre", "small", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "scope", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "abbr": {"title"},
    "ol": {"start"},
}
DEAD_LINK = "#unpublished"
TABLE_OPEN = '<div class="table-scroll" tabindex="0" role="region" aria-label="表格(可左右滚动)"><table>'

# One converter, reset before each use: building one costs more than converting a short text.
_MARKDOWN = markdown.Markdown(extensions=["tables", "sane_lists", "fenced_code"], output_format="html")


@dataclass
class HtmlCache:
    """Converted Markdown by the hash of its text (after by-id links became addresses).

    Conversion is most of a page's rendering time and a pure function of that text and of this
    module's code, so a rebuild converts only the texts it has not seen. `entries` come from the
    previous build (`pipeline.site.build_cache`); `used` is what this build needed, kept for the next.
    """

    entries: dict[str, str] = field(default_factory=dict)
    used: dict[str, str] = field(default_factory=dict)

    def convert(self, source: str) -> str:
        key = hashlib.blake2b(source.encode("utf-8"), digest_size=20).hexdigest()
        html = self.entries.get(key)
        if html is None:
            html = to_html(source)
        self.used[key] = html
        return html


def converter_version() -> str:
    """What a cached conversion is only valid for: this module's code and the converter and sanitiser versions."""
    from importlib.metadata import version
    from pathlib import Path

    code = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=12).hexdigest()
    return f"{code}-markdown{version('markdown')}-nh3{version('nh3')}"


@dataclass(frozen=True)
class Rendered:
    html: str
    files: tuple[str, ...]  # repository files (relative to content/) the text links or shows
    items: tuple[str, ...]  # ids of the items it links by id (published or not)


def render_markdown(text: str, resolve_item: Callable[[str], str | None], units: Collection[str],
                    convert: Callable[[str], str] | None = None,
                    limits: "MarkdownLimits | None" = None) -> Rendered:
    """`resolve_item(id)` gives the address of a published item, or None (its link keeps only its words);
    `convert` turns the text, its links made addresses, into HTML (`to_html`, or a cache of its results).

    A text over `limits` (`structure_problems`, what the check reports) is never converted: that is
    what would blow the stack. MarkdownTooComplex says so, and also stands in for a RecursionError
    of a shape the scan does not measure, so that it becomes a diagnostic, not a crash.
    """
    text = text or ""
    problems = structure_problems(text, limits or MarkdownLimits())
    if problems:
        raise MarkdownTooComplex(problems[0])
    files: list[str] = []
    items: list[str] = []
    pieces = []
    at = 0
    for link in link_targets(text):
        if not link.rewritable or link.start < at:
            continue
        target = link.target
        if target.startswith(ITEM_SCHEME):
            ident, fragment = split_item_target(target)
            items.append(ident)
            url = resolve_item(ident)
            new = (url + fragment) if url else DEAD_LINK
        elif target.startswith(UNIT_SCHEME):
            ident = target[len(UNIT_SCHEME):]
            new = unit_url(ident) if ident in units else DEAD_LINK
        elif is_file_target(target):
            new = file_url(target)
            files.append(file_target_path(target))
        else:
            continue
        pieces += [text[at:link.start], new]
        at = link.end
    source = "".join(pieces) + text[at:]
    try:
        html = (convert or to_html)(source)
    except RecursionError:
        raise MarkdownTooComplex(StructureProblem(DEPTH_CODE, 0, 0, (limits or MarkdownLimits()).max_depth)) from None
    return Rendered(html, tuple(dict.fromkeys(files)), tuple(dict.fromkeys(items)))


def to_html(source: str) -> str:
    _MARKDOWN.reset()
    html = _MARKDOWN.convert(source)
    html = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto", "tel"},
                     link_rel=None)
    # A link to an unpublished item keeps its words but loses its target.
    html = re.sub(r'<a href="#unpublished"[^>]*>(.*?)</a>', r"\1", html)
    # A wide table scrolls inside its own region on a phone; the region takes keyboard
    # focus so that keyboard users can scroll it too (WCAG 2.1.1). Added after sanitising.
    return html.replace("<table>", TABLE_OPEN).replace("</table>", "</table></div>")


# --- how deep and how large a text may be ------------------------------------------------------
# Python-Markdown recurses once (or more) per level of nesting: a list nested 700 deep (what pasting
# some Word documents gives) overflows Python's stack, and a few hundred levels already cost seconds.
# So the structure is measured first, by one linear scan of the source lines, never by rendering;
# the check reports what is over the limits (GK-MD-001..003) and the renderer refuses the same texts,
# so a text the check passed is one the build can render.
DEPTH_CODE = "GK-MD-001"
INLINE_DEPTH_CODE = "GK-MD-002"
ELEMENTS_CODE = "GK-MD-003"


@dataclass(frozen=True)
class MarkdownLimits:
    """Settings `limits.markdown_max_depth` and `limits.markdown_max_elements` (per text)."""

    max_depth: int = 20
    max_elements: int = 20000

    @classmethod
    def from_settings(cls, settings: dict | None) -> "MarkdownLimits":
        limits = settings.get("limits") if isinstance(settings, dict) else None
        limits = limits if isinstance(limits, dict) else {}
        values = {}
        for name, key in (("max_depth", "markdown_max_depth"), ("max_elements", "markdown_max_elements")):
            value = limits.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                values[name] = value
        return cls(**values)


@dataclass(frozen=True)
class StructureProblem:
    code: str  # DEPTH_CODE, INLINE_DEPTH_CODE or ELEMENTS_CODE
    line: int  # 0-based line of the text where the element over the limit starts
    measured: int
    limit: int

    @property
    def message(self) -> str:
        if self.code == DEPTH_CODE and not self.measured:  # the converter itself ran out of stack
            return ("这段文字的结构嵌套过深(列表、引用、强调或链接层层相套),网站无法显示。"
                    "多是从 Word 粘贴带入的:请删去多余的缩进、“>”和成串的 * 、_ 、[ ]。")
        if self.code == DEPTH_CODE:
            return (f"列表和引用嵌套超过 {self.limit} 层(从这一行起已到第 {self.measured} 层),网站无法显示。"
                    "多是从 Word 粘贴带入的缩进或“>”:请把列表改为最多几层,多余的缩进删掉。")
        if self.code == INLINE_DEPTH_CODE:
            return (f"加粗、斜体或链接方括号嵌套了 {self.measured} 层(上限 {self.limit} 层),网站无法显示。"
                    "多是粘贴带入的成串 * 、_ 或 [ ]:请删去多余的标记。")
        return (f"一段文字中的段落、列表项、表格单元格和强调等元素超过 {self.limit} 个(到这一行已有 "
                f"{self.measured} 个),网站无法显示。请拆分为几个条目或作为附件发布。")


class MarkdownTooComplex(Exception):
    """The renderer refused a text: over the limits (what the check reports), or too deep to convert."""

    def __init__(self, problem: StructureProblem):
        super().__init__(problem)
        self.problem = problem


class TextNotRenderable(Exception):
    """A shown text the build could not render, with the diagnostics (file:line) that say which one.
    Plain data in its args, so that it crosses from a forked worker back to the build."""

    @property
    def diagnostics(self) -> tuple:
        return self.args


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_LIST_MARKER = re.compile(r"(?:[*+-]|[0-9]{1,9}[.)])(?=[ \t]|$)")
_QUOTE = re.compile(r" {0,3}>")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)|\\.")
_INLINE_TOKEN = re.compile(r"\*+|_+|\[|\]")


def structure_problems(text: str, limits: MarkdownLimits = MarkdownLimits()) -> list[StructureProblem]:
    """What of `text` is over `limits`: at most one problem per code, at the line where it starts.

    One pass over the lines, linear in the text (every stack entry is pushed and popped once).
    Block nesting: `>` prefixes plus the list items open at that line (a list marker indented deeper
    than the open one nests; Python-Markdown wants 4 spaces where CommonMark takes 2, counting every
    deeper indentation errs on the safe side). Inline nesting: matched pairs of `*`/`_` runs and of
    square brackets, code spans left out. Elements: lines, prefixes, table cells and inline pairs.
    Fenced code is text, not structure.
    """
    problems: dict[str, StructureProblem] = {}
    stack: list[int] = []  # columns of the list markers open
    blank_before = True
    fence = ""
    elements = 0
    inline = _InlineNesting()
    for index, raw in enumerate(text.split("\n")):
        line = raw.expandtabs(4) if "\t" in raw else raw
        if fence:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = ""
            continue
        opened = _FENCE.match(line)
        if opened:
            fence, blank_before = opened.group(1), False
            elements += 1
            inline.reset()
            continue
        if not line.strip():
            blank_before = True
            inline.reset()
            continue
        indent = len(line) - len(line.lstrip(" "))
        pos, quotes, markers = indent, 0, 0
        while True:  # the prefixes of this line: block quotes and list markers, in any order
            while pos < len(line) and line[pos] == " ":
                pos += 1
            if line.startswith(">", pos):
                quotes, pos = quotes + 1, pos + 1
                continue
            marker = _LIST_MARKER.match(line, pos)
            if not marker:
                break
            while stack and stack[-1] >= pos:
                stack.pop()
            stack.append(pos)
            markers, pos = markers + 1, marker.end()
        if not markers and not quotes and blank_before:
            while stack and stack[-1] >= indent:  # a paragraph that is not indented under an item ends it
                stack.pop()
        blank_before = False
        depth = quotes + len(stack)
        if depth > limits.max_depth and DEPTH_CODE not in problems:
            problems[DEPTH_CODE] = StructureProblem(DEPTH_CODE, index, depth, limits.max_depth)
        pairs = inline.scan(line[pos:], index)
        if inline.too_deep(limits.max_depth) and INLINE_DEPTH_CODE not in problems:
            problems[INLINE_DEPTH_CODE] = StructureProblem(INLINE_DEPTH_CODE, inline.deepest_line, inline.deepest,
                                                           limits.max_depth)
        elements += 1 + quotes + markers + line.count("|") + pairs
        if elements > limits.max_elements and ELEMENTS_CODE not in problems:
            problems[ELEMENTS_CODE] = StructureProblem(ELEMENTS_CODE, index, elements, limits.max_elements)
    return sorted(problems.values(), key=lambda p: (p.line, p.code))


class _InlineNesting:
    """Nesting of matched emphasis runs and brackets, across the lines of one block.

    Only matched pairs count (a stray `*注` is no nesting). A pair's depth is one more than the deepest
    pair closed inside it (a `***` run is two levels: strong and emphasis), found when it closes.
    """

    def __init__(self):
        self.deepest = 0
        self.deepest_line = 0
        self.reset()

    def reset(self) -> None:
        self.stack: list[list] = []  # [char, run length, deepest pair inside, line]
        self.by_char: dict[str, list[int]] = {"*": [], "_": [], "[": []}

    def too_deep(self, limit: int) -> bool:
        return self.deepest > limit

    def scan(self, line: str, index: int) -> int:
        """Read one line; return the pairs it closed."""
        if "*" not in line and "_" not in line and "[" not in line:
            return 0
        if "`" in line or "\\" in line:
            line = _CODE_SPAN.sub("x", line)
        pairs = 0
        for token in _INLINE_TOKEN.finditer(line):
            char, length = token.group()[0], len(token.group())
            if char == "[":
                self._push(char, 1, index)
                continue
            if char == "]":
                pairs += self._close("[", 1)
                continue
            before = line[token.start() - 1] if token.start() else " "
            after = line[token.end()] if token.end() < len(line) else " "
            can_close, can_open = not before.isspace(), not after.isspace()
            if can_close and self.by_char[char]:
                closed = self._close(char, length)
                pairs += closed
                if closed:
                    continue
            if can_open:
                self._push(char, length, index)
        return pairs

    def _push(self, char: str, length: int, index: int) -> None:
        self.by_char[char].append(len(self.stack))
        self.stack.append([char, length, 0, index])

    def _close(self, char: str, length: int) -> int:
        openers = self.by_char[char]
        if not openers:
            return 0
        at = openers[-1]
        inside = 0
        for entry in self.stack[at + 1:]:
            inside = max(inside, entry[2])
            self.by_char[entry[0]].pop()  # entries above `at` are the tops of their lists
        opener = self.stack[at]
        levels = 1 if char == "[" else (min(length, opener[1]) + 1) // 2
        depth = max(inside, opener[2]) + levels
        del self.stack[at:]
        openers.pop()
        if self.stack:
            self.stack[-1][2] = max(self.stack[-1][2], depth)
        if depth > self.deepest:
            self.deepest, self.deepest_line = depth, opener[3]
        return 1
