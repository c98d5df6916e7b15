"""Plain text for terminals and CI logs: one line per diagnostic, then a summary.

    content/policies/a.md:3:5: 错误 GK-SCH-001 缺少必填字段「title」。
    检查了 120 个文件:1 个错误,0 个警告。

A multi-line message keeps its first line on the diagnostic's line (so grep and
editors that jump to `path:line:col` still work); later lines are indented.
"""
from __future__ import annotations

from pipeline.diagnostics import Diagnostic

from pipeline.reporters.base import Reporter, count_by_severity, sort_diagnostics, summary_sentence

CONTINUATION_INDENT = "    "


def format_diagnostic(d: Diagnostic, verbose: bool = False) -> str:
    """`path:line:col: 错误 CODE message`, later message lines indented (may span lines); with
    `verbose`, the diagnostic's detail on indented lines below."""
    first, *rest = d.message.splitlines() or [""]
    if verbose and d.detail:
        rest += d.detail.splitlines()
    return "\n".join([f"{d.location}: {d.severity.label} {d.code} {first}",
                      *(CONTINUATION_INDENT + more for more in rest)])


class TextReporter(Reporter):
    name = "text"

    def render(self, diagnostics: list[Diagnostic], checked_files: int,
               rules: dict[str, str] | None = None) -> str:
        lines = [format_diagnostic(d, self.verbose) for d in sort_diagnostics(diagnostics)]
        lines.append(summary_sentence(checked_files, count_by_severity(diagnostics)))
        return "\n".join(lines) + "\n"
