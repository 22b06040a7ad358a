"""Complaints and compliments: reads and writes.

Reads start from `visible_to(user)`; writes are `<entity>_<verb>` services, keyword-only,
in one transaction each (a refused write changes nothing), asking the rules in
feedback/rules.py. Deadlines are working days from core.dates: weekends and England's
bank holidays are not counted.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format

from cases.models import Case, Notification, Service, StaffMember, Team
from cases.notifications import notify
from cases.querysets import staff_of
from cases.roles import Role
from core.dates import add_working_days, working_days_between
from core.registry import ActionItem
from feedback.models.complaints import (
    TIMESCALES,
    Complaint,
    ComplaintAction,
    ComplaintPoint,
    ComplaintStage,
    Compliment,
    Outcome,
    PointOutcome,
    Stage,
)
from feedback.rules import cares_for_complaints, complaint_current_stage, may

if TYPE_CHECKING:
    from core.types import AnyUser


class ComplaintError(Exception):
    """Refused: the message says why, for the page."""


def _check(by: StaffMember, perm: str, obj: object, message: str) -> None:
    if not may(by.user, perm, obj):
        raise ComplaintError(message)


def _words(day: datetime.date) -> str:
    return date_format(day, "j F Y")


# Deadlines.


def stage_due_on(stage: int, started_on: datetime.date) -> datetime.date:
    """The response is due this many working days after the stage started (the stage 2
    and 3 clocks start on the day the complainant asked)."""
    return add_working_days(started_on, TIMESCALES[stage][0])


def stage_latest_extension(stage: int, started_on: datetime.date) -> datetime.date | None:
    """The furthest a stage's deadline may be extended to, or None if it may not be."""
    most = TIMESCALES[stage][1]
    return None if most is None else add_working_days(started_on, most)


@dataclass(frozen=True)
class StageClock:
    """A stage as its timeline shows it on `today`."""

    stage: ComplaintStage
    today: datetime.date

    @property
    def due_on(self) -> datetime.date:
        return self.stage.effective_due_on

    @property
    def overdue(self) -> bool:
        return self.stage.is_overdue(self.today)

    @property
    def working_days_left(self) -> int:
        return working_days_between(self.today, self.due_on)

    @property
    def working_days_late(self) -> int:
        end = self.stage.responded_on or self.today
        return working_days_between(self.due_on, end)

    @property
    def latest_extension(self) -> datetime.date | None:
        return stage_latest_extension(self.stage.stage, self.stage.started_on)


# Reads.


def complaint_records(*, user: AnyUser) -> QuerySet[Complaint]:
    """Complaints the user may see, with what their pages read."""
    return Complaint.objects.visible_to(user).select_related(
        "case__child", "case__adopter", "case__allocated_worker__user", "team", "service"
    )


def complaint_list(
    *,
    user: AnyUser,
    stage: int | None = None,
    status: str = "",
    overdue: bool = False,
    timeliness: str = "",
    quarter: datetime.date | None = None,
    since: datetime.date | None = None,
    due_by: datetime.date | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Complaint]:
    """The complaints list, newest received first (the order `complaint_org_newest`
    serves), filtered; `timeliness`, `quarter` (its first day) and `since` select by
    the stage given, as the figures count them; `due_by` keeps the complaints with a
    stage waiting for a response due on or before that day (the home page's card)."""
    today = today or timezone.localdate()
    complaints = Complaint.objects.visible_to(user)
    if status in Complaint.Status.values:
        complaints = complaints.filter(status=status)
    stages = ComplaintStage.objects.all()
    narrowed = False
    if stage in Stage.values:
        stages = stages.filter(stage=stage)
        if not (timeliness or quarter or since or overdue):
            complaints = complaints.filter(current_stage=stage)
    if overdue or timeliness == "overdue":
        stages, narrowed = stages.filter(overdue_filter(today)), True
    if timeliness in TIMELINESS_FILTERS and timeliness != "overdue":
        stages, narrowed = stages.filter(TIMELINESS_FILTERS[timeliness](today)), True
    if quarter is not None:
        stages = stages.filter(started_on__gte=quarter, started_on__lt=quarter_after(quarter))
        narrowed = True
    if since is not None:
        stages, narrowed = stages.filter(started_on__gte=since), True
    if due_by is not None:
        stages = stages.filter(responded_on__isnull=True).filter(due_by_filter(due_by))
        narrowed = True
    if narrowed:
        complaints = complaints.filter(pk__in=stages.values("complaint_id"))
    return with_stages(
        complaints.select_related("case__child", "case__adopter", "team", "service").order_by(
            "-received_on", "-pk"
        )
    )


def _effective_due() -> Coalesce:
    return Coalesce("extended_due_on", "due_on")


def overdue_filter(today: datetime.date) -> Q:
    """Stages not responded to and past their (extended) due date."""
    return Q(responded_on__isnull=True) & (
        Q(extended_due_on__lt=today) | Q(extended_due_on__isnull=True, due_on__lt=today)
    )


def on_time_filter(today: datetime.date) -> Q:
    return Q(responded_on__isnull=False, responded_on__lte=_effective_due())


def late_filter(today: datetime.date) -> Q:
    return Q(responded_on__isnull=False, responded_on__gt=_effective_due())


def open_in_time_filter(today: datetime.date) -> Q:
    return Q(responded_on__isnull=True) & (
        Q(extended_due_on__gte=today) | Q(extended_due_on__isnull=True, due_on__gte=today)
    )


def due_by_filter(day: datetime.date) -> Q:
    """Stages whose (extended) due date is on or before `day`."""
    return Q(extended_due_on__lte=day) | Q(extended_due_on__isnull=True, due_on__lte=day)


TIMELINESS_FILTERS = {
    "on_time": on_time_filter,
    "late": late_filter,
    "overdue": overdue_filter,
    "open": open_in_time_filter,
}


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_after(start: datetime.date) -> datetime.date:
    month = start.month + 3
    return datetime.date(start.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


@dataclass
class ComplaintView:
    complaint: Complaint
    stages: list[StageClock]
    points: list[ComplaintPoint]
    # Each point's outcome at each stage: {point pk: {stage number: outcome}}.
    outcomes: dict[int, dict[int, PointOutcome]]
    actions: list[ComplaintAction]

    @property
    def point_rows(self) -> list[tuple[ComplaintPoint, list[PointOutcome | None]]]:
        """Each point with its outcome at each stage (None: not yet found)."""
        return [
            (p, [self.outcomes.get(p.pk, {}).get(c.stage.stage) for c in self.stages])
            for p in self.points
        ]

    @property
    def current(self) -> StageClock | None:
        return next((c for c in self.stages if c.stage.stage == self.complaint.current_stage), None)


def complaint_view(*, complaint: Complaint, today: datetime.date | None = None) -> ComplaintView:
    """Everything the complaint's page reads, in a fixed number of queries, for a
    complaint already reached through `visible_to`."""
    today = today or timezone.localdate()
    stages = list(complaint.stages.select_related("officer__user"))
    points = list(complaint.points.all())
    outcomes: dict[int, dict[int, PointOutcome]] = {p.pk: {} for p in points}
    by_stage = {s.pk: s.stage for s in stages}
    for outcome in PointOutcome.objects.filter(point__complaint=complaint):
        outcomes.setdefault(outcome.point_id, {})[by_stage[outcome.stage_id]] = outcome
    return ComplaintView(
        complaint=complaint,
        stages=[StageClock(stage=s, today=today) for s in stages],
        points=points,
        outcomes=outcomes,
        actions=list(complaint.actions.select_related("owner__user")),
    )


def with_stages(complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    return complaints.prefetch_related(
        Prefetch("stages", queryset=ComplaintStage.objects.order_by("stage"))
    )


def current_clock(complaint: Complaint, today: datetime.date) -> StageClock | None:
    """The complaint's current stage on `today` (from prefetched stages, `with_stages`)."""
    stage = complaint_current_stage(complaint)
    return None if stage is None else StageClock(stage=stage, today=today)


def case_complaints(*, user: AnyUser, case_ids: list[int]) -> QuerySet[Complaint]:
    """The complaints about a child's or adopter's cases the user may see."""
    return with_stages(
        Complaint.objects.visible_to(user)
        .filter(case_id__in=case_ids)
        .order_by("-received_on", "-pk")
    )


def case_by_reference(*, user: AnyUser, reference: str) -> Case | None:
    """The visible case (an open one first) of the child or adopter with this ID."""
    reference = reference.strip()
    if not reference:
        return None
    return (
        Case.objects.visible_to(user)
        .filter(Q(child__reference__iexact=reference) | Q(adopter__reference__iexact=reference))
        .select_related("team", "service", "child", "adopter", "allocated_worker")
        .order_by("status", "-opened_on", "-pk")
        .first()
    )


def team_choices(*, organisation_id: int) -> QuerySet[Team]:
    return Team.objects.filter(organisation_id=organisation_id).order_by("name", "pk")


def service_choices(*, organisation_id: int) -> QuerySet[Service]:
    return Service.objects.filter(organisation_id=organisation_id).order_by("name", "pk")


def staff_choices(*, organisation_id: int) -> QuerySet[StaffMember]:
    """Officers, action owners and workers complimented: the organisation's active staff."""
    return (
        StaffMember.objects.filter(organisation_id=organisation_id, user__is_active=True)
        .exclude(role=Role.REGIONAL_LEAD)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


# The home page's complaints card.

# Customer care's card lists the stages due within this many working days, or overdue.
DUE_SOON_WORKING_DAYS = 3


def due_soon_by(today: datetime.date) -> datetime.date:
    return add_working_days(today, DUE_SOON_WORKING_DAYS)


def stages_due_soon(*, user: AnyUser, today: datetime.date) -> QuerySet[ComplaintStage]:
    """Open complaints' stages waiting for a response that are due within three working
    days or overdue, soonest due first, each with `due` (its extended or first due date)
    and `total` (how many there are in all, so a slice of it is one query)."""
    return (
        ComplaintStage.objects.visible_to(user)
        .filter(responded_on__isnull=True, complaint__status=Complaint.Status.OPEN)
        .filter(due_by_filter(due_soon_by(today)))
        .select_related("complaint__case__child", "complaint__case__adopter")
        .annotate(due=_effective_due(), total=Window(Count("pk")))
        .order_by("due", "pk")
    )


def open_complaints_held(*, user: AnyUser) -> QuerySet[Complaint]:
    """The open complaints the user sees (for a worker or manager: those about their
    cases, team or service), oldest received first, each with its current stage's `due`
    date and `total` (how many in all)."""
    current = ComplaintStage.objects.filter(
        complaint=OuterRef("pk"), stage=OuterRef("current_stage")
    ).annotate(due=_effective_due())
    return (
        Complaint.objects.visible_to(user)
        .filter(status=Complaint.Status.OPEN)
        .select_related("case__child", "case__adopter", "team")
        .annotate(due=Subquery(current.values("due")[:1]), total=Window(Count("pk")))
        .order_by("received_on", "pk")
    )


def action_records(*, user: AnyUser) -> QuerySet[ComplaintAction]:
    return ComplaintAction.objects.visible_to(user).select_related("complaint")


def open_complaint_actions(*, organisation_id: int) -> QuerySet[ComplaintAction]:
    """The organisation's complaint actions not yet done (the nightly reminders)."""
    return ComplaintAction.objects.filter(
        organisation_id=organisation_id, status=ComplaintAction.Status.OPEN
    )


def open_complaint_stages(*, organisation_id: int) -> QuerySet[ComplaintStage]:
    """The organisation's stages waiting for a response, of open complaints."""
    return ComplaintStage.objects.filter(
        organisation_id=organisation_id,
        responded_on__isnull=True,
        complaint__status=Complaint.Status.OPEN,
    )


def complaint_action_items(*, user: AnyUser) -> list[ActionItem]:
    """The user's open complaint actions, for `core.registry.action_sources`."""
    staff = staff_of(user)
    if staff is None:
        return []
    actions = (
        ComplaintAction.objects.visible_to(user)
        .filter(owner=staff, status=ComplaintAction.Status.OPEN)
        .select_related("complaint", "owner__user")
        .order_by("due_on", "pk")
    )
    return [
        ActionItem(
            title=action.description,
            source=f"Complaint {action.complaint.reference}",
            owner=action.owner.display_name,
            due_on=action.due_on,
            url=action.get_absolute_url(),
            # The action's own page names no child: only its complaint's reference.
            cases=[],
        )
        for action in actions
    ]


def compliment_records(*, user: AnyUser) -> QuerySet[Compliment]:
    return (
        Compliment.objects.visible_to(user)
        .select_related("worker__user", "team", "recorded_by__user")
        .order_by("-received_on", "-pk")
    )


# Writes: complaints.


def _next_reference(organisation_id: int, received_on: datetime.date) -> str:
    prefix = f"CMP-{received_on.year}-"
    last = (
        Complaint.objects.filter(organisation_id=organisation_id, reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _about(
    by: StaffMember, case: Case | None, team: Team | None, service: Service | None
) -> tuple[Team | None, Service | None]:
    if case is not None:
        if case.organisation_id != by.organisation_id:
            raise ComplaintError("Choose a case of your own organisation")
        return case.team, case.service
    if team is not None:
        if team.organisation_id != by.organisation_id:
            raise ComplaintError("Choose a team of your own organisation")
        return team, team.service
    if service is not None:
        if service.organisation_id != by.organisation_id:
            raise ComplaintError("Choose a service of your own organisation")
        return None, service
    raise ComplaintError("Say which case, team or service the complaint is about")


@transaction.atomic
def complaint_create(
    *,
    by: StaffMember,
    received_on: datetime.date,
    complainant_type: str,
    complainant_name: str = "",
    case: Case | None = None,
    team: Team | None = None,
    service: Service | None = None,
    summary: str,
    points: list[str],
    officer: StaffMember | None = None,
) -> Complaint:
    """Record a complaint with its points; stage 1 starts on the day it was received."""
    if not may(by.user, "feedback.record_complaint", None):
        raise ComplaintError("Only the customer care service can record complaints")
    if received_on > timezone.localdate():
        raise ComplaintError("The date received must be today or in the past")
    points = [p.strip() for p in points if p.strip()]
    if not points:
        raise ComplaintError("Enter at least one point of complaint")
    team, service = _about(by, case, team, service)
    if officer is not None and officer.organisation_id != by.organisation_id:
        raise ComplaintError("Choose an officer of your own organisation")
    complaint = Complaint(
        organisation_id=by.organisation_id,
        reference=_next_reference(by.organisation_id, received_on),
        received_on=received_on,
        complainant_type=complainant_type,
        complainant_name=complainant_name.strip(),
        case=case,
        team=team,
        service=service,
        summary=summary,
        recorded_by=by,
    )
    complaint.full_clean()
    try:
        with transaction.atomic():
            complaint.save()
    except IntegrityError as error:
        raise ComplaintError(
            "Another complaint was recorded at the same moment: try again"
        ) from error
    _stage_start(complaint, Stage.LOCAL_RESOLUTION, received_on, officer)
    for number, text in enumerate(points, start=1):
        _point_add(complaint, number, text)
    return complaint


def _stage_start(
    complaint: Complaint, stage: int, started_on: datetime.date, officer: StaffMember | None
) -> ComplaintStage:
    row = ComplaintStage(
        organisation_id=complaint.organisation_id,
        complaint=complaint,
        stage=stage,
        started_on=started_on,
        due_on=stage_due_on(stage, started_on),
        officer=officer,
    )
    row.full_clean()
    row.save()
    if officer is not None:
        notify(
            recipient=officer,
            kind=Notification.Kind.ASSIGNMENT,
            subject=(
                f"Complaint {complaint.reference}: you are the officer for stage {stage}, "
                f"response due {_words(row.due_on)}"
            ),
            url=complaint.get_absolute_url(),
            key=f"complaint-stage:{row.pk}:officer:{officer.pk}",
        )
    return row


def _point_add(complaint: Complaint, number: int, text: str) -> ComplaintPoint:
    point = ComplaintPoint(
        organisation_id=complaint.organisation_id, complaint=complaint, number=number, text=text
    )
    point.full_clean()
    point.save()
    return point


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _current(complaint: Complaint) -> ComplaintStage:
    stage = complaint_current_stage(complaint)
    if stage is None:  # pragma: no cover - every complaint starts with its stage 1
        raise ComplaintError("The complaint has no current stage")
    return stage


@transaction.atomic
def complaint_point_add(*, complaint: Complaint, by: StaffMember, text: str) -> ComplaintPoint:
    complaint = _locked(complaint)
    _check(
        by, "feedback.add_complaint_point", complaint, "Points are added to open complaints only"
    )
    if not text.strip():
        raise ComplaintError("Enter the point of complaint")
    last = complaint.points.order_by("-number").values_list("number", flat=True).first() or 0
    return _point_add(complaint, last + 1, text.strip())


@transaction.atomic
def stage_respond(
    *,
    complaint: Complaint,
    by: StaffMember,
    responded_on: datetime.date,
    outcomes: Mapping[int, str],
    response: str = "",
) -> ComplaintStage:
    """Record the response to the current stage, with an outcome for every point."""
    complaint = _locked(complaint)
    stage = _current(complaint)
    if stage.responded_on is not None:
        raise ComplaintError(f"Stage {stage.stage} has already been responded to")
    _check(by, "feedback.respond_to_complaint", complaint, "Only customer care can record this")
    if responded_on < stage.started_on:
        raise ComplaintError(
            f"The response date must be on or after the stage started ({_words(stage.started_on)})"
        )
    if responded_on > timezone.localdate():
        raise ComplaintError("The response date must be today or in the past")
    points = list(complaint.points.all())
    missing = [p.number for p in points if outcomes.get(p.pk) not in Outcome.values]
    if missing:
        raise ComplaintError("Choose an outcome for point " + ", ".join(str(n) for n in missing))
    stage.responded_on = responded_on
    stage.response = response
    stage.full_clean()
    stage.save(update_fields=["responded_on", "response"])
    PointOutcome.objects.bulk_create(
        PointOutcome(
            organisation_id=complaint.organisation_id,
            point=point,
            stage=stage,
            outcome=outcomes[point.pk],
        )
        for point in points
    )
    return stage


@transaction.atomic
def stage_extend(
    *,
    complaint: Complaint,
    by: StaffMember,
    extended_due_on: datetime.date,
    reason: str,
) -> ComplaintStage:
    """Extend the current stage's deadline, within its statutory limit."""
    complaint = _locked(complaint)
    stage = _current(complaint)
    latest = stage_latest_extension(stage.stage, stage.started_on)
    if latest is None:
        raise ComplaintError(f"Stage {stage.stage} cannot be extended")
    _check(
        by,
        "feedback.extend_complaint_stage",
        complaint,
        "Only an open stage waiting for its response can be extended",
    )
    if not reason.strip():
        raise ComplaintError("Enter the reason for the extension")
    if extended_due_on <= stage.due_on:
        raise ComplaintError(f"The new due date must be after {_words(stage.due_on)}")
    if extended_due_on > latest:
        most = TIMESCALES[stage.stage][1]
        raise ComplaintError(
            f"Stage {stage.stage} can be extended to {most} working days at most: "
            f"choose a date on or before {_words(latest)}"
        )
    stage.extended_due_on = extended_due_on
    stage.extension_reason = reason.strip()
    stage.full_clean()
    stage.save(update_fields=["extended_due_on", "extension_reason"])
    return stage


@transaction.atomic
def complaint_escalate(
    *,
    complaint: Complaint,
    by: StaffMember,
    requested_on: datetime.date,
    officer: StaffMember | None = None,
) -> ComplaintStage:
    """The complainant asked for the next stage: it starts on the day they asked, and
    its response is due 25 (stage 2) or 30 (stage 3) working days later."""
    complaint = _locked(complaint)
    stage = _current(complaint)
    if complaint.current_stage >= Stage.REVIEW_PANEL:
        raise ComplaintError("Stage 3 is the last stage of the procedure")
    if stage.responded_on is None:
        raise ComplaintError(f"Record the stage {stage.stage} response before escalating")
    _check(by, "feedback.escalate_complaint", complaint, "Only customer care can escalate it")
    if requested_on < stage.responded_on:
        raise ComplaintError(
            f"The date they asked must be on or after the stage {stage.stage} response "
            f"({_words(stage.responded_on)})"
        )
    if requested_on > timezone.localdate():
        raise ComplaintError("The date they asked must be today or in the past")
    if officer is not None and officer.organisation_id != complaint.organisation_id:
        raise ComplaintError("Choose an officer of your own organisation")
    complaint.current_stage += 1
    complaint.full_clean()
    complaint.save(update_fields=["current_stage"])
    return _stage_start(complaint, complaint.current_stage, requested_on, officer)


@transaction.atomic
def complaint_close(
    *, complaint: Complaint, by: StaffMember, closed_on: datetime.date
) -> Complaint:
    complaint = _locked(complaint)
    if not complaint.is_open:
        raise ComplaintError("The complaint is already closed")
    stage = _current(complaint)
    _check(
        by,
        "feedback.close_complaint",
        complaint,
        f"Record the stage {stage.stage} response before closing the complaint",
    )
    if stage.responded_on and closed_on < stage.responded_on:
        raise ComplaintError(
            f"The date closed must be on or after the response ({_words(stage.responded_on)})"
        )
    if closed_on > timezone.localdate():
        raise ComplaintError("The date closed must be today or in the past")
    complaint.status = Complaint.Status.CLOSED
    complaint.closed_on = closed_on
    complaint.full_clean()
    complaint.save(update_fields=["status", "closed_on"])
    return complaint


@transaction.atomic
def complaint_learning_save(*, complaint: Complaint, by: StaffMember, learning: str) -> Complaint:
    complaint = _locked(complaint)
    _check(by, "feedback.edit_complaint_learning", complaint, "Only customer care can record it")
    complaint.learning = learning.strip()
    complaint.save(update_fields=["learning"])
    return complaint


@transaction.atomic
def complaint_action_add(
    *,
    complaint: Complaint,
    by: StaffMember,
    description: str,
    owner: StaffMember,
    due_on: datetime.date,
) -> ComplaintAction:
    _check(by, "feedback.add_complaint_action", complaint, "Only customer care can add actions")
    if owner.organisation_id != complaint.organisation_id:
        raise ComplaintError("Choose someone of the complaint's organisation")
    action = ComplaintAction(
        organisation_id=complaint.organisation_id,
        complaint=complaint,
        description=description,
        owner=owner,
        due_on=due_on,
        created_by=by,
    )
    action.full_clean()
    action.save()
    if owner.pk != by.pk:
        notify(
            recipient=owner,
            kind=Notification.Kind.ASSIGNMENT,
            subject=(
                f"{by.display_name} has given you an action from complaint {complaint.reference}"
            ),
            url=action.get_absolute_url(),
            key=f"complaint-action:{action.pk}:assigned",
        )
    return action


@transaction.atomic
def complaint_action_complete(*, action: ComplaintAction, by: StaffMember) -> ComplaintAction:
    action = ComplaintAction.objects.select_for_update().get(pk=action.pk)
    if not may(by.user, "feedback.complete_complaint_action", action):
        if action.status == ComplaintAction.Status.DONE:
            return action
        raise ComplaintError("Only the action's owner or customer care can complete it")
    action.status = ComplaintAction.Status.DONE
    action.done_on = timezone.localdate()
    action.save(update_fields=["status", "done_on"])
    return action


# Writes: compliments.


def _team_managers(team_id: int | None) -> list[StaffMember]:
    if team_id is None:
        return []
    return list(
        StaffMember.objects.filter(
            team_id=team_id, role=Role.TEAM_MANAGER, user__is_active=True
        ).order_by("pk")
    )


@transaction.atomic
def compliment_record(
    *,
    by: StaffMember,
    received_on: datetime.date,
    from_type: str,
    from_name: str = "",
    worker: StaffMember | None = None,
    team: Team | None = None,
    what_they_said: str,
) -> Compliment:
    """Record a compliment and share it with the worker and their team manager."""
    if not may(by.user, "feedback.record_compliment", None):
        raise ComplaintError("You cannot record compliments")
    if received_on > timezone.localdate():
        raise ComplaintError("The date received must be today or in the past")
    for item in (worker, team):
        if item is not None and item.organisation_id != by.organisation_id:
            raise ComplaintError("Choose a worker or team of your own organisation")
    if worker is None and team is None:
        raise ComplaintError("Choose the worker or the team the compliment is about")
    if team is None and worker is not None:
        team = worker.team
    compliment = Compliment(
        organisation_id=by.organisation_id,
        received_on=received_on,
        from_type=from_type,
        from_name=from_name.strip(),
        worker=worker,
        team=team,
        service_id=_service_of(team, worker),
        what_they_said=what_they_said,
        recorded_by=by,
    )
    compliment.full_clean()
    compliment.save()
    _share_compliment(compliment, by)
    return compliment


def _service_of(team: Team | None, worker: StaffMember | None) -> int | None:
    if team is not None:
        return team.service_id
    return worker.service_id if worker is not None else None


def _share_compliment(compliment: Compliment, by: StaffMember) -> None:
    told: set[int] = {by.pk}
    about = compliment.worker.display_name if compliment.worker else compliment.team
    recipients: list[tuple[StaffMember, str]] = []
    if compliment.worker is not None:
        recipients.append((compliment.worker, "You have received a compliment"))
    for manager in _team_managers(compliment.team_id):
        recipients.append((manager, f"A compliment for {about}"))
    for recipient, subject in recipients:
        if recipient.pk in told:
            continue
        told.add(recipient.pk)
        notify(
            recipient=recipient,
            kind=Notification.Kind.INFORMATION,
            subject=subject,
            url=compliment.get_absolute_url(),
            key=f"compliment:{compliment.pk}:shared",
        )


def sees_all_complaints(user: AnyUser) -> bool:
    """Whether the user manages complaints (the list then offers "Record a complaint")."""
    return bool(cares_for_complaints(user, None))
