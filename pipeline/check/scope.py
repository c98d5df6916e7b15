"""The scope of a change: which files `check --changed-since` reports on, and which it must read for that.

A file is in the scope when its diagnostics may differ because of the change:

- every changed file (added, edited, renamed to; an attachment too);
- the items a changed item names, before or after the change (`interprets`, `replaced_by`,
  `related_policies`, `item:` links): a reference that appears or goes away changes what they show;
- the items that name a changed item's id, old or new (a deleted or renamed item breaks them, a new one
  repairs them), and every item declaring one of those ids (GK-ID-001 goes to the later of two);
- the other interpretations of a policy a changed interpretation interprets (GK-REL-002 judges them together);
- the attachments a changed item uses, and the items using a changed attachment (data files are checked
  through their datasets);
- the items whose former addresses a changed item claims or whose address it had or has (GK-URL-002);
- the yearly reports whose figures count a changed policy or dataset (by unit);
- CODEOWNERS, when it changed or a change may change what it must say.

To compute exactly what the whole check says about the scope, the check also reads (`context`, not
reported) what RELATED rules look at: the items the scope names (all declarers of each id, so the first
in path order is the same), the items with the scope's ids, a policy's interpretations and an
interpretation's policies and siblings, every dataset using an attachment of the scope.

Some changes reach everything: governance data (site, columns, settings, wording, roster), unit records,
registers of applications (the yearly report counts them), the schemas or the checker's own code. Then,
and when the scope grows past half of the repository, the answer is a full check (`fallback_reason` says why).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from pipeline.check.content_index import IndexEntry
from pipeline.content.locations import unit_folder_of
from pipeline.content.paths import CODEOWNERS_FILES, outside_role

# The CODEOWNERS files (pipeline.content.paths, like the checker's own paths, which change every diagnostic).
CODEOWNERS = tuple(CODEOWNERS_FILES.values())
REPORTED_TYPES = ("policy", "dataset")  # what a yearly report's figures count (annual_report.compute)
# A scope this large is checked whole: past it, a partial check saves little and explains less.
MIN_FALLBACK_FILES = 200


@dataclass
class Scope:
    paths: set[str] = field(default_factory=set)  # reported
    context: set[str] = field(default_factory=set)  # read, not reported


def fallback_reason(paths: set[str]) -> str | None:
    """Why a change to these root-relative paths needs the whole check, or None."""
    from pipeline.content.paths import classify_path

    for path in sorted(paths):
        kind, _ = classify_path(path)
        if kind == "governance":
            return f"改动了治理数据 {path}"
        if kind == "unit":
            return f"改动了单位信息 {path}"
        if kind == "register":
            return f"改动了依申请公开台账 {path}(年度报告按台账统计)"
        if outside_role(path) == "cms":
            return f"改动了浏览器编辑后台的配置 {path}(由 schema、设置和编号规则生成)"
        if outside_role(path) == "checker":
            return f"改动了检查程序或 schema({path})"
    return None


class _Lookup:
    """Who declares, names, interprets, uses or claims what, over the files as they are now."""

    def __init__(self, entries: list[IndexEntry]):
        self.declares = defaultdict(set)
        self.names = defaultdict(set)
        self.interprets = defaultdict(set)
        self.uses = defaultdict(set)
        self.claims = defaultdict(set)
        self.address = defaultdict(set)
        self.reports = []
        for e in entries:
            if e.id:
                self.declares[e.id].add(e.rel)
            for ref in e.refs:
                self.names[ref].add(e.rel)
            for ref in e.interprets:
                self.interprets[ref].add(e.rel)
            for rel in e.files:
                self.uses[rel].add(e.rel)
            for name in e.former:
                self.claims[name].add(e.rel)
            if e.address:
                self.address[e.address].add(e.rel)
            if e.type == "report":
                self.reports.append(e)

    @staticmethod
    def of(table, keys) -> set[str]:
        out = set()
        for key in keys:
            out |= table.get(key, set())
        return out


def scope_of(changed: set[str], now: dict[str, IndexEntry], before: list[IndexEntry],
             existing: set[str], units) -> Scope:
    """The scope of the changed root-relative `changed` paths.

    `now`: every file's entry as it is (path -> entry); `before`: the entries of changed files as REV had
    them; `existing`: every path under content/ now and the CODEOWNERS files that exist; `units`: unit ids.
    """
    look = _Lookup(list(now.values()))
    scope = Scope()
    paths = scope.paths
    content_changed = {p for p in changed if p.startswith("content/")}
    paths |= content_changed & existing
    versions = [now[p] for p in content_changed if p in now] + list(before)
    for e in versions:
        ids = {e.id} if e.id else set()
        paths |= look.of(look.declares, ids | e.refs) | look.of(look.names, ids)
        paths |= look.of(look.interprets, e.interprets)
        paths |= look.of(look.claims, e.former | ({e.address} if e.address else set()))
        paths |= look.of(look.address, e.former)
        paths |= e.files & existing
        if e.type in REPORTED_TYPES and e.unit:
            paths |= {r.rel for r in look.reports if e.unit in r.report_scope}
    for rel in content_changed:
        if rel.startswith("content/files/"):
            paths |= look.uses.get(rel, set())
    if _codeowners_may_change(changed, content_changed, versions, units):
        paths |= {p for p in CODEOWNERS if p in changed or p in existing}
    paths &= existing
    for rel in list(paths):
        e = now.get(rel)
        if e is not None:
            ids = {e.id} if e.id else set()
            scope.context |= look.of(look.declares, ids | e.refs | e.interprets)
            scope.context |= look.of(look.interprets, ids | e.interprets)
        scope.context |= look.uses.get(rel, set())
    scope.context -= paths
    return scope


def _codeowners_may_change(changed, content_changed, versions, units) -> bool:
    """CODEOWNERS lists each item and attachment outside a unit's folder: a change there, a new or removed
    file, or an item changing which attachments it uses may change it (approvals.codeowners.sections)."""
    if any(p in CODEOWNERS for p in changed):
        return True
    by_path = defaultdict(list)
    for e in versions:
        by_path[e.rel].append(e)
    for rel in content_changed:
        entries = by_path.get(rel, [])
        if len(entries) != 2 or unit_folder_of(rel, units) is None or entries[0].files != entries[1].files:
            return True  # added or removed (one version), outside unit folders, or other attachments
    return False
