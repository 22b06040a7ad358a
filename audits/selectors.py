"""Reads of audits. Every function starts from `visible_to(user)`, or from one
organisation's audits for the scheduled jobs.

This module and `audits.services` are the audits app's public interface: other apps
(rota, themes, governance) import only these two. The types and values they name (the
models in annotations, the audit types, grades and their colours, the grade figures)
are re-exported here.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from audits import figures as audit_figures_module
from audits.figures import GRADED_STATUSES as GRADED_STATUSES
from audits.figures import GradeDistribution as GradeDistribution
from audits.figures import given_grade as given_grade
from audits.figures import grade_distribution as grade_distribution
from audits.models import (
    FAMILY_LINK_PURPOSE,
    FEEDBACK_QUESTIONS,
    Agreement,
    Answer,
    Audit,
    AuditAction,
    AuditTool,
    SupervisionFeedbackReceipt,
    SupervisionFeedbackResponse,
    SupervisionFeedbackRound,
    ToolQuestion,
    ToolSection,
    receipt_token,
)
from audits.models import FEEDBACK_THRESHOLD as FEEDBACK_THRESHOLD
from audits.models import GOOD_OR_BETTER as GOOD_OR_BETTER
from audits.models import GRADE_COLOURS as GRADE_COLOURS
from audits.models import AuditType as AuditType
from audits.models import Grade as Grade
from cases import links
from cases.listing import stable_order
from cases.models import Case, FamilyLink, StaffMember
from cases.querysets import OrganisationQuerySet, staff_of
from cases.roles import Role
from cases.rules import is_qa
from core import prepared
from core.figures import percent
from core.improvement import action_values, improvement_rows
from core.registry import ActionItem, ImprovementItem

if TYPE_CHECKING:
    from core.types import AnyUser

# How many audits waiting for moderation the QA service's home page lists.
MODERATION_SHOWN = 5


def audit_list(*, user: AnyUser) -> QuerySet[Audit]:
    return Audit.objects.visible_to(user).select_related(
        "case__child",
        "case__adopter",
        "case__team",
        "tool",
        "auditor__user",
        "practitioner__user",
        "supervisee__user",
        "supervisee__team",
    )


# What a row of the audit list shows (audits/partials/list_results.html and the
# `audit_subject_link` tag) and the access log reads of its case, and nothing more: the
# page's rows read 46 columns, not the 143 of every joined model (each user's password
# hash among them), which PostgreSQL sends and the driver decodes for every row.
# tests/audits/test_lists.py bounds the page's queries with rows of every kind, so a
# column the page reads but this leaves out (one query per row) fails it.
LISTED_RELATED = (
    "case__child",
    "case__adopter",
    "case__team",
    "tool",
    "auditor__user",
    "supervisee__user",
    "supervisee__team",
)
LISTED_COLUMNS = (
    "status",
    "audit_type",
    "theme",
    "due_on",
    "submitted_at",
    "overall_grade",
    "period_start",
    "period_end",
    "case__organisation_id",
    "case__team__name",
    "case__child__given_name",
    "case__child__family_name",
    "case__child__reference",
    "case__adopter__household_name",
    "case__adopter__reference",
    "tool__name",
    "tool__version",
    *StaffMember.name_columns("auditor__"),
    *StaffMember.name_columns("supervisee__"),
    "supervisee__team__name",
)


def listed_rows(audits: QuerySet[Audit]) -> QuerySet[Audit]:
    """`audits` reading what the audit list's rows show (`LISTED_COLUMNS`)."""
    return audits.select_related(None).select_related(*LISTED_RELATED).only(*LISTED_COLUMNS)


def audits_listed(user: AnyUser) -> QuerySet[Audit]:
    """The audit list as it opens (no filter): every audit the user sees, in the list's
    order, reading what its rows show. A `core.prepared` build (the list's count and
    pages compile once per reader)."""
    return listed_rows(stable_order(audit_list(user=user)))


def listed_figures(*, user: AnyUser) -> audit_figures_module.AuditFigures:
    """The audit list's figures as it opens (every audit the user sees): `audit_figures`
    of `audits_listed`, each query compiled once for the reader."""
    counts = prepared.aggregate(_listed_grade_counts, user)
    starts = audit_figures_module.month_starts(counts)
    rows = prepared.rows(_listed_by_month, user, tuple(starts)) if starts else []
    return audit_figures_module.AuditFigures(
        grades=audit_figures_module.distribution(counts),
        by_month=audit_figures_module.monthly(rows, starts),
    )


def _listed_grade_counts(user: AnyUser) -> tuple[QuerySet[Audit], dict[str, Any]]:
    return audit_figures_module.grade_counting(
        Audit.objects.visible_to(user), **audit_figures_module.SUBMISSION_BOUNDS
    )


def _listed_by_month(user: AnyUser, starts: tuple[datetime.date, ...]) -> QuerySet[Any, Any]:
    return audit_figures_module.by_month_counting(Audit.objects.visible_to(user), starts)


def audit_records(*, user: AnyUser) -> QuerySet[Audit]:
    """The audits whose pages the user may open (the view looks one up, or 404s)."""
    return audit_list(user=user).select_related(
        "case__service",
        "line_manager__user",
        "oversight_by__user",
        "organisation",
        "team",
        "service",
    )


def audit_actions(*, audit: Audit) -> list[AuditAction]:
    """The actions of an audit the reader may see, each with its owner."""
    return list(audit.actions.select_related("owner__user"))


def audit_answers(*, audit: Audit) -> dict[int, Answer]:
    """The audit's answers by question, each with who last changed it."""
    return {a.question_id: a for a in audit.answers.select_related("updated_by__user")}


def family_links(*, user: AnyUser, audit: Audit) -> list[FamilyLink]:
    """The one-use links made for the family to answer their part of the audit, newest
    first (none for an audit of supervision)."""
    if audit.case is None:
        return []
    return list(
        links.links_for(user=user, case=audit.case, purpose=FAMILY_LINK_PURPOSE, target_id=audit.pk)
    )


def tool_section_list(*, tool: AuditTool) -> list[ToolSection]:
    """A tool version's sections, in order, each with its questions."""
    return list(tool.sections.prefetch_related("questions"))


def audit_section(*, audit: Audit, section_pk: int) -> ToolSection | None:
    """One section of the audit's tool version, with its questions; None if it has none
    such."""
    return audit.tool.sections.prefetch_related("questions").filter(pk=section_pk).first()


def audit_sections(*, audit: Audit) -> list[ToolSection]:
    """The audit's tool version's sections, each with its questions and this audit's
    answers (as `answer_by_question`), in two queries."""
    sections = tool_section_list(tool=audit.tool)
    answers = audit_answers(audit=audit)
    for section in sections:
        section.answer_by_question = answers
        questions = list(section.questions.all())
        section.answered = sum(1 for q in questions if answers.get(q.pk) and answers[q.pk].value)
        section.required_missing = sum(
            1 for q in questions if q.required and not (answers.get(q.pk) and answers[q.pk].value)
        )
        section.total = len(questions)
    return sections


def my_audits(*, user: AnyUser) -> dict[str, QuerySet[Audit]]:
    """The audits that name the signed-in person, by the part they play."""
    staff = staff_of(user)
    if staff is None:
        return {}
    mine = audit_list(user=user)
    return {
        "to_complete": _to_complete(mine, staff),
        "to_reflect": mine.filter(practitioner=staff, status__in=Audit.EDITABLE).order_by("due_on"),
        "to_oversee": mine.filter(line_manager=staff, status__in=Audit.AWAITING_OVERSIGHT).order_by(
            "submitted_at"
        ),
        "to_acknowledge": mine.filter(
            Q(practitioner=staff) | Q(supervisee=staff),
            status=Audit.Status.FINAL,
            acknowledged_at__isnull=True,
        ),
        "finished": mine.filter(auditor=staff, status=Audit.Status.FINAL).order_by("-oversight_at"),
    }


def my_actions(*, user: AnyUser) -> QuerySet[AuditAction]:
    staff = staff_of(user)
    if staff is None:
        return AuditAction.objects.none()
    return (
        AuditAction.objects.visible_to(user)
        .filter(owner=staff, status=AuditAction.Status.OPEN)
        .select_related(
            "audit__case__child", "audit__case__adopter", "audit__tool", "audit__supervisee__user"
        )
        .order_by("due_on")
    )


def action_items(*, user: AnyUser) -> list[ActionItem]:
    """The user's open audit actions as plain values for `core.registry.action_sources`."""
    return [
        ActionItem(
            title=action.description,
            source=f"Audit: {action.audit.tool.name}",
            owner=action.owner.display_name,
            due_on=action.due_on,
            url=action.get_absolute_url(),
            cases=[action.audit.case] if action.audit.case else [],
        )
        for action in my_actions(user=user).select_related("owner__user")
    ]


def action_records(*, user: AnyUser) -> QuerySet[AuditAction]:
    """The actions whose pages the user may open or mark as done, each with its audit."""
    return AuditAction.objects.visible_to(user).select_related("audit")


def audited_cases(*, audits: QuerySet[Audit]) -> QuerySet[Case]:
    """The cases of `audits` (audits from `visible_to`): whoever sees an audit sees the
    case it names on its pages, so these are what an export shows and logs."""
    return Case.objects.filter(pk__in=audits.values("case_id"))


def case_to_audit(*, user: AnyUser) -> QuerySet[Case]:
    """The cases the user may start an audit of (the view looks one up, or 404s)."""
    return Case.objects.visible_to(user).select_related("child", "adopter", "service")


def open_cases_by_reference(*, user: AnyUser, reference: str) -> list[Case]:
    """Open cases the user may see whose child or adopter has the ID `reference`."""
    return list(
        Case.objects.visible_to(user)
        .open()
        .filter(Q(child__reference__iexact=reference) | Q(adopter__reference__iexact=reference))
        .select_related("child", "adopter", "service", "team")[:20]
    )


def auditor_choices(*, user: AnyUser, case: Case) -> QuerySet[StaffMember]:
    """Who may be named the auditor of `case`: the QA service chooses any manager of the
    case's organisation; anyone else audits themselves."""
    auditors = StaffMember.objects.visible_to(user).filter(
        organisation_id=case.organisation_id, tier__gte=1
    )
    staff = staff_of(user)
    if staff is not None and staff.role != Role.QA:
        auditors = auditors.filter(pk=staff.pk)
    return auditors.select_related("user").order_by("user__last_name")


def published_tools(*, user: AnyUser) -> QuerySet[AuditTool]:
    return AuditTool.objects.visible_to(user).filter(status=AuditTool.Status.PUBLISHED)


def tool_records(*, user: AnyUser) -> QuerySet[AuditTool]:
    """The tool versions whose pages the user may open (the view looks one up, or 404s)."""
    return AuditTool.objects.visible_to(user).select_related(
        "created_by__user", "published_by__user"
    )


def tool_sections(*, user: AnyUser) -> QuerySet[ToolSection]:
    """Sections of the tools the user may see, each with its tool."""
    tools = AuditTool.objects.visible_to(user)
    return ToolSection.objects.filter(tool__in=tools).select_related("tool")


def tool_questions(*, user: AnyUser) -> QuerySet[ToolQuestion]:
    """Questions of the tools the user may see, each with its section and tool."""
    tools = AuditTool.objects.visible_to(user)
    return ToolQuestion.objects.filter(section__tool__in=tools).select_related("section__tool")


def _same_tool(*, user: AnyUser, tool: AuditTool) -> QuerySet[AuditTool]:
    return AuditTool.objects.visible_to(user).filter(
        organisation_id=tool.organisation_id, code=tool.code
    )


def tool_versions(*, user: AnyUser, tool: AuditTool) -> QuerySet[AuditTool]:
    """Every version of `tool`, newest first."""
    return (
        _same_tool(user=user, tool=tool).select_related("published_by__user").order_by("-version")
    )


def tool_published_version(*, user: AnyUser, tool: AuditTool) -> AuditTool | None:
    """The published version of `tool` other than `tool` itself: the one publishing it
    replaces; None if there is none."""
    return (
        _same_tool(user=user, tool=tool)
        .filter(status=AuditTool.Status.PUBLISHED)
        .exclude(pk=tool.pk)
        .first()
    )


def tool_list(*, user: AnyUser) -> QuerySet[AuditTool]:
    """The newest version of each tool, with its counts and the published and draft
    versions (`published_pk`, `published_version`, `draft_pk`)."""
    same_tool = AuditTool.objects.visible_to(user).filter(
        organisation_id=OuterRef("organisation_id"), code=OuterRef("code")
    )
    published = same_tool.filter(status=AuditTool.Status.PUBLISHED)
    draft = same_tool.filter(status=AuditTool.Status.DRAFT)
    return (
        AuditTool.objects.visible_to(user)
        .filter(pk=Subquery(same_tool.order_by("-version").values("pk")[:1]))
        .annotate(
            published_pk=Subquery(published.values("pk")[:1]),
            published_version=Subquery(published.values("version")[:1]),
            draft_pk=Subquery(draft.values("pk")[:1]),
            section_count=Count("sections", distinct=True),
            question_count=Count("sections__questions", distinct=True),
        )
        .order_by("name", "code")
    )


def subject_audits(*, user: AnyUser, case_ids: list[int]) -> QuerySet[Audit]:
    """Final audits of a child's or adopter's cases, for their record."""
    return (
        audit_list(user=user)
        .filter(case_id__in=case_ids, status=Audit.Status.FINAL)
        .order_by("-oversight_at")
    )


def moderation_queue(*, user: AnyUser) -> QuerySet[Audit]:
    """Submitted audits waiting for the QA service to moderate them, longest waiting
    first: the same audits as the audit list filtered to "Submitted". Only the QA service
    moderates, so everyone else's queue is empty."""
    if not is_qa(user):
        return Audit.objects.none()
    return _waiting_for_moderation(audit_list(user=user))


def _to_complete(audits: QuerySet[Audit], staff: StaffMember) -> QuerySet[Audit]:
    """Of `audits`, those the member of staff has still to complete, soonest due first."""
    return audits.filter(auditor=staff, status__in=Audit.EDITABLE).order_by("due_on")


# What waits for the QA service to moderate it: the queue's filter and the home card's count.
AWAITING_MODERATION = Q(status=Audit.Status.SUBMITTED)


def _waiting_for_moderation(audits: QuerySet[Audit]) -> QuerySet[Audit]:
    """Of `audits`, the submitted ones, longest waiting first."""
    return audits.filter(AWAITING_MODERATION).order_by("submitted_at", "pk")


def audit_work_summary(*, user: AnyUser) -> dict[str, Any]:
    """For the home page: how many audits wait on the person (one aggregate), their open
    actions, and the next few audits due. Each query starts from one scoped queryset:
    working out the scope's joins took longer than running the queries, so each is
    compiled once for the reader (`core.prepared`)."""
    staff = staff_of(user)
    if staff is None or staff.role == Role.REGIONAL_LEAD:
        return {}
    moderates = staff.role == StaffMember.Role.QA
    counts = prepared.aggregate(_work_counts, user, moderates)
    awaiting_moderation = counts.pop("awaiting_moderation", 0)
    counts["actions"] = prepared.aggregate(_open_action_count, user)["actions"]
    next_due: list[Audit] = []
    if counts["to_complete"]:
        next_due = prepared.rows(_next_due, user)
    summary = {"counts": counts, "next_due": next_due, "any": any(counts.values())}
    if moderates:
        summary["moderation"] = {
            "count": awaiting_moderation,
            "audits": prepared.rows(_moderation_shown, user) if awaiting_moderation else [],
        }
    return summary


def _work_counts(user: AnyUser, moderates: bool) -> tuple[QuerySet[Audit], dict[str, Count]]:
    staff = staff_of(user)
    # Every count names the person as auditor, practitioner or line manager: reading only
    # those rows lets the database start from their indexes, not every audit in scope.
    # The QA service's count of audits waiting for moderation (the submitted ones) comes
    # in the same read.
    named = Q(auditor=staff) | Q(practitioner=staff) | Q(line_manager=staff)
    waiting: dict[str, Count] = {}
    if moderates:
        named |= AWAITING_MODERATION
        waiting["awaiting_moderation"] = Count("pk", filter=AWAITING_MODERATION)
    return Audit.objects.visible_to(user).filter(named), {
        "to_complete": Count("pk", filter=Q(auditor=staff, status__in=Audit.EDITABLE)),
        "to_reflect": Count("pk", filter=Q(practitioner=staff, status__in=Audit.EDITABLE)),
        "to_oversee": Count(
            "pk", filter=Q(line_manager=staff, status__in=Audit.AWAITING_OVERSIGHT)
        ),
        "to_acknowledge": Count(
            "pk",
            filter=Q(practitioner=staff, status=Audit.Status.FINAL, acknowledged_at__isnull=True),
        ),
        **waiting,
    }


def _open_action_count(user: AnyUser) -> tuple[QuerySet[AuditAction], dict[str, Count]]:
    return my_actions(user=user), {"actions": Count("*")}


# What a row of the home page's audit card shows (audits/partials/home_audit_work.html:
# the subject, the tool, when it is due or was submitted) and the access log reads of its
# case, and nothing more. tests/audits/test_lists.py bounds the home page's queries with
# rows of every kind.
CARD_COLUMNS = (
    "due_on",
    "submitted_at",
    "case__organisation_id",
    "case__child__given_name",
    "case__child__family_name",
    "case__adopter__household_name",
    "tool__name",
    *StaffMember.name_columns("supervisee__"),
)


def _card_rows(user: AnyUser) -> QuerySet[Audit]:
    """What the home page's rows show (the subject and the tool; the person's own audits
    need no auditor) and no more."""
    return (
        Audit.objects.visible_to(user)
        .select_related("case__child", "case__adopter", "tool", "supervisee__user")
        .only(*CARD_COLUMNS)
    )


def _next_due(user: AnyUser) -> QuerySet[Audit]:
    staff = staff_of(user)
    assert staff is not None
    return _to_complete(_card_rows(user), staff)[:5]


def _moderation_shown(user: AnyUser) -> QuerySet[Audit]:
    # The moderation queue (`moderation_queue`) as the card shows it.
    rows = _card_rows(user).select_related("auditor__user")
    return _waiting_for_moderation(
        rows.only(*CARD_COLUMNS, *StaffMember.name_columns("auditor__"))
    )[:MODERATION_SHOWN]


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


_Row = TypeVar("_Row", Audit, AuditAction)


def _rows_of(
    rows: OrganisationQuerySet[_Row], *, user: AnyUser | None, organisation_id: int | None
) -> OrganisationQuerySet[_Row]:
    """The rows the user may see, or, for a scheduled job, one organisation's."""
    if user is not None:
        return rows.visible_to(user)
    if organisation_id is None:
        return rows.none()
    return rows.filter(organisation_id=organisation_id)


def _audits_of(
    *, user: AnyUser | None = None, organisation_id: int | None = None
) -> QuerySet[Audit]:
    return _rows_of(Audit.objects.all(), user=user, organisation_id=organisation_id)


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
    actions = _rows_of(AuditAction.objects.all(), user=user, organisation_id=organisation_id)
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


def supervision_tools(*, user: AnyUser) -> QuerySet[AuditTool]:
    """The published tools for supervision audits of the user's organisation."""
    # A JSON "contains" lookup is not on SQLite; an organisation has a handful of tools.
    tools = published_tools(user=user)
    ids = [
        pk for pk, types in tools.values_list("pk", "audit_types") if AuditType.SUPERVISION in types
    ]
    return tools.filter(pk__in=ids).order_by("name")


def supervisee_choices(*, user: AnyUser) -> QuerySet[StaffMember]:
    """Whose supervision the user may audit: for the QA service anyone of its
    organisation who has a line manager; for a manager, the staff of their own team or
    service and their own reports."""
    staff = staff_of(user)
    people = StaffMember.objects.visible_to(user).filter(line_manager__isnull=False)
    if staff is not None and staff.role != Role.QA:
        mine = Q(line_manager=staff)
        if staff.role == Role.TEAM_MANAGER and staff.team_id:
            mine |= Q(team_id=staff.team_id)
        if staff.role == Role.SERVICE_MANAGER and staff.service_id:
            mine |= Q(service_id=staff.service_id)
        people = people.filter(mine).exclude(pk=staff.pk)
    return people.select_related("user", "team").order_by("user__last_name", "user__first_name")


def supervision_auditor_choices(*, user: AnyUser) -> QuerySet[StaffMember]:
    """Who may be named the auditor of a supervision audit: the QA service chooses any
    manager of its organisation; a manager audits themselves."""
    auditors = StaffMember.objects.visible_to(user).filter(tier__gte=1)
    staff = staff_of(user)
    if staff is not None and staff.role != Role.QA:
        auditors = auditors.filter(pk=staff.pk)
    return auditors.select_related("user").order_by("user__last_name")


def supervision_audited_on(*, supervisee_ids: list[int]) -> dict[int, Any]:
    """The latest due date of a supervision audit of each of these people (for the rota,
    which has no user: it picks whose supervision a manager audits)."""
    rows = (
        Audit.objects.filter(supervisee_id__in=supervisee_ids)
        .values("supervisee_id")
        .annotate(last=Max("due_on"))
    )
    return {row["supervisee_id"]: row["last"] for row in rows}


# 360-degree feedback on supervision (audits/models/feedback.py).


def feedback_round_list(*, user: AnyUser) -> QuerySet[SupervisionFeedbackRound]:
    """The rounds the user may see (no count of answers: see feedback_results)."""
    return SupervisionFeedbackRound.objects.visible_to(user).select_related(
        "manager__user", "opened_by__user"
    )


def feedback_round_records(*, user: AnyUser) -> QuerySet[SupervisionFeedbackRound]:
    """The rounds whose pages the user may open (the view looks one up, or 404s)."""
    return feedback_round_list(user=user).select_related("manager__line_manager")


def feedback_rounds_to_answer(*, user: AnyUser) -> list[SupervisionFeedbackRound]:
    """Open rounds about the user's own line manager that they have not answered."""
    staff = staff_of(user)
    if staff is None or staff.line_manager_id is None:
        return []
    rounds = list(
        SupervisionFeedbackRound.objects.filter(
            manager_id=staff.line_manager_id, closes_on__gte=timezone.localdate()
        ).select_related("manager__user")
    )
    tokens = {receipt_token(r, staff) for r in rounds}
    answered = set(
        SupervisionFeedbackReceipt.objects.filter(token__in=tokens).values_list(
            "round_id", flat=True
        )
    )
    return [r for r in rounds if r.pk not in answered]


def feedback_manager_choices(*, user: AnyUser) -> QuerySet[StaffMember]:
    """Whose supervision the user may ask about: for the QA service any manager of its
    organisation, for a manager the managers who report to them."""
    managers = StaffMember.objects.visible_to(user).filter(tier__gte=1)
    staff = staff_of(user)
    if staff is not None and staff.role != Role.QA:
        managers = managers.filter(line_manager=staff)
    return managers.select_related("user").order_by("user__last_name", "user__first_name")


@dataclass(frozen=True)
class QuestionResult:
    statement: str
    # (label, how many, percent) for each point of the scale, strongly agree first.
    spread: list[tuple[str, int, int | None]]
    agree_percent: int | None


@dataclass(frozen=True)
class FeedbackResults:
    answered: int
    questions: list[QuestionResult]
    # The free-text answers, in the responses' random order, with nothing of who wrote them.
    comments: list[str]


def feedback_results(*, feedback: SupervisionFeedbackRound) -> FeedbackResults | None:
    """The round's answers as aggregates, or None while it is open or when fewer than
    FEEDBACK_THRESHOLD answered (then nothing of any answer may show)."""
    if feedback.is_open_on(timezone.localdate()):
        return None
    responses = SupervisionFeedbackResponse.objects.filter(round=feedback)
    counts = {
        f"{name}_{value}": Count("pk", filter=Q(**{name: value}))
        for name, _ in FEEDBACK_QUESTIONS
        for value in Agreement.values
    }
    totals = responses.aggregate(total=Count("pk"), **counts)
    answered = totals["total"]
    if answered < FEEDBACK_THRESHOLD:
        return None
    questions = []
    for name, statement in FEEDBACK_QUESTIONS:
        spread = [
            (str(label), totals[f"{name}_{value}"], percent(totals[f"{name}_{value}"], answered))
            for value, label in Agreement.choices
        ]
        agree = totals[f"{name}_{Agreement.STRONGLY_AGREE}"] + totals[f"{name}_{Agreement.AGREE}"]
        questions.append(QuestionResult(statement, spread, percent(agree, answered)))
    comments = list(responses.exclude(comment="").order_by("id").values_list("comment", flat=True))
    return FeedbackResults(answered=answered, questions=questions, comments=comments)


def improvement_items(*, organisation_id: int) -> Iterator[ImprovementItem]:
    """For `core.registry.improvement_sources`: every audit action (findings, and
    managers' oversight directions), and every moderation that changed an auditor's grade
    (learning for the plan, closed there)."""
    actions = AuditAction.objects.filter(organisation_id=organisation_id)

    def audit_url(row: dict[str, Any]) -> str:
        url = reverse("audits:audit_detail", kwargs={"audit_pk": row["parent_id"]})
        return f"{url}#action-{row['pk']}"

    for source in (AuditAction.Source.FINDING, AuditAction.Source.OVERSIGHT):
        yield from improvement_rows(
            action_values(actions.filter(source=source), parent="audit_id", case="audit__case_id"),
            source="audit" if source == AuditAction.Source.FINDING else "oversight",
            key="audit-action",
            url=audit_url,
        )
    grades = dict(Grade.choices)
    moderated = (
        Audit.objects.filter(organisation_id=organisation_id, moderated_at__isnull=False)
        .exclude(moderated_grade="")
        .exclude(moderated_grade=F("overall_grade"))
        .values(
            "pk",
            "overall_grade",
            "moderated_grade",
            "case_id",
            owner_id=F("auditor_id"),
            raised=F("moderated_at"),
            title=F("moderation_feedback"),
            parent_id=F("pk"),
        )
    )
    for item in improvement_rows(
        moderated,
        source="moderation",
        key="moderation",
        url=lambda row: reverse("audits:audit_detail", kwargs={"audit_pk": row["pk"]}),
        title=lambda row: (
            f"Moderation moved a grade from {grades.get(row['overall_grade'], '')} to "
            f"{grades.get(row['moderated_grade'], '')}: {row['title']}"
        ),
    ):
        yield dataclasses.replace(item, closes_in_source=False)


def audits_behind(
    *, organisation_id: int, action_pks: Iterable[int], audit_pks: Iterable[int]
) -> QuerySet[Audit]:
    """The audits the improvement plan's actions came from (the audits of these audit
    actions, and these audits), for a re-audit of the same cases."""
    return (
        Audit.objects.filter(organisation_id=organisation_id, case__isnull=False)
        .filter(Q(pk__in=list(audit_pks)) | Q(actions__pk__in=list(action_pks)))
        .distinct()
        .select_related("tool", "case", "auditor__user")
        .order_by("pk")
    )


def audits_by_pk(*, organisation_id: int, pks: Iterable[int]) -> QuerySet[Audit]:
    """An organisation's audits by their keys, with what a comparison of grades shows."""
    return (
        Audit.objects.filter(organisation_id=organisation_id, pk__in=list(pks))
        .select_related("tool", "case__child", "case__adopter", "auditor__user")
        .order_by("pk")
    )


def current_tool(*, tool: AuditTool) -> AuditTool | None:
    """The published version of `tool`'s family (the same code) now, or None."""
    return AuditTool.objects.filter(
        organisation_id=tool.organisation_id, code=tool.code, status=AuditTool.Status.PUBLISHED
    ).first()


# The board's figures (governance.figures): every graded or moderated audit of a set of
# organisations, for a caller that scopes by organisation itself.


def graded_audits_of(*, organisation_ids: Iterable[int]) -> QuerySet[Audit]:
    """Submitted (graded) audits of these organisations, with their submission time."""
    return Audit.objects.filter(
        organisation_id__in=list(organisation_ids),
        status__in=GRADED_STATUSES,
        submitted_at__isnull=False,
    ).order_by()


def moderated_audits_of(*, organisation_ids: Iterable[int]) -> QuerySet[Audit]:
    """Audits a moderator has graded, with when they did."""
    return (
        graded_audits_of(organisation_ids=organisation_ids)
        .filter(moderated_at__isnull=False)
        .exclude(moderated_grade="")
    )
