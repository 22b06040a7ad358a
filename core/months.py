"""Month arithmetic, in one place: the first and last day of a month, and months on."""

from __future__ import annotations

import calendar
import datetime


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), kept within the month: 31 January + 1 is
    28 or 29 February. From the 1st of a month it gives the 1st of another."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def month_ends_to(today: datetime.date, months: int) -> list[datetime.date]:
    """The last day of each of the `months - 1` months before this one, then `today`,
    oldest first: where a "how many at each month end" trend is read."""
    first = month_start(today)
    return [month_end(add_months(first, -n)) for n in range(months - 1, 0, -1)] + [today]
