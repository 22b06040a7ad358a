"""Data quality: the rules records are checked against, the issues the nightly run raises
per record, and the follow-up trail business support keeps on each issue.

The rules themselves (their queries) are defined in code, in performance/quality_rules.py;
`DataQualityRule` rows are that catalogue synced to the database so issues can point at
them. Who sees an issue is who sees its case (performance/querysets.py).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, JourneyEvent, Organisation, StaffMember, Team
from core.tags import StatusTag
from performance.querysets import DataQualityIssueQuerySet

__all__ = ["DataQualityIssue", "DataQualityNote", "DataQualityRule"]


class DataQualityRule(models.Model):
    """One check from the catalogue in performance/quality_rules.py (synced by the run)."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=160)
    description = models.TextField(help_text="What the rule finds, in plain English.")
    how_to_fix = models.TextField(help_text="What to do to put the record right.")
    position = models.PositiveSmallIntegerField(default=0)
    # A rule taken out of the catalogue stays for its issues' sake, but no longer runs.
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class DataQualityIssue(StatusTag, models.Model):
    """One record that breaks one rule. The nightly run raises it, keeps its team and
    assignee up to date and closes it (fixed) once the record no longer breaks the rule."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CHASED = "chased", "Chased"
        RESOLVED = "resolved", "Resolved"
        WONT_FIX = "wont_fix", "Won't fix"
        FIXED = "fixed", "Fixed"

    # Waiting for someone to act.
    ACTIVE_STATUSES = (Status.OPEN, Status.CHASED)
    # While an issue is in one of these, the run raises no second issue for its record:
    # a resolved issue is reopened if the record is still wrong, a won't-fix one is left.
    CURRENT_STATUSES = (Status.OPEN, Status.CHASED, Status.RESOLVED, Status.WONT_FIX)
    STATUS_COLOURS = {
        Status.OPEN: "red",
        Status.CHASED: "orange",
        Status.RESOLVED: "green",
        Status.WONT_FIX: "grey",
        Status.FIXED: "green",
    }
    DEFAULT_COLOUR = ""

    rule = models.ForeignKey(DataQualityRule, on_delete=models.PROTECT, related_name="issues")
    # Which record, within the rule: "event:12", "case:5", "child:9".
    key = models.CharField(max_length=60)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="data_quality_issues"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="data_quality_issues")
    # Emptied if the event is deleted; the next run then closes the issue as fixed.
    event = models.ForeignKey(
        JourneyEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="data_quality_issues",
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="data_quality_issues")
    assigned_to = models.ForeignKey(
        StaffMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="data_quality_issues",
        help_text="The case's allocated worker, kept up to date by the nightly run.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    detail = models.CharField(max_length=300, help_text="What is wrong with this record.")
    raised_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    closed_by = models.ForeignKey(
        StaffMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="closed_data_quality_issues",
    )
    reason = models.TextField(blank=True, help_text="Why it will not be fixed.")
    last_chased_on = models.DateField(null=True, blank=True)
    # Goes up with every change of status, so two people acting at once can be told apart.
    revision = models.PositiveIntegerField(default=0)

    objects = DataQualityIssueQuerySet.as_manager()

    class Meta:
        ordering = ["raised_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "key"],
                condition=Q(status__in=["open", "chased", "resolved", "wont_fix"]),
                name="dq_issue_once_per_record",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "chased"], closed_on__isnull=True)
                | Q(status__in=["resolved", "wont_fix", "fixed"], closed_on__isnull=False),
                name="dq_issue_closed_iff_closed_on",
            ),
            models.CheckConstraint(
                condition=~Q(status="wont_fix") | ~Q(reason=""),
                name="dq_issue_wont_fix_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "raised_on"]),
            models.Index(fields=["team", "status"]),
            models.Index(fields=["assigned_to", "status"]),
            models.Index(fields=["rule", "status"]),
            # The dashboard's default order (longest open first): a page is read off the
            # index, the few closed issues skipped, not sorted from all the open ones.
            models.Index(fields=["organisation", "raised_on", "id"], name="dq_issue_org_oldest"),
            # The dashboard's counts by team and rule (one query), read from the index
            # alone.
            models.Index(
                fields=["organisation", "status", "team", "rule"], name="dq_issue_org_team_rule"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {self.detail}"

    def get_absolute_url(self) -> str:
        return reverse("performance:quality_issue", kwargs={"issue_pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class DataQualityNote(models.Model):
    """One step of an issue's follow-up trail. The nightly run writes some (author empty)."""

    class Kind(models.TextChoices):
        NOTE = "note", "Note"
        CHASE = "chase", "Chased"
        RESOLVED = "resolved", "Marked resolved"
        WONT_FIX = "wont_fix", "Marked won't fix"
        FIXED = "fixed", "Fixed"
        REOPENED = "reopened", "Reopened"

    issue = models.ForeignKey(DataQualityIssue, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField(blank=True)
    author = models.ForeignKey(
        StaffMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="data_quality_notes",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["issue", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.issue_id}"
