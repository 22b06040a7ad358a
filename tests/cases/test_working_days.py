"""Working days in England: `working_days_between` against a day-by-day count, and by hand
over Christmas, Easter and the 2026 bank holidays."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.dates import (
    add_working_days,
    is_working_day,
    working_day_number,
    working_days_between,
)

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
DATES = st.dates(min_value=D(1995, 1, 1), max_value=D(2035, 12, 31))


def naive_working_days(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end`, a day at a time."""
    count, day = 0, start + ONE_DAY
    while day <= end:
        count += is_working_day(day)
        day += ONE_DAY
    return count


@settings(max_examples=300, deadline=None)
@given(start=DATES, end=DATES)
def test_working_days_between_matches_a_day_by_day_count(start, end):
    assert working_days_between(start, end) == naive_working_days(start, end)


@settings(max_examples=300, deadline=None)
@given(start=DATES, span=st.integers(min_value=0, max_value=40))
def test_working_days_between_matches_over_short_spans(start, span):
    # Short spans land on and around bank holidays far more often than random pairs.
    end = start + datetime.timedelta(days=span)
    assert working_days_between(start, end) == naive_working_days(start, end)


@settings(max_examples=200, deadline=None)
@given(day=DATES)
def test_working_day_number_steps_by_one_on_working_days(day):
    step = working_day_number(day + ONE_DAY) - working_day_number(day)
    assert step == int(is_working_day(day + ONE_DAY))


ENGLAND_2026 = [
    D(2026, 1, 1),  # New Year's Day, Thursday
    D(2026, 4, 3),  # Good Friday
    D(2026, 4, 6),  # Easter Monday
    D(2026, 5, 4),  # Early May bank holiday
    D(2026, 5, 25),  # Spring bank holiday
    D(2026, 8, 31),  # Summer bank holiday
    D(2026, 12, 25),  # Christmas Day, Friday
    D(2026, 12, 28),  # Boxing Day falls on a Saturday: the Monday instead
]


def test_the_2026_bank_holidays_are_the_only_weekdays_off():
    day, off = D(2026, 1, 1), []
    while day.year == 2026:
        if day.weekday() < 5 and not is_working_day(day):
            off.append(day)
        day += ONE_DAY
    assert off == ENGLAND_2026
    # 261 weekdays in 2026, less eight bank holidays.
    assert working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 253


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        # Christmas 2025: Thursday 25th and Friday 26th, then the weekend.
        (D(2025, 12, 24), D(2025, 12, 29), 1),
        (D(2025, 12, 24), D(2025, 12, 25), 0),
        (D(2025, 12, 19), D(2026, 1, 2), 7),  # 22-24, 29-31 Dec and 2 Jan
        # Easter 2025: Good Friday 18 April and Easter Monday 21 April.
        (D(2025, 4, 17), D(2025, 4, 22), 1),
        (D(2025, 4, 14), D(2025, 4, 25), 7),
        # Easter 2026: Good Friday 3 April and Easter Monday 6 April.
        (D(2026, 4, 2), D(2026, 4, 7), 1),
        (D(2026, 2, 16), D(2026, 4, 22), 45),  # an assessment of exactly 45 working days
        # Early May and spring bank holidays 2026.
        (D(2026, 5, 1), D(2026, 5, 5), 1),
        (D(2026, 5, 22), D(2026, 5, 26), 1),
        # Summer bank holiday 2026, and Christmas 2026 with Boxing Day on the Monday.
        (D(2026, 8, 28), D(2026, 9, 1), 1),
        (D(2026, 12, 24), D(2026, 12, 29), 1),
        (D(2026, 12, 31), D(2027, 1, 4), 1),  # 1 January 2027 is a Friday
        # Weekends, and no time at all.
        (D(2026, 1, 9), D(2026, 1, 12), 1),
        (D(2026, 1, 10), D(2026, 1, 11), 0),
        (D(2026, 1, 12), D(2026, 1, 12), 0),
        (D(2026, 1, 12), D(2026, 1, 5), 0),
    ],
)
def test_working_days_between_by_hand(start, end, days):
    assert working_days_between(start, end) == days


def test_add_working_days_steps_over_bank_holidays():
    assert add_working_days(D(2026, 4, 2), 1) == D(2026, 4, 7)
    assert add_working_days(D(2026, 2, 16), 45) == D(2026, 4, 22)
    assert add_working_days(D(2026, 12, 24), 2) == D(2026, 12, 30)
