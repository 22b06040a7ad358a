"""Adoption panel evaluations (seed 000, "Adoption Panel Quality assurance process").

Each panel member completes an evaluation form on each item presented to the panel: the
quality of the report and information, the social worker's presentation at panel and the
analysis, each on a four-point scale, with comments. The panel chair collates them into
one copy that goes to the social worker and their team manager, and to the service
manager where the chair marks it, so that feedback can be given and training needs found.
The evaluations are summarised six-monthly and annually.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Organisation, StaffMember
from feedback.querysets import (
    PanelEvaluationQuerySet,
    PanelItemQuerySet,
    PanelMeetingQuerySet,
)


class Rating(models.IntegerChoices):
    """The evaluation form's scale: one point for poor, four for excellent."""

    POOR = 1, "Poor"
    ADEQUATE = 2, "Adequate"
    GOOD = 3, "Good"
    EXCELLENT = 4, "Excellent"


class Question(models.TextChoices):
    """What each member rates, and the PanelEvaluation field holding the rating."""

    REPORT = "report", "The quality of the report and information provided"
    PRESENTATION = "presentation", "The social worker's presentation at panel"
    ANALYSIS = "analysis", "The analysis"


class PanelMeeting(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="panel_meetings"
    )
    held_on = models.DateField("date of the panel")
    # A panel member (Role.PANEL_MEMBER) who chairs this meeting and collates its forms.
    chair = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="panel_meetings_chaired"
    )
    # The members sitting, the chair aside; each evaluates every item.
    members = models.ManyToManyField(StaffMember, blank=True, related_name="panel_meetings")
    created_at = models.DateTimeField(default=timezone.now)

    objects = PanelMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "-held_on"], name="panel_org_latest")]

    def __str__(self) -> str:
        return f"Adoption panel, {self.held_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("feedback:panel_meeting_detail", kwargs={"panel_meeting_pk": self.pk})


class PanelItem(models.Model):
    """A case presented to the panel, and the chair's collated copy of its evaluations."""

    class Kind(models.TextChoices):
        APPROVAL = "approval", "Approval of prospective adopters"
        PLAN = "plan", "A child's plan for adoption"
        MATCH = "match", "A match of a child with adopters"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="panel_items")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    social_worker = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="panel_items_presented"
    )
    team_manager = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="panel_items_managed"
    )
    # Who gets the copy when the chair marks it for the service manager.
    service_manager = models.ForeignKey(
        StaffMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="panel_items_overseen",
    )
    # The chair's collated copy.
    summary = models.TextField("collated feedback", blank=True)
    to_service_manager = models.BooleanField("copy to the service manager", default=False)
    sent_on = models.DateField(null=True, blank=True)
    sent_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PanelItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_on__isnull=True) | ~Q(summary=""),
                name="panel_item_sent_with_summary",
            ),
            models.CheckConstraint(
                condition=Q(to_service_manager=False) | Q(service_manager__isnull=False),
                name="panel_item_service_manager_named",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def get_absolute_url(self) -> str:
        return reverse("feedback:panel_item_feedback", kwargs={"panel_item_pk": self.pk})

    @property
    def is_sent(self) -> bool:
        return self.sent_on is not None


class PanelEvaluation(models.Model):
    """One member's form on one item: all three ratings, or none saved."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(PanelItem, on_delete=models.CASCADE, related_name="evaluations")
    member = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="panel_evaluations"
    )
    report = models.PositiveSmallIntegerField(choices=Rating.choices)
    presentation = models.PositiveSmallIntegerField(choices=Rating.choices)
    analysis = models.PositiveSmallIntegerField(choices=Rating.choices)
    comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    objects = PanelEvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["item", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="panel_evaluation_once"),
            models.CheckConstraint(
                condition=Q(report__gte=1, report__lte=4)
                & Q(presentation__gte=1, presentation__lte=4)
                & Q(analysis__gte=1, analysis__lte=4),
                name="panel_evaluation_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"Evaluation of {self.item} by {self.member}"

    def rating(self, question: str) -> int:
        return int(getattr(self, question))
