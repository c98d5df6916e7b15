"""Explicit time: every date is Asia/Shanghai, and every "now" can be injected."""
from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")


def parse_when(value: str) -> datetime | None:
    """Parse 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM[:SS]' as Beijing time; None if not a real moment."""
    if not isinstance(value, str):
        return None
    return _parse_when(value)


@lru_cache(maxsize=1 << 16)
def _parse_when(value: str) -> datetime | None:
    # Statuses, screens, listings and the audit all ask for the same few dates: strptime is slow.
    text = value.strip().replace("T", " ")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=TZ)
        except ValueError:
            continue
    return None


def parse_day(value: str) -> date | None:
    moment = parse_when(value)
    return moment.date() if moment else None


def parse_instant(value) -> datetime | None:
    """A moment as tools and CI write it, in Asia/Shanghai: ISO 8601 with an offset or `Z`
    (`2026-11-20T04:00:00Z`, `2026-11-20T12:00:00.123+08:00`, how `CI_PIPELINE_CREATED_AT` and forge
    APIs write time), or the content's own forms ('2026-03-01', '2026-03-01 09:30'). None if neither."""
    if not isinstance(value, str) or not value.strip():
        return None
    moment = parse_when(value)
    if moment is not None:
        return moment
    text = value.strip()
    if text[-1:] in "zZ":
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TZ)
    return moment.astimezone(TZ)


def parse_now(value: str | None) -> datetime:
    """The moment a command acts as of: the given one (`parse_instant`), else the clock."""
    if value:
        moment = parse_instant(value)
        if moment is None:
            raise ValueError(value)
        return moment
    return datetime.now(TZ)


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), TZ)
