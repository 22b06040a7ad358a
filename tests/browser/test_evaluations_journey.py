"""A panel evaluation reaches the social worker, with the keyboard alone and axe on every
page.

Kestrelford's adoption panel met a week ago. business.support, the panel administrator,
sets it up: first with nothing chosen (and is told what is missing), then with its date,
panel.chair in the chair and panel.member sitting; then adds the item, a child's plan for
adoption, by the child's ID (a mistyped ID is refused), which practitioner, the child's
allocated worker, presented (team manager team.manager, the manager of their team).
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

from cases.models import Case, Notification, StaffMember
from feedback.models import PanelEvaluation, PanelItem, PanelMeeting
from tests.browser.conftest import assert_accessible, login
from tests.browser.demo import Demo
from tests.browser.keyboard import choose_radio, heading, link, replace_text, success, tab_to
from tests.browser.observation_steps import control, go, sign_out, type_date, type_into
from tests.factories import StaffMemberFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

MEMBER_COMMENT = "The analysis of the child's needs was thin in places."
SUMMARY = "A clear plan, well presented. The panel would like more analysis of contact."


def _panel_members(demo: Demo) -> tuple[StaffMember, StaffMember]:
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

    return member("panel.chair", "Ada", "Wrigley"), member("panel.member", "Ben", "Crowther")


def _tick(page: Page, name: str, value: str) -> None:
    """Tab to one checkbox of a group and tick it with Space."""
    tab_to(page, lambda f: f["name"] == name and f["value"] == value)
    page.keyboard.press("Space")
    expect(page.locator(f"input[name={name}][value='{value}']")).to_be_checked()


def _administrator_sets_up(
    page: Page, axe, chair: StaffMember, sitting: StaffMember, case: Case
) -> None:
    """Business support, the panel administrator, sets up the meeting held a week ago and
    adds the child's plan, first with a mistyped ID (refused), then with the child's."""
    held_on = timezone.localdate() - datetime.timedelta(days=7)
    go(page, link("Feedback"))
    go(page, link("Adoption panel"))
    heading(page).to_have_text("Adoption panel")
    assert_accessible(page, axe)
    go(page, control("Set up a panel meeting"))
    heading(page).to_have_text("Set up a panel meeting")
    assert_accessible(page, axe)
    # Nothing chosen: GOV.UK messages, and no meeting.
    go(page, control("Set up the meeting"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the date of the panel")
    expect(summary).to_contain_text("Choose the panel member who chairs the panel")
    expect(summary).to_contain_text("Select the members sitting on the panel")
    assert_accessible(page, axe)
    assert not PanelMeeting.objects.exists()
    type_date(page, "id_held_on", held_on)
    choose_radio(page, "chair", str(chair.pk))
    _tick(page, "members", str(sitting.pk))
    go(page, control("Set up the meeting"))
    success(page, "Panel meeting set up")
    heading(page).to_have_text(f"Panel of {held_on.day} {held_on:%B %Y}")
    assert_accessible(page, axe)

    go(page, control("Add an item"))
    heading(page).to_have_text("Add an item")
    assert_accessible(page, axe)
    type_into(page, "id_case_reference", "NO-SUCH-ID")
    choose_radio(page, "kind", PanelItem.Kind.PLAN)
    go(page, control("Add the item"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("No case you can see has that ID")
    assert_accessible(page, axe)
    assert not PanelItem.objects.exists()
    replace_text(page, "id_case_reference", case.child.reference)
    go(page, control("Add the item"))
    success(page, "Item added: A child's plan for adoption")
    expect(page.locator("#items")).to_be_visible()
    expect(page.locator("main")).to_contain_text(case.child.reference)
    assert_accessible(page, axe)


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
    heading(page).to_have_text("Feedback")
    go(page, link("Adoption panel"))
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
    chair, sitting = _panel_members(demo_people)
    worker = demo_people.people["practitioner"]
    case = next(c for c in demo_people.in_team("lac1") if c.allocated_worker_id == worker.pk)

    login(page, live_server, "business.support")
    _administrator_sets_up(page, axe, chair, sitting, case)
    sign_out(page)
    item = PanelItem.objects.get()
    meeting = item.meeting
    assert (meeting.chair, list(meeting.members.all())) == (chair, [sitting])
    # The case's allocated worker presents it; the team's manager hears the feedback.
    assert (item.case, item.kind) == (case, PanelItem.Kind.PLAN)
    assert (item.social_worker, item.team_manager) == (worker, demo_people.people["team.manager"])

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
