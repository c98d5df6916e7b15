"""Working days on the official calendar: the 2026 National Day and Mid-Autumn holidays, the adjusted
working Sunday 2026-09-20 and Saturday 2026-10-10, and a year nobody has entered yet."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from pipeline.core.workdays import UnknownYear, WorkCalendar, official_calendar
from pipeline.timeutil import TZ

CAL = official_calendar()


@pytest.mark.parametrize("day, working", [
    (date(2026, 9, 20), True),    # Sunday, worked in exchange for the National Day holiday
    (date(2026, 9, 25), False),   # Friday, 中秋节
    (date(2026, 10, 1), False),   # 国庆节
    (date(2026, 10, 7), False),
    (date(2026, 10, 8), True),
    (date(2026, 10, 10), True),   # Saturday, worked in exchange
    (date(2026, 10, 11), False),  # an ordinary Sunday
])
def test_the_2026_calendar(day, working):
    assert CAL.is_workday(day) is working


def test_the_day_of_receipt_does_not_count():
    # Friday evening, two working days: Monday and Tuesday.
    assert CAL.add(datetime(2026, 11, 13, 19, 30, tzinfo=TZ), 2) == date(2026, 11, 17)


def test_periods_across_the_holidays():
    # Received the day before National Day: the holiday does not count, the adjusted Saturday does.
    assert CAL.add(date(2026, 9, 30), 2) == date(2026, 10, 9)
    assert CAL.add(date(2026, 9, 30), 3) == date(2026, 10, 10)
    # Received on Mid-Autumn Eve (Thursday): Friday is the festival, the weekend is free, Sunday 09-20
    # already passed; Monday 09-28 and Tuesday 09-29 are the two days.
    assert CAL.add(date(2026, 9, 24), 2) == date(2026, 9, 29)
    # Received on Saturday 09-19: the adjusted Sunday 09-20 is the first working day.
    assert CAL.add(date(2026, 9, 19), 1) == date(2026, 9, 20)


def test_an_extension_doubles_the_period():
    # A 5-day 求助 received 2026-09-28: 09-29, 09-30, 10-08, 10-09 and the adjusted Saturday 10-10;
    # extended once, ten days end on 10-16.
    assert CAL.add(date(2026, 9, 28), 5) == date(2026, 10, 10)
    assert CAL.add(date(2026, 9, 28), 10) == date(2026, 10, 16)


def test_between_counts_working_days_after_the_start():
    assert CAL.between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert CAL.between(date(2026, 10, 10), date(2026, 9, 30)) == 0


def test_a_year_nobody_entered_is_an_explicit_error():
    with pytest.raises(UnknownYear) as error:
        CAL.is_workday(date(2031, 1, 2))
    assert "pipeline/core/holidays.yaml" in str(error.value) and "2031" in str(error.value)


def test_a_year_from_the_data_file():
    calendar = WorkCalendar({2031: {"source": "国办发明电〔2030〕1号", "holidays": ["2031-01-01", "2031-01-02"],
                                    "workdays": ["2031-01-04"]}})
    assert not calendar.is_workday(date(2031, 1, 2))  # a Thursday off
    assert calendar.is_workday(date(2031, 1, 4))  # a Saturday worked
    assert not calendar.is_workday(date(2031, 1, 5))  # an ordinary Sunday
    assert calendar.add(date(2031, 1, 1), 1) == date(2031, 1, 3)
