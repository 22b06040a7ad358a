"""Audit tools (the QA manager's versioned forms) and the audits done with them.

A tool has sections of questions. Editing a published tool makes a new draft version;
an audit keeps the version it was started with. An audit is of one case, by an auditor,
with the practitioner's reflection and the family's feedback as parts of the same
audit, then the line manager's oversight and the actions that follow. A supervision
audit (seed 002, 2.5) is of a staff member's supervision records over a period instead
of a case: a tool for the supervision audit type, the supervisee in place of the case.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from audits.querysets import AuditActionQuerySet, AuditQuerySet, AuditToolQuerySet
from cases.grades import GOOD_OR_BETTER as GOOD_OR_BETTER
from cases.grades import GRADE_COLOURS as GRADE_COLOURS
from cases.grades import Grade as Grade
from cases.models import Case, FamilyLink, Organisation, Service, StaffMember, Team
from core.tags import StatusTag


class AuditType(models.TextChoices):
    # The five types of audit (seed 002, section 2.4).
    REGULAR = "regular", "Regular case audit"
    THEMATIC = "thematic", "Thematic or deep dive audit"
    MULTI_AGENCY = "multi_agency", "Multi-agency audit"
    FOCUSED = "focused", "Focused audit from a performance issue"
    EXTERNAL = "external", "Externally commissioned audit"
    # Not of a case: of a staff member's supervision records (seed 002, 2.5). A tool for
    # supervision audits is for nothing else.
    SUPERVISION = "supervision", "Supervision audit"


# The audit types whose subject is a case.
CASE_AUDIT_TYPES = [t for t in AuditType if t != AuditType.SUPERVISION]


class Respondent(models.TextChoices):
    """Who fills a section in: the three parts of a collaborative practice review."""

    AUDITOR = "auditor", "Auditor"
    PRACTITIONER = "practitioner", "Practitioner's reflection"
    FAMILY = "family", "Child and family feedback"


# The one-use link (cases.FamilyLink) through which a child, parent or carer answers the
# family's part of an audit themselves: its target is the audit.
FAMILY_LINK_PURPOSE = "practice_review_family"


class AuditTool(StatusTag, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Replaced by a newer version"

    STATUS_COLOURS = {Status.DRAFT: "blue", Status.PUBLISHED: "green", Status.RETIRED: "grey"}

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="audit_tools"
    )
    # Every version of one tool shares its code.
    code = models.SlugField(max_length=60)
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    audit_types = models.JSONField(default=list, blank=True)
    service_kinds = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = AuditToolQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code", "version"], name="tool_version_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation", "code"],
                condition=Q(status="draft"),
                name="tool_has_one_draft_at_a_time",
            ),
            models.UniqueConstraint(
                fields=["organisation", "code"],
                condition=Q(status="published"),
                name="tool_has_one_published_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    def get_absolute_url(self) -> str:
        return reverse("audits:tool_detail", kwargs={"tool_pk": self.pk})

    @property
    def is_for_supervision(self) -> bool:
        return AuditType.SUPERVISION in self.audit_types


class ToolSection(models.Model):
    tool = models.ForeignKey(AuditTool, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=160)
    guidance = models.TextField(blank=True)
    respondent = models.CharField(
        max_length=16, choices=Respondent.choices, default=Respondent.AUDITOR
    )
    position = models.PositiveIntegerField(default=0)

    # Set by audits.selectors.audit_sections for the pages that read one audit.
    answer_by_question: dict[int, Answer]
    answered: int
    required_missing: int
    total: int

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class ToolQuestion(models.Model):
    class Kind(models.TextChoices):
        GRADE = "grade", "Grade (Outstanding to Inadequate)"
        YES_NO = "yes_no", "Yes, no or partly"
        TEXT = "text", "Free text"
        DATE = "date", "Date"
        CHOICE = "choice", "Choose one from a list"

    YES_NO_CHOICES = (("yes", "Yes"), ("partly", "Partly"), ("no", "No"))

    section = models.ForeignKey(ToolSection, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=400)
    guidance = models.TextField(blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def field_name(self) -> str:
        return f"q-{self.pk}"

    @property
    def anchor(self) -> str:
        """The id of the input an error message links to (radios: the first option)."""
        return f"id_q-{self.pk}_1" if self.options else f"id_q-{self.pk}"

    @property
    def options(self) -> list[tuple[str, str]]:
        """The answers a person may pick, as (value, label); empty for text and dates."""
        if self.kind == self.Kind.GRADE:
            return list(Grade.choices)
        if self.kind == self.Kind.YES_NO:
            return list(self.YES_NO_CHOICES)
        if self.kind == self.Kind.CHOICE:
            return [(str(c), str(c)) for c in self.choices]
        return []


class Audit(StatusTag, models.Model):
    class Status(models.TextChoices):
        ASSIGNED = "assigned", "Assigned"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        MODERATED = "moderated", "Moderated"
        FINAL = "final", "Final"

    STATUS_COLOURS = {
        Status.ASSIGNED: "grey",
        Status.IN_PROGRESS: "light-blue",
        Status.SUBMITTED: "purple",
        Status.MODERATED: "turquoise",
        Status.FINAL: "green",
    }
    DEFAULT_COLOUR = ""

    EDITABLE = (Status.ASSIGNED, Status.IN_PROGRESS)
    AWAITING_OVERSIGHT = (Status.SUBMITTED, Status.MODERATED)

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="audits")
    # Exactly one subject: a case, or (a supervision audit) a supervisee's supervision
    # records between period_start and period_end.
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="audits"
    )
    supervisee = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_audits",
    )
    period_start = models.DateField("supervision from", null=True, blank=True)
    period_end = models.DateField("supervision to", null=True, blank=True)
    # The service and team a graded audit counts for in the board's figures and the
    # reports: its case's (a supervision audit: its supervisee's team's) when it was
    # submitted. Kept, so a case that moves team later does not take the grades of its
    # earlier practice with it, and a report built again gives the same figures.
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    tool = models.ForeignKey(AuditTool, on_delete=models.PROTECT, related_name="audits")
    audit_type = models.CharField(
        max_length=16, choices=AuditType.choices, default=AuditType.REGULAR
    )
    auditor = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="audits_as_auditor"
    )
    practitioner = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audits_as_practitioner",
    )
    # Whoever gives management oversight: the practitioner's line manager, or the next
    # manager up when that is the auditor (services.audits.oversight_manager).
    line_manager = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audits_to_oversee",
    )
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ASSIGNED)
    theme = models.CharField(max_length=160, blank=True)

    # Findings, written by the auditor.
    overall_grade = models.CharField(max_length=24, choices=Grade.choices, blank=True)
    grade_rationale = models.TextField(blank=True)
    strengths = models.TextField(blank=True)
    improvements = models.TextField("areas for improvement", blank=True)
    # Bumped on every save of the findings: the optimistic lock for two editors.
    revision = models.PositiveIntegerField(default=0)

    submitted_at = models.DateTimeField(null=True, blank=True)
    # QA moderation: the grade the moderator would give, and feedback to the auditor.
    moderated_grade = models.CharField(max_length=24, choices=Grade.choices, blank=True)
    moderation_feedback = models.TextField(blank=True)
    moderated_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    oversight = models.TextField("management oversight", blank=True)
    # Whether the manager giving oversight agrees with the auditor's grade, and if not
    # the grade they would give.
    oversight_agrees = models.BooleanField(null=True, blank=True)
    oversight_grade = models.CharField(max_length=24, choices=Grade.choices, blank=True)
    oversight_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    oversight_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AuditQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-due_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["assigned", "in_progress"]) | ~Q(overall_grade=""),
                name="audit_graded_once_submitted",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        case__isnull=False,
                        supervisee__isnull=True,
                        period_start__isnull=True,
                        period_end__isnull=True,
                    )
                    & ~Q(audit_type="supervision")
                )
                | Q(
                    case__isnull=True,
                    supervisee__isnull=False,
                    audit_type="supervision",
                    # Spelt out: a comparison with NULL would pass a check.
                    period_start__isnull=False,
                    period_end__isnull=False,
                    period_end__gte=models.F("period_start"),
                ),
                name="audit_of_a_case_or_of_supervision",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            # By the month submitted, with what the board's audit grades count and split
            # by (status, grade, service, team): the figure can read the index alone, not
            # each audit's row.
            models.Index(
                fields=[
                    "organisation",
                    "submitted_at",
                    "status",
                    "overall_grade",
                    "service",
                    "team",
                ],
                name="audit_org_submitted_unit",
            ),
            # The audit list's default order (latest due first): a page is read off the
            # index, not sorted from all of the organisation's audits.
            models.Index(fields=["organisation", "-due_on", "-id"], name="audit_org_latest_due"),
        ]

    def __str__(self) -> str:
        if self.case is None:
            return f"{self.tool.name}: supervision of {self.supervisee}"
        return f"{self.tool.name}: {self.case.subject}"

    def get_absolute_url(self) -> str:
        return reverse("audits:audit_detail", kwargs={"audit_pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_supervision(self) -> bool:
        return self.supervisee_id is not None

    @property
    def is_good_or_better(self) -> bool:
        return self.overall_grade in GOOD_OR_BETTER

    @property
    def moderator_agrees(self) -> bool:
        return self.moderated_grade == self.overall_grade


class Answer(models.Model):
    """One answer to one question of one audit; `revision` is its optimistic lock. An
    answer the family gave themselves names the one-use link it came through
    (`family_link`, with no `updated_by`) until someone changes it."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(ToolQuestion, on_delete=models.PROTECT, related_name="+")
    value = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    family_link = models.ForeignKey(
        FamilyLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value[:40]}"


class AuditAction(models.Model):
    """Something to do because of an audit: what, who, by when; tracked until done."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    class Source(models.TextChoices):
        FINDING = "finding", "Audit finding"
        OVERSIGHT = "oversight", "Management direction"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="audit_actions"
    )
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="audit_actions")
    due_on = models.DateField()
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.FINDING)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(null=True, blank=True)
    done_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = AuditActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", done_on__isnull=True)
                | Q(status="done", done_on__isnull=False),
                name="action_done_iff_done_on",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    def get_absolute_url(self) -> str:
        return f"{self.audit.get_absolute_url()}#action-{self.pk}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()


# 360-degree feedback on supervision, its own module (see its docstring).
from audits.models.feedback import FEEDBACK_QUESTIONS as FEEDBACK_QUESTIONS  # noqa: E402
from audits.models.feedback import FEEDBACK_THRESHOLD as FEEDBACK_THRESHOLD  # noqa: E402
from audits.models.feedback import Agreement as Agreement  # noqa: E402
from audits.models.feedback import (  # noqa: E402
    SupervisionFeedbackReceipt as SupervisionFeedbackReceipt,
)
from audits.models.feedback import (  # noqa: E402
    SupervisionFeedbackResponse as SupervisionFeedbackResponse,
)
from audits.models.feedback import (  # noqa: E402
    SupervisionFeedbackRound as SupervisionFeedbackRound,
)
from audits.models.feedback import receipt_token as receipt_token  # noqa: E402
