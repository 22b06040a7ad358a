"""Dispute resolution: a challenge raised by an independent chair (an IRO or a child
protection chair) about a child's plan, worked through an informal stage and then each
formal stage until it is resolved or withdrawn (seed 003: "Dispute Resolution Process ...
used by the IRO service to ensure that there is effective challenge where necessary").

Each stage has a timescale in working days that the organisation sets
(`DisputeStageTimescale`, with `DEFAULT_WORKING_DAYS` where it has set none); a stage not
answered in time is reminded and escalated by the nightly job (feedback/disputes.py).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Organisation, StaffMember
from core.tags import StatusTag
from feedback.querysets import (
    ChallengeActionQuerySet,
    ChallengeQuerySet,
    ChallengeStageQuerySet,
    ChallengeThemeQuerySet,
)


class DisputeStage(models.TextChoices):
    INFORMAL = "informal", "Informal"
    STAGE_1 = "stage_1", "Formal stage 1 (team manager)"
    STAGE_2 = "stage_2", "Formal stage 2 (service manager or head of service)"
    STAGE_3 = "stage_3", "Formal stage 3 (director)"


# The stages in the order a challenge climbs them.
STAGE_ORDER: tuple[DisputeStage, ...] = (
    DisputeStage.INFORMAL,
    DisputeStage.STAGE_1,
    DisputeStage.STAGE_2,
    DisputeStage.STAGE_3,
)
# Working days to respond at each stage, where the organisation has set none.
DEFAULT_WORKING_DAYS: dict[str, int] = {
    DisputeStage.INFORMAL: 5,
    DisputeStage.STAGE_1: 5,
    DisputeStage.STAGE_2: 10,
    DisputeStage.STAGE_3: 10,
}


def next_stage(stage: str) -> DisputeStage | None:
    index = STAGE_ORDER.index(DisputeStage(stage))
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


class ChallengeTheme(models.TextChoices):
    """What a challenge is about (a fixed list, so the figures add up across chairs)."""

    CARE_PLAN = "care_plan", "Care plan"
    PERMANENCE = "permanence", "Permanence"
    PLACEMENT = "placement", "Placement"
    CONTACT = "contact", "Contact"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    DELAY = "delay", "Delay"
    RECORDING = "recording", "Recording"
    OTHER = "other", "Other"


class StageOutcome(models.TextChoices):
    RESOLVED = "resolved", "Resolved"
    ESCALATED = "escalated", "Escalated"
    WITHDRAWN = "withdrawn", "Withdrawn"


class DisputeStageTimescale(models.Model):
    """An organisation's working days to respond at one stage."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="dispute_timescales"
    )
    stage = models.CharField(max_length=16, choices=DisputeStage.choices)
    working_days = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["organisation", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "stage"], name="dispute_timescale_one_per_stage"
            ),
            models.CheckConstraint(
                condition=Q(working_days__gte=1, working_days__lte=60),
                name="dispute_timescale_days_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.working_days} working days"


class Challenge(StatusTag, models.Model):
    """A challenge about a child's plan. `stage`, `due_on` are those of its current
    stage (kept by the services), so the list filters and orders on one table."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        WITHDRAWN = "withdrawn", "Withdrawn"

    STATUS_COLOURS = {
        Status.OPEN: "light-blue",
        Status.RESOLVED: "green",
        Status.WITHDRAWN: "grey",
    }

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="challenges"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="challenges")
    raised_by = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="challenges_raised"
    )
    raised_on = models.DateField()
    description = models.TextField()
    stage = models.CharField(max_length=16, choices=DisputeStage.choices)
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ChallengeQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | (~Q(status="open") & Q(closed_on__isnull=False)),
                name="challenge_closed_on_when_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "-raised_on", "-id"], name="challenge_org_newest"),
            models.Index(fields=["organisation", "status", "due_on"], name="challenge_org_due"),
        ]

    def __str__(self) -> str:
        return f"Challenge raised on {self.raised_on:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("feedback:challenge_detail", kwargs={"challenge_pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()

    @property
    def resolved_in_time(self) -> bool:
        return (
            self.status == self.Status.RESOLVED
            and self.closed_on is not None
            and (self.closed_on <= self.due_on)
        )


class ChallengeThemeTag(models.Model):
    """One theme a challenge is about (a challenge has one or more)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="themes")
    theme = models.CharField(max_length=16, choices=ChallengeTheme.choices)

    objects = ChallengeThemeQuerySet.as_manager()

    class Meta:
        ordering = ["challenge", "theme"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "theme"], name="challenge_theme_once")
        ]

    def __str__(self) -> str:
        return self.get_theme_display()


class ChallengeStage(models.Model):
    """One stage of a challenge: with whom, raised and due when, their response, and how
    it ended (resolved, escalated to the next stage, or withdrawn)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=16, choices=DisputeStage.choices)
    raised_on = models.DateField()
    due_on = models.DateField()
    # Who is to respond: the case's team manager, service manager or the director.
    responder = models.ForeignKey(
        StaffMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="challenge_stages",
    )
    reason = models.TextField("why it was escalated", blank=True)
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=StageOutcome.choices, blank=True)
    resolved_on = models.DateField("ended on", null=True, blank=True)

    objects = ChallengeStageQuerySet.as_manager()

    class Meta:
        ordering = ["challenge", "raised_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "stage"], name="challenge_stage_once"),
            models.CheckConstraint(
                condition=Q(outcome="", resolved_on__isnull=True)
                | (~Q(outcome="") & Q(resolved_on__isnull=False)),
                name="challenge_stage_ended_with_outcome",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "outcome", "due_on"])]

    def __str__(self) -> str:
        return self.get_stage_display()

    @property
    def is_open(self) -> bool:
        return not self.outcome

    @property
    def in_time(self) -> bool | None:
        """Answered within the timescale: None while open and unanswered."""
        if self.responded_on is not None:
            return self.responded_on <= self.due_on
        if self.resolved_on is not None:
            return self.resolved_on <= self.due_on
        return None


class ChallengeAction(StatusTag, models.Model):
    """Something a response agrees to do, tracked on "My actions" until done."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    STATUS_COLOURS = {Status.OPEN: "light-blue", Status.DONE: "green"}

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="actions")
    stage = models.ForeignKey(ChallengeStage, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="challenge_actions"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(null=True, blank=True)

    objects = ChallengeActionQuerySet.as_manager()

    class Meta:
        ordering = ["status", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", done_on__isnull=True)
                | Q(status="done", done_on__isnull=False),
                name="challenge_action_done_on_when_done",
            )
        ]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return f"{self.challenge.get_absolute_url()}#action-{self.pk}"
