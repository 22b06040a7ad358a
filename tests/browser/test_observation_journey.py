"""A practice observation from the rota to the QA service, with the keyboard alone and
axe on every page.

The rota gives team.manager a practice observation this month. They open it from their
home page, record whom they observed (practitioner, at a home visit, about one of
practitioner's cases), where and when, then what they saw and a grade, and ask for
practitioner's reflection. practitioner signs in, finds the observation waiting on their
home page and writes their reflection. team.manager signs in again and submits the
observation, which fulfils the rota slot.

Only page.keyboard moves and acts (Tab, Shift+Tab, Enter, Space, arrows, typing); login()
signs in through the form.
"""

from __future__ import annotations

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import Page, expect

from observations.models import Observation
from rota.models import Activity, Rota, RotaSlot
from rota.selectors import SlotState, state_annotation
from rota.services import month_open
from tests.browser.conftest import assert_accessible, login
from tests.browser.demo import Demo
from tests.browser.keyboard import choose_option, choose_radio, heading, link, success
from tests.browser.observation_steps import control, go, sign_out, type_into

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def _rota_gives_an_observation(demo: Demo) -> RotaSlot:
    manager = demo.people["team.manager"]
    month = timezone.localdate().replace(day=1)
    rota = Rota.objects.create(
        organisation=demo.council,
        starts_on=month,
        ends_on=month + relativedelta(months=11),
        created_by=demo.people["qa.manager"],
    )
    slot = RotaSlot.objects.create(
        rota=rota,
        organisation=demo.council,
        manager=manager,
        month=month,
        activity=Activity.PRACTICE_OBSERVATION,
    )
    month_open(month=month)
    slot.refresh_from_db()
    assert slot.observation is not None
    return slot


def _manager_records(page: Page, axe, demo: Demo, observation: Observation) -> None:
    practitioner = demo.people["practitioner"]
    case = next(c for c in demo.cases if c.allocated_worker_id == practitioner.pk)
    today = timezone.localdate()
    go(page, link(f"Practice observation for {observation.due_on:%B %Y}"))
    heading(page).to_contain_text("Practice observation due")
    assert_accessible(page, axe)

    go(page, link("Record whom, where and when"))
    heading(page).to_have_text("Whom, where and when")
    assert_accessible(page, axe)
    choose_option(page, "id_practitioner", str(practitioner.pk))
    choose_radio(page, "setting", "home_visit")
    type_into(page, "id_observed_on_0", str(today.day))
    type_into(page, "id_observed_on_1", str(today.month))
    type_into(page, "id_observed_on_2", str(today.year))
    type_into(page, "id_case_reference", case.subject.reference)
    go(page, control("Save the details"))
    success(page, "Details saved")
    heading(page).to_have_text(f"Observation of {practitioner.display_name}")
    assert_accessible(page, axe)

    go(page, link("Record what you observed"))
    heading(page).to_have_text("What you observed")
    assert_accessible(page, axe)
    type_into(page, "id_went_well", "Sam let the child lead and used her own words in the plan.")
    type_into(page, "id_even_better_if", "Even better if the school's view had been sought.")
    type_into(page, "id_impact_on_child", "She knows who to call and what happens next.")
    choose_radio(page, "grade", "good")
    type_into(page, "id_family_view", "Her grandmother said she felt listened to.")
    go(page, control("Save and return to the observation"))
    success(page, "Observation saved")
    assert_accessible(page, axe)

    go(page, control(f"Ask {practitioner.display_name} for their reflection"))
    success(page, "has been asked for their reflection")
    assert_accessible(page, axe)


def _practitioner_reflects(page: Page, axe) -> None:
    go(page, link("1 observation of your practice waiting for your reflection"))
    heading(page).to_have_text("Practice observations")
    assert_accessible(page, axe)
    go(page, link("Sam Okafor"))
    go(page, link("Add your reflection"))
    heading(page).to_have_text("Your reflection")
    assert_accessible(page, axe)
    type_into(page, "id_reflection", "I will seek the school's view before the next review.")
    go(page, control("Save your reflection"))
    success(page, "Your reflection has been saved")
    assert_accessible(page, axe)


def test_a_manager_records_the_rotas_observation_and_the_practitioner_reflects(
    live_server, page: Page, demo_people: Demo, axe
):
    slot = _rota_gives_an_observation(demo_people)
    observation = slot.observation

    login(page, live_server, "team.manager")
    expect(page.locator("main")).to_contain_text("1 observation to complete")
    assert_accessible(page, axe)
    _manager_records(page, axe, demo_people, observation)
    sign_out(page)

    login(page, live_server, "practitioner")
    _practitioner_reflects(page, axe)
    sign_out(page)

    login(page, live_server, "team.manager")
    go(page, link("Observations"))
    heading(page).to_have_text("Practice observations")
    assert_accessible(page, axe)
    go(page, link("Sam Okafor"))
    expect(page.locator("#reflection + .govuk-inset-text")).to_contain_text("school's view")
    go(page, link("Check and submit the observation"))
    heading(page).to_have_text("Check and submit the observation")
    assert_accessible(page, axe)
    go(page, control("Submit the observation"))
    success(page, "Observation submitted to the QA service")
    assert_accessible(page, axe)

    observation.refresh_from_db()
    assert observation.status == Observation.Status.SUBMITTED
    assert observation.reflection.startswith("I will seek")
    assert observation.family_view
    state = (
        RotaSlot.objects.annotate(state=state_annotation(timezone.localdate()))
        .get(pk=slot.pk)
        .state
    )
    assert state == SlotState.DONE
