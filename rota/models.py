"""The QA programme: each organisation's QA rules (read by the reminders too), the rota
(seed 001: the ten-month cycle; seed 000: 5 audits per manager a quarter) and its slots.

The models moved here from the audits app; they keep their tables (and history tables),
so no row moved (see migrations/0001_rota_from_audits.py).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models import Case, Organisation, StaffMember
from rota.querysets import RotaQuerySet, RotaSlotQuerySet


class Activity(models.TextChoices):
    """The QA activities tier managers alternate between, one a month (seed 001)."""

    PRACTICE_REVIEW = "practice_review", "Practice review"
    PRACTICE_OBSERVATION = "practice_observation", "Practice observation"
    THEMATIC_REVIEW = "thematic_review", "Thematic review"
    # Seed 002, 2.5: the audit of someone's supervision records, from senior managers to
    # the front line. Not in the default cycle: the QA manager adds it to the QA rules.
    SUPERVISION_AUDIT = "supervision_audit", "Supervision audit"


def default_paused_months() -> list[int]:
    return [8, 12]


def default_activities() -> list[str]:
    return [Activity.PRACTICE_REVIEW, Activity.PRACTICE_OBSERVATION, Activity.THEMATIC_REVIEW]


def default_tiers() -> list[int]:
    return [1, 2, 3]


class QARules(models.Model):
    """How an organisation runs its QA cycle."""

    class QuotaPeriod(models.TextChoices):
        MONTH = "month", "Each month"
        QUARTER = "quarter", "Each quarter"

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="qa_rules"
    )
    paused_months = models.JSONField(default=default_paused_months, blank=True)
    activities = models.JSONField(default=default_activities)
    eligible_tiers = models.JSONField(default=default_tiers)
    quota_period = models.CharField(
        max_length=8, choices=QuotaPeriod.choices, default=QuotaPeriod.MONTH
    )
    quota = models.PositiveSmallIntegerField(default=1)
    # Reminders: this many days before something is due; escalation after this many late.
    reminder_days = models.PositiveSmallIntegerField(default=7)
    escalation_days = models.PositiveSmallIntegerField(default=14)
    updated_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(table_name="audits_historicalqarules")

    class Meta:
        db_table = "audits_qarules"
        verbose_name = "QA rules"
        verbose_name_plural = "QA rules"
        constraints = [
            models.CheckConstraint(condition=Q(quota__gte=1), name="qa_rules_quota_positive"),
        ]

    def __str__(self) -> str:
        return f"QA rules of {self.organisation}"


class Rota(models.Model):
    """Twelve months of QA slots for an organisation's managers, from `starts_on`."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="rotas")
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = RotaQuerySet.as_manager()

    class Meta:
        db_table = "audits_rota"
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "starts_on"], name="rota_start_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="rota_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return f"Rota {self.starts_on:%B %Y} to {self.ends_on:%B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("rota:rota_detail", kwargs={"rota_pk": self.pk})


class RotaSlot(models.Model):
    """One manager's QA activity in one month; for a practice review, the case picked."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DEFERRED = "deferred", "Deferred"
        SKIPPED = "skipped", "Skipped"

    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="slots")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="rota_slots"
    )
    manager = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="rota_slots")
    month = models.DateField(help_text="The first day of the month the slot is in.")
    activity = models.CharField(max_length=24, choices=Activity.choices)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="rota_slots"
    )
    pick_reason = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    change_reason = models.TextField(blank=True)
    audit = models.OneToOneField(
        "audits.Audit", on_delete=models.SET_NULL, null=True, blank=True, related_name="rota_slot"
    )
    # A practice observation slot's observation, made when the month opens.
    observation = models.OneToOneField(
        "observations.Observation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rota_slot",
    )
    opened_at = models.DateTimeField(null=True, blank=True)

    objects = RotaSlotQuerySet.as_manager()
    history = HistoricalRecords(table_name="audits_historicalrotaslot")

    # Not fields. The reason for one save, which simple-history keeps with its record; and,
    # on a slot that rota.selectors read for a page, its state (a query annotation) and
    # the labels the page shows.
    _change_reason: str
    state_label: str
    state_colour: str
    short_label: str

    class Meta:
        db_table = "audits_rotaslot"
        ordering = ["month", "manager__user__last_name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="slot_month_is_first_day"),
        ]
        indexes = [
            models.Index(fields=["organisation", "month", "status"]),
            models.Index(fields=["manager", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_activity_display()} for {self.manager} in {self.month:%B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("rota:slot_detail", kwargs={"slot_pk": self.pk})
