"""The QA escalation list, with the keyboard alone and axe on the page.

An audit of a child's case in team.manager's team was submitted 40 days ago and is still
waiting for team.manager's management oversight; another audit is long overdue with its
auditor. qa.manager opens Escalations from the header's Audits group and finds both,
oldest due first, with whom each is with, then opens the waiting audit.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from audits.models import Audit, AuditTool, AuditType, Grade
from tests.browser.conftest import assert_accessible, login, path_of
from tests.browser.demo import Demo
from tests.browser.keyboard import heading, link, press_enter_on

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def _audits(demo: Demo) -> tuple[Audit, Audit]:
    today = timezone.localdate()
    manager = demo.people["team.manager"]
    tool = AuditTool.objects.create(
        organisation=demo.council,
        code="escalation-check",
        name="Escalation check",
        status=AuditTool.Status.PUBLISHED,
    )
    case, other_case = demo.in_team("lac1")[:2]
    common = {
        "organisation": demo.council,
        "tool": tool,
        "auditor": manager,
        "line_manager": manager,
        "audit_type": AuditType.REGULAR,
    }
    waiting = Audit.objects.create(
        **common,
        case=case,
        status=Audit.Status.SUBMITTED,
        overall_grade=Grade.GOOD,
        due_on=today,
        submitted_at=timezone.now() - datetime.timedelta(days=40),
    )
    overdue = Audit.objects.create(
        **common, case=other_case, due_on=today - datetime.timedelta(days=60)
    )
    return waiting, overdue


def test_qa_find_overdue_oversight_on_the_escalation_list(
    live_server,
    page: Page,
    demo_people: Demo,
    axe,
):
    waiting, overdue = _audits(demo_people)
    login(page, live_server, "qa.manager")
    # The header's "Audits" group, then its sub navigation.
    press_enter_on(page, link("Audits"))
    press_enter_on(page, link("Escalations"))
    heading(page).to_have_text("Escalations")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).get_by_role("link")).to_have_attribute("href", overdue.get_absolute_url())
    expect(rows.nth(0).locator("td").last).to_have_text("60")
    expect(rows.nth(1)).to_contain_text("Escalation check audit: management oversight")
    # Oversight fell due 7 days after submission (the default reminder days).
    due = timezone.localdate(waiting.submitted_at) + datetime.timedelta(days=7)
    late = (timezone.localdate() - due).days
    expect(rows.nth(1).locator("td").last).to_have_text(str(late))
    expect(rows.nth(1)).to_contain_text(demo_people.people["team.manager"].display_name)
    assert_accessible(page, axe)

    press_enter_on(page, link("Escalation check audit: management oversight"))
    assert path_of(page) == waiting.get_absolute_url()
