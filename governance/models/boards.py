"""The boards that receive QA's reports and returns (seeds 001, 003, 000): the Practice
Improvement Board, the Quality Improvement Board, the Performance and Outcomes meetings at
each level of the cascade and an adoption agency's partner management board, each with its
members and how often it meets. Meetings, agendas and decisions hang off a board."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from cases.models import Organisation, StaffMember
from governance.querysets import BoardQuerySet


class Board(models.Model):
    class Kind(models.TextChoices):
        PRACTICE_IMPROVEMENT = "practice_improvement", "Practice Improvement Board"
        QUALITY_IMPROVEMENT = "quality_improvement", "Quality Improvement Board"
        PERFORMANCE_OUTCOMES = "performance_outcomes", "Performance and Outcomes meeting"
        PARTNER_MANAGEMENT = "partner_management", "Partner management board"
        TRUST_BOARD = "trust_board", "Trust or council board"
        OTHER = "other", "Other board or meeting"

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        FORTNIGHTLY = "fortnightly", "Fortnightly"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        SIX_MONTHLY = "six_monthly", "Six-monthly"
        ANNUAL = "annual", "Annual"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.OTHER)
    frequency = models.CharField(
        max_length=12, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    purpose = models.TextField(blank=True)
    chair = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    members = models.ManyToManyField(StaffMember, blank=True, related_name="boards")
    active = models.BooleanField(default=True)

    objects = BoardQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="board_name_once")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:board_detail", kwargs={"board_pk": self.pk})
