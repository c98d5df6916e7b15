"""The decision layer between rules and reporters (flake8's style guide).

Rules report everything they see with their default severity; here the
repository's settings raise, lower or switch off codes and ignore codes under
given paths. Reporters then show what is left, unfiltered.
"""
from __future__ import annotations

from dataclasses import replace
from fnmatch import fnmatchcase

from pipeline.diagnostics import Diagnostic, Severity


def decide(diagnostics, settings: dict) -> list[Diagnostic]:
    overrides = settings.get("rules") or {}
    ignores = settings.get("ignore") or []
    out = set()
    for diag in diagnostics:
        level = overrides.get(diag.code)
        if level == "off":
            continue
        if any(diag.code in rule["codes"] and fnmatchcase(diag.path, rule["path"]) for rule in ignores):
            continue
        if level:
            diag = replace(diag, severity=Severity(level))
        out.add(diag)
    return sorted(out)

