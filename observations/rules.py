"""Permission rules for practice observations (django-rules).

Each action on an observation is one rule, `observations.<action>`, made of who may take
it (the observer, the practitioner observed, the QA service of its organisation) and when
(the observation's status). The view, the template flag and the service all ask the same
rule with `may(user, perm, obj)`; a service that says "not you" apart from "not now" asks
the who part alone for its message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from cases.querysets import staff_of
from cases.roles import Role
from cases.rules import has_role, is_manager, is_qa, is_staff_member
from observations.models import (
    Observation,
    ObservationAction,
    PracticeEvent,
    PracticeEventAction,
    PracticeVisit,
)

if TYPE_CHECKING:
    from core.types import AnyUser


def may(user: AnyUser | None, perm: str, obj: object) -> bool:
    """Whether `user` may take an object action: the rule itself (Django's `has_perm`
    lets every superuser through, status and all)."""
    return rules.has_perm(perm, user, obj)


def _staff_pk(user: AnyUser | None) -> int | None:
    staff = staff_of(user)
    return staff.pk if staff is not None else None


# Who.


@rules.predicate
def is_observer(user: AnyUser | None, observation: Observation) -> bool:
    me = _staff_pk(user)
    return me is not None and observation.observer_id == me


@rules.predicate
def is_practitioner(user: AnyUser | None, observation: Observation) -> bool:
    me = _staff_pk(user)
    return me is not None and observation.practitioner_id == me


@rules.predicate
def moderates(user: AnyUser | None, observation: Observation) -> bool:
    """The QA service of the observation's own organisation."""
    staff = staff_of(user)
    return (
        is_qa(user) and staff is not None and staff.organisation_id == observation.organisation_id
    )


@rules.predicate
def completes_action(user: AnyUser | None, action: ObservationAction) -> bool:
    """The action's owner, or the observer."""
    me = _staff_pk(user)
    return me is not None and me in (action.owner_id, action.observation.observer_id)


# When.


@rules.predicate
def is_open(user: AnyUser | None, observation: Observation) -> bool:
    return observation.is_editable


@rules.predicate
def is_draft(user: AnyUser | None, observation: Observation) -> bool:
    return observation.status == Observation.Status.DRAFT


@rules.predicate
def names_practitioner(user: AnyUser | None, observation: Observation) -> bool:
    return observation.practitioner_id is not None


@rules.predicate
def awaits_moderation(user: AnyUser | None, observation: Observation) -> bool:
    return observation.status == Observation.Status.SUBMITTED


@rules.predicate
def is_moderated(user: AnyUser | None, observation: Observation) -> bool:
    return observation.status == Observation.Status.MODERATED


@rules.predicate
def action_is_open(user: AnyUser | None, action: ObservationAction) -> bool:
    return action.status == ObservationAction.Status.OPEN


rules.add_perm("observations.edit_observation", is_observer & is_open)
rules.add_perm("observations.ask_for_reflection", is_observer & is_draft & names_practitioner)
rules.add_perm("observations.reflect", is_practitioner & is_open)
rules.add_perm("observations.submit_observation", is_observer & is_open)
rules.add_perm("observations.moderate_observation", moderates & awaits_moderation)
# Actions follow from what was seen: the observer adds them until QA has moderated.
rules.add_perm("observations.add_action", is_observer & ~is_moderated)
rules.add_perm("observations.complete_action", completes_action & action_is_open)


@rules.predicate
def can_see_observation(user: AnyUser | None, observation: Observation | None) -> bool:
    if observation is None:
        return False
    return type(observation).objects.visible_to(user).filter(pk=observation.pk).exists()


# Tier managers observe their practitioners (seed 001), independent chairs observe too.
observes = is_manager | has_role(Role.INDEPENDENT_REVIEWER)
is_regional_lead = has_role(Role.REGIONAL_LEAD)

rules.add_perm("observations.view_observation", rules.is_superuser | can_see_observation)
rules.add_perm(
    "observations.view_observations", rules.is_superuser | (is_staff_member & ~is_regional_lead)
)
rules.add_perm("observations.start_observation", rules.is_superuser | observes)

# Coverage: the QA service and senior leaders read their organisation's, tier managers
# their own team's or service's (observations/figures.py says whose).
rules.add_perm(
    "observations.view_coverage",
    rules.is_superuser
    | has_role(Role.QA, Role.SENIOR_LEADER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER),
)


# Practice focused days and practice weeks: the QA service plans and coordinates them;
# the senior leaders taking part record their visits, findings and actions.


@rules.predicate
def coordinates(user: AnyUser | None, event: PracticeEvent) -> bool:
    """The QA service of the event's own organisation."""
    staff = staff_of(user)
    return is_qa(user) and staff is not None and staff.organisation_id == event.organisation_id


@rules.predicate
def leads(user: AnyUser | None, event: PracticeEvent) -> bool:
    me = _staff_pk(user)
    return me is not None and event.leaders.filter(pk=me).exists()


@rules.predicate
def made_the_visit(user: AnyUser | None, visit: PracticeVisit) -> bool:
    me = _staff_pk(user)
    return me is not None and visit.leader_id == me


@rules.predicate
def coordinates_visit(user: AnyUser | None, visit: PracticeVisit) -> bool:
    return bool(coordinates(user, visit.event))


@rules.predicate
def completes_event_action(user: AnyUser | None, action: PracticeEventAction) -> bool:
    me = _staff_pk(user)
    return (me is not None and action.owner_id == me) or bool(coordinates(user, action.event))


@rules.predicate
def event_action_is_open(user: AnyUser | None, action: PracticeEventAction) -> bool:
    return action.status == PracticeEventAction.Status.OPEN


rules.add_perm("observations.plan_practice_events", rules.is_superuser | is_qa)
rules.add_perm(
    "observations.view_practice_events",
    rules.is_superuser
    | has_role(Role.QA, Role.SENIOR_LEADER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER),
)
rules.add_perm("observations.edit_practice_event", coordinates)
rules.add_perm("observations.record_visit", made_the_visit | coordinates_visit)
rules.add_perm("observations.add_event_finding", coordinates | leads)
rules.add_perm("observations.add_event_action", coordinates | leads)
rules.add_perm("observations.complete_event_action", completes_event_action & event_action_is_open)
