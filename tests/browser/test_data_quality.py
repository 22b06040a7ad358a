"""Data quality end to end, with the keyboard alone and axe on every page.

After the nightly check has run over the demo caseload, business.support opens the
data-quality dashboard from the Performance pages, filters the issues to one rule, opens
the oldest, chases the allocated worker, adds a note (after a refused empty one) and
marks the issue resolved.

Only page.keyboard moves and acts (Tab, Shift+Tab, Enter, Space, arrows, typing); login()
signs in through the form.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Notification
from performance.models import DataQualityIssue, DataQualityRule
from performance.services.quality import data_quality_run
from tests.browser.conftest import assert_accessible, login, path_of
from tests.browser.demo import Demo
from tests.browser.keyboard import (
    button,
    field,
    heading,
    link,
    press_enter_on,
    success,
    summary,
    tab_to,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

RULE = "child-missing-ethnicity"
MAX_ARROWS = 20


def _choose(page: Page, element_id: str, value: str) -> None:
    """Focus a select with Tab, then move through its options with the arrow keys."""
    tab_to(page, field(element_id))
    select = page.locator(f"#{element_id}")
    for _ in range(MAX_ARROWS):
        if select.input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"never reached option {value} of #{element_id}")


def _dashboard(page: Page, axe) -> None:  # noqa: ANN001
    press_enter_on(page, link("Performance"))
    press_enter_on(page, link("Data quality"))
    heading(page).to_have_text("Data quality")
    expect(page.locator("#table-rule")).to_contain_text("Child's ethnicity not recorded")
    expect(page.locator("svg.app-bar-chart")).to_be_visible()
    expect(page.locator("#table-trend")).to_contain_text("(today)")
    assert_accessible(page, axe)


def _filter(page: Page, axe, rule: DataQualityRule, count: int) -> None:  # noqa: ANN001
    _choose(page, "id_rule", str(rule.pk))
    press_enter_on(page, button("Apply filters"))
    expect(page.locator("#issue-count")).to_have_text(f"{count} issue{'s' if count != 1 else ''}")
    expect(page.locator(".moj-filter-tags")).to_contain_text(f"Rule: {rule.name}")
    assert_accessible(page, axe)


def _chase(page: Page, axe, issue: DataQualityIssue, worker_name: str) -> None:  # noqa: ANN001
    tab_to(page, field("id_chase-text"))
    page.keyboard.type("Please ask the family at your next visit.")
    press_enter_on(page, button("Chase"))
    success(page, f"Reminder sent to {worker_name}")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Chased")
    expect(page.locator(".moj-timeline")).to_contain_text("Please ask the family")
    assert_accessible(page, axe)
    notification = Notification.objects.get(key__startswith=f"data-quality:{issue.pk}:chase:")
    assert notification.recipient == issue.case.allocated_worker


def _note(page: Page, axe) -> None:  # noqa: ANN001
    # An empty note is refused with the GOV.UK error summary, which takes the focus.
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


def _resolve(page: Page, axe) -> None:  # noqa: ANN001
    tab_to(page, summary("Mark resolved"))
    page.keyboard.press("Enter")
    tab_to(page, field("id_resolve-text"))
    page.keyboard.type("Ethnicity recorded after the visit.")
    press_enter_on(page, button("Mark resolved"))
    success(page, "Issue marked resolved")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Resolved")
    expect(page.locator("#id_resolve-text")).to_have_count(0)
    assert_accessible(page, axe)


def test_business_support_chases_an_issue_to_resolved_by_keyboard(
    live_server,  # noqa: ANN001
    page: Page,
    demo_people: Demo,
    axe,  # noqa: ANN001
):
    data_quality_run(day=timezone.localdate())
    rule = DataQualityRule.objects.get(slug=RULE)
    council_issues = DataQualityIssue.objects.current().filter(
        organisation=demo_people.council, rule=rule
    )
    issue = council_issues.order_by("raised_on", "pk").first()
    assert issue is not None
    assert issue.case.allocated_worker is not None
    worker = issue.case.allocated_worker

    login(page, live_server, "business.support")
    assert_accessible(page, axe)
    _dashboard(page, axe)
    _filter(page, axe, rule, council_issues.count())

    # The oldest issue is first: open it.
    press_enter_on(page, link(str(issue.case.subject)))
    assert path_of(page) == issue.get_absolute_url()
    heading(page).to_have_text(rule.name)
    expect(page.locator(".govuk-summary-list")).to_contain_text(issue.case.subject.reference)
    assert_accessible(page, axe)

    _chase(page, axe, issue, worker.display_name)
    _note(page, axe)
    _resolve(page, axe)

    issue.refresh_from_db()
    assert issue.status == DataQualityIssue.Status.RESOLVED
    assert issue.closed_by == demo_people.people["business.support"]
    assert list(issue.notes.values_list("kind", flat=True)) == ["chase", "note", "resolved"]
