"""The board's settings for its charts: the dates a measure's process changed, from which
its SPC limits are recalculated (`governance.board_settings.process_changes_for`)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from cases.models import Organisation, StaffMember
from cases.querysets import OrganisationQuerySet
from cases.roles import Role


class ProcessChangeQuerySet(OrganisationQuerySet["ProcessChange"]):
    """An organisation's process changes: its QA service keeps them, its senior leaders
    read the charts they shape."""

    readers = frozenset({Role.QA, Role.SENIOR_LEADER})


class ProcessChange(models.Model):
    """A change to how a measure's process works (a new front door, a new audit tool): the
    measure's SPC limits are recalculated from the period that holds `changed_on`."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="process_changes"
    )
    measure = models.SlugField(max_length=60, help_text="The measure's key on the board.")
    changed_on = models.DateField()
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProcessChangeQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "changed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "measure", "changed_on"],
                name="process_change_once_per_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure}: changed {self.changed_on:%-d %b %Y}"
