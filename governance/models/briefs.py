"""Learning briefs, the seven-minute briefings (seed 001): what QA found, why it
matters, what good looks like and questions for a team to talk over, published to the
whole organisation or to chosen services and teams. Each member of staff's first reading
is recorded (`BriefRead`), so QA sees how far a brief has reached, team by team."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone

from cases.models import Organisation, Service, StaffMember, Team
from core.tags import StatusTag
from governance.models.reports import Report
from governance.querysets import BriefQuerySet, BriefReadQuerySet

# The four parts of a brief, in the order a reader meets them.
BRIEF_FIELDS = (
    ("found", "What we found"),
    ("matters", "Why it matters"),
    ("good_looks_like", "What good looks like"),
    ("questions", "Questions for your team"),
)


class LearningBrief(StatusTag, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    STATUS_COLOURS = {Status.DRAFT: "yellow", Status.PUBLISHED: "green"}

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=160)
    found = models.TextField("What we found", blank=True)
    matters = models.TextField("Why it matters", blank=True)
    good_looks_like = models.TextField("What good looks like", blank=True)
    questions = models.TextField("Questions for your team", blank=True)
    # Where the learning comes from (by model name: governance imports no themes model).
    review = models.ForeignKey(
        "themes.ThematicReview",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_text = models.CharField("Other source", max_length=300, blank=True)
    # The audience: everyone, or the staff of the chosen services and teams.
    whole_organisation = models.BooleanField(default=True)
    services = models.ManyToManyField(Service, blank=True, related_name="+")
    teams = models.ManyToManyField(Team, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    saved_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)

    objects = BriefQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "-published_at"], name="brief_org_newest"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:brief_detail", kwargs={"brief_pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def parts(self) -> list[tuple[str, str, str]]:
        return [(name, label, getattr(self, name)) for name, label in BRIEF_FIELDS]


class BriefRead(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    brief = models.ForeignKey(LearningBrief, on_delete=models.CASCADE, related_name="reads")
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="brief_reads")
    read_at = models.DateTimeField(default=timezone.now)

    objects = BriefReadQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["brief", "staff"], name="brief_read_once"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} read {self.brief}"
