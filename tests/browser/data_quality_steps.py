"""Following up a data-quality issue on its page, by keyboard, with axe after each step:
shared by the data-quality and import journeys."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from cases.models import Notification
from performance.models import DataQualityIssue
from tests.browser.conftest import assert_accessible
from tests.browser.keyboard import button, field, press_enter_on, success, summary, tab_to


def chase(page: Page, axe, issue: DataQualityIssue, worker_name: str) -> None:
    tab_to(page, field("id_chase-text"))
    page.keyboard.type("Please ask the family at your next visit.")
    press_enter_on(page, button("Chase"))
    success(page, f"Reminder sent to {worker_name}")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Chased")
    expect(page.locator(".moj-timeline")).to_contain_text("Please ask the family")
    assert_accessible(page, axe)
    notification = Notification.objects.get(key__startswith=f"data-quality:{issue.pk}:chase:")
    assert notification.recipient == issue.case.allocated_worker


def note(page: Page, axe) -> None:
    # An empty note is refused with the GOV.UK error summary.
    tab_to(page, field("id_note-text"))
    press_enter_on(page, button("Add note"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a note")
    assert page.title().startswith("Error:")
    assert_accessible(page, axe)
    tab_to(page, field("id_note-text"))
    page.keyboard.type("Family visit booked for Thursday.")
    press_enter_on(page, button("Add note"))
    success(page, "Note added")
    expect(page.locator(".moj-timeline")).to_contain_text("Family visit booked for Thursday.")
    assert_accessible(page, axe)


def resolve(page: Page, axe) -> None:
    tab_to(page, summary("Mark resolved"))
    page.keyboard.press("Enter")
    tab_to(page, field("id_resolve-text"))
    page.keyboard.type("Ethnicity recorded after the visit.")
    press_enter_on(page, button("Mark resolved"))
    success(page, "Issue marked resolved")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Resolved")
    expect(page.locator("#id_resolve-text")).to_have_count(0)
    assert_accessible(page, axe)


def wont_fix(page: Page, axe, reason: str) -> None:
    """Won't fix needs a reason: refused without one, then accepted."""
    tab_to(page, summary("Mark won't fix"))
    page.keyboard.press("Enter")
    tab_to(page, button("Mark won't fix"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_contain_text("why it will not be fixed")
    assert_accessible(page, axe)
    tab_to(page, field("id_wont_fix-text"))
    page.keyboard.type(reason)
    press_enter_on(page, button("Mark won't fix"))
    success(page, "Issue marked won't fix")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Won't fix")
    expect(page.locator(".moj-timeline")).to_contain_text(reason)
    assert_accessible(page, axe)
