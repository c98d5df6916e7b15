"""Working days on the official calendar: public holidays and the weekends worked in exchange.

Reply periods of letters (Art. 20) and the disclosure period (条例 Art. 26) are counted in working
days. The State Council's yearly holiday notice decides them; `chinesecalendar` carries the notices of
2004–2026, and `pipeline/core/holidays.yaml` the years published after that library's release. A year in
neither is an explicit error naming that file, never a guess from the weekends.

A period counted in days starts on the day after the event (Civil Code Art. 201): a letter received
on Friday evening with two working days has Monday and Tuesday, and is due by the end of Tuesday.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import yaml

HOLIDAYS_FILE = Path(__file__).with_name("holidays.yaml")


class UnknownYear(Exception):
    """No holiday arrangement for a year: the message names the file to fill in."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(f"没有 {year} 年的法定节假日安排:工作日无法计算。请按国务院办公厅《关于{year}年部分节假日"
                         f"安排的通知》在 pipeline/core/holidays.yaml 中补充 {year} 年(holidays、workdays)。")


class WorkCalendar:
    def __init__(self, extra: dict | None = None):
        self.extra = {}
        for year, entry in (extra or {}).items():
            entry = entry if isinstance(entry, dict) else {}
            self.extra[int(year)] = ({_day(d) for d in entry.get("holidays") or []},
                                     {_day(d) for d in entry.get("workdays") or []})

    def is_workday(self, day: date) -> bool:
        if day.year in self.extra:
            holidays, workdays = self.extra[day.year]
            return day in workdays or (day.weekday() < 5 and day not in holidays)
        import chinese_calendar

        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            raise UnknownYear(day.year) from None

    def add(self, start: date | datetime, days: int) -> date:
        """The `days`-th working day after `start` (the day of `start` itself does not count)."""
        day = start.date() if isinstance(start, datetime) else start
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_workday(day):
                counted += 1
        return day

    def between(self, start: date | datetime, end: date | datetime) -> int:
        """Working days after `start` up to and including `end` (0 when end is not later)."""
        first = start.date() if isinstance(start, datetime) else start
        last = end.date() if isinstance(end, datetime) else end
        count, day = 0, first
        while day < last:
            day += timedelta(days=1)
            count += self.is_workday(day)
        return count


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@lru_cache(maxsize=1)
def official_calendar() -> WorkCalendar:
    data = yaml.safe_load(HOLIDAYS_FILE.read_text(encoding="utf-8")) or {}
    return WorkCalendar(data)
