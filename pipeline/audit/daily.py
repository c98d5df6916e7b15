"""`gongkai audit`: the audit's own checks plus the check's rules, relabelled for the daily read."""
from __future__ import annotations

from datetime import datetime

from pipeline.check.whole import check_repository
from pipeline.diagnostics import Severity
from pipeline.audit.checks import CHECKS, Context
from pipeline.audit.findings import INSPECTION, MEASURES, Finding, Level
from pipeline.core.workdays import WorkCalendar, official_calendar

# Check diagnostics that are single-veto items of the inspection: serious wording errors, leaked
# personal data, falsified or impossible dates.
VETO_CODES = {"GK-WORD-001", "GK-PRIV-001", "GK-PRIV-002", "GK-PRIV-003", "GK-DATE-001"}
SOURCES = {
    "GK-COV-001": f"{MEASURES}第十二条",
    "GK-REL-001": f"{MEASURES}第七条、第十三条",
    "GK-REL-002": f"{MEASURES}第十三条",
    "GK-WORD-001": f"{INSPECTION}(严重表述错误)",
    "GK-WORD-002": f"{MEASURES}第三十三条",
}
SKIPPED_PREFIXES = ("GK-OWN-",)  # approval routing: the merge request's business, not the site's


def audit(repo, as_of: datetime, calendar: WorkCalendar | None = None) -> list[Finding]:
    """Every finding as of `as_of` (`repo` loaded with that now), in report order."""
    ctx = Context(repo, as_of, calendar or official_calendar())
    findings = [finding for check in CHECKS for finding in check().run(ctx)]
    findings += from_check(repo)
    return sorted(findings, key=lambda f: f.key)


def from_check(repo) -> list[Finding]:
    """The check's diagnostics over the content as the daily read reports them, with their unit."""
    by_path = {item.path: item for item in repo.items}
    units_by_path = {unit.path: unit.id for unit in repo.units.values()}
    out = []
    for diagnostic in check_repository(repo):
        if diagnostic.severity is Severity.INFO or diagnostic.code.startswith(SKIPPED_PREFIXES):
            continue
        item = by_path.get(diagnostic.path)
        unit = units_by_path.get(diagnostic.path) or (str(item.meta.get("unit") or "") if item else "")
        level = Level.VETO if diagnostic.code in VETO_CODES and diagnostic.severity is Severity.ERROR else Level.ISSUE
        out.append(Finding(level, diagnostic.code, unit, item.id if item else "", SOURCES.get(diagnostic.code, "gongkai check"),
                           diagnostic.full_message, diagnostic.path, diagnostic.line))
    return out
