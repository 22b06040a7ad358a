"""Working days in England: weekends and England and Wales bank holidays are not counted."""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


# Working days are counted from this Monday; `working_day_number` works for any later date.
_EPOCH = datetime.date(1990, 1, 1)


@lru_cache(maxsize=256)
def _weekday_holidays_before(year: int) -> int:
    """Bank holidays falling on a weekday from the epoch up to the end of `year - 1`."""
    if year <= _EPOCH.year:
        return 0
    in_year = sum(1 for day in _bank_holidays(year - 1) if day.weekday() < 5)
    return _weekday_holidays_before(year - 1) + in_year


@lru_cache(maxsize=16384)
def working_day_number(day: datetime.date) -> int:
    """The number of working days after the epoch up to and including `day`.

    The difference of two numbers is the working days between them, without walking
    the calendar: indicators compare hundreds of thousands of pairs of dates."""
    days = (day - _EPOCH).days
    weeks, rest = divmod(days, 7)
    # The epoch is a Monday, so the `rest` days after the last whole week start on a Tuesday.
    weekdays = weeks * 5 + sum(1 for offset in range(1, rest + 1) if offset % 7 < 5)
    holidays_this_year = sum(
        1 for holiday in _bank_holidays(day.year) if holiday.weekday() < 5 and holiday <= day
    )
    return weekdays - _weekday_holidays_before(day.year) - holidays_this_year


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    return working_day_number(end) - working_day_number(start)


def first_working_day_of_month(year: int, month: int) -> datetime.date:
    day = datetime.date(year, month, 1)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    day = start
    added = 0
    while added < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            added += 1
    return day
