"""Dates and times for every app's demo data: days counted from a day, and a moment in
working hours on a day, never in the future."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone


def working_moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A working-hours moment on `day`, never in the future."""
    moment = datetime.datetime.combine(
        day,
        datetime.time(rng.randint(9, 16), rng.randint(0, 59)),
        tzinfo=timezone.get_current_timezone(),
    )
    return min(moment, timezone.now() - datetime.timedelta(minutes=5))


def days_after(day: datetime.date, n: int) -> datetime.date:
    """`n` days after `day` (before it when `n` is negative)."""
    return day + datetime.timedelta(days=n)
