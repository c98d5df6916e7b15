"""Approval tiers (Art. 28), read from tiers.yaml: which tier an item needs, and who may do each step.

    policy = load_policy()
    tier = policy.classify(item, lookup)          # lookup(id) -> Item | None, for 政策解读 of city policies
    need = policy.need_for_item(item, lookup)     # Need(tier, unit): the unit only for per-unit tiers
    policy.eligible(need, step, roster)           # people who may do that step

The first tier whose `when` matches wins; a clause matches when all its keys match:
`meta: {key: value | [values]}`, `type: name`, `interprets_tier: tier-id` (an interpretation of an
item of that tier), `always: true`.
"""
from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Callable

import yaml

from pipeline.content.loader import Item
from pipeline.approvals.roster import Person, Roster

TIERS_FILE = Path(__file__).with_name("tiers.yaml")

Lookup = Callable[[str], "Item | None"]


class PolicyError(Exception):
    """tiers.yaml is malformed: a bug in the project's configuration (exit 2)."""


@dataclass(frozen=True)
class Step:
    kind: str  # "review" or "approve"
    label: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Tier:
    id: str
    label: str
    article: str
    text: str
    when: tuple
    steps: tuple[Step, ...]
    section: str = ""  # CODEOWNERS section name; "{unit}" is replaced by the unit's name

    @property
    def per_unit(self) -> bool:
        return any(role.startswith("unit.") for step in self.steps for role in step.roles)


@dataclass(frozen=True)
class PathRule:
    pattern: str
    tier: str
    label: str
    codeowners: bool = True  # also a CODEOWNERS pattern (false for catch-alls)

    @property
    def codeowners_pattern(self) -> str:
        if self.pattern.endswith("/*"):
            return "/" + self.pattern[:-1]
        return "/" + self.pattern


@dataclass(frozen=True, order=True)
class Need:
    """What one changed file needs: a tier, and for per-unit tiers the unit whose people approve."""

    tier_id: str
    unit: str = ""
    reason: str = ""  # why (shown in the plan), not part of the identity of the need

    @property
    def key(self) -> tuple[str, str]:
        return (self.tier_id, self.unit)


@dataclass
class ApprovalPolicy:
    tiers: list[Tier]
    paths: list[PathRule]
    trailers: dict[str, list[str]]

    def tier(self, tier_id: str) -> Tier:
        for tier in self.tiers:
            if tier.id == tier_id:
                return tier
        raise PolicyError(f"tiers.yaml 中没有审批层级「{tier_id}」")

    # --- classification -----------------------------------------------------

    def classify(self, item: Item, lookup: Lookup | None = None, _depth: int = 0) -> Tier:
        return self._classify(item, lookup, _depth)[0]

    def _classify(self, item: Item, lookup: Lookup | None, depth: int) -> tuple[Tier, str]:
        for tier in self.tiers:
            for clause in tier.when:
                reason = self._match(clause, item, lookup, depth)
                if reason is not None:
                    return tier, reason
        return self.tiers[-1], ""

    def _match(self, clause: dict, item: Item, lookup: Lookup | None, depth: int) -> str | None:
        """None if `clause` does not match `item`, else why it matches (in Chinese, for the plan)."""
        reasons = []
        for key, wanted in clause.items():
            if key == "always":
                if not wanted:
                    return None
            elif key == "type":
                if item.type not in (wanted if isinstance(wanted, list) else [wanted]):
                    return None
            elif key == "meta":
                for field, values in wanted.items():
                    values = values if isinstance(values, list) else [values]
                    actual = item.meta.get(field)
                    if isinstance(actual, (list, dict)) or actual not in values:
                        return None
                    reasons.append(f"{field}: {str(actual).lower() if isinstance(actual, bool) else actual}")
            elif key == "interprets_tier":
                targets = item.meta.get("interprets")
                if lookup is None or depth > 3 or not isinstance(targets, list):
                    return None
                hits = [t for t in targets if isinstance(t, str)
                        and (target := lookup(t)) is not None
                        and self._classify(target, lookup, depth + 1)[0].id == wanted]
                if not hits:
                    return None
                reasons.append(f"解读的 {'、'.join(hits)} 属于「{self.tier(wanted).label}」")
            else:
                raise PolicyError(f"tiers.yaml:未知的条件「{key}」")
        return ";".join(reasons)

    def need_for_item(self, item: Item, lookup: Lookup | None = None) -> Need:
        tier, reason = self._classify(item, lookup, 0)
        unit = item.meta.get("unit")
        if tier.per_unit:
            if not isinstance(unit, str) or not unit:
                fallback = self._fallback_tier()
                return Need(fallback.id, "", "条目未注明发布单位(unit),按市人民政府办公室审批")
            return Need(tier.id, unit, reason or f"unit: {unit}")
        return Need(tier.id, "", reason)

    def _fallback_tier(self) -> Tier:
        for tier in self.tiers:
            if not tier.per_unit and tier.id != "emergency":
                return tier
        return self.tiers[0]

    def need_for_path(self, path: str) -> Need | None:
        for rule in self.paths:
            if fnmatchcase(path, rule.pattern):
                return Need(rule.tier, "", rule.label)
        return None

    # --- people --------------------------------------------------------------

    def eligible(self, need: Need, step: Step, roster: Roster) -> list[Person]:
        out: list[Person] = []
        for role in step.roles:
            for person in roster.holders(role, need.unit or None):
                if person not in out:
                    out.append(person)
        return out


def load_policy(path: Path = TIERS_FILE) -> ApprovalPolicy:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        tiers = []
        for raw in data["tiers"]:
            steps = tuple(Step(s["kind"], s["label"], tuple(s["roles"])) for s in raw["steps"])
            for step in steps:
                if step.kind not in ("review", "approve"):
                    raise PolicyError(f"tiers.yaml:步骤类型应为 review 或 approve,而不是「{step.kind}」")
            tiers.append(Tier(raw["id"], raw["label"], raw.get("article", ""), raw.get("text", ""),
                              tuple(raw["when"]), steps, raw.get("section") or raw["label"]))
        paths = [PathRule(p["pattern"], p["tier"], p.get("label", ""), bool(p.get("codeowners", True)))
                 for p in data.get("paths") or []]
        trailers = {k: list(v) for k, v in (data.get("trailers") or {}).items()}
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise PolicyError(f"无法读取审批层级配置 {path}:{exc}") from None
    policy = ApprovalPolicy(tiers, paths, trailers or {"review": ["Approved-by"], "approve": ["Approved-by"]})
    for rule in paths:
        policy.tier(rule.tier)
    return policy
