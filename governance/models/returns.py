"""The monthly Performance Exceptions return (seed 003, Appendix 3): one per team and
month, opened on the first working day with the team's figures frozen at that moment, the
team manager's narrative, and the service manager's commentary; and the service manager's
own summary of their teams' returns for the month (`ServiceSummary`), the level above in
the Performance and Outcomes cascade."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models import Organisation, Service, StaffMember, Team
from core.tags import StatusTag
from governance.querysets import ReturnQuerySet, ServiceSummaryQuerySet

# The team manager's five sections, in the proforma's order: (field, label).
NARRATIVE_FIELDS = (
    ("working_well", "What's working well?"),
    ("worried_about", "What are you worried about?"),
    ("most_proud_of", "What are you most proud of?"),
    ("actions", "What actions are you taking and what are your leadership priorities?"),
    (
        "practitioners_feeling",
        "How do you know how practitioners are feeling, and what is your response as leader?",
    ),
)


class ExceptionsReturn(StatusTag, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        SUBMITTED = "submitted", "Submitted"
        REVIEWED = "reviewed", "Reviewed"

    STATUS_COLOURS = {
        Status.OPEN: "blue",
        Status.SUBMITTED: "yellow",
        Status.REVIEWED: "green",
    }

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    # The team's service when the return opened (the service manager's scope).
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="The first day of the month the return is about.")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # The team's figures as they were when the return opened: never recomputed.
    snapshot = models.JSONField(default=dict)
    working_well = models.TextField(blank=True)
    worried_about = models.TextField(blank=True)
    most_proud_of = models.TextField(blank=True)
    # The priorities in the manager's words; the actions themselves are `ReturnAction`
    # rows (raised_actions), which the improvement plan gathers.
    actions = models.TextField(blank=True)
    practitioners_feeling = models.TextField(blank=True)
    saved_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    saved_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    commentary = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Optimistic lock for two people editing at once.
    revision = models.PositiveIntegerField(default=1)

    objects = ReturnQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "team__name", "pk"]
        indexes = [
            models.Index(fields=["organisation", "month", "status"], name="return_org_month"),
            models.Index(fields=["service", "month"], name="return_service_month"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["team", "month"], name="return_once_per_team_month")
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.month:%B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("governance:return_detail", kwargs={"return_pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def narrative(self) -> list[tuple[str, str, str]]:
        """(field, label, text) for each of the five sections."""
        return [(name, label, getattr(self, name)) for name, label in NARRATIVE_FIELDS]


class ServiceSummary(models.Model):
    """A service manager's summary of their teams' returns for a month."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    month = models.DateField()
    commentary = models.TextField(blank=True)
    written_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)

    objects = ServiceSummaryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "service__name"]
        verbose_name_plural = "service summaries"
        constraints = [
            models.UniqueConstraint(
                fields=["service", "month"], name="service_summary_once_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.month:%B %Y}"

    def get_absolute_url(self) -> str:
        url = reverse("governance:return_summary")
        return f"{url}?service={self.service_id}&month={self.month:%Y-%m}"
