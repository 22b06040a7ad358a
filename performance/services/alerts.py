"""Alert rules: when an indicator crosses its threshold, or has got worse several months
running, propose a focused audit (Coventry's audits triggered by indicator trends).

A proposal is made once per rule and month. It goes to the QA manager's thematic review
planner through the `performance.signals.focused_audit_proposed` signal (themes sits above
performance and listens), and is listed on the proposals page either way.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction

from core.months import add_months, month_start
from performance.indicators import CATALOGUE, Indicator
from performance.models import AlertRule, FocusedAuditProposal, IndicatorValue
from performance.signals import focused_audit_proposed


def trigger_reason(
    rule: AlertRule, indicator: Indicator, series: list[tuple[datetime.date, float | None]]
) -> str:
    """Why `rule` proposes an audit on the monthly `series` (oldest first, ending with the
    last complete month), or "" when it does not."""
    if not series:
        return ""
    month, latest = series[-1]
    if latest is None:
        return ""
    shown = indicator.format
    if rule.threshold is not None and indicator.worse(latest, rule.threshold):
        return (
            f"{indicator.name} was {shown(latest)} in {month:%B %Y}, worse than the "
            f"threshold of {shown(rule.threshold)}."
        )
    months = rule.worsening_months or 0
    recent = [value for _, value in series[-(months + 1) :] if value is not None]
    # A month without a value breaks the run.
    if months >= 2 and len(recent) == months + 1:
        if all(indicator.worse(b, a) for a, b in zip(recent, recent[1:], strict=False)):
            path = ", then ".join(shown(v) for v in recent)
            return (
                f"{indicator.name} has got worse {months} months running to {month:%B %Y}: {path}."
            )
    return ""


def _series(rule: AlertRule, last: datetime.date) -> list[tuple[datetime.date, float | None]]:
    first = add_months(last, -((rule.worsening_months or 1) + 1))
    values = IndicatorValue.objects.filter(
        organisation_id=rule.organisation_id,
        indicator=rule.indicator,
        level=IndicatorValue.Level.ORGANISATION,
        month__gte=first,
        month__lte=last,
    ).order_by("month")
    return list(values.values_list("month", "value"))


def _send_to_planner(proposal: FocusedAuditProposal, rule: AlertRule, indicator: Indicator) -> None:
    if rule.created_by is None or rule.created_by.organisation_id != rule.organisation_id:
        return
    responses = focused_audit_proposed.send(
        sender=FocusedAuditProposal,
        proposal=proposal,
        organisation=rule.organisation,
        proposed_by=rule.created_by,
        title=f"Focused audit: {indicator.name}"[:160],
        question=f"{proposal.reason} What is happening in the cases behind this figure?",
        source_detail=f"{indicator.name}, {proposal.month:%B %Y}"[:200],
    )
    url = next((response for _receiver, response in responses if response), "")
    if url:
        proposal.planner_url = url
        proposal.save(update_fields=["planner_url"])


def alert_rules_run(*, day: datetime.date, organisation_id: int | None = None) -> dict[str, Any]:
    """Check every active rule of organisation `organisation_id` (None: of every
    organisation) against the last complete month; idempotent. The nightly recompute runs
    an organisation's rules after recomputing its values."""
    last = add_months(month_start(day), -1)
    created = 0
    rules = AlertRule.objects.filter(active=True).select_related("organisation", "created_by")
    if organisation_id is not None:
        rules = rules.filter(organisation_id=organisation_id)
    for rule in rules:
        indicator = CATALOGUE.get(rule.indicator)
        if indicator is None or rule.proposals.filter(month=last).exists():
            continue
        reason = trigger_reason(rule, indicator, _series(rule, last))
        if not reason:
            continue
        try:
            with transaction.atomic():
                proposal = FocusedAuditProposal.objects.create(
                    rule=rule,
                    organisation_id=rule.organisation_id,
                    indicator=rule.indicator,
                    month=last,
                    reason=reason,
                )
                _send_to_planner(proposal, rule, indicator)
        except IntegrityError:
            continue  # another run made it first
        created += 1
    return {"created": created}
