"""`gongkai check --changed-since REV`: the whole check's diagnostics for the files a change reaches.

1. The changed files (pipeline.check.git_changes); a change that reaches everything is checked whole.
2. The scope and what must be read for it (pipeline.check.scope), from an index of what each file
   declares and references (pipeline.check.content_index), so that finding it parses nothing that did not change.
3. The rules on that part of the repository: ITEM and RELATED rules run on it (rules/__init__.py); a
   REPOSITORY rule runs on the whole repository, and only when it may report on a file of the scope.
4. The decision layer, then only the diagnostics about files in the scope, in the whole check's order.

The result is, by construction, the whole check's diagnostics filtered to the scope:
tests/test_changed_since.py holds the two equal over random changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipeline.check.whole import check_repository
from pipeline.check.scope import CODEOWNERS, MIN_FALLBACK_FILES, fallback_reason, scope_of
from pipeline.content.loader import YamlLimits
from pipeline.content.paths import ContentFile, classify_path, scan
from pipeline.check.content_index import ContentIndex
from pipeline.check.severity import decide
from pipeline.diagnostics import Diagnostic
from pipeline.check.git_changes import changes_since
from pipeline.content.parse_cache import ParseCache
from pipeline.content.repository import collector_paused, governance_diagnostics, item_diagnostics, item_size_limit, \
    load_repository
from pipeline.check.rules import REPOSITORY, load_rules


@dataclass
class ChangedCheck:
    diagnostics: list[Diagnostic]
    checked_files: int
    note: str  # one line for standard error: what was checked, or why the whole repository was
    scope: set[str] | None = None  # None: the whole repository was checked


def check_changed_since(root: Path, rev: str, now: datetime | None = None) -> ChangedCheck:
    root = Path(root).resolve()
    changes = changes_since(root, rev)
    reason = fallback_reason(changes.paths)
    if reason:
        return _whole(root, now, f"{reason},改为检查整个仓库。")
    cache = ParseCache(root)
    # What is made until the scope is known stays to the end (a file list, an index entry and lookup
    # sets per file): the cyclic collector's passes over it cost a quarter of a second at 50,000 files.
    with collector_paused():
        files = list(scan(root))
        base = load_repository(root, now=now, only=(), cache=cache, files=files)
        scope = _scope(root, changes, files, base, cache)
    reads = scope.paths | scope.context
    if len(reads) > max(MIN_FALLBACK_FILES, len(files) // 2):
        return _whole(root, now, f"改动涉及 {len(reads)} 个文件,超过仓库的一半,改为检查整个仓库。")

    part = load_repository(root, base.schemas, now, only=reads, cache=cache, files=files)
    found = [*part.load_diagnostics, *governance_diagnostics(part), *item_diagnostics(part)]
    records = {r.path: r for r in [*part.items, *part.unit_records, *part.registers, *part.governance.values()]}
    whole = None
    wide = []
    for rule_cls in load_rules():
        rule = rule_cls()
        if rule.reach != REPOSITORY:
            found.extend(rule.check(part))
        elif any(rule.reports_on(path, records.get(path)) for path in scope.paths):
            whole = whole or load_repository(root, base.schemas, now, cache=cache, files=files)
            found.extend(rule.check(whole))
            wide.append(rule_cls.__name__)
    kept = [d for d in decide(found, part.settings) if d.path in scope.paths]
    note = f"自 {rev} 以来的改动涉及 {len(scope.paths)} 个文件,只检查这些文件"
    if wide:
        note += f"(其中 {'、'.join(wide)} 需要读取整个仓库)"
    return ChangedCheck(kept, len(scope.paths), note + "。", scope.paths)


def _scope(root: Path, changes, files: list[ContentFile], base, cache: ParseCache):
    limits, size_limit = YamlLimits.from_settings(base.settings), item_size_limit(base.settings)
    index = ContentIndex(root, cache)
    current = {}
    for cf in files:
        if cf.rel in changes.present or cf.rel not in changes.blobs:
            current[cf.rel] = index.entry(cf, _read(cf), limits, size_limit)
        else:  # unchanged since REV: its bytes are REV's blob
            current[cf.rel] = index.entry(cf, None, limits, size_limit, changes.blobs[cf.rel])
    before = []
    for rel in sorted(p for p in changes.paths if p.startswith("content/")):
        cf = ContentFile(root / rel, rel, *classify_path(rel))
        before_bytes = changes.old_bytes(rel)
        if before_bytes is not None:
            before.append(index.entry(cf, before_bytes, limits, size_limit, changes.blobs.get(rel)))
    index.save()
    existing = set(current) | {p for p in CODEOWNERS if (root / p).is_file()}
    return scope_of(changes.paths, current, before, existing, base.units)


def _whole(root: Path, now, note: str) -> ChangedCheck:
    repo = load_repository(root, now=now)
    return ChangedCheck(check_repository(repo), repo.checked_files, note)


def _read(cf: ContentFile) -> bytes | None:
    """The bytes the loader would parse, or None for a file it never reads (assets, links, other files)."""
    if cf.kind not in ("item", "unit") or cf.path.is_symlink():
        return None
    try:
        return cf.path.read_bytes()
    except OSError:
        return None

