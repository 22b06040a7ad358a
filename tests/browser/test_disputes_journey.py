"""A challenge by an independent chair, from the child's record to the manager's
response, with the keyboard alone and axe on every page.

An independent reviewing officer opens a looked-after child's record (by its address, as
from a link in their review papers), raises an informal challenge about the care plan,
and sees it with its stage. team.manager, whose team holds the case, finds it under
Feedback, responds and agrees an action for the practitioner, and reads the figures.

Only page.keyboard moves and acts (Tab, Shift+Tab, Enter, Space, arrows, typing); login()
signs in through the form.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from feedback.models import Challenge
from tests.browser.conftest import assert_accessible, login
from tests.browser.demo import Demo
from tests.browser.keyboard import choose_option, heading, link, success, tab_to
from tests.browser.observation_steps import control, go, sign_out, type_date, type_into
from tests.factories import IndependentChairFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def _chair_raises(page: Page, live_server, axe, demo: Demo) -> Challenge:
    case = demo.in_team("lac1")[0]
    page.goto(f"{live_server.url}{reverse('cases:child_detail', args=[case.child_id])}")
    assert_accessible(page, axe)
    go(page, link("Raise a challenge"))
    heading(page).to_have_text("Raise a challenge")
    assert_accessible(page, axe)

    # Submitting empty shows GOV.UK errors, which are accessible too.
    go(page, control("Raise the challenge"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what the challenge")
    assert_accessible(page, axe)

    tab_to(page, lambda f: f["name"] == "themes" and f["value"] == "care_plan")
    page.keyboard.press("Space")
    type_into(page, "id_description", "The care plan has not been updated since the move.")
    go(page, control("Raise the challenge"))
    success(page, "Challenge raised")
    heading(page).to_contain_text("Challenge about")
    expect(page.locator("#stage-informal")).to_contain_text("Tom Holroyd")
    assert_accessible(page, axe)
    return Challenge.objects.get()


def _manager_responds(page: Page, axe, demo: Demo) -> None:
    go(page, link("Feedback"))
    go(page, link("Challenges"))
    heading(page).to_have_text("Challenges by independent chairs")
    assert_accessible(page, axe)
    go(page, link(demo.in_team("lac1")[0].child.given_name))
    go(page, link("Respond to the challenge"))
    heading(page).to_have_text("Respond to the challenge")
    assert_accessible(page, axe)
    type_into(page, "id_response", "Agreed: the plan will be reviewed with the child this month.")
    type_into(page, "id_action_description", "Update the care plan with the child")
    choose_option(page, "id_action_owner", str(demo.people["practitioner"].pk))
    type_date(page, "id_action_due_on", timezone.localdate() + datetime.timedelta(days=14))
    go(page, control("Send the response"))
    success(page, "Response sent")
    expect(page.locator("#actions + table")).to_contain_text("Update the care plan")
    assert_accessible(page, axe)

    go(page, link("Challenges"))
    go(page, link("Challenge figures"))
    heading(page).to_have_text("Challenge figures")
    assert_accessible(page, axe)


def test_a_chair_raises_a_challenge_and_the_manager_responds(
    live_server, page: Page, demo_people: Demo, axe
):
    IndependentChairFactory(
        user__username="iro",
        user__first_name="Iris",
        user__last_name="Rowe",
        team=None,
        service=None,
        organisation=demo_people.council,
    )
    login(page, live_server, "iro")
    challenge = _chair_raises(page, live_server, axe, demo_people)
    sign_out(page)

    login(page, live_server, "team.manager")
    _manager_responds(page, axe, demo_people)
    assert challenge.stages.get().response.startswith("Agreed")
    assert challenge.actions.get().owner == demo_people.people["practitioner"]
