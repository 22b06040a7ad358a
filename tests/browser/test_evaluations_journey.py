"""A panel evaluation reaches the social worker, with the keyboard alone and axe on every
page.

Kestrelford's adoption panel met a week ago, chaired by panel.chair with panel.member
sitting; practitioner presented a child's plan for adoption (team manager team.manager).
panel.member finds the item waiting on their home page, first sends the form with no
ratings (and is told what is missing), then rates and comments. panel.chair evaluates
too, opens the collation (both members' ratings side by side, with the averages), writes
the collated feedback and sends it. practitioner signs in, finds the feedback on their
home page and reads it: the chair's words and the averages, not the members' comments.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Notification, StaffMember
from feedback.evaluations import panel_item_add, panel_meeting_create
from feedback.models import PanelEvaluation, PanelItem
from tests.browser.conftest import assert_accessible, login
from tests.browser.demo import Demo
from tests.browser.keyboard import choose_radio, heading, link, success
from tests.browser.observation_steps import control, go, sign_out, type_into
from tests.factories import StaffMemberFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

MEMBER_COMMENT = "The analysis of the child's needs was thin in places."
SUMMARY = "A clear plan, well presented. The panel would like more analysis of contact."


def _panel(demo: Demo) -> PanelItem:
    council = demo.council

    def member(username: str, first: str, last: str) -> StaffMember:
        return StaffMemberFactory(
            user__username=username,
            user__first_name=first,
            user__last_name=last,
            team=None,
            service=None,
            organisation=council,
            role=StaffMember.Role.PANEL_MEMBER,
        )

    chair = member("panel.chair", "Ada", "Wrigley")
    sitting = member("panel.member", "Ben", "Crowther")
    worker = demo.people["practitioner"]
    case = next(c for c in demo.in_team("lac1") if c.allocated_worker_id == worker.pk)
    meeting = panel_meeting_create(
        organisation_id=council.pk,
        held_on=timezone.localdate() - datetime.timedelta(days=7),
        chair=chair,
        members=[sitting],
    )
    return panel_item_add(
        meeting=meeting,
        case=case,
        kind=PanelItem.Kind.PLAN,
        social_worker=worker,
        team_manager=demo.people["team.manager"],
    )


def _evaluate(page: Page, axe, ratings: tuple[str, str, str], comment: str = "") -> None:
    heading(page).to_have_text("Evaluate this item")
    assert_accessible(page, axe)
    for name, value in zip(("report", "presentation", "analysis"), ratings, strict=True):
        choose_radio(page, name, value)
    if comment:
        type_into(page, "id_comments", comment)
    go(page, control("Save your evaluation"))
    success(page, "Evaluation saved")
    assert_accessible(page, axe)


def _member_evaluates(page: Page, axe) -> None:
    heading(page).to_have_text("My work")
    assert_accessible(page, axe)
    go(page, link("1 panel item waiting for your evaluation"))
    heading(page).to_have_text("Adoption panel")
    assert_accessible(page, axe)
    go(page, link("A child's plan for adoption"))
    heading(page).to_have_text("Evaluate this item")
    assert_accessible(page, axe)
    # Nothing partial: a form without its ratings is refused, with GOV.UK messages.
    go(page, control("Save your evaluation"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose a rating for the quality of the report")
    expect(summary).to_contain_text("Choose a rating for the analysis")
    assert_accessible(page, axe)
    _evaluate(page, axe, ("3", "4", "2"), MEMBER_COMMENT)


def _chair_collates(page: Page, axe) -> None:
    go(page, link("Feedback"))
    heading(page).to_have_text("Adoption panel")
    assert_accessible(page, axe)
    go(page, link("Panel of "))
    heading(page).to_contain_text("Panel of ")
    assert_accessible(page, axe)
    go(page, link("Evaluate"))
    _evaluate(page, axe, ("4", "4", "3"))
    go(page, link("Collate and send"))
    heading(page).to_have_text("Collate the evaluations")
    assert_accessible(page, axe)
    rows = page.locator("#ratings-table tbody tr")
    expect(rows.nth(0).locator("td")).to_have_text(["3", "4", "3.5"])
    expect(rows.nth(2).locator("td")).to_have_text(["2", "3", "2.5"])
    expect(page.locator("main")).to_contain_text(MEMBER_COMMENT)
    type_into(page, "id_summary", SUMMARY)
    go(page, control("Send the feedback"))
    success(page, "Feedback sent to the social worker and team manager")
    heading(page).to_have_text("Adoption panel feedback")
    assert_accessible(page, axe)


def _social_worker_reads(page: Page, axe) -> None:
    heading(page).to_have_text("My work")
    assert_accessible(page, axe)
    go(page, link("Feedback from the panel of"))
    heading(page).to_have_text("Adoption panel feedback")
    assert_accessible(page, axe)
    expect(page.locator("#collated-feedback")).to_contain_text(SUMMARY)
    expect(page.locator("#averages tbody td")).to_have_text(["3.5", "4.0", "2.5"])
    expect(page.locator("main")).not_to_contain_text(MEMBER_COMMENT)


def test_a_panel_evaluation_reaches_the_social_worker(
    live_server, page: Page, demo_people: Demo, axe
):
    item = _panel(demo_people)

    login(page, live_server, "panel.member")
    _member_evaluates(page, axe)
    sign_out(page)

    login(page, live_server, "panel.chair")
    _chair_collates(page, axe)
    sign_out(page)

    login(page, live_server, "practitioner")
    _social_worker_reads(page, axe)
    sign_out(page)

    item.refresh_from_db()
    assert item.sent_on == timezone.localdate()
    assert PanelEvaluation.objects.filter(item=item).count() == 2
    told = Notification.objects.filter(url=item.get_absolute_url())
    assert set(told.values_list("recipient__user__username", flat=True)) == {
        "practitioner",
        "team.manager",
    }
