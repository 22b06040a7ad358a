"""Home pages by keyboard alone, with axe: business support follow a data-quality figure to
the issues it counts and find the imports; QA open the queue of audits waiting for
moderation. Each figure followed shows the same number on the list it leads to."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from audits.models import Audit, AuditType, Grade
from performance.services.quality import data_quality_run
from tests.browser.conftest import assert_accessible, login, path_of
from tests.browser.demo import Demo
from tests.browser.keyboard import heading, link, press_enter_on
from tests.scenario import _audit_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def _home(page: Page, live_server) -> None:
    press_enter_on(page, link("Home"))
    heading(page).to_have_text("My work")


def test_business_support_follow_a_figure_to_its_issues_and_find_the_imports(
    live_server, page: Page, demo_people: Demo, axe
):
    data_quality_run(day=timezone.localdate())
    login(page, live_server, "business.support")
    heading(page).to_have_text("My work")
    assert_accessible(page, axe)
    row = page.locator("tr", has=page.locator("th", has_text="Event recorded late"))
    count = int(row.locator("td a").inner_text().split()[0])
    press_enter_on(page, link(f"{count} open issue"))
    heading(page).to_have_text("Data quality")
    assert re.fullmatch(r"/performance/data-quality/\?rule=\d+", path_of(page))
    expect(page.locator("#issue-count")).to_have_text(f"{count} issue{'s' if count != 1 else ''}")
    assert_accessible(page, axe)

    _home(page, live_server)
    press_enter_on(page, link("Import case data"))
    heading(page).to_have_text("Case-data imports")
    assert path_of(page) == "/performance/imports/"
    assert_accessible(page, axe)


def test_qa_open_the_audits_waiting_for_moderation(live_server, page: Page, demo_people: Demo, axe):
    people = {
        "qa": demo_people.people["qa.manager"],
        "team_manager": demo_people.people["team.manager"],
        "practitioner": demo_people.people["practitioner"],
    }
    cases = [c for c in demo_people.cases if c.organisation_id == demo_people.council.pk]
    tool, *_ = _audit_of(cases[0], people)
    for n, case in enumerate(cases[1:8]):
        Audit.objects.create(
            organisation=case.organisation,
            case=case,
            tool=tool,
            auditor=people["team_manager"],
            practitioner=case.allocated_worker,
            line_manager=people["team_manager"],
            due_on=timezone.localdate(),
            audit_type=AuditType.REGULAR,
            status=Audit.Status.SUBMITTED,
            overall_grade=Grade.GOOD,
            submitted_at=timezone.now() - datetime.timedelta(days=n + 1),
        )
    longest = cases[7]
    login(page, live_server, "qa.manager")
    heading(page).to_have_text("My work")
    expect(page.locator("#moderation")).to_have_text("Audits waiting for moderation")
    expect(page.locator("#moderation + p + table tbody tr").first).to_contain_text(
        longest.child.full_name
    )
    assert_accessible(page, axe)
    press_enter_on(page, link("7 submitted audits waiting for moderation"))
    heading(page).to_have_text("Audits")
    assert path_of(page) == "/audits/?status=submitted&sort=submitted"
    expect(page.locator("#audit-count")).to_contain_text("7 audits")
    assert_accessible(page, axe)
