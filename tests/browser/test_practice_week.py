"""A practice week from planning to the summary, with the keyboard alone and axe on every
page.

qa.manager plans a practice week covering team.manager's team with senior.leader taking
part, and assigns senior.leader a visit to the team. senior.leader finds the week under
Observations, records the notes of the visit's guided conversations, a worry with its
theme and an action for team.manager. The summary page shows the visit recorded, the
finding under its theme and the action with its owner and due date.

The week runs from today for five days, the visit is today and the action is due in a
month: every date is counted from today, so the forms' checks (a visit during the event,
an action not due in the past) hold on any day.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from observations.models import PracticeEvent, PracticeEventAction, PracticeFinding
from tests.browser.conftest import assert_accessible, login
from tests.browser.demo import Demo
from tests.browser.keyboard import (
    choose_option,
    choose_radio,
    heading,
    link,
    success,
    tab_to,
)
from tests.browser.observation_steps import control, go, sign_out, type_date, type_into

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

TITLE = "Winter practice week"
TEAM = "Kestrelford looked after 1"
NOTES = "Met the team and three practitioners; children's voices come through clearly."
WORRY = "Supervision decisions are not always recorded on the child's file."
ACTION = "Add a recording prompt to the supervision template."


def tick(page: Page, name: str, value: str) -> None:
    """Tab to one checkbox of a group and tick it with Space."""
    tab_to(page, lambda f: f["name"] == name and f["value"] == value)
    page.keyboard.press("Space")
    expect(page.locator(f"input[name={name}][value='{value}']")).to_be_checked()


def _qa_plans(page: Page, axe, demo: Demo) -> None:
    today = timezone.localdate()
    go(page, link("Observations"))
    go(page, link("Practice days and weeks"))
    heading(page).to_have_text("Practice days and weeks")
    assert_accessible(page, axe)
    go(page, link("Plan a practice day or week"))
    heading(page).to_have_text("Plan a practice day or week")
    assert_accessible(page, axe)
    choose_radio(page, "kind", "practice_week")
    type_into(page, "id_title", TITLE)
    type_date(page, "id_starts_on", today)
    type_date(page, "id_ends_on", today + datetime.timedelta(days=4))
    type_into(page, "id_purpose", "Senior leaders visit the looked after teams.")
    tick(page, "teams", str(demo.teams["lac1"].pk))
    tick(page, "leaders", str(demo.people["senior.leader"].pk))
    go(page, control("Plan the event"))
    success(page, f"{TITLE} planned")
    heading(page).to_have_text(TITLE)
    assert_accessible(page, axe)

    go(page, link("Assign a visit"))
    heading(page).to_have_text("Assign a visit")
    assert_accessible(page, axe)
    choose_option(page, "id_leader", str(demo.people["senior.leader"].pk))
    choose_option(page, "id_team", str(demo.teams["lac1"].pk))
    type_date(page, "id_visit_on", today)
    go(page, control("Assign the visit"))
    success(page, "Visit assigned")
    expect(page.locator("#visits + table")).to_contain_text("Not yet")
    assert_accessible(page, axe)


def _leader_records(page: Page, axe, demo: Demo) -> None:
    go(page, link("Observations"))
    go(page, link("Practice days and weeks"))
    go(page, link(TITLE))
    heading(page).to_have_text(TITLE)
    assert_accessible(page, axe)

    go(page, link(f"Visit to {TEAM}"))
    heading(page).to_have_text(f"Visit to {TEAM}")
    assert_accessible(page, axe)
    type_into(page, "id_notes", NOTES)
    go(page, control("Save the notes"))
    success(page, "Visit notes saved")
    assert_accessible(page, axe)

    go(page, link("Record a finding"))
    heading(page).to_have_text("Record a finding")
    assert_accessible(page, axe)
    choose_radio(page, "kind", "worry")
    choose_radio(page, "theme", "oversight")
    type_into(page, "id_text", WORRY)
    go(page, control("Record the finding"))
    success(page, "Finding recorded")
    assert_accessible(page, axe)

    go(page, link("Add an action"))
    heading(page).to_have_text("Add an action")
    assert_accessible(page, axe)
    type_into(page, "id_description", ACTION)
    choose_option(page, "id_owner", str(demo.people["team.manager"].pk))
    type_date(page, "id_due_on", timezone.localdate() + datetime.timedelta(days=30))
    go(page, control("Add the action"))
    success(page, "Action added")
    assert_accessible(page, axe)


def _summary_shows_it_all(page: Page) -> None:
    due = timezone.localdate() + datetime.timedelta(days=30)
    main = page.locator("main")
    expect(main).to_contain_text(f"{TEAM}")
    expect(page.locator("#visits + table tbody tr")).to_contain_text("Recorded")
    expect(main).to_contain_text(WORRY)
    theme = page.locator("#themes tbody tr")
    expect(theme).to_have_count(1)
    expect(theme.locator("th")).to_have_text("Management oversight and supervision")
    expect(theme.locator("td")).to_have_text(["0", "1"])
    action = page.locator("#actions + table tbody tr")
    expect(action).to_contain_text(ACTION)
    expect(action).to_contain_text("Tom Holroyd")
    expect(action).to_contain_text(f"{due.day} {due:%b %Y}")


def test_qa_plans_a_practice_week_and_a_leader_records_its_findings(
    live_server, page: Page, demo_people: Demo, axe
):
    login(page, live_server, "qa.manager")
    _qa_plans(page, axe, demo_people)
    sign_out(page)

    login(page, live_server, "senior.leader")
    _leader_records(page, axe, demo_people)
    _summary_shows_it_all(page)
    sign_out(page)

    event = PracticeEvent.objects.get(title=TITLE)
    assert event.visits.get().notes == NOTES
    assert event.findings.get().kind == PracticeFinding.Kind.WORRY
    assert event.actions.get().status == PracticeEventAction.Status.OPEN
