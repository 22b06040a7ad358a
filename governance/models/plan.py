"""The Quality Improvement Action Plan: one per organisation, organised by the priorities
it sets, gathering every action raised anywhere (each keeps a link back to its source),
with progress updates, evidence of impact and re-audits that test whether practice
changed."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models import Case, Organisation, StaffMember
from core.tags import StatusTag
from governance.querysets import PlanQuerySet, PlanRowQuerySet

# An action due within this many days shows amber ("due soon") unless an update says red.
DUE_SOON_DAYS = 14


class Priority(models.Model):
    """A theme the organisation sets for its improvement (care planning, life story work,
    supervision...); actions sit under one."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    lead = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "title"], name="plan_priority_title_once"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:priority_detail", kwargs={"priority_pk": self.pk})


class ExternalReview(models.Model):
    """An inspection or external review (Ofsted, a peer review, an external audit),
    entered by QA with its recommendations, each of which becomes a plan action."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", "Ofsted inspection"
        FOCUSED_VISIT = "focused_visit", "Ofsted focused visit"
        JOINT = "joint", "Joint targeted area inspection"
        PEER = "peer", "Peer review"
        EXTERNAL_AUDIT = "external_audit", "External audit"
        OTHER = "other", "Other external review"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=160)
    reported_on = models.DateField()
    summary = models.TextField(blank=True)
    created_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:review_detail", kwargs={"review_pk": self.pk})


class PlanAction(StatusTag, models.Model):
    """One action in the plan. Gathered actions (`source_key` set) take their title,
    owner, due date and completion from their source, which stays the place to change
    them; the plan adds the priority, progress updates, RAG and evidence of impact.
    Actions entered here (inspection recommendations, board decisions, the plan's own)
    are wholly the plan's."""

    class Source(models.TextChoices):
        AUDIT = "audit", "Audit finding"
        OVERSIGHT = "oversight", "Management oversight"
        MODERATION = "moderation", "Moderation"
        OBSERVATION = "observation", "Practice observation"
        PRACTICE_EVENT = "practice_event", "Practice day or week"
        THEMATIC = "thematic", "Thematic review"
        COMPLAINT = "complaint", "Complaint"
        FEEDBACK = "feedback", "Feedback"
        DISPUTE = "dispute", "Dispute resolution"
        DATA_QUALITY = "data_quality", "Data quality"
        INSPECTION = "inspection", "External review or inspection"
        BOARD = "board", "Board decision"
        PLAN = "plan", "Improvement plan"
        EXCEPTIONS_RETURN = "exceptions", "Performance Exceptions return"

    # What QA or a board may enter by hand; the rest are gathered.
    ENTERED_SOURCES = (Source.INSPECTION, Source.BOARD, Source.PLAN)

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        IMPACT_EVIDENCED = "impact_evidenced", "Impact evidenced"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)
    STATUS_COLOURS = {
        Status.NOT_STARTED: "grey",
        Status.IN_PROGRESS: "blue",
        Status.COMPLETED: "green",
        Status.IMPACT_EVIDENCED: "turquoise",
        Status.WITHDRAWN: "grey",
    }

    class Rag(models.TextChoices):
        RED = "red", "Red: off track"
        AMBER = "amber", "Amber: at risk"
        GREEN = "green", "Green: on track"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    priority = models.ForeignKey(
        Priority, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    owner = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    # The owner's judgement from their latest update; an overdue action shows red whatever.
    rag = models.CharField(max_length=5, choices=Rag.choices, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    impact_evidenced_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    # Gathered actions: the source's stable key, its page, and the case it is about.
    source_key = models.CharField(max_length=80, blank=True)
    source_url = models.CharField(max_length=300, blank=True)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closes_in_source = models.BooleanField(default=False)
    review = models.ForeignKey(
        ExternalReview,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    # A board decision: which board and when.
    decided_by = models.CharField(max_length=120, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    raised_on = models.DateField()
    created_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Optimistic lock for two people editing at once.
    revision = models.PositiveIntegerField(default=1)

    objects = PlanRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["organisation", "status", "due_on"], name="plan_action_org_due"),
            models.Index(fields=["organisation", "priority"], name="plan_action_org_priority"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source_key"],
                condition=~Q(source_key=""),
                name="plan_action_source_once",
            ),
            models.CheckConstraint(
                condition=Q(source_key="") | ~Q(source__in=["inspection", "board", "plan"]),
                name="plan_action_entered_not_gathered",
            ),
            models.CheckConstraint(
                condition=~Q(source="inspection") | Q(review__isnull=False),
                name="plan_action_recommendation_has_review",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["completed", "impact_evidenced"], completed_on__isnull=False
                )
                | (~Q(status__in=["completed", "impact_evidenced"]) & Q(completed_on__isnull=True)),
                name="plan_action_completed_iff_completed_on",
            ),
            models.CheckConstraint(
                condition=Q(status="impact_evidenced", impact_evidenced_on__isnull=False)
                | (~Q(status="impact_evidenced") & Q(impact_evidenced_on__isnull=True)),
                name="plan_action_impact_iff_impact_on",
            ),
        ]

    def __str__(self) -> str:
        return self.title[:80]

    def get_absolute_url(self) -> str:
        return reverse("governance:action_detail", kwargs={"plan_action_pk": self.pk})

    @property
    def is_gathered(self) -> bool:
        return bool(self.source_key)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def rag_on(self, today: datetime.date) -> str:
        """Red when overdue, else the latest update's judgement, else amber when due
        within DUE_SOON_DAYS, else green; "" once closed."""
        if not self.is_open:
            return ""
        if self.due_on is not None and self.due_on < today:
            return self.Rag.RED
        if self.rag:
            return self.rag
        if self.due_on is not None and (self.due_on - today).days <= DUE_SOON_DAYS:
            return self.Rag.AMBER
        return self.Rag.GREEN


RAG_COLOURS = {"red": "red", "amber": "orange", "green": "green"}


class PlanUpdate(models.Model):
    """A progress update on an action: what has happened, and the writer's RAG."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="updates")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    rag = models.CharField(max_length=5, choices=PlanAction.Rag.choices)
    written_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:60]


class ReAudit(models.Model):
    """A request, from an action or a priority, to test whether practice changed: the same
    cases audited again with the same tool (`ReAuditCase`, each original with its
    repeat), or a fresh dip sample planned through the thematic planner (`theme`)."""

    class Mode(models.TextChoices):
        SAME_CASES = "same_cases", "The same cases again"
        DIP_SAMPLE = "dip_sample", "A fresh dip sample"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # What asked for it: one action, or a whole priority (the cases behind its actions).
    action = models.ForeignKey(
        PlanAction, on_delete=models.CASCADE, null=True, blank=True, related_name="re_audits"
    )
    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, null=True, blank=True, related_name="re_audits"
    )
    mode = models.CharField(max_length=12, choices=Mode.choices)
    due_on = models.DateField()
    # A fresh dip sample: the thematic review that plans it.
    theme = models.ForeignKey(
        "themes.ThematicReview", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__isnull=False, priority__isnull=True)
                | Q(action__isnull=True, priority__isnull=False),
                name="re_audit_for_an_action_or_a_priority",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} for {self.action or self.priority}"


class ReAuditCase(models.Model):
    """One case of a same-cases re-audit: the audit it repeats and the repeat."""

    re_audit = models.ForeignKey(ReAudit, on_delete=models.CASCADE, related_name="cases")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    original = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="+")
    repeat = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["re_audit", "case"], name="re_audit_case_once")
        ]

    def __str__(self) -> str:
        return f"Case {self.case_id} again"


class ImpactEvidence(models.Model):
    """What shows an action made a difference: a finished re-audit, an indicator's change,
    or feedback. An action is "impact evidenced" only with at least one."""

    class Kind(models.TextChoices):
        RE_AUDIT = "re_audit", "A re-audit"
        INDICATOR = "indicator", "A change in an indicator"
        FEEDBACK = "feedback", "Feedback"

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="evidence")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    re_audit = models.ForeignKey(
        ReAudit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # An indicator (its slug) and the figures compared, as they were when linked.
    indicator = models.SlugField(max_length=60, blank=True)
    before = models.CharField(max_length=120, blank=True)
    after = models.CharField(max_length=120, blank=True)
    feedback = models.ForeignKey(
        "feedback.Feedback", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="re_audit") & Q(re_audit__isnull=False))
                | (Q(kind="indicator") & ~Q(indicator=""))
                | (Q(kind="feedback") & Q(feedback_id__isnull=False)),
                name="impact_evidence_links_its_kind",
            )
        ]

    def __str__(self) -> str:
        return self.summary[:60]
