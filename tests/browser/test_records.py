"""The pages the journeys don't reach: an adopter's record, the access log, 404 and 403."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, login
from tests.browser.demo import Demo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def test_qa_opens_an_adopter_record_then_reads_who_viewed_it(
    live_server,
    page: Page,
    demo_people: Demo,
    axe,
) -> None:
    adopter_case = next(c for c in demo_people.cases if c.adopter_id)
    adopter = adopter_case.adopter
    login(page, live_server, "qa.manager")
    page.goto(f"{live_server.url}{adopter.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(adopter.household_name)
    expect(page.get_by_role("heading", name="Journey")).to_be_visible()
    assert_accessible(page, axe)

    # The journey filter, by keyboard: the "Milestones" tab link.
    milestones = page.get_by_role("link", name="Milestones")
    milestones.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(
        f"{live_server.url}{adopter.get_absolute_url()}?events=milestones#journey"
    )
    assert_accessible(page, axe)

    page.get_by_role("link", name="Who has viewed this record").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Access log")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)  # the two views of the record just made
    expect(rows.first).to_contain_text(adopter.reference)
    assert_accessible(page, axe)


def test_out_of_scope_and_missing_records_show_accessible_error_pages(
    live_server,
    page: Page,
    demo_people: Demo,
    axe,
) -> None:
    other_council_case = next(
        c for c in demo_people.cases if c.organisation_id == demo_people.other_council.pk
    )
    login(page, live_server, "team.manager")
    response = page.goto(f"{live_server.url}{other_council_case.child.get_absolute_url()}")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page, axe)

    response = page.goto(f"{live_server.url}/access-log/")
    assert response is not None
    assert response.status == 403
    assert_accessible(page, axe)
