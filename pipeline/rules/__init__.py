"""The rule registry.

A rule is a small class in its own module: `codes` maps each stable code it
may emit to a one-line Chinese description (what `gongkai rules` lists), and
`check(repo)` yields `Diagnostic`s and never prints. The class docstring is
the rule's documentation, with a failing and a passing example.

`reach` says what a finding about one file reads, so that `check --changed-since`
(pipeline.changed_check) can run the rule on part of the repository and still
report exactly what the whole check reports for the files in its scope:

- ITEM: that file, the settings, governance data and units;
- RELATED: besides, the items it shares an id, a reference, a policy it
  interprets or an attachment with (pipeline.check_scope loads those too);
- REPOSITORY (the default): every item. Such a rule runs on the whole
  repository, and only when `reports_on` says it may report on a file in the scope.

Severity overrides, per-path ignores and suppressions are not the rules'
business: `pipeline.decide` applies them afterwards.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Iterator

from ..diagnostics import Diagnostic

if TYPE_CHECKING:
    from ..content import Item
    from ..repository import Repository


ITEM = "item"
RELATED = "related"
REPOSITORY = "repository"


class Rule:
    codes: ClassVar[dict[str, str]] = {}
    reach: ClassVar[str] = REPOSITORY  # a rule that does not say is assumed to read everything

    def check(self, repo: "Repository") -> Iterator[Diagnostic]:
        raise NotImplementedError

    def reports_on(self, path: str, record: "Item | None") -> bool:
        """Whether a REPOSITORY rule may report a finding at `path` (`record`: its parsed item, if any)."""
        return True


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
