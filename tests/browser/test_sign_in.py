"""Signing in, failing to sign in, being locked out, and signing out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, login, path_of
from tests.browser.demo import Demo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

FAILURE_LIMIT = 5  # AXES_FAILURE_LIMIT in qaportal/settings/test.py


def _expect_sign_in_error(page: Page) -> None:
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    link = summary.get_by_role("link", name="Enter a correct username and password")
    expect(link).to_be_visible()
    expect(page.locator("#username-error")).to_contain_text("Enter a correct username and password")
    # The username is kept, the password is not.
    expect(page.get_by_label("Username")).to_have_value("qa.manager")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")


def test_a_wrong_password_shows_the_error_summary_then_locks_the_account(
    live_server,
    page: Page,
    demo_people: Demo,
    axe,
) -> None:
    page.goto(f"{live_server.url}/")
    assert path_of(page).startswith("/accounts/login/")  # signed out: sent to sign in
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page, axe)

    login(page, live_server, "qa.manager", password="not-the-password")
    _expect_sign_in_error(page)
    # GOV.UK Frontend moves focus to the error summary; its link goes to the field.
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page, axe)
    page.locator(".govuk-error-summary").get_by_role("link").click()
    expect(page.get_by_label("Username")).to_be_focused()

    for attempt in range(2, FAILURE_LIMIT):
        login(page, live_server, "qa.manager", password=f"wrong-{attempt}")
        _expect_sign_in_error(page)

    login(page, live_server, "qa.manager", password="wrong-again")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is locked")
    expect(page.get_by_role("main")).to_contain_text("Try again in 30 minutes")
    assert_accessible(page, axe)

    # Locked means locked: the right password is refused too.
    login(page, live_server, "qa.manager")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is locked")
    assert_accessible(page, axe)

    # Another person at the same address can still sign in.
    login(page, live_server, "senior.leader")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    assert_accessible(page, axe)


def test_sign_out_returns_to_the_sign_in_page(
    live_server,
    page: Page,
    demo_people: Demo,
    axe,
) -> None:
    login(page, live_server, "team.manager")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    assert_accessible(page, axe)

    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert path_of(page).startswith("/accounts/login/")
    expect(page.get_by_role("banner")).not_to_contain_text("Sign out")
    expect(page.get_by_role("banner")).not_to_contain_text("Tom Holroyd")
    assert_accessible(page, axe)

    # The session is gone: the case list sends us back to sign in.
    page.goto(f"{live_server.url}/cases/")
    assert path_of(page).startswith("/accounts/login/?next=/cases/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page, axe)
