"""Case list filters given by hand in the address, and what the filter form sends."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, login
from tests.browser.demo import Demo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def test_a_garbage_filter_in_the_address_shows_the_error_summary(
    live_server,
    page: Page,
    demo_people: Demo,
    axe,
) -> None:
    login(page, live_server, "qa.manager")
    assert_accessible(page, axe)

    response = page.goto(f"{live_server.url}/cases/?team=banana&page=abc")
    assert response is not None
    assert response.status == 200
    expect(page).to_have_title(re.compile("Cases"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    link = summary.get_by_role("link", name="Select a team from the list")
    expect(link).to_be_visible()
    # The other filters still apply: the list is shown, from page 1.
    expect(page.locator("#case-count")).to_contain_text(
        re.compile(r"^\s*\d+ cases, showing 1 to 25")
    )
    assert_accessible(page, axe)
    link.click()
    expect(page.locator("#id_team")).to_be_focused()

    # A made-up order is ignored (the column headers are the only way to sort); the
    # fields a person can correct are listed.
    response = page.goto(f"{live_server.url}/cases/?sort=banana&status=maybe&worker=-1")
    assert response is not None
    assert response.status == 200
    worker = "The worker in this page's address is not one of your staff: type their name instead"
    for message in ("Select a status from the list", worker):
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile("Sort"))).to_have_count(0)
    expect(page.locator("#case-results tbody tr").first).to_be_visible()
    assert_accessible(page, axe)
    summary.get_by_role("link", name=worker).click()
    expect(page.locator("#id_worker_name")).to_be_focused()

    # The worker is found by typing part of their name, by keyboard alone.
    page.goto(f"{live_server.url}/cases/")
    page.locator("#id_worker_name").fill("okafor")
    page.locator("#id_worker_name").press("Enter")
    tag = page.get_by_role("link", name=re.compile("Remove this filter Allocated worker: okafor"))
    expect(tag).to_be_visible()
    expect(page.locator("#case-count")).to_contain_text(
        f"{demo_people.visible_count('practitioner')} cases"
    )
    assert_accessible(page, axe)


def test_paging_and_applying_filters_keep_the_unallocated_cases(
    live_server,
    page: Page,
    demo_people: Demo,
    axe,
) -> None:
    login(page, live_server, "qa.manager")
    total = demo_people.visible_count("qa.manager")
    page.goto(f"{live_server.url}/cases/?page=2")
    assert_accessible(page, axe)
    status = page.locator("#case-count").inner_text()
    assert status.strip() == f"{total} cases, showing 26 to {total}"
