"""Demo supervision QA (seed 002, 2.5): a supervision records audit tool in every
organisation, four audits of staff members' supervision in every state, and a closed
round of 360-degree feedback on one manager's supervision with enough answers to show
(where a manager supervises enough people for the threshold: the demo's teams are small,
so today none does, and the feedback pages start empty).

Idempotent: the tool is made only when its code is missing, the audits only for an
organisation with no supervision audit, the feedback only for one with no round.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.db.models import Count

from audits.models import (
    FEEDBACK_THRESHOLD,
    Agreement,
    Audit,
    AuditTool,
    AuditType,
    Grade,
    SupervisionFeedbackRound,
    ToolQuestion,
)
from audits.services import audits as audit_services
from audits.services import feedback as feedback_services
from audits.services.tools import question_add, section_add, tool_create, tool_publish
from cases.models import Organisation, StaffMember

CODE = "supervision-records-audit"
SEED = "supervision-qa"
KIND = ToolQuestion.Kind

QUESTIONS = (
    ("Has supervision happened at the frequency the policy sets?", KIND.YES_NO),
    ("How reflective is the supervision recorded?", KIND.GRADE),
    ("Are case directions clear, with timescales, and followed up next time?", KIND.GRADE),
    ("Are the worker's wellbeing and development discussed?", KIND.YES_NO),
)
COMMENTS = (
    "Keep to the booked time: it has moved a few times this quarter",
    "More time to think about the children, less on the caseload list",
    "Written up and shared sooner after the session",
    "",
    "It already works well for me",
    "A quieter room than the open office",
)


def _tool(org: Organisation, qa: StaffMember) -> AuditTool:
    existing = AuditTool.objects.filter(organisation=org, code=CODE).order_by("-version")
    tool = existing.filter(status="published").first() or existing.first()
    if tool is not None:
        return tool
    tool = tool_create(
        organisation=org,
        name="Supervision records audit",
        code=CODE,
        created_by=qa,
        description=(
            "An audit of one member of staff's supervision records over a period: how "
            "regular, reflective and well recorded their supervision was (seed 002, 2.5)."
        ),
        audit_types=[AuditType.SUPERVISION],
    )
    section = section_add(
        tool=tool,
        title="Supervision records",
        guidance="Read the supervision records of the period, with the case records they direct.",
    )
    for text, kind in QUESTIONS:
        question_add(section=section, text=text, kind=kind)
    return tool_publish(tool=tool, by=qa)


def _pairs(org: Organisation) -> list[tuple[StaffMember, StaffMember]]:
    """(supervisee, auditor): people whose line manager has a line manager of their own,
    who audits the supervision their report gives. The demo practitioner first."""
    people = (
        StaffMember.objects.filter(organisation=org, line_manager__line_manager__isnull=False)
        .select_related("user", "line_manager__line_manager")
        .order_by("user__username")
    )
    pairs = [(p, p.line_manager.line_manager) for p in people if p.line_manager]
    pairs.sort(key=lambda pair: pair[0].user.username != "practitioner")
    return [(s, a) for s, a in pairs if a is not None and a.pk != s.pk][:4]


def _audit(
    tool: AuditTool,
    supervisee: StaffMember,
    auditor: StaffMember,
    status: str,
    today: datetime.date,
    rng: random.Random,
) -> None:
    period_end = today.replace(day=1) - datetime.timedelta(days=1)
    audit = audit_services.supervision_audit_create(
        supervisee=supervisee,
        tool=tool,
        auditor=auditor,
        due_on=today + datetime.timedelta(days=14 if status == "assigned" else -7),
        period_start=period_end.replace(day=1) - datetime.timedelta(days=62),
        period_end=period_end,
    )
    if status == "assigned":
        return
    section = tool.sections.get()
    values = {}
    for question in section.questions.all():
        choice = question.options[rng.randrange(2)][0] if question.options else "Yes"
        values[question.pk] = (choice, 0)
    audit_services.answers_save(audit=audit, section=section, by=auditor, values=values)
    if status == "in_progress":
        return
    grade = rng.choice([Grade.GOOD, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT])
    audit_services.findings_save(
        audit=audit,
        by=auditor,
        base_revision=0,
        values={
            "overall_grade": grade,
            "grade_rationale": "Supervision is monthly; reflection on the children varies.",
            "strengths": "Directions are clear and followed up at the next session.",
            "improvements": "Record the worker's own reflection on each child discussed.",
        },
    )
    audit = audit_services.audit_submit(audit=audit, by=auditor)
    if status == "submitted" or audit.line_manager is None:
        return
    audit_services.audit_oversight(
        audit=audit,
        by=audit.line_manager,
        text="Agreed. I will use the reflective template from next month.",
        agrees=True,
        directions=[
            audit_services.Direction(
                description="Use the reflective supervision template for every child discussed",
                owner=audit.line_manager,
                due_on=today + datetime.timedelta(days=28),
            )
        ],
    )


def _feedback(org: Organisation, qa: StaffMember, today: datetime.date) -> bool:
    if SupervisionFeedbackRound.objects.filter(organisation=org).exists():
        return False
    manager = (
        StaffMember.objects.filter(organisation=org, tier__gte=1)
        .annotate(supervisees=Count("reports"))
        .filter(supervisees__gte=FEEDBACK_THRESHOLD)
        .order_by("-supervisees", "pk")
        .first()
    )
    if manager is None:
        return False
    rng = random.Random(f"{SEED}:{org.slug}:feedback")
    feedback = feedback_services.feedback_round_open(
        manager=manager, by=qa, closes_on=today + datetime.timedelta(days=14)
    )
    supervisees = feedback_services.supervisees_of(manager)
    for person, comment in zip(supervisees, COMMENTS, strict=False):
        answers = {
            name: rng.choice([Agreement.STRONGLY_AGREE, Agreement.AGREE, Agreement.NEITHER])
            for name in ("regular", "reflective", "clear", "supportive")
        }
        feedback_services.feedback_answer(
            feedback=feedback, by=person, answers=answers, comment=comment
        )
    # The round ran last month: closed, so its results show.
    SupervisionFeedbackRound.objects.filter(pk=feedback.pk).update(
        closes_on=today - datetime.timedelta(days=3)
    )
    return True


def load_organisation(org: Organisation, today: datetime.date) -> str:
    qa = StaffMember.objects.filter(organisation=org, role=StaffMember.Role.QA).first()
    if qa is None:
        return f"{org.name}: no QA service, so no supervision QA"
    with transaction.atomic():
        tool = _tool(org, qa)
        written = 0
        if (
            tool.status == "published"
            and not Audit.objects.filter(organisation=org, supervisee__isnull=False).exists()
        ):
            rng = random.Random(f"{SEED}:{org.slug}:audits")
            statuses = ("final", "submitted", "in_progress", "assigned")
            for (supervisee, auditor), status in zip(_pairs(org), statuses, strict=False):
                _audit(tool, supervisee, auditor, status, today, rng)
                written += 1
        asked = _feedback(org, qa, today)
    return f"{org.name}: {written} new supervision audits" + (
        ", a round of supervision feedback" if asked else ""
    )
