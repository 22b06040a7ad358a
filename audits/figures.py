"""Figures over a set of audits: grades given, and good or better by month of submission.

The database does the counting (one aggregate for the grades and the first and last
submission, one grouped query for the months); the percentages are worked out here, so
the arithmetic can be read and tested. An audit counts once it has been submitted: its
grade may still change before then.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Aggregate, Count, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from audits.models import GOOD_OR_BETTER, Audit, Grade
from core.expressions import BoundaryIndex
from core.figures import percent
from core.months import add_months, month_start

GRADED_STATUSES = (Audit.Status.SUBMITTED, Audit.Status.MODERATED, Audit.Status.FINAL)
MONTHS_SHOWN = 12


def graded(audits: QuerySet[Audit]) -> QuerySet[Audit]:
    return audits.filter(status__in=GRADED_STATUSES)


def given_grade(audit: Audit) -> str:
    """The grade's label once the audit is submitted; "" before, when it is still a draft."""
    if audit.status in GRADED_STATUSES and audit.overall_grade:
        return Grade(audit.overall_grade).label
    return ""


@dataclass(frozen=True)
class GradeCount:
    grade: Grade
    count: int
    percent: int | None

    @property
    def label(self) -> str:
        return self.grade.label


@dataclass(frozen=True)
class GradeDistribution:
    rows: list[GradeCount]
    # Graded audits in the set: the denominator of every percentage here.
    total: int

    @property
    def good_or_better(self) -> int:
        return sum(row.count for row in self.rows if row.grade in GOOD_OR_BETTER)

    @property
    def good_or_better_percent(self) -> int | None:
        return percent(self.good_or_better, self.total)

    @property
    def chart_rows(self) -> list[tuple[str, int, str]]:
        return [
            (row.label, row.count, f"{row.count} ({row.percent}%)" if self.total else "0")
            for row in self.rows
        ]


def _grade_counts(audits: QuerySet[Audit], **also: Aggregate) -> dict[str, Any]:
    """The graded audits counted by grade, with any other aggregates over them, in one
    query."""
    graded_audits, aggregates = grade_counting(audits, **also)
    return graded_audits.aggregate(**aggregates)


def grade_counting(
    audits: QuerySet[Audit], **also: Aggregate
) -> tuple[QuerySet[Audit], dict[str, Aggregate]]:
    """What `_grade_counts` aggregates: the graded audits, and a count of each grade."""
    return graded(audits), {
        # Of the status every audit has, which the grades' index holds (not the id):
        # PostgreSQL may then read the index alone.
        "graded_total": Count("status"),
        **{
            f"grade_{grade.value}": Count("status", filter=Q(overall_grade=grade.value))
            for grade in Grade
        },
        **also,
    }


def grade_distribution(audits: QuerySet[Audit]) -> GradeDistribution:
    """How many of the graded audits got each grade, in one query."""
    return distribution(_grade_counts(audits))


def distribution(counts: dict[str, Any]) -> GradeDistribution:
    total = counts["graded_total"]
    rows = []
    for grade in Grade:
        count = counts[f"grade_{grade.value}"]
        rows.append(GradeCount(grade=grade, count=count, percent=percent(count, total)))
    return GradeDistribution(rows=rows, total=total)


@dataclass(frozen=True)
class MonthCount:
    month: datetime.date
    good_or_better: int
    not_yet_good: int

    @property
    def total(self) -> int:
        return self.good_or_better + self.not_yet_good

    @property
    def percent(self) -> int | None:
        return percent(self.good_or_better, self.total)

    @property
    def label(self) -> str:
        return date_format(self.month, "F Y")


@dataclass(frozen=True)
class MonthlyFigures:
    """Good or better by month of submission.

    The months run from the first month with a submission in the set to the last, at
    most the last `MONTHS_SHOWN` of them; months between with no submissions show 0.
    """

    months: list[MonthCount]

    @property
    def total(self) -> int:
        return sum(month.total for month in self.months)

    @property
    def chart_rows(self) -> list[tuple[str, int, str]]:
        rows = []
        for month in self.months:
            if month.total:
                shown = f"{month.percent}% ({month.good_or_better} of {month.total})"
            else:
                shown = "None submitted"
            rows.append((month.label, month.percent or 0, shown))
        return rows


def _month_start(value: datetime.datetime | datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return month_start(value)


def _local_midnight(month: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(month, datetime.time()))


# The first and last submission of the graded audits (MIN and MAX pass over audits with
# none).
SUBMISSION_BOUNDS = {"first": Min("submitted_at"), "last": Max("submitted_at")}


def good_or_better_by_month(
    audits: QuerySet[Audit],
    months_shown: int = MONTHS_SHOWN,
    *,
    bounds: dict[str, Any] | None = None,
) -> MonthlyFigures:
    """Graded audits by month of submission (London time), in two queries: the first and
    last submission (`bounds`, when the caller has already read them with
    SUBMISSION_BOUNDS), then each month's counts between local month boundaries worked
    out here. Only the months shown are read, and no date function runs on each row
    (SQLite runs those in Python)."""
    if bounds is None:
        bounds = _submitted(audits).aggregate(**SUBMISSION_BOUNDS)
    starts = month_starts(bounds, months_shown)
    return monthly(list(by_month_counting(audits, starts)) if starts else [], starts)


def _submitted(audits: QuerySet[Audit]) -> QuerySet[Audit]:
    return graded(audits).filter(submitted_at__isnull=False).order_by()


def month_starts(bounds: dict[str, Any], months_shown: int = MONTHS_SHOWN) -> list[datetime.date]:
    """The months shown: from the first submission's (at most `months_shown` back) to the
    last's."""
    if bounds["last"] is None:
        return []
    last = _month_start(bounds["last"])
    first = max(_month_start(bounds["first"]), add_months(last, -(months_shown - 1)))
    starts = []
    month = first
    while month <= last:
        starts.append(month)
        month = add_months(month, 1)
    return starts


def by_month_counting(
    audits: QuerySet[Audit], starts: Sequence[datetime.date]
) -> QuerySet[Audit, dict[str, Any]]:
    """The good and not yet good submissions of each month of `starts`, one row a month
    with any (`month_index`: its place in `starts`)."""
    # Each submission's month as its index among `starts`: the latest boundary it is
    # past (one CASE, compared with the local month starts worked out here), then the
    # good and not yet good of each month counted in one grouped query.
    month_index = BoundaryIndex("submitted_at", [_local_midnight(start) for start in starts])
    good = Q(overall_grade__in=GOOD_OR_BETTER)
    return (
        _submitted(audits)
        .filter(submitted_at__gte=_local_midnight(starts[0]))
        .annotate(month_index=month_index)
        .values("month_index")
        .annotate(good=Count("status", filter=good), not_yet=Count("status", filter=~good))
    )


def monthly(rows: Iterable[dict[str, Any]], starts: Sequence[datetime.date]) -> MonthlyFigures:
    """Each month of `starts` with its counts from `by_month_counting`'s rows (none: 0)."""
    counted = {row["month_index"]: (row["good"], row["not_yet"]) for row in rows}
    return MonthlyFigures(
        months=[
            MonthCount(
                month=start,
                good_or_better=counted.get(i, (0, 0))[0],
                not_yet_good=counted.get(i, (0, 0))[1],
            )
            for i, start in enumerate(starts)
        ]
    )


@dataclass(frozen=True)
class AuditFigures:
    grades: GradeDistribution
    by_month: MonthlyFigures

    @property
    def not_shown_by_month(self) -> int:
        """Graded audits outside the months shown (older, or with no submission date)."""
        return self.grades.total - self.by_month.total


def audit_figures(audits: QuerySet[Audit]) -> AuditFigures:
    """Both figures in two queries: the grades counted with the first and last
    submission, then the months."""
    counts = _grade_counts(audits, **SUBMISSION_BOUNDS)
    return AuditFigures(
        grades=distribution(counts), by_month=good_or_better_by_month(audits, bounds=counts)
    )
