"""A complaint through stages 1 and 2 over Christmas and the new year, with the keyboard
alone and axe on every page.

On Friday 18 December 2026 qa.manager (customer care) records a parent's complaint about
a child's case, with two points. Stage 1 is due on 6 January 2027: ten working days that
skip Christmas Day, Boxing Day's substitute (Monday 28 December) and New Year's Day. On
5 January 2027 they record the stage 1 response with an outcome for each point. On
8 January the parent asks for stage 2: due 25 working days later, on 12 February. An
extension past 65 working days is refused with the latest date; one within it is kept.

The clock is moved with time-machine (the live server runs in this process); the
session lasts a working day, so each new day starts with signing in again.
"""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from feedback.models.complaints import Complaint
from tests.browser.conftest import assert_accessible, login
from tests.browser.demo import Demo
from tests.browser.keyboard import choose_radio, heading, link, replace_text, success
from tests.browser.observation_steps import control, go, type_date, type_into

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

LONDON = zoneinfo.ZoneInfo("Europe/London")


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=LONDON)


def _open_the_complaint(page: Page, axe, reference: str) -> None:
    go(page, link("Feedback"))
    go(page, link("Complaints"))
    heading(page).to_have_text("Complaints")
    assert_accessible(page, axe)
    go(page, link(reference))
    heading(page).to_have_text(f"Complaint {reference}")
    assert_accessible(page, axe)


def _record(page: Page, axe, demo: Demo, received: datetime.date) -> Complaint:
    case = next(c for c in demo.cases if c.organisation_id == demo.council.pk and c.child_id)
    go(page, link("Feedback"))
    go(page, link("Complaints"))
    heading(page).to_have_text("Complaints")
    assert_accessible(page, axe)
    go(page, link("Record a complaint"))
    heading(page).to_have_text("Record a complaint")
    assert_accessible(page, axe)

    # Nothing filled in: clear messages, and nothing recorded.
    go(page, control("Record the complaint"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter at least one point")
    assert_accessible(page, axe)
    assert not Complaint.objects.exists()

    type_date(page, "id_received_on", received)
    choose_radio(page, "complainant_type", "parent")
    type_into(page, "id_case_reference", case.subject.reference)
    type_into(page, "id_summary", "Nobody called me back and the report was wrong.")
    type_into(page, "id_points", "Calls were not returned.")
    page.keyboard.press("Enter")
    page.keyboard.type("The report had mistakes in it.")
    go(page, control("Record the complaint"))
    success(page, "recorded")
    complaint = Complaint.objects.get()
    heading(page).to_have_text(f"Complaint {complaint.reference}")
    assert_accessible(page, axe)
    return complaint


def _respond(page: Page, axe, complaint: Complaint, day: datetime.date) -> None:
    go(page, link("Record the stage 1 response"))
    heading(page).to_have_text("Record the stage 1 response")
    assert_accessible(page, axe)
    first, second = complaint.points.order_by("number")
    type_date(page, "id_responded_on", day)
    type_into(page, "id_response", "Apology given; a named contact agreed.")
    choose_radio(page, f"point_{first.pk}", "upheld")
    choose_radio(page, f"point_{second.pk}", "not_upheld")
    go(page, control("Record the response"))
    success(page, "Stage 1 response recorded")
    assert_accessible(page, axe)
    expect(page.locator("#points")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Responded in time")


def _escalate_and_extend(page: Page, axe, day: datetime.date) -> None:
    go(page, link("Escalate to stage 2"))
    heading(page).to_have_text("Escalate to stage 2: investigation")
    assert_accessible(page, axe)
    type_date(page, "id_requested_on", day)
    go(page, control("Escalate the complaint"))
    success(page, "Complaint escalated to stage 2")
    assert_accessible(page, axe)
    # 25 working days from Friday 8 January 2027.
    expect(page.locator("#stage-2 [data-due]")).to_have_attribute("data-due", "2027-02-12")
    expect(page.locator("#stage-2")).to_contain_text("12 February 2027")

    go(page, link("Extend stage 2"))
    heading(page).to_have_text("Extend stage 2")
    expect(page.locator("main")).to_contain_text("13 April 2027")
    assert_accessible(page, axe)
    type_date(page, "id_extended_due_on", datetime.date(2027, 4, 14))
    type_into(page, "id_reason", "The independent person is not free until March.")
    go(page, control("Extend the stage"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("on or before 13 April 2027")
    assert_accessible(page, axe)
    kept = datetime.date(2027, 3, 12)
    for suffix, value in (("0", kept.day), ("1", kept.month), ("2", kept.year)):
        replace_text(page, f"id_extended_due_on_{suffix}", str(value))
    go(page, control("Extend the stage"))
    success(page, "Stage 2 extended")
    expect(page.locator("#stage-2 [data-extended]")).to_have_attribute(
        "data-extended", "2027-03-12"
    )
    assert_accessible(page, axe)


def test_a_complaint_through_stages_1_and_2_across_christmas_and_the_new_year(
    live_server, page: Page, demo_people: Demo, axe
):
    received = datetime.date(2026, 12, 18)
    with time_machine.travel(_at(received), tick=True) as clock:
        login(page, live_server, "qa.manager")
        complaint = _record(page, axe, demo_people, received)
        stage = complaint.stages.get()
        assert stage.due_on == datetime.date(2027, 1, 6)
        expect(page.locator("#stage-1 [data-due]")).to_have_attribute("data-due", "2027-01-06")
        expect(page.locator("#stage-1")).to_contain_text("6 January 2027")
        expect(page.locator("#stage-1")).to_contain_text("10 working days left")

        responded = datetime.date(2027, 1, 5)
        clock.move_to(_at(responded))
        login(page, live_server, "qa.manager")
        _open_the_complaint(page, axe, complaint.reference)
        # 5 January: 29, 30, 31 December and 4, 5 January gone; 6 January left.
        expect(page.locator("#stage-1")).to_contain_text("1 working day left")
        _respond(page, axe, complaint, responded)

        asked = datetime.date(2027, 1, 8)
        clock.move_to(_at(asked))
        login(page, live_server, "qa.manager")
        _open_the_complaint(page, axe, complaint.reference)
        _escalate_and_extend(page, axe, asked)

    complaint.refresh_from_db()
    assert complaint.current_stage == 2
    stage_two = complaint.stages.get(stage=2)
    assert (stage_two.started_on, stage_two.due_on) == (asked, datetime.date(2027, 2, 12))
    assert stage_two.extended_due_on == datetime.date(2027, 3, 12)
    outcomes = {o.point.number: o.outcome for o in complaint.stages.get(stage=1).outcomes.all()}
    assert outcomes == {1: "upheld", 2: "not_upheld"}
