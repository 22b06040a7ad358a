"""The board dashboard by keyboard alone, with axe on every page.

Kestrelford's audits over fifteen months (September 2025 to November 2026) run steady,
six or eight of ten good or better each month, until November 2026, when one of ten is:
a point beyond the lower process limit, special cause concern. senior.leader opens the
Board from the header, reads the audit grades chart's summary in words, follows the
November marker on the chart to the month, drills down to the children looked after
service, then to the team "Kestrelford looked after 1", and sees the audits behind the
figure: the children's names and links to each audit.

The clock is moved with time-machine to 8 December 2026 (the live server runs in this
process), so December 2026 is the running, incomplete month.
"""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from audits.models import Audit
from cases.models import Case
from tests.browser.conftest import assert_accessible, login, path_of
from tests.browser.demo import Demo, build_demo
from tests.browser.keyboard import MAX_TABS, heading, link, press_enter_on
from tests.factories import AuditToolFactory, GradedAuditFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 12, 8, 10, 0, tzinfo=LONDON)
SIGNAL_MONTH = datetime.date(2026, 11, 1)
FIRST_MONTH = datetime.date(2025, 9, 1)
PER_MONTH = 10

# November 2026, the special-cause month: (team key, grade) for each of its ten audits.
NOVEMBER = (
    ("lac1", "good"),
    ("lac1", "inadequate"),
    ("lac1", "requires_improvement"),
    ("lac1", "inadequate"),
    ("lac2", "requires_improvement"),
    ("lac2", "inadequate"),
    ("lac2", "requires_improvement"),
    ("cp", "inadequate"),
    ("cp", "requires_improvement"),
    ("cp", "inadequate"),
)


def _months() -> list[datetime.date]:
    months, month = [], FIRST_MONTH
    while month < SIGNAL_MONTH:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _audits(demo: Demo) -> list[Audit]:
    """Fourteen steady months, alternately eight and six of ten good or better (no run
    on one side of the mean, no trend), over two services and three teams, then November
    2026's one of ten. Returns November's audits."""
    tool = AuditToolFactory(organisation=demo.council, name="Practice review")
    auditor = demo.people["qa.manager"]
    cases = {key: demo.in_team(key) for key in ("lac1", "lac2", "cp")}
    keys = ("lac1", "lac2", "cp")
    for m, month in enumerate(_months()):
        good = 8 if m % 2 == 0 else 6
        for i in range(PER_MONTH):
            key = keys[i % 3]
            GradedAuditFactory(
                case=cases[key][(m + i) % len(cases[key])],
                tool=tool,
                auditor=auditor,
                submitted_at=datetime.datetime.combine(
                    month.replace(day=3 + i), datetime.time(11), tzinfo=LONDON
                ),
                overall_grade="good" if i < good else "requires_improvement",
            )
    november = []
    used: dict[str, int] = {}
    for i, (key, grade) in enumerate(NOVEMBER):
        n = used[key] = used.get(key, -1) + 1
        november.append(
            GradedAuditFactory(
                case=cases[key][n],
                tool=tool,
                auditor=auditor,
                submitted_at=datetime.datetime.combine(
                    SIGNAL_MONTH.replace(day=2 + i), datetime.time(14), tzinfo=LONDON
                ),
                overall_grade=grade,
            )
        )
    return november


def _tab_to_marker(page: Page, label: str) -> None:
    """Tab until the focus is on the chart point whose accessible name starts `label`."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        name = page.evaluate(
            "() => (document.activeElement && document.activeElement.getAttribute('aria-label'))"
            " || ''"
        )
        if name.startswith(label):
            return
    pytest.fail(f"never reached the chart point {label!r} by pressing Tab")


def test_senior_leader_drills_from_a_special_cause_point_to_the_childrens_audits(
    live_server, page: Page, axe
):
    with time_machine.travel(NOW, tick=True):
        demo = build_demo()
        november = _audits(demo)
        login(page, live_server, "senior.leader")

        # The board, from the header.
        press_enter_on(page, link("Board"))
        heading(page).to_have_text("How good is our practice, and is it getting better?")
        assert path_of(page) == "/board/"
        main = page.locator("main")
        expect(main).to_contain_text("1 show special cause concern: audits graded good or better.")
        assert_accessible(page, axe)

        # The audit grades chart's summary, in words.
        chart = page.locator(".app-board-chart").filter(
            has=page.get_by_role("heading", level=3, name="Audits graded good or better")
        )
        summary = chart.locator("ul.govuk-list")
        expect(summary).to_contain_text("Variation: Special cause concern")
        expect(summary).to_contain_text("Latest complete month: November 2026, 10.0% (1 of 10)")
        figure = chart.locator("figure.app-spc-chart")
        expect(figure.locator(".app-spc-chart__summary")).to_contain_text("Special cause concern")
        expect(chart.locator(".app-spc-chart__marker--concern")).to_have_count(1)
        november_row = chart.locator("table.app-spc-chart__table tbody tr").filter(
            has_text="November 2026"
        )
        expect(november_row).to_contain_text("10.0% (1 of 10)")
        expect(november_row).to_contain_text("Special cause concern: beyond a process limit")
        expect(chart).to_contain_text("Special-cause points: November 2026")

        # The special-cause point on the chart, by keyboard, to its month.
        _tab_to_marker(page, "November 2026: 10.0% (1 of 10). Special cause concern")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.wait_for_load_state()
        heading(page).to_have_text("Audits graded good or better, November 2026")
        assert path_of(page) == "/board/audit-grades/2026-11/"
        by_service = page.locator("table").filter(has_text="By service")
        expect(
            by_service.locator("tbody tr").filter(has_text="Children looked after")
        ).to_contain_text("14% (1 of 7)")
        expect(by_service.locator("tbody tr").filter(has_text="Child protection")).to_contain_text(
            "0% (0 of 3)"
        )
        assert_accessible(page, axe)

        # The service, then the team.
        press_enter_on(page, link("Children looked after"))
        heading(page).to_have_text("Audits graded good or better, November 2026")
        expect(page.locator(".govuk-caption-l")).to_have_text("Children looked after")
        by_team = page.locator("table").filter(has_text="By team")
        expect(
            by_team.locator("tbody tr").filter(has_text="Kestrelford looked after 1")
        ).to_contain_text("25% (1 of 4)")
        expect(
            by_team.locator("tbody tr").filter(has_text="Kestrelford looked after 2")
        ).to_contain_text("0% (0 of 3)")
        assert_accessible(page, axe)

        press_enter_on(page, link("Kestrelford looked after 1"))
        heading(page).to_have_text("Audits graded good or better, November 2026")
        expect(page.locator(".govuk-caption-l")).to_have_text(
            "Kestrelford looked after 1, Children looked after"
        )
        expect(main).to_contain_text("4 records.")
        records = page.locator("table").filter(has_text="Records behind the figure")
        rows = records.locator("tbody tr")
        expect(rows).to_have_count(4)
        behind = [a for a in november if a.case.team_id == demo.teams["lac1"].pk]
        for audit in behind:
            child = Case.objects.get(pk=audit.case_id).child
            row = rows.filter(has_text=child.full_name)
            expect(row).to_have_count(1)
            expect(row).to_contain_text(child.reference)
            expect(row.get_by_role("link")).to_have_attribute("href", audit.get_absolute_url())
            expect(row).to_contain_text(audit.get_overall_grade_display())
        assert_accessible(page, axe)

        # And on to one of the audits.
        first = behind[0]
        press_enter_on(page, link("Practice review by"))
        assert path_of(page) == first.get_absolute_url()
        assert_accessible(page, axe)
