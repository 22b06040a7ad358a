"""A Performance Exceptions return from opening to the head of service's summary, by
keyboard alone, with axe on every page.

On 4 January 2027 (the first working day of the year: 1 January a bank holiday, then a
weekend) the job opens December's returns. team.manager finds theirs from the header's
Board group, sends it first with nothing written (the error summary lists every section),
saves one section to come back later, then writes the rest (the autosave line says when
it has saved), raises an action with an owner and a due date, and submits the return to
their service manager. service.manager is told by a notification, follows it to the
return, adds commentary and marks it reviewed, then writes their summary of the service's
returns side by side. senior.leader (a senior leader of the head-of-service tier) is told
the service's summary is written, opens the head of service's month of the cascade, reads
the service's summary beside its teams' returns and writes theirs. qa.manager sees how
far the month's cascade has got on the returns list, and opens each level's page.

The clock is moved with time-machine (the live server runs in this process).
"""

from __future__ import annotations

import datetime
import zoneinfo
from urllib.parse import parse_qs

import pytest
import time_machine
from playwright.sync_api import Page, expect

from cases.models import Notification
from governance import services
from governance.cascade_levels import Level
from governance.models import CascadeSummary, ExceptionsReturn, ReturnAction, ServiceSummary
from tests.browser.conftest import assert_accessible, login
from tests.browser.demo import Demo, build_demo
from tests.browser.keyboard import choose_option, heading, link, success, tab_to
from tests.browser.observation_steps import (
    autosave_idle,
    control,
    go,
    sign_out,
    type_date,
    type_into,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2027, 1, 4, 10, 0, tzinfo=LONDON)
DECEMBER = datetime.date(2026, 12, 1)
TEAM = "Kestrelford looked after 1"
SERVICE = "Children looked after"
ANSWERS = {
    "id_worried_about": "Two assessments went past 45 days.",
    "id_most_proud_of": "The life story work with a sibling group.",
    "id_actions": "Weekly tracking of assessments nearing 35 days.",
    "id_practitioners_feeling": "Tired but positive; reflective time protected.",
}
ACTION = "Track every assessment nearing 35 days at the weekly huddle"
ACTION_OWNER = "practitioner"  # Sam Okafor, of team.manager's team
ACTION_DUE = datetime.date(2027, 2, 26)
SERVICE_SUMMARY = "Both teams on track; caseloads the one worry."
HEAD_SUMMARY = "Assessment timeliness in looked after 1 to the senior management team."


def go_back_to(page: Page, text: str) -> None:
    """Shift+Tab back to a control above the focus, then press Enter."""
    tab_to(page, control(text), backwards=True)
    autosave_idle(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def _team_manager_submits(page: Page, axe, demo: Demo) -> None:
    go(page, link("Board"))
    go(page, link("Exceptions returns"))
    heading(page).to_have_text("Performance exceptions returns")
    assert_accessible(page, axe)
    go(page, link(TEAM))
    heading(page).to_have_text(TEAM)
    expect(page.locator("#data-exceptions")).to_be_visible()
    assert_accessible(page, axe)

    go(page, control("Submit to your service manager"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("What's working well?")
    expect(summary).to_contain_text("What are you worried about?")
    assert_accessible(page, axe)

    type_into(page, "id_working_well", "Visits on time for every child.")
    go(page, control("Save and come back later"))
    success(page, "you can come back to it later")
    assert_accessible(page, axe)

    # The rest saves itself as it is typed: the status line says so.
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("Last saved")
    *first, (last_id, last_text) = ANSWERS.items()
    for element_id, text in first:
        type_into(page, element_id, text)
    # The last answer's save: a few seconds after the typing stops, with no key pressed.
    with page.expect_response(
        lambda r: (
            r.request.method == "POST"
            and parse_qs(r.request.post_data or "").get("practitioners_feeling") == [last_text]
        ),
        timeout=15_000,
    ) as saving:
        type_into(page, last_id, last_text)
    assert saving.value.request.header_value("HX-Request") == "true"
    expect(status).to_contain_text("Saved at")
    assert_accessible(page, axe)
    ret = ExceptionsReturn.objects.get(team__name=TEAM)
    assert ret.status == ExceptionsReturn.Status.OPEN
    assert ret.practitioners_feeling == ANSWERS["id_practitioners_feeling"]

    # An action with an owner from the team and a due date, raised below the return.
    type_into(page, "id_title", ACTION)
    choose_option(page, "id_owner", str(demo.people[ACTION_OWNER].pk))  # type: ignore[attr-defined]
    type_date(page, "id_due_on", ACTION_DUE)
    go(page, control("Raise the action"))
    success(page, "Your action is raised")
    expect(page.locator("#action-list")).to_contain_text(ACTION)
    expect(page.locator("#action-list")).to_contain_text("Sam Okafor")
    assert_accessible(page, axe)

    # The narrative is still there after the action's round trip; submit it.
    expect(page.locator("#id_practitioners_feeling")).to_have_value(
        ANSWERS["id_practitioners_feeling"]
    )
    go_back_to(page, "Submit to your service manager")
    success(page, "submitted to your service manager")
    expect(page.locator("#narrative-answers")).to_contain_text("Visits on time for every child.")
    expect(page.locator("#narrative-answers")).to_contain_text(ANSWERS["id_worried_about"])
    expect(page.locator("#action-list")).to_contain_text(ACTION)
    assert_accessible(page, axe)


def _notified(page: Page, axe, subject: str) -> None:
    """The header says there is a notification; its page lists it; follow it."""
    expect(page.locator(".app-header__notifications")).to_have_text("Notifications (1 unread)")
    go(page, link("Notifications"))
    heading(page).to_have_text("Notifications")
    assert_accessible(page, axe)
    go(page, link(subject))


def _service_manager_reviews(page: Page, axe) -> None:
    _notified(
        page,
        axe,
        f"{TEAM}'s performance exceptions return for December 2026 is submitted",
    )
    heading(page).to_have_text(TEAM)
    expect(page.locator("#narrative-answers")).to_contain_text(ANSWERS["id_worried_about"])
    expect(page.locator("#action-list")).to_contain_text(ACTION)
    assert_accessible(page, axe)
    type_into(page, "id_commentary", "Caseloads to the Performance and Outcomes meeting.")
    go(page, control("Save and mark reviewed"))
    success(page, "marked reviewed")
    expect(page.locator("#commentary-text")).to_contain_text("Caseloads")
    assert_accessible(page, axe)

    go(page, link("All returns"))
    go(page, link("Your service's returns side by side"))
    heading(page).to_have_text(SERVICE)
    side = page.locator("#side-by-side")
    expect(side).to_contain_text(TEAM)
    main = page.locator("main")
    expect(main).to_contain_text(ANSWERS["id_most_proud_of"])
    expect(main).to_contain_text(ACTION)
    assert_accessible(page, axe)
    type_into(page, "id_commentary", SERVICE_SUMMARY)
    go(page, control("Save the summary"))
    success(page, "Your summary is saved")
    assert_accessible(page, axe)


def _head_of_service_summarises(page: Page, axe, demo: Demo) -> None:
    _notified(
        page, axe, f"{SERVICE}'s summary of the performance exceptions returns for December 2026"
    )
    # The notification leads to the service's page, read only for a head of service.
    heading(page).to_have_text(SERVICE)
    expect(page.locator("#summary-text")).to_contain_text(SERVICE_SUMMARY)
    expect(page.locator("#summary-form")).to_have_count(0)
    assert_accessible(page, axe)

    go(page, link("All returns"))
    go(page, link("Head of service: the month's cascade"))
    heading(page).to_have_text("Head of service")
    expect(page.locator("#meeting")).to_contain_text("Thursday 21 January 2027")
    service = demo.teams["lac1"].service
    table = page.locator(f"#service-{service.pk}")
    row = table.locator("tr", has_text=TEAM)
    expect(row).to_contain_text("Reviewed")
    expect(row).to_contain_text(ANSWERS["id_worried_about"])
    expect(row.locator("td").last).to_have_text("1")  # the action raised on it
    expect(page.locator(f"#service-summary-{service.pk}")).to_contain_text(SERVICE_SUMMARY)
    assert_accessible(page, axe)

    type_into(page, "id_commentary", HEAD_SUMMARY)
    go(page, control("Save the summary"))
    success(page, "Your summary is saved")
    expect(page.locator("#id_commentary")).to_have_value(HEAD_SUMMARY)
    assert_accessible(page, axe)


def _qa_sees_the_cascade(page: Page, axe, expected_returns: int, expected_services: int) -> None:
    go(page, link("Board"))
    go(page, link("Exceptions returns"))
    heading(page).to_have_text("Performance exceptions returns")
    counts = page.locator("#level-counts")
    expect(counts).to_contain_text("How far the cascade has got for December 2026")

    def cells(label: str) -> object:
        return expect(counts.locator("tr", has_text=label).locator("td"))

    cells("Team returns submitted").to_have_text(
        ["15 Jan 2027", "1", str(expected_returns), "1 reviewed by their service manager"]
    )
    cells("Service summaries written").to_have_text(
        ["19 Jan 2027", "1", str(expected_services), ""]
    )
    cells("Head of service summary written").to_have_text(["21 Jan 2027", "1", "1", ""])
    cells("Senior management team summary written").to_have_text(["25 Jan 2027", "0", "1", ""])
    cells("Chief executive summary written").to_have_text(["27 Jan 2027", "0", "1", ""])
    assert_accessible(page, axe)

    # QA reads every level's page (and writes at none).
    for label, title in (
        ("Head of service: the month's cascade", "Head of service"),
        ("Senior management team: the month's cascade", "Senior management team"),
        ("Chief executive: the month's cascade", "Chief executive"),
    ):
        go(page, link(label))
        heading(page).to_have_text(title)
        expect(page.locator("#summary-form")).to_have_count(0)
        expect(page.locator("main")).to_contain_text(HEAD_SUMMARY)
        assert_accessible(page, axe)
        go(page, link("All returns"))


def test_a_return_goes_up_the_cascade_from_the_team_to_the_head_of_service(
    live_server, page: Page, axe
):
    with time_machine.travel(NOW, tick=True):
        demo = build_demo()
        assert services.exceptions_returns_create(day=NOW.date())["created"] >= 2
        december = ExceptionsReturn.objects.filter(organisation=demo.council, month=DECEMBER)
        expected = (december.count(), december.values("service_id").distinct().count())
        login(page, live_server, "team.manager")
        _team_manager_submits(page, axe, demo)
        sign_out(page)
        login(page, live_server, "service.manager")
        _service_manager_reviews(page, axe)
        sign_out(page)
        login(page, live_server, "senior.leader")
        _head_of_service_summarises(page, axe, demo)
        sign_out(page)
        login(page, live_server, "qa.manager")
        _qa_sees_the_cascade(page, axe, *expected)

    ret = ExceptionsReturn.objects.get(team__name=TEAM)
    assert ret.status == ExceptionsReturn.Status.REVIEWED
    assert ret.month == DECEMBER
    assert ret.submitted_by == demo.people["team.manager"]
    assert ret.reviewed_by == demo.people["service.manager"]
    action = ReturnAction.objects.get()
    assert (action.exceptions_return, action.title) == (ret, ACTION)
    assert (action.owner, action.due_on) == (demo.people[ACTION_OWNER], ACTION_DUE)
    assert ServiceSummary.objects.get().commentary == SERVICE_SUMMARY
    head = CascadeSummary.objects.get()
    assert (head.level, head.month, head.commentary) == (
        Level.HEAD_OF_SERVICE,
        DECEMBER,
        HEAD_SUMMARY,
    )
    assert head.written_by == demo.people["senior.leader"]
    told = Notification.objects.filter(key__startswith="exceptions-return:").get()
    assert told.recipient == demo.people["service.manager"]
