"""The rule registry.

A rule is a small class in its own module: `codes` maps each stable code it
may emit to a one-line Chinese description (what `gongkai rules` lists), and
`check(repo)` yields `Diagnostic`s and never prints. The class docstring is
the rule's documentation, with a failing and a passing example.

`reach` says what a finding about one file reads, so that `check --changed-since`
(pipeline.check.changed) can run the rule on part of the repository and still
report exactly what the whole check reports for the files in its scope:

- ITEM: that file, the settings, governance data and units;
- RELATED: besides, the items it shares an id, a reference, a policy it
  interprets or an attachment with (pipeline.check.scope loads those too);
- REPOSITORY (the default): every item. Such a rule runs on the whole
  repository, and only when `reports_on` says it may report on a file in the scope.

Severity overrides, per-path ignores and suppressions are not the rules'
business: `pipeline.check.severity` applies them afterwards.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Iterator

from pipeline.diagnostics import Diagnostic

if TYPE_CHECKING:
    from pipeline.content.loader import Item
    from pipeline.content.repository import Repository


ITEM = "item"
RELATED = "related"
REPOSITORY = "repository"


class Rule:
    codes: ClassVar[dict[str, str]] = {}
    reach: ClassVar[str] = REPOSITORY  # a rule that does not say is assumed to read everything
    # Codes whose findings compare something with every item (a unit's coverage, a report's figures, the
    # generated CODEOWNERS): while a file cannot be read they would blame untouched files for its absence,
    # so pipeline.check.whole leaves them out until the file's own error is fixed.
    totals: ClassVar[frozenset[str]] = frozenset()

    def check(self, repo: "Repository") -> Iterator[Diagnostic]:
        raise NotImplementedError

    def inputs(self, repo: "Repository", signatures: dict[str, tuple]) -> str | None:
        """For a REPOSITORY rule: a digest of what its findings read besides what every cached finding
        depends on (code, schemas, governance files, units, registers, today's date); the cached check
        (pipeline.check.cached) reuses the last findings while it is the same. None: run it every time.
        pipeline.check.rule_inputs makes the usual digests."""
        return None

    def reports_on(self, path: str, record: "Item | None") -> bool:
        """Whether a REPOSITORY rule may report a finding at `path` (`record`: its parsed item, if any)."""
        return True


RULES: list[type[Rule]] = []
_LOADED: list[bool] = []


def register(cls: type[Rule]) -> type[Rule]:
    RULES.append(cls)
    return cls


def load_rules() -> list[type[Rule]]:
    """Import every rule module of this package so that each registers itself; return the registry."""
    import importlib
    import pkgutil

    if not _LOADED:
        for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
            importlib.import_module(f"{__name__}.{module}")
        _LOADED.append(True)
    return RULES


def unreadable_ids(repo: "Repository", kind: str = "item", type_name: str | None = None) -> set[str]:
    """Ids of the files of `kind` ("item", "unit"; of `type_name` if given) that could not be read.

    An id is the file's name (GK-ID-002), so a reference to an unreadable file is not reported as a
    reference to nothing: the file's own error is the one thing to fix.
    """
    from pipeline.content.paths import classify_path

    out = set()
    for diagnostic in repo.load_diagnostics:
        found_kind, found_type = classify_path(diagnostic.path)
        if found_kind == kind and type_name in (None, found_type):
            out.add(diagnostic.path.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    return out


def unreadable_governance(repo: "Repository") -> set[str]:
    """Names of the governance files (columns, site, …) that could not be read."""
    from pipeline.content.paths import classify_path

    return {kind[1] for kind in (classify_path(d.path) for d in repo.load_diagnostics) if kind[0] == "governance"}


def run_rules(repo: "Repository") -> Iterator[Diagnostic]:
    for rule_cls in load_rules():
        yield from rule_cls().check(repo)
