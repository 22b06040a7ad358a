"""Practice focused days and practice weeks: reads and writes.

Reads start from `visible_to(user)`; writes are `<entity>_<verb>` services, keyword-only,
in one transaction each (a refused write changes nothing), asking the rule in
observations/rules.py. The views import this module; other apps reach it through
observations.selectors and observations.services, which re-export what they need.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cases.models import Notification, Service, StaffMember, Team
from cases.notifications import notify
from cases.querysets import staff_of
from cases.roles import Role
from core.registry import ActionItem
from observations import figures
from observations.models import (
    FindingTheme,
    Observation,
    PracticeEvent,
    PracticeEventAction,
    PracticeFinding,
    PracticeVisit,
)
from observations.rules import may

if TYPE_CHECKING:
    from core.types import AnyUser


class EventStateError(Exception):
    """Refused: the message says why, for the page."""


def _check(by: StaffMember, perm: str, obj: object, message: str) -> None:
    if not may(by.user, perm, obj):
        raise EventStateError(message)


# Reads.


def event_list(*, user: AnyUser) -> QuerySet[PracticeEvent]:
    return (
        PracticeEvent.objects.visible_to(user)
        .select_related("coordinator__user")
        .annotate(n_visits=Count("visits", distinct=True))
        .order_by("-starts_on", "-pk")
    )


def event_records(*, user: AnyUser) -> QuerySet[PracticeEvent]:
    return PracticeEvent.objects.visible_to(user).select_related("coordinator__user")


def visit_records(*, user: AnyUser) -> QuerySet[PracticeVisit]:
    return PracticeVisit.objects.visible_to(user).select_related("event", "leader__user", "team")


def event_action_records(*, user: AnyUser) -> QuerySet[PracticeEventAction]:
    return PracticeEventAction.objects.visible_to(user).select_related("event")


def open_event_actions(*, organisation_id: int) -> QuerySet[PracticeEventAction]:
    """The organisation's practice event actions not yet done (for the nightly reminders,
    which have no user)."""
    return PracticeEventAction.objects.filter(
        organisation_id=organisation_id, status=PracticeEventAction.Status.OPEN
    )


def leader_choices(*, organisation_id: int) -> QuerySet[StaffMember]:
    """Who may take part as a senior leader: the organisation's senior leaders and tier
    managers (seed 002, 2.6: observation by senior managers)."""
    return (
        StaffMember.objects.filter(
            organisation_id=organisation_id,
            role__in=(Role.SENIOR_LEADER, Role.SERVICE_MANAGER, Role.QA),
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def team_choices(*, organisation_id: int) -> QuerySet[Team]:
    return Team.objects.filter(organisation_id=organisation_id).order_by("name", "pk")


def service_choices(*, organisation_id: int) -> QuerySet[Service]:
    return Service.objects.filter(organisation_id=organisation_id).order_by("name", "pk")


def covered_teams(*, event: PracticeEvent) -> QuerySet[Team]:
    """The teams the event covers: those named, and every team of the services named."""
    named = event.teams.through.objects.filter(practiceevent_id=event.pk).values("team_id")
    services = event.services.through.objects.filter(practiceevent_id=event.pk)
    return (
        Team.objects.filter(organisation_id=event.organisation_id)
        .filter(Q(pk__in=named) | Q(service_id__in=services.values("service_id")))
        .order_by("name", "pk")
    )


def covered_team_ids(event: PracticeEvent) -> list[int]:
    return list(covered_teams(event=event).values_list("pk", flat=True))


def owner_choices(*, event: PracticeEvent) -> QuerySet[StaffMember]:
    return (
        StaffMember.objects.filter(organisation_id=event.organisation_id)
        .exclude(role=Role.REGIONAL_LEAD)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def practitioner_choices(*, event: PracticeEvent) -> QuerySet[StaffMember]:
    """Whom a leader may be asked to observe: the staff of the teams the event covers."""
    return (
        StaffMember.objects.filter(team_id__in=covered_team_ids(event))
        .exclude(role=Role.REGIONAL_LEAD)
        .select_related("user", "team")
        .order_by("user__last_name", "user__first_name", "pk")
    )


@dataclass(frozen=True)
class ThemeCount:
    theme: FindingTheme
    working_well: int
    worries: int

    @property
    def label(self) -> str:
        return self.theme.label


@dataclass
class EventSummary:
    event: PracticeEvent
    teams: list[Team]
    services: list[Service]
    leaders: list[StaffMember]
    visits: list[PracticeVisit]
    findings: list[PracticeFinding]
    themes: list[ThemeCount]
    observations: list[Observation]
    grades: figures.GradeDistribution
    actions: list[PracticeEventAction]

    @property
    def working_well(self) -> list[PracticeFinding]:
        return [f for f in self.findings if f.kind == PracticeFinding.Kind.WORKING_WELL]

    @property
    def worries(self) -> list[PracticeFinding]:
        return [f for f in self.findings if f.kind == PracticeFinding.Kind.WORRY]


def event_summary(*, event: PracticeEvent) -> EventSummary:
    """Everything the senior management team reads about an event already reached
    through `visible_to`, in a fixed number of queries."""
    findings = list(event.findings.select_related("recorded_by__user"))
    counts = Counter((f.theme, f.kind) for f in findings)
    themes = [
        ThemeCount(
            theme=theme,
            working_well=counts[(theme.value, PracticeFinding.Kind.WORKING_WELL.value)],
            worries=counts[(theme.value, PracticeFinding.Kind.WORRY.value)],
        )
        for theme in FindingTheme
    ]
    observations = Observation.objects.filter(practice_event=event)
    return EventSummary(
        event=event,
        teams=list(event.teams.order_by("name")),
        services=list(event.services.order_by("name")),
        leaders=list(event.leaders.select_related("user").order_by("user__last_name")),
        visits=list(event.visits.select_related("leader__user", "team")),
        findings=findings,
        themes=[t for t in themes if t.working_well or t.worries],
        observations=list(
            observations.select_related("observer__user", "practitioner__user").order_by(
                "due_on", "pk"
            )
        ),
        grades=figures.grade_distribution(observations),
        actions=list(event.actions.select_related("owner__user")),
    )


def event_action_items(*, user: AnyUser) -> list[ActionItem]:
    """The user's open event actions, for `core.registry.action_sources`."""
    staff = staff_of(user)
    if staff is None:
        return []
    actions = (
        PracticeEventAction.objects.visible_to(user)
        .filter(owner=staff, status=PracticeEventAction.Status.OPEN)
        .select_related("event", "owner__user")
        .order_by("due_on", "pk")
    )
    return [
        ActionItem(
            title=action.description,
            source=action.event.title,
            owner=action.owner.display_name,
            due_on=action.due_on,
            url=action.get_absolute_url(),
            cases=[],
        )
        for action in actions
    ]


# Writes.


def _check_people(organisation_id: int, teams: Any, services: Any, leaders: Any) -> None:
    for item in (*teams, *services, *leaders):
        if item.organisation_id != organisation_id:
            raise EventStateError("Choose teams, services and leaders of your own organisation")
    if not teams and not services:
        raise EventStateError("Choose the teams or services the event covers")
    if not leaders:
        raise EventStateError("Choose the senior leaders taking part")


@transaction.atomic
def event_create(
    *,
    by: StaffMember,
    kind: str,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    purpose: str = "",
    teams: list[Team],
    services: list[Service],
    leaders: list[StaffMember],
) -> PracticeEvent:
    """Plan a practice focused day or week; its coordinator is the QA manager planning it."""
    if not may(by.user, "observations.plan_practice_events", None):
        raise EventStateError("Only the QA service can plan practice days and weeks")
    _check_people(by.organisation_id, teams, services, leaders)
    event = PracticeEvent(
        organisation_id=by.organisation_id,
        kind=kind,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        purpose=purpose,
        coordinator=by,
    )
    event.full_clean()
    event.save()
    event.teams.set(teams)
    event.services.set(services)
    event.leaders.set(leaders)
    for leader in leaders:
        _tell_leader(event, leader, by)
    return event


def _tell_leader(event: PracticeEvent, leader: StaffMember, by: StaffMember) -> None:
    if leader.pk == by.pk:
        return
    notify(
        recipient=leader,
        kind=Notification.Kind.ASSIGNMENT,
        subject=f"{by.display_name} has asked you to take part in {event.title}",
        url=event.get_absolute_url(),
        key=f"practice-event:{event.pk}:leader:{leader.pk}",
    )


@transaction.atomic
def event_update(
    *,
    event: PracticeEvent,
    by: StaffMember,
    kind: str,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    purpose: str = "",
    teams: list[Team],
    services: list[Service],
    leaders: list[StaffMember],
) -> PracticeEvent:
    event = PracticeEvent.objects.select_for_update().get(pk=event.pk)
    _check(by, "observations.edit_practice_event", event, "Only the QA service can change it")
    _check_people(event.organisation_id, teams, services, leaders)
    event.kind, event.title, event.purpose = kind, title, purpose
    event.starts_on, event.ends_on = starts_on, ends_on
    event.full_clean()
    event.save()
    event.teams.set(teams)
    event.services.set(services)
    event.leaders.set(leaders)
    for leader in leaders:
        _tell_leader(event, leader, by)
    return event


def _within(event: PracticeEvent, day: datetime.date, what: str) -> None:
    if not event.starts_on <= day <= event.ends_on:
        raise EventStateError(f"The {what} must be during the event")


@transaction.atomic
def visit_assign(
    *,
    event: PracticeEvent,
    by: StaffMember,
    leader: StaffMember,
    team: Team,
    visit_on: datetime.date,
) -> PracticeVisit:
    """The QA service assigns a senior leader a visit to a covered team."""
    _check(by, "observations.edit_practice_event", event, "Only the QA service can assign visits")
    if not event.leaders.filter(pk=leader.pk).exists():
        raise EventStateError("Choose one of the leaders taking part")
    if team.pk not in covered_team_ids(event):
        raise EventStateError("Choose a team the event covers")
    _within(event, visit_on, "visit")
    visit = PracticeVisit(
        organisation_id=event.organisation_id,
        event=event,
        leader=leader,
        team=team,
        visit_on=visit_on,
    )
    visit.full_clean()
    visit.save()
    notify(
        recipient=leader,
        kind=Notification.Kind.ASSIGNMENT,
        subject=f"{event.title}: you are visiting {team.name} on {visit_on:%-d %B %Y}",
        url=visit.get_absolute_url(),
        key=f"practice-visit:{visit.pk}:assigned",
    )
    return visit


@transaction.atomic
def visit_notes_save(*, visit: PracticeVisit, by: StaffMember, notes: str) -> PracticeVisit:
    """The leader's (or the QA service's) notes of the guided conversations."""
    visit = PracticeVisit.objects.select_for_update().select_related("event").get(pk=visit.pk)
    _check(by, "observations.record_visit", visit, "Only the leader who visited can record it")
    visit.notes = notes
    visit.notes_at = timezone.now()
    visit.save(update_fields=["notes", "notes_at"])
    return visit


@transaction.atomic
def observation_assign(
    *,
    event: PracticeEvent,
    by: StaffMember,
    observer: StaffMember,
    practitioner: StaffMember | None,
) -> Observation:
    """The QA service asks a leader taking part to observe practice during the event: a
    draft observation, theirs to record like any other, due the event's last day."""
    _check(by, "observations.edit_practice_event", event, "Only the QA service can assign these")
    if not event.leaders.filter(pk=observer.pk).exists():
        raise EventStateError("Choose one of the leaders taking part")
    if practitioner is not None:
        if practitioner.team_id not in covered_team_ids(event):
            raise EventStateError("Choose someone from a team the event covers")
        if practitioner.pk == observer.pk:
            raise EventStateError("Choose someone other than the observer")
    observation = Observation(
        organisation_id=event.organisation_id,
        observer=observer,
        practitioner=practitioner,
        due_on=event.ends_on,
        practice_event=event,
    )
    observation.full_clean()
    observation.save()
    notify(
        recipient=observer,
        kind=Notification.Kind.ASSIGNMENT,
        subject=f"{event.title}: {by.display_name} has asked you to observe practice",
        url=observation.get_absolute_url(),
        key=f"practice-event:{event.pk}:observation:{observation.pk}",
    )
    return observation


@transaction.atomic
def finding_add(
    *, event: PracticeEvent, by: StaffMember, kind: str, theme: str, text: str
) -> PracticeFinding:
    _check(
        by,
        "observations.add_event_finding",
        event,
        "Only the leaders taking part and the QA service can record findings",
    )
    finding = PracticeFinding(
        organisation_id=event.organisation_id,
        event=event,
        kind=kind,
        theme=theme,
        text=text,
        recorded_by=by,
    )
    finding.full_clean()
    finding.save()
    return finding


@transaction.atomic
def event_action_add(
    *,
    event: PracticeEvent,
    by: StaffMember,
    description: str,
    owner: StaffMember,
    due_on: datetime.date,
) -> PracticeEventAction:
    _check(
        by,
        "observations.add_event_action",
        event,
        "Only the leaders taking part and the QA service can add actions",
    )
    if owner.organisation_id != event.organisation_id:
        raise EventStateError("Choose someone from the event's organisation")
    action = PracticeEventAction(
        organisation_id=event.organisation_id,
        event=event,
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
            subject=f"{by.display_name} has given you an action from {event.title}",
            url=action.get_absolute_url(),
            key=f"practice-event-action:{action.pk}:assigned",
        )
    return action


@transaction.atomic
def event_action_complete(*, action: PracticeEventAction, by: StaffMember) -> PracticeEventAction:
    if not may(by.user, "observations.complete_event_action", action):
        if action.status == PracticeEventAction.Status.DONE:
            return action
        raise EventStateError("Only the action's owner or the QA service can complete it")
    action.status = PracticeEventAction.Status.DONE
    action.done_on = timezone.localdate()
    action.save(update_fields=["status", "done_on"])
    return action
