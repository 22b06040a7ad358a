"""Reads for the regional view: the partner councils' figures side by side, as aggregates.

A regional lead reads the organisations of their region; an adoption agency's senior
leaders and QA service read their "partner board": the councils and trusts of the
agency's region and the agency itself. The view reads the same figures as the board
(governance.figures) for the whole set of organisations at once, a grouped query per
measure whatever their number, and shows them as an LA scorecard for each organisation
and, for each measure, its SPC chart per organisation (small multiples).

No child-level data: nothing here reads a record, only counts grouped by organisation
and month, and nothing links below an organisation. Small numbers are suppressed before
anything reaches a template, by `suppress`: a count below 5 is "<5", and so is a
percentage whose numerator or denominator is below 5 (with the denominator beside it, the
percentage would give the count away). On a chart, a month so suppressed is a gap, left
out of the mean and the limits, and its row in the table says "<5".
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse

from cases.models import Organisation
from cases.querysets import is_superuser, staff_of
from cases.roles import Role
from core.months import add_months, month_start
from governance import board, charts, figures, plan, spc
from governance.models import ProcessChange
from performance import selectors_indicators as indicator_selectors

if TYPE_CHECKING:
    from core.types import AnyUser

SMALL = 5
SUPPRESSED = "<5"
SUPPRESSED_SIGNAL = "Suppressed: fewer than 5 counted"
# The windows the scorecard adds up, in complete months before the current one.
WINDOWS = (6, 12)
PARTNER_BOARD_ROLES = frozenset({Role.QA, Role.SENIOR_LEADER})
COUNT = "count"  # the indicator kind whose value is itself a count


# Suppression: the one place that decides what a small number shows.


@dataclass(frozen=True)
class Shown:
    """A count, or a proportion of two, as the regional view may show it."""

    count: str
    denominator: str
    percent: str
    suppressed: bool

    def __str__(self) -> str:
        if not self.denominator:
            return self.count
        if self.suppressed:
            return SUPPRESSED
        return f"{self.percent} ({self.count} of {self.denominator})"


def _count(n: int) -> str:
    return SUPPRESSED if n < SMALL else f"{n:,}"


def suppress(numerator: int, denominator: int | None = None) -> Shown:
    """`numerator` (a count), or `numerator` of `denominator`, with small numbers held
    back: any count below 5 is "<5", and the percentage is "<5" whenever the numerator or
    the denominator is below 5 (shown beside its denominator, it would give the count
    away). None counted (a denominator of 0) is "<5" too: 0 is a small number."""
    if denominator is None:
        return Shown(_count(numerator), "", "", numerator < SMALL)
    hidden = numerator < SMALL or denominator < SMALL
    percent = SUPPRESSED if hidden else f"{100 * numerator / denominator:.1f}%"
    return Shown(_count(numerator), _count(denominator), percent, hidden)


def hides(numerator: int | None, denominator: int | None, *, kind: str) -> bool:
    """Whether a month's point is suppressed: a proportion or ratio whose numerator or
    denominator is below 5, or a count below 5."""
    if kind == COUNT:
        return (numerator or 0) < SMALL
    return (numerator or 0) < SMALL or (denominator or 0) < SMALL


# Who reads which organisations.


def partner_organisations(user: AnyUser) -> list[Organisation]:
    """The organisations whose figures `user` reads side by side: a regional lead's
    region; for an adoption agency's senior leaders and QA, the councils and trusts of its
    region and the agency itself; nobody else's."""
    organisations = Organisation.objects.order_by("name")
    staff = staff_of(user)
    if staff is None:
        return list(organisations) if is_superuser(user) else []
    own = staff.organisation
    if staff.role == Role.REGIONAL_LEAD:
        return list(organisations.filter(region_id=own.region_id))
    if staff.role in PARTNER_BOARD_ROLES and own.kind == Organisation.Kind.ADOPTION_AGENCY:
        councils = Q(kind__in=[Organisation.Kind.COUNCIL, Organisation.Kind.TRUST])
        return list(organisations.filter(Q(region_id=own.region_id) & councils | Q(pk=own.pk)))
    return []


def anchor(organisation: Organisation) -> str:
    return f"organisation-{organisation.slug}"


def scorecard_url(organisation: Organisation) -> str:
    return f"{reverse('governance:regional')}#{anchor(organisation)}"


def measure_url(measure: board.Measure) -> str:
    return reverse("governance:regional_measure", args=[measure.slug])


# The figures, for every organisation at once.


@dataclass(frozen=True)
class Figures:
    """Each measure's months for each organisation, oldest first."""

    proportions: dict[str, figures.Series]
    indicators: dict[tuple[int, str], list[figures.IndicatorMonth]]


def _figures(
    measures: Sequence[board.Measure],
    *,
    organisation_ids: list[int],
    first: datetime.date,
    last: datetime.date,
    today: datetime.date,
) -> Figures:
    """A grouped query for each proportion and two for all the indicators together."""
    slugs = [m.slug for m in measures if m.is_indicator]
    indicators = (
        figures.indicators_by_month(
            slugs, organisation_ids=organisation_ids, first=first, last=last
        )
        if slugs
        else {}
    )
    proportions = {}
    for measure in measures:
        if measure.source is not None:
            proportions[measure.slug] = figures.proportion_by_month(
                measure.source(organisation_ids, today),
                organisation_ids=organisation_ids,
                first=first,
                last=last,
            )
    return Figures(proportions, indicators)


# The scorecard.


@dataclass(frozen=True)
class IndicatorCell:
    title: str
    value: str
    target: str
    status: str  # "better", "worse", "met" or "" (no target, or the value is suppressed)

    @property
    def status_text(self) -> str:
        return indicator_selectors.STATUS_LABELS[self.status] if self.status else ""

    @property
    def status_colour(self) -> str:
        return indicator_selectors.STATUS_COLOURS[self.status]


@dataclass(frozen=True)
class WindowCell:
    title: str
    windows: tuple[Shown, ...]  # one per WINDOWS


@dataclass(frozen=True)
class Scorecard:
    organisation: Organisation
    anchor: str
    indicators: list[IndicatorCell]
    quality: list[WindowCell]
    # The improvement plan in counts: (label, shown), small numbers suppressed.
    plan: list[tuple[str, Shown]]


PLAN_ROWS = (
    ("open", "Open actions"),
    ("overdue", "Overdue"),
    ("completed", "Completed in the last 12 months"),
    ("impact", "Impact evidenced in the last 12 months"),
)


def latest_complete(today: datetime.date) -> datetime.date:
    return add_months(month_start(today), -1)


def _indicator_cell(measure: board.Measure, month: figures.IndicatorMonth) -> IndicatorCell:
    indicator = indicator_selectors.CATALOGUE[measure.slug]
    target = indicator.format(month.target) if month.target is not None else "None set"
    if month.value is None:
        return IndicatorCell(measure.title, "No data", target, "")
    if hides(month.numerator, month.denominator, kind=indicator.kind):
        return IndicatorCell(measure.title, SUPPRESSED, target, "")
    status = indicator_selectors.status(indicator, month.value, month.target)
    return IndicatorCell(measure.title, indicator.format(month.value), target, status)


def _window(months: list[figures.MonthFigure], size: int) -> Shown:
    counted = months[-size:]
    return suppress(sum(m.numerator for m in counted), sum(m.denominator for m in counted))


def scorecards(*, organisations: Sequence[Organisation], today: datetime.date) -> list[Scorecard]:
    """Each organisation's scorecard: the key indicators in the latest complete month, with
    their target and how they stand against it, and each QA measure added up over the last
    6 and 12 complete months, and their improvement plan in counts. Seven queries whatever
    the number of organisations."""
    ids = [o.pk for o in organisations]
    last = latest_complete(today)
    first = add_months(last, -(max(WINDOWS) - 1))
    measures = list(board.MEASURES.values())
    found = _figures(measures, organisation_ids=ids, first=first, last=last, today=today)
    progress = plan.progress_by_organisation(organisation_ids=ids, today=today)
    cards = []
    for organisation in organisations:
        indicators = [
            _indicator_cell(m, found.indicators[(organisation.pk, m.slug)][-1])
            for m in measures
            if m.is_indicator
        ]
        quality = [
            WindowCell(
                m.title,
                tuple(_window(found.proportions[m.slug][organisation.pk], n) for n in WINDOWS),
            )
            for m in measures
            if not m.is_indicator
        ]
        counts = progress.get(organisation.pk, {})
        plan_rows = [(label, suppress(counts.get(key, 0))) for key, label in PLAN_ROWS]
        cards.append(Scorecard(organisation, anchor(organisation), indicators, quality, plan_rows))
    return cards


# A measure's small multiples: its chart for each organisation.


@dataclass(frozen=True)
class OrganisationChart:
    organisation: Organisation
    scorecard_url: str
    figure: charts.Figure
    suppressed: int  # how many months are held back

    @property
    def chart(self) -> spc.Chart:
        return self.figure.chart


def _observation(
    period: datetime.date,
    value: float | None,
    numerator: int | None,
    denominator: int | None,
    *,
    target: float | None,
    current: datetime.date,
    hidden: bool,
) -> spc.Observation:
    if hidden:
        value, numerator, denominator = None, None, None
    return spc.Observation(
        period=period,
        value=value,
        numerator=numerator,
        denominator=denominator,
        target=target,
        incomplete=period == current,
    )


def observations_of(
    measure: board.Measure, found: Figures, organisation_id: int, today: datetime.date
) -> tuple[list[spc.Observation], set[datetime.date]]:
    """The organisation's observations of `measure`, suppressed months emptied, and which
    months those are."""
    current = month_start(today)
    hidden: set[datetime.date] = set()
    observations = []
    if measure.is_indicator:
        kind = indicator_selectors.CATALOGUE[measure.slug].kind
        for m in found.indicators[(organisation_id, measure.slug)]:
            hide = m.value is not None and hides(m.numerator, m.denominator, kind=kind)
            if hide:
                hidden.add(m.month)
            observations.append(
                _observation(
                    m.month,
                    m.value,
                    m.numerator,
                    m.denominator,
                    target=m.target,
                    current=current,
                    hidden=hide,
                )
            )
        return observations, hidden
    for p in found.proportions[measure.slug][organisation_id]:
        hide = hides(p.numerator, p.denominator, kind="proportion")
        if hide:
            hidden.add(p.month)
        observations.append(
            _observation(
                p.month,
                p.proportion,
                p.numerator,
                p.denominator,
                target=None,
                current=current,
                hidden=hide,
            )
        )
    return observations, hidden


def suppressed_figure(figure: charts.Figure, hidden: set[datetime.date]) -> charts.Figure:
    """The chart's table with each suppressed month saying "<5" (the chart has no point
    for it: its value was emptied before the chart was drawn)."""
    rows = tuple(
        dataclasses.replace(row, value=SUPPRESSED, signal=SUPPRESSED_SIGNAL)
        if point.period in hidden
        else row
        for row, point in zip(figure.rows, figure.chart.points, strict=True)
    )
    return dataclasses.replace(figure, rows=rows)


def _changes(organisation_ids: list[int], slug: str) -> dict[int, list[datetime.date]]:
    """Each organisation's process changes of the measure, in one query."""
    found: dict[int, list[datetime.date]] = {pk: [] for pk in organisation_ids}
    rows = ProcessChange.objects.filter(organisation_id__in=organisation_ids, measure=slug)
    for org, day in rows.order_by("changed_on").values_list("organisation_id", "changed_on"):
        found[org].append(day)
    return found


def small_multiples(
    measure: board.Measure,
    *,
    organisations: Sequence[Organisation],
    today: datetime.date,
    months: int,
) -> list[OrganisationChart]:
    """The measure's SPC chart for each organisation, the same months side by side: two
    or three queries whatever the number of organisations."""
    ids = [o.pk for o in organisations]
    first, last = board.month_range(today, months)
    found = _figures([measure], organisation_ids=ids, first=first, last=last, today=today)
    changes = _changes(ids, measure.slug)
    build = spc.p_chart if measure.chart_kind == "p" else spc.xmr_chart
    value_format = (
        None
        if measure.chart_kind == "p"
        else _indicator_format(indicator_selectors.CATALOGUE[measure.slug])
    )
    result = []
    for organisation in organisations:
        observations, hidden = observations_of(measure, found, organisation.pk, today)
        chart = build(
            observations,
            direction=measure.direction,
            recalculate_from=changes[organisation.pk],
        )
        figure = charts.spc_figure(
            chart,
            title=f"{measure.title}: {organisation.name}",
            description=measure.description,
            value_format=value_format,
        )
        result.append(
            OrganisationChart(
                organisation,
                scorecard_url(organisation),
                suppressed_figure(figure, hidden),
                len(hidden),
            )
        )
    return result


def _indicator_format(indicator: indicator_selectors.Indicator) -> Callable[[float], str]:
    def fmt(value: float) -> str:
        return indicator.format(value)

    return fmt
