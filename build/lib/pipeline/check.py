"""`gongkai check`: every diagnostic for a repository, decided and sorted.

Build and audit call the same function, so they can never disagree with the
merge-request gate about an item.
"""
from __future__ import annotations

from .approvals import rules as approval_rules  # noqa: F401  registers GK-OWN-001/002
from .content import LOADER_CODES
from .decide import decide
from .diagnostics import Diagnostic
from .repository import GOVERNANCE_CODES, Repository, governance_diagnostics, item_diagnostics
from .rules import load_rules, run_rules
from .schema import SCHEMA_CODES


def check_repository(repo: Repository) -> list[Diagnostic]:
    found = [
        *repo.load_diagnostics,
        *governance_diagnostics(repo),
        *item_diagnostics(repo),
        *run_rules(repo),
    ]
    return decide(found, repo.settings)


def check_codes() -> dict[str, str]:
    """Every code `gongkai check` may report, with its one-line description."""
    codes = {**LOADER_CODES, **SCHEMA_CODES, **GOVERNANCE_CODES}
    for rule in load_rules():
        codes.update(rule.codes)
    return codes
