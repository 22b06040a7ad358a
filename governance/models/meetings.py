"""A board's meetings (seeds 001, 003 4.6-4.9 and 5.2, 000): the agenda, linked to the
reports, the Performance Exceptions returns and the improvement plan priorities it
reviews; the minutes; and the decisions, each with an owner and a due date becoming an
action in the improvement plan (`Decision.plan_action`)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone

from cases.models import Organisation, StaffMember
from core.tags import StatusTag
from governance.models.boards import Board
from governance.models.plan import PlanAction, Priority
from governance.models.reports import Report
from governance.querysets import MeetingQuerySet


class Meeting(StatusTag, models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    STATUS_COLOURS = {Status.PLANNED: "blue", Status.HELD: "green", Status.CANCELLED: "grey"}

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    minutes = models.TextField(blank=True)
    # When the agenda was sent to the members and chair (None: not yet).
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Optimistic lock: the agenda, the minutes and the details share it.
    revision = models.PositiveIntegerField(default=1)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["board", "-date"], name="meeting_board_date")]

    def __str__(self) -> str:
        return f"{self.board.name}, {self.date:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting_detail", kwargs={"meeting_pk": self.pk})

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD


class AgendaItem(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    presenter = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(blank=True)
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The first day of a month whose Performance Exceptions returns the item reviews.
    returns_month = models.DateField(null=True, blank=True)
    priority = models.ForeignKey(
        Priority, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    owner = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    # The improvement plan action the decision became (owner and due date given).
    plan_action = models.ForeignKey(
        PlanAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:80]
