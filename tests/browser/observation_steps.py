"""Keyboard steps shared by the observation browser tests: move to a control and press
Enter (letting any autosave finish first), type into a field, sign out."""

from __future__ import annotations

import datetime

from playwright.sync_api import Page

from tests.browser.keyboard import Match, field, heading, tab_to


def control(text: str) -> Match:
    return lambda f: f["tag"] in ("a", "button", "input") and f["text"].startswith(text)


def autosave_idle(page: Page) -> None:
    """Let an autosave finish before the page changes (SQLite locks whole tables)."""
    if page.locator("form[data-autosave]").count():
        page.wait_for_timeout(150)
        page.wait_for_function("() => !document.querySelector('.htmx-request')")


def go(page: Page, matches: Match) -> None:
    tab_to(page, matches)
    autosave_idle(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def type_into(page: Page, element_id: str, text: str) -> None:
    tab_to(page, field(element_id))
    page.keyboard.type(text)


def type_date(page: Page, prefix: str, day: datetime.date) -> None:
    """Type a date into the GOV.UK date input whose fields are `prefix`_0, _1 and _2."""
    type_into(page, f"{prefix}_0", str(day.day))
    type_into(page, f"{prefix}_1", str(day.month))
    type_into(page, f"{prefix}_2", str(day.year))


def sign_out(page: Page) -> None:
    go(page, control("Sign out"))
    heading(page).to_contain_text("Sign in")
