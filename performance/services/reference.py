"""Changing the reference data indicators are read against: targets, benchmarks, alert
rules, the analyst's narratives, and dismissing a focused-audit proposal."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import StaffMember
from performance.models import AlertRule, Benchmark, FocusedAuditProposal, KpqNarrative, Target


class NarrativeConflict(Exception):
    """Someone else saved the narrative since it was opened."""

    def __init__(self, current: KpqNarrative) -> None:
        super().__init__("The analysis was changed by someone else")
        self.current = current


def target_set(
    *, by: StaffMember, indicator: str, value: float, starts_on: datetime.date, note: str = ""
) -> Target:
    target, _ = Target.objects.update_or_create(
        organisation_id=by.organisation_id,
        indicator=indicator,
        starts_on=starts_on,
        defaults={"value": value, "note": note, "set_by": by, "created_at": timezone.now()},
    )
    return target


def benchmarks_save(*, by: StaffMember, rows: list[dict[str, Any]]) -> int:
    """Save benchmark rows, all or none; a benchmark already held for the same indicator,
    comparator and year is replaced."""
    with transaction.atomic():
        for row in rows:
            Benchmark.objects.update_or_create(
                organisation_id=by.organisation_id,
                indicator=row["indicator"],
                kind=row["kind"],
                period=row["period"],
                defaults={"value": row["value"], "source": row.get("source", "")},
            )
    return len(rows)


def alert_rule_add(
    *, by: StaffMember, indicator: str, threshold: float | None, worsening_months: int | None
) -> AlertRule:
    return AlertRule.objects.create(
        organisation_id=by.organisation_id,
        indicator=indicator,
        threshold=threshold,
        worsening_months=worsening_months,
        created_by=by,
    )


def alert_rule_stop(*, rule: AlertRule) -> None:
    rule.active = False
    rule.save(update_fields=["active"])


def proposal_dismiss(*, proposal: FocusedAuditProposal) -> None:
    proposal.status = FocusedAuditProposal.Status.DISMISSED
    proposal.save(update_fields=["status"])


def narrative_save(
    *, by: StaffMember, kpq: int, month: datetime.date, text: str, revision: int
) -> KpqNarrative:
    """Save the analysis typed against `revision`; raise NarrativeConflict if someone
    else saved it in between, so neither version is lost."""
    with transaction.atomic():
        narrative = (
            KpqNarrative.objects.select_for_update()
            .filter(organisation_id=by.organisation_id, kpq=kpq, month=month)
            .first()
        )
        if narrative is None:
            if revision != 0:
                raise NarrativeConflict(KpqNarrative(text="", revision=0))
            try:
                with transaction.atomic():
                    return KpqNarrative.objects.create(
                        organisation_id=by.organisation_id,
                        kpq=kpq,
                        month=month,
                        text=text,
                        revision=1,
                        updated_by=by,
                    )
            except IntegrityError:
                current = KpqNarrative.objects.get(
                    organisation_id=by.organisation_id, kpq=kpq, month=month
                )
                raise NarrativeConflict(current) from None
        if narrative.revision != revision:
            raise NarrativeConflict(narrative)
        narrative.text = text
        narrative.revision += 1
        narrative.updated_by = by
        narrative.updated_at = timezone.now()
        narrative.save()
        return narrative
