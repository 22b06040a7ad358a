"""Shared fixtures of the supervision QA tests: a tool for supervision audits and an
audit of the practitioner's supervision (their line manager is team_manager), by the
service manager."""

from __future__ import annotations

import datetime

from django.utils import timezone

from audits.models import Audit, AuditTool, AuditType, Respondent, ToolQuestion
from audits.services.audits import supervision_audit_create
from audits.services.tools import question_add, section_add, tool_create, tool_publish
from cases.models import StaffMember


def supervision_tool(qa: StaffMember) -> AuditTool:
    tool = tool_create(
        organisation=qa.organisation,
        name="Supervision records audit",
        created_by=qa,
        audit_types=[AuditType.SUPERVISION],
    )
    records = section_add(tool=tool, title="Supervision records", respondent=Respondent.AUDITOR)
    question_add(
        section=records,
        text="How reflective is the supervision recorded?",
        kind=ToolQuestion.Kind.GRADE,
    )
    return tool_publish(tool=tool, by=qa)


def supervision_audit(people: dict[str, StaffMember], tool: AuditTool | None = None) -> Audit:
    practitioner = people["practitioner"]
    if practitioner.line_manager_id is None:
        practitioner.line_manager = people["team_manager"]
        practitioner.save()
    today = timezone.localdate()
    return supervision_audit_create(
        supervisee=practitioner,
        tool=tool or supervision_tool(people["qa"]),
        auditor=people["service_manager"],
        due_on=today + datetime.timedelta(days=14),
        period_start=today - datetime.timedelta(days=90),
        period_end=today,
    )
