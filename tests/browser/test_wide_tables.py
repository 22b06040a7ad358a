"""Wide tables: the audit list and the rota grid show every column on a 1,366-pixel
screen, and on a narrower one they scroll sideways inside a pane that keyboard users reach
with Tab and scroll with the arrow keys; axe on each page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from audits.models import Audit, AuditType, Grade
from rota.services import rota_generate
from tests.browser.conftest import assert_accessible, login, path_of
from tests.browser.demo import Demo
from tests.browser.keyboard import tab_to
from tests.factories import StaffMemberFactory
from tests.scenario import _audit_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

LAPTOP = {"width": 1366, "height": 768}
NARROW = {"width": 1024, "height": 768}

# For each table: how far its right edge runs past its pane's, and whether the pane is a
# focusable region with a name.
MEASURE = """(selector) => {
  const table = document.querySelector(selector);
  const pane = table.closest('.app-table-wrapper');
  return {
    overflow: Math.round(table.getBoundingClientRect().right - pane.getBoundingClientRect().right),
    pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    tabindex: pane.getAttribute('tabindex'),
    role: pane.getAttribute('role'),
    named: !!(pane.getAttribute('aria-label') || pane.getAttribute('aria-labelledby')),
    scrollLeft: pane.scrollLeft,
  };
}"""
# How far the first row's first cell has moved left of its pane's edge.
STICKY = """(selector) => {
  const table = document.querySelector(selector);
  const pane = table.closest('.app-table-wrapper');
  const cell = table.querySelector('tbody tr:first-child > :first-child');
  return Math.round(pane.getBoundingClientRect().left - cell.getBoundingClientRect().left);
}"""
PANE_FOCUSED = """() => document.activeElement.matches('.app-table-wrapper[role=region]')"""


def _audits(demo: Demo) -> None:
    """Thirty audits of the council's cases, in every state, as the list shows them."""
    people = {
        "qa": demo.people["qa.manager"],
        "team_manager": demo.people["team.manager"],
        "practitioner": demo.people["practitioner"],
    }
    cases = [c for c in demo.cases if c.organisation_id == demo.council.pk]
    tool, *_ = _audit_of(cases[0], people)
    tool.name = "Collaborative practice review"
    tool.save(update_fields=["name"])
    statuses = [Audit.Status.IN_PROGRESS, Audit.Status.SUBMITTED, Audit.Status.FINAL]
    for n, case in enumerate(cases[:30]):
        status = statuses[n % 3]
        graded = status != Audit.Status.IN_PROGRESS
        Audit.objects.create(
            organisation=case.organisation,
            case=case,
            tool=tool,
            auditor=people["team_manager"],
            practitioner=case.allocated_worker,
            line_manager=people["team_manager"],
            due_on=timezone.localdate() - datetime.timedelta(days=n),
            audit_type=AuditType.FOCUSED if n % 4 == 0 else AuditType.REGULAR,
            status=status,
            overall_grade=Grade.REQUIRES_IMPROVEMENT if graded else "",
            submitted_at=timezone.now() - datetime.timedelta(days=n) if graded else None,
        )


def _measure(page: Page, selector: str) -> dict:
    return page.evaluate(MEASURE, selector)


def _scrolls_by_keyboard(page: Page, selector: str) -> None:
    """Tab to the pane around the table, then scroll it with the arrow keys."""
    tab_to(page, lambda _: page.evaluate(PANE_FOCUSED))
    before = _measure(page, selector)
    assert before["overflow"] > 0, "the table fits: nothing to scroll at this width"
    for _ in range(30):
        page.keyboard.press("ArrowRight")
    # The browser may scroll smoothly, a little after the keys: wait for the pane to move
    # (a busy machine made an immediate reading flaky), failing if it never does.
    page.wait_for_function(
        "([selector, start]) => document.querySelector(selector)"
        ".closest('.app-table-wrapper').scrollLeft > start",
        arg=[selector, before["scrollLeft"]],
        timeout=10_000,
    )


def test_the_audit_list_fits_a_laptop_and_scrolls_by_keyboard_when_narrower(
    live_server, page: Page, demo_people: Demo, axe
):
    _audits(demo_people)
    page.set_viewport_size(LAPTOP)
    login(page, live_server, "qa.manager")
    page.goto(f"{live_server.url}/audits/")
    table = "#audit-results table"
    expect(page.locator(table)).to_be_visible()
    laptop = _measure(page, table)
    assert laptop["overflow"] <= 0, f"{laptop['overflow']} px of the audit list off screen"
    assert laptop["pageOverflow"] <= 0
    assert (laptop["tabindex"], laptop["role"], laptop["named"]) == ("0", "region", True)
    assert_accessible(page, axe)

    page.set_viewport_size(NARROW)
    page.reload()
    assert _measure(page, table)["pageOverflow"] <= 0
    _scrolls_by_keyboard(page, table)
    assert path_of(page) == "/audits/"
    assert_accessible(page, axe)


def test_the_rota_grid_fits_a_laptop_and_scrolls_by_keyboard_when_narrower(
    live_server, page: Page, demo_people: Demo, axe
):
    # Managers enough that every month holds each kind of slot, as in a real council.
    for n, team in enumerate(("lac2", "cp", "adoption", "lac2")):
        StaffMemberFactory(
            user__first_name="Alexandra",
            user__last_name=f"Worthington-{n}",
            team=demo_people.teams[team],
            team_manager=True,
        )
    starts_on = timezone.localdate().replace(day=1)
    rota = rota_generate(
        organisation=demo_people.council, starts_on=starts_on, by=demo_people.people["qa.manager"]
    )
    page.set_viewport_size(LAPTOP)
    login(page, live_server, "qa.manager")
    page.goto(f"{live_server.url}{rota.get_absolute_url()}")
    table = "table:has(#rota-caption)"
    laptop = _measure(page, table)
    assert laptop["overflow"] <= 0, f"{laptop['overflow']} px of the rota grid off screen"
    assert (laptop["tabindex"], laptop["role"], laptop["named"]) == ("0", "region", True)
    assert_accessible(page, axe)

    page.set_viewport_size(NARROW)
    page.reload()
    assert _measure(page, table)["pageOverflow"] <= 0
    _scrolls_by_keyboard(page, table)
    # The manager's name stays in view while the months scroll past.
    assert page.evaluate(STICKY, table) <= 1
    assert_accessible(page, axe)
