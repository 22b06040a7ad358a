"""Complaints and compliments.

The statutory children's social care complaints procedure (the Children Act 1989
representations procedure): stage 1 local resolution within 10 working days (extendable
to 20), stage 2 investigation within 25 working days (extendable to 65), stage 3 review
panel within 30 working days of the request. Working days skip weekends and England's
bank holidays (core.dates). Each point of complaint gets an outcome at each stage that
responds to it: upheld, partly upheld or not upheld. Learning and actions follow.

Compliments are recorded and shared with the worker and their team (seeds 000, 001, 003:
complaints, comments and compliments explored for learning and reported to the board).
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models import Case, Organisation, Service, StaffMember, Team
from core.tags import StatusTag
from feedback.querysets import (
    ComplaintActionQuerySet,
    ComplaintQuerySet,
    ComplaintRowQuerySet,
    ComplimentQuerySet,
    PointOutcomeQuerySet,
)


class PersonType(models.TextChoices):
    """Who a complaint or compliment is from."""

    CHILD = "child", "Child or young person"
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer or foster carer"
    ADOPTER = "adopter", "Adopter"
    PROFESSIONAL = "professional", "Professional"
    OTHER = "other", "Someone else"


# A complaint comes from a child, a parent, a carer, an adopter or someone else acting
# for them; a compliment may come from a professional too.
COMPLAINANT_TYPES = [c for c in PersonType.choices if c[0] != PersonType.PROFESSIONAL]


class Stage(models.IntegerChoices):
    LOCAL_RESOLUTION = 1, "Stage 1: local resolution"
    INVESTIGATION = 2, "Stage 2: investigation"
    REVIEW_PANEL = 3, "Stage 3: review panel"


# Working days: (the timescale, the most it may be extended to; None: no extension).
TIMESCALES: dict[int, tuple[int, int | None]] = {
    Stage.LOCAL_RESOLUTION: (10, 20),
    Stage.INVESTIGATION: (25, 65),
    Stage.REVIEW_PANEL: (30, None),
}


class Outcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"


OUTCOME_COLOURS = {
    Outcome.UPHELD: "red",
    Outcome.PARTLY_UPHELD: "orange",
    Outcome.NOT_UPHELD: "green",
}


class Complaint(StatusTag, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    STATUS_COLOURS = {Status.OPEN: "blue", Status.CLOSED: "grey"}

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="complaints"
    )
    reference = models.CharField(max_length=20)
    received_on = models.DateField("date received")
    complainant_type = models.CharField(max_length=16, choices=COMPLAINANT_TYPES)
    # Only where the complainant gave it.
    complainant_name = models.CharField(max_length=160, blank=True)
    # What it is about: a case, and the team and service (copied from the case when there
    # is one, as they were when the complaint was received), or a team or service alone.
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    summary = models.TextField("the complaint in their words")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    current_stage = models.PositiveSmallIntegerField(
        choices=Stage.choices, default=Stage.LOCAL_RESOLUTION
    )
    learning = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ComplaintQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="complaint_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(team__isnull=False) | Q(service__isnull=False),
                name="complaint_about_something",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | Q(status="closed", closed_on__isnull=False),
                name="complaint_closed_on_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(current_stage__gte=1, current_stage__lte=3),
                name="complaint_stage_1_to_3",
            ),
        ]
        indexes = [
            # The list's default order.
            models.Index(
                fields=["organisation", "-received_on", "-id"], name="complaint_org_newest"
            ),
            models.Index(fields=["team", "-received_on", "-id"], name="complaint_team_newest"),
            models.Index(fields=["organisation", "status"], name="complaint_org_status"),
        ]

    def __str__(self) -> str:
        return f"Complaint {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("feedback:complaint_detail", kwargs={"complaint_pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ComplaintStage(models.Model):
    """One stage of a complaint: when it started, when the response is due (in working
    days, bank holidays skipped), an extension within the limit, and the response."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="stages")
    stage = models.PositiveSmallIntegerField(choices=Stage.choices)
    started_on = models.DateField()
    due_on = models.DateField()
    extended_due_on = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    response = models.TextField("summary of the response", blank=True)
    # The investigating officer (stage 2), or the officer responding.
    officer = models.ForeignKey(
        StaffMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaint_stages",
    )

    objects = ComplaintRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["stage"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "stage"], name="complaint_stage_once"),
            models.CheckConstraint(
                condition=Q(due_on__gt=F("started_on")), name="complaint_stage_due_after_start"
            ),
            models.CheckConstraint(
                condition=Q(extended_due_on__isnull=True) | Q(extended_due_on__gt=F("due_on")),
                name="complaint_stage_extension_later",
            ),
            models.CheckConstraint(
                condition=Q(responded_on__isnull=True) | Q(responded_on__gte=F("started_on")),
                name="complaint_stage_response_after_start",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "stage", "started_on"])]

    def __str__(self) -> str:
        return f"{self.complaint.reference}: {self.get_stage_display()}"

    @property
    def effective_due_on(self) -> datetime.date:
        return self.extended_due_on or self.due_on

    @property
    def is_responded(self) -> bool:
        return self.responded_on is not None

    @property
    def in_timescale(self) -> bool | None:
        """Whether the response was within the timescale (an agreed extension counts);
        None while there is no response."""
        if self.responded_on is None:
            return None
        return self.responded_on <= self.effective_due_on

    def is_overdue(self, today: datetime.date) -> bool:
        return self.responded_on is None and self.effective_due_on < today


class ComplaintPoint(models.Model):
    """One point of complaint, in the order the complainant made them."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="points")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    objects = ComplaintRowQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "number"], name="complaint_point_number")
        ]

    def __str__(self) -> str:
        return f"Point {self.number}"


class PointOutcome(models.Model):
    """A stage's finding on one point of complaint."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    point = models.ForeignKey(ComplaintPoint, on_delete=models.CASCADE, related_name="outcomes")
    stage = models.ForeignKey(ComplaintStage, on_delete=models.CASCADE, related_name="outcomes")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)

    objects = PointOutcomeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["point", "stage"], name="point_outcome_once_a_stage")
        ]

    def __str__(self) -> str:
        return self.get_outcome_display()

    @property
    def colour(self) -> str:
        return OUTCOME_COLOURS.get(self.outcome, "grey")


class ComplaintAction(models.Model):
    """Something to do because of what a complaint taught: tracked with every other action."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="complaint_actions"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ComplaintActionQuerySet.as_manager()

    # Set by the views for the "Mark as done" button.
    can_complete: bool

    class Meta:
        ordering = ["status", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", done_on__isnull=True)
                | Q(status="done", done_on__isnull=False),
                name="complaint_action_done_on_when_done",
            )
        ]
        indexes = [models.Index(fields=["organisation", "status", "due_on"])]

    def __str__(self) -> str:
        return self.description[:60]

    def get_absolute_url(self) -> str:
        return f"{self.complaint.get_absolute_url()}#actions"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()


class Compliment(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="compliments"
    )
    received_on = models.DateField("date received")
    from_type = models.CharField("from", max_length=16, choices=PersonType.choices)
    from_name = models.CharField(max_length=160, blank=True)
    # About a worker and their team (copied from the worker), or a team alone.
    worker = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="compliments",
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="compliments"
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="compliments"
    )
    what_they_said = models.TextField()
    recorded_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ComplimentQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(worker__isnull=False) | Q(team__isnull=False),
                name="compliment_about_someone",
            )
        ]
        indexes = [
            models.Index(
                fields=["organisation", "-received_on", "-id"], name="compliment_org_newest"
            )
        ]

    def __str__(self) -> str:
        return f"Compliment received {self.received_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("feedback:compliment_detail", kwargs={"compliment_pk": self.pk})
