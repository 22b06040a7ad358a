"""Each demo login signs in, reaches their home page, the case list and a child's record."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, login, path_of
from tests.browser.demo import LOGINS, Demo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

# BROWSER_SCREENSHOTS=/some/dir saves what each login sees there, to look at by eye.
SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS")


def _snap(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


@pytest.mark.parametrize("username", LOGINS)
def test_a_demo_login_signs_in_and_reaches_what_their_role_allows(
    live_server,
    page: Page,
    demo_people: Demo,
    axe,
    username: str,
) -> None:
    login(page, live_server, username)
    assert path_of(page) == "/"
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    expect(page.get_by_role("banner")).to_contain_text("Sign out")
    assert_accessible(page, axe)
    _snap(page, f"{username}-home")
    if username == "regional.lead":
        _regional_lead_sees_counts_only(live_server, page, demo_people, axe)
    else:
        _case_list_then_a_childs_journey(page, demo_people, axe, username)


def _case_list_then_a_childs_journey(page: Page, demo: Demo, axe, username: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Cases").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    expected = demo.visible_count(username)
    assert expected > 0
    expect(page.locator("#case-count")).to_contain_text(re.compile(rf"^\s*{expected} cases?\b"))
    if expected > 25:
        expect(page.get_by_role("navigation", name="Pagination")).to_be_visible()
    assert_accessible(page, axe)
    _snap(page, f"{username}-case-list")

    first_child = page.locator("#case-results tbody a[href*='/children/']").first
    name = first_child.inner_text().strip()
    first_child.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("heading", level=2, name="Journey")).to_be_visible()
    events = page.locator(".moj-timeline .moj-timeline__item")
    expect(events.first).to_be_visible()
    assert events.count() >= 2
    expect(page.locator(".moj-timeline__title", has_text="Visit").first).to_be_visible()
    expect(page.get_by_role("link", name="Back to cases")).to_be_visible()
    assert_accessible(page, axe)
    _snap(page, f"{username}-child")


def _regional_lead_sees_counts_only(live_server, page: Page, demo: Demo, axe) -> None:
    table = page.get_by_role("table", name=re.compile("Open cases by organisation"))
    expect(table).to_be_visible()
    for organisation in (demo.council, demo.other_council, demo.agency):
        expect(table.get_by_role("rowheader", name=organisation.name)).to_be_visible()
    main = page.get_by_role("main")
    expect(main.locator("a[href*='/children/'], a[href*='/adopters/']")).to_have_count(0)
    text = main.inner_text()
    for case in demo.cases:
        if case.child_id:
            assert case.child.full_name not in text
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Cases")).to_have_count(0)

    response = page.goto(f"{live_server.url}/cases/")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
    expect(page.get_by_role("link", name="Go to the home page")).to_be_visible()
    assert_accessible(page, axe)

    child = next(c.child for c in demo.cases if c.child_id)
    response = page.goto(f"{live_server.url}{child.get_absolute_url()}")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("main")).not_to_contain_text(child.full_name)
    assert_accessible(page, axe)
