"""Permission rules for audits (django-rules). Object rules defer to visible_to."""

from __future__ import annotations

from typing import Any

import rules

from audits.models import Audit, Respondent, ToolSection
from cases.models import StaffMember
from cases.querysets import staff_of
from cases.roles import Role
from cases.rules import has_role, is_manager, is_qa


def may_fill(*, audit: Audit, section: ToolSection, staff: StaffMember | None) -> bool:
    """Who fills which part of an open audit: the practitioner their reflection, the
    auditor the rest; the family's feedback may be gathered and recorded by either."""
    if staff is None or not audit.is_editable:
        return False
    if section.respondent == Respondent.PRACTITIONER:
        return audit.practitioner_id == staff.pk
    if section.respondent == Respondent.FAMILY:
        return staff.pk in (audit.auditor_id, audit.practitioner_id)
    return audit.auditor_id == staff.pk


@rules.predicate
def can_see_audit(user: Any, audit: Any) -> bool:
    if audit is None:
        return False
    return type(audit).objects.visible_to(user).filter(pk=audit.pk).exists()


reads_all_audits = has_role(Role.QA, Role.SENIOR_LEADER, Role.SERVICE_MANAGER, Role.TEAM_MANAGER)

rules.add_perm("audits.manage_tools", rules.is_superuser | is_qa)
rules.add_perm("audits.view_tools", rules.is_superuser | is_qa | is_manager)
rules.add_perm("audits.view_audit", rules.is_superuser | can_see_audit)
rules.add_perm("audits.view_audit_list", rules.is_superuser | reads_all_audits)
rules.add_perm("audits.start_audit", rules.is_superuser | is_qa | is_manager)
rules.add_perm("audits.view_audit_history", rules.is_superuser | is_qa)


@rules.predicate
def has_own_audits(user: Any) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.role != Role.REGIONAL_LEAD


rules.add_perm("audits.view_my_audits", rules.is_superuser | has_own_audits)
