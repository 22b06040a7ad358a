"""The QA rota end to end, with the keyboard alone and axe on every page.

qa.manager changes the QA rules (keeping August and December paused), generates a rota,
opens it, opens team.manager's first practice review and reassigns it with a reason,
defers one of senior.leader's slots, sees both changes in the slots' histories, and
reads the compliance page.

Only page.keyboard moves and acts (Tab, Shift+Tab, Enter, Space, arrows, typing); login()
signs in through the form.
"""

from __future__ import annotations

import os

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import Page, expect

from rota.models import Activity, QARules, Rota
from tests.browser.conftest import assert_accessible, login, path_of
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

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

# ROTA_SCREENSHOT=/some/file.png keeps a picture of the rota page for a person to look at.
SCREENSHOT = os.environ.get("ROTA_SCREENSHOT")


def _edit_rules(page: Page, axe) -> None:
    press_enter_on(page, link("QA rules"))
    heading(page).to_have_text("QA rules")
    assert_accessible(page, axe)
    # August and December stay paused: the checkboxes are reached and left ticked.
    for month in ("8", "12"):
        box = tab_to(page, lambda f, m=month: f["name"] == "paused_months" and f["value"] == m)
        assert box["checked"], month
    # Directors join the rota: tick their box with the space bar.
    director = tab_to(page, lambda f: f["name"] == "eligible_tiers" and f["value"] == "4")
    assert not director["checked"]
    page.keyboard.press("Space")
    replace_text(page, "id_reminder_days", "5")
    replace_text(page, "id_escalation_days", "10")
    press_enter_on(page, button("Save rules"))
    success(page, "QA rules saved")
    assert_accessible(page, axe)


def _generate(page: Page, axe, demo: Demo) -> Rota:
    press_enter_on(page, link("Return to the QA rota"))
    heading(page).to_have_text("QA rota")
    assert_accessible(page, axe)
    start = tab_to(page, field("id_starts_on"))
    next_month = timezone.localdate().replace(day=1) + relativedelta(months=1)
    assert start["value"] == next_month.isoformat()
    press_enter_on(page, button("Generate rota"))
    rota = Rota.objects.get(organisation=demo.council)
    assert path_of(page) == rota.get_absolute_url()
    heading(page).to_have_text(f"{rota.starts_on:%B %Y} to {rota.ends_on:%B %Y}")
    success(page, "generated")
    assert_accessible(page, axe)
    if SCREENSHOT:
        page.screenshot(path=SCREENSHOT, full_page=True)
    return rota


def test_qa_runs_the_rota_by_keyboard(live_server, page: Page, demo_people: Demo, axe):
    manager = demo_people.people["team.manager"]
    leader = demo_people.people["senior.leader"]
    login(page, live_server, "qa.manager")
    assert_accessible(page, axe)
    # The header's "QA programme" opens its first page, the rota.
    press_enter_on(page, link("QA programme"))
    heading(page).to_have_text("QA rota")
    assert_accessible(page, axe)

    # 1. The QA rules.
    _edit_rules(page, axe)
    rules = QARules.objects.get(organisation=demo_people.council)
    assert rules.paused_months == [8, 12]
    assert rules.eligible_tiers == [1, 2, 3, 4]
    assert (rules.reminder_days, rules.escalation_days) == (5, 10)

    # 2. Generate a rota from next month, and open it.
    rota = _generate(page, axe, demo_people)
    assert {s.month.month for s in rota.slots.all()}.isdisjoint({8, 12})

    # 3. Reassign team.manager's first practice review to senior.leader, with a reason.
    review = (
        rota.slots.filter(manager=manager, activity=Activity.PRACTICE_REVIEW)
        .order_by("month")
        .first()
    )
    press_enter_on(page, link(f"Review for {manager.display_name} in {review.month:%B %Y}"))
    assert path_of(page) == review.get_absolute_url()
    heading(page).to_contain_text(f"Practice review for {manager.display_name}")
    assert_accessible(page, axe)
    tab_to(page, summary("Reassign to another manager"))
    page.keyboard.press("Enter")
    tab_to(page, field("id_reassign-manager"))
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_reassign-manager")).to_have_value(str(leader.pk))
    tab_to(page, field("id_reassign-reason"))
    page.keyboard.type("Tom is on leave that month")
    press_enter_on(page, button("Reassign the slot"))
    success(page, f"Slot reassigned to {leader.display_name}")
    history = page.locator("#history + table")
    expect(history).to_contain_text(
        f"Reassigned to {leader.display_name}: Tom is on leave that month"
    )
    expect(history).to_contain_text("Priya Shah")
    assert_accessible(page, axe)
    review.refresh_from_db()
    assert review.manager_id == leader.pk

    # 4. Back to the rota; defer senior.leader's first observation to the next month open.
    press_enter_on(page, link("Return to the rota"))
    assert path_of(page) == rota.get_absolute_url()
    observation = (
        rota.slots.filter(manager=leader, activity=Activity.PRACTICE_OBSERVATION)
        .order_by("month")
        .first()
    )
    press_enter_on(
        page, link(f"Observation for {leader.display_name} in {observation.month:%B %Y}")
    )
    heading(page).to_contain_text(f"Practice observation for {leader.display_name}")
    assert_accessible(page, axe)
    tab_to(page, summary("Defer to a later month"))
    page.keyboard.press("Enter")
    tab_to(page, field("id_defer-to_month"))
    page.keyboard.press("ArrowDown")
    later = page.locator("#id_defer-to_month").input_value()
    assert later
    tab_to(page, field("id_defer-reason"))
    page.keyboard.type("Court week")
    press_enter_on(page, button("Defer the slot"))
    observation.refresh_from_db()
    assert observation.month.isoformat() == later
    success(page, f"Slot deferred to {observation.month:%B %Y}")
    expect(page.locator("#history + table")).to_contain_text(
        f"Deferred to {observation.month:%B %Y}: Court week"
    )
    assert_accessible(page, axe)

    # 5. The compliance page: a chart and the same figures as tables.
    press_enter_on(page, link("Return to the rota"))
    press_enter_on(page, link("Compliance"))
    heading(page).to_have_text("Compliance")
    expect(page.locator("svg.app-bar-chart")).to_be_visible()
    expect(page.locator("#table-manager")).to_contain_text(leader.display_name)
    expect(page.locator("#table-month")).to_contain_text("All slots")
    assert_accessible(page, axe)
