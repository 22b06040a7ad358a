"""Reminders and escalations for the improvement plan's own actions (inspection
recommendations, board decisions, the plan's actions), registered with
`core.registry.reminder_sources` and sent by the nightly job with the organisation's QA
rules (`reminder_days`, `escalation_days`). Gathered actions are reminded by the app they
came from, so they are not reminded twice.

- An open entered action due within `reminder_days`, or overdue: its owner, daily.
- One more than `escalation_days` overdue: the owner's line manager, once; and the lead of
  its priority, once, where that is someone else.

Messages say what is due and where, never an action's free text.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Protocol

from django.db.models import QuerySet

from cases.models import Notification
from cases.notifications import Message, when_due
from core.batches import in_batches
from governance.models import PlanAction


class Rules(Protocol):
    reminder_days: int
    escalation_days: int


def _entered_open(organisation_id: int) -> QuerySet[PlanAction]:
    return PlanAction.objects.filter(
        organisation_id=organisation_id,
        source__in=PlanAction.ENTERED_SOURCES,
        status__in=PlanAction.OPEN_STATUSES,
        owner__isnull=False,
        due_on__isnull=False,
    )


def plan_reminders(*, organisation_id: int, rules: Rules, day: datetime.date) -> Iterator[Message]:
    actions = _entered_open(organisation_id).filter(
        due_on__lte=day + datetime.timedelta(days=rules.reminder_days)
    )
    for action in in_batches(actions.select_related("owner")):
        assert action.due_on is not None  # the query asks for a due date
        yield Message(
            recipient=action.owner,
            kind=Notification.Kind.REMINDER,
            subject=f"Your improvement plan action {when_due(action.due_on, day)}",
            url=action.get_absolute_url(),
            key=f"plan-action:{action.pk}:reminder:{day.isoformat()}",
        )


def plan_escalations(
    *, organisation_id: int, rules: Rules, day: datetime.date
) -> Iterator[Message]:
    actions = _entered_open(organisation_id).filter(
        due_on__lt=day - datetime.timedelta(days=rules.escalation_days)
    )
    for action in in_batches(
        actions.select_related("owner__user", "owner__line_manager", "priority__lead")
    ):
        owner, due_on = action.owner, action.due_on
        # The query asks for both.
        assert owner is not None
        assert due_on is not None
        subject = (
            f"Escalation: {owner.display_name}'s improvement plan action {when_due(due_on, day)}"
        )
        yield Message(
            recipient=owner.line_manager,
            kind=Notification.Kind.ESCALATION,
            subject=subject,
            url=action.get_absolute_url(),
            key=f"plan-action:{action.pk}:escalation",
        )
        lead = action.priority.lead if action.priority is not None else None
        if lead is not None and lead.pk not in (owner.pk, owner.line_manager_id):
            yield Message(
                recipient=lead,
                kind=Notification.Kind.ESCALATION,
                subject=subject,
                url=action.get_absolute_url(),
                key=f"plan-action:{action.pk}:escalation:lead",
            )


SOURCES = (plan_reminders, plan_escalations)
