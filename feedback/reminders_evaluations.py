"""Reminders and escalations for adoption panel evaluations, registered with
`core.registry.reminder_sources` and sent by the nightly job. The deadlines are those of
"My actions" (feedback/evaluations.py), in working days after the panel.

- A member sitting (the chair too) whose form on an item is still missing once it is due
  (`EVALUATE_WITHIN` working days after the panel), until the chair sends the copy: the
  member, daily.
- The chair, once the collated copy of an item is past its deadline (`SEND_WITHIN`
  working days after the panel) and still not sent: daily.
- The same copy `ESCALATE_AFTER` working days after its deadline: the organisation's QA
  service, once.

One source reads all three, so that a night with nothing due costs one query for each
organisation. Messages name the panel and the kind of item, never the child or adopter.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Protocol

from django.urls import reverse
from django.utils.formats import date_format

from cases.models import Notification, StaffMember
from cases.notifications import Message, when_due
from core.dates import add_working_days
from feedback import evaluations
from feedback.models import PanelItem

# Working days after the chair's deadline before the QA service is told.
ESCALATE_AFTER = 5


class Rules(Protocol):
    reminder_days: int
    escalation_days: int


def _about(item: PanelItem) -> str:
    held = date_format(item.meeting.held_on, "j F Y")
    return f"an item at the adoption panel of {held} ({item.get_kind_display().lower()})"


def panel_reminders(*, organisation_id: int, rules: Rules, day: datetime.date) -> Iterator[Message]:
    qa: list[StaffMember] | None = None
    for row in evaluations.unsent_items_due(organisation_id=organisation_id, by_day=day):
        item = row.item
        evaluate = reverse("feedback:panel_item_evaluate", kwargs={"panel_item_pk": item.pk})
        collate = reverse("feedback:panel_item_collate", kwargs={"panel_item_pk": item.pk})
        for member in row.missing:
            yield Message(
                recipient=member,
                kind=Notification.Kind.REMINDER,
                subject=f"Your evaluation of {_about(item)} {when_due(row.forms_due_on, day)}",
                url=evaluate,
                key=f"panel-item:{item.pk}:evaluation-reminder:{day.isoformat()}",
            )
        if row.copy_due_on >= day:
            continue
        yield Message(
            recipient=item.meeting.chair,
            kind=Notification.Kind.REMINDER,
            subject=(f"The collated feedback on {_about(item)} {when_due(row.copy_due_on, day)}"),
            url=collate,
            key=f"panel-item:{item.pk}:copy-reminder:{day.isoformat()}",
        )
        if add_working_days(row.copy_due_on, ESCALATE_AFTER) > day:
            continue
        if qa is None:
            qa = evaluations.qa_service(organisation_id=organisation_id)
        for recipient in qa:
            yield Message(
                recipient=recipient,
                kind=Notification.Kind.ESCALATION,
                subject=(
                    f"Escalation: {item.meeting.chair.display_name} has not sent the "
                    f"collated feedback on {_about(item)}: it {when_due(row.copy_due_on, day)}"
                ),
                url=collate,
                key=f"panel-item:{item.pk}:copy-escalation",
            )


SOURCES = (panel_reminders,)
