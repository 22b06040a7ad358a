"""Scheduled work of the audits app. Each service is idempotent: a second run for the same
day changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

from qaportal.scheduling import PAUSED_MONTHS, is_first_working_day


def reminders_send(*, day: datetime.date) -> dict[str, Any]:
    """Send reminders for work due soon and escalate overdue work."""
    # Audits, observations and actions arrive with their features; until then nothing can be due.
    return {"created": 0}


def rota_open_month(*, day: datetime.date) -> dict[str, Any]:
    """Open this month's rota slots on the first working day (never in August or December)."""
    if day.month in PAUSED_MONTHS:
        return {"skipped": "the rota is paused this month"}
    if not is_first_working_day(day):
        return {"skipped": "not the first working day of the month"}
    # The rota arrives with its feature; until then there are no slots to open.
    return {"created": 0}
