"""Machine-readable JSON, for scripts and dashboards.

    {"version": 1, "checked_files": N,
     "summary": {"error": n, "warning": n, "info": n},
     "diagnostics": [{"code", "severity", "path", "line", "col", "message"[, "detail"]}, ...]}

`version` changes only when a consumer would have to change. Chinese text is
written as is (UTF-8), not as \\u escapes.
"""
from __future__ import annotations

import json

from pipeline.diagnostics import Diagnostic

from pipeline.reporters.base import Reporter, count_by_severity, sort_diagnostics

FORMAT_VERSION = 1


class JsonReporter(Reporter):
    name = "json"

    def render(self, diagnostics: list[Diagnostic], checked_files: int,
               rules: dict[str, str] | None = None) -> str:
        document = {
            "version": FORMAT_VERSION,
            "checked_files": checked_files,
            "summary": count_by_severity(diagnostics),
            "diagnostics": [d.as_dict() for d in sort_diagnostics(diagnostics)],
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
