"""The regional view by keyboard alone, with axe on every page.

regional.lead opens the regional view from the header, reads Kestrelford's scorecard
table beside Marrowby's, moves to the small multiples of audit grades (a chart for each
partner), and back to a council's scorecard from its chart.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Case
from tests.browser.conftest import assert_accessible, login
from tests.browser.demo import Demo
from tests.browser.keyboard import heading, link, press_enter_on
from tests.factories import GradedAuditFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def _audits(demo: Demo) -> None:
    """Eight audits in Kestrelford last month, six good or better: enough to show."""
    case = Case.objects.filter(organisation=demo.council).order_by("pk").first()
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    submitted = timezone.make_aware(datetime.datetime.combine(last_month, datetime.time(12)))
    for i in range(8):
        GradedAuditFactory(
            case=case, submitted_at=submitted, overall_grade="good" if i < 6 else "inadequate"
        )


def test_regional_lead_compares_the_partner_councils(
    live_server, page: Page, demo_people: Demo, axe
):
    _audits(demo_people)
    login(page, live_server, "regional.lead")
    press_enter_on(page, link("Board"))
    heading(page).to_have_text("Partner councils side by side")
    assert_accessible(page, axe)

    scorecard = page.locator("#organisation-kestrelford")
    quality = scorecard.locator("table").nth(1)
    expect(quality.locator("caption")).to_have_text("Kestrelford City Council: quality assurance")
    expect(quality.locator("tbody tr").first).to_contain_text("75.0% (6 of 8)")
    marrowby = page.locator("#organisation-marrowby table").nth(1)
    expect(marrowby.locator("tbody tr").first).to_contain_text("<5")
    expect(page.locator("main")).not_to_contain_text("/cases/")

    press_enter_on(page, link("Audits graded good or better"))
    heading(page).to_have_text("Audits graded good or better")
    for name in ("Kestrelford City Council", "Marrowby Borough Council", "Adopt Thornvale"):
        expect(page.get_by_role("heading", level=2, name=name)).to_be_visible()
    expect(page.locator("figure.app-spc-chart")).to_have_count(3)
    assert_accessible(page, axe)

    press_enter_on(page, link("Marrowby Borough Council"))
    heading(page).to_have_text("Partner councils side by side")
    expect(page).to_have_url(f"{live_server.url}/regional/#organisation-marrowby")
    assert_accessible(page, axe)
