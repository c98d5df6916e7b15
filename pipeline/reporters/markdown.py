"""A merge-request / pull-request comment in Chinese (GitLab or GitHub flavoured Markdown).

    ### gongkai check

    ❌ 检查了 120 个文件:2 个错误,1 个警告。

    | 位置 | 规则 | 级别 | 说明 |
    | --- | --- | --- | --- |
    | content/policies/a.md:3:5 | GK-SCH-001 | 错误 | 缺少必填字段「title」。 |

    **规则说明**

    - GK-SCH-001:必填字段

❌ when there are errors, ✅ otherwise (warnings alone do not fail the check).
The table stops after `MAX_ROWS` rows and says how many were left out, so a
broken repository does not produce a comment too long to post. Cells are
escaped: `|` -> `\\|`, line breaks -> `<br>`, and the other characters Markdown
would read as formatting or HTML are backslash-escaped, so a message shows
exactly as written. "规则说明" lists the codes that occur, when `rules` is given.
"""
from __future__ import annotations

import re

from pipeline.diagnostics import Diagnostic

from pipeline.reporters.base import Reporter, count_by_severity, sort_diagnostics, summary_sentence

HEADING = "### gongkai check"
MAX_ROWS = 200

# CommonMark punctuation that would otherwise turn text into emphasis, links,
# code, HTML or a new table cell.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def escape_cell(value: str) -> str:
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", value)
    return "<br>".join(escaped.splitlines())


class MarkdownReporter(Reporter):
    name = "markdown"
    describes_codes = True

    def render(self, diagnostics: list[Diagnostic], checked_files: int,
               rules: dict[str, str] | None = None) -> str:
        ordered = sort_diagnostics(diagnostics)
        counts = count_by_severity(ordered)
        icon = "❌" if counts["error"] else "✅"
        blocks = [HEADING, f"{icon} {summary_sentence(checked_files, counts)}"]

        if ordered:
            rows = ["| 位置 | 规则 | 级别 | 说明 |", "| --- | --- | --- | --- |"]
            rows += [f"| {escape_cell(d.location)} | {escape_cell(d.code)} | {d.severity.label} "
                     f"| {escape_cell(self.message(d))} |" for d in ordered[:MAX_ROWS]]
            blocks.append("\n".join(rows))
            left_out = len(ordered) - MAX_ROWS
            if left_out > 0:
                blocks.append(f"另有 {left_out} 条未列出(表中只列前 {MAX_ROWS} 条),"
                              "完整列表请看 text 或 json 格式的输出。")

        if rules:
            described = [(code, rules[code]) for code in sorted({d.code for d in ordered}) if code in rules]
            if described:
                blocks.append("**规则说明**\n\n" + "\n".join(
                    f"- {escape_cell(code)}:{escape_cell(text)}" for code, text in described))

        return "\n\n".join(blocks) + "\n"
