"""A board from its setting up to a decision in the improvement plan, and a learning brief
from writing to its first reader, by keyboard alone, with axe on every page.

On Tuesday 8 December 2026 qa.manager opens Boards and meetings from the header's Board
group and adds the Practice Improvement Board: the member list narrowed by the filter to
team.manager's team, two of its people ticked as members, senior.leader in the chair. QA
schedules a meeting for that afternoon, builds its agenda (two items, the second moved
up) and publishes it to the members; after the meeting QA records the minutes and a
decision owned by team.manager, due 31 March 2027, then finds that decision among the
improvement plan's open actions, and follows its link back to the meeting.

QA then writes a learning brief for "Kestrelford looked after 1" alone (first sent
without a title: the error summary says so) and publishes it. practitioner, of that
team and a member of the board, reads the meeting's minutes and decision (nothing to
change there), then finds the brief under Learning briefs marked new, reads it, and sees
it marked read; QA sees 1 of the team's 3 has read it.

The clock is moved with time-machine (the live server runs in this process).
"""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from cases.models import Notification
from governance.models import (
    Board,
    BriefRead,
    Decision,
    LearningBrief,
    Meeting,
    PlanAction,
)
from tests.browser.conftest import assert_accessible, login, path_of
from tests.browser.demo import Demo, build_demo
from tests.browser.keyboard import (
    button,
    choose_option,
    choose_radio,
    heading,
    link,
    success,
    tab_to,
)
from tests.browser.observation_steps import control, go, sign_out, type_date, type_into

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 12, 8, 10, 0, tzinfo=LONDON)
AFTER_THE_MEETING = datetime.datetime(2026, 12, 8, 16, 30, tzinfo=LONDON)
DUE = datetime.date(2027, 3, 31)
BOARD = "Practice Improvement Board"
TEAM = "Kestrelford looked after 1"
FIRST_ITEM = "Audit findings for November"
SECOND_ITEM = "November's exceptions returns"
DECISION = "Refresh the care planning guidance with the independent reviewing officers"
BRIEF = "Seven minutes on care plans children recognise"
PARTS = {
    "id_found": "Half the care plans audited in November were not written with the child.",
    "id_matters": "Children who recognise their plan know what will change and why.",
    "id_good_looks_like": "Plans in the child's words, agreed at the review.",
    "id_questions": "Which of your plans would the child recognise as theirs?",
}


def _tick(page: Page, name: str, value: int) -> None:
    """Tab to a checkbox by its value and tick it with Space."""
    tab_to(page, lambda f: f["name"] == name and f["value"] == str(value))
    page.keyboard.press("Space")
    expect(page.locator(f"input[name={name}][value='{value}']")).to_be_checked()


def _add_the_board(page: Page, axe, demo: Demo) -> Board:
    go(page, link("Board"))
    go(page, link("Boards and meetings"))
    heading(page).to_have_text("Boards and meetings")
    expect(page.locator("main")).to_contain_text("No boards yet.")
    assert_accessible(page, axe)

    go(page, link("Add a board"))
    heading(page).to_have_text("Add a board")
    members = page.locator("input[name=members]")
    expect(members).to_have_count(7)  # Kestrelford's staff; none of Marrowby's
    assert_accessible(page, axe)

    # Narrow the list of staff to tick to the team.
    choose_option(page, "id_team", str(demo.teams["lac1"].pk))
    go(page, button("Show these staff"))
    heading(page).to_have_text("Add a board")
    expect(page.locator("#id_team")).to_have_value(str(demo.teams["lac1"].pk))
    expect(members).to_have_count(3)  # Tom Holroyd, Sam Okafor, Cal Ramsden
    member_list = page.locator("#board-form")
    expect(member_list).to_contain_text("Sam Okafor (Practitioner, Kestrelford looked after 1)")
    # Senior leaders are not in the team: not listed to tick, still there to chair.
    expect(member_list.locator("label", has_text="Helen Marsden")).to_have_count(0)
    expect(page.locator("#id_chair option", has_text="Helen Marsden")).to_have_count(1)
    expect(page.locator("#staff-filter")).to_contain_text("Show everyone")
    assert_accessible(page, axe)

    type_into(page, "id_name", BOARD)
    choose_radio(page, "kind", "practice_improvement")
    choose_radio(page, "frequency", "monthly")
    type_into(page, "id_purpose", "Oversees the learning from audits and what changes.")
    choose_option(page, "id_chair", str(demo.people["senior.leader"].pk))
    _tick(page, "members", demo.people["team.manager"].pk)
    _tick(page, "members", demo.people["practitioner"].pk)
    go(page, control("Save the board"))
    success(page, f"{BOARD} is saved")
    heading(page).to_have_text(BOARD)
    expect(page.locator("#board-summary")).to_contain_text("Helen Marsden")
    listed = page.locator("#members li")
    expect(listed).to_have_count(2)
    expect(page.locator("#members")).to_contain_text("Tom Holroyd")
    expect(page.locator("#members")).to_contain_text("Sam Okafor")
    expect(page.locator("main")).to_contain_text("No meetings planned.")
    assert_accessible(page, axe)
    return Board.objects.get(name=BOARD)


def _schedule_and_build_the_agenda(page: Page, axe, demo: Demo) -> Meeting:
    go(page, link("Schedule a meeting"))
    heading(page).to_have_text("Schedule a meeting")
    assert_accessible(page, axe)
    type_date(page, "id_date", NOW.date())
    type_into(page, "id_time", "14:00")
    type_into(page, "id_place", "Room 2, Kestrelford House")
    go(page, control("Schedule the meeting"))
    success(page, "The meeting is scheduled: now add its agenda")
    heading(page).to_have_text("The agenda")
    expect(page.locator("main")).to_contain_text("No items yet.")
    assert_accessible(page, axe)

    type_into(page, "id_title", FIRST_ITEM)
    choose_option(page, "id_presenter", str(demo.people["qa.manager"].pk))
    go(page, control("Add the item"))
    success(page, "The item is added to the agenda")
    type_into(page, "id_title", SECOND_ITEM)
    choose_option(page, "id_returns_month", "2026-11")
    go(page, control("Add the item"))
    success(page, "The item is added to the agenda")
    items = page.locator("#agenda-items > li h3")
    expect(items).to_have_text([FIRST_ITEM, SECOND_ITEM])
    assert_accessible(page, axe)

    # The returns first: move the second item up.
    go(page, button(f"Move up: {SECOND_ITEM}"))
    success(page, "The agenda is saved")
    expect(items).to_have_text([SECOND_ITEM, FIRST_ITEM])
    assert_accessible(page, axe)

    go(page, button("Publish the agenda to the members"))
    success(page, "The agenda is published: the members and the chair are told")
    heading(page).to_have_text("Meeting of Tuesday 8 December 2026")
    expect(page.locator("#meeting-status")).to_contain_text("Planned")
    expect(page.locator("#meeting-status")).to_contain_text(
        "14:00 · Room 2, Kestrelford House · agenda published 8 December 2026"
    )
    expect(page.locator("#agenda-items > li h3")).to_have_text([SECOND_ITEM, FIRST_ITEM])
    expect(page.locator("#agenda-items")).to_contain_text("Exceptions returns: November 2026")
    expect(page.locator("#agenda-items")).to_contain_text("Presented by Priya Shah")
    assert_accessible(page, axe)
    return Meeting.objects.get()


def _minutes_and_a_decision(page: Page, axe, demo: Demo) -> None:
    type_into(page, "id_minutes", "The board went through November's returns and audits.")
    go(page, control("Save the minutes and mark the meeting held"))
    success(page, "The minutes are saved and the meeting is marked held")
    expect(page.locator("#meeting-status")).to_contain_text("Held")
    expect(page.locator("main")).to_contain_text("No decisions recorded.")
    assert_accessible(page, axe)

    type_into(page, "id_text", DECISION)
    choose_option(page, "id_owner", str(demo.people["team.manager"].pk))
    type_date(page, "id_due_on", DUE)
    go(page, control("Record the decision"))
    success(page, "The decision is recorded and added to the improvement plan")
    row = page.locator("#decision-list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(DECISION)
    expect(row).to_contain_text("Tom Holroyd")
    expect(row).to_contain_text("31 Mar 2027")
    expect(row.get_by_role("link")).to_contain_text("Plan action: Refresh the care planning")
    assert_accessible(page, axe)


def _the_decision_in_the_plan(page: Page, axe, meeting: Meeting) -> None:
    go(page, link("Board"))
    go(page, link("Improvement plan"))
    heading(page).to_have_text("Quality Improvement Action Plan")
    assert_accessible(page, axe)
    go(page, link("1 open action"))
    heading(page).to_have_text("Plan actions")
    expect(page.locator("#plan-actions tbody tr")).to_have_count(1)
    assert_accessible(page, axe)
    go(page, link(DECISION))
    heading(page).to_have_text(DECISION)
    expect(page.locator(".govuk-caption-l")).to_have_text("Board decision")
    summary = page.locator("#action-summary")
    expect(summary).to_contain_text("Tom Holroyd")
    expect(summary).to_contain_text("31 March 2027")
    assert_accessible(page, axe)

    # And back to the meeting that decided it.
    go(page, link("Board decision: open where it was raised"))
    assert path_of(page) == meeting.get_absolute_url()
    heading(page).to_have_text("Meeting of Tuesday 8 December 2026")
    expect(page.locator(".govuk-caption-l")).to_have_text(BOARD)
    assert_accessible(page, axe)


def _write_and_publish_the_brief(page: Page, axe, demo: Demo) -> LearningBrief:
    go(page, link("Board"))
    go(page, link("Learning briefs"))
    heading(page).to_have_text("Learning briefs")
    expect(page.locator("main")).to_contain_text("No learning briefs for you yet.")
    assert_accessible(page, axe)
    go(page, link("Write a learning brief"))
    heading(page).to_have_text("Write a learning brief")
    assert_accessible(page, axe)

    # Sent without a title: the summary says so, nothing is saved.
    go(page, control("Save as a draft"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(["Enter a title for the brief"])
    assert_accessible(page, axe)
    assert not LearningBrief.objects.exists()

    type_into(page, "id_title", BRIEF)
    for element_id, text in PARTS.items():
        type_into(page, element_id, text)
    type_into(page, "id_source_text", "November's care plan audits")
    choose_radio(page, "whole_organisation", "no")
    _tick(page, "teams", demo.teams["lac1"].pk)
    go(page, control("Save as a draft"))
    success(page, "Your draft is saved")
    heading(page).to_have_text("Your draft learning brief")
    expect(page.locator("#id_title")).to_have_value(BRIEF)
    assert_accessible(page, axe)

    go(page, link("Back to the brief"))
    heading(page).to_have_text(BRIEF)
    expect(page.locator("#brief-status")).to_contain_text("Draft")
    assert_accessible(page, axe)
    go(page, button("Publish the brief"))
    success(page, "The brief is published: everyone it is for has been told")
    expect(page.locator("#brief-status")).to_contain_text(
        "Published · published 8 December 2026 by Priya Shah"
    )
    reads = page.locator("#reads tbody tr")
    expect(reads).to_have_count(1)
    expect(reads.locator("th")).to_have_text(TEAM)
    expect(reads.locator("td")).to_have_text(["0", "3", "0%"])
    assert_accessible(page, axe)
    return LearningBrief.objects.get()


def _practitioner_reads_it(page: Page, axe, live_server) -> None:
    login(page, live_server, "practitioner")
    # A member of the board now: the header's Board group lists the boards.
    go(page, link("Board"))
    go(page, link("Boards and meetings"))
    heading(page).to_have_text("Boards and meetings")
    expect(page.get_by_role("link", name="Add a board")).to_have_count(0)
    assert_accessible(page, axe)
    go(page, link(BOARD))
    heading(page).to_have_text(BOARD)
    expect(page.locator("#past-meetings")).to_contain_text("8 December 2026 Held")
    assert_accessible(page, axe)
    go(page, link("8 December 2026"))
    heading(page).to_have_text("Meeting of Tuesday 8 December 2026")
    # The minutes and decisions to read, not to change.
    expect(page.locator("#minutes-text")).to_contain_text("November's returns and audits")
    expect(page.locator("#decision-list")).to_contain_text(DECISION)
    expect(page.locator("#minutes-form")).to_have_count(0)
    expect(page.locator("#decision-form")).to_have_count(0)
    expect(page.locator("#edit-agenda")).to_have_count(0)
    assert_accessible(page, axe)

    go(page, link("Board"))
    go(page, link("Learning briefs"))
    heading(page).to_have_text("Learning briefs")
    entry = page.locator("#briefs li")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(BRIEF)
    expect(entry).to_contain_text("published 8 December 2026")
    expect(entry.locator(".govuk-tag")).to_have_text("New")
    # Not QA's: no way to write one.
    expect(page.get_by_role("link", name="Write a learning brief")).to_have_count(0)
    assert_accessible(page, axe)

    go(page, link(BRIEF))
    heading(page).to_have_text(BRIEF)
    for text in PARTS.values():
        expect(page.locator("main")).to_contain_text(text)
    expect(page.locator("#sources")).to_contain_text("November's care plan audits")
    # Who has read it is for QA and senior leaders.
    expect(page.locator("#reads")).to_have_count(0)
    expect(page.locator("#publish-brief")).to_have_count(0)
    assert_accessible(page, axe)

    go(page, link("All learning briefs"))
    expect(page.locator("#briefs li .govuk-tag")).to_have_text("Read")
    assert_accessible(page, axe)


def _qa_sees_the_reading(page: Page, axe, live_server) -> None:
    login(page, live_server, "qa.manager")
    go(page, link("Board"))
    go(page, link("Learning briefs"))
    go(page, link(BRIEF))
    heading(page).to_have_text(BRIEF)
    row = page.locator("#reads tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("th")).to_have_text(TEAM)
    expect(row.locator("td")).to_have_text(["1", "3", "33%"])
    assert_accessible(page, axe)


def test_a_board_decision_reaches_the_plan_and_a_learning_brief_its_team(
    live_server, page: Page, axe
):
    with time_machine.travel(NOW, tick=True):
        demo = build_demo()
        login(page, live_server, "qa.manager")
        board = _add_the_board(page, axe, demo)
        meeting = _schedule_and_build_the_agenda(page, axe, demo)
    with time_machine.travel(AFTER_THE_MEETING, tick=True):
        _minutes_and_a_decision(page, axe, demo)
        _the_decision_in_the_plan(page, axe, meeting)
        brief = _write_and_publish_the_brief(page, axe, demo)
        sign_out(page)
        _practitioner_reads_it(page, axe, live_server)
        sign_out(page)
        _qa_sees_the_reading(page, axe, live_server)

    # The board as set up.
    assert (board.kind, board.frequency, board.chair) == (
        Board.Kind.PRACTICE_IMPROVEMENT,
        Board.Frequency.MONTHLY,
        demo.people["senior.leader"],
    )
    assert set(board.members.all()) == {demo.people["team.manager"], demo.people["practitioner"]}
    # The meeting, its agenda in the order left, the agenda sent to the members and chair.
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert (meeting.date, meeting.time) == (NOW.date(), datetime.time(14, 0))
    assert [i.title for i in meeting.items.order_by("order")] == [SECOND_ITEM, FIRST_ITEM]
    assert meeting.items.get(title=SECOND_ITEM).returns_month == datetime.date(2026, 11, 1)
    told = Notification.objects.filter(url=meeting.get_absolute_url())
    assert {n.recipient for n in told} == {
        demo.people["team.manager"],
        demo.people["practitioner"],
        demo.people["senior.leader"],
    }
    # The decision became a plan action linked back to the meeting.
    decision = Decision.objects.get()
    action = decision.plan_action
    assert action is not None
    assert (action.source, action.owner, action.due_on, action.title) == (
        PlanAction.Source.BOARD,
        demo.people["team.manager"],
        DUE,
        DECISION,
    )
    assert (action.decided_by, action.decided_on) == (BOARD, NOW.date())
    assert action.source_url == meeting.get_absolute_url()
    # The brief, to the one team, read once by the practitioner (QA is not its audience).
    brief.refresh_from_db()
    assert brief.is_published
    assert not brief.whole_organisation
    assert list(brief.teams.all()) == [demo.teams["lac1"]]
    assert [r.staff for r in BriefRead.objects.all()] == [demo.people["practitioner"]]
    assert Notification.objects.filter(url=brief.get_absolute_url()).count() == 3
