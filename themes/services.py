"""Writes for the thematic review planner: propose a theme, agree, schedule or decline it,
create its dip sample of audits, write up the findings and mark it complete.

Anyone who may read the planner may propose a theme; the QA service of the theme's
organisation makes every other change. Each change records who made it, so the theme's
history shows who moved it on and when.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from audits.selectors import Audit, AuditTool, AuditType, tool_is_published
from audits.services.audits import audit_create
from cases.models import Case, Organisation, StaffMember
from core.months import month_end
from themes.models import ThematicReview, ThemeAudit
from themes.selectors import SAMPLE_SIZE_MAX

Status = ThematicReview.Status
OPEN_STATUSES = (Status.PROPOSED, Status.AGREED, Status.SCHEDULED)


class ThemeError(Exception):
    """The theme's state does not allow this; the message says why, for the page."""


def _as(theme: ThematicReview, by: StaffMember) -> None:
    # simple-history's middleware names the user in a request; this covers the rest.
    theme._history_user = by.user


def _require_qa(theme: ThematicReview, by: StaffMember | None, doing: str) -> None:
    if by is None or by.role != StaffMember.Role.QA or by.organisation_id != theme.organisation_id:
        raise ThemeError(f"Only the QA service of this organisation can {doing}")


def _check_tool(tool: AuditTool | None, organisation_id: int) -> None:
    if tool is None:
        return
    if tool.organisation_id != organisation_id:
        raise ThemeError("Choose an audit tool of your own organisation")
    if not tool_is_published(tool):
        raise ThemeError(
            f"{tool.name} (version {tool.version}) is not published. Choose a published tool"
        )


def _check_sample_size(sample_size: int) -> None:
    if not 1 <= sample_size <= SAMPLE_SIZE_MAX:
        raise ThemeError(f"The sample size must be between 1 and {SAMPLE_SIZE_MAX}")


def _locked(theme: ThematicReview) -> ThematicReview:
    return ThematicReview.objects.select_for_update().get(pk=theme.pk)


@transaction.atomic
def theme_propose(
    *,
    organisation: Organisation,
    proposed_by: StaffMember,
    title: str,
    question: str,
    source: str,
    source_detail: str = "",
    month: datetime.date | None = None,
    tool: AuditTool | None = None,
    sample_size: int = 10,
    indicators: list[str] | None = None,
) -> ThematicReview:
    """A new theme for the planner, waiting for the QA service to agree it."""
    if proposed_by.organisation_id != organisation.pk:
        raise ThemeError("You can only propose themes for your own organisation")
    _check_tool(tool, organisation.pk)
    _check_sample_size(sample_size)
    theme = ThematicReview(
        organisation=organisation,
        title=title,
        question=question,
        source=source,
        source_detail=source_detail,
        month=month,
        tool=tool,
        sample_size=sample_size,
        proposed_by=proposed_by,
        indicators=list(indicators or []),
    )
    theme.full_clean()
    _as(theme, proposed_by)
    theme.save()
    return theme


@transaction.atomic
def theme_update(
    *,
    theme: ThematicReview,
    by: StaffMember,
    title: str,
    question: str,
    source: str,
    source_detail: str,
    month: datetime.date | None,
    tool: AuditTool | None,
    sample_size: int,
    indicators: list[str] | None = None,
) -> ThematicReview:
    theme = _locked(theme)
    _require_qa(theme, by, "change a theme")
    if theme.status not in OPEN_STATUSES:
        raise ThemeError(f"This theme is {theme.get_status_display().lower()}, so it cannot change")
    _check_tool(tool, theme.organisation_id)
    _check_sample_size(sample_size)
    if theme.status == Status.SCHEDULED and (month is None or tool is None):
        raise ThemeError("A scheduled theme needs its month and its audit tool")
    theme.title = title
    theme.question = question
    theme.source = source
    theme.source_detail = source_detail
    theme.month = month
    theme.tool = tool
    theme.sample_size = sample_size
    if indicators is not None:
        theme.indicators = list(indicators)
    theme.full_clean()
    _as(theme, by)
    theme.save()
    return theme


@transaction.atomic
def theme_agree(*, theme: ThematicReview, by: StaffMember) -> ThematicReview:
    theme = _locked(theme)
    _require_qa(theme, by, "agree a theme")
    if theme.status != Status.PROPOSED:
        raise ThemeError("Only a proposed theme can be agreed")
    theme.status = Status.AGREED
    _as(theme, by)
    theme.save(update_fields=["status"])
    return theme


@transaction.atomic
def theme_schedule(*, theme: ThematicReview, by: StaffMember) -> ThematicReview:
    """Schedule an agreed theme for its month. Another theme in the same month is
    allowed (the page warns): one a month is the norm, not a rule."""
    theme = _locked(theme)
    _require_qa(theme, by, "schedule a theme")
    if theme.status != Status.AGREED:
        raise ThemeError("Agree the theme before you schedule it")
    problems = []
    if theme.month is None:
        problems.append("choose the month")
    if theme.tool_id is None:
        problems.append("choose the audit tool")
    if problems:
        raise ThemeError(f"Before you schedule the theme, {' and '.join(problems)}")
    _check_tool(theme.tool, theme.organisation_id)
    theme.status = Status.SCHEDULED
    _as(theme, by)
    theme.save(update_fields=["status"])
    return theme


@transaction.atomic
def theme_decline(*, theme: ThematicReview, by: StaffMember, reason: str) -> ThematicReview:
    """Decline a theme, keeping the reason in its findings as "Declined: ..."."""
    theme = _locked(theme)
    _require_qa(theme, by, "decline a theme")
    if theme.status not in OPEN_STATUSES:
        raise ThemeError("Only a proposed, agreed or scheduled theme can be declined")
    if theme.audits.exists():
        raise ThemeError("Audits have been started for this theme, so it cannot be declined")
    reason = " ".join(reason.split())
    if not reason:
        raise ThemeError("Enter why the theme is declined")
    declined = f"Declined: {reason}"
    theme.findings = (
        f"{theme.findings.rstrip()}\n\n{declined}" if theme.findings.strip() else declined
    )
    theme.status = Status.DECLINED
    _as(theme, by)
    theme.save(update_fields=["status", "findings"])
    return theme


@transaction.atomic
def theme_findings_save(*, theme: ThematicReview, by: StaffMember, findings: str) -> ThematicReview:
    theme = _locked(theme)
    _require_qa(theme, by, "write up a theme's findings")
    if theme.status != Status.SCHEDULED:
        raise ThemeError("Findings can be written up while the theme is scheduled")
    if theme.findings != findings:
        theme.findings = findings
        _as(theme, by)
        theme.save(update_fields=["findings"])
    return theme


@transaction.atomic
def theme_complete(*, theme: ThematicReview, by: StaffMember) -> ThematicReview:
    theme = _locked(theme)
    _require_qa(theme, by, "mark a theme complete")
    if theme.status != Status.SCHEDULED:
        raise ThemeError("Only a scheduled theme can be marked complete")
    if not theme.findings.strip():
        raise ThemeError("Write up the findings before you mark the theme complete")
    theme.status = Status.COMPLETE
    _as(theme, by)
    theme.save(update_fields=["status"])
    return theme


# The dip sample.


@dataclass(frozen=True)
class Assignment:
    case: Case
    auditor: StaffMember


@dataclass
class SampleResult:
    created: list[Audit] = field(default_factory=list)
    # Cases that already had an audit for this theme (a second post of the same form).
    skipped: list[Case] = field(default_factory=list)


def may_audit_for(staff: StaffMember, organisation_id: int) -> bool:
    """Managers and QA of the organisation audit the cases of a dip sample."""
    return (
        staff.organisation_id == organisation_id
        and staff.role != StaffMember.Role.REGIONAL_LEAD
        and (staff.tier >= StaffMember.Tier.TEAM or staff.role == StaffMember.Role.QA)
    )


def _check_assignment(theme: ThematicReview, assignment: Assignment) -> None:
    case = assignment.case
    if case.organisation_id != theme.organisation_id:
        raise ThemeError("Choose cases of the theme's own organisation")
    if case.status != Case.Status.OPEN:
        raise ThemeError(f"Case {case.pk} is closed. Choose open cases")
    if not may_audit_for(assignment.auditor, theme.organisation_id):
        raise ThemeError(f"{assignment.auditor.display_name} cannot audit cases for this theme")


@transaction.atomic
def theme_sample_create(
    *, theme: ThematicReview, by: StaffMember, assignments: list[Assignment]
) -> SampleResult:
    """One thematic audit per case, due at the end of the theme's month: all or none.

    A case that already has an audit for this theme is skipped, so posting the same
    sample twice creates nothing more.
    """
    theme = _locked(theme)
    _require_qa(theme, by, "choose a theme's dip sample")
    if theme.status != Status.SCHEDULED:
        raise ThemeError("Schedule the theme before you choose its dip sample")
    tool = theme.tool if theme.tool_id else None
    if theme.month is None or tool is None:
        raise ThemeError("The theme needs its month and its audit tool before sampling")
    _check_tool(tool, theme.organisation_id)
    already = set(theme.audits.values_list("case_id", flat=True))
    result = SampleResult()
    todo: list[Assignment] = []
    for assignment in assignments:
        if assignment.case.pk in already:
            result.skipped.append(assignment.case)
            continue
        _check_assignment(theme, assignment)
        already.add(assignment.case.pk)
        todo.append(assignment)
    total = theme.audits.count() + len(todo)
    if total > theme.sample_size:
        raise ThemeError(
            f"That would make a sample of {total} cases, more than the theme's sample size of "
            f"{theme.sample_size}. Change the sample size or choose fewer cases"
        )
    due_on = month_end(theme.month)
    for assignment in todo:
        audit = audit_create(
            case=assignment.case,
            tool=tool,
            auditor=assignment.auditor,
            due_on=due_on,
            audit_type=AuditType.THEMATIC,
            theme=theme.title,
        )
        ThemeAudit.objects.create(theme=theme, audit=audit)
        result.created.append(audit)
    return result
