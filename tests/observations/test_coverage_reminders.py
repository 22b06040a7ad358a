"""Coverage reminders and escalations through the shared nightly job: a practitioner not
observed in six months -> their line manager; a manager behind on their monthly
observation -> the manager, then their own line manager. One notification per key."""

from __future__ import annotations

import datetime

import pytest

from cases.models import Notification
from observations import reminders
from rota.reminders import reminders_send
from tests.observations.test_figures import DAY, world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

COVERAGE = (
    reminders.coverage_practitioner_reminders,
    reminders.coverage_manager_reminders,
    reminders.coverage_manager_escalations,
)


def _sent(world, day=DAY):  # noqa: F811
    world.mB.line_manager = world.sm1
    world.mB.save()
    return reminders_send(day=day, sources=COVERAGE)


def test_line_managers_are_reminded_of_practitioners_not_observed(world):  # noqa: F811
    _sent(world)
    told = Notification.objects.filter(key__startswith="coverage:practitioner:")
    assert sorted((n.recipient_id, n.key) for n in told) == sorted(
        [
            (world.mA.pk, f"coverage:practitioner:{world.a[1].pk}:2026-03"),
            (world.mA.pk, f"coverage:practitioner:{world.a[3].pk}:2026-03"),
            (world.mB.pk, f"coverage:practitioner:{world.b[1].pk}:2026-03"),
        ]
    )


def test_managers_behind_are_reminded_and_escalated_to_their_line_manager(world):  # noqa: F811
    _sent(world)
    mine = Notification.objects.filter(
        key__startswith="coverage:manager:", recipient__organisation=world.org
    )
    reminded = {n.recipient_id for n in mine.filter(kind=Notification.Kind.REMINDER)}
    escalated = [(n.recipient_id, n.key) for n in mine.filter(kind=Notification.Kind.ESCALATION)]
    assert reminded == {world.mB.pk, world.mC.pk}
    assert escalated == [(world.sm1.pk, f"coverage:manager:{world.mB.pk}:escalation:2026-03")]


def test_a_second_run_sends_nothing_more(world):  # noqa: F811
    first = _sent(world)
    assert first == {"reminders": 6, "escalations": 1}
    assert _sent(world) == {"reminders": 0, "escalations": 0}


def test_no_escalation_until_last_month_is_escalation_days_over(world):  # noqa: F811
    counts = _sent(world, datetime.date(2026, 3, 14))
    assert counts["escalations"] == 0
