"""Dispute resolution: challenges by independent chairs about a child's plan, their
stages, responses, agreed actions, and the reminders and escalations of the nightly job.

Reads start from `visible_to(user)` (or one organisation's rows for the nightly job);
writes are `<entity>_<verb>` services, keyword-only, in one transaction each (a refused
write changes nothing), asking the rules in feedback/rules.py. The views import this
module; the figures are in feedback/figures_disputes.py.

A stage's due date is its raised date plus the organisation's working days for the
stage (core.dates: weekends and bank holidays are not counted). A stage is with the
case's team manager (informal and formal stage 1), its service manager (stage 2) or the
organisation's director (stage 3).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.db import transaction
from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.utils import timezone
from django.utils.formats import date_format

from cases.models import Case, Notification, Organisation, Service, StaffMember
from cases.notifications import Message, notify, when_due
from cases.querysets import staff_of
from cases.roles import Role
from core.batches import in_batches
from core.dates import add_working_days
from core.registry import ActionItem
from feedback.models import (
    DEFAULT_WORKING_DAYS,
    STAGE_ORDER,
    Challenge,
    ChallengeAction,
    ChallengeStage,
    ChallengeTheme,
    ChallengeThemeTag,
    DisputeStage,
    DisputeStageTimescale,
    StageOutcome,
    next_stage,
)
from feedback.rules import may

if TYPE_CHECKING:
    from core.types import AnyUser


def _day(day: datetime.date) -> str:
    return date_format(day, "j F Y")


class ChallengeStateError(Exception):
    """Refused: the message says why, for the page."""


def _check(by: StaffMember, perm: str, obj: object, message: str) -> None:
    if not may(by.user, perm, obj):
        raise ChallengeStateError(message)


# Timescales.


def timescales_for(*, organisation_id: int) -> dict[str, int]:
    """Working days to respond at each stage: the organisation's, or the defaults."""
    days = dict(DEFAULT_WORKING_DAYS)
    rows = DisputeStageTimescale.objects.filter(organisation_id=organisation_id)
    days.update(dict(rows.values_list("stage", "working_days")))
    return days


def stage_due_on(*, organisation_id: int, stage: str, raised_on: datetime.date) -> datetime.date:
    return add_working_days(raised_on, timescales_for(organisation_id=organisation_id)[stage])


@transaction.atomic
def dispute_timescales_set(
    *, organisation: Organisation, by: StaffMember, days: dict[str, int]
) -> None:
    """Set the organisation's working days per stage (the QA service). Open stages keep
    the due dates they were given."""
    if not by.user.has_perm("feedback.set_dispute_timescales") or (
        by.organisation_id != organisation.pk and not by.user.is_superuser
    ):
        raise ChallengeStateError("Only the QA service sets the dispute resolution timescales")
    for stage in STAGE_ORDER:
        if stage not in days:
            continue
        row = DisputeStageTimescale(
            organisation=organisation, stage=stage, working_days=days[stage]
        )
        row.full_clean(validate_unique=False)
        DisputeStageTimescale.objects.update_or_create(
            organisation=organisation, stage=stage, defaults={"working_days": days[stage]}
        )


def timescales_seed(*, organisation: Organisation) -> None:
    """Give an organisation the default timescales where it has none (idempotent)."""
    for stage, days in DEFAULT_WORKING_DAYS.items():
        DisputeStageTimescale.objects.get_or_create(
            organisation=organisation, stage=stage, defaults={"working_days": days}
        )


# Who a stage is with.


@dataclass(frozen=True)
class StagePeople:
    """One organisation's people that stages go to, loaded once: team managers by team,
    service managers by service, and the director."""

    team_managers: dict[int, StaffMember]
    service_managers: dict[int, StaffMember]
    director: StaffMember | None

    def for_stage(self, stage: str, case: Case) -> StaffMember | None:
        if stage in (DisputeStage.INFORMAL, DisputeStage.STAGE_1):
            return self.team_managers.get(case.team_id)
        if stage == DisputeStage.STAGE_2:
            return self.service_managers.get(case.service_id) or self.director
        return self.director

    def above(self, stage: str, case: Case, responder: StaffMember | None) -> StaffMember | None:
        """Whom an overdue stage is escalated to: the person of the next stage up who is
        not the one it is with (informal and stage 1 are both the team manager's), or
        the responder's line manager where there is none."""
        going_to = next_stage(stage)
        while going_to is not None:
            person = self.for_stage(going_to, case)
            if person is not None and (responder is None or person.pk != responder.pk):
                return person
            going_to = next_stage(going_to)
        return responder.line_manager if responder is not None else None


def stage_people(*, organisation_id: int) -> StagePeople:
    staff = (
        StaffMember.objects.filter(
            organisation_id=organisation_id,
            user__is_active=True,
            role__in=(Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.SENIOR_LEADER),
        )
        .select_related("user")
        .order_by("-tier", "pk")
    )
    team_managers: dict[int, StaffMember] = {}
    service_managers: dict[int, StaffMember] = {}
    director = None
    for person in staff:
        if person.role == Role.TEAM_MANAGER and person.team_id:
            team_managers.setdefault(person.team_id, person)
        elif person.role == Role.SERVICE_MANAGER and person.service_id:
            service_managers.setdefault(person.service_id, person)
        elif person.role == Role.SENIOR_LEADER and director is None:
            # The most senior (directors first: ordered by tier).
            director = person
    return StagePeople(team_managers, service_managers, director)


# Reads.


@dataclass(frozen=True)
class ChallengeFilters:
    stage: str = ""
    status: str = ""
    overdue: bool = False
    service: Service | None = None
    theme: str = ""
    month: datetime.date | None = None
    reached: str = ""
    in_time: bool = False


def challenge_list(
    *, user: AnyUser, filters: ChallengeFilters | None = None, today: datetime.date | None = None
) -> QuerySet[Challenge]:
    """The challenges the user may see, newest raised first, with what the list shows."""
    filters = filters or ChallengeFilters()
    today = today or timezone.localdate()
    challenges = Challenge.objects.visible_to(user)
    if filters.stage:
        challenges = challenges.filter(stage=filters.stage)
    if filters.status:
        challenges = challenges.filter(status=filters.status)
    if filters.overdue:
        challenges = challenges.filter(status=Challenge.Status.OPEN, due_on__lt=today)
    if filters.service is not None:
        challenges = challenges.filter(case__service=filters.service)
    if filters.theme:
        challenges = challenges.filter(
            pk__in=ChallengeThemeTag.objects.filter(theme=filters.theme).values("challenge_id")
        )
    if filters.month is not None:
        challenges = challenges.filter(
            raised_on__year=filters.month.year, raised_on__month=filters.month.month
        )
    if filters.reached:
        challenges = challenges.filter(
            pk__in=ChallengeStage.objects.filter(stage=filters.reached).values("challenge_id")
        )
    if filters.in_time:
        challenges = challenges.filter(status=Challenge.Status.RESOLVED, closed_on__lte=F("due_on"))
    return (
        challenges.select_related("case__child", "case__service", "case__team", "raised_by__user")
        .prefetch_related(Prefetch("themes", queryset=ChallengeThemeTag.objects.order_by("theme")))
        .order_by("-raised_on", "-pk")
    )


def challenge_records(*, user: AnyUser) -> QuerySet[Challenge]:
    """The challenges whose pages the user may open (the view looks one up, or 404s)."""
    return Challenge.objects.visible_to(user).select_related(
        "case__child",
        "case__service",
        "case__team",
        "case__allocated_worker__user",
        "raised_by__user",
    )


def challenge_action_records(*, user: AnyUser) -> QuerySet[ChallengeAction]:
    return ChallengeAction.objects.visible_to(user).select_related("challenge__case", "owner__user")


@dataclass
class Timeline:
    stages: list[ChallengeStage]
    themes: list[ChallengeThemeTag]
    actions: list[ChallengeAction]

    @property
    def current(self) -> ChallengeStage | None:
        return self.stages[-1] if self.stages else None


def challenge_timeline(*, challenge: Challenge) -> Timeline:
    """A challenge's stages (oldest first), themes and agreed actions, in three queries."""
    return Timeline(
        stages=list(
            challenge.stages.select_related("responder__user", "responded_by__user").order_by(
                "raised_on", "pk"
            )
        ),
        themes=list(challenge.themes.order_by("theme")),
        actions=list(challenge.actions.select_related("owner__user").order_by("due_on", "pk")),
    )


def case_for_challenge(*, user: AnyUser, case_pk: int) -> Case | None:
    """A child's case the user may see, to raise a challenge on; None otherwise."""
    return (
        Case.objects.visible_to(user)
        .filter(pk=case_pk, child__isnull=False)
        .select_related("child", "team", "service")
        .first()
    )


def case_challenges(*, user: AnyUser, case_ids: list[int]) -> QuerySet[Challenge]:
    """The challenges about these cases the user may see (the child's record panel)."""
    return (
        Challenge.objects.visible_to(user)
        .filter(case_id__in=case_ids)
        .select_related("raised_by__user")
        .order_by("-raised_on", "-pk")
    )


def action_owner_choices(*, challenge: Challenge) -> QuerySet[StaffMember]:
    """Who an agreed action may be for: the staff of the case's team and service."""
    case = challenge.case
    return (
        StaffMember.objects.filter(organisation_id=challenge.organisation_id, user__is_active=True)
        .filter(Q(team_id=case.team_id) | Q(service_id=case.service_id, team__isnull=True))
        .exclude(role=Role.REGIONAL_LEAD)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def service_choices(*, user: AnyUser) -> QuerySet[Service]:
    return Service.objects.visible_to(user).order_by("name", "pk")


def challenge_action_items(*, user: AnyUser) -> list[ActionItem]:
    """The user's open agreed actions, for `core.registry.action_sources`."""
    staff = staff_of(user)
    if staff is None:
        return []
    actions = (
        ChallengeAction.objects.visible_to(user)
        .filter(owner=staff, status=ChallengeAction.Status.OPEN)
        .select_related("challenge__case", "stage", "owner__user")
        .order_by("due_on", "pk")
    )
    return [
        ActionItem(
            title=action.description,
            source=f"Dispute resolution: {action.stage.get_stage_display()}",
            owner=action.owner.display_name,
            due_on=action.due_on,
            url=action.get_absolute_url(),
            cases=[action.challenge.case],
        )
        for action in actions
    ]


# The home page's challenges card: each read is one query, with `total` (how many in
# all) on every row so that a slice of it needs no count.


def challenges_raised_open(*, user: AnyUser) -> QuerySet[Challenge]:
    """The open challenges the user raised (an independent reviewing officer's), the
    soonest due first."""
    staff = staff_of(user)
    if staff is None:
        return Challenge.objects.none()
    return (
        Challenge.objects.visible_to(user)
        .filter(raised_by=staff, status=Challenge.Status.OPEN)
        .select_related("case__child", "case__adopter")
        .annotate(total=Window(Count("pk")))
        .order_by("due_on", "pk")
    )


def stages_awaiting_response(*, user: AnyUser) -> QuerySet[ChallengeStage]:
    """The current stages of open challenges the user may see that are with them and have
    no response yet, the soonest due first."""
    staff = staff_of(user)
    if staff is None:
        return ChallengeStage.objects.none()
    return (
        ChallengeStage.objects.visible_to(user)
        .filter(
            responder=staff,
            responded_on__isnull=True,
            stage=F("challenge__stage"),
            challenge__status=Challenge.Status.OPEN,
        )
        .select_related("challenge__case__child", "challenge__case__adopter")
        .annotate(total=Window(Count("pk")))
        .order_by("due_on", "pk")
    )


def open_stages(*, organisation_id: int) -> QuerySet[ChallengeStage]:
    """The organisation's stages still waiting to end (for the nightly job)."""
    return ChallengeStage.objects.filter(organisation_id=organisation_id, outcome="")


# Writes.


def _themes_clean(themes: Iterable[str]) -> list[str]:
    chosen = sorted(set(themes))
    if not chosen:
        raise ChallengeStateError("Choose what the challenge is about")
    if any(theme not in ChallengeTheme.values for theme in chosen):
        raise ChallengeStateError("Choose what the challenge is about from the list")
    return chosen


def _stage_open(
    *, challenge: Challenge, stage: str, raised_on: datetime.date, reason: str = ""
) -> ChallengeStage:
    people = stage_people(organisation_id=challenge.organisation_id)
    row = ChallengeStage(
        organisation_id=challenge.organisation_id,
        challenge=challenge,
        stage=stage,
        raised_on=raised_on,
        due_on=stage_due_on(
            organisation_id=challenge.organisation_id, stage=stage, raised_on=raised_on
        ),
        responder=people.for_stage(stage, challenge.case),
        reason=reason,
    )
    row.full_clean(exclude=["challenge"])
    row.save()
    challenge.stage = stage
    challenge.due_on = row.due_on
    challenge.save(update_fields=["stage", "due_on"])
    notify(
        recipient=row.responder,
        kind=Notification.Kind.REMINDER,
        subject=(
            f"An independent chair's challenge is with you at {row.get_stage_display().lower()}: "
            f"respond by {_day(row.due_on)}"
        ),
        url=challenge.get_absolute_url(),
        key=f"challenge-stage:{row.pk}:opened",
    )
    return row


@transaction.atomic
def challenge_raise(
    *,
    by: StaffMember,
    case: Case,
    themes: Iterable[str],
    description: str,
    stage: str = DisputeStage.INFORMAL,
    raised_on: datetime.date | None = None,
) -> Challenge:
    """An independent chair raises a challenge about a child's plan."""
    if not by.user.has_perm("feedback.raise_challenge"):
        raise ChallengeStateError("Only an independent chair raises a challenge")
    if case.child_id is None:
        raise ChallengeStateError("A challenge is about a child's plan: choose a child's case")
    if not Case.objects.visible_to(by.user).filter(pk=case.pk).exists():
        raise ChallengeStateError("You cannot see that child's case")
    if stage not in DisputeStage.values:
        raise ChallengeStateError("Choose the stage to start at")
    chosen = _themes_clean(themes)
    if not description.strip():
        raise ChallengeStateError("Enter what the challenge is about")
    raised_on = raised_on or timezone.localdate()
    challenge = Challenge(
        organisation_id=case.organisation_id,
        case=case,
        raised_by=by,
        raised_on=raised_on,
        description=description.strip(),
        stage=stage,
        due_on=raised_on,
    )
    challenge.full_clean()
    challenge.save()
    ChallengeThemeTag.objects.bulk_create(
        ChallengeThemeTag(organisation_id=case.organisation_id, challenge=challenge, theme=theme)
        for theme in chosen
    )
    _stage_open(challenge=challenge, stage=stage, raised_on=raised_on)
    return challenge


def _current(challenge: Challenge) -> ChallengeStage:
    return ChallengeStage.objects.select_for_update().get(
        challenge=challenge, stage=challenge.stage
    )


def _locked(challenge: Challenge) -> Challenge:
    locked = (
        Challenge.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=challenge.pk)
    )
    return locked


@transaction.atomic
def challenge_respond(
    *,
    challenge: Challenge,
    by: StaffMember,
    response: str,
    responded_on: datetime.date | None = None,
    action_description: str = "",
    action_owner: StaffMember | None = None,
    action_due_on: datetime.date | None = None,
) -> ChallengeStage:
    """The person a stage is with responds; an action the response agrees is tracked."""
    challenge = _locked(challenge)
    _check(by, "feedback.respond_challenge", challenge, "You cannot respond to this challenge")
    if not response.strip():
        raise ChallengeStateError("Enter your response")
    stage = _current(challenge)
    stage.response = response.strip()
    stage.responded_by = by
    stage.responded_on = responded_on or timezone.localdate()
    stage.full_clean(exclude=["challenge"])
    stage.save(update_fields=["response", "responded_by", "responded_on"])
    if action_description.strip():
        if action_owner is None or action_due_on is None:
            raise ChallengeStateError("Choose who will do the action and by when")
        if action_owner.organisation_id != challenge.organisation_id:
            raise ChallengeStateError("Choose a person of your own organisation")
        action = ChallengeAction(
            organisation_id=challenge.organisation_id,
            challenge=challenge,
            stage=stage,
            description=action_description.strip(),
            owner=action_owner,
            due_on=action_due_on,
        )
        action.full_clean()
        action.save()
        notify(
            recipient=action_owner,
            kind=Notification.Kind.REMINDER,
            subject=(
                f"An action agreed in a challenge's response is yours, due {_day(action_due_on)}"
            ),
            url=action.get_absolute_url(),
            key=f"challenge-action:{action.pk}:assigned",
        )
    notify(
        recipient=challenge.raised_by,
        kind=Notification.Kind.REMINDER,
        subject=f"Your challenge has a response at {stage.get_stage_display().lower()}",
        url=challenge.get_absolute_url(),
        key=f"challenge-stage:{stage.pk}:responded:{stage.responded_on.isoformat()}",
    )
    return stage


@transaction.atomic
def challenge_escalate(
    *, challenge: Challenge, by: StaffMember, reason: str, on: datetime.date | None = None
) -> ChallengeStage:
    """Take the challenge to its next stage: the current one ends, escalated."""
    challenge = _locked(challenge)
    _check(by, "feedback.escalate_challenge", challenge, "This challenge cannot be escalated")
    if not reason.strip():
        raise ChallengeStateError("Enter why you are escalating the challenge")
    on = on or timezone.localdate()
    current = _current(challenge)
    going_to = next_stage(challenge.stage)
    if going_to is None:  # (the rule refuses it first)
        raise ChallengeStateError("The challenge is at its last stage")
    current.outcome = StageOutcome.ESCALATED
    current.resolved_on = max(on, current.raised_on)
    current.save(update_fields=["outcome", "resolved_on"])
    return _stage_open(
        challenge=challenge, stage=going_to, raised_on=current.resolved_on, reason=reason.strip()
    )


@transaction.atomic
def challenge_resolve(
    *,
    challenge: Challenge,
    by: StaffMember,
    outcome: str = StageOutcome.RESOLVED,
    on: datetime.date | None = None,
) -> Challenge:
    """End the challenge at its current stage: resolved, or withdrawn by the chair."""
    challenge = _locked(challenge)
    _check(by, "feedback.resolve_challenge", challenge, "This challenge cannot be closed")
    if outcome not in (StageOutcome.RESOLVED, StageOutcome.WITHDRAWN):
        raise ChallengeStateError("Choose resolved or withdrawn")
    current = _current(challenge)
    on = max(on or timezone.localdate(), current.raised_on)
    current.outcome = outcome
    current.resolved_on = on
    current.save(update_fields=["outcome", "resolved_on"])
    challenge.status = (
        Challenge.Status.RESOLVED
        if outcome == StageOutcome.RESOLVED
        else Challenge.Status.WITHDRAWN
    )
    challenge.closed_on = on
    challenge.full_clean()
    challenge.save(update_fields=["status", "closed_on"])
    if current.responder is not None:
        notify(
            recipient=current.responder,
            kind=Notification.Kind.REMINDER,
            subject=f"A challenge you responded to was {challenge.get_status_display().lower()}",
            url=challenge.get_absolute_url(),
            key=f"challenge:{challenge.pk}:closed",
        )
    return challenge


@transaction.atomic
def challenge_action_complete(
    *, action: ChallengeAction, by: StaffMember, on: datetime.date | None = None
) -> ChallengeAction:
    action = ChallengeAction.objects.select_for_update().get(pk=action.pk)
    _check(
        by, "feedback.complete_challenge_action", action, "Only the action's owner marks it done"
    )
    action.status = ChallengeAction.Status.DONE
    action.done_on = on or timezone.localdate()
    action.save(update_fields=["status", "done_on"])
    return action


# Reminders and escalations (core.registry.reminder_sources, sent by the nightly job).
#
# - An open stage due within `reminder_days`, or overdue: the person it is with, daily.
# - An open stage more than `escalation_days` overdue: the person of the next stage up
#   (the service manager above the team manager, the director above the service
#   manager), once. Stage 3 is the director's: there is nobody above it to tell.
# Messages say what is due and where, never the child's name.


class Rules(Protocol):
    reminder_days: int
    escalation_days: int


def stage_reminders(*, organisation_id: int, rules: Rules, day: datetime.date) -> Iterator[Message]:
    stages = open_stages(organisation_id=organisation_id).filter(
        responder__isnull=False, due_on__lte=day + datetime.timedelta(days=rules.reminder_days)
    )
    for stage in in_batches(stages.select_related("responder", "challenge")):
        yield Message(
            recipient=stage.responder,
            kind=Notification.Kind.REMINDER,
            subject=(
                f"Your response to an independent chair's challenge "
                f"({stage.get_stage_display().lower()}) {when_due(stage.due_on, day)}"
            ),
            url=stage.challenge.get_absolute_url(),
            key=f"challenge-stage:{stage.pk}:reminder:{day.isoformat()}",
        )


def stage_escalations(
    *, organisation_id: int, rules: Rules, day: datetime.date
) -> Iterator[Message]:
    stages = (
        open_stages(organisation_id=organisation_id)
        .filter(due_on__lt=day - datetime.timedelta(days=rules.escalation_days))
        .exclude(stage=DisputeStage.STAGE_3)
    )
    people: StagePeople | None = None
    for stage in in_batches(
        stages.select_related("challenge__case", "responder__user", "responder__line_manager")
    ):
        if people is None:
            people = stage_people(organisation_id=organisation_id)
        recipient = people.above(stage.stage, stage.challenge.case, stage.responder)
        with_whom = stage.responder.display_name if stage.responder else "nobody yet"
        yield Message(
            recipient=recipient,
            kind=Notification.Kind.ESCALATION,
            subject=(
                f"Escalation: an independent chair's challenge at "
                f"{stage.get_stage_display().lower()} (with {with_whom}) "
                f"{when_due(stage.due_on, day)}"
            ),
            url=stage.challenge.get_absolute_url(),
            key=f"challenge-stage:{stage.pk}:escalation",
        )


REMINDER_SOURCES = (stage_reminders, stage_escalations)
