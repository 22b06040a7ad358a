"""Who sees which rows of the governance app, built on the scoping in `cases.querysets`.

The improvement plan is the organisation's: its QA service, senior leaders and business
support read all of it; anyone else sees the actions they own and those under a priority
they lead. Regional leads see none of it (the regional view shows aggregates).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from cases.querysets import NOTHING, OrganisationQuerySet
from cases.roles import ORGANISATION_WIDE_ROLES, Role

if TYPE_CHECKING:
    from cases.models import StaffMember


class PlanQuerySet(OrganisationQuerySet[Any]):
    """Priorities and external reviews: the whole organisation's plan is open to its staff
    (what the organisation is working on is no secret inside it)."""


class PlanRowQuerySet(OrganisationQuerySet[Any]):
    """Plan actions: the organisation-wide roles see all; others their own and those of a
    priority they lead."""

    def scope_for(self, staff: StaffMember) -> Q:
        if staff.role == Role.REGIONAL_LEAD:
            return NOTHING
        mine = Q(organisation_id=staff.organisation_id)
        if staff.role in ORGANISATION_WIDE_ROLES:
            return mine
        return mine & (Q(owner=staff) | Q(priority__lead=staff))
