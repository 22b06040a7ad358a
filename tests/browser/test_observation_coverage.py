"""Coverage changes when an observation is submitted, with the keyboard alone and axe on
every page.

qa.manager opens the coverage page: nobody in team.manager's team (Kestrelford looked
after 1: practitioner and colleague) has been observed, and the drill-down lists both.
team.manager records a new observation of practitioner and submits it. qa.manager
reloads the coverage page: one of the two is now observed, and the drill-down lists only
colleague. No date is pinned: the observation is made today and coverage counts from
today, so any day works.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from observations.models import Observation
from tests.browser.conftest import assert_accessible, login
from tests.browser.demo import Demo
from tests.browser.keyboard import choose_option, choose_radio, heading, link, success
from tests.browser.observation_steps import control, go, sign_out, type_date, type_into

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

TEAM = "Kestrelford looked after 1"


def _not_observed(count: int) -> str:
    return f"{count} not observed in {TEAM}"


def _qa_checks_coverage(page: Page, axe, count: int, names: list[str]) -> None:
    """From the home page: Observations, Coverage, then the team's not-observed figure."""
    go(page, link("Observations"))
    heading(page).to_have_text("Practice observations")
    go(page, link("Coverage"))
    heading(page).to_have_text("Observation coverage and figures")
    assert_accessible(page, axe)
    figure = page.get_by_role("link", name=_not_observed(count), exact=True)
    expect(figure).to_be_visible()
    go(page, lambda f: f["tag"] == "a" and f["text"] == _not_observed(count))
    heading(page).to_have_text("Practitioners not observed in the last six months")
    assert_accessible(page, axe)
    expect(page.locator("#people-count")).to_have_text(f"{count} practitioner{'s' * (count != 1)}")
    rows = page.locator("main tbody tr td:first-child")
    expect(rows).to_have_count(len(names))
    for name in names:
        expect(page.locator("main tbody")).to_contain_text(name)


def _manager_records_and_submits(page: Page, axe, demo: Demo) -> None:
    practitioner = demo.people["practitioner"]
    go(page, link("Observations"))
    heading(page).to_have_text("Practice observations")
    go(page, link("Record a new observation"))
    heading(page).to_have_text("Record a new observation")
    assert_accessible(page, axe)
    choose_option(page, "id_practitioner", str(practitioner.pk))
    choose_radio(page, "setting", "group_work")
    type_date(page, "id_observed_on", timezone.localdate())
    go(page, control("Continue"))
    success(page, "Observation started")
    heading(page).to_have_text("What you observed")
    assert_accessible(page, axe)
    type_into(page, "id_went_well", "Sam kept the group on task and drew out the quiet ones.")
    type_into(page, "id_even_better_if", "Even better if the session had a written plan.")
    type_into(page, "id_impact_on_child", "The young people asked to come back next week.")
    choose_radio(page, "grade", "good")
    go(page, control("Save and return to the observation"))
    success(page, "Observation saved")
    assert_accessible(page, axe)
    go(page, link("Check and submit the observation"))
    heading(page).to_have_text("Check and submit the observation")
    assert_accessible(page, axe)
    go(page, control("Submit the observation"))
    success(page, "Observation submitted to the QA service")
    assert_accessible(page, axe)


def test_qa_sees_coverage_change_when_a_manager_submits_an_observation(
    live_server, page: Page, demo_people: Demo, axe
):
    login(page, live_server, "qa.manager")
    _qa_checks_coverage(page, axe, 2, ["Sam Okafor", "Cal Ramsden"])
    sign_out(page)

    login(page, live_server, "team.manager")
    _manager_records_and_submits(page, axe, demo_people)
    sign_out(page)

    login(page, live_server, "qa.manager")
    _qa_checks_coverage(page, axe, 1, ["Cal Ramsden"])
    expect(page.locator("main tbody")).not_to_contain_text("Sam Okafor")

    observation = Observation.objects.get(practitioner=demo_people.people["practitioner"])
    assert observation.status == Observation.Status.SUBMITTED
