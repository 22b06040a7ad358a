"""The QA manager's audit tools: build a draft, publish it, start a new version."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from audits.models import AuditTool, AuditType, Respondent, ToolQuestion, ToolSection
from cases.models import Organisation, Service, StaffMember


class ToolError(Exception):
    """A change the tool's state does not allow; the message says why, for the page."""


def _require_draft(tool: AuditTool) -> None:
    if tool.status != AuditTool.Status.DRAFT:
        raise ToolError("Only a draft can be changed. Start a new version to edit this tool.")


def _check_lists(audit_types: list[str], service_kinds: list[str]) -> None:
    if set(audit_types) - set(AuditType.values):
        raise ToolError("Choose audit types from the list")
    if set(service_kinds) - set(Service.Kind.values):
        raise ToolError("Choose services from the list")


@transaction.atomic
def tool_create(
    *,
    organisation: Organisation,
    name: str,
    created_by: StaffMember | None,
    description: str = "",
    audit_types: list[str] | None = None,
    service_kinds: list[str] | None = None,
    code: str = "",
) -> AuditTool:
    audit_types = audit_types or []
    service_kinds = service_kinds or []
    _check_lists(audit_types, service_kinds)
    code = code or _unique_code(organisation, name)
    tool = AuditTool(
        organisation=organisation,
        code=code,
        version=1,
        name=name,
        description=description,
        audit_types=audit_types,
        service_kinds=service_kinds,
        created_by=created_by,
    )
    tool.full_clean()
    tool.save()
    return tool


def _unique_code(organisation: Organisation, name: str) -> str:
    base = slugify(name)[:50] or "tool"
    code, n = base, 1
    while AuditTool.objects.filter(organisation=organisation, code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


@transaction.atomic
def tool_update(
    *,
    tool: AuditTool,
    name: str,
    description: str,
    audit_types: list[str],
    service_kinds: list[str],
) -> AuditTool:
    _require_draft(tool)
    _check_lists(audit_types, service_kinds)
    tool.name = name
    tool.description = description
    tool.audit_types = audit_types
    tool.service_kinds = service_kinds
    tool.full_clean()
    tool.save()
    return tool


def tool_new_version(*, tool: AuditTool, by: StaffMember) -> AuditTool:
    """A draft copy of a published tool to edit; the draft if one is already open (also
    when two people ask at the same moment: the second gets the first one's draft)."""
    try:
        return _copy_as_draft(tool=tool, by=by)
    except IntegrityError:
        return AuditTool.objects.get(
            organisation=tool.organisation, code=tool.code, status=AuditTool.Status.DRAFT
        )


@transaction.atomic
def _copy_as_draft(*, tool: AuditTool, by: StaffMember) -> AuditTool:
    existing = AuditTool.objects.filter(
        organisation=tool.organisation, code=tool.code, status=AuditTool.Status.DRAFT
    ).first()
    if existing:
        return existing
    latest = AuditTool.objects.filter(organisation=tool.organisation, code=tool.code).aggregate(
        v=Max("version")
    )["v"]
    draft = AuditTool.objects.create(
        organisation=tool.organisation,
        code=tool.code,
        version=latest + 1,
        name=tool.name,
        description=tool.description,
        audit_types=list(tool.audit_types),
        service_kinds=list(tool.service_kinds),
        created_by=by,
    )
    for section in tool.sections.prefetch_related("questions"):
        copy = ToolSection.objects.create(
            tool=draft,
            title=section.title,
            guidance=section.guidance,
            respondent=section.respondent,
            position=section.position,
        )
        ToolQuestion.objects.bulk_create(
            ToolQuestion(
                section=copy,
                text=q.text,
                guidance=q.guidance,
                kind=q.kind,
                choices=list(q.choices),
                required=q.required,
                position=q.position,
            )
            for q in section.questions.all()
        )
    return draft


def tool_problems(tool: AuditTool) -> list[str]:
    """What stops a draft from being published, in plain words (empty when it can be)."""
    problems = []
    sections = list(tool.sections.prefetch_related("questions"))
    if not sections:
        problems.append("Add at least one section")
    for section in sections:
        questions = list(section.questions.all())
        if not questions:
            problems.append(f"Add a question to the section “{section.title}”")
        for question in questions:
            if question.kind == ToolQuestion.Kind.CHOICE and len(question.choices) < 2:
                problems.append(f"Give at least two choices for “{question.text}”")
    if sections and not any(s.respondent == Respondent.AUDITOR for s in sections):
        problems.append("Add a section for the auditor to complete")
    return problems


@transaction.atomic
def tool_publish(*, tool: AuditTool, by: StaffMember) -> AuditTool:
    """Publish a draft; the version it replaces stays with the audits done against it."""
    tool = AuditTool.objects.select_for_update().get(pk=tool.pk)
    _require_draft(tool)
    problems = tool_problems(tool)
    if problems:
        raise ToolError(problems[0])
    AuditTool.objects.filter(
        organisation=tool.organisation, code=tool.code, status=AuditTool.Status.PUBLISHED
    ).update(status=AuditTool.Status.RETIRED)
    tool.status = AuditTool.Status.PUBLISHED
    tool.published_at = timezone.now()
    tool.published_by = by
    tool.save(update_fields=["status", "published_at", "published_by"])
    return tool


def _next_position(queryset: QuerySet[ToolSection] | QuerySet[ToolQuestion]) -> int:
    return (queryset.aggregate(p=Max("position"))["p"] or 0) + 1


@transaction.atomic
def section_add(
    *, tool: AuditTool, title: str, guidance: str = "", respondent: str = Respondent.AUDITOR
) -> ToolSection:
    _require_draft(tool)
    section = ToolSection(
        tool=tool,
        title=title,
        guidance=guidance,
        respondent=respondent,
        position=_next_position(tool.sections.all()),
    )
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def section_update(
    *, section: ToolSection, title: str, guidance: str, respondent: str
) -> ToolSection:
    _require_draft(section.tool)
    section.title = title
    section.guidance = guidance
    section.respondent = respondent
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def section_remove(*, section: ToolSection) -> None:
    _require_draft(section.tool)
    section.delete()


@transaction.atomic
def question_add(
    *,
    section: ToolSection,
    text: str,
    kind: str,
    guidance: str = "",
    choices: list[str] | None = None,
    required: bool = True,
) -> ToolQuestion:
    _require_draft(section.tool)
    question = ToolQuestion(
        section=section,
        text=text,
        kind=kind,
        guidance=guidance,
        choices=choices or [],
        required=required,
        position=_next_position(section.questions.all()),
    )
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_update(
    *,
    question: ToolQuestion,
    text: str,
    kind: str,
    guidance: str,
    choices: list[str],
    required: bool,
) -> ToolQuestion:
    _require_draft(question.section.tool)
    question.text = text
    question.kind = kind
    question.guidance = guidance
    question.choices = choices
    question.required = required
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_remove(*, question: ToolQuestion) -> None:
    _require_draft(question.section.tool)
    question.delete()


@transaction.atomic
def item_move(*, item: ToolSection | ToolQuestion, up: bool) -> None:
    """Swap a section or question with its neighbour above (up) or below."""
    tool = item.tool if isinstance(item, ToolSection) else item.section.tool
    _require_draft(tool)
    siblings: list[ToolSection | ToolQuestion] = []
    if isinstance(item, ToolSection):
        siblings.extend(item.tool.sections.all())
    else:
        siblings.extend(item.section.questions.all())
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
