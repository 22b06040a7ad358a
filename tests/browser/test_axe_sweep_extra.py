"""An axe sweep, with the keyboard, over pages no other browser test scans: the closed
360-degree supervision feedback questionnaire, "My actions", the managers' observation
coverage, and the observation moderation form (empty, then with its errors)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from audits.services import feedback as supervision_feedback
from observations import services as observations
from observations.models import Observation, ObservationAction
from tests.browser.conftest import assert_accessible, login
from tests.browser.demo import Demo
from tests.browser.keyboard import heading, link
from tests.browser.observation_steps import control, go
from tests.factories import StaffMemberFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

RECORD = {
    "went_well": "Clear and warm with the family.",
    "even_better_if": "The child had been seen alone.",
    "impact_on_child": "The child knows who to call.",
    "grade": "good",
    "family_view": "",
}


def _closed_round(demo: Demo) -> int:
    """A feedback round on team.manager's supervision of the practitioner, now closed."""
    manager, practitioner = demo.people["team.manager"], demo.people["practitioner"]
    practitioner.line_manager = manager
    practitioner.save(update_fields=["line_manager"])
    # Asked only of five or more supervisees.
    for n in range(4):
        StaffMemberFactory(team=demo.teams["lac1"], line_manager=manager, user__username=f"s{n}")
    feedback = supervision_feedback.feedback_round_open(
        manager=manager,
        by=demo.people["qa.manager"],
        closes_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    type(feedback).objects.filter(pk=feedback.pk).update(
        closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    return feedback.pk


def _submitted_observation(demo: Demo) -> Observation:
    """team.manager's observation of the practitioner, submitted, with an action for the
    practitioner."""
    observation = observations.observation_create(
        observer=demo.people["team.manager"],
        due_on=timezone.localdate() + datetime.timedelta(days=10),
        practitioner=demo.people["practitioner"],
        setting="home_visit",
        observed_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    observations.observation_save(
        observation=observation, by=observation.observer, base_revision=0, values=RECORD
    )
    observation.refresh_from_db()
    ObservationAction.objects.create(
        observation=observation,
        organisation=observation.organisation,
        description="Plan direct work with the child",
        owner=demo.people["practitioner"],
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    return observations.observation_submit(observation=observation, by=observation.observer)


def test_the_pages_left_unscanned_are_accessible(live_server, page: Page, demo_people: Demo, axe):
    round_pk = _closed_round(demo_people)
    observation = _submitted_observation(demo_people)

    # The practitioner follows the questionnaire's link after it closed, then their actions.
    login(page, live_server, "practitioner")
    page.goto(f"{live_server.url}/audits/supervision-feedback/{round_pk}/answer/")
    heading(page).to_have_text("This questionnaire has closed")
    expect(page.locator("main")).to_contain_text("Tom Holroyd")
    assert_accessible(page, axe)
    go(page, link("Go to your home page"))
    assert_accessible(page, axe)
    page.goto(f"{live_server.url}/actions/")
    heading(page).to_contain_text("actions")
    expect(page.locator("main")).to_contain_text("Plan direct work with the child")
    assert_accessible(page, axe)

    # QA: their actions, the managers' coverage, and moderation.
    login(page, live_server, "qa.manager")
    page.goto(f"{live_server.url}/actions/")
    heading(page).to_contain_text("actions")
    assert_accessible(page, axe)
    page.goto(f"{live_server.url}/observations/coverage/managers/")
    expect(page.locator("main")).to_contain_text("Tom Holroyd")
    assert_accessible(page, axe)
    page.goto(f"{live_server.url}/observations/{observation.pk}/moderate/")
    heading(page).to_have_text("Moderate this observation")
    assert_accessible(page, axe)
    go(page, control("Record moderation"))
    errors = page.locator(".govuk-error-summary")
    expect(errors).to_contain_text("Select yes if you agree with the grade")
    expect(errors).to_contain_text("Enter your feedback to the observer")
    assert_accessible(page, axe)
