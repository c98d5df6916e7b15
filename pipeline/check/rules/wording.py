"""Serious wording errors (严重表述错误, 《门户网站管理办法》第三十三条第四项).

The list lives in content/governance/wording.yaml (`entries: [{wrong, right,
note}]`), so the office extends it without touching code.
"""
from __future__ import annotations

import re
from typing import Iterator

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.core.publication import screened_items, shown_fields
from pipeline.content.source_positions import source_position
from pipeline.check.rules import ITEM, Rule, register

CODE = "GK-WORD-001"


class WordingList:
    """The wrong expressions compiled into one alternation, longest first.

    One regex pass per text, whatever the length of the list: with 10,000
    items that is what keeps the check fast. Longest first makes
    "中华人民共和国国务院令第711号令" win over a shorter entry inside it.
    """

    def __init__(self, entries):
        self.entries: dict[str, dict] = {}
        for entry in entries:
            wrong, right = entry.get("wrong"), entry.get("right")
            if isinstance(wrong, str) and wrong.strip():
                self.entries.setdefault(wrong, {"wrong": wrong, "right": right if isinstance(right, str) else "",
                                                "note": entry.get("note")})
        ordered = sorted(self.entries, key=lambda w: (-len(w), w))
        self.pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def finditer(self, text: str) -> Iterator[tuple[re.Match, dict]]:
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            entry = self.entries[match.group()]
            if not (entry["right"] and _inside_correct_form(text, match.start(), match.group(), entry["right"])):
                yield match, entry


def _inside_correct_form(text: str, start: int, wrong: str, right: str) -> bool:
    """True when this occurrence of `wrong` is part of `right` written correctly.

    An entry like {wrong: 条列, right: 条列式} (the right form containing the
    wrong one) would otherwise flag every correct use.
    """
    at = right.find(wrong)
    while at >= 0:
        if start - at >= 0 and text.startswith(right, start - at):
            return True
        at = right.find(wrong, at + 1)
    return False


@register
class SeriousWording(Rule):
    """严重表述错误:公开内容中出现 wording.yaml 所列错误表述。

    依据《门户网站管理办法》第三十三条第四项。清单在
    content/governance/wording.yaml 中维护,每条 `wrong`(错误写法)、
    `right`(正确写法),可加 `note`(说明)。检查所有会发布到网站的文字
    (正文、头信息文字字段、单位页面;不公开的信件除外),按原文逐字匹配,
    每出现一次报告一次,指明所在行。

    FAIL(清单含 wrong: 政府信息公开条列, right: 政府信息公开条例)::

        根据《中华人民共和国政府信息公开条列》,现予公开。

    PASS::

        根据《中华人民共和国政府信息公开条例》,现予公开。
    """

    codes = {CODE: "公开内容含严重表述错误(见 wording.yaml)"}

    reach = ITEM

    def check(self, repo) -> Iterator[Diagnostic]:
        wording = WordingList(repo.wording)
        if wording.pattern is None:
            return
        for item in screened_items(repo):
            for text_field in shown_fields(item, repo.now):
                for match, entry in wording.finditer(text_field.text):
                    line, col = source_position(item, text_field, match.start(), match.end())
                    message = f"「{entry['wrong']}」是严重表述错误," + (
                        f"应改为「{entry['right']}」。" if entry["right"] else "请改正。")
                    note = entry.get("note")
                    if isinstance(note, str) and note.strip():
                        message += f"说明:{note.strip()}"
                        if not message.endswith(("。", ".", "!", "?", "!", "?")):
                            message += "。"
                    yield Diagnostic(item.path, line, col, CODE, Severity.ERROR, message)
