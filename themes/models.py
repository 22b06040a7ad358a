"""The thematic review planner (monthly spotlights): a theme is proposed, agreed,
scheduled for a month, dip-sampled with audits and written up.

The model moved here from the audits app; it keeps its table (and its history table), so
no row moved (see migrations/0001_thematic_reviews_from_audits.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models import Organisation, StaffMember
from core.tags import StatusTag
from themes.querysets import ThematicReviewQuerySet

if TYPE_CHECKING:
    from core.types import User


class ThematicReview(StatusTag, models.Model):
    """A monthly spotlight: proposed, agreed, scheduled for a month, sampled, written up."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        AGREED = "agreed", "Agreed"
        SCHEDULED = "scheduled", "Scheduled"
        COMPLETE = "complete", "Findings written up"
        DECLINED = "declined", "Declined"

    STATUS_COLOURS = {
        Status.PROPOSED: "blue",
        Status.AGREED: "light-blue",
        Status.SCHEDULED: "purple",
        Status.COMPLETE: "green",
        Status.DECLINED: "grey",
    }

    class Source(models.TextChoices):
        BOARD = "board", "A board"
        MEETING = "meeting", "A meeting"
        INDICATOR = "indicator", "An indicator trend"
        AUDIT = "audit", "Audit findings"
        OTHER = "other", "Something else"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="thematic_reviews"
    )
    title = models.CharField(max_length=160)
    question = models.TextField(help_text="What the review sets out to find out.")
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.MEETING)
    source_detail = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    month = models.DateField(null=True, blank=True)
    tool = models.ForeignKey(
        "audits.AuditTool", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sample_size = models.PositiveSmallIntegerField(default=10)
    findings = models.TextField(blank=True)
    # The indicators the theme is about (performance's slugs): set by QA, or by the alert
    # whose focused audit proposed it. The board shows them beside the theme.
    indicators = models.JSONField(default=list, blank=True)
    proposed_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The dip sample: the audits done for the theme, linked through ThemeAudit.
    audits = models.ManyToManyField(
        "audits.Audit", through="ThemeAudit", related_name="+", blank=True
    )

    objects = ThematicReviewQuerySet.as_manager()
    history = HistoricalRecords(table_name="audits_historicalthematicreview")
    # Not a field: who makes a change, which simple-history keeps with its record when no
    # request names them.
    _history_user: User

    class Meta:
        db_table = "audits_thematicreview"
        ordering = ["-month", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__day=1), name="theme_month_is_first_day"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("themes:theme_detail", kwargs={"theme_pk": self.pk})


class ThemeAudit(models.Model):
    """One audit of a theme's dip sample. An audit is in one theme's sample at most; the
    audits app knows nothing of themes, so the link is kept here."""

    theme = models.ForeignKey(ThematicReview, on_delete=models.CASCADE, related_name="audit_links")
    audit = models.OneToOneField(
        "audits.Audit", on_delete=models.CASCADE, related_name="theme_link"
    )

    def __str__(self) -> str:
        return f"{self.theme} ({self.audit_id})"
