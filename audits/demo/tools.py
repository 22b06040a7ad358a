"""Answering a demo tool's questions, and creating and publishing the demo tools through
the tool services."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from audits.demo.content import (
    AGENCY_TOOLS,
    CHRONOLOGY_TEXT,
    CHRONOLOGY_V2,
    COUNCIL_TOOLS,
    FILE_TYPE_BY_SERVICE,
    FILE_TYPES,
    FILLS,
    FIRST_COUNCIL,
    GRADES,
    KIND,
    NEGLECT_QUESTION,
    NO_FEEDBACK,
    PRACTICE_REVIEW,
    RECORDS_REVIEW,
    SECOND_VERSION_DAYS_AGO,
    SECOND_VERSION_NOTE,
    SEED,
    TEXTS,
    THEMES,
    TOOLS,
    TOOLS_PUBLISHED_DAYS_AGO,
    ToolSpec,
)
from audits.models import (
    GOOD_OR_BETTER,
    AuditTool,
    Grade,
    Respondent,
    ToolQuestion,
    ToolSection,
)
from audits.services import tools as tool_services
from cases.demo.moments import days_after as _days
from cases.demo.moments import working_moment as _at
from cases.models import Case, Organisation, Service, StaffMember

# --- Answers --------------------------------------------------------------------------


@dataclass
class AnswerContext:
    grade: str
    day: datetime.date
    case: Case | None
    theme: str = ""
    no_feedback: bool = False

    @property
    def band(self) -> str:
        return "good" if self.grade in GOOD_OR_BETTER else "poor"


YES_NO_ODDS = {
    Grade.OUTSTANDING: (0.9, 0.1, 0.0),
    Grade.GOOD: (0.7, 0.25, 0.05),
    Grade.REQUIRES_IMPROVEMENT: (0.25, 0.45, 0.3),
    Grade.INADEQUATE: (0.05, 0.35, 0.6),
}


def _yes_no(grade: str, rng: random.Random) -> str:
    return rng.choices(("yes", "partly", "no"), weights=YES_NO_ODDS[grade])[0]


def _near_grade(grade: str, rng: random.Random) -> str:
    """Mostly the overall grade, sometimes the one next to it."""
    index = GRADES.index(grade)
    roll = rng.random()
    if roll < 0.2:
        index = max(0, index - 1)
    elif roll < 0.4:
        index = min(len(GRADES) - 1, index + 1)
    return GRADES[index]


def _text(fill: str, ctx: AnswerContext, rng: random.Random) -> str:
    if fill == "theme":
        return ctx.theme or THEMES[0]
    bank = TEXTS.get(fill) or TEXTS["records_evidence"]
    return rng.choice(bank.get("any") or bank[ctx.band])


def _date(fill: str, ctx: AnswerContext, rng: random.Random) -> str:
    if fill == "feedback_date":
        return _days(ctx.day, -rng.randint(1, 20)).isoformat()
    gap = rng.randint(6, 35) if ctx.band == "good" else rng.randint(30, 110)
    return _days(ctx.day, -gap).isoformat()


def _choice(question: ToolQuestion, fill: str, ctx: AnswerContext, rng: random.Random) -> str:
    if fill == "file_type" and ctx.case is not None:
        return FILE_TYPE_BY_SERVICE.get(ctx.case.service.kind, FILE_TYPES[0])
    if fill == "feedback_from" and ctx.no_feedback:
        return NO_FEEDBACK
    options = [c for c in question.choices if c != NO_FEEDBACK]
    return rng.choice(options)


def answer_value(
    section: ToolSection, question: ToolQuestion, ctx: AnswerContext, rng: random.Random
) -> str:
    """A plausible answer to `question` for an audit graded `ctx.grade`."""
    fill = FILLS.get((section.title, question.text), "")
    if question.kind == KIND.GRADE:
        return _near_grade(ctx.grade, rng)
    if question.kind == KIND.YES_NO:
        return _yes_no(ctx.grade, rng)
    if question.kind == KIND.DATE:
        return _date(fill, ctx, rng)
    if question.kind == KIND.CHOICE:
        return _choice(question, fill, ctx, rng)
    return _text(fill, ctx, rng)


def _skipped(section: ToolSection, question: ToolQuestion, ctx: AnswerContext) -> bool:
    """A family that gave no feedback leaves its questions blank, bar who gave it."""
    return (
        section.respondent == Respondent.FAMILY
        and ctx.no_feedback
        and FILLS.get((section.title, question.text)) != "feedback_from"
    )


# --- Tools ----------------------------------------------------------------------------


def _service_kinds(org: Organisation, which: str) -> list[str]:
    kinds = sorted(set(Service.objects.filter(organisation=org).values_list("kind", flat=True)))
    if which == "adoption":
        return [k for k in kinds if k in Service.ADOPTION_KINDS]
    if which == "child":
        return [k for k in kinds if k not in Service.ADOPTION_KINDS]
    return kinds


def _tool_author(org: Organisation) -> StaffMember | None:
    staff = StaffMember.objects.filter(organisation=org)
    for role in (StaffMember.Role.QA, StaffMember.Role.SERVICE_MANAGER):
        found = staff.filter(role=role).order_by("pk").first()
        if found:
            return found
    return staff.order_by("-tier", "pk").first()


def _build_tool(org: Organisation, spec: ToolSpec, author: StaffMember | None) -> AuditTool:
    tool = tool_services.tool_create(
        organisation=org,
        name=spec.name,
        created_by=author,
        description=spec.description,
        audit_types=list(spec.audit_types),
        service_kinds=_service_kinds(org, spec.services),
        code=spec.code,
    )
    for section_spec in spec.sections:
        section = tool_services.section_add(
            tool=tool,
            title=section_spec.title,
            guidance=section_spec.guidance,
            respondent=section_spec.respondent,
        )
        for q in section_spec.questions:
            tool_services.question_add(
                section=section,
                text=q.text,
                kind=q.kind,
                guidance=q.guidance,
                choices=list(q.choices),
                required=q.required,
            )
    return tool_services.tool_publish(tool=tool, by=author)


def _stamp_tool(tool: AuditTool, day: datetime.date, rng: random.Random) -> None:
    moment = _at(day, rng)
    AuditTool.objects.filter(pk=tool.pk).update(created_at=moment, published_at=moment)


class ToolSet:
    """The organisation's demo tools: created when missing, then the version to use."""

    def __init__(self, org: Organisation, today: datetime.date) -> None:
        self.org = org
        self.today = today
        self.author = _tool_author(org)
        self.rng = random.Random(f"{SEED}:{org.slug}:tools")
        self.versioned = org.slug == FIRST_COUNCIL
        self.codes = (
            AGENCY_TOOLS if org.kind == Organisation.Kind.ADOPTION_AGENCY else COUNCIL_TOOLS
        )
        self._questions: dict[int, list[tuple[ToolSection, list[ToolQuestion]]]] = {}

    @property
    def main(self) -> str:
        return self.codes[0]

    def ensure(self) -> int:
        """Create and publish each missing tool; how many were created."""
        have = set(
            AuditTool.objects.filter(organisation=self.org, code__in=self.codes).values_list(
                "code", flat=True
            )
        )
        created = 0
        for code in self.codes:
            if code not in have:
                tool = _build_tool(self.org, TOOLS[code], self.author)
                _stamp_tool(tool, _days(self.today, -TOOLS_PUBLISHED_DAYS_AGO), self.rng)
                created += 1
        return created

    def published(self, code: str) -> AuditTool:
        return AuditTool.objects.get(
            organisation=self.org, code=code, status=AuditTool.Status.PUBLISHED
        )

    def for_day(self, code: str, day: datetime.date) -> AuditTool:
        """The version an audit started on `day` uses: the first council's practice review
        changed SECOND_VERSION_DAYS_AGO days ago."""
        if self.versioned and code == PRACTICE_REVIEW:
            if day >= _days(self.today, -SECOND_VERSION_DAYS_AGO):
                self.ensure_second_version()
        return self.published(code)

    def ensure_second_version(self) -> bool:
        if not self.versioned:
            return False
        tools = AuditTool.objects.filter(organisation=self.org, code=PRACTICE_REVIEW)
        if tools.filter(version__gte=2).exists():
            return False
        draft = tool_services.tool_new_version(tool=tools.get(version=1), by=self.author)
        records = draft.sections.get(title=RECORDS_REVIEW.title)
        chronology = records.questions.get(text=CHRONOLOGY_TEXT)
        tool_services.question_update(
            question=chronology,
            text=CHRONOLOGY_V2.text,
            kind=CHRONOLOGY_V2.kind,
            guidance=CHRONOLOGY_V2.guidance,
            choices=[],
            required=True,
        )
        neglect = tool_services.question_add(
            section=records,
            text=NEGLECT_QUESTION.text,
            kind=NEGLECT_QUESTION.kind,
            guidance=NEGLECT_QUESTION.guidance,
        )
        # Above the evidence box, which stays the last question of the part.
        tool_services.item_move(item=neglect, up=True)
        tool_services.tool_update(
            tool=draft,
            name=draft.name,
            description=draft.description + SECOND_VERSION_NOTE,
            audit_types=list(draft.audit_types),
            service_kinds=list(draft.service_kinds),
        )
        draft = tool_services.tool_publish(tool=draft, by=self.author)
        _stamp_tool(draft, _days(self.today, -SECOND_VERSION_DAYS_AGO), self.rng)
        return True

    def questions(self, tool: AuditTool) -> list[tuple[ToolSection, list[ToolQuestion]]]:
        if tool.pk not in self._questions:
            self._questions[tool.pk] = [
                (section, list(section.questions.all()))
                for section in tool.sections.prefetch_related("questions")
            ]
        return self._questions[tool.pk]
