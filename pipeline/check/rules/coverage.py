"""Unit coverage of the mandatory disclosure categories (Art. 12)."""
from __future__ import annotations

from dataclasses import replace

from pipeline.diagnostics import Severity
from pipeline.core.unit_disclosure import covered_by_items, declared_twice, missing_categories
from pipeline.check.rules import REPOSITORY, Rule, register


@register
class CategoryCoverage(Rule):
    """GK-COV-001 (warning): a unit has no current item in a category that applies to it.
    GK-COV-002 (error): a unit answers for one category twice.

    Every unit must proactively disclose the fifteen categories of Article 12.
    It answers for each one with current items on the portal, or declares it
    not applicable with a reason (`not_applicable`), or names the dedicated
    platform where it is published (`published_elsewhere`: platform and
    address, shown on the unit's page). An item is current when it is on the
    site now (`publication.status`: published, or to be withdrawn later) and
    either is a policy still in force (现行有效) or was published within
    `coverage.current_days` of now. 001 is a warning at merge-request time;
    the daily audit reports it to the unit.

    FAIL (001): unit jyj declares nothing for `budget` and has no budget item in the last 365 days.
    FAIL (002): jyj lists `budget` as not applicable and as published on the 预决算公开平台.
    PASS: jyj published a budget notice this year, or lists
          `- category: budget, platform: 云江市预决算公开平台, url: https://...`.
    """

    codes = {"GK-COV-001": "单位在适用的主动公开类别中没有现行内容(警告)",
             "GK-COV-002": "同一公开类别既声明不适用又声明在专门平台公开,或重复声明"}

    reach = REPOSITORY  # a unit's coverage counts every item
    totals = frozenset({"GK-COV-001"})

    def reports_on(self, path, record):
        return record is not None and record.type == "unit"

    def check(self, repo):
        categories = repo.schemas.category_labels
        short = repo.schemas.category_short_labels
        days = repo.settings["coverage"]["current_days"]
        covered = covered_by_items(repo, repo.now, days)
        for unit in sorted(repo.units.values(), key=lambda u: u.id):
            for category, key, index in declared_twice(unit):
                yield unit.diagnostic("GK-COV-002", Severity.ERROR,
                                      f"类别「{short.get(category, category)}」已在前面声明过,"
                                      f"不能既写在 not_applicable 又写在 published_elsewhere,也不能重复。请只保留一处。",
                                      key, index)
            missing = missing_categories(unit, categories, covered.get(unit.id, set()))
            if missing:
                # One short line per unit (a clean check lists one for many units); what to do is the detail.
                names = "、".join(short[c] for c in missing)
                line = unit.line_of("not_applicable" if "not_applicable" in unit.meta else "id")
                yield replace(unit.diagnostic("GK-COV-001", Severity.WARNING,
                                              f"{unit.title}有 {len(missing)} 个公开类别没有现行内容:{names}。", line=line),
                              detail=f"现行内容是现行有效的文件,或近 {days} 天内发布的信息。请发布相应信息;"
                                     "在专门平台公开的,在 published_elsewhere 中写明平台和网址;"
                                     "确不适用的,在 not_applicable 中写明理由(类别可写中文名,如「category: 财政预决算」)。")
