"""An exit questionnaire from the adoption order to the family's answers, with the keyboard
alone and axe on every page.

An adoption order is recorded on the Lomax household's case (saved, as any one event is,
which raises the exit questionnaire and tells the case's worker). The worker signs in,
follows the notification to the questionnaire and makes a one-use link. The adopters open
it on a phone, first send it with nothing chosen and are told what they missed, then
answer; the link refuses a second use. The worker then finds the answers on the
questionnaire.

Only page.keyboard moves and acts (Tab, Shift+Tab, Enter, Space, arrows, typing); login()
signs in through the form, and the family open their link by its address, as they would
from an e-mail.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from cases.models import JourneyEvent
from feedback.models import Questionnaire
from tests.browser.conftest import assert_accessible, login
from tests.browser.demo import Demo
from tests.browser.keyboard import choose_radio, heading, link
from tests.browser.observation_steps import control, go, type_into
from tests.factories import StaffMemberFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

PHONE = {"viewport": {"width": 375, "height": 740}, "locale": "en-GB", "has_touch": True}
LINKS_TABLE = "One-use links made for this questionnaire, newest first"
ANSWERS = {
    "q_information": "4",
    "q_preparation": "5",
    "q_assessment": "4",
    "q_panel": "3",
    "q_matching": "4",
    "q_introductions": "2",
    "q_support": "3",
    "q_overall": "4",
}


@pytest.fixture
def phone(browser: Browser) -> BrowserContext:
    context = browser.new_context(**PHONE)
    yield context
    context.close()


def _adoption_order(demo: Demo) -> Questionnaire:
    worker = StaffMemberFactory(
        user__username="adoption.worker",
        user__first_name="Ada",
        user__last_name="Lomax",
        team=demo.teams["adoption"],
    )
    case = next(c for c in demo.cases if c.adopter_id is not None)
    case.allocated_worker = worker
    case.save(update_fields=["allocated_worker"])
    day = timezone.localdate() - datetime.timedelta(days=1)
    JourneyEvent.objects.create(
        organisation=case.organisation,
        case=case,
        kind=JourneyEvent.Kind.ADOPTION_ORDER,
        occurred_on=day,
        recorded_on=timezone.localdate(),
        recorded_by=worker,
        outcome="Adoption order granted at Kestrelford Family Court",
    )
    return Questionnaire.objects.get(case=case)


def _worker_makes_a_link(page: Page, axe, live_server, questionnaire: Questionnaire) -> str:
    login(page, live_server, "adoption.worker")
    assert_accessible(page, axe)
    go(page, link("Notifications (1"))
    heading(page).to_contain_text("Notifications")
    assert_accessible(page, axe)
    go(page, link("A questionnaire is waiting to be sent: Exit questionnaire"))
    heading(page).to_have_text("Exit questionnaire")
    expect(page.locator("main")).to_contain_text(questionnaire.case.adopter.household_name)
    expect(page.locator("main")).to_contain_text("Adoption order granted on")
    assert_accessible(page, axe)

    type_into(page, "id_recipient", "Both parents")
    go(page, control("Make a link"))
    expect(page.locator("#new-link")).to_contain_text("shown only once")
    assert_accessible(page, axe)
    address = page.locator("#new-link-url").input_value()
    assert "/have-your-say/" in address
    expect(page.get_by_role("table", name=LINKS_TABLE)).to_contain_text("Both parents")
    return address


def _family_answers(family: Page, axe, address: str) -> None:
    family.goto(address)
    heading(family).to_have_text("Your adoption journey")
    assert_accessible(family, axe)

    go(family, control("Send"))
    expect(family.locator(".govuk-error-summary")).to_contain_text(
        "Choose an answer for ‘The adoption panel’"
    )
    assert_accessible(family, axe)

    for name, value in ANSWERS.items():
        choose_radio(family, name, value)
    type_into(family, "id_comments", "Our worker was brilliant; introductions felt rushed.")
    go(family, control("Send"))
    heading(family).to_have_text("Thank you")
    assert_accessible(family, axe)

    family.goto(address)
    heading(family).to_contain_text("This link does not work")
    assert_accessible(family, axe)


def test_an_adoption_order_raises_an_exit_questionnaire_that_the_family_answers_once(
    live_server, settings, page: Page, phone: BrowserContext, demo_people: Demo, axe
):
    # The address the link is given by is this server's.
    settings.QAPORTAL_SITE_URL = live_server.url
    questionnaire = _adoption_order(demo_people)
    assert questionnaire.kind == Questionnaire.Kind.EXIT

    address = _worker_makes_a_link(page, axe, live_server, questionnaire)
    _family_answers(phone.new_page(), axe, address)

    go(page, link("Back to questionnaires"))
    heading(page).to_have_text("Questionnaires")
    assert_accessible(page, axe)
    go(page, link("Exit questionnaire"))
    expect(page.locator("#questionnaire-status")).to_contain_text("Answered")
    expect(page.locator("main")).to_contain_text("The family's answers")
    expect(page.locator("main")).to_contain_text("Poor (2 out of 5)")
    expect(page.locator("#comments")).to_contain_text("introductions felt rushed")
    expect(page.get_by_role("table", name=LINKS_TABLE)).to_contain_text("Used")
    assert_accessible(page, axe)
    questionnaire.refresh_from_db()
    assert questionnaire.channel == Questionnaire.Channel.LINK
    assert questionnaire.answers.count() == len(ANSWERS)


def test_the_scores_link_to_the_questionnaires_behind_them(
    live_server, page: Page, demo_people: Demo, axe
):
    case = next(c for c in demo_people.cases if c.adopter_id is not None)
    day = timezone.localdate() - datetime.timedelta(days=1)
    for n, score in enumerate((5, 4, 4)):
        event = JourneyEvent.objects.create(
            organisation=case.organisation,
            case=case,
            kind=JourneyEvent.Kind.PANEL,
            occurred_on=day - datetime.timedelta(days=n),
            recorded_on=day,
        )
        questionnaire = Questionnaire.objects.get(event=event)
        questionnaire.answers.create(
            organisation=case.organisation, question="welcome", score=score
        )
        Questionnaire.objects.filter(pk=questionnaire.pk).update(status="answered", answered_on=day)

    login(page, live_server, "qa.manager")
    go(page, link("Feedback"))
    go(page, link("Questionnaires"))
    heading(page).to_have_text("Questionnaires")
    assert_accessible(page, axe)
    go(page, link("See the scores by half-year"))
    heading(page).to_have_text("Questionnaire scores")
    # welcome: (5 + 4 + 4) / 3 = 4.33 -> 4.3.
    expect(page.locator("#table-after_panel")).to_contain_text("4.3")
    assert_accessible(page, axe)
    go(page, link("3"))
    heading(page).to_have_text("Questionnaires")
    expect(page.locator("#questionnaire-count")).to_have_text("3 questionnaires")
    assert_accessible(page, axe)
