"""Bytes that are not text, and characters that make what a reviewer reads differ from what citizens read."""
from __future__ import annotations

import re
import unicodedata
from typing import Iterator

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.content.source_positions import is_body, source_position
from pipeline.check.rules import ITEM, Rule, register

CONTROL_CODE = "GK-TEXT-001"
INVISIBLE_CODE = "GK-TEXT-002"

# C0 and C1 controls and DEL, except tab and line ends (CR is normalised away by the loader).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Bidirectional embeddings, overrides, isolates and marks; zero-width characters and the BOM.
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

# Where an invisible character is an error: the text that identifies an item or names a reference.
IDENTIFIER_KEYS = frozenset({
    "id", "title", "doc_number", "index_number", "unit", "reply_unit", "column", "interprets", "replaced_by",
    "related_policies", "former_urls", "attachments", "forms", "media", "online_url", "media_url", "name",
})


def _name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, '控制字符')}"


@register
class TextHygiene(Rule):
    """文字卫生:只有真正的文字,看不见的字符不得出现在会误导人的地方。

    - GK-TEXT-001(错误):NUL 及其他 C0/C1 控制字符(制表符和换行除外),出现在条目或单位
      的任何文字中。它们不是文字,有的会原样出现在网页上,多由复制粘贴带入。
    - GK-TEXT-002:双向控制字符(U+202A–U+202E、U+2066–U+2069、U+200E/U+200F、U+061C)
      和零宽字符(U+200B–U+200D、U+2060、U+FEFF)。在标题、文号、索引号、编号和引用中
      是错误:审核人在差异中看到的文字会与市民在网站上看到的不同;在正文和其他文字中是
      警告,并指出位置(多是从聊天软件或 Word 误带的)。

    FAIL: 标题写成“关于[U+202E]知通的……”(字符顺序被反转显示);正文中有 NUL 字节;
          `doc_number: 云政规〔2026〕[U+200B]3号`(文号中夹零宽空格,搜索不到)。
    PASS: 同样的文字,去掉这些看不见的字符。
    """

    codes = {
        CONTROL_CODE: "文字中含 NUL 等控制字符",
        INVISIBLE_CODE: "标题、文号、编号中含双向控制字符或零宽字符(正文中为警告)",
    }

    reach = ITEM

    def check(self, repo) -> Iterator[Diagnostic]:
        for item in [*repo.items, *repo.units.values()]:
            for text_field in item.text_fields():
                text = text_field.text
                if text.isascii() and text.isprintable():
                    continue  # the common case, in one C call
                for match in _CONTROL.finditer(text):
                    line, col = source_position(item, text_field, match.start(), match.end())
                    yield Diagnostic(item.path, line, col, CONTROL_CODE, Severity.ERROR,
                                     f"第 {line} 行第 {col} 列有控制字符 {_name(match.group())},它不是文字,"
                                     "多由复制粘贴带入:请删除后重新输入这一处。")
                if text.isascii():
                    continue
                identifier = not is_body(text_field) and text_field.pointer[0] in IDENTIFIER_KEYS
                for match in _INVISIBLE.finditer(text):
                    line, col = source_position(item, text_field, match.start(), match.end())
                    where = "标题、文号、编号和引用" if identifier else "文字"
                    yield Diagnostic(
                        item.path, line, col, INVISIBLE_CODE, Severity.ERROR if identifier else Severity.WARNING,
                        f"第 {line} 行第 {col} 列有看不见的字符 {_name(match.group())}。{where}中的这类字符会让"
                        "审核时看到的文字与网站上显示的不同:请删除(可在编辑器中打开“显示不可见字符”查找)。")
