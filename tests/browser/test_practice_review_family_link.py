"""The family's part of a collaborative practice review, answered by the family themselves
through a one-use link, with the keyboard alone and axe on every page.

team.manager audits one of practitioner's cases with a tool whose family part has three
questions. From that part's page they ask for a link that works for no days and are
told what to put; make a link, withdraw it (given to the wrong person), and make another.
The grandmother opens it on a phone with JavaScript off, sends it with the required
question unanswered and is told which, then answers; the link refuses a second use. The
auditor is told, and reads her answers in the family's part, marked as hers.

Only page.keyboard moves and acts; login() signs in, and goto() opens the page a person
has just been sent to (the family's link, as from a text message). With JavaScript off
axe cannot run in the family's page, so each of their pages is checked as served, in a
phone-sized page of its own (`_assert_accessible_as_served`).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from audits.models import Answer, Audit, AuditType, Respondent, ToolQuestion
from audits.services import audits as audit_services
from audits.services import tools as tool_services
from cases.models import Service, StaffMember
from tests.browser.conftest import assert_accessible, login
from tests.browser.demo import Demo
from tests.browser.keyboard import choose_radio, heading, link, replace_text
from tests.browser.observation_steps import control, go, type_into

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

PHONE = {"viewport": {"width": 375, "height": 740}, "locale": "en-GB", "has_touch": True}
LINKS_TABLE = "One-use links made for the family's part of this audit, newest first"
LISTENED = "Did you feel listened to?"
WORDS = "What would you like us to know?"
WHEN = "When did we last visit?"


@pytest.fixture
def phone(browser: Browser) -> BrowserContext:
    """The family's phone, with JavaScript turned off."""
    context = browser.new_context(**PHONE, java_script_enabled=False)
    yield context
    context.close()


@pytest.fixture
def checker(browser: Browser) -> BrowserContext:
    """A phone-sized context with JavaScript, where axe checks the family's pages."""
    context = browser.new_context(**PHONE)
    yield context
    context.close()


def _assert_accessible_as_served(family: Page, checker: BrowserContext, axe) -> None:
    """axe on the family's page exactly as the server sent it, at the same address (so
    its styles load), in a page that runs scripts: axe waits on timers that never fire
    with JavaScript off."""
    html = family.content()
    url = family.url
    errors = family.locator(".govuk-error-summary").count()
    page = checker.new_page()

    def serve(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

    page.route(url, serve)
    page.goto(url)
    # The very page the family have, errors and all, not a fresh one from the server.
    expect(page.locator(".govuk-error-summary")).to_have_count(errors)
    expect(page.locator("h1")).to_have_text(family.locator("h1").inner_text())
    assert_accessible(page, axe)
    page.close()


def _review(demo: Demo) -> Audit:
    qa: StaffMember = demo.people["qa.manager"]
    manager: StaffMember = demo.people["team.manager"]
    practitioner: StaffMember = demo.people["practitioner"]
    practitioner.line_manager = manager
    practitioner.save(update_fields=["line_manager"])
    tool = tool_services.tool_create(
        organisation=demo.council,
        name="Practice review with the family",
        created_by=qa,
        audit_types=[AuditType.REGULAR],
        service_kinds=[Service.Kind.LOOKED_AFTER],
    )
    records = tool_services.section_add(tool=tool, title="Records review")
    tool_services.question_add(
        section=records, text="How well is the child's voice heard?", kind=ToolQuestion.Kind.GRADE
    )
    family = tool_services.section_add(
        tool=tool,
        title="Family feedback",
        guidance="Speak to the parent or carer. The auditor records it.",
        respondent=Respondent.FAMILY,
    )
    tool_services.question_add(section=family, text=LISTENED, kind=ToolQuestion.Kind.YES_NO)
    tool_services.question_add(
        section=family, text=WORDS, kind=ToolQuestion.Kind.TEXT, required=False
    )
    tool_services.question_add(
        section=family, text=WHEN, kind=ToolQuestion.Kind.DATE, required=False
    )
    tool = tool_services.tool_publish(tool=tool, by=qa)
    case = next(c for c in demo.in_team("lac1") if c.allocated_worker_id == practitioner.pk)
    return audit_services.audit_create(
        case=case,
        tool=tool,
        auditor=manager,
        audit_type=AuditType.REGULAR,
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )


def _auditor_makes_a_link(page: Page, axe, live_server, audit: Audit) -> tuple[str, str]:
    login(page, live_server, "team.manager")
    page.goto(f"{live_server.url}{audit.get_absolute_url()}")
    assert_accessible(page, axe)
    go(page, link("Family feedback"))
    heading(page).to_have_text("Family feedback")
    expect(page.locator("#family-links")).to_have_text("Ask the family to answer themselves")
    assert_accessible(page, axe)

    # A link that works for no days: refused, with what to put.
    replace_text(page, "id_days", "0")
    go(page, control("Make a link for the family"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The link must work for between 1 and 60 days"
    )
    assert_accessible(page, axe)

    # Given to the wrong person: made, then withdrawn.
    type_into(page, "id_recipient", "Dad")
    replace_text(page, "id_days", "7")
    go(page, control("Make a link for the family"))
    expect(page.locator("#new-link")).to_contain_text("shown only once")
    assert_accessible(page, axe)
    wrong = page.locator("#new-link-url").input_value()
    go(page, control("Withdraw"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Link withdrawn")
    expect(page.get_by_role("table", name=LINKS_TABLE)).to_contain_text("Withdrawn")
    assert_accessible(page, axe)

    type_into(page, "id_recipient", "Grandmother")
    go(page, control("Make a link for the family"))
    expect(page.locator("#new-link")).to_contain_text("shown only once")
    address = page.locator("#new-link-url").input_value()
    assert "/have-your-say/" in address
    assert address != wrong
    table = page.get_by_role("table", name=LINKS_TABLE)
    expect(table).to_contain_text("Grandmother")
    expect(table).to_contain_text("Waiting for an answer")
    assert_accessible(page, axe)
    return address, wrong


def _family_answer(family: Page, checker: BrowserContext, axe, address: str, wrong: str) -> None:
    family.goto(wrong)
    heading(family).to_have_text("This link does not work")
    _assert_accessible_as_served(family, checker, axe)

    family.goto(address)
    heading(family).to_have_text("Tell us about the help you have had")
    # No script ran: GOV.UK Frontend's marker of a page with JavaScript is absent.
    expect(family.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))
    main = family.locator("main")
    expect(main).to_contain_text(LISTENED)
    expect(main).not_to_contain_text("The auditor records it")
    _assert_accessible_as_served(family, checker, axe)

    go(family, control("Send"))
    expect(family.locator(".govuk-error-summary")).to_contain_text(
        f"Choose an answer to “{LISTENED}”"
    )
    _assert_accessible_as_served(family, checker, axe)

    listened = family.locator("input[type=radio]").first.get_attribute("name")
    choose_radio(family, listened, "yes")
    words = family.locator("textarea").first.get_attribute("id")
    type_into(family, words, "The visits are at a good time for us.")
    go(family, control("Send"))
    heading(family).to_have_text("Thank you")
    _assert_accessible_as_served(family, checker, axe)

    family.goto(address)
    heading(family).to_have_text("This link does not work")
    _assert_accessible_as_served(family, checker, axe)


def test_the_family_answer_their_part_once_through_a_link_on_a_phone(
    live_server,
    settings,
    page: Page,
    phone: BrowserContext,
    checker: BrowserContext,
    demo_people: Demo,
    axe,
):
    # The address the link is given by is this server's.
    settings.QAPORTAL_SITE_URL = live_server.url
    audit = _review(demo_people)
    address, wrong = _auditor_makes_a_link(page, axe, live_server, audit)
    _family_answer(phone.new_page(), checker, axe, address, wrong)

    # The auditor is told, and finds her answers in the family's part, marked as hers.
    page.goto(f"{live_server.url}{audit.get_absolute_url()}")
    expect(page.locator(".app-header__notifications")).to_contain_text("Notifications (1 unread)")
    go(page, link("Family feedback"))
    main = page.locator("main")
    expect(main).to_contain_text("Given by the family themselves through a one-use link")
    expect(page.locator("textarea").first).to_have_value("The visits are at a good time for us.")
    expect(page.get_by_role("table", name=LINKS_TABLE)).to_contain_text("Used")
    assert_accessible(page, axe)
    stored = Answer.objects.get(audit=audit, question__text=LISTENED)
    assert stored.value == "yes"
    assert stored.family_link is not None
