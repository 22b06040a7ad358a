"""A Performance Exceptions return from opening to review, by keyboard alone, with axe on
every page.

On 4 January 2027 (the first working day of the year: 1 January a bank holiday, then a
weekend) the job opens December's returns. team.manager finds theirs from the header's
Board group, sends it first with nothing written (the error summary lists every section),
saves one section to come back later, then writes the rest and submits it to their
service manager. service.manager opens it, adds commentary and marks it reviewed, then
writes their summary of the service's returns side by side.

The clock is moved with time-machine (the live server runs in this process).
"""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from governance import services
from governance.models import ExceptionsReturn, ServiceSummary
from tests.browser.conftest import assert_accessible, login
from tests.browser.demo import build_demo
from tests.browser.keyboard import heading, link, success
from tests.browser.observation_steps import control, go, sign_out, type_into

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2027, 1, 4, 10, 0, tzinfo=LONDON)
TEAM = "Kestrelford looked after 1"
ANSWERS = {
    "id_worried_about": "Two assessments went past 45 days.",
    "id_most_proud_of": "The life story work with a sibling group.",
    "id_actions": "Weekly tracking of assessments nearing 35 days.",
    "id_practitioners_feeling": "Tired but positive; reflective time protected.",
}


def _team_manager_submits(page: Page, axe) -> None:
    go(page, link("Board"))
    go(page, link("Exceptions returns"))
    heading(page).to_have_text("Performance exceptions returns")
    assert_accessible(page, axe)
    go(page, link(TEAM))
    heading(page).to_have_text(TEAM)
    expect(page.locator("#data-exceptions")).to_be_visible()
    assert_accessible(page, axe)

    go(page, control("Submit to your service manager"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("What's working well?")
    expect(summary).to_contain_text("What are you worried about?")
    assert_accessible(page, axe)

    type_into(page, "id_working_well", "Visits on time for every child.")
    go(page, control("Save and come back later"))
    success(page, "you can come back to it later")
    assert_accessible(page, axe)

    for element_id, text in ANSWERS.items():
        type_into(page, element_id, text)
    go(page, control("Submit to your service manager"))
    success(page, "submitted to your service manager")
    expect(page.locator("#narrative-answers")).to_contain_text("Visits on time for every child.")
    assert_accessible(page, axe)


def _service_manager_reviews(page: Page, axe) -> None:
    go(page, link("Board"))
    go(page, link("Exceptions returns"))
    go(page, link(TEAM))
    heading(page).to_have_text(TEAM)
    type_into(page, "id_commentary", "Caseloads to the Performance and Outcomes meeting.")
    go(page, control("Save and mark reviewed"))
    success(page, "marked reviewed")
    expect(page.locator("#commentary-text")).to_contain_text("Caseloads")
    assert_accessible(page, axe)

    go(page, link("All returns"))
    go(page, link("Your service's returns side by side"))
    expect(page.locator("#side-by-side")).to_contain_text(TEAM)
    assert_accessible(page, axe)
    type_into(page, "id_commentary", "Both teams on track; caseloads the one worry.")
    go(page, control("Save the summary"))
    success(page, "Your summary is saved")
    assert_accessible(page, axe)


def test_a_team_manager_submits_a_return_and_the_service_manager_reviews_it(
    live_server, page: Page, axe
):
    with time_machine.travel(NOW, tick=True):
        demo = build_demo()
        assert services.exceptions_returns_create(day=NOW.date())["created"] >= 2
        login(page, live_server, "team.manager")
        _team_manager_submits(page, axe)
        sign_out(page)
        login(page, live_server, "service.manager")
        _service_manager_reviews(page, axe)
    ret = ExceptionsReturn.objects.get(team__name=TEAM)
    assert ret.status == ExceptionsReturn.Status.REVIEWED
    assert ret.month == datetime.date(2026, 12, 1)
    assert ret.submitted_by == demo.people["team.manager"]
    assert ret.reviewed_by == demo.people["service.manager"]
    assert ServiceSummary.objects.get().commentary.startswith("Both teams on track")
