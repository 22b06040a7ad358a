"""The monthly series the board reads: database aggregates, one grouped query each.

Every figure takes a set of organisations (the board reads one; the regional view reads
the partner councils side by side), optionally one service or team, and a range of
months, and gives each organisation's numerator and denominator month by month, months
with nothing in them as 0 of 0. Which records count, and in which month:

- audit grades: graded audits by month of submission (London time), good or better of all;
- observation grades: submitted or moderated observations by the month observed;
- moderation agreement: moderated audits by month of moderation, those whose moderator
  gave the auditor's grade of all;
- rota compliance: slots due in the month (not skipped), done of all due;
- indicators: the organisation-, service- or team-level values the nightly recompute
  stored, with each month's target.

Whether a month is complete is for the reader (governance.board): the figures only count.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from audits import selectors as audit_selectors
from core import prepared
from core.expressions import BoundaryIndex
from core.months import add_months
from observations import selectors as observation_selectors
from performance import selectors_indicators as indicator_selectors
from rota import selectors as rota_selectors


@dataclass(frozen=True)
class MonthFigure:
    """One organisation's (or unit's) figure for one month."""

    month: datetime.date
    numerator: int
    denominator: int

    @property
    def proportion(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


# Each organisation's months, oldest first, every month of the range present.
Series = dict[int, list[MonthFigure]]


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def _boundary(month: datetime.date, *, is_datetime: bool) -> datetime.date | datetime.datetime:
    if is_datetime:
        return timezone.make_aware(datetime.datetime.combine(month, datetime.time()))
    return month


@dataclass(frozen=True)
class Source:
    """What one proportion counts: the rows, the field that dates them (a date or a
    datetime), the condition for the numerator and the paths to each row's service and
    team (expressions, where a row may reach them two ways)."""

    rows: QuerySet[Any]
    when: str
    is_datetime: bool
    numerator: Q
    service: Any
    team: Any


def _unit_filter(source: Source, service_id: int | None, team_id: int | None) -> QuerySet[Any]:
    rows = source.rows
    if team_id is not None:
        return rows.alias(unit_team=source.team).filter(unit_team=team_id)
    if service_id is not None:
        return rows.alias(unit_service=source.service).filter(unit_service=service_id)
    return rows


def _in_range(source: Source, rows: QuerySet[Any], months: list[datetime.date]) -> QuerySet[Any]:
    start = _boundary(months[0], is_datetime=source.is_datetime)
    end = _boundary(add_months(months[-1], 1), is_datetime=source.is_datetime)
    return rows.filter(**{f"{source.when}__gte": start, f"{source.when}__lt": end})


def _month_index(source: Source, months: list[datetime.date]) -> BoundaryIndex:
    # The latest month boundary each row is past, compared with boundaries worked out
    # here (no date function on every row: SQLite runs those in Python).
    return BoundaryIndex(
        source.when, [_boundary(month, is_datetime=source.is_datetime) for month in months]
    )


def proportion_by_month(
    source: Source,
    *,
    organisation_ids: Sequence[int],
    first: datetime.date,
    last: datetime.date,
    service_id: int | None = None,
    team_id: int | None = None,
) -> Series:
    """Each organisation's numerator and denominator by month, in one grouped query."""
    months = months_between(first, last)
    rows = (
        grouped_by_month(source, first=first, last=last, service_id=service_id, team_id=team_id)
        if months
        else []
    )
    return series_of(rows, organisation_ids=organisation_ids, first=first, last=last)


def grouped_by_month(
    source: Source,
    *,
    first: datetime.date,
    last: datetime.date,
    service_id: int | None = None,
    team_id: int | None = None,
) -> QuerySet[Any, dict[str, Any]]:
    """`proportion_by_month`'s one grouped query (a range of at least one month): a row
    for each organisation and month with anything counted."""
    months = months_between(first, last)
    rows = _in_range(source, _unit_filter(source, service_id, team_id), months)
    return (
        rows.annotate(month_index=_month_index(source, months))
        .values("organisation_id", "month_index")
        .annotate(n=Count("pk", filter=source.numerator), d=Count("pk"))
        .order_by()
    )


def series_of(
    rows: Iterable[dict[str, Any]],
    *,
    organisation_ids: Sequence[int],
    first: datetime.date,
    last: datetime.date,
) -> Series:
    """Each organisation's months from `grouped_by_month`'s rows, every month present."""
    counted = {(r["organisation_id"], r["month_index"]): (r["n"], r["d"]) for r in rows}
    months = months_between(first, last)
    return {
        org: [MonthFigure(month, *counted.get((org, i), (0, 0))) for i, month in enumerate(months)]
        for org in organisation_ids
    }


def proportion_by_service_month(
    source: Source, *, organisation_id: int, first: datetime.date, last: datetime.date
) -> dict[int | None, list[MonthFigure]]:
    """Each service's numerator and denominator by month within one organisation, in one
    grouped query (not one per service); a service with nothing counted is left out, and
    None holds the rows with no service. Together they are the organisation's
    (`sum_of`)."""
    months = months_between(first, last)
    if not months:
        return {}
    rows = _in_range(source, source.rows.filter(organisation_id=organisation_id), months)
    grouped = (
        rows.annotate(unit_service=source.service, month_index=_month_index(source, months))
        .values("unit_service", "month_index")
        .annotate(n=Count("pk", filter=source.numerator), d=Count("pk"))
        .order_by()
    )
    counted: dict[int | None, dict[int, tuple[int, int]]] = {}
    for r in grouped:
        counted.setdefault(r["unit_service"], {})[r["month_index"]] = (r["n"], r["d"])
    return {
        service: [MonthFigure(month, *by_month.get(i, (0, 0))) for i, month in enumerate(months)]
        for service, by_month in counted.items()
    }


def sum_of(
    series: Iterable[list[MonthFigure]], first: datetime.date, last: datetime.date
) -> list[MonthFigure]:
    """Month by month, the numerators and denominators of several units' series added up."""
    months = months_between(first, last)
    totals = [[0, 0] for _ in months]
    for unit in series:
        for total, figure in zip(totals, unit, strict=True):
            total[0] += figure.numerator
            total[1] += figure.denominator
    return [MonthFigure(month, n, d) for month, (n, d) in zip(months, totals, strict=True)]


def proportion_by_unit(
    source: Source, *, organisation_id: int, month: datetime.date, service_id: int | None = None
) -> dict[int | None, MonthFigure]:
    """One month's figure split by service (or, within `service_id`, by team), in one
    grouped query; None holds the rows with no service or team."""
    rows = _in_range(source, _unit_filter(source, service_id, None), [month]).filter(
        organisation_id=organisation_id
    )
    unit = source.team if service_id is not None else source.service
    grouped = (
        rows.annotate(unit_id=unit)
        .values("unit_id")
        .annotate(n=Count("pk", filter=source.numerator), d=Count("pk"))
        .order_by()
    )
    return {r["unit_id"]: MonthFigure(month, r["n"], r["d"]) for r in grouped}


def records_of(
    source: Source,
    *,
    organisation_id: int,
    month: datetime.date,
    service_id: int | None = None,
    team_id: int | None = None,
) -> QuerySet[Any]:
    """The rows behind one month's figure for a unit (before the reader's scoping)."""
    rows = _unit_filter(source, service_id, team_id).filter(organisation_id=organisation_id)
    return _in_range(source, rows, [month])


# The sources.


def audit_grades(organisation_ids: Sequence[int]) -> Source:
    return Source(
        rows=audit_selectors.graded_audits_of(organisation_ids=organisation_ids),
        when="submitted_at",
        is_datetime=True,
        numerator=Q(overall_grade__in=audit_selectors.GOOD_OR_BETTER),
        # The service and team kept on the audit when it was submitted (Audit.team).
        service=F("service_id"),
        team=F("team_id"),
    )


def observation_grades(organisation_ids: Sequence[int]) -> Source:
    return Source(
        rows=observation_selectors.finished_observations_of(
            organisation_ids=list(organisation_ids)
        ),
        when="observed_on",
        is_datetime=False,
        numerator=Q(grade__in=audit_selectors.GOOD_OR_BETTER),
        # An observation is of a practitioner's practice: it counts for their team.
        service=F("practitioner__team__service_id"),
        team=F("practitioner__team_id"),
    )


def moderation_agreement(organisation_ids: Sequence[int]) -> Source:
    return Source(
        rows=audit_selectors.moderated_audits_of(organisation_ids=organisation_ids),
        when="moderated_at",
        is_datetime=True,
        numerator=Q(moderated_grade=F("overall_grade")),
        service=F("service_id"),
        team=F("team_id"),
    )


def rota_compliance(organisation_ids: Sequence[int], *, today: datetime.date) -> Source:
    return Source(
        rows=rota_selectors.slots_due_of(organisation_ids=list(organisation_ids)),
        when="month",
        is_datetime=False,
        numerator=rota_selectors.slot_done(today),
        service=F("manager__service_id"),
        team=F("manager__team_id"),
    )


# Indicators.


@dataclass(frozen=True)
class IndicatorMonth:
    month: datetime.date
    numerator: int
    denominator: int | None
    value: float | None
    target: float | None


def target_on(targets: list[tuple[datetime.date, float]], month: datetime.date) -> float | None:
    """The target in force in `month`: the latest starting on or before it."""
    value = None
    for starts_on, target in targets:
        if starts_on <= month:
            value = target
    return value


def indicators_by_month(
    slugs: Sequence[str],
    *,
    organisation_ids: Sequence[int],
    first: datetime.date,
    last: datetime.date,
    service_id: int | None = None,
    team_id: int | None = None,
) -> dict[tuple[int, str], list[IndicatorMonth]]:
    """Each organisation's stored values of each indicator by month, with the month's
    target, in two queries whatever the number of indicators; a month with no value has
    none (a count: 0)."""
    months = months_between(first, last)
    ids, wanted = list(organisation_ids), list(slugs)
    rows = prepared.rows(
        _indicator_rows, None, tuple(wanted), tuple(ids), first, last, service_id, team_id
    )
    found = {(r[0], r[1], r[2]): r for r in rows}
    targets = indicator_selectors.targets_of(organisation_ids=ids, slugs=wanted)
    series: dict[tuple[int, str], list[IndicatorMonth]] = {}
    for org in ids:
        for slug in wanted:
            empty = 0.0 if indicator_selectors.CATALOGUE[slug].kind == "count" else None
            in_force = targets.get((org, slug), [])
            points = []
            for month in months:
                row = found.get((org, slug, month))
                target = target_on(in_force, month)
                if row is None:
                    points.append(IndicatorMonth(month, 0, None, empty, target))
                else:
                    points.append(IndicatorMonth(month, row[3], row[4], row[5], target))
            series[(org, slug)] = points
    return series


def _indicator_rows(
    user: None,
    slugs: tuple[str, ...],
    organisation_ids: tuple[int, ...],
    first: datetime.date,
    last: datetime.date,
    service_id: int | None,
    team_id: int | None,
) -> QuerySet[Any, tuple[Any, ...]]:
    """`indicators_by_month`'s values: the same for every reader (the caller has checked
    who may see them), so compiled once for all (`core.prepared`)."""
    return indicator_selectors.indicator_values_of(
        list(slugs),
        organisation_ids=list(organisation_ids),
        first=first,
        last=last,
        service_id=service_id,
        team_id=team_id,
    ).values_list("organisation_id", "indicator", "month", "numerator", "denominator", "value")
