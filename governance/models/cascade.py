"""The Performance and Outcomes cascade above the service (seed 003, 4.6-4.9): the heads
of service's, the senior management team's and the chief executive's summary of a month
(`CascadeSummary`, one per organisation, month and level), and the actions raised on a
team's return or on any level's summary (`ReturnAction`), which the improvement plan
gathers."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models import Organisation, StaffMember
from core.tags import StatusTag
from governance.cascade_levels import SLUG_OF, UPPER_LEVELS, Level
from governance.querysets import CascadeSummaryQuerySet, ReturnActionQuerySet


class CascadeSummary(models.Model):
    """A level's commentary on the month, written before its meeting."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="The first day of the month the returns are about.")
    level = models.PositiveSmallIntegerField(
        choices=[(level.value, level.label) for level in UPPER_LEVELS]
    )
    commentary = models.TextField(blank=True)
    # The level's meeting: the commentary is due before it.
    meeting_on = models.DateField()
    written_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)

    objects = CascadeSummaryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "level"]
        verbose_name_plural = "cascade summaries"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month", "level"], name="cascade_summary_once_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.month:%B %Y}"

    def get_absolute_url(self) -> str:
        url = reverse("governance:return_cascade", kwargs={"cascade_level": SLUG_OF[self.level]})
        return f"{url}?month={self.month:%Y-%m}"


class ReturnAction(StatusTag, models.Model):
    """An action raised on a team's return, a service's summary or an upper level's
    summary (exactly one of them)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    STATUS_COLOURS = {Status.OPEN: "blue", Status.DONE: "green"}

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    exceptions_return = models.ForeignKey(
        "governance.ExceptionsReturn",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="raised_actions",
    )
    service_summary = models.ForeignKey(
        "governance.ServiceSummary",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="raised_actions",
    )
    cascade_summary = models.ForeignKey(
        CascadeSummary,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="raised_actions",
    )
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    raised_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReturnActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["organisation", "status"], name="return_action_org")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        exceptions_return__isnull=False,
                        service_summary__isnull=True,
                        cascade_summary__isnull=True,
                    )
                    | Q(
                        exceptions_return__isnull=True,
                        service_summary__isnull=False,
                        cascade_summary__isnull=True,
                    )
                    | Q(
                        exceptions_return__isnull=True,
                        service_summary__isnull=True,
                        cascade_summary__isnull=False,
                    )
                ),
                name="return_action_one_parent",
            ),
            models.CheckConstraint(
                condition=Q(status="open", completed_on__isnull=True)
                | Q(status="done", completed_on__isnull=False),
                name="return_action_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def level(self) -> int:
        if self.exceptions_return_id is not None:
            return Level.TEAM
        if self.service_summary_id is not None:
            return Level.SERVICE
        assert self.cascade_summary is not None
        return self.cascade_summary.level

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
