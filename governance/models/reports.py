"""Scheduled reports (seeds 000, 001, 003, 004): the monthly QA report, the quarterly
Quality of Practice report, the six-monthly Journey of the Child and Adopter report, the
annual report and the draft self-evaluation.

A report is a frozen snapshot: its figures are computed once, when it is generated, and
stored in `content` (governance.report_content.Content as JSON), so it never changes when
records do. Generating again makes a new version. QA writes narrative for each section
(`ReportNarrative`), then publishes the report to the boards that receive it.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone

from cases.models import Organisation, StaffMember
from core.tags import StatusTag
from governance.models.boards import Board
from governance.querysets import ReportQuerySet, ReportRowQuerySet


class Report(StatusTag, models.Model):
    class Kind(models.TextChoices):
        MONTHLY = "monthly", "Monthly QA report"
        QUARTERLY = "quarterly", "Quality of Practice report"
        JOURNEY = "journey", "Journey of the Child and Adopter report"
        ANNUAL = "annual", "Annual report"
        SELF_EVALUATION = "self_evaluation", "Draft self-evaluation"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        GENERATING = "generating", "Generating"
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        FAILED = "failed", "Failed"

    STATUS_COLOURS = {
        Status.QUEUED: "grey",
        Status.GENERATING: "blue",
        Status.DRAFT: "yellow",
        Status.PUBLISHED: "green",
        Status.FAILED: "red",
    }

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    period_label = models.CharField(max_length=60)
    # 1 for the first generation of this kind and period, then 2, 3... on regenerating.
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    # governance.report_content.Content.to_json(), written once when generation ends.
    content = models.JSONField(default=dict, blank=True)
    # Progress while generating: sections done of sections to do.
    progress_done = models.PositiveSmallIntegerField(default=0)
    progress_total = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    # None when the schedule made it.
    requested_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # When a worker took it up (governance.reports): a report still "generating" long
    # after this was left by a worker that stopped, and is marked failed.
    started_at = models.DateTimeField(null=True, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The boards it was published to.
    boards = models.ManyToManyField(Board, blank=True, related_name="reports")

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "kind", "-version"]
        indexes = [
            models.Index(fields=["organisation", "-period_start"], name="report_org_period"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "period_start", "version"],
                name="report_version_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("governance:report_detail", kwargs={"report_pk": self.pk})

    @property
    def in_progress(self) -> bool:
        """Waiting for a worker or being generated (the page polls for its progress)."""
        return self.status in (self.Status.QUEUED, self.Status.GENERATING)

    @property
    def is_ready(self) -> bool:
        """Generated: its content is there to read (a draft or published)."""
        return self.status in (self.Status.DRAFT, self.Status.PUBLISHED)

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))


class ReportNarrative(models.Model):
    """QA's words for one section of one version of a report (kept by the section's key;
    a new version starts from the last version's narrative)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="narratives")
    section_key = models.CharField(max_length=60)
    text = models.TextField(blank=True)
    written_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_at = models.DateTimeField(null=True, blank=True)
    # Optimistic lock for two people editing at once.
    revision = models.PositiveIntegerField(default=1)

    objects = ReportRowQuerySet.as_manager()

    class Meta:
        ordering = ["report", "section_key"]
        constraints = [
            models.UniqueConstraint(fields=["report", "section_key"], name="report_narrative_once")
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.section_key}"
