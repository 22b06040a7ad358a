"""Reads of audits. Every function starts from `visible_to(user)`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from audits.models import Audit, AuditAction, AuditTool, ToolSection
from cases.models import StaffMember
from cases.querysets import staff_of
from cases.roles import Role

# How many audits waiting for moderation the QA service's home page lists.
MODERATION_SHOWN = 5


def audit_list(*, user: Any) -> QuerySet[Audit]:
    return Audit.objects.visible_to(user).select_related(
        "case__child",
        "case__adopter",
        "case__team",
        "tool",
        "auditor__user",
        "practitioner__user",
    )


def audit_records(*, user: Any) -> QuerySet[Audit]:
    """The audits whose pages the user may open (the view looks one up, or 404s)."""
    return audit_list(user=user).select_related(
        "case__service", "line_manager__user", "oversight_by__user", "organisation"
    )


def audit_sections(*, audit: Audit) -> list[ToolSection]:
    """The audit's tool version's sections, each with its questions and this audit's
    answers (as `answer_by_question`), in two queries."""
    sections = list(audit.tool.sections.prefetch_related("questions"))
    answers = {a.question_id: a for a in audit.answers.select_related("updated_by__user")}
    for section in sections:
        section.answer_by_question = answers
        questions = list(section.questions.all())
        section.answered = sum(1 for q in questions if answers.get(q.pk) and answers[q.pk].value)
        section.required_missing = sum(
            1 for q in questions if q.required and not (answers.get(q.pk) and answers[q.pk].value)
        )
        section.total = len(questions)
    return sections


def my_audits(*, user: Any) -> dict[str, QuerySet[Audit]]:
    """The audits that name the signed-in person, by the part they play."""
    staff = staff_of(user)
    if staff is None:
        return {}
    mine = audit_list(user=user)
    return {
        "to_complete": mine.filter(auditor=staff, status__in=Audit.EDITABLE).order_by("due_on"),
        "to_reflect": mine.filter(practitioner=staff, status__in=Audit.EDITABLE).order_by("due_on"),
        "to_oversee": mine.filter(line_manager=staff, status__in=Audit.AWAITING_OVERSIGHT).order_by(
            "submitted_at"
        ),
        "to_acknowledge": mine.filter(
            practitioner=staff, status=Audit.Status.FINAL, acknowledged_at__isnull=True
        ),
        "finished": mine.filter(auditor=staff, status=Audit.Status.FINAL).order_by("-oversight_at"),
    }


def my_actions(*, user: Any) -> QuerySet[AuditAction]:
    staff = staff_of(user)
    if staff is None:
        return AuditAction.objects.none()
    return (
        AuditAction.objects.visible_to(user)
        .filter(owner=staff, status=AuditAction.Status.OPEN)
        .select_related("audit__case__child", "audit__case__adopter", "audit__tool")
        .order_by("due_on")
    )


def published_tools(*, user: Any) -> QuerySet[AuditTool]:
    return AuditTool.objects.visible_to(user).filter(status=AuditTool.Status.PUBLISHED)


def subject_audits(*, user: Any, case_ids: list[int]) -> QuerySet[Audit]:
    """Final audits of a child's or adopter's cases, for their record."""
    return (
        audit_list(user=user)
        .filter(case_id__in=case_ids, status=Audit.Status.FINAL)
        .order_by("-oversight_at")
    )


def moderation_queue(*, user: Any) -> QuerySet[Audit]:
    """Submitted audits waiting for the QA service to moderate them, longest waiting
    first: the same audits as the audit list filtered to "Submitted". Only the QA service
    moderates, so everyone else's queue is empty."""
    staff = staff_of(user)
    if staff is None or staff.role != StaffMember.Role.QA:
        return Audit.objects.none()
    return (
        audit_list(user=user).filter(status=Audit.Status.SUBMITTED).order_by("submitted_at", "pk")
    )


def audit_work_summary(*, user: Any) -> dict[str, Any]:
    """For the home page: how many audits wait on the person (one aggregate), their open
    actions, and the next few audits due."""
    staff = staff_of(user)
    if staff is None or staff.role == Role.REGIONAL_LEAD:
        return {}
    counts = Audit.objects.visible_to(user).aggregate(
        to_complete=Count("pk", filter=Q(auditor=staff, status__in=Audit.EDITABLE)),
        to_reflect=Count("pk", filter=Q(practitioner=staff, status__in=Audit.EDITABLE)),
        to_oversee=Count("pk", filter=Q(line_manager=staff, status__in=Audit.AWAITING_OVERSIGHT)),
        to_acknowledge=Count(
            "pk",
            filter=Q(practitioner=staff, status=Audit.Status.FINAL, acknowledged_at__isnull=True),
        ),
    )
    counts["actions"] = my_actions(user=user).count()
    next_due = list(my_audits(user=user)["to_complete"][:5])
    summary = {"counts": counts, "next_due": next_due, "any": any(counts.values())}
    if staff.role == StaffMember.Role.QA:
        queue = moderation_queue(user=user)
        count = queue.count()
        summary["moderation"] = {
            "count": count,
            "audits": list(queue[:MODERATION_SHOWN]) if count else [],
        }
    return summary
