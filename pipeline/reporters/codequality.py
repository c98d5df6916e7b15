"""GitLab Code Quality JSON (`artifacts:reports:codequality`), shown inline in merge requests.

A list of issues:

    {"description": "GK-SCH-001 缺少必填字段「title」。", "check_name": "GK-SCH-001",
     "fingerprint": "<sha256 hex>", "severity": "major",
     "location": {"path": "content/policies/a.md", "lines": {"begin": 3}}}

error -> "major", warning -> "minor", 提示 -> "info". The fingerprint is the
SHA-256 of (code, path, line, message), so GitLab can tell new problems from
ones already on the target branch. Two diagnostics that agree on all four
(they differ only by column) would collide and GitLab would drop one, so each
repeat also hashes its ordinal; the first keeps the plain fingerprint.
"""
from __future__ import annotations

import hashlib
import json

from pipeline.diagnostics import Diagnostic, Severity

from pipeline.reporters.base import Reporter, sort_diagnostics

GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def fingerprint(d: Diagnostic, repeat: int = 0) -> str:
    # JSON keeps the fields apart unambiguously (no "a|b" + "c" == "a" + "b|c").
    fields = [d.code, d.path, d.line, d.message] + ([repeat] if repeat else [])
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode("utf-8")).hexdigest()


class CodeQualityReporter(Reporter):
    name = "codequality"

    def render(self, diagnostics: list[Diagnostic], checked_files: int,
               rules: dict[str, str] | None = None) -> str:
        issues = []
        seen: dict[tuple, int] = {}
        for d in sort_diagnostics(diagnostics):
            key = (d.code, d.path, d.line, d.message)
            repeat = seen.get(key, 0)
            seen[key] = repeat + 1
            issues.append({
                "description": f"{d.code} {d.message}",
                "check_name": d.code,
                "fingerprint": fingerprint(d, repeat),
                "severity": GITLAB_SEVERITY[d.severity],
                "location": {"path": d.path, "lines": {"begin": d.line or 1}},
            })
        return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
