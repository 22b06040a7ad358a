"""The rota's practice observation slots: opening the month makes each an observation for
its manager, once; submitting the observation fulfils the slot. Reminders and escalations
of overdue observations and their actions go through the shared nightly job."""

from __future__ import annotations

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cases.models import Notification
from observations import services
from observations.models import Observation
from rota.models import Activity, Rota, RotaSlot
from rota.reminders import reminders_send
from rota.selectors import SlotState, state_annotation
from rota.services import month_open
from tests.factories import ObservationActionFactory, ObservationFactory

pytestmark = pytest.mark.django_db

# Opened explicitly, so the test holds in paused months (August, December) too.
MONTH = datetime.date(2026, 3, 1)


@pytest.fixture
def slot(scenario) -> RotaSlot:
    manager = scenario.people["team_manager"]
    rota = Rota.objects.create(
        organisation=manager.organisation,
        starts_on=MONTH - relativedelta(years=5),
        ends_on=MONTH - relativedelta(years=5) + relativedelta(months=11),
    )
    return RotaSlot.objects.create(
        rota=rota,
        organisation=manager.organisation,
        manager=manager,
        month=MONTH,
        activity=Activity.PRACTICE_OBSERVATION,
    )


def _state(slot: RotaSlot) -> str:
    return (
        RotaSlot.objects.annotate(state=state_annotation(timezone.localdate()))
        .get(pk=slot.pk)
        .state
    )


def test_opening_the_month_gives_the_manager_an_observation(scenario, slot):
    [opened] = month_open(month=MONTH)
    slot.refresh_from_db()
    observation = slot.observation
    assert opened.observation == observation
    assert observation.observer == scenario.people["team_manager"]
    assert observation.status == Observation.Status.DRAFT
    assert observation.practitioner is None
    assert observation.due_on.month == MONTH.month
    message = Notification.objects.get(recipient=scenario.people["team_manager"])
    assert message.url == observation.get_absolute_url()


def test_opening_the_month_twice_creates_nothing_more(slot):
    month_open(month=MONTH)
    before = Observation.objects.count()
    assert month_open(month=MONTH) == []
    assert Observation.objects.count() == before


def test_submitting_the_observation_fulfils_the_slot(scenario, slot):
    month_open(month=MONTH)
    slot.refresh_from_db()
    observation = slot.observation
    manager = scenario.people["team_manager"]
    assert _state(slot) != SlotState.DONE
    services.observation_details_save(
        observation=observation,
        by=manager,
        practitioner=scenario.people["practitioner"],
        setting="home_visit",
        observed_on=MONTH,
        case=None,
    )
    services.observation_save(
        observation=observation,
        by=manager,
        base_revision=0,
        values={
            "went_well": "Warm.",
            "even_better_if": "Seen alone.",
            "impact_on_child": "Safer.",
            "grade": "good",
        },
    )
    services.observation_submit(observation=observation, by=manager)
    assert _state(slot) == SlotState.DONE


def test_overdue_observations_and_actions_are_reminded_and_escalated(scenario):
    manager = scenario.people["team_manager"]
    manager.line_manager = scenario.people["service_manager"]
    manager.save()
    long_ago = timezone.localdate() - datetime.timedelta(days=60)
    observation = ObservationFactory(
        observer=manager, practitioner=scenario.people["colleague"], due_on=long_ago
    )
    ObservationActionFactory(observation=observation, due_on=long_ago)
    counts = reminders_send(day=timezone.localdate())
    keys = set(Notification.objects.values_list("key", flat=True))
    assert f"observation:{observation.pk}:escalation" in keys
    assert any(key.startswith(f"observation:{observation.pk}:reminder:") for key in keys)
    assert any(key.startswith("observation-action:") for key in keys)
    # A second run the same night sends nothing more.
    again = reminders_send(day=timezone.localdate())
    assert again == {"reminders": 0, "escalations": 0}
    assert counts["escalations"] >= 1
