"""The one currency of every check: an immutable Diagnostic.

Schema validation, cross-item rules, link checks and the audit all produce
`Diagnostic` objects and nothing else; reporters turn a list of them into
text, JSON, JUnit and so on. Rules never print.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem found in the content repository.

    `path` is relative to the repository root with forward slashes (so the
    same diagnostic renders the same on every machine); `line` and `col` are
    1-based, 0 when unknown.
    """

    path: str
    line: int
    col: int
    code: str
    severity: Severity
    message: str
    # What to do about it at length, when the one-line message cannot say it all: shown by
    # `gongkai check --verbose`, the JSON report and the audit, not in the merge-request comment.
    detail: str = field(default="", compare=False)

    @property
    def location(self) -> str:
        return format_location(self.path, self.line, self.col)

    @property
    def full_message(self) -> str:
        return f"{self.message}{self.detail}" if self.detail else self.message

    def as_dict(self) -> dict:
        out = {
            "code": self.code,
            "severity": self.severity.value,
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "message": self.message,
        }
        if self.detail:
            out["detail"] = self.detail
        return out


def format_location(path: str, line: int = 0, col: int = 0) -> str:
    """Render a location the one way every reporter shows it: path:line:col."""
    out = path or "<仓库>"
    if line:
        out += f":{line}"
        if col:
            out += f":{col}"
    return out


def has_errors(diagnostics) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)
