"""The demo's audit tools as the source documents describe them, and the demo's own
words for answering them."""

from __future__ import annotations

from dataclasses import dataclass

from audits.models import (
    Audit,
    AuditType,
    Grade,
    Respondent,
    ToolQuestion,
)
from cases.demo import names
from cases.models import Service

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
