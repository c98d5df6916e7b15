"""What a dataset's metadata means to the catalogues and to the daily read.

The dataset page, `datapackage.json`, the DCAT catalogue, `data.json` and
the audit's freshness check read licences, update frequencies and the next
due update from here, so "每月" means the same thing in all of them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta

from pipeline.timeutil import parse_day


@dataclass(frozen=True)
class License:
    title: str
    url: str


LICENSES = {
    "CC-BY-4.0": License("知识共享署名 4.0 国际许可协议(CC BY 4.0)", "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": License("知识共享 CC0 1.0 公有领域贡献(CC0 1.0)", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-By-1.0": License("开放数据共享署名许可协议(ODC-By 1.0)", "https://opendatacommons.org/licenses/by/1-0/"),
}

EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"


@dataclass(frozen=True)
class Frequency:
    iso: str | None  # ISO 8601 repeating duration (DCAT-US accrualPeriodicity); None when there is none
    eu: str  # the EU frequency vocabulary's code (DCAT dct:accrualPeriodicity)
    period: relativedelta | None  # how long after `modified` the next update is due


FREQUENCIES = {
    "每日": Frequency("R/P1D", "DAILY", relativedelta(days=1)),
    "每周": Frequency("R/P1W", "WEEKLY", relativedelta(weeks=1)),
    "每月": Frequency("R/P1M", "MONTHLY", relativedelta(months=1)),
    "每季度": Frequency("R/P3M", "QUARTERLY", relativedelta(months=3)),
    "每半年": Frequency("R/P6M", "BIANNUAL", relativedelta(months=6)),
    "每年": Frequency("R/P1Y", "ANNUAL", relativedelta(years=1)),
    "不定期": Frequency("irregular", "IRREG", None),
    "不再更新": Frequency(None, "NEVER", None),
}


def modified(item) -> date | None:
    """When the data last changed: `modified`, else the first publication."""
    return parse_day(item.meta.get("modified")) or parse_day(item.meta.get("date"))


def next_update_due(item) -> date | None:
    """The day by which the dataset should have been updated again, or None (irregular, never, unknown)."""
    frequency = FREQUENCIES.get(item.meta.get("frequency"))
    last = modified(item)
    if frequency is None or frequency.period is None or last is None:
        return None
    return last + frequency.period


def is_overdue(item, now: datetime) -> bool:
    due = next_update_due(item)
    return due is not None and now.date() > due
