"""Who may see which audits: built on the case scoping in cases/querysets.py.

An audit is visible to whoever may see its case, and to the people it names (auditor,
practitioner, line manager) even when the case is outside their usual scope: the rota
may ask a manager to audit another team's case. QA, senior leaders and business support
see their organisation's audits; a regional lead sees none. An action is visible with
its audit, and to its owner. Tools: the user's own organisation's (regional leads see
none).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from cases.querysets import NOTHING, OrganisationQuerySet, case_scope_for
from cases.roles import ORGANISATION_WIDE_ROLES, Role

if TYPE_CHECKING:
    # The querysets' type parameters name the models in strings, which ruff does not read.
    from audits.models import Audit, AuditAction, AuditTool  # noqa: F401
    from cases.models import StaffMember


def audit_scope_for(staff: StaffMember, prefix: str = "") -> Q:
    """The audits a member of staff sees (a filter on Audit, or through `prefix`)."""
    if staff.role == Role.REGIONAL_LEAD:
        return NOTHING
    if staff.role in ORGANISATION_WIDE_ROLES:
        return Q(**{f"{prefix}organisation_id": staff.organisation_id})
    return (
        case_scope_for(staff, f"{prefix}case__")
        | Q(**{f"{prefix}auditor_id": staff.pk})
        | Q(**{f"{prefix}practitioner_id": staff.pk})
        | Q(**{f"{prefix}line_manager_id": staff.pk})
    )


class AuditQuerySet(OrganisationQuerySet["Audit"]):
    def scope_for(self, staff: StaffMember) -> Q:
        return audit_scope_for(staff)


class AuditActionQuerySet(OrganisationQuerySet["AuditAction"]):
    def scope_for(self, staff: StaffMember) -> Q:
        return audit_scope_for(staff, prefix="audit__") | Q(owner_id=staff.pk)


class AuditToolQuerySet(OrganisationQuerySet["AuditTool"]):
    """Tools of the user's own organisation (regional leads see none)."""
