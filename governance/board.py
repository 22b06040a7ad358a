"""Reads for the board dashboard: each measure as an SPC chart, its drill-down by service,
team and the records behind it, and triangulation of an indicator with the audits.

The board reads the figures of the reader's own organisation (`board_organisation`);
the records behind a figure come from each app's `visible_to(user)`, so a reader sees
only what they may. The current month is still running: its point is marked incomplete
and left out of the limits (governance.spc).
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.urls import get_script_prefix, reverse
from django.utils.formats import date_format
from django.utils.translation import get_language

from audits import selectors as audit_selectors
from cases.models import Case, Organisation, Service, Team
from cases.querysets import staff_of
from core import prepared
from core.figures import percent
from core.kept import Kept, key_of
from core.months import add_months, month_start
from feedback import selectors as feedback_selectors
from governance import figures, spc
from governance.board_settings import process_changes_by_measure, process_changes_for
from observations import selectors as observation_selectors
from performance import selectors_indicators as indicator_selectors
from rota import selectors as rota_selectors
from themes import selectors as theme_selectors

if TYPE_CHECKING:
    from core.types import AnyUser

RANGES = (12, 24, 36)
DEFAULT_RANGE = 24

# The performance indicators the board shows by default: timeliness, quality and
# workload, one from each part of the child's journey.
KEY_INDICATORS = (
    "visits-in-timescale",
    "assessments-45-days",
    "cp-plans-second-time",
    "unallocated-cases",
    "average-caseload",
    "supervision-in-timescale",
)
DIRECTIONS = {
    indicator_selectors.Polarity.HIGHER: spc.Direction.HIGHER_IS_BETTER,
    indicator_selectors.Polarity.LOWER: spc.Direction.LOWER_IS_BETTER,
    indicator_selectors.Polarity.NEITHER: spc.Direction.NEITHER,
}

AUDITS, OBSERVATIONS, MODERATION, ROTA, INDICATOR = (
    "audits",
    "observations",
    "moderation",
    "rota",
    "indicator",
)


@dataclass(frozen=True)
class Measure:
    slug: str
    title: str
    description: str
    records: str  # AUDITS, OBSERVATIONS, MODERATION, ROTA or INDICATOR
    direction: spc.Direction
    source: Callable[[Sequence[int], datetime.date], figures.Source] | None = None

    @property
    def is_indicator(self) -> bool:
        return self.records == INDICATOR

    @property
    def chart_kind(self) -> str:
        """p-charts for the proportions the board counts, XmR for indicator values."""
        return "xmr" if self.is_indicator else "p"

    @property
    def url(self) -> str:
        return reverse("governance:board_measure", args=[self.slug])

    def month_url(self, month: datetime.date, query: str = "") -> str:
        # One reverse() per measure, not one per point: a board page links ~170 months.
        url = _month_url_pattern(self.slug, get_script_prefix()).replace(
            _MONTH_SLOT, f"{month:%Y-%m}"
        )
        return f"{url}?{query}" if query else url


_MONTH_SLOT = "0000-00"


@functools.lru_cache(maxsize=64)
def _month_url_pattern(slug: str, prefix: str) -> str:
    return reverse("governance:board_month", args=[slug, _MONTH_SLOT])


QA_MEASURES = (
    Measure(
        "audit-grades",
        "Audits graded good or better",
        "Of the audits submitted in the month, how many the auditor graded good or outstanding.",
        AUDITS,
        spc.Direction.HIGHER_IS_BETTER,
        lambda ids, today: figures.audit_grades(ids),
    ),
    Measure(
        "observation-grades",
        "Observations graded good or better",
        "Of the practice observations made in the month, how many were graded good or outstanding.",
        OBSERVATIONS,
        spc.Direction.HIGHER_IS_BETTER,
        lambda ids, today: figures.observation_grades(ids),
    ),
    Measure(
        "moderation-agreement",
        "Moderation agreement",
        "Of the audits moderated in the month, how many the moderator gave the auditor's grade.",
        MODERATION,
        spc.Direction.HIGHER_IS_BETTER,
        lambda ids, today: figures.moderation_agreement(ids),
    ),
    Measure(
        "rota-compliance",
        "Rota compliance",
        "Of the rota's audits and observations due in the month, how many are done.",
        ROTA,
        spc.Direction.HIGHER_IS_BETTER,
        lambda ids, today: figures.rota_compliance(ids, today=today),
    ),
)


def _indicator_measure(slug: str) -> Measure:
    indicator = indicator_selectors.CATALOGUE[slug]
    return Measure(
        slug,
        indicator.name,
        indicator.definition,
        INDICATOR,
        DIRECTIONS.get(indicator.polarity, spc.Direction.NEITHER),
    )


MEASURES: dict[str, Measure] = {
    **{m.slug: m for m in QA_MEASURES},
    **{slug: _indicator_measure(slug) for slug in KEY_INDICATORS},
}


def measure_of(slug: str) -> Measure | None:
    """A measure of the board: a QA measure, or any indicator of the catalogue (the key
    ones are on the board's own page; the rest open from a theme or a link)."""
    if slug in MEASURES:
        return MEASURES[slug]
    if slug in indicator_selectors.CATALOGUE:
        return _indicator_measure(slug)
    return None


def board_organisation(user: AnyUser) -> Organisation | None:
    """The organisation whose board the user reads: their own."""
    staff = staff_of(user)
    return None if staff is None else staff.organisation


MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str, today: datetime.date) -> datetime.date | None:
    """A month in the URL (2026-11), if it is a real month no later than this one."""
    found = MONTH_PATTERN.match(text)
    if not found:
        return None
    year, month = int(found[1]), int(found[2])
    if not (1 <= month <= 12 and year >= 2000):
        return None
    day = datetime.date(year, month, 1)
    return day if day <= month_start(today) else None


def month_label(month: datetime.date) -> str:
    return _month_label(month, get_language())


@functools.lru_cache(maxsize=512)
def _month_label(month: datetime.date, language: str | None) -> str:
    return date_format(month, "F Y")


# The charts.


@dataclass(frozen=True)
class Row:
    """One period of a chart as its table shows it."""

    point: spc.Point
    label: str
    url: str
    shown: str
    mean: str
    limits: str
    target: str


@dataclass(frozen=True)
class MeasureChart:
    measure: Measure
    title: str
    chart: spc.Chart
    rows: tuple[Row, ...]

    @property
    def has_values(self) -> bool:
        """Whether anything was counted in the months shown."""
        return any(p.value is not None for p in self.chart.points)

    @property
    def latest(self) -> Row | None:
        """The latest complete period."""
        complete = [row for row in self.rows if not row.point.incomplete]
        return complete[-1] if complete else None

    @property
    def links(self) -> list[str]:
        """Each period's drill-down, for the chart's points and table."""
        return [row.url for row in self.rows]

    @property
    def signal_rows(self) -> list[Row]:
        return [row for row in self.rows if row.point.special]


def _format(measure: Measure, value: float | None) -> str:
    if value is None:
        return ""
    if measure.chart_kind == "p":
        return f"{100 * value:.1f}%"
    return indicator_selectors.CATALOGUE[measure.slug].format(value)


def _rows(measure: Measure, chart: spc.Chart, query: str) -> list[Row]:
    rows = []
    for point in chart.points:
        if point.value is None:
            shown = "None counted"
        elif measure.chart_kind == "p":
            shown = f"{_format(measure, point.value)} ({point.numerator} of {point.denominator})"
        else:
            shown = _format(measure, point.value)
        limits = (
            f"{_format(measure, point.lower)} to {_format(measure, point.upper)}"
            if point.upper is not None and point.lower is not None
            else ""
        )
        rows.append(
            Row(
                point=point,
                label=month_label(point.period),
                url=measure.month_url(point.period, query),
                shown=shown,
                mean=_format(measure, point.mean),
                limits=limits,
                target=_format(measure, point.target),
            )
        )
    return rows


# Charts worked out from the same figures are the same chart: a board page works out ten
# on every view, from figures that change a few times a day.
_charts: Kept[MeasureChart] = Kept(256)


def _chart(
    measure: Measure,
    observations: list[spc.Observation],
    title: str,
    query: str = "",
    recalculate_from: tuple[datetime.date, ...] = (),
) -> MeasureChart:
    key = key_of(
        measure.slug,
        measure.title,
        measure.records,
        measure.direction,
        observations,
        title,
        query,
        recalculate_from,
        get_language(),
        get_script_prefix(),
    )
    return _charts.get(
        key, lambda: _chart_of(measure, observations, title, query, recalculate_from)
    )


def _chart_of(
    measure: Measure,
    observations: list[spc.Observation],
    title: str,
    query: str,
    recalculate_from: tuple[datetime.date, ...],
) -> MeasureChart:
    build = spc.p_chart if measure.chart_kind == "p" else spc.xmr_chart
    # Months before the first with anything counted are not part of the process yet.
    first = next(
        (i for i, o in enumerate(observations) if o.value is not None or o.denominator),
        len(observations),
    )
    observations = observations[first:]
    chart = build(observations, direction=measure.direction, recalculate_from=recalculate_from)
    return MeasureChart(
        measure=measure, title=title, chart=chart, rows=tuple(_rows(measure, chart, query))
    )


def _proportion_observations(
    months: list[figures.MonthFigure], today: datetime.date
) -> list[spc.Observation]:
    current = month_start(today)
    return [
        spc.Observation(
            period=m.month,
            value=m.proportion,
            numerator=m.numerator,
            denominator=m.denominator,
            incomplete=m.month == current,
        )
        for m in months
    ]


def _indicator_observations(
    months: list[figures.IndicatorMonth], today: datetime.date
) -> list[spc.Observation]:
    current = month_start(today)
    return [
        spc.Observation(
            period=m.month,
            value=m.value,
            numerator=m.numerator,
            denominator=m.denominator,
            target=m.target,
            incomplete=m.month == current,
        )
        for m in months
    ]


def month_range(today: datetime.date, months: int) -> tuple[datetime.date, datetime.date]:
    """The first and last months shown: the last `months`, this (incomplete) one last."""
    last = month_start(today)
    return add_months(last, -(months - 1)), last


def measure_charts(
    measures: Sequence[Measure],
    *,
    organisation_id: int,
    today: datetime.date,
    months: int,
    service_id: int | None = None,
    team_id: int | None = None,
    title: str = "",
) -> list[MeasureChart]:
    """Each measure's chart for the organisation (or one service or team): a query for
    each proportion, two for all the indicators together."""
    first, last = month_range(today, months)
    unit = {"service_id": service_id, "team_id": team_id}
    query = f"team={team_id}" if team_id else (f"service={service_id}" if service_id else "")
    slugs = [m.slug for m in measures if m.is_indicator]
    values = (
        figures.indicators_by_month(
            slugs, organisation_ids=[organisation_id], first=first, last=last, **unit
        )
        if slugs
        else {}
    )
    changes_of = process_changes_by_measure(organisation_id, [m.slug for m in measures])
    charts = []
    for measure in measures:
        if measure.is_indicator:
            observations = _indicator_observations(values[(organisation_id, measure.slug)], today)
        else:
            assert measure.source is not None
            rows = prepared.rows(
                _proportion_rows,
                None,
                measure.slug,
                organisation_id,
                today,
                first,
                last,
                service_id,
                team_id,
            )
            series = figures.series_of(
                rows, organisation_ids=[organisation_id], first=first, last=last
            )
            observations = _proportion_observations(series[organisation_id], today)
        charts.append(
            _chart(measure, observations, title or measure.title, query, changes_of[measure.slug])
        )
    return charts


def _proportion_rows(
    user: None,
    slug: str,
    organisation_id: int,
    today: datetime.date,
    first: datetime.date,
    last: datetime.date,
    service_id: int | None,
    team_id: int | None,
) -> QuerySet[Any, dict[str, Any]]:
    """A measure's grouped counts by month for one organisation (or a service or team of
    it): the same for every reader the board shows it to, so compiled once for all
    (`core.prepared`)."""
    source = MEASURES[slug].source
    assert source is not None
    return figures.grouped_by_month(
        source([organisation_id], today),
        first=first,
        last=last,
        service_id=service_id,
        team_id=team_id,
    )


# The board page.


@dataclass(frozen=True)
class ThemeCount:
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class Board:
    organisation: Organisation
    months: int
    charts: list[MeasureChart]
    open_reviews: list[ThemeCount]
    feedback_themes: list[ThemeCount]

    @property
    def improving(self) -> list[MeasureChart]:
        return [c for c in self.charts if c.chart.variation == "improvement"]

    @property
    def concerning(self) -> list[MeasureChart]:
        return [c for c in self.charts if c.chart.variation == "concern"]

    @property
    def missing_target(self) -> list[MeasureChart]:
        return [c for c in self.charts if c.chart.assurance == "fail"]


def board(*, user: AnyUser, organisation: Organisation, today: datetime.date, months: int) -> Board:
    """The board page: every measure's chart, the open thematic reviews and the themes
    feedback raises most."""
    charts = measure_charts(
        list(MEASURES.values()), organisation_id=organisation.pk, today=today, months=months
    )
    reviews = [
        ThemeCount(theme.title, 1, reverse("governance:board_theme", kwargs={"theme_pk": theme.pk}))
        for theme in theme_selectors.open_themes(user=user)[:10]
    ]
    since, _ = month_range(today, 12)
    feedback_list = reverse("feedback:feedback_list")
    themes = [
        ThemeCount(row.label, row.total, f"{feedback_list}?{row.query}")
        for row in feedback_selectors.frequent_themes(user=user, since=since, until=today)
    ]
    return Board(organisation, months, charts, reviews, themes)


# A measure's own page: the organisation's chart and each service's, small multiples.


def services_of(organisation: Organisation) -> list[Service]:
    return list(Service.objects.filter(organisation=organisation).order_by("name"))


def service_charts(
    measure: Measure, *, organisation: Organisation, today: datetime.date, months: int
) -> tuple[MeasureChart, list[MeasureChart]]:
    """The measure's chart for the organisation and for each of its services. A
    proportion's come from one query for all of them (the organisation's is its services'
    added up, rows with no service included); an indicator's stored values take a query or
    two each (an organisation has a handful of services)."""
    services = services_of(organisation)
    if measure.is_indicator or measure.source is None:
        whole = measure_charts(
            [measure], organisation_id=organisation.pk, today=today, months=months
        )
        return whole[0], [
            measure_charts(
                [measure],
                organisation_id=organisation.pk,
                today=today,
                months=months,
                service_id=service.pk,
                title=service.name,
            )[0]
            for service in services
        ]
    first, last = month_range(today, months)
    series = figures.proportion_by_service_month(
        measure.source([organisation.pk], today),
        organisation_id=organisation.pk,
        first=first,
        last=last,
    )
    nothing = [figures.MonthFigure(month, 0, 0) for month in figures.months_between(first, last)]
    changes = process_changes_for(organisation.pk, measure.slug)
    whole_chart = _chart(
        measure,
        _proportion_observations(figures.sum_of(series.values(), first, last), today),
        measure.title,
        "",
        changes,
    )
    return whole_chart, [
        _chart(
            measure,
            _proportion_observations(series.get(service.pk, nothing), today),
            service.name,
            f"service={service.pk}",
            changes,
        )
        for service in services
    ]


# The drill-down: a month's figure by service, then by team, then the records.


@dataclass(frozen=True)
class UnitRow:
    name: str
    url: str
    numerator: int | None
    denominator: int | None
    shown: str


def service_of(organisation: Organisation, service_id: int) -> Service | None:
    return Service.objects.filter(organisation=organisation, pk=service_id).first()


def team_of(organisation: Organisation, team_id: int) -> Team | None:
    return (
        Team.objects.filter(organisation=organisation, pk=team_id).select_related("service").first()
    )


def _unit_rows(
    measure: Measure,
    units: list[Service] | list[Team],
    found: dict[int | None, figures.MonthFigure],
    month: datetime.date,
    param: str,
) -> list[UnitRow]:
    rows = []
    for unit in units:
        figure = found.get(unit.pk)
        n, d = (figure.numerator, figure.denominator) if figure else (0, 0)
        shown = f"{percent(n, d)}% ({n} of {d})" if d else "None counted"
        rows.append(UnitRow(unit.name, measure.month_url(month, f"{param}={unit.pk}"), n, d, shown))
    return rows


def month_split(
    measure: Measure,
    *,
    organisation: Organisation,
    month: datetime.date,
    today: datetime.date,
    service: Service | None = None,
) -> list[UnitRow]:
    """The month's figure by service, or by team within `service`."""
    service_id = service.pk if service else None
    if service is None:
        units: list[Service] | list[Team] = services_of(organisation)
        param = "service"
    else:
        units = list(Team.objects.filter(service=service).order_by("name"))
        param = "team"
    if measure.is_indicator:
        values = indicator_selectors.indicator_breakdown_of(
            measure.slug, organisation_id=organisation.pk, month=month, service_id=service_id
        )
        key = "team_id" if service else "service_id"
        indicator = indicator_selectors.CATALOGUE[measure.slug]
        by_unit = {getattr(v, key): v for v in values}
        rows = []
        for unit in units:
            value = by_unit.get(unit.pk)
            rows.append(
                UnitRow(
                    unit.name,
                    measure.month_url(month, f"{param}={unit.pk}"),
                    value.numerator if value else None,
                    value.denominator if value else None,
                    indicator.format(value.value if value else None),
                )
            )
        return rows
    assert measure.source is not None
    found = figures.proportion_by_unit(
        measure.source([organisation.pk], today),
        organisation_id=organisation.pk,
        month=month,
        service_id=service_id,
    )
    return _unit_rows(measure, units, found, month, param)


@dataclass
class Records:
    """The records behind one team's (or service's) figure that the reader may see."""

    kind: str
    rows: list[Any] = field(default_factory=list)
    hidden: int = 0
    visible_case_ids: set[int] = field(default_factory=set)
    link: str = ""


def month_records(
    measure: Measure,
    *,
    user: AnyUser,
    organisation: Organisation,
    month: datetime.date,
    today: datetime.date,
    service: Service | None = None,
    team: Team | None = None,
) -> Records:
    """The audits, observations or rota slots behind the figure (three queries), or for
    an indicator the link to performance's records page for the month and unit."""
    if measure.is_indicator:
        unit = f"&team={team.pk}" if team else (f"&service={service.pk}" if service else "")
        url = reverse("performance:indicator_records", args=[measure.slug])
        return Records(kind=INDICATOR, link=f"{url}?month={month:%Y-%m}{unit}")
    assert measure.source is not None
    behind = figures.records_of(
        measure.source([organisation.pk], today),
        organisation_id=organisation.pk,
        month=month,
        service_id=service.pk if service else None,
        team_id=team.pk if team else None,
    ).values("pk")
    visible: QuerySet[Any]
    if measure.records == ROTA:
        visible = rota_selectors.slot_records(user=user).order_by("manager__user__last_name", "pk")
    elif measure.records == OBSERVATIONS:
        visible = observation_selectors.observation_list(user=user).order_by("observed_on", "pk")
    else:
        visible = audit_selectors.audit_list(user=user).order_by("submitted_at", "pk")
    rows = list(visible.filter(pk__in=behind))
    total = behind.count()
    case_ids: set[int] = {row.case_id for row in rows if getattr(row, "case_id", None)}  # type: ignore[attr-defined]
    seen = set(Case.objects.visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True))
    return Records(kind=measure.records, rows=rows, hidden=total - len(rows), visible_case_ids=seen)


# Triangulation: what the audits say about the children behind an indicator's figure.


@dataclass(frozen=True)
class GradeRow:
    label: str
    count: int


@dataclass(frozen=True)
class Triangulation:
    month: datetime.date
    cases: int
    audit_grades: list[GradeRow]
    audits_graded: int
    observation_grades: list[GradeRow]
    observations_graded: int
    moderated: int
    moderator_changed: int
    audits_url: str

    @property
    def month_label(self) -> str:
        return month_label(self.month)


def _latest_grades(rows: QuerySet[Any], when: str, grade: str) -> dict[str, int]:
    """How many of the cases' most recent graded records got each grade (one query)."""
    latest = rows.filter(case_id=OuterRef("case_id")).order_by(f"-{when}", "-pk").values("pk")[:1]
    counts = (
        rows.annotate(latest_pk=Subquery(latest))
        .filter(pk=F("latest_pk"))
        .values(grade)
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r[grade]: r["n"] for r in counts}


def triangulation(
    measure: Measure, *, user: AnyUser, organisation: Organisation, today: datetime.date
) -> Triangulation:
    """For the cases behind the indicator's latest complete month: the grades of their
    most recent audits and observations, and how many of their audits were moderated and
    how many the moderator changed; read through the reader's scoping."""
    month = add_months(month_start(today), -1)
    case_ids = indicator_selectors.fact_case_ids(
        measure.slug, organisation_id=organisation.pk, month=month
    )
    audits = audit_selectors.audit_list(user=user).filter(
        case_id__in=case_ids, status__in=audit_selectors.GRADED_STATUSES
    )
    observations = observation_selectors.observation_list(user=user).filter(
        case_id__in=case_ids, status__in=observation_selectors.FINISHED_STATUSES
    )
    audit_counts = _latest_grades(audits.order_by(), "submitted_at", "overall_grade")
    observation_counts = _latest_grades(observations.order_by(), "observed_on", "grade")
    moderated = Q(moderated_at__isnull=False) & ~Q(moderated_grade="")
    moderation = audits.order_by().aggregate(
        moderated=Count("pk", filter=moderated),
        changed=Count("pk", filter=moderated & ~Q(moderated_grade=F("overall_grade"))),
    )
    return Triangulation(
        month=month,
        cases=case_ids.count(),
        audit_grades=[
            GradeRow(str(g.label), audit_counts.get(g.value, 0)) for g in audit_selectors.Grade
        ],
        audits_graded=sum(audit_counts.values()),
        observation_grades=[
            GradeRow(str(g.label), observation_counts.get(g.value, 0))
            for g in audit_selectors.Grade
        ],
        observations_graded=sum(observation_counts.values()),
        moderated=moderation["moderated"],
        moderator_changed=moderation["changed"],
        audits_url=reverse("audits:audit_list"),
    )


# A theme beside its figures: triangulation from the other side.


@dataclass(frozen=True)
class ThemeFigures:
    theme: Any
    summary: Any
    charts: list[MeasureChart]


def theme_figures(
    *, theme: Any, organisation: Organisation, today: datetime.date, months: int
) -> ThemeFigures:
    """A thematic review with what its dip sample found and the trends of the indicators
    it is about, so a board reads the qualitative and the quantitative together."""
    measures = [m for m in (measure_of(slug) for slug in theme.indicators) if m is not None]
    charts = measure_charts(measures, organisation_id=organisation.pk, today=today, months=months)
    return ThemeFigures(theme, theme_selectors.theme_summary(theme), charts)


def themes_about(*, user: AnyUser, slug: str) -> list[ThemeCount]:
    """The thematic reviews the user may see that are about an indicator."""
    return [
        ThemeCount(theme.title, 1, reverse("governance:board_theme", kwargs={"theme_pk": theme.pk}))
        for theme in theme_selectors.theme_list(user=user)
        if slug in (theme.indicators or [])
    ]
