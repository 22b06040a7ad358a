"""Figures over practice observations and observation coverage.

The database does the counting: one aggregate for the grades, one for the months, one
grouped query for the settings, and one grouped query each for coverage by team, by
service and in total; the percentages are worked out here, so the arithmetic can be read
and tested. An observation counts once it is submitted (or moderated), by the date the
practice was observed, with the observer's grade (moderation may disagree; the observer's
grade stands, as on the observation's page).

Coverage (seeds 001 and 003):
- a practitioner is *observed* when a submitted or moderated observation of their practice
  was made in the last six months (on or after the same day six months ago): seed 003's
  "every practitioner observed twice a year";
- a tier manager (team or service manager) is *up to date* when they have made a
  submitted or moderated observation since the first day of last month, and *behind*
  when they have not: seed 001's "monthly by every tier manager", with this month still
  to play for.

Each figure's records come from the same querysets (`coverage_staff`, `observed`,
`up_to_date`), so a figure and the list behind it always agree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.formats import date_format

from cases.grades import GOOD_OR_BETTER, Grade
from cases.models import StaffMember
from cases.querysets import NOTHING, scope_of
from cases.roles import Role
from core.figures import percent
from core.months import add_months, month_start
from observations.models import Observation, Setting

if TYPE_CHECKING:
    from core.types import AnyUser

MONTHS_SHOWN = 12
# Seed 003: every practitioner observed by their line manager twice a year.
OBSERVED_WITHIN_MONTHS = 6
# Seed 001: every tier manager observes monthly.
MANAGER_ROLES = (Role.TEAM_MANAGER, Role.SERVICE_MANAGER)
COVERED_ROLES = (Role.PRACTITIONER, *MANAGER_ROLES)
# Roles that read the coverage of their whole organisation.
COVERAGE_READERS = frozenset({Role.QA, Role.SENIOR_LEADER})
# The annotations of `coverage_staff`: the service each person counts in, and its name.
SERVICE_KEY = "service_key"
SERVICE_LABEL = "service_label"


def finished(observations: QuerySet[Observation]) -> QuerySet[Observation]:
    return observations.filter(status__in=Observation.FINISHED, observed_on__isnull=False)


# Grades, months and settings.


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
    # Submitted or moderated observations: the denominator of every percentage here.
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


def grade_distribution(observations: QuerySet[Observation]) -> GradeDistribution:
    """How many submitted or moderated observations got each grade, in one query."""
    counts = finished(observations).aggregate(
        graded_total=Count("pk"),
        **{f"grade_{g.value}": Count("pk", filter=Q(grade=g.value)) for g in Grade},
    )
    total = counts["graded_total"]
    rows = [GradeCount(grade=g, count=counts[f"grade_{g.value}"], percent=None) for g in Grade]
    return GradeDistribution(
        rows=[GradeCount(r.grade, r.count, percent(r.count, total)) for r in rows], total=total
    )


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

    @property
    def key(self) -> str:
        """The month as the observation list's filter takes it."""
        return self.month.strftime("%Y-%m")


@dataclass(frozen=True)
class MonthlyFigures:
    """Submitted or moderated observations by month observed: the last `MONTHS_SHOWN`
    months to this one, a month with none showing 0."""

    months: list[MonthCount]

    @property
    def total(self) -> int:
        return sum(month.total for month in self.months)

    @property
    def count_rows(self) -> list[tuple[str, int, str]]:
        return [(m.label, m.total, str(m.total)) for m in self.months]

    @property
    def trend_rows(self) -> list[tuple[str, int, str]]:
        rows = []
        for m in self.months:
            shown = f"{m.percent}% ({m.good_or_better} of {m.total})" if m.total else "None"
            rows.append((m.label, m.percent or 0, shown))
        return rows


def by_month(
    observations: QuerySet[Observation], *, today: datetime.date, months_shown: int = MONTHS_SHOWN
) -> MonthlyFigures:
    """Good or better and not yet good by month observed, in one aggregate over date
    ranges (no date function on each row)."""
    last = month_start(today)
    starts = [add_months(last, -n) for n in range(months_shown - 1, -1, -1)]
    good = Q(grade__in=GOOD_OR_BETTER)
    counts = finished(observations).aggregate(
        **{
            f"{kind}_{i}": Count(
                "pk",
                filter=Q(observed_on__gte=start, observed_on__lt=add_months(start, 1))
                & (good if kind == "good" else ~good),
            )
            for i, start in enumerate(starts)
            for kind in ("good", "not_yet")
        }
    )
    return MonthlyFigures(
        months=[
            MonthCount(start, counts[f"good_{i}"], counts[f"not_yet_{i}"])
            for i, start in enumerate(starts)
        ]
    )


@dataclass(frozen=True)
class SettingCount:
    setting: Setting
    count: int
    percent: int | None

    @property
    def label(self) -> str:
        return self.setting.label


def by_setting(observations: QuerySet[Observation]) -> list[SettingCount]:
    """Where the submitted or moderated observations were made, most first (one query):
    the themes of the practice seen, as seed 001's settings."""
    rows = dict(
        finished(observations)
        .order_by()
        .values_list("setting")
        .annotate(n=Count("pk"))
        .values_list("setting", "n")
    )
    total = sum(rows.values())
    counts = [
        SettingCount(s, rows.get(s.value, 0), percent(rows.get(s.value, 0), total)) for s in Setting
    ]
    return sorted(counts, key=lambda row: -row.count)


@dataclass(frozen=True)
class ObservationFigures:
    grades: GradeDistribution
    months: MonthlyFigures
    settings: list[SettingCount]


def observation_figures(
    observations: QuerySet[Observation], *, today: datetime.date
) -> ObservationFigures:
    return ObservationFigures(
        grades=grade_distribution(observations),
        months=by_month(observations, today=today),
        settings=by_setting(observations),
    )


# Coverage.


def observed_since(day: datetime.date) -> datetime.date:
    """The first day that counts for "observed in the last six months"."""
    return add_months(day, -OBSERVED_WITHIN_MONTHS)


def up_to_date_since(day: datetime.date) -> datetime.date:
    """The first day that counts for a manager's monthly observation: last month's first."""
    return add_months(month_start(day), -1)


def observed(day: datetime.date) -> Exists:
    """On StaffMember: a submitted observation of their practice in the last six months."""
    return Exists(
        finished(Observation.objects.all()).filter(
            practitioner_id=OuterRef("pk"),
            observed_on__gte=observed_since(day),
            observed_on__lte=day,
        )
    )


def up_to_date(day: datetime.date) -> Exists:
    """On StaffMember: a submitted observation made by them since last month began."""
    return Exists(
        finished(Observation.objects.all()).filter(
            observer_id=OuterRef("pk"),
            observed_on__gte=up_to_date_since(day),
            observed_on__lte=day,
        )
    )


def last_observed(day: datetime.date) -> Subquery:
    """On StaffMember: the date of the latest submitted observation of their practice."""
    return Subquery(
        finished(Observation.objects.all())
        .filter(practitioner_id=OuterRef("pk"), observed_on__lte=day)
        .order_by("-observed_on")
        .values("observed_on")[:1]
    )


def last_observing(day: datetime.date) -> Subquery:
    """On StaffMember: the date of the latest submitted observation they made."""
    return Subquery(
        finished(Observation.objects.all())
        .filter(observer_id=OuterRef("pk"), observed_on__lte=day)
        .order_by("-observed_on")
        .values("observed_on")[:1]
    )


def coverage_scope_for(staff: StaffMember) -> Q:
    """Whose coverage a member of staff reads: QA and senior leaders their organisation's,
    a team manager their team's, a service manager their service's; nobody else any."""
    if staff.role in COVERAGE_READERS:
        return Q(organisation_id=staff.organisation_id)
    if staff.role == Role.TEAM_MANAGER and staff.team_id:
        return Q(team_id=staff.team_id)
    if staff.role == Role.SERVICE_MANAGER and staff.service_id:
        return Q(team__service_id=staff.service_id) | Q(
            team__isnull=True, service_id=staff.service_id
        )
    return NOTHING


def coverage_staff(
    *, user: AnyUser | None = None, organisation_id: int | None = None
) -> QuerySet[StaffMember]:
    """The practitioners and tier managers whose coverage is counted: active, in the
    user's scope (or of one organisation, for the scheduled jobs), each with the service
    they count in (`service_key`: their team's, or their own without a team)."""
    staff = StaffMember.objects.filter(role__in=COVERED_ROLES, user__is_active=True)
    if organisation_id is not None:
        staff = staff.filter(organisation_id=organisation_id)
    if user is not None:
        scope = scope_of(user, coverage_scope_for)
        if scope is not None:
            staff = staff.none() if scope is NOTHING else staff.filter(scope)
    return staff.annotate(
        **{
            SERVICE_KEY: Coalesce("team__service_id", "service_id"),
            SERVICE_LABEL: Coalesce("team__service__name", "service__name"),
        }
    )


def practitioners(staff: QuerySet[StaffMember]) -> QuerySet[StaffMember]:
    return staff.filter(role=Role.PRACTITIONER)


def managers(staff: QuerySet[StaffMember]) -> QuerySet[StaffMember]:
    return staff.filter(role__in=MANAGER_ROLES)


def not_observed(staff: QuerySet[StaffMember], day: datetime.date) -> QuerySet[StaffMember]:
    return practitioners(staff).filter(~observed(day))


def behind(staff: QuerySet[StaffMember], day: datetime.date) -> QuerySet[StaffMember]:
    return managers(staff).filter(~up_to_date(day))


@dataclass(frozen=True)
class CoverageRow:
    # The team's or service's id (None for the total).
    key: int | None
    name: str
    practitioners: int
    not_observed: int
    managers: int
    behind: int
    service_name: str = ""

    @property
    def observed(self) -> int:
        return self.practitioners - self.not_observed

    @property
    def observed_percent(self) -> int | None:
        return percent(self.observed, self.practitioners)

    @property
    def up_to_date(self) -> int:
        return self.managers - self.behind

    @property
    def up_to_date_percent(self) -> int | None:
        return percent(self.up_to_date, self.managers)


@dataclass(frozen=True)
class Coverage:
    day: datetime.date
    by_team: list[CoverageRow]
    by_service: list[CoverageRow]
    total: CoverageRow

    @property
    def observed_since(self) -> datetime.date:
        return observed_since(self.day)

    @property
    def up_to_date_since(self) -> datetime.date:
        return up_to_date_since(self.day)

    @property
    def observed_chart_rows(self) -> list[tuple[str, int, str]]:
        return [
            (
                row.name,
                row.observed_percent or 0,
                f"{row.observed_percent}% ({row.observed} of {row.practitioners})"
                if row.practitioners
                else "No practitioners",
            )
            for row in self.by_service
        ]

    @property
    def up_to_date_chart_rows(self) -> list[tuple[str, int, str]]:
        return [
            (
                row.name,
                row.up_to_date_percent or 0,
                f"{row.up_to_date_percent}% ({row.up_to_date} of {row.managers})"
                if row.managers
                else "No managers",
            )
            for row in self.by_service
        ]


def _counts(day: datetime.date) -> dict[str, Count]:
    is_practitioner = Q(role=Role.PRACTITIONER)
    is_manager = Q(role__in=MANAGER_ROLES)
    return {
        "n_practitioners": Count("pk", filter=is_practitioner),
        "n_not_observed": Count("pk", filter=Q(is_practitioner, ~observed(day))),
        "n_managers": Count("pk", filter=is_manager),
        "n_behind": Count("pk", filter=Q(is_manager, ~up_to_date(day))),
    }


def _row(values: dict[str, object], key: str, name: str, service: str = "") -> CoverageRow:
    return CoverageRow(
        key=values[key],  # type: ignore[arg-type]
        name=str(values[name] or ""),
        service_name=str(values[service] or "") if service else "",
        practitioners=values["n_practitioners"],  # type: ignore[arg-type]
        not_observed=values["n_not_observed"],  # type: ignore[arg-type]
        managers=values["n_managers"],  # type: ignore[arg-type]
        behind=values["n_behind"],  # type: ignore[arg-type]
    )


def coverage(staff: QuerySet[StaffMember], *, day: datetime.date) -> Coverage:
    """Coverage by team, by service and in total: three grouped queries."""
    counts = _counts(day)
    teams = (
        staff.filter(team__isnull=False)
        .order_by()
        .values("team_id", "team__name", SERVICE_LABEL)
        .annotate(**counts)
        .order_by("service_label", "team__name", "team_id")
    )
    services = (
        staff.filter(**{f"{SERVICE_KEY}__isnull": False})
        .order_by()
        .values(SERVICE_KEY, SERVICE_LABEL)
        .annotate(**counts)
        .order_by("service_label", "service_key")
    )
    total = staff.order_by().aggregate(**counts)
    return Coverage(
        day=day,
        by_team=[_row(v, "team_id", "team__name", "service_label") for v in teams],
        by_service=[_row(v, "service_key", "service_label") for v in services],
        total=_row({**total, "key": None, "name": "All"}, "key", "name"),
    )
