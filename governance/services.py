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


def _first_working_day_of(months: tuple[int, ...], day: datetime.date) -> str:
    """Why a report of these months is not built on `day` ("" when it is)."""
    if not is_first_working_day(day):
        return "not the first working day of the month"
    if day.month not in months:
        return "not a month this report is built in"
    return ""


def _build(kind: str, day: datetime.date, months: tuple[int, ...]) -> dict[str, Any]:
    from governance.reports import reports_build

    skipped = _first_working_day_of(months, day)
    if skipped:
        return {"skipped": skipped}
    return reports_build(kind=kind, day=day)


ALL_MONTHS = tuple(range(1, 13))


def monthly_report_build(*, day: datetime.date) -> dict[str, Any]:
    """Build last month's QA report for every organisation (governance.reports)."""
    return _build("monthly", day, ALL_MONTHS)


def quarterly_report_build(*, day: datetime.date) -> dict[str, Any]:
    """Build the quarterly QA and practice improvement report (January, April, July,
    October: the quarter just ended)."""
    return _build("quarterly", day, (1, 4, 7, 10))


def journey_report_build(*, day: datetime.date) -> dict[str, Any]:
    """Build the six-monthly Journey of the Child and Adopter report (April, October)."""
    return _build("journey", day, (4, 10))


def annual_report_build(*, day: datetime.date) -> dict[str, Any]:
    """Build the annual report and the draft self-evaluation (April: the financial year
    just ended)."""
    annual = _build("annual", day, (4,))
    if "skipped" in annual:
        return annual
    evaluation = _build("self_evaluation", day, (4,))
    return {
        "created": annual["created"] + evaluation["created"],
        "annual": annual,
        "self_evaluation": evaluation,
    }
