"""Reporters: turn a decided list of diagnostics into one output format.

They only see diagnostics (STYLE.md, practice 4): no reporter filters, and the
only re-ordering is sorting by (path, line, col, code). Output is deterministic
(no timestamps, no host names), so the same input renders to the same bytes.

    render("text", diagnostics, checked_files=120)
    render("markdown", diagnostics, checked_files=120, rules={"GK-SCH-001": "必填字段"})
"""
from __future__ import annotations

from pipeline.diagnostics import Diagnostic

from pipeline.reporters.base import Reporter
from pipeline.reporters.codequality import CodeQualityReporter
from pipeline.reporters.github import GithubReporter
from pipeline.reporters.json_report import JsonReporter
from pipeline.reporters.junit import JunitReporter
from pipeline.reporters.markdown import MarkdownReporter
from pipeline.reporters.text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "junit": JunitReporter,
    "codequality": CodeQualityReporter,
    "github": GithubReporter,
    "markdown": MarkdownReporter,
}


class UnknownFormat(ValueError):
    """Raised by `render` for a format name not in REPORTERS (a user error: the CLI reports it)."""


def render(format_name: str, diagnostics: list[Diagnostic], *, checked_files: int,
           rules: dict[str, str] | None = None, verbose: bool = False) -> str:
    try:
        reporter = REPORTERS[format_name](verbose=verbose)
    except KeyError:
        known = ", ".join(REPORTERS)
        raise UnknownFormat(f"未知的报告格式「{format_name}」,可用的格式:{known}。") from None
    return reporter.render(list(diagnostics), checked_files, rules)


def check_report(format_name: str, diagnostics: list[Diagnostic], *, checked_files: int,
                 verbose: bool = False) -> str:
    """The report of `gongkai check` and of the check inside `gongkai build`: one function, so the
    two never disagree about what they show (warnings included)."""
    reporter = REPORTERS.get(format_name)
    if reporter is not None and not reporter.describes_codes:
        return render(format_name, diagnostics, checked_files=checked_files, verbose=verbose)
    from pipeline.reporters.codes import all_codes

    return render(format_name, diagnostics, checked_files=checked_files, rules=all_codes(), verbose=verbose)


__all__ = ["REPORTERS", "Reporter", "UnknownFormat", "check_report", "render"]
