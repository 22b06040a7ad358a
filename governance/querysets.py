"""Who sees which rows of the governance app, built on the scoping in `cases.querysets`.

The improvement plan is the organisation's: its QA service, senior leaders and business
support read all of it; anyone else sees the actions they own and those under a priority
they lead. Regional leads see none of it (the regional view shows aggregates).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q

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


# Performance Exceptions returns.


class ReturnQuerySet(OrganisationQuerySet[Any]):
    """Exceptions returns: a team manager sees their team's, a service manager their
    service's, QA and senior leaders the organisation's; no one else any (they hold the
    team's figures and its manager's view of their staff)."""

    def scope_for(self, staff: StaffMember) -> Q:
        mine = Q(organisation_id=staff.organisation_id)
        if staff.role in (Role.QA, Role.SENIOR_LEADER):
            return mine
        if staff.role == Role.TEAM_MANAGER and staff.team_id:
            return mine & Q(team_id=staff.team_id)
        if staff.role == Role.SERVICE_MANAGER and staff.service_id:
            return mine & Q(service_id=staff.service_id)
        return NOTHING


class ServiceSummaryQuerySet(OrganisationQuerySet[Any]):
    """A service's monthly summary: its service manager, QA and senior leaders."""

    def scope_for(self, staff: StaffMember) -> Q:
        mine = Q(organisation_id=staff.organisation_id)
        if staff.role in (Role.QA, Role.SENIOR_LEADER):
            return mine
        if staff.role == Role.SERVICE_MANAGER and staff.service_id:
            return mine & Q(service_id=staff.service_id)
        return NOTHING


# Boards and meetings.


class BoardQuerySet(OrganisationQuerySet[Any]):
    """Boards: which boards an organisation has, who sits on them and when they meet is
    open to its staff (what they receive is scoped by the records themselves)."""


# Scheduled reports.


class ReportQuerySet(OrganisationQuerySet[Any]):
    """Reports: QA and senior leaders read all their organisation's, drafts too; a board
    member reads the published reports of the boards they sit on or chair; no one else
    any (reports hold counts and grades, never a child's details, but drafts are QA's
    working papers)."""

    def scope_for(self, staff: StaffMember) -> Q:
        mine = Q(organisation_id=staff.organisation_id)
        if staff.role in (Role.QA, Role.SENIOR_LEADER):
            return mine
        if staff.role == Role.REGIONAL_LEAD:
            return NOTHING
        from django.apps import apps

        board = apps.get_model("governance", "Board")
        on_my_board = board.objects.filter(
            Q(members=staff) | Q(chair=staff), reports=OuterRef("pk")
        )
        return mine & Q(status="published") & Q(Exists(on_my_board))


class ReportRowQuerySet(OrganisationQuerySet[Any]):
    """Narrative: read with its report (through `Report.objects.visible_to`); written by
    QA only (the rules say so)."""

    readers = frozenset({Role.QA, Role.SENIOR_LEADER})


# Boards and meetings: meetings and learning briefs (governance/boards.py, briefs.py).


class MeetingQuerySet(OrganisationQuerySet[Any]):
    """Meetings, their agenda items and decisions: read by whoever reads the board (the
    organisation's staff). The reports an item links to are scoped by the reports."""


def brief_audience(staff: StaffMember, prefix: str = "") -> Q:
    """The briefs addressed to a member of staff: the whole organisation's, and those
    naming their team or service (or their team's service)."""
    from django.apps import apps

    p = prefix
    services = apps.get_model("governance", "LearningBrief").services.through
    teams = apps.get_model("governance", "LearningBrief").teams.through
    service_ids = {s for s in (staff.service_id, _team_service_id(staff)) if s}
    addressed = Q(**{f"{p}whole_organisation": True})
    if staff.team_id:
        addressed |= Q(
            Exists(teams.objects.filter(learningbrief_id=OuterRef(f"{p}pk"), team_id=staff.team_id))
        )
    if service_ids:
        addressed |= Q(
            Exists(
                services.objects.filter(
                    learningbrief_id=OuterRef(f"{p}pk"), service_id__in=service_ids
                )
            )
        )
    return addressed


def _team_service_id(staff: StaffMember) -> int | None:
    team = staff.team if staff.team_id else None
    return team.service_id if team is not None else None


class BriefQuerySet(OrganisationQuerySet[Any]):
    """Learning briefs: QA and senior leaders read all their organisation's, drafts too;
    other staff the published briefs addressed to them; regional leads none."""

    def scope_for(self, staff: StaffMember) -> Q:
        mine = Q(organisation_id=staff.organisation_id)
        if staff.role in (Role.QA, Role.SENIOR_LEADER):
            return mine
        if staff.role == Role.REGIONAL_LEAD:
            return NOTHING
        return mine & Q(status="published") & brief_audience(staff)


class BriefReadQuerySet(OrganisationQuerySet[Any]):
    """Who has read a brief: QA and senior leaders (counted by team on the brief's page)."""

    readers = frozenset({Role.QA, Role.SENIOR_LEADER})


# The Performance and Outcomes cascade above the service (models/cascade.py).


class CascadeSummaryQuerySet(OrganisationQuerySet[Any]):
    """An upper level's summary: that level and those above it, and QA; no one else (a
    level sees its own and those below, never above)."""

    def scope_for(self, staff: StaffMember) -> Q:
        from governance.cascade_levels import Level, staff_level

        mine = Q(organisation_id=staff.organisation_id)
        if staff.role == Role.QA:
            return mine
        level = staff_level(staff)
        if level is None or level < Level.HEAD_OF_SERVICE:
            return NOTHING
        return mine & Q(level__lte=level)


class ReturnActionQuerySet(OrganisationQuerySet[Any]):
    """Actions raised in the cascade: seen with what they were raised on (a team's
    return by its team manager and service manager, a service's summary by its service
    manager, an upper summary by its level and those above), QA and senior leaders all
    the organisation's, and each owner their own."""

    def scope_for(self, staff: StaffMember) -> Q:
        mine = Q(organisation_id=staff.organisation_id)
        if staff.role in (Role.QA, Role.SENIOR_LEADER):
            return mine
        own = Q(owner=staff)
        if staff.role == Role.TEAM_MANAGER and staff.team_id:
            own |= Q(exceptions_return__team_id=staff.team_id)
        if staff.role == Role.SERVICE_MANAGER and staff.service_id:
            own |= Q(exceptions_return__service_id=staff.service_id) | Q(
                service_summary__service_id=staff.service_id
            )
        return mine & own
