"""The rule registry.

A rule is a small class in its own module: `codes` maps each stable code it
may emit to a one-line Chinese description (what `gongkai rules` lists), and
`check(repo)` yields `Diagnostic`s and never prints. The class docstring is
the rule's documentation, with a failing and a passing example.

Severity overrides, per-path ignores and suppressions are not the rules'
business: `pipeline.decide` applies them afterwards.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Iterator

from ..diagnostics import Diagnostic

if TYPE_CHECKING:
    from ..repository import Repository


class Rule:
    codes: ClassVar[dict[str, str]] = {}

    def check(self, repo: "Repository") -> Iterator[Diagnostic]:
        raise NotImplementedError


RULES: list[type[Rule]] = []
_LOADED: list[bool] = []


def register(cls: type[Rule]) -> type[Rule]:
    RULES.append(cls)
    return cls


def load_rules() -> list[type[Rule]]:
    """Import every rule module of this package so that each registers itself; return the registry.

    Rules that belong to another subject register themselves from there (pipeline.approvals.rules);
    pipeline.check imports those modules, so this registry never depends on them.
    """
    import importlib
    import pkgutil

    if not _LOADED:
        for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
            importlib.import_module(f"{__name__}.{module}")
        _LOADED.append(True)
    return RULES


def run_rules(repo: "Repository") -> Iterator[Diagnostic]:
    for rule_cls in load_rules():
        yield from rule_cls().check(repo)
