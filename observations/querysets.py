"""Who may see which practice observations: built on the scoping in cases/querysets.py.

An observation is about a practitioner's practice, so it is seen by the people it names
(the observer and the practitioner observed), by the practitioner's managers (a team
manager their team's, a service manager their service's), and by the QA service and
senior leaders of its organisation. Nobody else: not another team, not another council,
not business support, not a regional lead. An action is visible with its observation,
and to its owner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from cases.querysets import NOTHING, OrganisationQuerySet
from cases.roles import Role

if TYPE_CHECKING:
    # The querysets' type parameters name the models in strings, which ruff does not read.
    from cases.models import StaffMember
    from observations.models import (  # noqa: F401
        Observation,
        ObservationAction,
        PracticeEvent,
        PracticeEventAction,
        PracticeVisit,
    )

# Roles that read every observation of their own organisation.
ORGANISATION_READERS = frozenset({Role.QA, Role.SENIOR_LEADER})


def observation_scope_for(staff: StaffMember, prefix: str = "") -> Q:
    """The observations a member of staff sees (a filter on Observation, or through
    `prefix`)."""
    p = prefix
    if staff.role == Role.REGIONAL_LEAD:
        return NOTHING
    if staff.role in ORGANISATION_READERS:
        return Q(**{f"{p}organisation_id": staff.organisation_id})
    scope = Q(**{f"{p}observer_id": staff.pk}) | Q(**{f"{p}practitioner_id": staff.pk})
    if staff.role == Role.TEAM_MANAGER and staff.team_id:
        scope |= Q(**{f"{p}practitioner__team_id": staff.team_id})
    if staff.role == Role.SERVICE_MANAGER and staff.service_id:
        scope |= Q(**{f"{p}practitioner__service_id": staff.service_id})
    return scope & Q(**{f"{p}organisation_id": staff.organisation_id})


class ObservationQuerySet(OrganisationQuerySet["Observation"]):
    def scope_for(self, staff: StaffMember) -> Q:
        return observation_scope_for(staff)


class ObservationActionQuerySet(OrganisationQuerySet["ObservationAction"]):
    def scope_for(self, staff: StaffMember) -> Q:
        return observation_scope_for(staff, prefix="observation__") | Q(owner_id=staff.pk)


def event_scope_for(staff: StaffMember, prefix: str = "") -> Q:
    """The practice focused days and weeks a member of staff sees: the QA service and
    senior leaders of its organisation, the leaders taking part, and the managers of the
    teams and services it covers (a filter on PracticeEvent, or through `prefix`)."""
    from django.apps import apps

    p = prefix
    if staff.role == Role.REGIONAL_LEAD:
        return NOTHING
    if staff.role in ORGANISATION_READERS:
        return Q(**{f"{p}organisation_id": staff.organisation_id})
    event = apps.get_model("observations", "PracticeEvent")
    ids = event.leaders.through.objects.filter(staffmember_id=staff.pk).values("practiceevent_id")
    scope = Q(**{f"{p}pk__in": ids})
    if staff.role == Role.TEAM_MANAGER and staff.team_id:
        # Their team, named or within a covered service (a week that covers a service
        # visits each of its teams).
        teams = event.teams.through.objects.filter(team_id=staff.team_id)
        services = event.services.through.objects.filter(service__teams=staff.team_id)
        scope |= Q(**{f"{p}pk__in": teams.values("practiceevent_id")})
        scope |= Q(**{f"{p}pk__in": services.values("practiceevent_id")})
    if staff.role == Role.SERVICE_MANAGER and staff.service_id:
        services = event.services.through.objects.filter(service_id=staff.service_id)
        teams = event.teams.through.objects.filter(team__service_id=staff.service_id)
        scope |= Q(**{f"{p}pk__in": services.values("practiceevent_id")})
        scope |= Q(**{f"{p}pk__in": teams.values("practiceevent_id")})
    return scope & Q(**{f"{p}organisation_id": staff.organisation_id})


class PracticeEventQuerySet(OrganisationQuerySet["PracticeEvent"]):
    def scope_for(self, staff: StaffMember) -> Q:
        return event_scope_for(staff)


class PracticeVisitQuerySet(OrganisationQuerySet["PracticeVisit"]):
    def scope_for(self, staff: StaffMember) -> Q:
        scope = event_scope_for(staff, prefix="event__")
        return NOTHING if scope is NOTHING else scope


class PracticeEventActionQuerySet(OrganisationQuerySet["PracticeEventAction"]):
    def scope_for(self, staff: StaffMember) -> Q:
        scope = event_scope_for(staff, prefix="event__")
        if staff.role == Role.REGIONAL_LEAD:
            return NOTHING
        return scope | Q(owner_id=staff.pk, organisation_id=staff.organisation_id)
