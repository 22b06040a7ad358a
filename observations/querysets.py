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
    from observations.models import Observation, ObservationAction  # noqa: F401

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
