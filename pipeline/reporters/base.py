"""What every reporter shares: the one sort order, the counts and the summary sentence.

Reporters only see diagnostics (STYLE.md, practice 4): they never filter, and
the only re-ordering they do is `sort_diagnostics`, so the same input always
renders to the same bytes.
"""
from __future__ import annotations

from collections.abc import Iterable

from pipeline.diagnostics import Diagnostic, Severity

# Rank breaks ties between diagnostics at the same (path, line, col, code) so the
# output does not depend on the order the checks happened to run in.
_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sort by (path, line, col, code); severity and message only break exact ties."""
    return sorted(diagnostics, key=lambda d: (d.path, d.line, d.col, d.code,
                                              _SEVERITY_RANK[d.severity], d.message))


def count_by_severity(diagnostics: Iterable[Diagnostic]) -> dict[str, int]:
    """{"error": n, "warning": n, "info": n}, every key present even when 0."""
    counts = {s.value: 0 for s in Severity}
    for d in diagnostics:
        counts[d.severity.value] += 1
    return counts


def summary_sentence(checked_files: int, counts: dict[str, int]) -> str:
    """`检查了 120 个文件:2 个错误,1 个警告。` or `检查了 120 个文件:未发现问题。`

    Errors and warnings are always named once anything was found; 提示 (info)
    only when there are some, so the common sentence stays short.
    """
    head = f"检查了 {checked_files} 个文件:"
    if not any(counts.values()):
        return head + "未发现问题。"
    parts = [f"{counts['error']} 个{Severity.ERROR.label}", f"{counts['warning']} 个{Severity.WARNING.label}"]
    if counts["info"]:
        parts.append(f"{counts['info']} 个{Severity.INFO.label}")
    return head + ",".join(parts) + "。"


class Reporter:
    """A reporter turns diagnostics into one document; subclasses set `name` and implement `render`."""

    name: str = ""
    # Whether `render` reads `rules` (the codes' descriptions): gathering them imports every part of the
    # pipeline that emits codes, which a format that never shows them should not pay for.
    describes_codes: bool = False

    def __init__(self, verbose: bool = False):
        self.verbose = verbose  # show each diagnostic's `detail` too (`gongkai check --verbose`)

    def message(self, d: Diagnostic) -> str:
        return d.full_message if self.verbose else d.message

    def render(self, diagnostics: list[Diagnostic], checked_files: int,
               rules: dict[str, str] | None) -> str:
        raise NotImplementedError
