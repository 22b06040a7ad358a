"""Indicator values (computed nightly from journey events and cases), the targets and
benchmarks they are read against, the analyst's narrative for each Key Performance
Question, and the rules that propose a focused audit when a trend goes the wrong way.

The indicators themselves are defined in code (performance/indicators/): a value is never
typed in. Values carry their numerator and denominator so every figure can be checked.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.models import Case, Organisation, Service, StaffMember, Team
from performance.querysets import (
    AlertRuleQuerySet,
    BenchmarkQuerySet,
    FocusedAuditProposalQuerySet,
    IndicatorFactQuerySet,
    IndicatorValueQuerySet,
    KpqNarrativeQuerySet,
    TargetQuerySet,
)

__all__ = [
    "AlertRule",
    "Benchmark",
    "FocusedAuditProposal",
    "IndicatorFact",
    "IndicatorValue",
    "KpqNarrative",
    "Target",
]


class IndicatorValue(models.Model):
    """One indicator for one month at one level: the organisation, a service or a team."""

    class Level(models.TextChoices):
        ORGANISATION = "organisation", "Organisation"
        SERVICE = "service", "Service"
        TEAM = "team", "Team"

    indicator = models.SlugField(max_length=60)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="indicator_values"
    )
    level = models.CharField(max_length=12, choices=Level.choices)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    month = models.DateField(help_text="The first day of the month the value is for.")
    numerator = models.BigIntegerField()
    denominator = models.BigIntegerField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True, help_text="Empty when nothing was counted.")
    computed_at = models.DateTimeField(default=timezone.now)
    # On the organisation's value: the fingerprint of the month's stored IndicatorFacts,
    # so the nightly recompute rewrites only the months whose facts changed.
    facts_digest = models.CharField(max_length=32, blank=True)

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "month"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level="organisation", service__isnull=True, team__isnull=True)
                    | Q(level="service", service__isnull=False, team__isnull=True)
                    | Q(level="team", team__isnull=False)
                ),
                name="indicator_value_level_matches_unit",
            ),
            models.UniqueConstraint(
                fields=["indicator", "organisation", "month"],
                condition=Q(level="organisation"),
                name="indicator_value_once_per_organisation_month",
            ),
            models.UniqueConstraint(
                fields=["indicator", "service", "month"],
                condition=Q(level="service"),
                name="indicator_value_once_per_service_month",
            ),
            models.UniqueConstraint(
                fields=["indicator", "team", "month"],
                condition=Q(level="team"),
                name="indicator_value_once_per_team_month",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "indicator", "level", "month"])]

    def __str__(self) -> str:
        return f"{self.indicator} {self.month:%b %Y}: {self.value}"


class IndicatorFact(models.Model):
    """One record behind an indicator's values for a month (a referral, a visit, a child
    in care at the month's end), stored by the nightly recompute with the values it adds
    up to, so the records page reads the facts the figures were counted from. Seen by
    whoever sees its case."""

    indicator = models.SlugField(max_length=60)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month the fact counts in.")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    # The case's team and service when the facts were worked out: the units it counts in.
    # The composite indexes below serve every lookup by them.
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+", db_index=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+", db_index=False)
    counted = models.BooleanField(default=True)
    measure = models.IntegerField(null=True, blank=True)
    worker = models.ForeignKey(
        StaffMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    note = models.TextField(blank=True)

    objects = IndicatorFactQuerySet.as_manager()

    class Meta:
        # The records page lists counted facts first, then by case.
        ordering = ["-counted", "case_id", "pk"]
        indexes = [
            models.Index(
                fields=["organisation", "indicator", "month", "-counted", "case"],
                name="indicator_fact_organisation",
            ),
            models.Index(
                fields=["organisation", "indicator", "month", "service", "-counted", "case"],
                name="indicator_fact_service",
            ),
            models.Index(
                fields=["organisation", "indicator", "month", "team", "-counted", "case"],
                name="indicator_fact_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.month:%b %Y}: case {self.case_id}"


class Target(models.Model):
    """What an organisation aims for on an indicator, from a date until the next target."""

    indicator = models.SlugField(max_length=60)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="targets")
    value = models.FloatField()
    starts_on = models.DateField(help_text="The first month the target applies to.")
    note = models.CharField(max_length=200, blank=True)
    set_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organisation", "starts_on"], name="target_once_per_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} from {self.starts_on:%b %Y}"


class Benchmark(models.Model):
    """A published comparator for an indicator, kept as reference data by each organisation."""

    class Kind(models.TextChoices):
        ENGLAND = "england", "England"
        REGION = "region", "Region"
        NEIGHBOURS = "neighbours", "Statistical neighbours"
        GOOD = "good", "Councils judged good"
        OUTSTANDING = "outstanding", "Councils judged outstanding"

    indicator = models.SlugField(max_length=60)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="benchmarks"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    period = models.CharField(max_length=20, help_text="The year it describes, e.g. 2024-25.")
    value = models.FloatField()
    source = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = BenchmarkQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "kind", "-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organisation", "kind", "period"],
                name="benchmark_once_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.get_kind_display()} {self.period}: {self.value}"


class KpqNarrative(models.Model):
    """The analyst's commentary on one Key Performance Question for one month."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="kpq_narratives"
    )
    kpq = models.PositiveSmallIntegerField()
    month = models.DateField()
    text = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = KpqNarrativeQuerySet.as_manager()

    class Meta:
        ordering = ["kpq", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kpq", "month"], name="kpq_narrative_once_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"KPQ {self.kpq} {self.month:%b %Y}"


class AlertRule(models.Model):
    """When an indicator crosses a threshold, or worsens for N months in a row, propose a
    focused audit (Coventry: audits triggered by indicator trends)."""

    indicator = models.SlugField(max_length=60)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="alert_rules"
    )
    threshold = models.FloatField(
        null=True, blank=True, help_text="Propose an audit when the value is worse than this."
    )
    worsening_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Or when it has got worse this many months running."
    )
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = AlertRuleQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__isnull=False) | Q(worsening_months__gte=2),
                name="alert_rule_has_a_trigger",
            )
        ]

    def __str__(self) -> str:
        return f"Alert on {self.indicator}"


class FocusedAuditProposal(models.Model):
    """A focused audit proposed by an alert rule for one month; sent to the thematic
    review planner, where the QA manager agrees or declines it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "In the thematic planner"
        DISMISSED = "dismissed", "Dismissed"

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="proposals")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="focused_audit_proposals"
    )
    indicator = models.SlugField(max_length=60)
    month = models.DateField()
    reason = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    planner_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = FocusedAuditProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "month"], name="proposal_once_per_rule_month")
        ]

    def __str__(self) -> str:
        return f"Focused audit on {self.indicator} ({self.month:%b %Y})"
