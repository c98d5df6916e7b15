"""How deep and how large a Markdown text may be: what the renderer can convert, measured without converting."""
from __future__ import annotations

from typing import Iterator

from pipeline.core.markdown import (DEPTH_CODE, ELEMENTS_CODE, INLINE_DEPTH_CODE, MarkdownLimits,
                                    structure_problems)
from pipeline.core.publication import screened_items, shown_fields
from pipeline.diagnostics import Diagnostic, Severity
from pipeline.check.rules import ITEM, Rule, register


@register
class MarkdownStructure(Rule):
    """Markdown 结构:网站能显示的嵌套深度和元素数量。

    从 Word 等处粘贴的文字,常常带来几百层缩进的列表或成串的 “>”、* 、[ ],网站的 Markdown
    转换会因此失败。检查逐行读出结构(不做转换),构建时转换前用同一个函数把关:检查通过的文字,
    构建一定能显示。上限在 settings.yaml 的 `limits` 中设置。报告的行是超限的元素开始的那一行。

    - GK-MD-001:列表和引用(“>”)相互嵌套超过 `limits.markdown_max_depth` 层(默认 20)。
      比上一项缩进更深的列表项算下一层。构建时若转换仍因嵌套过深而失败,也以此代码报告。
    - GK-MD-002:加粗、斜体(成对的 * 或 _)和链接方括号相互嵌套超过
      `limits.markdown_max_depth` 层。只数成对的标记,代码(`…`)中的不算。
    - GK-MD-003:一段文字(正文或单位职能)的元素(段落、列表项、引用、表格单元格、强调和链接)
      超过 `limits.markdown_max_elements` 个(默认 20000)。

    FAIL::

        - 第一层
            - 第二层
                - 第三层
                    …(每行多缩进 4 个空格,到第 21 层)

        >>>>>>>>>>>>>>>>>>>>> 引用套了 21 层

    PASS::

        - 第一层
            - 第二层
                - 第三层

        > 引用一层
    """

    codes = {
        DEPTH_CODE: "Markdown 列表和引用嵌套过深(limits.markdown_max_depth)",
        INLINE_DEPTH_CODE: "Markdown 加粗、斜体和链接嵌套过深(limits.markdown_max_depth)",
        ELEMENTS_CODE: "一段 Markdown 文字的元素过多(limits.markdown_max_elements)",
    }

    reach = ITEM

    def check(self, repo) -> Iterator[Diagnostic]:
        limits = MarkdownLimits.from_settings(repo.settings)
        for item in screened_items(repo):
            shown = {text_field.pointer for text_field in shown_fields(item, repo.now)}
            for text_field in item.markdown_fields():  # the texts the site renders as Markdown
                if text_field.pointer not in shown:
                    continue
                for problem in structure_problems(text_field.text, limits):
                    line = text_field.line + (problem.line if text_field.block else 0)
                    yield Diagnostic(item.path, line, 0, problem.code, Severity.ERROR, problem.message)
