"""What the six-monthly Journey of the Child and Adopter report, the annual report and the
draft self-evaluation share: the period's reads for one organisation (each a database
aggregate over the apps' public selectors, counted as the board and the lists count),
the links to the scoped pages behind a figure, and the words for a share and a change.

Every read takes a `Scope` (the organisation, the period, the day the report is made), so
the annual report and the self-evaluation read the same figures over another year.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from audits import selectors as audit_selectors
from cases.models import Organisation
from core.figures import percent
from core.months import add_months, month_end, month_start
from feedback import selectors as feedback_selectors
from governance import figures, plan
from governance.models import ExceptionsReturn, ExternalReview, PlanAction, ReAuditCase
from governance.report_content import Period
from observations import selectors as observation_selectors
from performance import selectors_quality as quality_selectors

Status = PlanAction.Status


@dataclass(frozen=True)
class Scope:
    organisation: Organisation
    period: Period
    today: datetime.date

    @property
    def first(self) -> datetime.date:
        return self.period.start

    @property
    def last(self) -> datetime.date:
        return self.period.end

    def before(self) -> Scope:
        """The same months a year earlier (the year before the year)."""
        start = add_months(self.first, -12)
        end = month_end(add_months(self.last, -12))
        label = f"{start:%B %Y} to {end:%B %Y}"
        return Scope(self.organisation, Period(start, end, label), self.today)


def link(name: str, *args: Any, **query: Any) -> str:
    """The page `name`, with a query string of the non-empty `query` values."""
    url = reverse(name, args=args)
    wanted = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(wanted)}" if wanted else url


def share(count: int, total: int) -> str:
    """ "64% (16 of 25)", or "none to count" when there is nothing."""
    value = percent(count, total)
    return "none to count" if value is None else f"{value}% ({count} of {total})"


def change(now: int | None, before: int | None, unit: str = "%") -> str:
    """ "up from 58%", "down from 58%", "the same as the year before", or "" with nothing
    to compare."""
    if now is None or before is None:
        return ""
    if now > before:
        return f"up from {before}{unit}"
    if now < before:
        return f"down from {before}{unit}"
    return "the same as the year before"


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


# Audits: graded (submitted) audits by the month of submission, as the board counts them.


def graded_audits(scope: Scope) -> Any:
    return audit_selectors.graded_audits_of(organisation_ids=[scope.organisation.pk]).filter(
        submitted_at__gte=_aware(scope.first),
        submitted_at__lt=_aware(scope.last + datetime.timedelta(days=1)),
    )


def audit_months(scope: Scope) -> list[figures.MonthFigure]:
    org = scope.organisation.pk
    return figures.proportion_by_month(
        figures.audit_grades([org]),
        organisation_ids=[org],
        first=scope.first,
        last=month_start(scope.last),
    )[org]


def _good() -> Q:
    return Q(overall_grade__in=audit_selectors.GOOD_OR_BETTER)


def audits_by_type(scope: Scope) -> list[dict[str, Any]]:
    rows = {
        r["audit_type"]: r
        for r in graded_audits(scope)
        .values("audit_type")
        .annotate(total=Count("pk"), good=Count("pk", filter=_good()))
    }
    return [
        {"key": key, "label": label, "total": rows[key]["total"], "good": rows[key]["good"]}
        for key, label in audit_selectors.AuditType.choices
        if key in rows
    ]


def audits_by_tool(scope: Scope) -> list[dict[str, Any]]:
    return list(
        graded_audits(scope)
        .values("tool__code", "tool__name")
        .annotate(total=Count("pk"), good=Count("pk", filter=_good()))
        .order_by("tool__name", "tool__code")
    )


def audits_by_stage(scope: Scope) -> dict[str, dict[str, int]]:
    """Case audits by the stage of the journey the case is at."""
    return {
        r["case__journey_stage"]: r
        for r in graded_audits(scope)
        .filter(case__isnull=False)
        .values("case__journey_stage")
        .annotate(total=Count("pk"), good=Count("pk", filter=_good()))
        .order_by()
    }


def audit_list_url(scope: Scope, **query: Any) -> str:
    return link(
        "audits:audit_list",
        submitted_from=scope.first.isoformat(),
        submitted_to=scope.last.isoformat(),
        **query,
    )


# Observations: finished ones by the day observed, as the board counts them.


def observations(scope: Scope) -> dict[str, int]:
    rows = observation_selectors.finished_observations_of(
        organisation_ids=[scope.organisation.pk]
    ).filter(observed_on__gte=scope.first, observed_on__lte=scope.last)
    found: dict[str, int] = rows.aggregate(
        total=Count("pk"),
        good=Count("pk", filter=Q(grade__in=audit_selectors.GOOD_OR_BETTER)),
        reflections=Count("pk", filter=~Q(reflection="")),
    )
    return found


# The improvement plan over the period (the plan's quarterly definitions, for any period).


def plan_by_priority(scope: Scope) -> list[dict[str, Any]]:
    """Each priority's row of the plan's quarterly figures (`plan.quarterly_of`, the
    plan's own counting) over the period, as the tables here read them."""
    return [
        {
            "priority_id": row.priority.pk if row.priority is not None else None,
            "priority__title": row.priority.title if row.priority is not None else "",
            "raised": row.raised,
            "completed": row.completed,
            "impact": row.impact,
            "open_at_end": row.open_at_end,
            "overdue_at_end": row.overdue_at_end,
        }
        for row in plan.quarterly_of(
            organisation_id=scope.organisation.pk, first=scope.first, last=scope.last
        )
    ]


def re_audits(scope: Scope) -> dict[str, int]:
    """Same-cases re-audits requested in the period: the cases, and of the originals and
    the repeats graded, how many good or better (the moderator's grade where given)."""
    rows = ReAuditCase.objects.filter(
        organisation=scope.organisation,
        re_audit__requested_at__gte=_aware(scope.first),
        re_audit__requested_at__lt=_aware(scope.last + datetime.timedelta(days=1)),
    ).values(
        "original__status",
        "original__overall_grade",
        "original__moderated_grade",
        "repeat__status",
        "repeat__overall_grade",
        "repeat__moderated_grade",
    )
    counts = {"cases": 0, "before_graded": 0, "before_good": 0, "after_graded": 0, "after_good": 0}
    for found in rows:
        row: dict[str, Any] = dict(found)
        counts["cases"] += 1
        for side, key in (("original", "before"), ("repeat", "after")):
            if row[f"{side}__status"] not in audit_selectors.GRADED_STATUSES:
                continue
            grade = row[f"{side}__moderated_grade"] or row[f"{side}__overall_grade"]
            counts[f"{key}_graded"] += 1
            counts[f"{key}_good"] += grade in audit_selectors.GOOD_OR_BETTER
    return counts


def reviews(scope: Scope) -> list[dict[str, Any]]:
    """External reviews reported by the period's end that were reported in it or still had
    recommendations open at its start, with their recommendations at its end."""
    first, last = scope.first, scope.last
    closed_by = Q(recommendations__completed_on__isnull=False)
    rows = (
        ExternalReview.objects.filter(organisation=scope.organisation, reported_on__lte=last)
        .values("pk", "title", "kind", "reported_on")
        .annotate(
            total=Count("recommendations", filter=~Q(recommendations__status=Status.WITHDRAWN)),
            done=Count(
                "recommendations", filter=closed_by & Q(recommendations__completed_on__lte=last)
            ),
            open_at_start=Count(
                "recommendations",
                filter=~Q(recommendations__status=Status.WITHDRAWN)
                & (
                    Q(recommendations__completed_on__isnull=True)
                    | Q(recommendations__completed_on__gte=first)
                ),
            ),
            overdue=Count(
                "recommendations",
                filter=~Q(recommendations__status=Status.WITHDRAWN)
                & Q(recommendations__due_on__lt=last)
                & (
                    Q(recommendations__completed_on__isnull=True)
                    | Q(recommendations__completed_on__gt=last)
                ),
            ),
        )
        .order_by("-reported_on", "-pk")
    )
    return [r for r in rows if r["reported_on"] >= first or r["open_at_start"]]


def returns_submitted(scope: Scope) -> list[dict[str, Any]]:
    """Performance Exceptions returns by the month they are about, for the period's months:
    how many there were and how many were submitted (or reviewed)."""
    return list(
        ExceptionsReturn.objects.filter(
            organisation=scope.organisation, month__gte=scope.first, month__lte=scope.last
        )
        .values("month")
        .annotate(
            total=Count("pk"),
            submitted=Count("pk", filter=~Q(status=ExceptionsReturn.Status.OPEN)),
        )
        .order_by("month")
    )


# The feedback app and data quality, through their selectors.


def feedback_rows(scope: Scope) -> list[dict[str, Any]]:
    return feedback_selectors.feedback_by_source_and_stage(
        organisation_id=scope.organisation.pk, first=scope.first, last=scope.last
    )


def complaints(scope: Scope) -> dict[str, Any]:
    org = scope.organisation.pk
    outcomes: dict[str, int] = {}
    by_stage = feedback_selectors.complaint_outcomes_of(
        organisation_id=org, first=scope.first, last=scope.last
    )
    for (_stage, outcome), n in by_stage.items():
        outcomes[outcome] = outcomes.get(outcome, 0) + n
    return {
        "stages": feedback_selectors.complaint_stages_of(
            organisation_id=org, first=scope.first, last=scope.last, today=scope.today
        ),
        "outcomes": outcomes,
        **feedback_selectors.complaints_and_compliments_of(
            organisation_id=org, first=scope.first, last=scope.last
        ),
    }


def data_quality(scope: Scope) -> list[dict[str, Any]]:
    return quality_selectors.issue_figures_of(
        organisation_id=scope.organisation.pk, first=scope.first, last=scope.last
    )


# The key figures the annual report compares year on year and the self-evaluation states.


@dataclass(frozen=True)
class KeyFigure:
    key: str
    label: str
    count: int
    total: int | None  # None: a plain count, not a share

    @property
    def percent(self) -> int | None:
        return None if self.total is None else percent(self.count, self.total)

    @property
    def shown(self) -> str:
        return str(self.count) if self.total is None else share(self.count, self.total)


def key_figures(scope: Scope) -> dict[str, KeyFigure]:
    audits = graded_audits(scope).aggregate(
        total=Count("pk"),
        good=Count("pk", filter=_good()),
        supervision=Count("pk", filter=Q(audit_type=audit_selectors.AuditType.SUPERVISION)),
        supervision_good=Count(
            "pk", filter=_good() & Q(audit_type=audit_selectors.AuditType.SUPERVISION)
        ),
    )
    seen = observations(scope)
    said = feedback_rows(scope)
    heard = complaints(scope)
    stage_one = heard["stages"].get(1, {})
    plan_rows = plan_by_priority(scope)
    issues = data_quality(scope)
    found = [
        KeyFigure("audits", "Audits graded good or better", audits["good"], audits["total"]),
        KeyFigure(
            "supervision",
            "Supervision audits graded good or better",
            audits["supervision_good"],
            audits["supervision"],
        ),
        KeyFigure(
            "observations", "Observations graded good or better", seen["good"], seen["total"]
        ),
        KeyFigure(
            "feedback",
            "Feedback that was positive",
            sum(r["positive"] for r in said),
            sum(r["total"] for r in said),
        ),
        KeyFigure("complaints", "Complaints received", heard["received"], None),
        KeyFigure(
            "complaints_on_time",
            "Stage 1 complaint responses on time",
            stage_one.get("on_time", 0),
            stage_one.get("on_time", 0) + stage_one.get("late", 0),
        ),
        KeyFigure("compliments", "Compliments received", heard["compliments"], None),
        KeyFigure(
            "actions_completed",
            "Improvement plan actions completed",
            sum(r["completed"] for r in plan_rows),
            None,
        ),
        KeyFigure(
            "data_quality_open",
            "Data-quality issues open at the end",
            sum(r["open_at_end"] for r in issues),
            None,
        ),
    ]
    return {f.key: f for f in found}
