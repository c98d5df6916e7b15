"""When a letter must be answered, and whether it was answered in time (Art. 20).

The audit's letter findings (GK-LETTER-*) and the yearly report's on-time rates both count with these
functions, so the dashboard and the report can never disagree about one letter.
"""
from __future__ import annotations

from datetime import date

from pipeline.core.workdays import WorkCalendar
from pipeline.timeutil import parse_when


def reply_due(letter, settings: dict, calendar: WorkCalendar) -> tuple[date, int, bool]:
    """(last day to answer, working days allowed, whether extended) for a letter.

    `settings` is the `audit:` block of settings.yaml (`letter_reply_workdays`, `letter_no_extension`).
    The day of receipt does not count; an allowed extension doubles the days.
    """
    kind = letter.meta.get("kind")
    days = settings["letter_reply_workdays"][kind]
    extended = letter.meta.get("extended") is True and kind not in set(settings["letter_no_extension"])
    if extended:
        days *= 2
    return calendar.add(parse_when(letter.meta.get("received")), days), days, extended


def answered_in_time(letter, settings: dict, calendar: WorkCalendar) -> bool | None:
    """Whether the letter's reply came on or before its last day; None while it has no reply."""
    replied = parse_when(letter.meta.get("replied"))
    if replied is None:
        return None
    due, _, _ = reply_due(letter, settings, calendar)
    return replied.date() <= due
