"""Reads of audits. Every function starts from `visible_to(user)`, or from one
organisation's audits for the scheduled jobs.

This module and `audits.services` are the audits app's public interface: other apps
(rota, themes, governance) import only these two. The types and values they name (the
models in annotations, the audit types, grades and their colours, the grade figures)
are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet

from audits.figures import GRADED_STATUSES as GRADED_STATUSES
from audits.figures import GradeDistribution as GradeDistribution
from audits.figures import given_grade as given_grade
from audits.figures import grade_distribution as grade_distribution
from audits.models import GOOD_OR_BETTER as GOOD_OR_BETTER
from audits.models import GRADE_COLOURS as GRADE_COLOURS
from audits.models import Audit, AuditAction, AuditTool, ToolSection
from audits.models import AuditType as AuditType
from audits.models import Grade as Grade
from cases.models import StaffMember
from cases.querysets import staff_of
from cases.roles import Role

if TYPE_CHECKING:
    from core.types import AnyUser

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


# For the other apps: the QA programme (rota, themes) and its scheduled jobs.


def published_tools_of(*, organisation_id: int) -> QuerySet[AuditTool]:
    """The organisation's published audit tools."""
    return AuditTool.objects.filter(
        organisation_id=organisation_id, status=AuditTool.Status.PUBLISHED
    )


def tool_is_published(tool: AuditTool) -> bool:
    return tool.status == AuditTool.Status.PUBLISHED


def may_see_audit(*, user: AnyUser, audit_id: int) -> bool:
    return Audit.objects.visible_to(user).filter(pk=audit_id).exists()


def _audits_of(
    *, user: AnyUser | None = None, organisation_id: int | None = None
) -> QuerySet[Audit]:
    """The audits the user may see, or, for a scheduled job, one organisation's."""
    if user is not None:
        return Audit.objects.visible_to(user)
    return Audit.objects.filter(organisation_id=organisation_id)


def open_audits(
    *, user: AnyUser | None = None, organisation_id: int | None = None
) -> QuerySet[Audit]:
    """Audits still with their auditor (assigned or in progress)."""
    return _audits_of(user=user, organisation_id=organisation_id).filter(status__in=Audit.EDITABLE)


def audits_awaiting_oversight(
    *, user: AnyUser | None = None, organisation_id: int | None = None
) -> QuerySet[Audit]:
    """Submitted (or moderated) audits with a line manager whose oversight they wait for."""
    return _audits_of(user=user, organisation_id=organisation_id).filter(
        status__in=Audit.AWAITING_OVERSIGHT, line_manager__isnull=False
    )


def open_actions(
    *, user: AnyUser | None = None, organisation_id: int | None = None
) -> QuerySet[AuditAction]:
    """Audit actions not yet done."""
    if user is not None:
        actions = AuditAction.objects.visible_to(user)
    else:
        actions = AuditAction.objects.filter(organisation_id=organisation_id)
    return actions.filter(status=AuditAction.Status.OPEN)


def audits_by_id(ids: Iterable[int] | QuerySet[Any]) -> QuerySet[Audit]:
    """The audits of these ids (a list, or a queryset of ids): for a caller that has
    already scoped them."""
    return Audit.objects.filter(pk__in=ids)


def actions_by_id(ids: Iterable[int] | QuerySet[Any]) -> QuerySet[AuditAction]:
    return AuditAction.objects.filter(pk__in=ids)


def thematic_audits(*, organisation_id: int, theme: str) -> QuerySet[Audit]:
    """The organisation's thematic audits of a theme, by its title."""
    return Audit.objects.filter(
        organisation_id=organisation_id, audit_type=AuditType.THEMATIC, theme=theme
    )


def audit_status_counts(audits: QuerySet[Audit]) -> list[tuple[str, int]]:
    """(status label, audits) for every audit status, in the order audits move through,
    in one query."""
    counts = audits.aggregate(
        **{f"status_{value}": Count("pk", filter=Q(status=value)) for value in Audit.Status.values}
    )
    return [(str(label), counts[f"status_{value}"]) for value, label in Audit.Status.choices]
