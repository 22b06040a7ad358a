"""The figures of adoption panel evaluations: average ratings per question, six-monthly and
annually, with their counts; each a database aggregate.

Periods follow the financial year the annual report covers: April to September and
October to March, and April to March. An evaluation counts in the period of the meeting
whose item it rates.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, F, FloatField, QuerySet, Value, When
from django.db.models import Case as SQLCase
from django.db.models.functions import Cast

from feedback.models import PanelEvaluation, PanelItem, Question

QUESTIONS = list(Question)
# The top of the scale (Rating.EXCELLENT), for the chart's bars.
TOP_OF_SCALE = 4


def one_decimal(value: float | Decimal | None) -> Decimal | None:
    """An average as shown: one decimal place, halves up (3.25 -> 3.3); None for none."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    starts_on: datetime.date
    ends_on: datetime.date


def _financial_year_start(day: datetime.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def year_period(start_year: int) -> Period:
    return Period(
        key=f"{start_year}",
        label=f"April {start_year} to March {start_year + 1}",
        starts_on=datetime.date(start_year, 4, 1),
        ends_on=datetime.date(start_year + 1, 3, 31),
    )


def half_year_period(start_year: int, second: bool) -> Period:
    if second:
        return Period(
            key=f"{start_year}-2",
            label=f"October {start_year} to March {start_year + 1}",
            starts_on=datetime.date(start_year, 10, 1),
            ends_on=datetime.date(start_year + 1, 3, 31),
        )
    return Period(
        key=f"{start_year}-1",
        label=f"April to September {start_year}",
        starts_on=datetime.date(start_year, 4, 1),
        ends_on=datetime.date(start_year, 9, 30),
    )


def years(today: datetime.date, count: int = 2) -> list[Period]:
    """The financial year `today` is in and the `count - 1` before it, newest first."""
    first = _financial_year_start(today)
    return [year_period(first - n) for n in range(count)]


def half_years(today: datetime.date, count: int = 4) -> list[Period]:
    """The half-year `today` is in and the `count - 1` before it, newest first."""
    start_year = _financial_year_start(today)
    second = today.month >= 10 or today.month <= 3
    periods = []
    for _ in range(count):
        periods.append(half_year_period(start_year, second))
        if second:
            second = False
        else:
            start_year, second = start_year - 1, True
    return periods


def period_by_key(key: str) -> Period | None:
    """The period a drill-down link names ("2026" a year, "2026-1" or "2026-2" a half)."""
    year, dash, half = key.partition("-")
    if not (year.isascii() and year.isdigit()) or len(year) != 4:
        return None
    if not dash:
        return year_period(int(year))
    if half not in ("1", "2"):
        return None
    return half_year_period(int(year), half == "2")


@dataclass
class PeriodScores:
    period: Period
    evaluations: int = 0
    items: int = 0
    # Question value -> the average rating (one decimal), None when nothing was rated.
    averages: dict[str, Decimal | None] = field(default_factory=dict)
    overall: Decimal | None = None

    @property
    def rows(self) -> list[tuple[Question, Decimal | None]]:
        return [(q, self.averages.get(q.value)) for q in QUESTIONS]


def period_scores(
    evaluations: QuerySet[PanelEvaluation], periods: list[Period]
) -> list[PeriodScores]:
    """Per period: how many forms, on how many items, and the average rating of each
    question and of all three together; one query for all the periods."""
    if not periods:
        return []
    held = "item__meeting__held_on"
    which = SQLCase(
        *(
            When(**{f"{held}__gte": p.starts_on, f"{held}__lte": p.ends_on}, then=Value(p.key))
            for p in periods
        ),
        default=Value(""),
    )
    first = min(p.starts_on for p in periods)
    last = max(p.ends_on for p in periods)
    # Periods of one kind never overlap, so each form falls in at most one.
    rows = (
        evaluations.filter(**{f"{held}__gte": first, f"{held}__lte": last})
        .annotate(period_key=which)
        .order_by()
        .values("period_key")
        .annotate(
            n=Count("pk"),
            n_items=Count("item", distinct=True),
            overall=Avg(Cast(F("report") + F("presentation") + F("analysis"), FloatField()) / 3.0),
            **{f"avg_{q.value}": Avg(q.value, output_field=FloatField()) for q in QUESTIONS},
        )
    )
    found: dict[str, dict[str, Any]] = {row["period_key"]: dict(row) for row in rows}
    scores = []
    for period in periods:
        row = found.get(period.key)
        if row is None:
            scores.append(PeriodScores(period=period, averages=dict.fromkeys(Question.values)))
            continue
        scores.append(
            PeriodScores(
                period=period,
                evaluations=row["n"],
                items=row["n_items"],
                averages={q.value: one_decimal(row[f"avg_{q.value}"]) for q in QUESTIONS},
                overall=one_decimal(row["overall"]),
            )
        )
    return scores


def chart_rows(scores: list[PeriodScores]) -> list[tuple[str, float, str]]:
    """(label, value, value label) of each period's average over all three questions, for
    `{% bar_chart %}` (max_value TOP_OF_SCALE)."""
    return [
        (
            s.period.label,
            float(s.overall or 0),
            f"{s.overall} out of {TOP_OF_SCALE}" if s.overall is not None else "No evaluations",
        )
        for s in scores
    ]


def item_scores(items: QuerySet[PanelItem]) -> QuerySet[PanelItem]:
    """Items with their number of forms and the average rating of each question."""
    return items.annotate(
        n_evaluations=Count("evaluations"),
        **{
            f"avg_{q.value}": Avg(f"evaluations__{q.value}", output_field=FloatField())
            for q in QUESTIONS
        },
    )
