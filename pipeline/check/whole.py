"""`gongkai check`: every diagnostic for a repository, decided and sorted.

Build and audit call the same function, so they can never disagree with the
merge-request gate about an item.
"""
from __future__ import annotations

from pipeline.content.loader import LOADER_CODES
from pipeline.check.severity import decide
from pipeline.diagnostics import Diagnostic, Severity
from pipeline.content.repository import GOVERNANCE_CODES, Repository, governance_diagnostics, item_diagnostics
from pipeline.check.rules import load_rules, run_rules
from pipeline.content.schema import SCHEMA_CODES


KEPT_BESIDE_SCHEMA = ("GK-SCH-", "GK-PRIV-", "GK-WORD-", "GK-HTML-", "GK-TEXT-")


def check_repository(repo: Repository) -> list[Diagnostic]:
    found = [
        *repo.load_diagnostics,
        *governance_diagnostics(repo),
        *item_diagnostics(repo),
        *run_rules(repo),
    ]
    return decide(without_cascades(found, repo), repo.settings)


def without_cascades(found: list[Diagnostic], repo: Repository) -> list[Diagnostic]:
    """One root cause, one error: a file that cannot be read (bad encoding, broken YAML) gives only its own,
    and a value the schema refuses gives only the schema's.

    Findings about that file are the loader's alone, and findings that count every item (coverage, a
    report's figures, the generated CODEOWNERS, a policy's interpretations) are left out while it is
    unreadable: they would blame untouched files for its absence. References to it are not reported
    by the rules either (pipeline.check.rules.unreadable_ids). Once it is fixed, the next check reports the rest.
    """
    # A value the schema refuses is explained once, by the schema check: the rules that read the same
    # value's form (an address, a reference) would only give a second error. What a text says (personal
    # data, wording, markup) is another problem, and stays; so do warnings, which add advice, not errors.
    refused = {(d.path, d.line) for d in found if d.code == "GK-SCH-003"}
    found = [d for d in found if d.code.startswith(KEPT_BESIDE_SCHEMA) or d.severity is not Severity.ERROR
             or (d.path, d.line) not in refused]
    unreadable = {d.path for d in repo.load_diagnostics}
    if not unreadable:
        return found
    totals = {code for rule in load_rules() for code in rule.totals}
    own = set(repo.load_diagnostics)
    return [d for d in found if d in own or (d.path not in unreadable and d.code not in totals)]


def check_codes() -> dict[str, str]:
    """Every code `gongkai check` may report, with its one-line description."""
    codes = {**LOADER_CODES, **SCHEMA_CODES, **GOVERNANCE_CODES}
    for rule in load_rules():
        codes.update(rule.codes)
    return codes
