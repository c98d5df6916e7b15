"""Placeholder text left in an item: published, it is a serious wording error (Art. 33(4))."""
from __future__ import annotations

import re
from typing import Iterator

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.core.publication import screened_items, shown_fields
from pipeline.content.types import TEMPLATE_TEXTS
from pipeline.content.source_positions import source_position
from pipeline.check.rules import ITEM, Rule, register

CODE = "GK-WORD-002"
# Markers made of masking characters also mask personal data: Latin X next to digits masks a number
# (4501XXXXXXXX1234); ×, ○ and * after a Chinese character mask a name (张××). There they are masks,
# not placeholders; “关于XXX的通知” stays a placeholder.
_LATIN_MASK = set("xX")
_NAME_MASK = set("×○〇*＊")
_DIGIT_BEFORE = re.compile(r"[0-9]$")
_DIGIT_AFTER = re.compile(r"[Xx×*]*[0-9]")
_CJK_BEFORE = re.compile(r"[\u4e00-\u9fff]$")


_ASCII_LETTER = re.compile(r"[A-Za-z]")


def _inside_word(text: str, start: int, end: int) -> bool:
    """A Latin marker that is part of a longer Latin word (an id such as sj-jyj-xxxs, "todos"): not a marker."""
    if not text[start:end].isascii() or not text[start:end].isalpha():
        return False
    return bool(_ASCII_LETTER.match(text[start - 1:start] if start else "") or _ASCII_LETTER.match(text[end:end + 1]))


def _is_mask(text: str, start: int, end: int) -> bool:
    word, before = text[start:end], text[max(0, start - 1):start]
    next_to_digits = bool(_DIGIT_BEFORE.search(before) or _DIGIT_AFTER.match(text, end))
    if set(word) <= _LATIN_MASK:
        return next_to_digits
    if set(word) <= _NAME_MASK:
        return next_to_digits or bool(_CJK_BEFORE.search(before))
    return False


def _pattern(markers) -> re.Pattern | None:
    words = sorted({m for m in markers if isinstance(m, str) and m.strip()}, key=lambda w: (-len(w), w))
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def marker_pattern(repo) -> re.Pattern | None:
    """The markers of settings.yaml `placeholders.markers` (without the `gongkai new` hints), or None."""
    settings = repo.settings.get("placeholders") if isinstance(repo.settings.get("placeholders"), dict) else {}
    return _pattern(settings.get("markers") or [])


def placeholder_matches(text: str, pattern: re.Pattern) -> Iterator[re.Match]:
    """Each marker of `pattern` in `text` that is a placeholder, not a mask or part of a word."""
    for match in pattern.finditer(text):
        if not (_is_mask(text, match.start(), match.end()) or _inside_word(text, match.start(), match.end())):
            yield match


@register
class Placeholders(Rule):
    """占位文字:模板提示和“待补充”之类的标记不得发布(第三十三条第四项,严重表述错误)。

    检查现在或将来会发布的全部文字(标题、正文、头信息中的每个文字字段):`gongkai new`
    写入正文的提示句,以及 settings.yaml 中 `placeholders.markers` 列出的标记(默认
    TODO、FIXME、待补充、待填写、此处填写、XXX、××),不区分大小写。打码不算占位:
    紧挨数字的 X(4501XXXXXXXX1234),汉字后面的 ×、○、*(张××)。

    FAIL: `title: 关于XXX的通知`;正文仍是“(在此写正文,使用 Markdown。……)”;“联系电话:待补充”。
    PASS: `title: 关于开展春季植树活动的通知`;“市民张××来信反映……”。
    """

    codes = {CODE: "公开内容含占位文字(模板提示、TODO、待补充、XXX 等)"}

    reach = ITEM

    def check(self, repo) -> Iterator[Diagnostic]:
        settings = repo.settings.get("placeholders") if isinstance(repo.settings.get("placeholders"), dict) else {}
        pattern = _pattern([*TEMPLATE_TEXTS, *(settings.get("markers") or [])])
        if pattern is None:
            return
        for item in screened_items(repo):
            for text_field in shown_fields(item, repo.now):
                for match in placeholder_matches(text_field.text, pattern):
                    word = match.group()
                    line, col = source_position(item, text_field, match.start(), match.end())
                    shown = word if len(word) <= 20 else word[:20] + "……"
                    yield Diagnostic(item.path, line, col, CODE, Severity.ERROR,
                                     f"「{shown}」是占位文字,不能发布(严重表述错误,第三十三条第四项):"
                                     "请写上真实内容,暂时没有的请删除这一处。")
