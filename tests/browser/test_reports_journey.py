"""A quarterly report from generating to a board member reading it, by keyboard alone,
with axe on every page.

On 4 January 2027 qa.manager opens Reports from the header's Board group, generates the
latest Quality of Practice report (October to December 2026), writes the narrative of its
first section and publishes it to the Quality Improvement Board. team.manager, a member
of that board, finds it under Reports and reads it with the narrative.

The live server runs in this process, so the worker's task (the real quarterly builder,
over the demo's records) runs eagerly when the request commits.
"""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from governance.models import Board, Report, ReportNarrative
from tests.browser.conftest import assert_accessible, login
from tests.browser.demo import build_demo
from tests.browser.keyboard import choose_radio, heading, link, success, summary, tab_to
from tests.browser.observation_steps import control, go, sign_out, type_into

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2027, 1, 4, 10, 0, tzinfo=LONDON)
TITLE = "Quality of Practice report: October to December 2026"
NARRATIVE = "Audit activity held up over the quarter; moderation agreed with most grades."


def _qa_generates_writes_and_publishes(page: Page, axe) -> None:
    go(page, link("Board"))
    go(page, link("Reports"))
    heading(page).to_have_text("Reports")
    assert_accessible(page, axe)
    tab_to(page, summary("Generate a report"))
    page.keyboard.press("Enter")
    choose_radio(page, "kind", "quarterly")
    choose_radio(page, "when", "latest")
    assert_accessible(page, axe)
    go(page, control("Generate the report"))
    success(page, "being generated")
    heading(page).to_have_text(TITLE)
    expect(page.locator("#section-how_much")).to_contain_text(
        "QA and feedback activity in the quarter"
    )
    # The browser demo grades no audit in the quarter: the report says so in words.
    expect(page.locator("#section-how_well")).to_contain_text("No audits were graded.")
    assert_accessible(page, axe)

    go(page, link("Write the narrative"))
    heading(page).to_have_text("How much did we do?")
    assert_accessible(page, axe)
    type_into(page, "id_text", NARRATIVE)
    go(page, control("Save and return to the report"))
    success(page, "Narrative saved")
    expect(page.locator("#narrative-how_much")).to_contain_text(NARRATIVE)

    go(page, link("Publish to boards"))
    heading(page).to_have_text("Publish the report")
    assert_accessible(page, axe)
    go(page, control("Publish"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select at least one board")
    assert_accessible(page, axe)
    tab_to(page, lambda f: f["name"] == "boards")
    page.keyboard.press("Space")
    go(page, control("Publish"))
    success(page, "Published to Quality Improvement Board")
    assert_accessible(page, axe)


def _board_member_reads(page: Page, axe) -> None:
    go(page, link("Board"))
    go(page, link("Reports"))
    expect(page.locator("#reports")).to_contain_text("Quality of Practice report")
    assert_accessible(page, axe)
    go(page, link("Quality of Practice report"))
    heading(page).to_have_text(TITLE)
    expect(page.locator("#narrative-how_much")).to_contain_text(NARRATIVE)
    expect(page.locator("#report-facts")).to_contain_text("Quality Improvement Board")
    expect(page.get_by_text("Write the narrative")).to_have_count(0)
    assert_accessible(page, axe)


def test_qa_publishes_a_quarterly_report_and_a_board_member_reads_it(live_server, page: Page, axe):
    with time_machine.travel(NOW, tick=True):
        demo = build_demo()
        board = Board.objects.create(
            organisation=demo.people["qa.manager"].organisation,
            name="Quality Improvement Board",
            chair=demo.people["senior.leader"],
        )
        board.members.add(demo.people["team.manager"])
        login(page, live_server, "qa.manager")
        _qa_generates_writes_and_publishes(page, axe)
        sign_out(page)
        login(page, live_server, "team.manager")
        _board_member_reads(page, axe)
    report = Report.objects.get()
    assert (report.kind, report.status, report.period_label) == (
        "quarterly",
        Report.Status.PUBLISHED,
        "October to December 2026",
    )
    assert list(report.boards.all()) == [board]
    assert ReportNarrative.objects.get(report=report, section_key="how_much").text == NARRATIVE
