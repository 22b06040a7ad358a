"""The data-quality dashboard, with the keyboard alone and axe on every page.

After the nightly check has run over the demo caseload, business.support opens the
data-quality dashboard from the Performance pages, reads the counts and the trend,
filters the issues to one rule, opens the oldest and marks it won't fix (refused without
a reason, then accepted). Chasing an issue to resolved is part of the import journey
(test_import.py).

Only page.keyboard moves and acts (Tab, Shift+Tab, Enter, Space, arrows, typing); login()
signs in through the form.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from performance.models import DataQualityIssue, DataQualityRule
from performance.services.quality import data_quality_run
from tests.browser.conftest import assert_accessible, login, path_of
from tests.browser.data_quality_steps import wont_fix
from tests.browser.demo import Demo
from tests.browser.keyboard import button, choose_option, heading, link, press_enter_on

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

RULE = "child-missing-ethnicity"


def _dashboard(page: Page, axe) -> None:
    press_enter_on(page, link("Performance"))
    press_enter_on(page, link("Data quality"))
    heading(page).to_have_text("Data quality")
    expect(page.locator("#table-rule")).to_contain_text("Child's ethnicity not recorded")
    expect(page.locator("svg.app-bar-chart")).to_be_visible()
    expect(page.locator("#table-trend")).to_contain_text("(today)")
    assert_accessible(page, axe)


def _filter(page: Page, axe, rule: DataQualityRule, count: int) -> None:
    choose_option(page, "id_rule", str(rule.pk))
    press_enter_on(page, button("Apply filters"))
    expect(page.locator("#issue-count")).to_have_text(f"{count} issue{'s' if count != 1 else ''}")
    expect(page.locator(".moj-filter-tags")).to_contain_text(f"Rule: {rule.name}")
    assert_accessible(page, axe)


def test_business_support_filter_the_dashboard_and_mark_an_issue_wont_fix(
    live_server,
    page: Page,
    demo_people: Demo,
    axe,
):
    data_quality_run(day=timezone.localdate())
    rule = DataQualityRule.objects.get(slug=RULE)
    council_issues = DataQualityIssue.objects.current().filter(
        organisation=demo_people.council, rule=rule
    )
    issue = council_issues.order_by("raised_on", "pk").first()
    assert issue is not None

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

    wont_fix(page, axe, "The family are declining to say; asked again at every review.")

    issue.refresh_from_db()
    assert issue.status == DataQualityIssue.Status.WONT_FIX
    assert issue.reason.startswith("The family are declining")
    assert issue.closed_by == demo_people.people["business.support"]
