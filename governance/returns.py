"""The monthly Performance Exceptions return (seed 003, Appendix 3): reads and writes.

On the first working day of each month (`returns_create`, run by
`services.exceptions_returns_create`) every team with a team manager gets a return for the
month just ended, its figures frozen at that moment (`snapshot_of`):

- data exceptions: the team's indicators (team-level values the nightly recompute
  stored) worse than target in the month, or whose SPC chart over the last 24 months
  shows a special-cause signal there;
- audits submitted in the month for the team: counts by grade, good or better;
- observations of its practitioners in the month: finished, good or better;
- complaints about the team received in the month, by stage;
- its data-quality issues still open (and chased) when the return opened.

The team manager writes the five narrative sections and submits it to their service
manager (who is notified), who adds commentary and marks it reviewed; the service manager
writes a summary of their teams' returns for the month (`ServiceSummary`; the heads of
service are notified), and the cascade goes on above it (`governance/cascade.py`). Each
level's commentary is due before its meeting, on a working day of the month after the
returns' month (`WORKING_DAYS`). Actions raised on a return or a summary are
`ReturnAction` rows that the improvement plan gathers (`governance/cascade.py`).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from audits import selectors as audit_selectors
from cases.models import Notification, Service, StaffMember, Team
from cases.notifications import Message, notify_many
from cases.querysets import staff_of
from cases.roles import Role
from core.dates import add_working_days, first_working_day_of_month
from core.months import add_months, month_end, month_start
from feedback import selectors as feedback_selectors
from governance import figures, spc
from governance.cascade_levels import HEAD_OF_SERVICE_TIER, Level
from governance.models import NARRATIVE_FIELDS, ExceptionsReturn, ServiceSummary
from performance import selectors_indicators as indicator_selectors
from performance import selectors_quality as quality_selectors

if TYPE_CHECKING:
    from core.types import AnyUser

# The cascade's dates: each level's commentary is due by (its meeting is on) this working
# day of the month after the returns' month (the month the returns open in), each a
# working day after the level below's. Working days skip weekends and bank holidays.
WORKING_DAYS = {
    Level.TEAM: 10,  # the team manager's return
    Level.SERVICE: 12,  # the service's Performance and Outcomes meeting
    Level.HEAD_OF_SERVICE: 14,
    Level.SENIOR_MANAGEMENT: 16,
    Level.CHIEF_EXECUTIVE: 18,
}
# A return is due on this working day of the month it opens in.
DUE_WORKING_DAY = WORKING_DAYS[Level.TEAM]
# How many months of a team's values the SPC check reads (the month itself the last).
SPC_MONTHS = 24
PAGE_SIZE = 25

_DIRECTIONS = {
    indicator_selectors.Polarity.HIGHER: spc.Direction.HIGHER_IS_BETTER,
    indicator_selectors.Polarity.LOWER: spc.Direction.LOWER_IS_BETTER,
}
_SIGNAL_WORDS = {"improvement": "Special cause: improvement", "concern": "Special cause: concern"}


class ReturnError(Exception):
    """A write the return's state does not allow."""


class ReturnConflict(ReturnError):
    """Someone saved the return after the editor loaded it."""

    def __init__(self, current: ExceptionsReturn | ServiceSummary) -> None:
        by = getattr(current, "saved_by", None) or getattr(current, "written_by", None)
        who = by.display_name if by is not None else "someone else"
        super().__init__(
            f"{who} saved this after you opened it. Your text is kept below: "
            "check their changes, then save again."
        )
        self.current = current


# Dates.


def due_on(opened_on: datetime.date) -> datetime.date:
    """The 10th working day of the month the return opens in."""
    first = first_working_day_of_month(opened_on.year, opened_on.month)
    return add_working_days(first, DUE_WORKING_DAY - 1)


def meeting_on(month: datetime.date, level: int) -> datetime.date:
    """The day `level`'s commentary on `month`'s returns is due: its meeting."""
    opens = add_months(month_start(month), 1)
    first = first_working_day_of_month(opens.year, opens.month)
    return add_working_days(first, WORKING_DAYS[Level(level)] - 1)


def month_of(opened_on: datetime.date) -> datetime.date:
    """The month a return opened on `opened_on` is about: the month just ended."""
    return add_months(month_start(opened_on), -1)


# The snapshot.


def _indicator_exceptions(team: Team, month: datetime.date) -> list[dict[str, Any]]:
    first = add_months(month, -(SPC_MONTHS - 1))
    slugs = list(indicator_selectors.CATALOGUE)
    series = figures.indicators_by_month(
        slugs, organisation_ids=[team.organisation_id], first=first, last=month, team_id=team.pk
    )
    stored = set(
        indicator_selectors.indicator_values_of(
            slugs, organisation_ids=[team.organisation_id], first=month, last=month, team_id=team.pk
        ).values_list("indicator", flat=True)
    )
    rows = []
    for slug in slugs:
        if slug not in stored:
            continue
        indicator = indicator_selectors.CATALOGUE[slug]
        points = series[(team.organisation_id, slug)]
        latest = points[-1]
        status = indicator_selectors.status(indicator, latest.value, latest.target)
        direction = _DIRECTIONS.get(indicator.polarity, spc.Direction.NEITHER)
        chart = spc.xmr_chart(
            [spc.Observation(p.month, p.value, target=p.target) for p in points],
            direction=direction,
        )
        special = chart.points[-1].special if chart.points else None
        signal = _SIGNAL_WORDS.get(special or "", "")
        if status != "worse" and not signal:
            continue
        rows.append(
            {
                "slug": slug,
                "name": indicator.name,
                "value": latest.value,
                "shown": indicator.format(latest.value),
                "target": indicator.format(latest.target) if latest.target is not None else "",
                "status": indicator_selectors.STATUS_LABELS[status],
                "signal": signal,
            }
        )
    return rows


def _audits(team: Team, month: datetime.date) -> dict[str, Any]:
    source = figures.audit_grades([team.organisation_id])
    rows = figures.records_of(
        source, organisation_id=team.organisation_id, month=month, team_id=team.pk
    )
    counts = {
        row["overall_grade"]: row["n"]
        for row in rows.values("overall_grade").annotate(n=Count("pk")).order_by()
    }
    by_grade = [
        [str(label), counts.get(value, 0)] for value, label in audit_selectors.Grade.choices
    ]
    good = sum(counts.get(g, 0) for g in audit_selectors.GOOD_OR_BETTER)
    return {"graded": sum(counts.values()), "good_or_better": good, "by_grade": by_grade}


def _observations(team: Team, month: datetime.date) -> dict[str, int]:
    source = figures.observation_grades([team.organisation_id])
    rows = figures.records_of(
        source, organisation_id=team.organisation_id, month=month, team_id=team.pk
    )
    return rows.aggregate(finished=Count("pk"), good_or_better=Count("pk", filter=source.numerator))


def _complaints(team: Team, month: datetime.date) -> dict[str, int]:
    by_stage = feedback_selectors.complaints_received_by_stage(
        organisation_id=team.organisation_id, team_id=team.pk, first=month, last=month_end(month)
    )
    return {
        "stage_1": by_stage.get(1, 0),
        "stage_2": by_stage.get(2, 0),
        "stage_3": by_stage.get(3, 0),
        "total": sum(by_stage.values()),
    }


def snapshot_of(team: Team, month: datetime.date) -> dict[str, Any]:
    """The team's figures for `month`, as they are now (aggregates only: no child)."""
    return {
        "month": month.isoformat(),
        "taken_at": timezone.now().isoformat(),
        "indicators": _indicator_exceptions(team, month),
        "audits": _audits(team, month),
        "observations": _observations(team, month),
        "complaints": _complaints(team, month),
        "data_quality": quality_selectors.open_issue_count_of(
            organisation_id=team.organisation_id, team_id=team.pk
        ),
    }


# Writes.


def teams_due_a_return(organisation_id: int | None = None) -> QuerySet[Team]:
    """Every team with a team manager (of one organisation, when given)."""
    teams = (
        Team.objects.all()
        if organisation_id is None
        else Team.objects.filter(organisation_id=organisation_id)
    )
    return (
        teams.filter(members__role=Role.TEAM_MANAGER)
        .distinct()
        .select_related("organisation")
        .order_by("pk")
    )


def returns_create(*, day: datetime.date, organisation_id: int | None = None) -> int:
    """Open the month-just-ended's return of every team with a team manager that has none
    yet (running it again creates nothing); the number opened. The demo opens one
    organisation's (`organisation_id`)."""
    month = month_of(day)
    due = due_on(day)
    done = set(ExceptionsReturn.objects.filter(month=month).values_list("team_id", flat=True))
    created = 0
    for team in teams_due_a_return(organisation_id):
        if team.pk in done:
            continue
        try:
            with transaction.atomic():
                ExceptionsReturn.objects.create(
                    organisation_id=team.organisation_id,
                    team=team,
                    service_id=team.service_id,
                    month=month,
                    due_on=due,
                    snapshot=snapshot_of(team, month),
                )
        except IntegrityError:
            # Another run opened it first.
            continue
        created += 1
    return created


def _locked(ret: ExceptionsReturn, revision: int) -> ExceptionsReturn:
    current = ExceptionsReturn.objects.select_for_update(of=("self",)).get(pk=ret.pk)
    if current.revision != revision:
        raise ReturnConflict(current)
    return current


def return_save(
    *,
    ret: ExceptionsReturn,
    by: StaffMember,
    data: Mapping[str, str],
    revision: int,
    submit: bool = False,
) -> ExceptionsReturn:
    """Save the team manager's narrative (and, with `submit`, send it to the service
    manager: every section must be written)."""
    with transaction.atomic():
        current = _locked(ret, revision)
        if current.status != ExceptionsReturn.Status.OPEN:
            raise ReturnError("This return has been submitted: it can no longer be changed")
        for name, _ in NARRATIVE_FIELDS:
            setattr(current, name, (data.get(name) or "").strip())
        if submit:
            missing = [label for name, label in NARRATIVE_FIELDS if not getattr(current, name)]
            if missing:
                raise ReturnError("Answer every section before you submit the return")
            current.status = ExceptionsReturn.Status.SUBMITTED
            current.submitted_by = by
            current.submitted_at = timezone.now()
        current.saved_by = by
        current.saved_at = timezone.now()
        current.revision += 1
        current.save()
        if submit:
            _tell_service_managers(current)
    return current


def _tell_service_managers(ret: ExceptionsReturn) -> None:
    """The return's service managers hear it is submitted (once, whatever the repeats)."""
    managers = StaffMember.objects.filter(
        role=Role.SERVICE_MANAGER, service_id=ret.service_id, user__is_active=True
    ).select_related("user")
    notify_many(
        Message(
            recipient=manager,
            kind=Notification.Kind.INFORMATION,
            subject=(
                f"{ret.team.name}'s performance exceptions return for {ret.month:%B %Y} "
                "is submitted for your commentary"
            ),
            url=ret.get_absolute_url(),
            key=f"exceptions-return:{ret.pk}:submitted:{manager.pk}",
        )
        for manager in managers
    )


def heads_of_service(organisation_id: int) -> QuerySet[StaffMember]:
    """Who writes at the head-of-service level (cascade_levels.staff_level)."""
    return (
        StaffMember.objects.filter(
            organisation_id=organisation_id,
            role=Role.SENIOR_LEADER,
            tier__lte=HEAD_OF_SERVICE_TIER,
            user__is_active=True,
        )
        .exclude(job_title__istartswith="chief executive")
        .select_related("user")
    )


def _tell_heads_of_service(summary: ServiceSummary) -> None:
    notify_many(
        Message(
            recipient=head,
            kind=Notification.Kind.INFORMATION,
            subject=(
                f"{summary.service.name}'s summary of the performance exceptions returns "
                f"for {summary.month:%B %Y} is written"
            ),
            url=summary.get_absolute_url(),
            key=f"service-summary:{summary.pk}:written:{head.pk}",
        )
        for head in heads_of_service(summary.organisation_id)
    )


def return_review(
    *, ret: ExceptionsReturn, by: StaffMember, commentary: str, revision: int
) -> ExceptionsReturn:
    """The service manager's commentary; the return is then reviewed."""
    with transaction.atomic():
        current = _locked(ret, revision)
        if current.status != ExceptionsReturn.Status.SUBMITTED:
            raise ReturnError("Only a submitted return can be reviewed")
        current.commentary = commentary.strip()
        current.status = ExceptionsReturn.Status.REVIEWED
        current.reviewed_by = by
        current.reviewed_at = timezone.now()
        current.revision += 1
        current.save()
    return current


def summary_save(
    *,
    service: Service,
    month: datetime.date,
    by: StaffMember,
    commentary: str,
    revision: int,
) -> ServiceSummary:
    with transaction.atomic():
        summary, _ = ServiceSummary.objects.get_or_create(
            service=service, month=month, defaults={"organisation_id": service.organisation_id}
        )
        summary = ServiceSummary.objects.select_for_update(of=("self",)).get(pk=summary.pk)
        if summary.revision != revision:
            raise ReturnConflict(summary)
        summary.commentary = commentary.strip()
        summary.written_by = by
        summary.written_at = timezone.now()
        summary.revision += 1
        summary.save()
        if summary.commentary:
            _tell_heads_of_service(summary)
    return summary


# Reads.


def returns(*, user: AnyUser) -> QuerySet[ExceptionsReturn]:
    return ExceptionsReturn.objects.visible_to(user).select_related(
        "team", "service", "submitted_by__user", "reviewed_by__user", "saved_by__user"
    )


def return_list(
    *, user: AnyUser, month: datetime.date | None = None, status: str = ""
) -> QuerySet[ExceptionsReturn]:
    rows = returns(user=user)
    if month is not None:
        rows = rows.filter(month=month)
    if status in ExceptionsReturn.Status.values:
        rows = rows.filter(status=status)
    return rows.order_by("-month", "team__name", "pk")


def months_of(*, user: AnyUser) -> list[datetime.date]:
    """The months the user has returns for, newest first (for the filter)."""
    return list(
        ExceptionsReturn.objects.visible_to(user)
        .order_by("-month")
        .values_list("month", flat=True)
        .distinct()
    )


def summary_services(*, user: AnyUser) -> QuerySet[Service]:
    """The services whose summary the user reads: a service manager's own; the
    organisation's for QA and senior leaders."""
    staff = staff_of(user)
    if staff is None:
        return Service.objects.none()
    services = Service.objects.filter(organisation_id=staff.organisation_id)
    if staff.role == Role.SERVICE_MANAGER:
        return services.filter(pk=staff.service_id or 0)
    if staff.role in (Role.QA, Role.SENIOR_LEADER):
        return services.order_by("name")
    return Service.objects.none()


def service_returns(
    *, user: AnyUser, service: Service, month: datetime.date
) -> list[ExceptionsReturn]:
    return list(returns(user=user).filter(service=service, month=month).order_by("team__name"))


def service_summary(
    *, user: AnyUser, service: Service, month: datetime.date
) -> ServiceSummary | None:
    return (
        ServiceSummary.objects.visible_to(user)
        .filter(service=service, month=month)
        .select_related("written_by__user", "service")
        .first()
    )


def status_counts(rows: QuerySet[ExceptionsReturn]) -> dict[str, int]:
    counts = rows.aggregate(
        **{value: Count("pk", filter=Q(status=value)) for value in ExceptionsReturn.Status.values}
    )
    return {str(k): int(v) for k, v in counts.items()}
