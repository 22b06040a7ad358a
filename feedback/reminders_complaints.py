"""Reminders and escalations for complaints, registered with
`core.registry.reminder_sources` and sent by the nightly job, which hands each source an
organisation's QA rules (`reminder_days`, `escalation_days`).

- A stage waiting for its response, due within `reminder_days` or overdue: its officer,
  daily.
- A complaint action due within `reminder_days` or overdue: its owner, daily; more than
  `escalation_days` overdue: the owner's line manager, once.

Messages say what is due and where, never a complainant's or a child's name.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Protocol

from cases.models import Notification
from cases.notifications import Message, when_due
from core.batches import in_batches
from feedback import complaints


class Rules(Protocol):
    reminder_days: int
    escalation_days: int


def stage_reminders(*, organisation_id: int, rules: Rules, day: datetime.date) -> Iterator[Message]:
    soon = day + datetime.timedelta(days=rules.reminder_days)
    stages = (
        complaints.open_complaint_stages(organisation_id=organisation_id)
        .filter(officer__isnull=False)
        .filter(complaints.due_by_filter(soon))
    )
    for stage in in_batches(stages.select_related("officer", "complaint")):
        yield Message(
            recipient=stage.officer,
            kind=Notification.Kind.REMINDER,
            subject=(
                f"The stage {stage.stage} response to complaint {stage.complaint.reference} "
                f"{when_due(stage.effective_due_on, day)}"
            ),
            url=stage.complaint.get_absolute_url(),
            key=f"complaint-stage:{stage.pk}:reminder:{day.isoformat()}",
        )


def action_reminders(
    *, organisation_id: int, rules: Rules, day: datetime.date
) -> Iterator[Message]:
    actions = complaints.open_complaint_actions(organisation_id=organisation_id).filter(
        due_on__lte=day + datetime.timedelta(days=rules.reminder_days)
    )
    for action in in_batches(actions.select_related("owner", "complaint")):
        yield Message(
            recipient=action.owner,
            kind=Notification.Kind.REMINDER,
            subject=(
                f"Your action from complaint {action.complaint.reference} "
                f"{when_due(action.due_on, day)}"
            ),
            url=action.get_absolute_url(),
            key=f"complaint-action:{action.pk}:reminder:{day.isoformat()}",
        )


def action_escalations(
    *, organisation_id: int, rules: Rules, day: datetime.date
) -> Iterator[Message]:
    actions = complaints.open_complaint_actions(organisation_id=organisation_id).filter(
        due_on__lt=day - datetime.timedelta(days=rules.escalation_days)
    )
    for action in in_batches(
        actions.select_related("owner__user", "owner__line_manager", "complaint")
    ):
        yield Message(
            recipient=action.owner.line_manager,
            kind=Notification.Kind.ESCALATION,
            subject=(
                f"Escalation: {action.owner.display_name}'s action from complaint "
                f"{action.complaint.reference} {when_due(action.due_on, day)}"
            ),
            url=action.get_absolute_url(),
            key=f"complaint-action:{action.pk}:escalation",
        )


SOURCES = (stage_reminders, action_reminders, action_escalations)
