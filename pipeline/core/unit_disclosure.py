"""What a unit owes under Article 12, and where it discloses it.

A unit covers a mandatory category with current items on the portal, or
declares it not applicable (`not_applicable`, with a reason), or names the
dedicated platform where the law has it published (`published_elsewhere`:
部门预决算 on the city's 预决算公开平台, 政府采购 on 中国政府采购网's regional
site, 行政处罚 on 信用中国 under 双公示). The coverage rule, the unit and
category pages and the yearly report read these answers from here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pipeline.core.policy_validity import in_force_on
from pipeline.core.publication import publication_time, status
from pipeline.content.repository import as_list


@dataclass(frozen=True)
class Platform:
    category: str
    name: str
    url: str


def exemptions(unit) -> dict[str, str]:
    """Category → reason, for the categories the unit declares not applicable."""
    return {entry["category"]: str(entry.get("reason", "")) for entry in _entries(unit, "not_applicable")}


def platforms(unit) -> dict[str, Platform]:
    """Category → the dedicated platform where the unit publishes it."""
    return {entry["category"]: Platform(entry["category"], str(entry.get("platform", "")), str(entry.get("url", "")))
            for entry in _entries(unit, "published_elsewhere")}


def declared_twice(unit) -> list[tuple[str, str, int]]:
    """(category, key, index) of each declaration repeating a category already declared for the unit."""
    seen, repeated = set(), []
    for key in ("not_applicable", "published_elsewhere"):
        for index, entry in enumerate(as_list(unit.meta.get(key))):
            category = entry.get("category") if isinstance(entry, dict) else None
            if isinstance(category, str):
                if category in seen:
                    repeated.append((category, key, index))
                seen.add(category)
    return repeated


def covered_by_items(repo, now: datetime, current_days: int) -> dict[str, set[str]]:
    """Unit → categories it has a current item in: live now, and in force (a policy) or recent."""
    horizon = now - timedelta(days=current_days)
    covered: dict[str, set[str]] = {}
    for item in repo.items:
        category, unit = item.meta.get("disclosure_category"), item.meta.get("unit")
        if not isinstance(category, str) or not isinstance(unit, str) or not status(item, now).live:
            continue
        in_force = item.type == "policy" and in_force_on(item, now.date())
        if in_force or publication_time(item) >= horizon:
            covered.setdefault(unit, set()).add(category)
    for unit in repo.units.values():
        if publishes_organization(unit):
            covered.setdefault(unit.id, set()).add("organization")
    return covered


def missing_categories(unit, categories, covered: set[str]) -> list[str]:
    """The applicable categories, in the regulation's order, that the unit covers in none of the three ways."""
    answered = covered | exemptions(unit).keys() | platforms(unit).keys()
    return [c for c in categories if c not in answered]


def publishes_organization(unit) -> bool:
    """A unit record with functions, leader and contact is itself the 机构职能 disclosure (its unit page)."""
    meta = unit.meta
    return all(isinstance(meta.get(k), (str, dict)) and meta.get(k) for k in ("functions", "leader", "contact"))


def _entries(unit, key: str) -> list[dict]:
    return [entry for entry in as_list(unit.meta.get(key))
            if isinstance(entry, dict) and isinstance(entry.get("category"), str)]
