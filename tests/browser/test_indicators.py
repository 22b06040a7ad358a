"""Performance indicators by keyboard alone, with axe on every page.

senior.leader opens the indicator catalogue, an indicator's trend, drills into a service
and a team, reads the records behind the figure and the focused-audit proposals;
business.support writes the analysis for a Key Performance Question and sets a target.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Case, JourneyEvent
from performance.indicators import CATALOGUE
from performance.models import KpqNarrative, Target
from performance.services.indicators import indicators_recompute
from tests.browser.conftest import assert_accessible, login
from tests.browser.demo import Demo
from tests.browser.keyboard import (
    button,
    field,
    heading,
    link,
    press_enter_on,
    replace_text,
    success,
    summary,
    tab_to,
)
from tests.factories import JourneyEventFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def _referrals(demo: Demo) -> Case:
    """A referral a week in the last complete month on the council's first child case,
    added to those the demo has."""
    case = (
        Case.objects.filter(organisation=demo.council, child__isnull=False).order_by("pk").first()
    )
    first = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    for day in (1, 8, 15, 22):
        on = first.replace(day=day)
        JourneyEventFactory(
            case=case, kind=JourneyEvent.Kind.REFERRAL, occurred_on=on, recorded_on=on
        )
    indicators_recompute(day=timezone.localdate())
    return case


def test_senior_leader_reads_an_indicator_down_to_the_children(
    live_server, page: Page, demo_people: Demo, axe
):
    case = _referrals(demo_people)
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    referrals = JourneyEvent.objects.filter(
        organisation=demo_people.council,
        kind=JourneyEvent.Kind.REFERRAL,
        occurred_on__gte=last_month,
        occurred_on__lt=timezone.localdate().replace(day=1),
    )
    login(page, live_server, "senior.leader")
    press_enter_on(page, link("Performance"))
    heading(page).to_have_text("Performance indicators")
    assert_accessible(page, axe)

    press_enter_on(page, link("Referrals received"))
    heading(page).to_have_text("Referrals received")
    expect(page.locator("svg[role=img] title")).to_have_text("Referrals received by month")
    expect(page.get_by_role("heading", level=2).first).to_have_text(
        f"{last_month:%B %Y}: {referrals.count()}"
    )
    assert_accessible(page, axe)

    press_enter_on(page, link(case.service.name))
    expect(page.locator(".govuk-caption-l")).to_have_text(case.service.name)
    assert_accessible(page, axe)
    press_enter_on(page, link(case.team.name))
    expect(page.locator(".govuk-caption-l")).to_have_text(case.team.name)
    assert_accessible(page, axe)

    press_enter_on(page, link("See the records behind this figure"))
    heading(page).to_have_text("Records behind referrals received")
    expect(page.locator("tbody tr")).to_have_count(referrals.filter(case__team=case.team).count())
    expect(page.locator("tbody")).to_contain_text(case.child.family_name)
    assert_accessible(page, axe)

    press_enter_on(page, link("Focused audits"))
    heading(page).to_have_text("Focused audits from indicator trends")
    assert_accessible(page, axe)


def test_business_support_writes_the_analysis_and_sets_a_target(
    live_server, page: Page, demo_people: Demo, axe
):
    _referrals(demo_people)
    login(page, live_server, "business.support")
    press_enter_on(page, link("Performance"))
    press_enter_on(page, link("Analysis for question 1"))
    heading(page).to_contain_text("Are referrals allocated in a timely manner")
    assert_accessible(page, axe)
    tab_to(page, field("id_text"))
    page.keyboard.type("Referrals steady at four a month; all progressed within a day.")
    press_enter_on(page, button("Save analysis"))
    success(page, "Analysis saved")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Referrals steady")
    assert_accessible(page, axe)
    assert KpqNarrative.objects.get(kpq=1).revision == 1

    press_enter_on(page, link("Targets and benchmarks"))
    heading(page).to_have_text("Targets and benchmarks")
    tab_to(page, summary("Set a target"))
    page.keyboard.press("Enter")
    tab_to(page, field("id_target-indicator"))
    page.keyboard.type("Re-referrals")
    replace_text(page, "id_target-value", "120")
    replace_text(page, "id_target-starts_on_0", "1")
    replace_text(page, "id_target-starts_on_1", "4")
    replace_text(page, "id_target-starts_on_2", "2026")
    press_enter_on(page, button("Save target"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "A percentage must be between 0 and 100"
    )
    assert_accessible(page, axe)
    replace_text(page, "id_target-value", "18")
    press_enter_on(page, button("Save target"))
    success(page, "Target saved for Re-referrals within 12 months")
    assert_accessible(page, axe)
    assert Target.objects.get(organisation=demo_people.council).value == 18.0


def test_the_overview_shows_every_indicator_at_a_glance_and_this_month_as_incomplete(
    live_server, page: Page, demo_people: Demo, axe
):
    _referrals(demo_people)
    this_month = timezone.localdate().replace(day=1)
    case = Case.objects.filter(organisation=demo_people.council, child__isnull=False).first()
    JourneyEventFactory(
        case=case, kind=JourneyEvent.Kind.REFERRAL, occurred_on=this_month, recorded_on=this_month
    )
    indicators_recompute(day=timezone.localdate())
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, "senior.leader")
    press_enter_on(page, link("Performance"))
    heading(page).to_have_text("Performance indicators")
    # One compact table: a row an indicator, the page a fraction of its old 7,000 pixels.
    expect(page.locator("table.app-overview tbody th[scope=row]")).to_have_count(len(CATALOGUE))
    assert page.evaluate("document.documentElement.scrollHeight") < 4000
    assert_accessible(page, axe)

    press_enter_on(page, link("Referrals received"))
    heading(page).to_have_text("Referrals received")
    expect(page.locator("svg circle.app-line-chart__partial")).to_have_count(1)
    expect(page.locator("figure.app-line-chart")).to_contain_text("Month to date")
    expect(page.get_by_role("link", name=f"{this_month:%B %Y} (month to date)")).to_be_visible()
    assert_accessible(page, axe)
