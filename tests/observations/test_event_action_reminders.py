"""Reminders and escalations for practice day and week actions through the shared nightly
job: the owner while it is due or overdue, daily; the owner's line manager once it is
more than escalation_days overdue, once. One notification per key."""

from __future__ import annotations

import datetime

import pytest

from cases.models import Notification
from observations import events, reminders
from rota.reminders import reminders_send, rules_by_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(scenario):
    """The scenario's practice week action for team_manager, whose line manager is
    service_manager."""
    people = scenario.people
    people["team_manager"].line_manager = people["service_manager"]
    people["team_manager"].save()
    rules = rules_by_organisation()[scenario.practice_event.organisation_id]
    return scenario, scenario.practice_event_action, rules


def _send(day):
    return reminders_send(day=day, sources=reminders.EVENT_ACTION_SOURCES)


def _told():
    return list(
        Notification.objects.filter(key__startswith="practice-event-action:")
        .order_by("pk")
        .values_list("recipient__user__username", "kind", "key")
    )


def test_nothing_until_the_action_is_nearly_due(world):
    _, action, rules = world
    _send(action.due_on - datetime.timedelta(days=rules.reminder_days + 1))
    assert _told() == []


def test_the_owner_is_reminded_when_it_is_due(world):
    _, action, _ = world
    counts = _send(action.due_on)
    assert counts == {"reminders": 1, "escalations": 0}
    assert _told() == [
        (
            "team_manager",
            Notification.Kind.REMINDER,
            f"practice-event-action:{action.pk}:reminder:{action.due_on.isoformat()}",
        )
    ]
    assert Notification.objects.get().subject == "Your action from a practice week is due today"


def test_the_line_manager_is_told_once_when_it_is_long_overdue(world):
    _, action, rules = world
    day = action.due_on + datetime.timedelta(days=rules.escalation_days + 1)
    assert _send(day) == {"reminders": 1, "escalations": 1}
    assert _send(day) == {"reminders": 0, "escalations": 0}
    assert _send(day + datetime.timedelta(days=1)) == {"reminders": 1, "escalations": 0}
    escalation = Notification.objects.get(kind=Notification.Kind.ESCALATION)
    assert escalation.recipient.user.username == "service_manager"
    assert escalation.key == f"practice-event-action:{action.pk}:escalation"
    assert escalation.url == action.get_absolute_url()


def test_a_done_action_is_left_alone(world):
    scenario, action, rules = world
    events.event_action_complete(action=action, by=scenario.people["team_manager"])
    _send(action.due_on + datetime.timedelta(days=rules.escalation_days + 1))
    assert _told() == []
