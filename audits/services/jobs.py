"""Scheduled work of the audits app. Each service is idempotent: a second run for the same
day changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

from core.scheduling import is_first_working_day


def reminders_send(*, day: datetime.date) -> dict[str, Any]:
    """Send reminders for work due soon and escalate overdue work (see audits/reminders.py);
    return how many reminders and escalations were new."""
    from audits.reminders import reminders_send as send

    return send(day=day)


def rota_open_month(*, day: datetime.date) -> dict[str, Any]:
    """Open this month's rota slots on its first working day. Paused months (each
    organisation's own, August and December by default) have no slots to open."""
    from audits.services.rota import month_open

    if not is_first_working_day(day):
        return {"skipped": "not the first working day of the month"}
    opened = month_open(month=day.replace(day=1))
    return {
        "opened": len(opened),
        "audits_created": sum(1 for o in opened if o.audit is not None),
    }
