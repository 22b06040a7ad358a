"""Who may see which audits: built on the case scoping in cases/querysets.py.

An audit is visible to whoever may see its case, and to the people it names (auditor,
practitioner, line manager) even when the case is outside their usual scope: the rota
may ask a manager to audit another team's case.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from cases.querysets import case_scope, sees_whole_organisation, staff_of
from cases.roles import Role


def audit_scope(user: Any, prefix: str = "") -> Q | None:
    """A filter on Audit (or through `prefix`), or None for "everything"."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return None
    staff = staff_of(user)
    if staff is None or staff.role == Role.REGIONAL_LEAD:
        return Q(pk__in=[])
    if sees_whole_organisation(user):
        return Q(**{f"{prefix}organisation_id": staff.organisation_id})
    return (
        case_scope(user, prefix=f"{prefix}case__")
        | Q(**{f"{prefix}auditor_id": staff.pk})
        | Q(**{f"{prefix}practitioner_id": staff.pk})
        | Q(**{f"{prefix}line_manager_id": staff.pk})
    )


class AuditQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> AuditQuerySet:
        scope = audit_scope(user)
        return self if scope is None else self.filter(scope)


class AuditActionQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> AuditActionQuerySet:
        scope = audit_scope(user, prefix="audit__")
        if scope is None:
            return self
        staff = staff_of(user)
        if staff is not None:
            scope |= Q(owner_id=staff.pk)
        return self.filter(scope)


class AuditToolQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> AuditToolQuerySet:
        """Tools of the user's own organisation (regional leads see none)."""
        if user is not None and user.is_authenticated and user.is_superuser:
            return self
        staff = staff_of(user)
        if staff is None or staff.role == Role.REGIONAL_LEAD:
            return self.none()
        return self.filter(organisation_id=staff.organisation_id)
