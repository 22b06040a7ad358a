"""Demo audit tools and a year of audits for the demo region, run by `load_demo`.

`load_demo` calls `load` (registered from `AuditsConfig.ready`) after it has built the case
data. For every organisation of the demo region it publishes the audit tools (a
collaborative practice review in each council, with a second version in the first one; an
adoption case file audit in the agency; a supervision audit and a thematic dip sample
everywhere), then audits done with them through the same services the pages use.

Idempotent: a tool is created only when its code is missing, and audits only for an
organisation that has none. `--size large` tops the first council up to LARGE_AUDITS
audits, written in bulk. Everything is seeded and dated from today, so two loads on the
same day give the same data.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from audits.models import (
    GOOD_OR_BETTER,
    Answer,
    Audit,
    AuditAction,
    AuditTool,
    AuditType,
    Grade,
    Respondent,
    ToolQuestion,
    ToolSection,
)
from audits.services import audits as audit_services
from audits.services import tools as tool_services
from cases.demo import names
from cases.demo.moments import days_after as _days
from cases.demo.moments import working_moment as _at
from cases.models import Case, Notification, Organisation, Service, StaffMember

SEED = "qaportal-demo-audits-1"
FIRST_COUNCIL = names.COUNCILS[0][1]
LARGE_AUDITS = 2000

# How old (in days) the tools and the practice review's second version are.
TOOLS_PUBLISHED_DAYS_AGO = 420
SECOND_VERSION_DAYS_AGO = 240

KIND = ToolQuestion.Kind
GRADES = [Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE]
EDITABLE = (Audit.Status.ASSIGNED, Audit.Status.IN_PROGRESS)


# --- The tools ------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSpec:
    text: str
    kind: str
    guidance: str = ""
    choices: tuple[str, ...] = ()
    required: bool = True
    # How the demo answers it: a key of TEXTS for text, of the date and choice fillers.
    fill: str = ""


@dataclass(frozen=True)
class SectionSpec:
    title: str
    guidance: str
    questions: tuple[QuestionSpec, ...]
    respondent: str = Respondent.AUDITOR


@dataclass(frozen=True)
class ToolSpec:
    code: str
    name: str
    description: str
    audit_types: tuple[str, ...]
    sections: tuple[SectionSpec, ...]
    # "child": the organisation's child services; "adoption": its adoption services;
    # "all": every service it has.
    services: str = "all"


PRACTICE_REVIEW = "collaborative-practice-review"
ADOPTION_FILE = "adoption-case-file-audit"
SUPERVISION = "supervision-audit"
DIP_SAMPLE = names.DIP_SAMPLE_TOOL

NO_FEEDBACK = "No feedback: the family declined or could not be reached"
FILE_TYPES = ("Recruitment and assessment", "Family finding", "Adoption support")
FILE_TYPE_BY_SERVICE = dict(zip(Service.ADOPTION_KINDS, FILE_TYPES, strict=True))

RECORDS_REVIEW = SectionSpec(
    title="Child's records review",
    guidance=(
        "Read the record from the latest assessment and plan back to the start of this "
        "involvement. Judge the difference our work is making for the child, not whether "
        "forms have been completed."
    ),
    questions=(
        QuestionSpec(
            "How well does the record show the child's lived experience?",
            KIND.GRADE,
            "What is a day in this child's life like? Look for how home, school and "
            "relationships are described, and for the impact of what has happened to them.",
        ),
        QuestionSpec(
            "Is the child's voice recorded in their own words?",
            KIND.YES_NO,
            "Their wishes and feelings in the assessment, plan and visit records; for a "
            "baby or a child without words, what the worker observed.",
        ),
        QuestionSpec(
            "How good is the current plan?",
            KIND.GRADE,
            "A good plan says what must change for the child, who will do what and by when, "
            "and what happens if it does not work.",
        ),
        QuestionSpec(
            "Is the plan outcome-focused and SMART?",
            KIND.YES_NO,
            "Specific, measurable, achievable, realistic and timed; written so the family "
            "can understand it.",
        ),
        QuestionSpec(
            "Is there an up-to-date chronology?",
            KIND.YES_NO,
            "Significant events in date order, kept current. A copy of the case notes is "
            "not a chronology.",
        ),
        QuestionSpec(
            "Are visits purposeful, and is the child seen alone?",
            KIND.YES_NO,
            "Each visit record should say why the visit happened and what it achieved. "
            "Children can be seen often and still not know why.",
        ),
        QuestionSpec(
            "Is life story work under way where the child needs it?",
            KIND.YES_NO,
            "For children looked after or with a plan for permanence. If the child does not "
            "need it, answer Yes and say so in your evidence.",
            required=False,
        ),
        QuestionSpec(
            "How effective are management oversight and supervision?",
            KIND.GRADE,
            "Supervision should be reflective, not only a list of tasks: case direction "
            "recorded with timescales, drift noticed and challenged.",
        ),
        QuestionSpec(
            "Date of the last supervision recorded on the child's file",
            KIND.DATE,
            "Leave blank if you cannot find one, and say so in your evidence.",
            required=False,
            fill="supervision_date",
        ),
        QuestionSpec(
            "What difference has our involvement made for the child?",
            KIND.GRADE,
            "Is anyone better off? Compare the child's situation now with when we became involved.",
        ),
        QuestionSpec(
            "Evidence for your judgements",
            KIND.TEXT,
            "Quote or summarise what you found in the record, with dates, so the "
            "practitioner and moderator can follow your reasoning.",
            fill="records_evidence",
        ),
    ),
)

PRACTITIONER_REFLECTION = SectionSpec(
    title="Practitioner reflective tool",
    guidance=(
        "For the allocated worker, before the review conversation. This is a learning "
        "conversation, not a test: be honest about what has and has not worked."
    ),
    respondent=Respondent.PRACTITIONER,
    questions=(
        QuestionSpec(
            "What has gone well in your work with this child?", KIND.TEXT, fill="went_well"
        ),
        QuestionSpec(
            "What difference has your work made for the child?", KIND.TEXT, fill="difference"
        ),
        QuestionSpec("Looking back, what would you do differently?", KIND.TEXT, fill="differently"),
        QuestionSpec(
            "What support or learning would help you now?",
            KIND.TEXT,
            "Supervision, training, a co-worker, time: anything that would help.",
            fill="support",
        ),
    ),
)

FAMILY_FEEDBACK = SectionSpec(
    title="Parent and child feedback",
    guidance=(
        "Speak to the parent or carer and, where their age and understanding allow, the "
        "child. Write down what they say in their own words. The auditor records it."
    ),
    respondent=Respondent.FAMILY,
    questions=(
        QuestionSpec(
            "Who gave feedback?",
            KIND.CHOICE,
            choices=("Parent or carer", "Child or young person", "Parent and child", NO_FEEDBACK),
            fill="feedback_from",
        ),
        QuestionSpec("Date feedback gathered", KIND.DATE, required=False, fill="feedback_date"),
        QuestionSpec(
            "Do you know why we are involved with your family?", KIND.YES_NO, required=False
        ),
        QuestionSpec("Did you feel listened to?", KIND.YES_NO, required=False),
        QuestionSpec(
            "Has anything changed for the better since we became involved?",
            KIND.YES_NO,
            required=False,
        ),
        QuestionSpec(
            "Comments from the family",
            KIND.TEXT,
            "Their words, not a summary of them.",
            required=False,
            fill="family_comment",
        ),
    ),
)

TOOLS = {
    PRACTICE_REVIEW: ToolSpec(
        code=PRACTICE_REVIEW,
        name="Collaborative practice review",
        description=(
            "A case review done alongside the practitioner, in three parts: the auditor's "
            "review of the child's records, the practitioner's reflection, and feedback from "
            "the parent and child. The line manager responds with oversight and directions."
        ),
        audit_types=(AuditType.REGULAR, AuditType.THEMATIC, AuditType.FOCUSED),
        sections=(RECORDS_REVIEW, PRACTITIONER_REFLECTION, FAMILY_FEEDBACK),
        services="child",
    ),
    ADOPTION_FILE: ToolSpec(
        code=ADOPTION_FILE,
        name="Adoption case file audit",
        description=(
            "Quarterly file audit of recruitment and assessment, family finding and adoption "
            "support work: quality of practice, outcome-focused plans, the child's voice and "
            "the family's engagement, and reflective supervision. Five per manager a quarter."
        ),
        audit_types=(AuditType.REGULAR, AuditType.FOCUSED),
        services="adoption",
        sections=(
            SectionSpec(
                title="About this file",
                guidance="Which part of the adoption journey the file covers, and where it is.",
                questions=(
                    QuestionSpec(
                        "Which file type is this?",
                        KIND.CHOICE,
                        choices=FILE_TYPES,
                        fill="file_type",
                    ),
                    QuestionSpec(
                        "Date of the last supervision recorded on file",
                        KIND.DATE,
                        required=False,
                        fill="supervision_date",
                    ),
                    QuestionSpec(
                        "Is the work on time against the adoption stages?",
                        KIND.YES_NO,
                        "For adopters, stage one and stage two within their expected "
                        "timescales; for children, family finding started without delay once "
                        "the plan was agreed; for support, assessment and plan without drift.",
                    ),
                    QuestionSpec(
                        "Are records made within two working days?",
                        KIND.YES_NO,
                        "Check a sample of visits and meetings against the date they were "
                        "recorded.",
                    ),
                ),
            ),
            SectionSpec(
                title="Quality of practice and plans",
                guidance="Judge the impact on the child, not only compliance.",
                questions=(
                    QuestionSpec("Overall quality of practice on this file", KIND.GRADE),
                    QuestionSpec(
                        "How outcome-focused is the plan?",
                        KIND.GRADE,
                        "The assessment, family finding or support plan says what will be "
                        "better for the child and family, who does what, and by when.",
                    ),
                    QuestionSpec(
                        "Have managers read and signed the key reports?",
                        KIND.YES_NO,
                        "For example the prospective adopter's report, placement report, "
                        "placement plan or support assessment.",
                    ),
                ),
            ),
            SectionSpec(
                title="Voice of the child and engagement of the family",
                guidance="Whose views shaped the work, and how do we know?",
                questions=(
                    QuestionSpec(
                        "How well are the child's voice and the family's views heard?",
                        KIND.GRADE,
                    ),
                    QuestionSpec(
                        "Are the child's wishes and feelings, or observations of a very young "
                        "child, recorded?",
                        KIND.YES_NO,
                    ),
                    QuestionSpec(
                        "Have the adopters or birth family been involved in the plan?",
                        KIND.YES_NO,
                    ),
                ),
            ),
            SectionSpec(
                title="Reflective supervision and management oversight",
                guidance="Does supervision help the worker think, and does it move the work on?",
                questions=(
                    QuestionSpec(
                        "How effective are supervision and management oversight?", KIND.GRADE
                    ),
                    QuestionSpec("Is supervision reflective, not only task-focused?", KIND.YES_NO),
                    QuestionSpec(
                        "Evidence and comments",
                        KIND.TEXT,
                        "What you found, with dates, and what would make the most difference.",
                        fill="adoption_evidence",
                    ),
                ),
            ),
        ),
    ),
    SUPERVISION: ToolSpec(
        code=SUPERVISION,
        name="Supervision audit",
        description=(
            "An audit of the supervision records for one case and its worker: how regular "
            "supervision is, whether it is reflective or only task-focused, whether case "
            "direction is recorded and followed up, and whether the worker's wellbeing and "
            "development are discussed."
        ),
        audit_types=(AuditType.REGULAR, AuditType.FOCUSED),
        sections=(
            SectionSpec(
                title="Supervision records",
                guidance=(
                    "Read the last six months of supervision notes for this case and the "
                    "worker's personal supervision record."
                ),
                questions=(
                    QuestionSpec(
                        "Date of the most recent supervision on file",
                        KIND.DATE,
                        fill="supervision_date",
                    ),
                    QuestionSpec(
                        "Has supervision happened as often as the policy expects?",
                        KIND.YES_NO,
                        "Count the sessions in the last six months against the expected "
                        "frequency for this worker.",
                    ),
                    QuestionSpec(
                        "Is supervision reflective rather than only task-focused?",
                        KIND.YES_NO,
                        "Look for analysis, hypotheses and the child's lived experience, not "
                        "just a list of jobs.",
                    ),
                    QuestionSpec(
                        "Is case direction recorded, with actions and timescales?", KIND.YES_NO
                    ),
                    QuestionSpec(
                        "Were actions from the previous supervision followed up?", KIND.YES_NO
                    ),
                    QuestionSpec(
                        "Were the worker's wellbeing, caseload and development discussed?",
                        KIND.YES_NO,
                    ),
                    QuestionSpec("Quality of supervision overall", KIND.GRADE),
                    QuestionSpec("Evidence and comments", KIND.TEXT, fill="supervision_evidence"),
                ),
            ),
        ),
    ),
    DIP_SAMPLE: ToolSpec(
        code=DIP_SAMPLE,
        name="Thematic dip sample",
        description=(
            "A short check of one record for this month's theme (a spotlight chosen from "
            "performance data or earlier audit findings). Several records are sampled for "
            "each theme and the findings collated in the thematic report."
        ),
        audit_types=(AuditType.THEMATIC,),
        sections=(
            SectionSpec(
                title="Dip sample",
                guidance="Keep it short: answer what the theme needs and note what you found.",
                questions=(
                    QuestionSpec(
                        "Theme of this dip sample",
                        KIND.TEXT,
                        "As agreed in the thematic review planner.",
                        fill="theme",
                    ),
                    QuestionSpec("Is the purpose of visits clear?", KIND.YES_NO),
                    QuestionSpec(
                        "Is life story work under way where needed?",
                        KIND.YES_NO,
                        "Answer Yes if the child does not need it, and say so below.",
                    ),
                    QuestionSpec("Is the chronology up to date?", KIND.YES_NO),
                    QuestionSpec("Grade of the area sampled", KIND.GRADE),
                    QuestionSpec("What did you find?", KIND.TEXT, fill="dip_findings"),
                ),
            ),
        ),
    ),
}

COUNCIL_TOOLS = (PRACTICE_REVIEW, SUPERVISION, DIP_SAMPLE)
AGENCY_TOOLS = (ADOPTION_FILE, SUPERVISION, DIP_SAMPLE)

# The practice review's second version: a question on neglect, added after the audits
# kept finding "start again" responses, and firmer guidance on chronologies.
NEGLECT_QUESTION = QuestionSpec(
    "Where there is neglect, does the record show its cumulative impact on the child?",
    KIND.YES_NO,
    "Each new concern should be weighed against the history, not treated as a fresh start. "
    "Answer Yes if neglect is not a feature and say so in your evidence.",
)
CHRONOLOGY_TEXT = "Is there an up-to-date chronology?"
CHRONOLOGY_V2 = QuestionSpec(
    "Is there an up-to-date chronology, and has it been used to inform the plan?",
    KIND.YES_NO,
    "Significant events in date order, kept current and analysed. A copy of the case notes "
    "is not a chronology. Look for the chronology being used at reviews and in supervision.",
)
SECOND_VERSION_NOTE = (
    " Version 2 adds a question on the cumulative impact of neglect and asks whether the "
    "chronology informs the plan."
)

# (section title, question text) -> how the demo answers it
FILLS = {
    (section.title, q.text): q.fill
    for spec in TOOLS.values()
    for section in spec.sections
    for q in section.questions
    if q.fill
}


# --- Phrase banks (the demo's own words) ----------------------------------------------

TEXTS: dict[str, dict[str, list[str]]] = {
    "records_evidence": {
        "good": [
            "The latest assessment quotes the child directly and the plan was updated after "
            "the last review; visit records say what each visit was for.",
            "Chronology updated last month and used at the review. The child was seen alone "
            "on the last three visits and their wishes are reflected in the plan.",
            "Clear plan with named people and dates. Supervision notes show the manager "
            "challenging drift and agreeing next steps.",
            "Direct work sessions are recorded, with the child's own drawings on file; the "
            "family's views are in the review minutes.",
        ],
        "poor": [
            "Visits are happening but records do not say why or what changed; the child was "
            "not seen alone on the last two visits.",
            "The chronology has not been updated since the case transferred and the plan "
            "repeats actions from six months ago.",
            "The plan lists services rather than outcomes for the child and has no contingency.",
            "Supervision entries list tasks only; nothing on the impact of long-standing "
            "neglect on the child.",
        ],
    },
    "went_well": {
        "any": [
            "Building a relationship with the child: they now talk to me about school and "
            "their friends.",
            "Getting the family and school round the table; the core group works well now.",
            "Keeping visits regular through a difficult few months and making sure the "
            "child was seen on their own.",
            "The placement has settled and contact with their brother now happens every fortnight.",
        ]
    },
    "difference": {
        "good": [
            "School attendance has gone from about half to nearly every day and the child "
            "says home feels calmer.",
            "The child has a settled home and is starting to trust the adults around them.",
            "Mum is engaging with the parenting programme and home conditions have improved.",
        ],
        "poor": [
            "Honestly, not much yet: we have spent more time assessing than helping change happen.",
            "Some small improvements in routines, but the worries about neglect keep coming back.",
            "The child is safer day to day, but the plan drifted while we waited for other "
            "agencies.",
        ],
    },
    "differently": {
        "any": [
            "Start the chronology at allocation and keep it going, instead of catching up "
            "before reviews.",
            "Be clearer with the family about the purpose of each visit.",
            "Escalate sooner when the plan was not moving.",
            "Start life story work earlier rather than waiting for the placement to settle.",
            "Use direct work tools to hear from the child instead of relying on the adults.",
        ]
    },
    "support": {
        "any": [
            "Time in supervision to think about the case, not only to go through tasks.",
            "Training on neglect and cumulative harm.",
            "A co-worker for joint visits to dad.",
            "Help from the life story worker to get started.",
            "Nothing extra at the moment; supervision has helped.",
        ]
    },
    "family_comment": {
        "good": [
            "She always rings back and explains things so I understand.",
            "My son likes his social worker and looks forward to seeing her.",
            "It has been hard but things are better at home now.",
            "I know what I need to do and what happens next.",
        ],
        "poor": [
            "We have had three social workers this year and keep telling our story again.",
            "Nobody told me why the meeting was moved.",
            "I don't always know why she is coming round.",
            "Things are the same as before really.",
        ],
    },
    "supervision_evidence": {
        "good": [
            "Monthly supervision recorded; notes weigh up risk and the worker's analysis, and "
            "actions from the last session are reviewed.",
            "Supervision explores the child's lived experience and how the worker feels about "
            "the case; clear direction with timescales.",
            "Wellbeing and caseload discussed each month; training needs linked to appraisal.",
        ],
        "poor": [
            "Two gaps of more than eight weeks; notes are lists of tasks with no analysis.",
            "Case direction is recorded but earlier actions are not followed up.",
            "No record this year of the worker's wellbeing or development being discussed.",
        ],
    },
    "dip_findings": {
        "good": [
            "The purpose of visits was clear and linked to the plan's actions.",
            "Life story work under way with a named worker and a start date agreed with the "
            "carers.",
            "Chronology current and analysed; used at the last review.",
        ],
        "poor": [
            "Visits recorded but their purpose not stated; the child's views not captured.",
            "Life story work not started although the child has a plan for permanence.",
            "Chronology out of date and largely copied from case notes.",
        ],
    },
    "adoption_evidence": {
        "good": [
            "Prospective adopter's report finished on time and signed off by the manager; the "
            "adopters' feedback is positive.",
            "Family finding began promptly after the placement order and the child's profile "
            "brings their personality to life.",
            "The support plan is clear about what should be better for the child and family, "
            "with a review date.",
        ],
        "poor": [
            "Stage two ran past its expected timescale with no reason recorded.",
            "No family finding activity recorded for six weeks after the permanence report.",
            "Support assessment done but no plan saying what the support should achieve.",
        ],
    },
}

RATIONALE = {
    Grade.OUTSTANDING: [
        "Consistently strong practice: the child's experience drives every decision and the "
        "improvement in their life is clear from the record.",
        "Exceptional direct work and planning; the family say they feel heard and the "
        "outcomes show it.",
    ],
    Grade.GOOD: [
        "The child is seen, heard and safer; the plan is clear and followed, with good "
        "management oversight.",
        "Good practice overall; small recording gaps do not affect the child's progress.",
        "Purposeful work with the family and timely decisions; the plan is making a difference.",
    ],
    Grade.REQUIRES_IMPROVEMENT: [
        "The child is safe but the plan has drifted and the impact of our work is not yet clear.",
        "Some good direct work, but the chronology is out of date and supervision is mostly "
        "task-focused.",
        "Visits are on time but their purpose is often unclear and the child's voice is thin "
        "in the plan.",
    ],
    Grade.INADEQUATE: [
        "Risks to the child were not acted on quickly enough and management oversight was "
        "not effective.",
        "The child has not been seen alone for months and the plan does not address the neglect.",
    ],
}
OVERSIGHT = {
    "good": [
        "I agree with the grade. Well done, {first}: please share the direct work you did "
        "here at the next team meeting.",
        "Agreed. A good example of purposeful visiting; tidy up the small recording gaps "
        "within the month.",
        "I agree. The plan is working; keep the chronology current as the case moves on.",
    ],
    "poor": [
        "I agree with the findings. We will go through the case in supervision next week and "
        "agree a revised plan with timescales.",
        "The drift found here is not acceptable. I will chair a case review within ten "
        "working days.",
        "Agreed. Bring the chronology up to date before the next review and make the plan SMART.",
    ],
}
ACKNOWLEDGEMENTS = [
    "Thank you, the feedback is helpful and I agree with the actions.",
    "Read and talked through in supervision.",
    "Agreed; I have already started on the chronology.",
    "",
]


@dataclass(frozen=True)
class Bank:
    """What auditors and managers write: strengths, areas to improve, directions."""

    strengths: tuple[str, ...]
    improvements: tuple[str, ...]
    directions: tuple[str, ...]


COUNCIL_BANK = Bank(
    strengths=(
        "Warm, respectful relationship with the child and family.",
        "The child's wishes and feelings are recorded in their own words.",
        "Good joint working with school and health.",
        "Visits are regular and the child is seen alone.",
        "The assessment analyses the history rather than only describing it.",
        "Clear recording that the family could read and understand.",
    ),
    improvements=(
        "Update the chronology and use it at the next review.",
        "Record the purpose of each visit and what it achieved.",
        "Make the plan SMART: what must change, who does what, by when.",
        "Start life story work with a named worker and a date.",
        "Make supervision reflective: the child's lived experience and the worker's "
        "analysis, not only tasks.",
        "Capture the child's views in their own words at every visit.",
        "Weigh each new concern against the history of neglect rather than starting again.",
    ),
    directions=(
        "Update the chronology and share it with the IRO before the next review",
        "Complete direct work with the child to capture their wishes and feelings",
        "Rewrite the plan so that each action has an owner and a date",
        "Agree a start date for life story work with the carers",
        "Record the purpose and outcome of every visit",
        "Bring the case to group supervision to reflect on the impact of neglect",
        "Arrange a joint visit with your team manager",
        "Share the good practice from this case at the team meeting",
    ),
)
AGENCY_BANK = Bank(
    strengths=(
        "The adopters say they felt well prepared and kept informed.",
        "The child's profile brings their personality to life.",
        "Steady progress through stage one and stage two.",
        "Reports read and signed by the manager promptly.",
        "Good joint working with the child's local authority.",
        "Warm, respectful relationship with the family.",
    ),
    improvements=(
        "Record the reason whenever a stage runs past its timescale.",
        "Make the support plan say what should be better for the child, and by when.",
        "Record the child's wishes and feelings, or what was observed, at each visit.",
        "Keep the family finding log up to date, including profiles shared and responses.",
        "Make supervision reflective, not only a checklist of tasks.",
        "Start life story work and the later life letter in good time.",
    ),
    directions=(
        "Record the reason for the delay at stage two and agree a revised date",
        "Update the family finding log and share the child's profile more widely",
        "Rewrite the support plan with outcomes and a review date",
        "Add the child's wishes and feelings to the placement report",
        "Bring the file to reflective supervision",
        "Agree the life story book and later life letter timetable with the adopters",
        "Ask the adopters for their feedback on the assessment",
        "Share the good practice from this file at the team meeting",
    ),
)


THEMES = [
    "Purpose of visits",
    "Life story work",
    "Chronologies",
    "Neglect and cumulative harm",
    "Reflective supervision",
]


# --- Dates ----------------------------------------------------------------------------


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


# --- Who is who ----------------------------------------------------------------------


class People:
    """The organisation's managers, and the demo logins when they work here."""

    def __init__(self, org: Organisation) -> None:
        staff = list(
            StaffMember.objects.filter(organisation=org)
            .select_related("user", "team", "service", "line_manager")
            .order_by("pk")
        )
        self.team_manager_of = {
            s.team_id: s for s in staff if s.role == StaffMember.Role.TEAM_MANAGER
        }
        self.service_managers = [s for s in staff if s.role == StaffMember.Role.SERVICE_MANAGER]
        self.managers = list(self.team_manager_of.values()) + self.service_managers
        self.managers += [
            s
            for s in staff
            if s.role == StaffMember.Role.SENIOR_LEADER
            and s.tier == StaffMember.Tier.HEAD_OF_SERVICE
        ]
        self.by_username = {s.user.username: s for s in staff}

    def login(self, username: str) -> StaffMember | None:
        return self.by_username.get(username)


def _cases(org: Organisation) -> list[Case]:
    """Allocated cases (of children, in a council) that an audit could look at."""
    cases = Case.objects.filter(organisation=org, allocated_worker__isnull=False)
    if org.kind != Organisation.Kind.ADOPTION_AGENCY:
        cases = cases.filter(child__isnull=False)
    return list(
        cases.select_related(
            "service", "team", "allocated_worker__user", "child", "adopter"
        ).order_by("pk")
    )


# --- Plans: what each demo audit will be ----------------------------------------------


@dataclass
class Plan:
    case: Case
    auditor: StaffMember
    tool_code: str
    audit_type: str
    status: str
    created: datetime.date
    due: datetime.date
    grade: str
    submitted: datetime.date | None = None
    oversight: datetime.date | None = None
    acknowledged: datetime.date | None = None
    theme: str = ""
    # For audits still open: how much of the auditor's part is answered, and whether the
    # practitioner has written their reflection.
    progress: float = 1.0
    reflected: bool = True
    directions: int = 0
    # How many of the directions to leave open (None: by their age).
    open_actions: int | None = None
    no_feedback: bool = False


@dataclass
class Picker:
    """Chooses cases and auditors for the random audits, without repeating a case."""

    cases: list[Case]
    people: People
    rng: random.Random
    used: set[int] = field(default_factory=set)
    # Kept for the demo logins' own audits (set in the first council only).
    reserved_workers: set[int] = field(default_factory=set)
    quiet_teams: set[int] = field(default_factory=set)
    quiet_auditors: set[int] = field(default_factory=set)

    def case(self, day: datetime.date, still_open: bool) -> Case | None:
        def fits(case: Case) -> bool:
            if case.pk in self.used or case.allocated_worker_id in self.reserved_workers:
                return False
            if still_open and (case.closed_on is not None or case.team_id in self.quiet_teams):
                return False
            closed_in_time = case.closed_on is None or case.closed_on >= day
            return case.opened_on <= _days(day, -21) and closed_in_time

        candidates = [c for c in self.cases if fits(c)]
        if not candidates:
            return None
        chosen = self.rng.choice(candidates)
        self.used.add(chosen.pk)
        return chosen

    def auditor(self, case: Case, still_open: bool) -> StaffMember:
        own = self.people.team_manager_of.get(case.team_id)
        others = [m for m in self.people.managers if m is not own]
        if still_open:
            others = [m for m in others if m.pk not in self.quiet_auditors]
            if own is not None and own.pk in self.quiet_auditors:
                own = None
        if own is not None and (self.rng.random() < 0.7 or not others):
            return own
        return self.rng.choice(others)


def _grade(rng: random.Random, age: int) -> str:
    """Better grades in recent months: the trend the audits should show as practice improves."""
    recency = max(0.0, 1 - age / 365)
    if rng.random() < 0.3 + 0.45 * recency:
        return Grade.OUTSTANDING if rng.random() < 0.15 else Grade.GOOD
    if rng.random() < 0.3 - 0.15 * recency:
        return Grade.INADEQUATE
    return Grade.REQUIRES_IMPROVEMENT


@dataclass
class Timeline:
    created: datetime.date
    due: datetime.date
    age: int
    submitted: datetime.date | None = None
    oversight: datetime.date | None = None
    acknowledged: datetime.date | None = None


def _final_timeline(rng: random.Random, today: datetime.date, age: int) -> Timeline:
    submitted = _days(today, -age)
    due = _days(submitted, rng.randint(-3, 7))
    oversight = _days(submitted, rng.randint(2, max(2, min(14, age - 3))))
    left = (today - oversight).days
    acknowledged = None
    if left >= 2 and rng.random() < 0.9:
        acknowledged = _days(oversight, rng.randint(1, min(10, left)))
    return Timeline(_days(due, -rng.randint(21, 35)), due, age, submitted, oversight, acknowledged)


def _timeline(rng: random.Random, today: datetime.date, status: str, age: int) -> Timeline:
    if status == Audit.Status.FINAL:
        return _final_timeline(rng, today, age)
    if status == Audit.Status.SUBMITTED:
        submitted = _days(today, -age)
        due = _days(submitted, rng.randint(-2, 6))
        return Timeline(_days(due, -rng.randint(21, 35)), due, age, submitted)
    if status == Audit.Status.IN_PROGRESS:
        due = _days(today, rng.randint(-6, 14))
        return Timeline(min(_days(due, -rng.randint(21, 35)), _days(today, -7)), due, 0)
    due = _days(today, rng.randint(5, 28))
    return Timeline(_days(today, -rng.randint(0, 10)), due, 0)


@dataclass(frozen=True)
class Mix:
    final: int
    submitted: int
    in_progress: int
    assigned: int


MIXES = {
    "first": Mix(final=21, submitted=3, in_progress=2, assigned=2),
    "council": Mix(final=23, submitted=3, in_progress=2, assigned=2),
    "raa": Mix(final=15, submitted=2, in_progress=2, assigned=1),
}


def _timelines(rng: random.Random, today: datetime.date, mix: Mix) -> list[tuple[str, Timeline]]:
    span = 340 / mix.final
    rows = [
        (
            Audit.Status.FINAL,
            _timeline(rng, today, Audit.Status.FINAL, int(20 + (k + rng.random()) * span)),
        )
        for k in range(mix.final)
    ]
    rows += [
        (Audit.Status.SUBMITTED, _timeline(rng, today, Audit.Status.SUBMITTED, rng.randint(2, 16)))
        for _ in range(mix.submitted)
    ]
    rows += [
        (status, _timeline(rng, today, status, 0))
        for status, n in (
            (Audit.Status.IN_PROGRESS, mix.in_progress),
            (Audit.Status.ASSIGNED, mix.assigned),
        )
        for _ in range(n)
    ]
    return sorted(rows, key=lambda row: row[1].created)


def _kind_of_audit(index: int, main: str) -> tuple[str, str, str]:
    """(tool code, audit type, theme) for the index-th random audit, oldest first."""
    theme = THEMES[(index // 10) % len(THEMES)]
    slot = index % 10
    if slot == 3:
        return DIP_SAMPLE, AuditType.THEMATIC, theme
    if slot == 7:
        return SUPERVISION, AuditType.REGULAR if index % 20 < 10 else AuditType.FOCUSED, ""
    if slot == 9 and main == PRACTICE_REVIEW:
        return main, AuditType.THEMATIC, theme
    if slot == 5:
        return main, AuditType.FOCUSED, ""
    return main, AuditType.REGULAR, ""


def _random_plans(picker: Picker, today: datetime.date, mix: Mix, main: str) -> list[Plan]:
    rng = picker.rng
    plans = []
    for index, (status, t) in enumerate(_timelines(rng, today, mix)):
        still_open = status != Audit.Status.FINAL
        case = picker.case(t.created, still_open)
        if case is None:
            continue
        code, audit_type, theme = _kind_of_audit(index, main)
        plans.append(
            Plan(
                case=case,
                auditor=picker.auditor(case, still_open),
                tool_code=code,
                audit_type=audit_type,
                status=status,
                created=t.created,
                due=t.due,
                grade=_grade(rng, t.age),
                submitted=t.submitted,
                oversight=t.oversight,
                acknowledged=t.acknowledged,
                theme=theme,
                progress=rng.uniform(0.3, 0.9) if status == Audit.Status.IN_PROGRESS else 1.0,
                reflected=status != Audit.Status.IN_PROGRESS or rng.random() < 0.5,
                directions=rng.randint(1, 3),
                no_feedback=rng.random() < 0.15,
            )
        )
    return plans


# The demo logins' own audits: (status, auditor, whose case, tool, days from today of
# created, due, submitted, oversight, acknowledged; grade, progress, reflected, open actions)
@dataclass(frozen=True)
class Pinned:
    status: str
    auditor: str
    worker: str
    tool: str
    days: tuple[int | None, ...]
    grade: str = Grade.GOOD
    progress: float = 1.0
    reflected: bool = True
    open_actions: int | None = None


TM, SM, OTHER_TM, PRAC, PRAC2 = (
    names.TEAM_MANAGER_LOGIN,
    "service manager",
    "other tm",
    "practitioner",
    "p2",
)
RI = Grade.REQUIRES_IMPROVEMENT
PINNED = (
    # team.manager has three to complete, with the practitioner's reflection still to add
    Pinned(Audit.Status.ASSIGNED, TM, PRAC, PRACTICE_REVIEW, (-3, 12, None, None, None)),
    Pinned(
        Audit.Status.IN_PROGRESS,
        TM,
        PRAC,
        PRACTICE_REVIEW,
        (-20, 5, None, None, None),
        grade=RI,
        progress=0.4,
        reflected=False,
    ),
    Pinned(
        Audit.Status.IN_PROGRESS,
        TM,
        PRAC,
        PRACTICE_REVIEW,
        (-30, -2, None, None, None),
        progress=1.0,
        reflected=False,
    ),
    # two submitted by others, waiting for team.manager's oversight
    Pinned(Audit.Status.SUBMITTED, SM, PRAC, PRACTICE_REVIEW, (-32, -3, -4, None, None)),
    Pinned(
        Audit.Status.SUBMITTED, OTHER_TM, PRAC2, SUPERVISION, (-38, -8, -9, None, None), grade=RI
    ),
    # the practitioner has one to acknowledge, with two open directions
    Pinned(
        Audit.Status.FINAL,
        TM,
        PRAC,
        PRACTICE_REVIEW,
        (-40, -12, -12, -6, None),
        grade=RI,
        open_actions=2,
    ),
    # and an older one, acknowledged, with one direction done and one overdue
    Pinned(
        Audit.Status.FINAL,
        SM,
        PRAC,
        PRACTICE_REVIEW,
        (-95, -68, -70, -63, -60),
        grade=Grade.GOOD,
        open_actions=1,
    ),
)


def _pinned_people(people: People) -> dict[str, StaffMember] | None:
    manager, practitioner = people.login(TM), people.login(PRAC)
    if manager is None or practitioner is None:
        return None
    colleagues = [
        s
        for s in people.by_username.values()
        if s.team_id == manager.team_id
        and s.role == StaffMember.Role.PRACTITIONER
        and s.pk != practitioner.pk
    ]
    service_kind = manager.team.service.kind if manager.team else ""
    service_managers = [m for m in people.service_managers if m.service.kind == service_kind]
    others = [m for t, m in people.team_manager_of.items() if t != manager.team_id]
    return {
        TM: manager,
        PRAC: practitioner,
        PRAC2: colleagues[0] if colleagues else practitioner,
        SM: (service_managers or people.service_managers or [manager])[0],
        OTHER_TM: next((m for m in others if m.service_id == manager.service_id), others[0]),
    }


def _pinned_plans(picker: Picker, today: datetime.date) -> list[Plan]:
    who = _pinned_people(picker.people)
    if who is None:
        return []
    picker.reserved_workers.add(who[PRAC].pk)
    picker.quiet_teams.add(who[TM].team_id)
    picker.quiet_auditors.add(who[TM].pk)
    plans = []
    for pin in PINNED:
        created, due, submitted, oversight, acknowledged = (
            None if d is None else _days(today, d) for d in pin.days
        )
        mine = [
            c
            for c in picker.cases
            if c.allocated_worker_id == who[pin.worker].pk
            and c.closed_on is None
            and c.pk not in picker.used
        ]
        if not mine:
            continue
        case = min(mine, key=lambda c: (c.opened_on > _days(created, -21), c.pk))
        picker.used.add(case.pk)
        plans.append(
            Plan(
                case=case,
                auditor=who[pin.auditor],
                tool_code=pin.tool,
                audit_type=AuditType.REGULAR,
                status=pin.status,
                created=created,
                due=due,
                grade=pin.grade,
                submitted=submitted,
                oversight=oversight,
                acknowledged=acknowledged,
                progress=pin.progress,
                reflected=pin.reflected,
                directions=2,
                open_actions=pin.open_actions,
            )
        )
    return plans


# --- Doing the audits through the services -------------------------------------------


class Writer:
    """Turns plans into audits through the services, then back-dates them."""

    def __init__(self, tools: ToolSet, rng: random.Random, today: datetime.date) -> None:
        self.tools = tools
        self.rng = rng
        self.today = today
        agency = tools.org.kind == Organisation.Kind.ADOPTION_AGENCY
        self.bank = AGENCY_BANK if agency else COUNCIL_BANK

    def write(self, plan: Plan) -> Audit:
        tool = self.tools.for_day(plan.tool_code, plan.created)
        audit = audit_services.audit_create(
            case=plan.case,
            tool=tool,
            auditor=plan.auditor,
            due_on=plan.due,
            audit_type=plan.audit_type,
            theme=plan.theme,
        )
        if plan.status != Audit.Status.ASSIGNED:
            self._answer(audit, tool, plan)
        if plan.status not in EDITABLE:
            self._findings(audit, plan)
            audit = audit_services.audit_submit(audit=audit, by=plan.auditor)
        if plan.status == Audit.Status.FINAL:
            self._oversee(audit, plan)
        self._backdate(audit, plan)
        return audit

    def _answer_day(self, plan: Plan) -> datetime.date:
        if plan.submitted:
            return _days(plan.submitted, -self.rng.randint(0, 3))
        return min(_days(plan.created, self.rng.randint(3, 10)), self.today)

    def _answer(self, audit: Audit, tool: AuditTool, plan: Plan) -> None:
        ctx = AnswerContext(
            grade=plan.grade,
            day=self._answer_day(plan),
            case=plan.case,
            theme=plan.theme,
            no_feedback=plan.no_feedback,
        )
        auditor_parts = 0
        for section, questions in self.tools.questions(tool):
            practitioner_part = section.respondent == Respondent.PRACTITIONER
            if practitioner_part and not plan.reflected:
                continue
            if not practitioner_part:
                auditor_parts += 1
                if plan.progress < 1:
                    # A half-done audit: the auditor stopped part-way through the first part.
                    if auditor_parts > 1:
                        continue
                    questions = questions[: max(1, round(len(questions) * plan.progress))]
            values = {
                q.pk: (answer_value(section, q, ctx, self.rng), 0)
                for q in questions
                if not _skipped(section, q, ctx)
            }
            by = audit.practitioner if practitioner_part else plan.auditor
            if values:
                audit_services.answers_save(audit=audit, section=section, by=by, values=values)

    def _findings(self, audit: Audit, plan: Plan) -> None:
        rng = self.rng
        poor = plan.grade not in GOOD_OR_BETTER
        values = {
            "overall_grade": plan.grade,
            "grade_rationale": rng.choice(RATIONALE[plan.grade]),
            "strengths": " ".join(rng.sample(self.bank.strengths, 1 if poor else 2)),
            "improvements": " ".join(rng.sample(self.bank.improvements, 2 if poor else 1)),
        }
        audit_services.findings_save(audit=audit, by=plan.auditor, base_revision=0, values=values)
        if poor and rng.random() < 0.4:
            audit_services.action_add(
                audit=audit,
                description=rng.choice(self.bank.directions),
                owner=audit.practitioner or plan.auditor,
                due_on=_days(plan.submitted or self.today, rng.randint(14, 28)),
                by=plan.auditor,
            )

    def _directions(self, audit: Audit, plan: Plan) -> list[audit_services.Direction]:
        rng = self.rng
        owners = [audit.practitioner or audit.line_manager] * 3 + [audit.line_manager]
        pinned = plan.open_actions is not None
        return [
            audit_services.Direction(
                description=text,
                owner=owners[0] if pinned else rng.choice(owners),
                due_on=_days(plan.oversight, rng.randint(14, 42)),
            )
            for text in rng.sample(self.bank.directions, plan.directions)
        ]

    def _oversee(self, audit: Audit, plan: Plan) -> None:
        band = "good" if plan.grade in GOOD_OR_BETTER else "poor"
        first = audit.practitioner.user.first_name if audit.practitioner else ""
        text = self.rng.choice(OVERSIGHT[band]).format(first=first or "everyone")
        # Managers agree with a good grade and question one poorer grade in three (by the
        # case, not the random stream, so the rest of the demo stays as it was).
        agrees = band == "good" or audit.case_id % 3 != 0
        other = (
            Grade.INADEQUATE
            if plan.grade == Grade.REQUIRES_IMPROVEMENT
            else Grade.REQUIRES_IMPROVEMENT
        )
        audit_services.audit_oversight(
            audit=audit,
            by=audit.line_manager,
            text=text,
            agrees=agrees,
            grade="" if agrees else other,
            directions=self._directions(audit, plan),
        )
        self._close_actions(audit, plan)
        if plan.acknowledged and audit.practitioner:
            audit_services.audit_acknowledge(
                audit=audit, by=audit.practitioner, comment=self.rng.choice(ACKNOWLEDGEMENTS)
            )

    def _close_actions(self, audit: Audit, plan: Plan) -> None:
        actions = list(audit.actions.select_related("audit").order_by("due_on", "pk"))
        if plan.open_actions is not None:
            done = actions[: max(0, len(actions) - plan.open_actions)]
        else:
            late = _days(self.today, -7)
            done = [a for a in actions if a.due_on < late and self.rng.random() < 0.8]
        for action in done:
            audit_services.action_complete(action=action, by=action.owner, note="Done.")
            done_on = _days(action.due_on, self.rng.randint(-12, 3))
            done_on = min(max(done_on, plan.oversight or done_on), self.today)
            AuditAction.objects.filter(pk=action.pk).update(done_on=done_on)

    def _backdate(self, audit: Audit, plan: Plan) -> None:
        rng = self.rng
        created = _at(plan.created, rng)
        moments = {
            "created_at": created,
            "submitted_at": _at(plan.submitted, rng) if plan.submitted else None,
            "oversight_at": _at(plan.oversight, rng) if plan.oversight else None,
            "acknowledged_at": _at(plan.acknowledged, rng) if plan.acknowledged else None,
        }
        if plan.status != Audit.Status.FINAL:
            moments.pop("oversight_at")
        if not plan.acknowledged:
            moments.pop("acknowledged_at")
        last = max(m for m in moments.values() if m is not None)
        Audit.objects.filter(pk=audit.pk).update(updated_at=last, **moments)
        answered = moments["submitted_at"] or _at(self._answer_day(plan), rng)
        Answer.objects.filter(audit=audit).update(updated_at=max(answered, created))
        if plan.oversight:
            AuditAction.objects.filter(audit=audit).update(created_at=_at(plan.oversight, rng))
        self._backdate_notifications(audit, moments, last)

    def _backdate_notifications(
        self, audit: Audit, moments: dict[str, datetime.datetime | None], last: datetime.datetime
    ) -> None:
        """The notifications the services sent while the demo wrote this audit date from
        what they tell of; none is e-mailed, and only the last week's are unread."""
        when = {
            f"audit:{audit.pk}:submitted": moments.get("submitted_at"),
            f"audit:{audit.pk}:final": moments.get("oversight_at"),
        }
        for pk, created_at in AuditAction.objects.filter(audit=audit).values_list(
            "pk", "created_at"
        ):
            when[f"action:{pk}:assigned"] = min(created_at, last)
        recent = timezone.now() - datetime.timedelta(days=7)
        for key, moment in when.items():
            if moment is not None:
                Notification.objects.filter(key=key).update(
                    created_at=moment,
                    emailed_at=moment,
                    read_at=None if moment >= recent else moment,
                )


# --- Large: many audits in the first council, in bulk ---------------------------------


def _bulk_status(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.88:
        return Audit.Status.FINAL
    return Audit.Status.SUBMITTED if roll < 0.94 else Audit.Status.IN_PROGRESS


def _bulk_findings(grade: str, final: bool, rng: random.Random) -> dict[str, Any]:
    band = "good" if grade in GOOD_OR_BETTER else "poor"
    return {
        "overall_grade": grade,
        "grade_rationale": rng.choice(RATIONALE[grade]),
        "strengths": rng.choice(COUNCIL_BANK.strengths),
        "improvements": rng.choice(COUNCIL_BANK.improvements),
        "oversight": rng.choice(OVERSIGHT[band]).format(first="everyone") if final else "",
    }


def _bulk_audit(
    case: Case, auditor: int, line_manager: int, tool: AuditTool, rng: random.Random
) -> Audit:
    """One audit of the large set, written as it stands (no services, no history)."""
    status = _bulk_status(rng)
    final = status == Audit.Status.FINAL
    age = rng.randint(3, 365) if final else rng.randint(2, 16)
    t = _timeline(rng, timezone.localdate(), status, age)
    audit = Audit(
        organisation_id=tool.organisation_id,
        case_id=case.pk,
        tool=tool,
        audit_type=AuditType.REGULAR,
        auditor_id=auditor,
        practitioner_id=case.allocated_worker_id,
        line_manager_id=line_manager,
        due_on=t.due,
        status=status,
        created_at=_at(t.created, rng),
    )
    if t.submitted:
        for name, value in _bulk_findings(_grade(rng, t.age), final, rng).items():
            setattr(audit, name, value)
        audit.submitted_at = _at(t.submitted, rng)
    if final:
        audit.oversight_by_id = line_manager
        audit.oversight_at = _at(t.oversight, rng)
        audit.acknowledged_at = _at(t.acknowledged, rng) if t.acknowledged else None
    return audit


def _bulk_extras(
    audits: list[Audit],
    tools: ToolSet,
    tool: AuditTool,
    rng: random.Random,
    today: datetime.date,
) -> tuple[list[Answer], list[AuditAction]]:
    sections = tools.questions(tool)
    answers, actions = [], []
    for audit in audits:
        ctx = AnswerContext(
            audit.overall_grade or Grade.GOOD, audit.due_on, None, "", rng.random() < 0.15
        )
        for section, questions in sections:
            answers += [
                Answer(
                    audit=audit,
                    question=q,
                    value=answer_value(section, q, ctx, rng),
                    revision=1,
                    updated_at=audit.submitted_at or audit.created_at,
                )
                for q in questions
                if not _skipped(section, q, ctx)
            ]
        if audit.status == Audit.Status.FINAL:
            due = _days(audit.oversight_at.date(), rng.randint(14, 42))
            done = due < today and rng.random() < 0.8
            actions.append(
                AuditAction(
                    organisation_id=audit.organisation_id,
                    audit=audit,
                    description=rng.choice(COUNCIL_BANK.directions),
                    owner_id=audit.practitioner_id,
                    due_on=due,
                    source=AuditAction.Source.OVERSIGHT,
                    status=AuditAction.Status.DONE if done else AuditAction.Status.OPEN,
                    done_on=min(due, today) if done else None,
                    created_by_id=audit.line_manager_id,
                    created_at=audit.oversight_at,
                )
            )
    return answers, actions


def _bulk_audits(org: Organisation, tools: ToolSet, today: datetime.date) -> int:
    have = Audit.objects.filter(organisation=org).count()
    missing = LARGE_AUDITS - have
    if missing <= 0:
        return 0
    rng = random.Random(f"{SEED}:{org.slug}:large:{have}")
    tool = tools.published(tools.main)
    people = People(org)
    line_managers = dict(
        StaffMember.objects.filter(organisation=org).values_list("pk", "line_manager_id")
    )
    # The demo logins' team keeps just the handful of audits made for them.
    login = people.login(TM)
    quiet_team = login.team_id if login else None
    cases = [
        c for c in _cases(org) if c.team_id in people.team_manager_of and c.team_id != quiet_team
    ]
    audits = []
    for _ in range(missing):
        case = rng.choice(cases)
        auditor = people.team_manager_of[case.team_id].pk
        # As services.audits.oversight_manager: nobody oversees their own audit.
        line_manager = line_managers.get(case.allocated_worker_id)
        if line_manager in (None, auditor):
            line_manager = line_managers.get(auditor) or line_manager or auditor
        audits.append(_bulk_audit(case, auditor, line_manager, tool, rng))
    Audit.objects.bulk_create(audits, batch_size=500)
    answers, actions = _bulk_extras(audits, tools, tool, rng, today)
    Answer.objects.bulk_create(answers, batch_size=2000)
    AuditAction.objects.bulk_create(actions, batch_size=1000)
    return missing


# --- Loading --------------------------------------------------------------------------


def _mix(org: Organisation) -> Mix:
    if org.kind == Organisation.Kind.ADOPTION_AGENCY:
        return MIXES["raa"]
    return MIXES["first" if org.slug == FIRST_COUNCIL else "council"]


def _write_audits(org: Organisation, tools: ToolSet, today: datetime.date) -> int:
    rng = random.Random(f"{SEED}:{org.slug}:audits")
    picker = Picker(_cases(org), People(org), rng)
    plans = _pinned_plans(picker, today)
    plans += _random_plans(picker, today, _mix(org), tools.main)
    plans.sort(key=lambda plan: (plan.created, plan.case.pk))
    writer = Writer(tools, rng, today)
    for plan in plans:
        writer.write(plan)
    return len(plans)


def _load_organisation(org: Organisation, size: str, today: datetime.date) -> str:
    with transaction.atomic():
        tools = ToolSet(org, today)
        created_tools = tools.ensure()
        written = 0
        if not Audit.objects.filter(organisation=org).exists():
            written = _write_audits(org, tools, today)
        tools.ensure_second_version()
        if size == "large" and org.slug == FIRST_COUNCIL:
            written += _bulk_audits(org, tools, today)
    return _report(org, created_tools, written)


def _report(org: Organisation, created_tools: int, written: int) -> str:
    statuses = Counter(Audit.objects.filter(organisation=org).values_list("status", flat=True))
    tools = AuditTool.objects.filter(organisation=org)
    by_status = ", ".join(
        f"{statuses[value]:,} {label.lower()}"
        for value, label in Audit.Status.choices
        if statuses[value]
    )
    return (
        f"{org.name}: {tools.filter(status=AuditTool.Status.PUBLISHED).count()} published "
        f"audit tools ({tools.count()} versions, {created_tools} new); "
        f"{sum(statuses.values()):,} audits ({by_status}; {written:,} new)"
    )


def load(*, stdout: Any, size: str) -> None:
    """Add the demo audit tools and audits to every organisation of the demo region."""
    today = timezone.localdate()
    organisations = Organisation.objects.filter(region__slug=names.REGION_SLUG).order_by("pk")
    for org in organisations:
        stdout.write(_load_organisation(org, size, today) + "\n")
