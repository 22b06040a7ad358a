"""Who may see which audits: built on the case scoping in cases/querysets.py.

An audit is visible to whoever may see its case, and to the people it names (auditor,
practitioner, line manager) even when the case is outside their usual scope: the rota
may ask a manager to audit another team's case. QA, senior leaders and business support
see their organisation's audits; a regional lead sees none. An action is visible with
its audit, and to its owner.

A supervision audit (no case: a staff member's supervision records) is about a member of
staff, so it is seen as a practice observation is: by the people it names (the auditor,
the manager giving oversight), the supervisee's managers (their line manager, their
team's manager, their service's manager) and the QA service and senior leaders of its
organisation; by the supervisee once it is final; never by business support, another
team or another council. Tools: the user's own organisation's (regional leads see
none).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from cases.querysets import NOTHING, OrganisationQuerySet, case_ids_scope_for
from cases.roles import ORGANISATION_WIDE_ROLES, Role

# Organisation-wide roles that read supervision audits (business support does not).
SUPERVISION_READERS = frozenset({Role.QA, Role.SENIOR_LEADER})

if TYPE_CHECKING:
    # The querysets' type parameters name the models in strings, which ruff does not read.
    from audits.models import (  # noqa: F401
        Audit,
        AuditAction,
        AuditTool,
        SupervisionFeedbackRound,
    )
    from cases.models import StaffMember


def audit_scope_for(staff: StaffMember, prefix: str = "") -> Q:
    """The audits a member of staff sees (a filter on Audit, or through `prefix`)."""
    if staff.role == Role.REGIONAL_LEAD:
        return NOTHING
    p = prefix
    if staff.role in ORGANISATION_WIDE_ROLES:
        scope = Q(**{f"{p}organisation_id": staff.organisation_id})
        if staff.role not in SUPERVISION_READERS:
            scope &= Q(**{f"{p}supervisee__isnull": True})
        return scope
    # The case's scope as a subquery of case ids, and last: an OR of the audit's own
    # columns, its supervisee's and a join to every case joined every audit to its case
    # before it could tell which to keep (the lists' joins to the cases for what their
    # rows show follow the joins a filter makes, in order, so the cases come after).
    return (
        Q(**{f"{p}auditor_id": staff.pk})
        | Q(**{f"{p}practitioner_id": staff.pk})
        | Q(**{f"{p}line_manager_id": staff.pk})
        | supervision_scope_for(staff, p)
        | case_ids_scope_for(staff, f"{p}case")
    )


def supervision_scope_for(staff: StaffMember, prefix: str = "") -> Q:
    """The supervision audits a manager or the supervisee sees beyond those naming them
    as auditor or for oversight."""
    p = prefix
    scope = Q(**{f"{p}supervisee__line_manager_id": staff.pk}) | Q(
        **{f"{p}supervisee_id": staff.pk, f"{p}status": "final"}
    )
    if staff.role == Role.TEAM_MANAGER and staff.team_id:
        scope |= Q(**{f"{p}supervisee__team_id": staff.team_id})
    if staff.role == Role.SERVICE_MANAGER and staff.service_id:
        scope |= Q(**{f"{p}supervisee__service_id": staff.service_id})
    return scope & Q(**{f"{p}organisation_id": staff.organisation_id})


class AuditQuerySet(OrganisationQuerySet["Audit"]):
    def scope_for(self, staff: StaffMember) -> Q:
        return audit_scope_for(staff)


class AuditActionQuerySet(OrganisationQuerySet["AuditAction"]):
    def scope_for(self, staff: StaffMember) -> Q:
        return audit_scope_for(staff, prefix="audit__") | Q(owner_id=staff.pk)


class AuditToolQuerySet(OrganisationQuerySet["AuditTool"]):
    """Tools of the user's own organisation (regional leads see none)."""


class FeedbackRoundQuerySet(OrganisationQuerySet["SupervisionFeedbackRound"]):
    """360-degree feedback rounds on a manager's supervision: seen by the QA service and
    senior leaders of the organisation, the manager, their own line manager and whoever
    opened it, and (to answer it) by the manager's supervisees. Whether a reader sees the
    results is a rule (audits.view_feedback_results); nobody ever sees one answer."""

    def scope_for(self, staff: StaffMember) -> Q:
        if staff.role in SUPERVISION_READERS:
            return Q(organisation_id=staff.organisation_id)
        if staff.role == Role.REGIONAL_LEAD:
            return NOTHING
        scope = Q(manager_id=staff.pk) | Q(manager__line_manager_id=staff.pk)
        scope |= Q(opened_by_id=staff.pk)
        if staff.line_manager_id:
            scope |= Q(manager_id=staff.line_manager_id)
        return scope & Q(organisation_id=staff.organisation_id)
