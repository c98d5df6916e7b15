"""`gongkai check`: every diagnostic for a repository, decided and sorted.

Build and audit call the same function, so they can never disagree with the
merge-request gate about an item.
"""
from __future__ import annotations

from .decide import decide
from .diagnostics import Diagnostic
from .repository import Repository, governance_diagnostics, item_diagnostics
from .rules import run_rules


def check_repository(repo: Repository) -> list[Diagnostic]:
    found = [
        *repo.load_diagnostics,
        *governance_diagnostics(repo),
        *item_diagnostics(repo),
        *run_rules(repo),
    ]
    return decide(found, repo.settings)
