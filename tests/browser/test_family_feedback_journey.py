"""Feedback from families and what the organisation does with it, with the keyboard alone
and axe on every page.

The acceptance test: a parent gives feedback through a one-use link on a phone-sized
screen and the link then refuses a second use. The practitioner opens a child's record,
asks for feedback through a one-use link for a parent, carer or adopter and reads the
link off the page. The parent opens it on a phone with JavaScript off, sends it once with
nothing chosen and is told what they missed, then chooses a face, says they are a parent,
writes in the boxes and sends it; the link then does not open again. The practitioner
finds the feedback on the child's record and in the feedback list, and records the
response.

A child's link asks in simpler words. The staff pages the journey does not reach (the
list's filters, recording feedback, themes, the figures, "you said, we did") and the
organisation's public "you said, we did" page are used with the keyboard and scanned too.

Only page.keyboard moves and acts (Tab, Shift+Tab, Enter, Space, arrows, typing); login()
signs in through the form, and a family opens a link by its address, as they would from
a text message. The clock is fixed with time-machine, and the caseload built under it.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from collections.abc import Iterator

import pytest
import time_machine
from playwright.sync_api import Browser, BrowserContext, Page, expect

from cases import links
from cases.models import Case, FamilyLink
from feedback import voices
from feedback.models import Feedback, FeedbackTheme, YouSaidWeDid
from tests.browser.conftest import assert_accessible, login, path_of
from tests.browser.demo import Demo, build_demo
from tests.browser.keyboard import (
    choose_option,
    choose_radio,
    field,
    heading,
    link,
    success,
    summary,
    tab_to,
)
from tests.browser.observation_steps import control, go, type_into

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Wednesday 13 January 2027, mid-morning.
NOW = datetime.datetime(2027, 1, 13, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()
PHONE = {
    "viewport": {"width": 375, "height": 667},
    "is_mobile": True,
    "has_touch": True,
    "locale": "en-GB",
    "java_script_enabled": False,
}
FACE_ONLY = "(a face only, no words)"


@pytest.fixture
def demo(live_server) -> Iterator[Demo]:
    """The demo caseload, built with the clock fixed, and the clock kept there (ticking)."""
    with time_machine.travel(NOW, tick=True):
        yield build_demo()


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(**PHONE)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def scanner(browser: Browser) -> Iterator[BrowserContext]:
    """A phone with scripts on, for axe: axe-core cannot run where the page's scripts are
    off (its promises wait on timers that never fire)."""
    context = browser.new_context(**{**PHONE, "java_script_enabled": True})
    context.set_default_timeout(10_000)
    yield context
    context.close()


SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)


def assert_accessible_without_scripts(page: Page, scanner: BrowserContext, axe) -> None:
    """Scan the page exactly as the phone without JavaScript has it now: its document, its
    scripts taken out, served at its own address to a phone that can run axe."""
    html = SCRIPT.sub("", page.content())
    address = page.url.split("#")[0]
    copy = scanner.new_page()
    try:
        copy.route(
            address,
            lambda route: route.fulfill(status=200, content_type="text/html", body=html),
        )
        copy.goto(address)
        assert copy.locator("script").count() == 0
        assert_accessible(copy, axe)
    finally:
        copy.close()


def _practitioners_case(demo: Demo) -> Case:
    staff = demo.people["practitioner"]
    return next(c for c in demo.in_team("lac1") if c.allocated_worker_id == staff.pk)


# 1. The acceptance test.


def _worker_makes_a_link(page: Page, axe, live_server, case: Case) -> str:
    child = case.child
    login(page, live_server, "practitioner")
    assert_accessible(page, axe)
    go(page, link("Cases"))
    heading(page).to_have_text("Cases")
    assert_accessible(page, axe)
    go(page, link(child.full_name))
    heading(page).to_have_text(child.full_name)
    expect(page.locator("#feedback")).to_have_text("Feedback from the family")
    expect(page.locator("main")).to_contain_text("No feedback recorded yet.")
    assert_accessible(page, axe)

    go(page, link("Ask for feedback through a one-use link"))
    heading(page).to_have_text("Ask for feedback")
    assert_accessible(page, axe)
    choose_radio(page, "audience", FamilyLink.Audience.ADULT)
    type_into(page, "id_recipient", "Mum")
    go(page, control("Make the link"))
    heading(page).to_have_text("Link made")
    # Fourteen days unless the worker chooses otherwise.
    expect(page.locator("main")).to_contain_text("until 27 January 2027")
    expect(page.locator("main")).to_contain_text("Send this link to Mum")
    assert_accessible(page, axe)
    # The worker reads the link off the page: it is focusable, and read-only.
    tab_to(page, field("family-link"))
    address = page.locator("#family-link").input_value()
    assert address.startswith(f"{live_server.url}/have-your-say/")
    made = FamilyLink.objects.get(case=case)
    assert (made.audience, made.recipient, made.purpose) == ("adult", "Mum", voices.LINK_PURPOSE)
    assert made.token_digest == links.token_digest(address.rsplit("/", 2)[-2])
    return address


def _parent_answers(parent: Page, scanner: BrowserContext, axe, address: str) -> None:
    parent.goto(address)
    heading(parent).to_have_text("Tell us what you think")
    expect(parent.locator("main")).to_contain_text("you and your family have had from us")
    expect(parent.locator("legend").first).to_have_text(
        "How do you feel about the help you have had from us?"
    )
    # No scripts ran on the page (GOV.UK Frontend marks the body when they do).
    supported = "() => document.body.classList.contains('govuk-frontend-supported')"
    assert parent.evaluate(supported) is False
    assert_accessible_without_scripts(parent, scanner, axe)

    # Sent with nothing chosen: told what is missing, and nothing is kept.
    go(parent, control("Send"))
    summary = parent.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the face that shows how you feel")
    expect(summary).to_contain_text("Choose who you are")
    expect(parent).to_have_title(re.compile(r"^Error: Tell us what you think"))
    first_error = summary.get_by_role("link", name="Choose the face that shows how you feel")
    expect(first_error).to_have_attribute("href", "#id_rating_1")
    expect(parent.locator("#rating-error")).to_contain_text("Choose the face")
    assert_accessible_without_scripts(parent, scanner, axe)
    assert not Feedback.objects.exists()
    # Without scripts the summary does not take the focus, but its links work: the first
    # goes to the first face, and the arrow keys choose from there.
    tab_to(parent, link("Choose the face that shows how you feel"))
    parent.keyboard.press("Enter")
    expect(parent.locator("#id_rating_1")).to_be_focused()
    parent.keyboard.press("ArrowDown")
    expect(parent.locator("#id_rating_2")).to_be_checked()
    expect(parent.locator("#id_rating_2")).to_have_value("4")
    choose_radio(parent, "who", "parent")
    type_into(parent, "id_good", "Our social worker always calls back.")
    type_into(parent, "id_better", "Tell us sooner when meetings move.")
    type_into(parent, "id_name", "Dee")
    go(parent, control("Send"))
    heading(parent).to_have_text("Thank you")
    expect(parent.locator("main")).to_contain_text("it will not open again")
    assert_accessible_without_scripts(parent, scanner, axe)

    # A second use is refused.
    parent.goto(address)
    heading(parent).to_have_text("This link does not work")
    expect(parent.locator("form")).to_have_count(0)
    assert_accessible_without_scripts(parent, scanner, axe)


def _worker_reads_and_responds(page: Page, axe, case: Case, feedback: Feedback) -> None:
    # On the child's record.
    go(page, link("Back to the record"))
    heading(page).to_have_text(case.child.full_name)
    table = page.get_by_role("table", name="Feedback about this record's cases")
    expect(table).to_contain_text("Our social worker always calls back.")
    expect(table).to_contain_text("Parent")
    expect(table).to_contain_text("Positive")
    expect(table).to_contain_text("Waiting")
    assert_accessible(page, axe)

    # The practitioner was told.
    go(page, link("Notifications (1"))
    assert_accessible(page, axe)
    go(page, link("New feedback from a family"))
    assert path_of(page) == feedback.get_absolute_url()
    heading(page).to_have_text("From a parent")
    assert_accessible(page, axe)

    # In the feedback list.
    go(page, link("Feedback"))
    heading(page).to_have_text("Feedback")
    expect(page.locator("#feedback-count")).to_have_text("1 piece of feedback")
    expect(page.get_by_role("table", name="Feedback you can see, newest first")).to_contain_text(
        case.child.reference
    )
    assert_accessible(page, axe)
    go(page, link("Our social worker always calls back."))
    heading(page).to_have_text("From a parent")
    main = page.locator("main")
    expect(main).to_contain_text("Could be better: Tell us sooner when meetings move.")
    expect(main).to_contain_text("chose “Happy”")
    expect(main).to_contain_text("Dee")
    expect(main).to_contain_text("Online, through a one-use link")
    expect(main).to_contain_text("Waiting for a response")
    assert_accessible(page, axe)

    # Nothing written: an error, then the response.
    tab_to(page, field("id_response"))
    go(page, control("Save the response"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the response you gave")
    assert_accessible(page, axe)
    type_into(page, "id_response", "Rang Dee: meeting changes now go out by text the same day.")
    go(page, control("Save the response"))
    success(page, "Response saved")
    expect(main).to_contain_text("meeting changes now go out by text")
    expect(main).to_contain_text("13 January 2027, Sam Okafor")
    assert_accessible(page, axe)


def test_a_parent_gives_feedback_through_a_one_use_link_on_a_phone_and_it_refuses_a_second_use(
    live_server,
    settings,
    page: Page,
    phone: BrowserContext,
    scanner: BrowserContext,
    demo: Demo,
    axe,
):
    settings.QAPORTAL_SITE_URL = live_server.url
    case = _practitioners_case(demo)

    address = _worker_makes_a_link(page, axe, live_server, case)
    parent = phone.new_page()
    _parent_answers(parent, scanner, axe, address)

    feedback = Feedback.objects.get()
    assert (feedback.case_id, feedback.source, feedback.rating) == (case.pk, "parent", 4)
    assert (feedback.sentiment, feedback.channel, feedback.received_on) == (
        "positive",
        "link",
        TODAY,
    )
    assert feedback.person_name == "Dee"
    assert FamilyLink.objects.get().used_at is not None

    _worker_reads_and_responds(page, axe, case, feedback)
    feedback.refresh_from_db()
    assert feedback.responded_on == TODAY
    assert feedback.responded_by_id == demo.people["practitioner"].pk


# 2. A child's link.


def test_a_childs_link_asks_in_simpler_words_with_a_face_scale(
    live_server, scanner: BrowserContext, demo: Demo, axe
):
    case = _practitioners_case(demo)
    made = links.family_link_create(
        case=case,
        purpose=voices.LINK_PURPOSE,
        created_by=demo.people["practitioner"],
        audience=FamilyLink.Audience.CHILD,
    )
    # This phone runs the page's scripts: the error summary takes the focus.
    child = scanner.new_page()
    child.goto(f"{live_server.url}/have-your-say/{made.token}/")
    heading(child).to_have_text("Tell us what you think")
    main = child.locator("main")
    expect(main).to_contain_text("You can say good things and things that are not so good.")
    expect(child.locator("legend").first).to_have_text("How do you feel about the help you get?")
    faces = child.locator(".app-face-scale .govuk-radios__label")
    expect(faces).to_have_count(5)
    expect(faces.first).to_contain_text("😄")
    expect(faces.first).to_contain_text("Really happy")
    expect(faces.last).to_contain_text("Really unhappy")
    expect(child.get_by_label("What is good?")).to_be_visible()
    expect(child.get_by_label("What could be better?")).to_be_visible()
    expect(child.get_by_label("Your first name (only if you want to)")).to_be_visible()
    # A child is not asked who they are.
    expect(child.locator("input[name=who]")).to_have_count(0)
    assert_accessible(child, axe)

    go(child, control("Send"))
    errors = child.locator(".govuk-error-summary")
    expect(errors).to_contain_text("Choose the face that shows how you feel")
    expect(errors).to_be_focused()
    assert_accessible(child, axe)
    choose_radio(child, "rating", "2")
    type_into(child, "id_better", "I want to see my brother more.")
    go(child, control("Send"))
    heading(child).to_have_text("Thank you")
    assert_accessible(child, axe)

    feedback = Feedback.objects.get()
    assert (feedback.source, feedback.rating, feedback.sentiment) == ("child", 2, "negative")
    assert feedback.said == "Could be better: I want to see my brother more."


# 3. The staff pages, and the page for families.


def _feedback_about(demo: Demo) -> list[Feedback]:
    """Three pieces of feedback from families, one about each of three cases."""
    cases = demo.in_team("lac1")[:2] + demo.in_team("cp")[:1]
    said = [
        ("parent", "positive", "The review meeting was well run."),
        ("child", "negative", "Nobody told me my worker was leaving."),
        ("carer", "mixed", "Good support, but the paperwork came late."),
    ]
    return [
        voices.feedback_record(
            organisation_id=demo.council.pk,
            recorded_by=demo.people["qa.manager"],
            details=voices.FeedbackDetails(
                source=source,
                channel="conversation",
                received_on=TODAY - datetime.timedelta(days=3 + n),
                said=words,
                sentiment=sentiment,
                case=case,
            ),
        )
        for n, (case, (source, sentiment, words)) in enumerate(zip(cases, said, strict=True))
    ]


def _qa_adds_a_theme(page: Page, axe) -> FeedbackTheme:
    go(page, link("Feedback"))
    heading(page).to_have_text("Feedback")
    go(page, link("Themes"))
    heading(page).to_have_text("Feedback themes")
    expect(page.locator("main")).to_contain_text("No themes yet.")
    assert_accessible(page, axe)
    go(page, control("Save theme"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the theme's name")
    assert_accessible(page, axe)
    type_into(page, "id_name", "Knowing who your worker is")
    type_into(page, "id_description", "Changes of worker, and being told about them.")
    go(page, control("Save theme"))
    success(page, "Theme added")
    expect(page.get_by_role("table", name="Feedback themes")).to_contain_text(
        "Knowing who your worker is"
    )
    assert_accessible(page, axe)
    go(page, link("Knowing who your worker is"))
    heading(page).to_have_text("Change the theme “Knowing who your worker is”")
    assert_accessible(page, axe)
    go(page, link("Back to themes"))
    return FeedbackTheme.objects.get()


def _the_list_and_its_filters(page: Page, axe) -> None:
    go(page, link("Back to feedback"))
    heading(page).to_have_text("Feedback")
    expect(page.locator("#feedback-count")).to_have_text("3 pieces of feedback")
    assert_accessible(page, axe)
    # The filters fold away until opened (open again once any is applied).
    tab_to(page, summary("Filter feedback"))
    page.keyboard.press("Enter")
    choose_option(page, "id_sentiment", "negative")
    go(page, control("Apply filters"))
    expect(page.locator("#feedback-count")).to_have_text("1 piece of feedback")
    assert "sentiment=negative" in path_of(page)
    assert_accessible(page, axe)
    # Starting again from the unfiltered list.
    go(page, link("Feedback"))
    expect(page.locator("#feedback-count")).to_have_text("3 pieces of feedback")
    tab_to(page, summary("Filter feedback"))
    page.keyboard.press("Enter")
    choose_option(page, "id_responded", "no")
    choose_option(page, "id_source", "carer")
    go(page, control("Apply filters"))
    expect(page.locator("#feedback-count")).to_have_text("1 piece of feedback")
    expect(page.locator("main")).to_contain_text("the paperwork came late")
    assert_accessible(page, axe)
    go(page, link("Feedback"))


def _qa_records_feedback(page: Page, axe, demo: Demo) -> None:
    go(page, link("Record feedback"))
    heading(page).to_have_text("Record feedback")
    assert_accessible(page, axe)
    # Nothing chosen, and an ID nobody has.
    type_into(page, "id_case_reference", "NOPE1")
    go(page, control("Save feedback"))
    errors = page.locator(".govuk-error-summary")
    expect(errors).to_contain_text("Choose who gave the feedback")
    expect(errors).to_contain_text("Enter what they said")
    expect(errors).to_contain_text("Choose how the feedback reached us")
    assert_accessible(page, axe)

    choose_radio(page, "source", "partner")
    type_into(page, "id_said", "The school says the new contact plan is working well.")
    choose_radio(page, "sentiment", "positive")
    choose_option(page, "id_channel", "email")
    tab_to(page, field("id_case_reference"))
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    tab_to(page, field("id_themes_1"))
    page.keyboard.press("Space")
    go(page, control("Save feedback"))
    success(page, "Feedback saved")
    heading(page).to_have_text("From a partner agency")
    expect(page.locator("main")).to_contain_text("The service as a whole")
    assert_accessible(page, axe)
    recorded = Feedback.objects.get(source="partner")
    assert recorded.received_on == TODAY
    assert list(recorded.themes.values_list("name", flat=True)) == ["Knowing who your worker is"]


def _qa_themes_a_piece_and_writes_you_said(page: Page, axe, demo: Demo) -> YouSaidWeDid:
    go(page, link("Back to feedback"))
    go(page, link("Nobody told me my worker was leaving."))
    heading(page).to_have_text("From a child or young person")
    expect(page.locator("main")).to_contain_text("None yet")
    assert_accessible(page, axe)
    tab_to(page, field("id_themes_1"))
    page.keyboard.press("Space")
    go(page, control("Save themes"))
    success(page, "Themes saved")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Knowing who your worker is")
    assert_accessible(page, axe)

    go(page, link("Write a “you said, we did” from this feedback"))
    heading(page).to_have_text("Write a “you said, we did”")
    expect(page.locator("main")).to_contain_text("Nobody told me my worker was leaving.")
    assert_accessible(page, axe)
    go(page, control("Save"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what people said")
    assert_accessible(page, axe)
    type_into(page, "id_you_said", "You were not told when your worker was leaving.")
    type_into(page, "id_we_did", "Workers now say goodbye in person and introduce the next one.")
    choose_option(page, "id_theme", str(FeedbackTheme.objects.get().pk))
    go(page, control("Save"))
    success(page, "Publish it when it is ready")
    heading(page).to_have_text("You said, we did")
    expect(page.locator("main")).to_contain_text("Not published")
    assert_accessible(page, axe)
    return YouSaidWeDid.objects.get()


def _senior_leader_publishes(page: Page, axe, live_server) -> None:
    login(page, live_server, "senior.leader")
    go(page, link("Feedback"))
    heading(page).to_have_text("Feedback")
    assert_accessible(page, axe)
    go(page, link("You said, we did"))
    heading(page).to_have_text("You said, we did")
    expect(page.locator("main")).to_contain_text("Draft")
    assert_accessible(page, axe)
    go(page, link("You were not told when your worker was leaving."))
    heading(page).to_have_text("You said, we did")
    assert_accessible(page, axe)
    go(page, control("Publish on the page for families"))
    success(page, "Published on the page for families")
    expect(page.locator("main")).to_contain_text("Published 13 January 2027")
    assert_accessible(page, axe)
    go(page, link("Back to you said, we did"))
    expect(page.locator("main")).to_contain_text("13 Jan 2027")
    assert_accessible(page, axe)


def _the_figures(page: Page, axe) -> None:
    go(page, link("Feedback"))
    go(page, link("Feedback figures"))
    heading(page).to_have_text("Feedback figures")
    expect(page.locator("#figure-total")).to_have_text("4")
    expect(page.locator("#figure-waiting")).to_have_text("4")
    expect(page.get_by_role("table", name="Feedback by theme and sentiment")).to_contain_text(
        "Knowing who your worker is"
    )
    assert_accessible(page, axe)
    go(page, control("4"))  # the total opens the feedback behind it
    heading(page).to_have_text("Feedback")
    expect(page.locator("#feedback-count")).to_contain_text("4 pieces of feedback")
    assert_accessible(page, axe)


def _the_page_for_families(browser: Browser, axe, live_server) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 667}, locale="en-GB")
    try:
        family = context.new_page()
        family.goto(f"{live_server.url}/you-said-we-did/kestrelford/")
        heading(family).to_have_text("You said, we did")
        main = family.locator("main")
        expect(main).to_contain_text("You were not told when your worker was leaving.")
        expect(main).to_contain_text("introduce the next one")
        expect(family.get_by_role("heading", level=2)).to_contain_text(
            ["Knowing who your worker is"]
        )
        # Nothing of any child, and no way into the staff pages.
        expect(main).not_to_contain_text("Nobody told me")
        expect(family.get_by_role("link", name="Sign out")).to_have_count(0)
        assert_accessible(family, axe)
        tab_to(family, link("Skip to main content"))
    finally:
        context.close()


def test_the_staff_pages_and_the_page_for_families_work_by_keyboard(
    live_server, browser: Browser, page: Page, demo: Demo, axe
):
    _feedback_about(demo)
    login(page, live_server, "qa.manager")
    _qa_adds_a_theme(page, axe)
    _the_list_and_its_filters(page, axe)
    _qa_records_feedback(page, axe, demo)
    entry = _qa_themes_a_piece_and_writes_you_said(page, axe, demo)
    assert entry.published_on is None
    assert entry.feedback.get().said == "Nobody told me my worker was leaving."

    _senior_leader_publishes(page, axe, live_server)
    _the_figures(page, axe)
    entry.refresh_from_db()
    assert entry.published_on == TODAY

    _the_page_for_families(browser, axe, live_server)
