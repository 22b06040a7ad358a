"""Permission rules for audits (django-rules). Object rules defer to visible_to.

Each action on an audit is one rule, `audits.<action>`, made of who may take it (the
auditor, the practitioner, the manager giving oversight, the QA service) and when (the
audit's status). The view, the template flag and the service all ask the same rule with
`may(user, perm, obj)`; a service that says "not you" apart from "not now" asks the who
part alone for its message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import rules
from django.utils import timezone

from audits.models import Audit, AuditAction, Respondent, SupervisionFeedbackRound, ToolSection
from cases.querysets import staff_of
from cases.roles import Role
from cases.rules import has_role, is_manager, is_qa

if TYPE_CHECKING:
    from cases.models import StaffMember
    from core.types import AnyUser


def may(user: AnyUser | None, perm: str, obj: object) -> bool:
    """Whether `user` may take an object action: the rule itself. (Django's
    `user.has_perm` lets every active superuser through, status and all; an action on an
    audit is taken by a member of staff, as its rule says.)"""
    return rules.has_perm(perm, user, obj)


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


class AuditSection(NamedTuple):
    """One section of one audit: the object of `audits.fill_section`."""

    audit: Audit
    section: ToolSection


def _staff_pk(user: AnyUser | None) -> int | None:
    staff = staff_of(user)
    return staff.pk if staff is not None else None


# Who.


@rules.predicate
def is_auditor(user: AnyUser | None, audit: Audit) -> bool:
    me = _staff_pk(user)
    return me is not None and audit.auditor_id == me


@rules.predicate
def is_practitioner(user: AnyUser | None, audit: Audit) -> bool:
    """The practitioner of a case audit, or the supervisee of a supervision audit."""
    me = _staff_pk(user)
    return me is not None and me in (audit.practitioner_id, audit.supervisee_id)


@rules.predicate
def gives_oversight(user: AnyUser | None, audit: Audit) -> bool:
    """The manager recorded to give management oversight of the audit."""
    me = _staff_pk(user)
    return me is not None and audit.line_manager_id == me


@rules.predicate
def moderates(user: AnyUser | None, audit: Audit) -> bool:
    """The QA service of the audit's own organisation."""
    staff = staff_of(user)
    return is_qa(user) and staff is not None and staff.organisation_id == audit.organisation_id


@rules.predicate
def completes_action(user: AnyUser | None, action: AuditAction) -> bool:
    """The action's owner, or the audit's manager giving oversight, or its auditor."""
    me = _staff_pk(user)
    audit = action.audit
    return me is not None and me in (action.owner_id, audit.line_manager_id, audit.auditor_id)


@rules.predicate
def fills(user: AnyUser | None, part: AuditSection) -> bool:
    return may_fill(audit=part.audit, section=part.section, staff=staff_of(user))


@rules.predicate
def is_family_part(user: AnyUser | None, part: AuditSection) -> bool:
    return part.section.respondent == Respondent.FAMILY


# When.


@rules.predicate
def is_open(user: AnyUser | None, audit: Audit) -> bool:
    return audit.is_editable


@rules.predicate
def awaits_oversight(user: AnyUser | None, audit: Audit) -> bool:
    return audit.status in Audit.AWAITING_OVERSIGHT


@rules.predicate
def awaits_moderation(user: AnyUser | None, audit: Audit) -> bool:
    return audit.status == Audit.Status.SUBMITTED


@rules.predicate
def awaits_acknowledgement(user: AnyUser | None, audit: Audit) -> bool:
    return audit.status == Audit.Status.FINAL and audit.acknowledged_at is None


@rules.predicate
def action_is_open(user: AnyUser | None, action: AuditAction) -> bool:
    return action.status == AuditAction.Status.OPEN


rules.add_perm("audits.fill_section", fills)
# Make and withdraw one-use links for the family to answer their part themselves: whoever
# may record the family's feedback, while the audit is open.
rules.add_perm("audits.link_family", is_family_part & fills)
rules.add_perm("audits.edit_findings", is_auditor & is_open)
rules.add_perm("audits.add_action", is_auditor & is_open)
rules.add_perm("audits.submit_audit", is_auditor & is_open)
rules.add_perm("audits.remind_practitioner", is_auditor & is_open)
rules.add_perm("audits.give_oversight", gives_oversight & awaits_oversight)
rules.add_perm("audits.moderate_audit", moderates & awaits_moderation)
rules.add_perm("audits.acknowledge_audit", is_practitioner & awaits_acknowledgement)
rules.add_perm("audits.complete_action", completes_action & action_is_open)


@rules.predicate
def can_see_audit(user: AnyUser | None, audit: Audit | None) -> bool:
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
def has_own_audits(user: AnyUser | None) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.role != Role.REGIONAL_LEAD


rules.add_perm("audits.view_my_audits", rules.is_superuser | has_own_audits)


# 360-degree feedback on a manager's supervision (audits/models/feedback.py).


@rules.predicate
def asks_about_supervision(user: AnyUser | None, manager: StaffMember | None) -> bool:
    """Who may open a feedback round on a manager's supervision: the QA service of their
    organisation, or the manager's own line manager."""
    staff = staff_of(user)
    if staff is None or manager is None or staff.organisation_id != manager.organisation_id:
        return False
    return staff.role == Role.QA or manager.line_manager_id == staff.pk


@rules.predicate
def reads_feedback_results(user: AnyUser | None, feedback: SupervisionFeedbackRound) -> bool:
    """The aggregates: the QA service and senior leaders of the organisation, the manager
    asked about, their line manager and whoever opened the round. Never a supervisee."""
    staff = staff_of(user)
    if staff is None or staff.organisation_id != feedback.organisation_id:
        return False
    if staff.role in (Role.QA, Role.SENIOR_LEADER):
        return True
    manager = feedback.manager
    return staff.pk in (feedback.manager_id, manager.line_manager_id, feedback.opened_by_id)


@rules.predicate
def is_supervisee(user: AnyUser | None, feedback: SupervisionFeedbackRound) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.line_manager_id == feedback.manager_id


@rules.predicate
def round_is_open(user: AnyUser | None, feedback: SupervisionFeedbackRound) -> bool:
    return feedback.is_open_on(timezone.localdate())


rules.add_perm("audits.open_feedback_round", rules.is_superuser | is_qa | is_manager)
rules.add_perm("audits.open_feedback_round_for", asks_about_supervision)
rules.add_perm("audits.view_feedback_results", reads_feedback_results)
rules.add_perm("audits.answer_feedback", is_supervisee & round_is_open)
rules.add_perm("audits.view_feedback_list", rules.is_superuser | has_own_audits)
