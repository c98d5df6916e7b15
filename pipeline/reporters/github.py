"""GitHub Actions workflow commands: annotations on the pull request's changed files.

    ::error file=content/policies/a.md,line=3,col=5,title=GK-SCH-001::缺少必填字段「title」。

error -> `::error`, warning -> `::warning`, 提示 -> `::notice`; one command per
diagnostic, nothing else (a summary line would become a stray annotation).
`line` / `col` are left out when unknown (0), and `col` without a line means
nothing; `file` is left out for repository-wide diagnostics (empty path).

Escaping follows GitHub's runner (`escapeData` / `escapeProperty`): in the
message `%`, CR and LF become %25, %0D, %0A; property values also escape `:`
and `,` (%3A, %2C), which would otherwise end the value.
"""
from __future__ import annotations

from pipeline.diagnostics import Diagnostic, Severity

from pipeline.reporters.base import Reporter, sort_diagnostics

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_command(d: Diagnostic) -> str:
    properties = []
    if d.path:
        properties.append(("file", d.path))
    if d.line:
        properties.append(("line", str(d.line)))
        if d.col:
            properties.append(("col", str(d.col)))
    properties.append(("title", d.code))
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMAND[d.severity]} {joined}::{escape_data(d.message)}"


class GithubReporter(Reporter):
    name = "github"

    def render(self, diagnostics: list[Diagnostic], checked_files: int,
               rules: dict[str, str] | None = None) -> str:
        return "".join(format_command(d) + "\n" for d in sort_diagnostics(diagnostics))
