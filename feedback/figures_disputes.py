"""Figures over challenges by independent chairs: challenges raised by service and by
theme in each of the last twelve months, and how each stage ended (resolved within its
timescale, escalated, withdrawn, still open). The database does the counting (one grouped
query each); the totals and percentages are worked out here, so the arithmetic can be
read and tested. Every figure is over the challenges the reader may see
(`visible_to`), so a team manager's are their team's.

A challenge counts in the month it was raised. It is *resolved within timescale* when it
was resolved at a stage on or before that stage's due date.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from core.figures import percent
from core.months import add_months, month_start
from feedback.models import (
    STAGE_ORDER,
    Challenge,
    ChallengeStage,
    ChallengeTheme,
    ChallengeThemeTag,
    DisputeStage,
    StageOutcome,
)

if TYPE_CHECKING:
    from core.types import AnyUser

MONTHS_SHOWN = 12


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


@dataclass(frozen=True)
class Month:
    start: datetime.date

    @property
    def key(self) -> str:
        return self.start.strftime("%Y-%m")

    @property
    def label(self) -> str:
        return self.start.strftime("%b %Y")


@dataclass(frozen=True)
class MonthRow:
    """One service's or theme's challenges in each month shown, oldest first."""

    key: str
    label: str
    counts: list[tuple[Month, int]]

    @property
    def total(self) -> int:
        return sum(count for _, count in self.counts)


@dataclass(frozen=True)
class ByMonth:
    months: list[Month]
    rows: list[MonthRow]

    @property
    def totals(self) -> list[tuple[Month, int]]:
        return [
            (month, sum(row.counts[index][1] for row in self.rows))
            for index, month in enumerate(self.months)
        ]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)

    @property
    def chart_rows(self) -> list[tuple[str, int, str]]:
        return [(row.label, row.total, str(row.total)) for row in self.rows]


def months_to(today: datetime.date) -> list[Month]:
    first = month_start(today)
    return [Month(add_months(first, -n)) for n in range(MONTHS_SHOWN - 1, -1, -1)]


def _by_month(
    grouped: dict[tuple[str, datetime.date], int],
    labels: list[tuple[str, str]],
    months: list[Month],
) -> ByMonth:
    rows = [
        MonthRow(
            key=key,
            label=label,
            counts=[(month, grouped.get((key, month.start), 0)) for month in months],
        )
        for key, label in labels
    ]
    return ByMonth(months=months, rows=rows)


def by_service(*, user: AnyUser, today: datetime.date) -> ByMonth:
    """Challenges raised in each of the last twelve months, by the case's service (the
    services with none are left out)."""
    months = months_to(today)
    rows = (
        Challenge.objects.visible_to(user)
        .filter(raised_on__gte=months[0].start, raised_on__lte=today)
        .annotate(month=TruncMonth("raised_on"))
        .values("case__service_id", "case__service__name", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    grouped: dict[tuple[str, datetime.date], int] = {}
    names: dict[str, str] = {}
    for row in rows:
        key = str(row["case__service_id"])
        names[key] = row["case__service__name"]
        grouped[key, _as_date(row["month"])] = row["n"]
    labels = sorted(names.items(), key=lambda item: (item[1], item[0]))
    return _by_month(grouped, labels, months)


def by_theme(*, user: AnyUser, today: datetime.date) -> ByMonth:
    """Challenges raised in each of the last twelve months, by theme (a challenge about
    two themes counts once in each), every theme shown."""
    months = months_to(today)
    rows = (
        ChallengeThemeTag.objects.visible_to(user)
        .filter(challenge__raised_on__gte=months[0].start, challenge__raised_on__lte=today)
        .annotate(month=TruncMonth("challenge__raised_on"))
        .values("theme", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    grouped = {(row["theme"], _as_date(row["month"])): row["n"] for row in rows}
    return _by_month(grouped, [(t.value, t.label) for t in ChallengeTheme], months)


@dataclass(frozen=True)
class StageRow:
    stage: DisputeStage
    reached: int
    resolved: int
    resolved_in_time: int
    escalated: int
    withdrawn: int
    open: int
    overdue: int

    @property
    def label(self) -> str:
        return self.stage.label

    @property
    def in_time_percent(self) -> int | None:
        """Of the challenges resolved at this stage, the share resolved in time."""
        return percent(self.resolved_in_time, self.resolved)


@dataclass(frozen=True)
class ByStage:
    rows: list[StageRow]

    @property
    def chart_rows(self) -> list[tuple[str, int, str]]:
        return [
            (
                row.label,
                row.in_time_percent or 0,
                "No challenges resolved"
                if row.in_time_percent is None
                else f"{row.in_time_percent}% ({row.resolved_in_time} of {row.resolved})",
            )
            for row in self.rows
        ]

    @property
    def resolved(self) -> int:
        return sum(row.resolved for row in self.rows)

    @property
    def resolved_in_time(self) -> int:
        return sum(row.resolved_in_time for row in self.rows)

    @property
    def in_time_percent(self) -> int | None:
        return percent(self.resolved_in_time, self.resolved)


def by_stage(*, user: AnyUser, today: datetime.date) -> ByStage:
    """How every challenge the user may see fared at each stage (all time): how many
    reached it, and how it ended there."""
    stages: dict[str, Mapping[str, Any]] = {
        row["stage"]: row
        for row in ChallengeStage.objects.visible_to(user)
        .values("stage")
        .annotate(
            reached=Count("pk"),
            escalated=Count("pk", filter=Q(outcome=StageOutcome.ESCALATED)),
        )
        .order_by()
    }
    is_open = Q(status=Challenge.Status.OPEN)
    resolved = Q(status=Challenge.Status.RESOLVED)
    challenges: dict[str, Mapping[str, Any]] = {
        row["stage"]: row
        for row in Challenge.objects.visible_to(user)
        .values("stage")
        .annotate(
            resolved=Count("pk", filter=resolved),
            in_time=Count("pk", filter=resolved & Q(closed_on__lte=F("due_on"))),
            withdrawn=Count("pk", filter=Q(status=Challenge.Status.WITHDRAWN)),
            open=Count("pk", filter=is_open),
            overdue=Count("pk", filter=is_open & Q(due_on__lt=today)),
        )
        .order_by()
    }
    rows = []
    for stage in STAGE_ORDER:
        reached = stages.get(stage, {})
        ended = challenges.get(stage, {})
        rows.append(
            StageRow(
                stage=stage,
                reached=reached.get("reached", 0),
                resolved=ended.get("resolved", 0),
                resolved_in_time=ended.get("in_time", 0),
                escalated=reached.get("escalated", 0),
                withdrawn=ended.get("withdrawn", 0),
                open=ended.get("open", 0),
                overdue=ended.get("overdue", 0),
            )
        )
    return ByStage(rows=rows)


@dataclass(frozen=True)
class DisputeFigures:
    by_service: ByMonth
    by_theme: ByMonth
    by_stage: ByStage


def dispute_figures(*, user: AnyUser, today: datetime.date) -> DisputeFigures:
    return DisputeFigures(
        by_service=by_service(user=user, today=today),
        by_theme=by_theme(user=user, today=today),
        by_stage=by_stage(user=user, today=today),
    )
