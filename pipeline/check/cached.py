"""The whole check at the cost of what changed since the last one: `gongkai check` and the build's gate.

The result is `check.whole.check_repository`'s, diagnostic for diagnostic; only the work differs.
The last check's findings are kept in `.cache/gongkai/check.pickle` (pipeline.content.parse_cache's
folder, atomic writes, a file that cannot be read is no cache) with, per file, a signature: a hash of its
bytes and, for an item, its status as of `now` (the rules see time only through an item's status and
today's date). The next check compares signatures and treats the files whose signature differs as a
change since the last check, exactly as `check --changed-since` treats a change since a revision:

1. The scope of that change (pipeline.check.scope, from the index entries kept beside the findings):
   the files whose findings may differ. Only they are checked again, by the schemas and the ITEM and
   RELATED rules, on the part of the repository the scope needs; every other file keeps its findings.
2. REPOSITORY rules (coverage, yearly reports, former addresses, CODEOWNERS, the roster) read every item
   and report on files a change does not touch; they are updated from what changed. A rule that says what
   its findings read (`Rule.inputs`: former addresses every item's metadata but not its body; CODEOWNERS
   the file list, or every file once one sits outside the unit folders) keeps its findings while that is
   the same. A yearly report's figures (the report rule's cost) are kept with a digest of the files they
   were computed from (`figures.files_read` of the report's units) and reused while it is the same; the
   build's plan, which shows them on the report's page, gets them too. The others run each time: the
   roster's are a few lookups, and coverage is one pass over the items' statuses whose result moves
   with the clock (an item leaves "recent" at its own second), as cheap as any digest of what it reads.
3. The decision layer and the cascade filter run over all findings, as in the whole check.

An attachment (a file the loader does not read) is hashed again only when its size, times or inode
changed since the check that hashed it (`stats`), as Git's index does.

Everything else the findings depend on is one key, and any change of it checks everything again: the
code (`code_fingerprint`), the schemas, the checked libraries' versions, the rules, governance data, unit
records and registers (settings, limits, severities come from these), and today's date.
tests/test_changed_since.py holds the result equal to an uncached whole check after random edits.
"""
from __future__ import annotations

import hashlib
import os
import stat
import time
from itertools import chain
from pathlib import Path

from pipeline.check.content_index import INDEXED_KINDS, IndexEntry, entry_for
from pipeline.check.rule_inputs import file_digest
from pipeline.check.rules import REPOSITORY, load_rules
from pipeline.check.scope import CODEOWNERS, MIN_FALLBACK_FILES, fallback_reason, scope_of
from pipeline.check.severity import decide
from pipeline.check.whole import check_repository, without_cascades
from pipeline.content.parse_cache import cache_folder, code_fingerprint, read_pickle, trusted, write_pickle
from pipeline.content.repository import (ALWAYS_LOADED, Repository, content_digest, governance_diagnostics,
                                         item_diagnostics, load_repository)
from pipeline.core.publication import status
from pipeline.diagnostics import Diagnostic
from pipeline.resources import schema_dir
from pipeline.yearly_report.figures import AnnualReport, computed_reports, files_read, reuse_reports

STATE_FILE = "check.pickle"
# Libraries whose behaviour the rules' findings depend on (schemas, numbers, Markdown, attachments, images).
CHECKED_LIBRARIES = ("jsonschema", "python-stdnum", "Markdown", "openpyxl", "pypdf", "lxml", "Pillow", "xlrd",
                     "frictionless")


def check_repository_cached(repo: Repository) -> list[Diagnostic]:
    """`check_repository(repo)`, reusing the findings of the files the last check saw as they are now."""
    if not trusted(repo.root):
        return check_repository(repo)
    rules = load_rules()
    local_rules = [cls for cls in rules if cls.reach != REPOSITORY]
    path = cache_folder(repo.root) / STATE_FILE
    state = read_pickle(path)
    kept_stats = state.get("stats") if isinstance(state, dict) else None
    stats = dict(kept_stats) if isinstance(kept_stats, dict) else {}
    signatures = file_signatures(repo, stats)
    key = context_key(repo, signatures, local_rules)
    records = _records(repo)
    previous = state if _usable(state, key) else None
    if previous is not None and previous["signatures"] == signatures:
        local, entries = previous["local"], previous["entries"]
    else:
        entries = _entries(repo, signatures, records, previous)
        local = _since(repo, previous, signatures, entries, local_rules) if previous is not None else None
        if local is None:
            local = _by_path(_local_findings(repo, local_rules))
    reads = _ReadFiles(repo, signatures)
    kept = previous["reports"] if previous is not None else {}
    reuse_reports(repo, {k: report for k, (digest, report) in kept.items() if reads.digest(k[1]) == digest})
    found = [*repo.load_diagnostics, *governance_diagnostics(repo), *chain.from_iterable(local.values())]
    wide, kept_wide = {}, previous["wide"] if previous is not None else {}
    for cls in rules:
        if cls.reach == REPOSITORY:
            findings, wide[_name(cls)] = _repository_rule(cls(), repo, signatures, kept_wide.get(_name(cls)))
            found.extend(findings)
    reports = {k: (reads.digest(k[1]), report) for k, report in computed_reports(repo).items() if k[1]}
    if (previous is None or previous["signatures"] != signatures or _digests(reports) != _digests(kept)
            or _digests(wide) != _digests(kept_wide) or stats != kept_stats):
        write_pickle(path, {"key": key, "signatures": signatures, "entries": entries, "local": local,
                            "reports": reports, "wide": wide, "stats": stats})
    return decide(without_cascades(found, repo), repo.settings)


class _ReadFiles:
    """A digest of the files a yearly report's figures read (`figures.files_read`), per scope."""

    def __init__(self, repo: Repository, signatures: dict[str, tuple]):
        self.repo, self.signatures, self.known = repo, signatures, {}

    def digest(self, scope: tuple[str, ...]) -> str:
        if scope not in self.known:
            digest = hashlib.blake2b(digest_size=16)
            for rel in sorted(files_read(self.repo, scope)):
                signature = self.signatures.get(rel)
                # A data file named in a way the scan does not list it (./, a folder outside content/): its bytes.
                found = signature[2] if signature is not None else file_digest(self.repo.root / rel)
                digest.update(f"{rel}\0{found}\n".encode())
            self.known[scope] = digest.hexdigest()
        return self.known[scope]


def _name(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _repository_rule(rule, repo: Repository, signatures: dict, kept: tuple | None) -> tuple[tuple, tuple]:
    """A REPOSITORY rule's findings, the last check's while what they read (`Rule.inputs`) is the same;
    with what to keep for the next check."""
    inputs = rule.inputs(repo, signatures)
    if inputs is not None and kept is not None and kept[0] == inputs:
        return kept[1], kept
    findings = tuple(rule.check(repo))
    return findings, (inputs, findings)


def _digests(reports: dict) -> dict:
    return {k: digest for k, (digest, _) in reports.items()}


def file_signatures(repo: Repository, stats: dict | None = None) -> dict[str, tuple]:
    """Per file of the repository: a hash of its bytes and, for an item, its status as of the check's `now`.

    `stats` (kept between checks; updated here): for the files the loader does not read (attachments,
    unknown files), the stat each was hashed under and the hash, so that one unchanged since is not read
    again, as Git's index does. A file changed within `RACY_NS` of its hash is hashed again next time:
    a change made in the same tick as the hash would not show in its times.
    """
    statuses = {item.path: status(item, repo.now).value for item in repo.items}
    stats = {} if stats is None else stats
    known = dict(stats)
    stats.clear()
    out = {}
    for cf in repo.files:
        digest = repo.digests.get(cf.rel)
        if digest is None:
            digest = _unread_digest(cf, known.get(cf.rel), stats)
        out[cf.rel] = (cf.kind, cf.type, digest, statuses.get(cf.rel))
    return out


RACY_NS = 2_000_000_000


def _unread_digest(cf, kept: tuple | None, stats: dict) -> str:
    try:
        st = os.lstat(cf.path)
    except OSError:
        return file_digest(cf.path)
    stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
    if not stat.S_ISREG(st.st_mode):
        return file_digest(cf.path)  # a link: its target's name, read each time
    if (isinstance(kept, tuple) and len(kept) == 3 and kept[0] == stamp and isinstance(kept[2], int)
            and max(st.st_mtime_ns, st.st_ctime_ns) < kept[2] - RACY_NS):
        stats[cf.rel] = kept
        return kept[1]
    hashed_at = time.time_ns()
    digest = file_digest(cf.path)
    stats[cf.rel] = (stamp, digest, hashed_at)
    return digest


def context_key(repo: Repository, signatures: dict[str, tuple], local_rules) -> str:
    """What every file's findings depend on besides the file: when it changes, everything is checked again."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256(code_fingerprint().encode())
    for schema in sorted(schema_dir().rglob("*.json")):
        digest.update(schema.name.encode() + b"\0" + schema.read_bytes())
    for name in CHECKED_LIBRARIES:
        try:
            digest.update(f"{name}={version(name)};".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=-;".encode())
    digest.update(repr([(cls.__module__, cls.__name__, cls.reach) for cls in local_rules]).encode())
    digest.update(repr(sorted((rel, sig) for rel, sig in signatures.items() if sig[0] in ALWAYS_LOADED)).encode())
    # Rules see `now` through each item's status (in its signature) and through today's date (plausible birth
    # dates of the privacy screens).
    digest.update(repo.now.date().isoformat().encode())
    return digest.hexdigest()


def _usable(state, key: str) -> bool:
    return (isinstance(state, dict) and state.get("key") == key and isinstance(state.get("signatures"), dict)
            and isinstance(state.get("entries"), dict) and isinstance(state.get("local"), dict)
            and isinstance(state.get("reports"), dict) and isinstance(state.get("wide"), dict)
            and all(isinstance(v, tuple) and len(v) == 2 and isinstance(v[1], tuple)
                    and all(isinstance(d, Diagnostic) for d in v[1]) for v in state["wide"].values())
            and all(isinstance(v, tuple) and len(v) == 2 and isinstance(v[1], AnnualReport) for v in state["reports"].values())
            and all(isinstance(e, IndexEntry) for e in state["entries"].values())
            and all(isinstance(f, tuple) and all(isinstance(d, Diagnostic) for d in f) for f in state["local"].values()))


def _records(repo: Repository) -> dict:
    return {r.path: r for r in chain(repo.items, repo.unit_records, repo.registers, repo.governance.values())}


def _entries(repo: Repository, signatures: dict, records: dict, previous: dict | None) -> dict[str, IndexEntry]:
    """Each file's index entry (what it declares and names), taken from the last check where its bytes are the same."""
    kept = previous["entries"] if previous is not None else {}
    old = previous["signatures"] if previous is not None else {}
    out = {}
    for cf in repo.files:
        entry = kept.get(cf.rel)
        if entry is None or old.get(cf.rel, (None,) * 3)[:3] != signatures[cf.rel][:3]:
            entry = entry_for(cf, records.get(cf.rel) if cf.kind in INDEXED_KINDS else None)
        out[cf.rel] = entry
    return out


def _since(repo: Repository, previous: dict, signatures: dict, entries: dict, local_rules) -> dict | None:
    """The local findings, the last check's outside the scope of what changed since and new ones in it;
    None when the change reaches everything or most of the repository (then everything is checked)."""
    old = previous["signatures"]
    changed = {rel for rel in old.keys() | signatures.keys() if old.get(rel) != signatures.get(rel)}
    if fallback_reason(changed):
        return None
    before = [previous["entries"][rel] for rel in sorted(changed) if rel in previous["entries"]]
    existing = set(entries) | {p for p in CODEOWNERS if (repo.root / p).is_file()}
    scope = scope_of(changed, entries, before, existing, repo.units)
    # Files that cannot be read declare no id in the index, yet a reference to one is not reported (its own
    # error is the one to fix: rules.unreadable_ids): the part must know them. A merge request starts from
    # a clean main, so `--changed-since` never meets them; a check during editing, or a gate, may.
    reads = scope.paths | scope.context | {d.path for d in repo.load_diagnostics}
    if len(reads) > max(MIN_FALLBACK_FILES, len(repo.files) // 2):
        return None
    part = load_repository(repo.root, repo.schemas, repo.now, only=reads, files=repo.files)
    fresh = _by_path(_local_findings(part, local_rules))
    local = {rel: found for rel, found in previous["local"].items() if rel not in scope.paths and rel not in changed}
    local.update((rel, fresh[rel]) for rel in scope.paths if rel in fresh)
    return local


def _local_findings(repo: Repository, local_rules) -> list[Diagnostic]:
    """What the schemas and the ITEM and RELATED rules find: each finding is about one file and its relations."""
    found = list(item_diagnostics(repo))
    for cls in local_rules:
        found.extend(cls().check(repo))
    return found


def _by_path(found: list[Diagnostic]) -> dict[str, tuple[Diagnostic, ...]]:
    out: dict[str, list] = {}
    for diagnostic in found:
        out.setdefault(diagnostic.path, []).append(diagnostic)
    return {rel: tuple(found) for rel, found in out.items()}
