"""Reading indicator values, targets and benchmarks for the pages.

Each function runs a fixed number of queries whatever the number of values: pages call
them once and look figures up in what they return.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet

from cases.models import Organisation, Service, Team
from cases.querysets import staff_of
from core.months import add_months, month_start
from performance.indicators import CATALOGUE, KPQ_TITLES, Indicator, Oba, by_kpq
from performance.indicators import Polarity as Polarity
from performance.models import (
    AlertRule,
    Benchmark,
    FocusedAuditProposal,
    IndicatorFact,
    IndicatorValue,
    KpqNarrative,
    Target,
)

if TYPE_CHECKING:
    from core.types import AnyUser

Level = IndicatorValue.Level


@dataclass(frozen=True)
class Point:
    month: datetime.date
    numerator: int
    denominator: int | None
    value: float | None
    target: float | None
    status: str  # "better", "worse", "met" or "" (no target or no value)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


STATUS_LABELS = {
    "better": "Better than target",
    "met": "On target",
    "worse": "Worse than target",
    "": "No target",
}
STATUS_COLOURS = {"better": "green", "met": "green", "worse": "red", "": "grey"}


def organisation_for(user: AnyUser) -> Organisation | None:
    """The organisation whose figures `user` reads: their own (None without one)."""
    staff = staff_of(user)
    return None if staff is None else staff.organisation


def last_complete_month(today: datetime.date) -> datetime.date:
    return add_months(month_start(today), -1)


class Targets:
    """An organisation's targets, read once: the target for an indicator in a month is
    the latest one starting on or before it."""

    def __init__(
        self, organisation: Organisation, slugs: list[str] | None = None, *, user: AnyUser
    ) -> None:
        rows = Target.objects.visible_to(user).filter(organisation=organisation)
        rows = rows.order_by("starts_on")
        if slugs is not None:
            rows = rows.filter(indicator__in=slugs)
        self.by_indicator: dict[str, list[Target]] = defaultdict(list)
        for target in rows:
            self.by_indicator[target.indicator].append(target)

    def on(self, slug: str, month: datetime.date) -> float | None:
        value = None
        for target in self.by_indicator.get(slug, []):
            if target.starts_on <= month:
                value = target.value
        return value


def status(indicator: Indicator, value: float | None, target: float | None) -> str:
    if value is None or target is None:
        return ""
    if indicator.worse(value, target):
        return "worse"
    if indicator.worse(target, value):
        return "better"
    return "met" if value == target or indicator.polarity != "neither" else ""


def series(
    indicator: Indicator,
    organisation: Organisation,
    *,
    last: datetime.date,
    user: AnyUser,
    months: int = 24,
    service: Service | None = None,
    team: Team | None = None,
    targets: Targets | None = None,
) -> list[Point]:
    """The indicator month by month at one level, oldest first, with its targets."""
    first = add_months(last, -(months - 1))
    rows = IndicatorValue.objects.visible_to(user).filter(
        organisation=organisation, indicator=indicator.slug, month__gte=first, month__lte=last
    )
    if team is not None:
        rows = rows.filter(level=Level.TEAM, team=team)
    elif service is not None:
        rows = rows.filter(level=Level.SERVICE, service=service)
    else:
        rows = rows.filter(level=Level.ORGANISATION)
    found = {row.month: row for row in rows}
    targets = targets or Targets(organisation, [indicator.slug], user=user)
    points, month = [], first
    while month <= last:
        row = found.get(month)
        value = row.value if row else (0.0 if indicator.kind == "count" else None)
        target = targets.on(indicator.slug, month)
        points.append(
            Point(
                month=month,
                numerator=row.numerator if row else 0,
                denominator=row.denominator if row else None,
                value=value,
                target=target,
                status=status(indicator, value, target),
            )
        )
        month = add_months(month, 1)
    return points


def latest_by_indicator(
    organisation: Organisation, month: datetime.date, *, user: AnyUser
) -> dict[str, tuple[IndicatorValue | None, IndicatorValue | None]]:
    """Each indicator's organisation value in `month` and the month before."""
    before = add_months(month, -1)
    rows = IndicatorValue.objects.visible_to(user).filter(
        organisation=organisation, level=Level.ORGANISATION, month__in=[before, month]
    )
    found = {(row.indicator, row.month): row for row in rows}
    return {slug: (found.get((slug, month)), found.get((slug, before))) for slug in CATALOGUE}


def breakdown(
    indicator: Indicator,
    organisation: Organisation,
    month: datetime.date,
    service: Service | None = None,
    *,
    user: AnyUser,
) -> list[IndicatorValue]:
    """The month's values one level down: services of the organisation, or the teams of
    `service`."""
    rows = IndicatorValue.objects.visible_to(user).filter(
        organisation=organisation, indicator=indicator.slug, month=month
    )
    if service is None:
        rows = rows.filter(level=Level.SERVICE).select_related("service")
        return sorted(rows, key=attrgetter("service.name"))
    rows = rows.filter(level=Level.TEAM, service=service).select_related("team")
    return sorted(rows, key=attrgetter("team.name"))


def benchmarks(organisation: Organisation, slug: str, *, user: AnyUser) -> list[Benchmark]:
    """The latest benchmark of each kind for the indicator."""
    latest: dict[str, Benchmark] = {}
    rows = Benchmark.objects.visible_to(user).filter(organisation=organisation, indicator=slug)
    for row in rows.order_by("period"):
        latest[row.kind] = row
    return sorted(latest.values(), key=lambda row: list(Benchmark.Kind.values).index(row.kind))


@dataclass(frozen=True)
class Records:
    """The stored facts behind one value that `user` may see, counted first then by case
    (`facts`, a queryset for the page), how many there are and how many of them are
    counted, and how many others there are, about cases the user cannot open."""

    facts: QuerySet[IndicatorFact]
    total: int
    counted: int
    hidden: int


def records(
    user: AnyUser,
    indicator: Indicator,
    organisation: Organisation,
    month: datetime.date,
    service: Service | None = None,
    team: Team | None = None,
) -> Records | None:
    """The facts behind one value, as stored by the nightly recompute with the value; None
    when the values for `month` have not been worked out yet. A team's facts are all its
    cases', whichever service they sit in."""
    computed = IndicatorValue.objects.visible_to(user).filter(
        organisation=organisation, indicator=indicator.slug, level=Level.ORGANISATION, month=month
    )
    if not computed.exists():
        return None
    unit = IndicatorFact.objects.filter(
        organisation=organisation, indicator=indicator.slug, month=month
    )
    if team is not None:
        unit = unit.filter(team=team)
    elif service is not None:
        unit = unit.filter(service=service)
    visible = unit.visible_to(user)
    counts = visible.aggregate(total=Count("pk"), counted=Count("pk", filter=Q(counted=True)))
    return Records(
        facts=visible.select_related(
            "case__child", "case__adopter", "case__team", "case__allocated_worker__user"
        ),
        total=counts["total"],
        counted=counts["counted"],
        hidden=unit.count() - counts["total"],
    )


# The overview: each indicator's latest value at a glance.

# The benchmark an indicator is compared with at a glance: the first kind held, in this
# order; the indicator's page shows every kind.
HEADLINE_BENCHMARKS = tuple(Benchmark.Kind.values)
ARROWS = {"up": "\u2191", "down": "\u2193", "same": "\u2192", "": ""}
BENCHMARK_LABELS = {
    "better": "Better",
    "met": "Same",
    "worse": "Worse",
    "": "",
}


def headline_benchmarks(organisation: Organisation, *, user: AnyUser) -> dict[str, Benchmark]:
    """Each indicator's headline benchmark (the latest period of the first kind held),
    read in one query."""
    latest: dict[tuple[str, str], Benchmark] = {}
    rows = Benchmark.objects.visible_to(user).filter(organisation=organisation)
    for row in rows.order_by("period", "pk"):
        latest[(row.indicator, row.kind)] = row
    headline: dict[str, Benchmark] = {}
    for (slug, _), row in sorted(latest.items(), key=lambda item: _kind_rank(item[0][1])):
        headline.setdefault(slug, row)
    return headline


def _kind_rank(kind: str) -> int:
    return (
        HEADLINE_BENCHMARKS.index(kind) if kind in HEADLINE_BENCHMARKS else len(HEADLINE_BENCHMARKS)
    )


def direction(
    indicator: Indicator, value: float | None, before: float | None
) -> tuple[str, str, str]:
    """How the value moved on the month before: (arrow, judgement, words). The arrow is
    "up", "down", "same" or "" (not known); the judgement "better", "worse" or "" (no
    change, or an indicator with no better direction)."""
    if value is None or before is None:
        return "", "", "Not known"
    if value == before:
        return "same", "", "No change"
    arrow = "up" if value > before else "down"
    if indicator.worse(value, before):
        return arrow, "worse", f"{arrow.capitalize()}, worse"
    if indicator.worse(before, value):
        return arrow, "better", f"{arrow.capitalize()}, better"
    return arrow, "", arrow.capitalize()


@dataclass(frozen=True)
class Glance:
    """One indicator at a glance: its value in the month, how it moved, and how it stands
    against its target and its headline benchmark."""

    indicator: Indicator
    value: str
    arrow: str
    direction: str
    direction_label: str
    target: str
    target_status: str
    benchmark: Benchmark | None
    benchmark_value: str
    benchmark_status: str

    @property
    def arrow_symbol(self) -> str:
        return ARROWS[self.arrow]

    @property
    def target_label(self) -> str:
        return {"better": "Better", "met": "On target", "worse": "Worse"}.get(
            self.target_status, ""
        )

    @property
    def target_colour(self) -> str:
        return STATUS_COLOURS[self.target_status]

    @property
    def benchmark_label(self) -> str:
        return BENCHMARK_LABELS[self.benchmark_status]

    @property
    def benchmark_colour(self) -> str:
        return STATUS_COLOURS[self.benchmark_status]


def _glance(
    indicator: Indicator,
    latest: tuple[IndicatorValue | None, IndicatorValue | None],
    target: float | None,
    benchmark: Benchmark | None,
) -> Glance:
    now, before = latest
    value = now.value if now else None
    arrow, judgement, words = direction(indicator, value, before.value if before else None)
    return Glance(
        indicator=indicator,
        value=indicator.format(value),
        arrow=arrow,
        direction=judgement,
        direction_label=words,
        target=indicator.format(target) if target is not None else "",
        target_status=status(indicator, value, target),
        benchmark=benchmark,
        benchmark_value=indicator.format(benchmark.value) if benchmark else "",
        benchmark_status=status(indicator, value, benchmark.value) if benchmark else "",
    )


def overview(
    organisation: Organisation, month: datetime.date, *, user: AnyUser, oba: str = ""
) -> list[dict[str, object]]:
    """Every indicator at a glance, grouped by Key Performance Question, from the stored
    values: three queries whatever the number of indicators."""
    latest = latest_by_indicator(organisation, month, user=user)
    targets = Targets(organisation, user=user)
    benchmarks = headline_benchmarks(organisation, user=user)
    groups = []
    for kpq, indicators in by_kpq().items():
        rows = [
            _glance(
                indicator,
                latest[indicator.slug],
                targets.on(indicator.slug, month),
                benchmarks.get(indicator.slug),
            )
            for indicator in indicators
            if oba not in Oba.LABELS or indicator.oba == oba
        ]
        if rows:
            groups.append({"kpq": kpq, "title": KPQ_TITLES[kpq], "rows": rows})
    return groups


def overview_counts(groups: list[dict[str, object]]) -> dict[str, int]:
    """How many indicators stand where against their targets, for the overview's summary."""
    rows = [row for group in groups for row in group["rows"]]  # type: ignore[attr-defined]
    return {
        "indicators": len(rows),
        "on_target": sum(1 for row in rows if row.target_status in ("better", "met")),
        "off_target": sum(1 for row in rows if row.target_status == "worse"),
        "with_target": sum(1 for row in rows if row.target),
        "worse_than_benchmark": sum(1 for row in rows if row.benchmark_status == "worse"),
        "with_benchmark": sum(1 for row in rows if row.benchmark),
    }


# The organisation's units, and what the reference pages list.


def team_of(organisation: Organisation, team_id: int, *, user: AnyUser) -> Team | None:
    """The organisation's team `team_id`, with its service; None if it has none such."""
    teams = Team.objects.visible_to(user).select_related("service")
    return teams.filter(pk=team_id, organisation=organisation).first()


def service_of(organisation: Organisation, service_id: int, *, user: AnyUser) -> Service | None:
    """The organisation's service `service_id`; None if it has none such."""
    services = Service.objects.visible_to(user)
    return services.filter(pk=service_id, organisation=organisation).first()


def narrative(
    organisation: Organisation, kpq: int, month: datetime.date, *, user: AnyUser
) -> KpqNarrative | None:
    """The analyst's narrative on a Key Performance Question for a month, if written."""
    rows = KpqNarrative.objects.visible_to(user)
    return rows.filter(organisation=organisation, kpq=kpq, month=month).first()


def target_list(organisation: Organisation, *, user: AnyUser) -> QuerySet[Target]:
    rows = Target.objects.visible_to(user).filter(organisation=organisation)
    return rows.select_related("set_by__user")


def benchmark_list(organisation: Organisation, *, user: AnyUser) -> QuerySet[Benchmark]:
    return Benchmark.objects.visible_to(user).filter(organisation=organisation)


def alert_rules(organisation: Organisation, *, user: AnyUser) -> QuerySet[AlertRule]:
    """The organisation's rules (the view looks one up, or 404s)."""
    return AlertRule.objects.visible_to(user).filter(organisation=organisation)


def active_alert_rules(organisation: Organisation, *, user: AnyUser) -> QuerySet[AlertRule]:
    return alert_rules(organisation, user=user).filter(active=True)


def proposals(organisation: Organisation, *, user: AnyUser) -> QuerySet[FocusedAuditProposal]:
    """The organisation's focused-audit proposals, newest first (the view looks one up,
    or 404s)."""
    return FocusedAuditProposal.objects.visible_to(user).filter(organisation=organisation)


# The board (governance): values, targets and the cases behind a value, across a set of
# organisations, for a caller that scopes by organisation itself.


def indicator_values_of(
    slugs: list[str],
    *,
    organisation_ids: list[int],
    first: datetime.date,
    last: datetime.date,
    service_id: int | None = None,
    team_id: int | None = None,
) -> QuerySet[IndicatorValue]:
    """Indicators' values for the months `first` to `last` at one level: each
    organisation's, or one service's or team's."""
    rows = IndicatorValue.objects.filter(
        organisation_id__in=organisation_ids, indicator__in=slugs, month__gte=first, month__lte=last
    )
    if team_id is not None:
        return rows.filter(level=Level.TEAM, team_id=team_id)
    if service_id is not None:
        return rows.filter(level=Level.SERVICE, service_id=service_id)
    return rows.filter(level=Level.ORGANISATION)


def indicator_breakdown_of(
    slug: str, *, organisation_id: int, month: datetime.date, service_id: int | None = None
) -> QuerySet[IndicatorValue]:
    """The month's values one level down: each service, or each team of `service_id`."""
    rows = IndicatorValue.objects.filter(
        organisation_id=organisation_id, indicator=slug, month=month
    )
    if service_id is None:
        return rows.filter(level=Level.SERVICE)
    return rows.filter(level=Level.TEAM, service_id=service_id)


def targets_of(
    *, organisation_ids: list[int], slugs: list[str]
) -> dict[tuple[int, str], list[tuple[datetime.date, float]]]:
    """Each organisation's targets for each indicator as (starts on, value), oldest first:
    the target in a month is the latest one starting on or before it."""
    found: dict[tuple[int, str], list[tuple[datetime.date, float]]] = defaultdict(list)
    rows = Target.objects.filter(organisation_id__in=organisation_ids, indicator__in=slugs)
    for row in rows.order_by("starts_on", "pk").values_list(
        "organisation_id", "indicator", "starts_on", "value"
    ):
        found[(row[0], row[1])].append((row[2], row[3]))
    return dict(found)


def fact_case_ids(
    slug: str,
    *,
    organisation_id: int,
    month: datetime.date,
    service_id: int | None = None,
    team_id: int | None = None,
) -> QuerySet[IndicatorFact, Any]:
    """The ids of the cases behind one value (a values queryset, for a subquery): the
    facts the nightly recompute stored for the month and unit."""
    facts = IndicatorFact.objects.filter(
        organisation_id=organisation_id, indicator=slug, month=month
    )
    if team_id is not None:
        facts = facts.filter(team_id=team_id)
    elif service_id is not None:
        facts = facts.filter(service_id=service_id)
    return facts.order_by().values("case_id").distinct()
