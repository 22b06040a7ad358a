"""Reminders and escalations for practice observations, registered with
`core.registry.reminder_sources` and sent by the nightly job (rota/reminders.py), which
hands each source an organisation's QA rules (`reminder_days`, `escalation_days`).

- An open observation due within `reminder_days`, or overdue: its observer, daily.
- An open observation more than `escalation_days` overdue: the observer's line manager, once.
- An open observation action the same, to its owner and then the owner's line manager.
- An open practice day or week action (observations/events.py) the same: its owner,
  daily, then the owner's line manager, once.
- Coverage (observations/figures.py says who counts): a practitioner not observed in the
  last six months (seed 003) -> their line manager, once a month; a tier manager behind
  on their monthly observation (seed 001) -> the manager, once a month, and, once last
  month has been over for more than `escalation_days`, their own line manager, once a
  month.

Messages say what is due and where, never a child's name or an action's free text.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Protocol

from django.urls import reverse
from django.utils.formats import date_format

from cases.models import Notification
from cases.notifications import Message, when_due
from core.batches import in_batches
from observations import events, selectors


class Rules(Protocol):
    reminder_days: int
    escalation_days: int


def observation_reminders(
    *, organisation_id: int, rules: Rules, day: datetime.date
) -> Iterator[Message]:
    observations = selectors.open_observations(organisation_id=organisation_id).filter(
        due_on__lte=day + datetime.timedelta(days=rules.reminder_days)
    )
    for observation in in_batches(observations.select_related("observer")):
        yield Message(
            recipient=observation.observer,
            kind=Notification.Kind.REMINDER,
            subject=f"Your practice observation {when_due(observation.due_on, day)}",
            url=observation.get_absolute_url(),
            key=f"observation:{observation.pk}:reminder:{day.isoformat()}",
        )


def observation_escalations(
    *, organisation_id: int, rules: Rules, day: datetime.date
) -> Iterator[Message]:
    observations = selectors.open_observations(organisation_id=organisation_id).filter(
        due_on__lt=day - datetime.timedelta(days=rules.escalation_days)
    )
    for observation in in_batches(
        observations.select_related("observer__user", "observer__line_manager")
    ):
        yield Message(
            recipient=observation.observer.line_manager,
            kind=Notification.Kind.ESCALATION,
            subject=(
                f"Escalation: {observation.observer.display_name}'s practice observation "
                f"{when_due(observation.due_on, day)}"
            ),
            url=observation.get_absolute_url(),
            key=f"observation:{observation.pk}:escalation",
        )


def action_reminders(
    *, organisation_id: int, rules: Rules, day: datetime.date
) -> Iterator[Message]:
    actions = selectors.open_actions(organisation_id=organisation_id).filter(
        due_on__lte=day + datetime.timedelta(days=rules.reminder_days)
    )
    for action in in_batches(actions.select_related("owner")):
        yield Message(
            recipient=action.owner,
            kind=Notification.Kind.REMINDER,
            subject=f"Your observation action {when_due(action.due_on, day)}",
            url=action.get_absolute_url(),
            key=f"observation-action:{action.pk}:reminder:{day.isoformat()}",
        )


def action_escalations(
    *, organisation_id: int, rules: Rules, day: datetime.date
) -> Iterator[Message]:
    actions = selectors.open_actions(organisation_id=organisation_id).filter(
        due_on__lt=day - datetime.timedelta(days=rules.escalation_days)
    )
    for action in in_batches(actions.select_related("owner__user", "owner__line_manager")):
        yield Message(
            recipient=action.owner.line_manager,
            kind=Notification.Kind.ESCALATION,
            subject=(
                f"Escalation: {action.owner.display_name}'s observation action "
                f"{when_due(action.due_on, day)}"
            ),
            url=action.get_absolute_url(),
            key=f"observation-action:{action.pk}:escalation",
        )


def event_action_reminders(
    *, organisation_id: int, rules: Rules, day: datetime.date
) -> Iterator[Message]:
    actions = events.open_event_actions(organisation_id=organisation_id).filter(
        due_on__lte=day + datetime.timedelta(days=rules.reminder_days)
    )
    for action in in_batches(actions.select_related("owner", "event")):
        yield Message(
            recipient=action.owner,
            kind=Notification.Kind.REMINDER,
            subject=(
                f"Your action from a {action.event.get_kind_display().lower()} "
                f"{when_due(action.due_on, day)}"
            ),
            url=action.get_absolute_url(),
            key=f"practice-event-action:{action.pk}:reminder:{day.isoformat()}",
        )


def event_action_escalations(
    *, organisation_id: int, rules: Rules, day: datetime.date
) -> Iterator[Message]:
    actions = events.open_event_actions(organisation_id=organisation_id).filter(
        due_on__lt=day - datetime.timedelta(days=rules.escalation_days)
    )
    for action in in_batches(actions.select_related("owner__user", "owner__line_manager", "event")):
        yield Message(
            recipient=action.owner.line_manager,
            kind=Notification.Kind.ESCALATION,
            subject=(
                f"Escalation: {action.owner.display_name}'s action from a "
                f"{action.event.get_kind_display().lower()} {when_due(action.due_on, day)}"
            ),
            url=action.get_absolute_url(),
            key=f"practice-event-action:{action.pk}:escalation",
        )


def _month(day: datetime.date) -> str:
    return day.strftime("%Y-%m")


def _last_observed(last_on: datetime.date | None) -> str:
    return f"last on {date_format(last_on, 'j F Y')}" if last_on else "never"


def coverage_practitioner_reminders(
    *, organisation_id: int, rules: Rules, day: datetime.date
) -> Iterator[Message]:
    practitioners = selectors.practitioners_not_observed(
        organisation_id=organisation_id, day=day
    ).filter(line_manager__isnull=False)
    for practitioner in in_batches(practitioners.select_related("user", "line_manager")):
        yield Message(
            recipient=practitioner.line_manager,
            kind=Notification.Kind.REMINDER,
            subject=(
                f"{practitioner.display_name}'s practice has not been observed in the last "
                "six months"
            ),
            url=reverse("observations:observation_new"),
            key=f"coverage:practitioner:{practitioner.pk}:{_month(day)}",
        )


def coverage_manager_reminders(
    *, organisation_id: int, rules: Rules, day: datetime.date
) -> Iterator[Message]:
    managers = selectors.managers_behind(organisation_id=organisation_id, day=day)
    for manager in in_batches(managers.select_related("user")):
        yield Message(
            recipient=manager,
            kind=Notification.Kind.REMINDER,
            subject=(
                "You have not submitted a practice observation since the start of last month "
                f"({_last_observed(getattr(manager, 'last_on', None))})"
            ),
            url=reverse("observations:observation_new"),
            key=f"coverage:manager:{manager.pk}:reminder:{_month(day)}",
        )


def coverage_manager_escalations(
    *, organisation_id: int, rules: Rules, day: datetime.date
) -> Iterator[Message]:
    last_month_ended = day.replace(day=1) - datetime.timedelta(days=1)
    if (day - last_month_ended).days <= rules.escalation_days:
        return
    managers = selectors.managers_behind(organisation_id=organisation_id, day=day).filter(
        line_manager__isnull=False
    )
    for manager in in_batches(managers.select_related("user", "line_manager")):
        yield Message(
            recipient=manager.line_manager,
            kind=Notification.Kind.ESCALATION,
            subject=(
                f"Escalation: {manager.display_name} is behind on their monthly practice "
                f"observation ({_last_observed(getattr(manager, 'last_on', None))})"
            ),
            url=f"{reverse('observations:coverage_managers')}?missing=1",
            key=f"coverage:manager:{manager.pk}:escalation:{_month(day)}",
        )


COVERAGE_SOURCES = (
    coverage_practitioner_reminders,
    coverage_manager_reminders,
    coverage_manager_escalations,
)
EVENT_ACTION_SOURCES = (event_action_reminders, event_action_escalations)
SOURCES = (
    observation_reminders,
    observation_escalations,
    action_reminders,
    action_escalations,
    *EVENT_ACTION_SOURCES,
    *COVERAGE_SOURCES,
)
