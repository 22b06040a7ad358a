"""Reads of practice observations. Every function starts from `visible_to(user)`, or
from one organisation's observations for the scheduled jobs.

This module and `observations.services` are the observations app's public interface:
other apps (rota, governance) import only these two. The types and values they name are
re-exported here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from cases import selectors as case_selectors
from cases.models import Case, StaffMember
from cases.querysets import staff_of
from cases.roles import Role
from core import prepared
from core.improvement import action_values, improvement_rows
from core.registry import ActionItem, ImprovementItem
from observations import figures
from observations.models import Observation, ObservationAction, PracticeEventAction
from observations.models import Setting as Setting

if TYPE_CHECKING:
    from core.types import AnyUser

# Submitted or moderated: a rota slot whose observation is one of these is done.
FINISHED_STATUSES = Observation.FINISHED
# The list's status filter for "submitted or moderated", the observations figures count.
FINISHED = "finished"
# How many observations the home card lists.
HOME_SHOWN = 5


def observation_list(*, user: AnyUser) -> QuerySet[Observation]:
    """The observations the user may see, with the people each names (no child: the
    lists show none)."""
    return Observation.objects.visible_to(user).select_related(
        "observer__user", "practitioner__user", "practitioner__team"
    )


def observation_list_filtered(
    *,
    user: AnyUser,
    status: str = "",
    month: datetime.date | None = None,
    grade: str = "",
    setting: str = "",
) -> QuerySet[Observation]:
    """The list page: by status ("finished": submitted or moderated, as the figures
    count), grade, setting, and the month observed (or due, before the date is known)."""
    observations = observation_list(user=user)
    if status == FINISHED:
        observations = figures.finished(observations)
    elif status:
        observations = observations.filter(status=status)
    if grade:
        observations = observations.filter(grade=grade)
    if setting:
        observations = observations.filter(setting=setting)
    if month is not None:
        in_month = Q(observed_on__year=month.year, observed_on__month=month.month)
        due_in_month = Q(
            observed_on__isnull=True, due_on__year=month.year, due_on__month=month.month
        )
        observations = observations.filter(in_month | due_in_month)
    return observations.order_by("-due_on", "-pk")


def observation_records(*, user: AnyUser) -> QuerySet[Observation]:
    """The observations whose pages the user may open (the view looks one up, or 404s),
    with their case's child or adopter."""
    return observation_list(user=user).select_related(
        "case__child", "case__adopter", "case__team", "case__service", "moderated_by__user"
    )


def observation_actions(*, observation: Observation) -> list[ObservationAction]:
    return list(observation.actions.select_related("owner__user"))


def action_records(*, user: AnyUser) -> QuerySet[ObservationAction]:
    """The actions the user may mark as done, each with its observation."""
    return ObservationAction.objects.visible_to(user).select_related("observation")


def practitioner_choices(*, user: AnyUser, observer: StaffMember) -> QuerySet[StaffMember]:
    """Whom the observer may record observing: anyone of their own organisation who does
    casework or manages it, themselves and the regional lead aside."""
    return (
        StaffMember.objects.visible_to(user)
        .filter(organisation_id=observer.organisation_id)
        .exclude(pk=observer.pk)
        .exclude(role__in=(Role.REGIONAL_LEAD, Role.BUSINESS_SUPPORT))
        .select_related("user", "team")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def owner_choices(*, observation: Observation) -> QuerySet[StaffMember]:
    """Who may own an action of an observation already reached through `visible_to`:
    its organisation's staff (the regional lead aside)."""
    return (
        StaffMember.objects.filter(organisation_id=observation.organisation_id)
        .exclude(role=Role.REGIONAL_LEAD)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def case_by_reference(*, user: AnyUser, reference: str) -> Case | None:
    """The case an observation may name: one its observer may see (cases.selectors)."""
    return case_selectors.case_by_reference(user=user, reference=reference)


def case_observations(*, user: AnyUser, case_ids: list[int]) -> QuerySet[Observation]:
    """The observations of a child's or adopter's cases the user may see, for their record."""
    return (
        observation_list(user=user)
        .filter(case_id__in=case_ids)
        .order_by("-observed_on", "-due_on", "-pk")
    )


def my_observations(*, user: AnyUser) -> dict[str, QuerySet[Observation]]:
    """The observations that wait on the signed-in person, by the part they play."""
    staff = staff_of(user)
    if staff is None:
        return {}
    mine = observation_list(user=user)
    return {
        "to_complete": _to_complete(mine, staff),
        "to_reflect": mine.filter(
            practitioner=staff,
            status=Observation.Status.AWAITING_REFLECTION,
            reflection="",
        ).order_by("due_on", "pk"),
    }


def _to_complete(observations: QuerySet[Observation], staff: StaffMember) -> QuerySet[Observation]:
    """Of `observations`, those the member of staff has still to complete, soonest due
    first."""
    return observations.filter(observer=staff, status__in=Observation.EDITABLE).order_by(
        "due_on", "pk"
    )


def moderation_queue(*, user: AnyUser) -> QuerySet[Observation]:
    """Submitted observations waiting for the QA service, longest waiting first; empty
    for everyone but the QA service."""
    staff = staff_of(user)
    if staff is None or staff.role != Role.QA:
        return Observation.objects.none()
    return (
        observation_list(user=user)
        .filter(status=Observation.Status.SUBMITTED)
        .order_by("submitted_at", "pk")
    )


def observation_work_summary(*, user: AnyUser) -> dict[str, Any]:
    """For the home page: how many observations wait on the person (one aggregate), their
    open observation actions, the next few to complete, and QA's moderation queue. Each
    query is compiled once for the reader (`core.prepared`)."""
    staff = staff_of(user)
    if staff is None or staff.role == Role.REGIONAL_LEAD:
        return {}
    counts = prepared.aggregate(_work_counts, user)
    counts["actions"] = prepared.aggregate(_open_action_count, user)["actions"]
    next_due: list[Observation] = []
    if counts["to_complete"]:
        next_due = prepared.rows(_next_due, user)
    return {"counts": counts, "next_due": next_due, "any": any(counts.values())}


def _work_counts(user: AnyUser) -> tuple[QuerySet[Observation], dict[str, Count]]:
    staff = staff_of(user)
    assert staff is not None
    wanted = {
        "to_complete": Count("pk", filter=Q(observer=staff, status__in=Observation.EDITABLE)),
        "to_reflect": Count(
            "pk",
            filter=Q(
                practitioner=staff, status=Observation.Status.AWAITING_REFLECTION, reflection=""
            ),
        ),
    }
    if staff.role == Role.QA:
        wanted["to_moderate"] = Count("pk", filter=Q(status=Observation.Status.SUBMITTED))
    counted = Observation.objects.visible_to(user)
    if staff.role != Role.QA:
        # Every count then names the person: read only their rows, off those indexes.
        counted = counted.filter(Q(observer=staff) | Q(practitioner=staff))
    return counted, wanted


def _open_action_count(user: AnyUser) -> tuple[QuerySet[ObservationAction], dict[str, Count]]:
    actions = ObservationAction.objects.visible_to(user).filter(
        owner=staff_of(user), status=ObservationAction.Status.OPEN
    )
    return actions, {"actions": Count("*")}


def _next_due(user: AnyUser) -> QuerySet[Observation]:
    # From the same scoped queryset, with what the card's rows show (the practitioner).
    staff = staff_of(user)
    assert staff is not None
    visible = Observation.objects.visible_to(user)
    return _to_complete(visible.select_related("practitioner__user"), staff)[:HOME_SHOWN]


def action_items(*, user: AnyUser) -> list[ActionItem]:
    """The user's open observation actions as plain values for `core.registry.action_sources`."""
    staff = staff_of(user)
    if staff is None:
        return []
    actions = (
        ObservationAction.objects.visible_to(user)
        .filter(owner=staff, status=ObservationAction.Status.OPEN)
        .select_related("observation__practitioner__user", "observation__case", "owner__user")
        .order_by("due_on", "pk")
    )
    return [
        ActionItem(
            title=action.description,
            source=_observation_source(action.observation),
            owner=action.owner.display_name,
            due_on=action.due_on,
            url=action.get_absolute_url(),
            cases=[action.observation.case] if action.observation.case_id else [],
        )
        for action in actions
    ]


def _observation_source(observation: Observation) -> str:
    if observation.practitioner is None:
        return "Practice observation"
    return f"Practice observation of {observation.practitioner.display_name}"


# For the other apps: the QA programme (rota) and the scheduled jobs.


def open_observations(*, organisation_id: int) -> QuerySet[Observation]:
    """The organisation's observations still with their observer."""
    return Observation.objects.filter(
        organisation_id=organisation_id, status__in=Observation.EDITABLE
    )


def open_actions(*, organisation_id: int) -> QuerySet[ObservationAction]:
    """The organisation's observation actions not yet done."""
    return ObservationAction.objects.filter(
        organisation_id=organisation_id, status=ObservationAction.Status.OPEN
    )


def may_see_observation(*, user: AnyUser, observation_id: int) -> bool:
    return Observation.objects.visible_to(user).filter(pk=observation_id).exists()


# Figures and coverage.


def observation_figures(*, user: AnyUser, today: datetime.date) -> figures.ObservationFigures:
    """Grades, months and settings over the observations the user may see."""
    return figures.observation_figures(Observation.objects.visible_to(user), today=today)


def coverage_figures(*, user: AnyUser, day: datetime.date) -> figures.Coverage:
    """Coverage of the practitioners and managers in the user's scope, by team and service."""
    return figures.coverage(figures.coverage_staff(user=user), day=day)


def coverage_people(
    *,
    user: AnyUser,
    day: datetime.date,
    managers: bool,
    team: int | None = None,
    service: int | None = None,
    only_missing: bool = False,
) -> QuerySet[StaffMember]:
    """The records behind a coverage figure: the practitioners (or the managers) in the
    user's scope, of one team or service, only those not observed (or behind) if asked,
    each with the date of their latest submitted observation (`last_on`)."""
    staff = figures.coverage_staff(user=user)
    if team is not None:
        staff = staff.filter(team_id=team)
    if service is not None:
        staff = staff.filter(**{figures.SERVICE_KEY: service})
    if managers:
        chosen = figures.behind(staff, day) if only_missing else figures.managers(staff)
        last = figures.last_observing(day)
    else:
        chosen = figures.not_observed(staff, day) if only_missing else figures.practitioners(staff)
        last = figures.last_observed(day)
    return (
        chosen.annotate(last_on=last)
        .select_related("user", "team", "line_manager__user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def practitioners_not_observed(
    *, organisation_id: int, day: datetime.date
) -> QuerySet[StaffMember]:
    """For the scheduled reminders: the organisation's practitioners not observed in the
    last six months."""
    return figures.not_observed(figures.coverage_staff(organisation_id=organisation_id), day)


def managers_behind(*, organisation_id: int, day: datetime.date) -> QuerySet[StaffMember]:
    """For the scheduled reminders: the organisation's tier managers behind on their
    monthly observation, each with their latest (`last_on`)."""
    return figures.behind(figures.coverage_staff(organisation_id=organisation_id), day).annotate(
        last_on=figures.last_observing(day)
    )


def improvement_items(*, organisation_id: int) -> Iterator[ImprovementItem]:
    """For `core.registry.improvement_sources`: every observation action and every action
    from a practice focused day or practice week."""
    yield from improvement_rows(
        action_values(
            ObservationAction.objects.filter(organisation_id=organisation_id),
            parent="observation_id",
            case="observation__case_id",
        ),
        source="observation",
        key="observation-action",
        url=lambda row: (
            reverse("observations:observation_detail", kwargs={"observation_pk": row["parent_id"]})
            + f"#action-{row['pk']}"
        ),
    )
    yield from improvement_rows(
        action_values(
            PracticeEventAction.objects.filter(organisation_id=organisation_id),
            parent="event_id",
        ),
        source="practice_event",
        key="practice-event-action",
        url=lambda row: (
            reverse("observations:event_detail", kwargs={"event_pk": row["parent_id"]})
            + f"#event-action-{row['pk']}"
        ),
    )


def finished_observations_of(*, organisation_ids: list[int]) -> QuerySet[Observation]:
    """Submitted or moderated observations of these organisations (the board's grades
    figure), for a caller that scopes by organisation itself."""
    return figures.finished(Observation.objects.filter(organisation_id__in=organisation_ids))
