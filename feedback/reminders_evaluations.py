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

Messages name the panel and the kind of item, never the child or adopter.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Protocol

from django.urls import reverse
from django.utils.formats import date_format

from cases.models import Notification
from cases.notifications import Message, when_due
from core.dates import add_working_days
from feedback import evaluations
from feedback.models import PanelItem

# Working days after the chair's deadline before the QA service is told.
ESCALATE_AFTER = 5


class Rules(Protocol):
    reminder_days: int
    escalation_days: int


def _panel(item: PanelItem) -> str:
    return f"the adoption panel of {date_format(item.meeting.held_on, 'j F Y')}"


def evaluation_reminders(
    *, organisation_id: int, rules: Rules, day: datetime.date
) -> Iterator[Message]:
    due = evaluations.unsent_items_due(
        organisation_id=organisation_id, within=evaluations.EVALUATE_WITHIN, by_day=day
    )
    for row in due:
        item = row.item
        for member in row.missing:
            yield Message(
                recipient=member,
                kind=Notification.Kind.REMINDER,
                subject=(
                    f"Your evaluation of an item at {_panel(item)} "
                    f"({item.get_kind_display().lower()}) {when_due(row.due_on, day)}"
                ),
                url=reverse("feedback:panel_item_evaluate", kwargs={"panel_item_pk": item.pk}),
                key=f"panel-item:{item.pk}:evaluation-reminder:{day.isoformat()}",
            )


def _copies_overdue(organisation_id: int, day: datetime.date) -> list[evaluations.DueItem]:
    due = evaluations.unsent_items_due(
        organisation_id=organisation_id, within=evaluations.SEND_WITHIN, by_day=day
    )
    return [row for row in due if row.due_on < day]


def copy_reminders(*, organisation_id: int, rules: Rules, day: datetime.date) -> Iterator[Message]:
    for row in _copies_overdue(organisation_id, day):
        item = row.item
        yield Message(
            recipient=item.meeting.chair,
            kind=Notification.Kind.REMINDER,
            subject=(
                f"The collated feedback on an item at {_panel(item)} "
                f"({item.get_kind_display().lower()}) {when_due(row.due_on, day)}"
            ),
            url=reverse("feedback:panel_item_collate", kwargs={"panel_item_pk": item.pk}),
            key=f"panel-item:{item.pk}:copy-reminder:{day.isoformat()}",
        )


def copy_escalations(
    *, organisation_id: int, rules: Rules, day: datetime.date
) -> Iterator[Message]:
    late = [
        row
        for row in _copies_overdue(organisation_id, day)
        if add_working_days(row.due_on, ESCALATE_AFTER) <= day
    ]
    if not late:
        return
    qa = evaluations.qa_service(organisation_id=organisation_id)
    for row in late:
        item = row.item
        for recipient in qa:
            yield Message(
                recipient=recipient,
                kind=Notification.Kind.ESCALATION,
                subject=(
                    f"Escalation: {item.meeting.chair.display_name} has not sent the "
                    f"collated feedback on an item at {_panel(item)}: it "
                    f"{when_due(row.due_on, day)}"
                ),
                url=reverse("feedback:panel_item_collate", kwargs={"panel_item_pk": item.pk}),
                key=f"panel-item:{item.pk}:copy-escalation",
            )


SOURCES = (evaluation_reminders, copy_reminders, copy_escalations)
