"""Unit coverage of the mandatory disclosure categories (Art. 12)."""
from __future__ import annotations

from datetime import timedelta

from ..diagnostics import Severity
from ..publication import publication_time, status
from ..repository import as_list
from . import Rule, register


@register
class CategoryCoverage(Rule):
    """GK-COV-001 (warning): a unit has no current item in a category that applies to it.

    Every unit must proactively disclose the fifteen categories of Article 12
    unless it declares a category not applicable, with a reason, in its
    `not_applicable` list. An item is current when it is on the site now
    (`publication.status`: published, or to be withdrawn later) and either is a policy still in force (现行有效) or
    was published within `coverage.current_days` of now. This is a
    warning at merge-request time; the daily audit reports it to the unit.

    FAIL (warning): unit jyj declares no exemption for `budget` and has no
          budget item in the last 365 days.
    PASS: jyj published a budget notice this year, or lists
          `- category: budget, reason: 预决算由财政局统一公开`.
    """

    codes = {"GK-COV-001": "单位在适用的主动公开类别中没有现行内容(警告)"}

    def check(self, repo):
        categories = repo.schemas.category_labels
        horizon = repo.now - timedelta(days=repo.settings["coverage"]["current_days"])
        covered = {}
        for item in repo.items:
            meta = item.meta
            category, unit = meta.get("disclosure_category"), meta.get("unit")
            if not isinstance(category, str) or not isinstance(unit, str) or not status(item, repo.now).live:
                continue
            in_force = item.type == "policy" and meta.get("validity") == "现行有效"
            if in_force or publication_time(item) >= horizon:
                covered.setdefault(unit, set()).add(category)
        for unit in sorted(repo.units.values(), key=lambda u: u.id):
            if _publishes_organization(unit):
                covered.setdefault(unit.id, set()).add("organization")
            exempt = {entry.get("category") for entry in as_list(unit.meta.get("not_applicable"))
                      if isinstance(entry, dict) and isinstance(entry.get("category"), str)}
            missing = [c for c in categories if c not in exempt and c not in covered.get(unit.id, set())]
            if missing:
                short = repo.schemas.category_short_labels
                names = "、".join(f"{short[c]}({c})" for c in missing)
                yield unit.diagnostic("GK-COV-001", Severity.WARNING,
                                      f"{unit.title}在以下适用类别中没有现行公开内容(现行有效的文件,或近 {repo.settings['coverage']['current_days']} 天内发布的信息):{names}。"
                                      f"请发布相应信息,或在 not_applicable 中写明不适用的理由。",
                                      "not_applicable" if "not_applicable" in unit.meta else "id")


def _publishes_organization(unit) -> bool:
    """A unit record with functions, leader and contact is itself the 机构职能 disclosure (its unit page)."""
    meta = unit.meta
    return all(isinstance(meta.get(k), (str, dict)) and meta.get(k) for k in ("functions", "leader", "contact"))
