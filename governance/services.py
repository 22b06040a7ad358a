"""Scheduled work of this app. Each service is idempotent: a second run for the same
day changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

from core.scheduling import is_first_working_day


def exceptions_returns_create(*, day: datetime.date) -> dict[str, Any]:
    """Open each team's Performance Exceptions return for the month just ended, its
    figures frozen now (governance.returns)."""
    if not is_first_working_day(day):
        return {"skipped": "not the first working day of the month"}
    from governance.returns import returns_create

    return {"created": returns_create(day=day)}


def monthly_report_build(*, day: datetime.date) -> dict[str, Any]:
    """Build last month's QA report."""
    if not is_first_working_day(day):
        return {"skipped": "not the first working day of the month"}
    # Report snapshots arrive with the governance feature.
    return {"created": 0}


def quarterly_report_build(*, day: datetime.date) -> dict[str, Any]:
    """Build the quarterly QA and practice improvement report."""
    if not is_first_working_day(day):
        return {"skipped": "not the first working day of the month"}
    # Report snapshots arrive with the governance feature.
    return {"created": 0}


def journey_report_build(*, day: datetime.date) -> dict[str, Any]:
    """Build the six-monthly Journey of the Child and Adopter report."""
    if not is_first_working_day(day):
        return {"skipped": "not the first working day of the month"}
    # Report snapshots arrive with the governance feature.
    return {"created": 0}


def annual_report_build(*, day: datetime.date) -> dict[str, Any]:
    """Build the annual report and the draft self-evaluation."""
    if not is_first_working_day(day):
        return {"skipped": "not the first working day of the month"}
    # Report snapshots arrive with the governance feature.
    return {"created": 0}
