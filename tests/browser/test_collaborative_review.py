"""A collaborative practice review, by keyboard and with axe on every page, as the
auditor and the practitioner take turns and the notifications arrive.

team.manager audits a case of practitioner's (whose line manager they are): fills the
auditor's parts, sees the practitioner's part waiting for them, and from "Check and
submit" reminds them. practitioner signs in to a notification, follows it to their
reflection and writes it. team.manager submits; oversight goes to service.manager, the
next manager up (nobody oversees their own audit), who follows their notification to the
oversight form and records that they do not agree with the grade. The practitioner is
told the audit is final.

Only page.keyboard moves and acts; login() signs in, and page.goto() opens the page a
person has just been sent to.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from audits.models import Answer, Audit, AuditType, Respondent, ToolQuestion
from audits.services import audits as audit_services
from audits.services import tools as tool_services
from cases.models import Notification, Service, StaffMember
from tests.browser.conftest import TIMEOUT_MS, assert_accessible, login, path_of
from tests.browser.demo import Demo
from tests.browser.keyboard import Match, choose_radio, field, link, tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

TOOL_NAME = "Practice review together"
GRADE_QUESTION = "How well do visits make a difference to the child?"
RECORDS_QUESTION = "What do the records say about the child's wishes?"
REFLECTION_QUESTION = "What would you do differently next time?"
FAMILY_QUESTION = "What did the family tell you?"


def control(text: str) -> Match:
    """A button, or a link styled as one."""
    return lambda f: f["tag"] in ("a", "button", "input") and f["text"].startswith(text)


def autosave_idle(page: Page) -> None:
    """Let an autosave started by leaving a field finish before the page changes: the
    test database (SQLite) locks whole tables, so two requests at once can fail there."""
    if page.locator("form[data-autosave]").count():
        page.wait_for_timeout(150)
        page.wait_for_function("() => !document.querySelector('.htmx-request')")


def go(page: Page, matches: Match, *, backwards: bool = False) -> None:
    """Tab to a link or button, press Enter and wait for the next page."""
    tab_to(page, matches, backwards=backwards)
    autosave_idle(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def heading(page: Page) -> object:
    return expect(page.get_by_role("heading", level=1))


def notifications_link(page: Page, count: int) -> None:
    expect(page.locator(".app-header__notifications")).to_have_text(
        f"Notifications ({count} unread)"
    )


def sign_out(page: Page) -> None:
    go(page, control("Sign out"))
    heading(page).to_contain_text("Sign in")


@pytest.fixture
def other_context(browser: Browser, browser_context_args: dict):
    context = browser.new_context(**browser_context_args)
    yield context
    context.close()


def _review(demo: Demo) -> Audit:
    """A published tool with the three parts of a collaborative review, and an audit of
    one of practitioner's cases by team.manager, who is practitioner's line manager."""
    qa: StaffMember = demo.people["qa.manager"]
    manager: StaffMember = demo.people["team.manager"]
    practitioner: StaffMember = demo.people["practitioner"]
    practitioner.line_manager = manager
    practitioner.save(update_fields=["line_manager"])
    manager.line_manager = demo.people["service.manager"]
    manager.save(update_fields=["line_manager"])
    tool = tool_services.tool_create(
        organisation=demo.council,
        name=TOOL_NAME,
        created_by=qa,
        audit_types=[AuditType.REGULAR],
        service_kinds=[Service.Kind.LOOKED_AFTER],
    )
    records = tool_services.section_add(tool=tool, title="Records review")
    tool_services.question_add(section=records, text=GRADE_QUESTION, kind=ToolQuestion.Kind.GRADE)
    tool_services.question_add(section=records, text=RECORDS_QUESTION, kind=ToolQuestion.Kind.TEXT)
    reflection = tool_services.section_add(
        tool=tool, title="Practitioner reflection", respondent=Respondent.PRACTITIONER
    )
    tool_services.question_add(
        section=reflection, text=REFLECTION_QUESTION, kind=ToolQuestion.Kind.TEXT
    )
    family = tool_services.section_add(
        tool=tool, title="Family feedback", respondent=Respondent.FAMILY
    )
    tool_services.question_add(section=family, text=FAMILY_QUESTION, kind=ToolQuestion.Kind.TEXT)
    tool = tool_services.tool_publish(tool=tool, by=qa)
    case = next(c for c in demo.in_team("lac1") if c.allocated_worker_id == practitioner.pk)
    return audit_services.audit_create(
        case=case,
        tool=tool,
        auditor=manager,
        audit_type=AuditType.REGULAR,
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )


def _auditor_fills_their_parts(page: Page, axe, audit: Audit, practitioner: str) -> None:
    records, reflection, family = list(audit.tool.sections.prefetch_related("questions"))
    grade_q, records_q = list(records.questions.all())
    expect(page.locator(f"#task-{reflection.pk}-status")).to_have_text(
        f"Waiting for {practitioner}"
    )
    expect(page.locator("main")).to_contain_text("0 of 4 parts completed")

    go(page, link("Records review"))
    expect(page.locator(".govuk-caption-l")).to_have_text("Part 1 of 4")
    expect(page.locator("main")).to_contain_text("For you, the auditor")
    assert_accessible(page, axe)
    section_path = path_of(page)
    with page.expect_response(lambda r: r.request.method == "POST"):
        choose_radio(page, grade_q.field_name, "good")
    # Typing in the long answer: the status line moves to just below it, in view.
    tab_to(page, field(f"id_{records_q.field_name}"))
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith(section_path), timeout=TIMEOUT_MS
    ):
        page.keyboard.type("Weekly visits; she says she feels listened to.")
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("Saved at")
    beside = page.evaluate(
        """id => {
          const group = document.getElementById(id).closest(".govuk-form-group");
          const status = document.getElementById("autosave-status");
          const box = status.getBoundingClientRect();
          return group.contains(status) && box.top >= 0 && box.bottom <= window.innerHeight;
        }""",
        f"id_{records_q.field_name}",
    )
    assert beside, "the autosave status is not beside the answer being typed"
    assert_accessible(page, axe)
    go(page, control("Save and return to the audit"))
    expect(page.locator(f"#task-{records.pk}-status")).to_have_text("Completed")
    assert_accessible(page, axe)

    # The practitioner's part: theirs to write, readable here.
    go(page, link("Practitioner reflection"))
    expect(page.locator(".govuk-caption-l")).to_have_text("Part 2 of 4")
    expect(page.locator("main")).to_contain_text(f"For {practitioner}, the practitioner")
    expect(page.locator("main")).to_contain_text("You can read this part but not change it")
    assert_accessible(page, axe)
    go(page, link("Back to the audit"))

    go(page, link("Family feedback"))
    expect(page.locator(".govuk-caption-l")).to_have_text("Part 3 of 4")
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        f"If you change an answer {practitioner} entered, it will show as yours"
    )
    assert_accessible(page, axe)
    (family_q,) = list(family.questions.all())
    tab_to(page, field(f"id_{family_q.field_name}"))
    page.keyboard.type("Her grandmother says visits are at a good time.")
    go(page, control("Save and continue"))
    heading(page).to_have_text("Findings and overall grade")
    expect(page.locator(".govuk-caption-l")).to_have_text("Part 4 of 4")
    assert_accessible(page, axe)
    with page.expect_response(lambda r: r.request.method == "POST"):
        choose_radio(page, "overall_grade", "good")
    tab_to(page, field("id_grade_rationale"))
    page.keyboard.type("Visits are purposeful and the child's voice is heard.")
    go(page, control("Save and return to the audit"))
    expect(page.locator("main")).to_contain_text("3 of 4 parts completed")
    assert_accessible(page, axe)


def test_auditor_and_practitioner_take_turns_and_are_told_by_notifications(
    live_server,
    page: Page,
    other_context: BrowserContext,
    demo_people: Demo,
    axe,
) -> None:
    audit = _review(demo_people)
    practitioner: StaffMember = demo_people.people["practitioner"]
    manager: StaffMember = demo_people.people["team.manager"]
    overseer: StaffMember = demo_people.people["service.manager"]
    assert audit.line_manager_id == overseer.pk
    child = audit.case.child
    audit_link = f"{child.full_name}: {TOOL_NAME} audit"
    sam, tom, nadia = practitioner.display_name, manager.display_name, overseer.display_name

    # 1. team.manager fills the auditor's parts by keyboard.
    login(page, live_server, "team.manager")
    assert_accessible(page, axe)
    # The header's "Audits" group opens its first page, My audits.
    go(page, link("Audits"))
    assert_accessible(page, axe)
    go(page, link(audit_link))
    assert path_of(page) == audit.get_absolute_url()
    assert_accessible(page, axe)
    _auditor_fills_their_parts(page, axe, audit, sam)

    # 2. Check and submit: waiting for the practitioner, who is reminded.
    go(page, control("Check and submit"))
    heading(page).to_have_text("Check and submit the audit")
    expect(page.locator("#reflection")).to_have_text(f"Waiting for {sam}'s reflection")
    expect(page.get_by_role("button", name="Submit the audit")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Answer “")
    assert_accessible(page, axe)
    go(page, control(f"Remind {sam}"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"{sam} has been sent a reminder to write their reflection"
    )
    expect(page.locator("main")).to_contain_text("You last reminded them at")
    assert_accessible(page, axe)

    # 3. The practitioner signs in to the reminder and writes the reflection.
    other = other_context.new_page()
    other.set_default_timeout(TIMEOUT_MS)
    login(other, live_server, "practitioner")
    notifications_link(other, 1)
    assert_accessible(other, axe)
    go(other, link("Notifications"))
    heading(other).to_have_text("Notifications")
    assert_accessible(other, axe)
    go(other, link(f"{tom} is waiting for your reflection"))
    heading(other).to_have_text("Practitioner reflection")
    expect(other.locator(".govuk-caption-l")).to_have_text("Part 2 of 4")
    expect(other.locator("main")).to_contain_text("For you: your reflection as the practitioner")
    assert_accessible(other, axe)
    reflection_q = ToolQuestion.objects.get(section__tool=audit.tool, text=REFLECTION_QUESTION)
    tab_to(other, field(f"id_{reflection_q.field_name}"))
    other.keyboard.type("I would ask her school about attendance sooner.")
    go(other, control("Save and return to the audit"))
    assert path_of(other) == audit.get_absolute_url()
    expect(other.locator(f"#task-{reflection_q.section_id}-status")).to_have_text("Completed")
    expect(other.locator("main")).to_contain_text("4 of 4 parts completed")
    assert_accessible(other, axe)
    # The family part the auditor wrote says whose it is.
    go(other, link("Family feedback"))
    expect(other.locator("main")).to_contain_text(f"Entered by {tom}, the auditor")
    assert_accessible(other, axe)
    assert Answer.objects.get(audit=audit, question=reflection_q).updated_by_id == practitioner.pk
    sign_out(other)

    # 4. team.manager submits: oversight goes to the next manager up.
    page.reload()
    expect(page.locator("#reflection")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(f"{nadia} will be asked to respond")
    assert_accessible(page, axe)
    go(page, control("Submit the audit"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Audit submitted. {nadia} has been asked to give management oversight."
    )
    expect(page.get_by_role("button", name="Respond with management oversight")).to_have_count(0)
    assert_accessible(page, axe)
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED

    # 5. service.manager follows the notification and does not agree with the grade.
    login(other, live_server, "service.manager")
    notifications_link(other, 1)
    assert_accessible(other, axe)
    go(other, link("Notifications"))
    assert_accessible(other, axe)
    go(other, link(f"{tom}'s {TOOL_NAME} audit is waiting for your management oversight"))
    heading(other).to_have_text("Respond with management oversight")
    assert_accessible(other, axe)
    now = tab_to(other, lambda f: f["name"] == "agrees")
    assert now["value"] == "yes", now
    other.keyboard.press("ArrowDown")  # "No"
    expect(other.locator("#id_agrees_2")).to_be_checked()
    choose_radio(other, "grade", "requires_improvement")
    tab_to(other, field("id_oversight"))
    other.keyboard.type("The analysis of impact needs strengthening.")
    go(other, control("Record oversight and make the audit final"))
    expect(other.locator("main")).to_contain_text("The audit is final")
    expect(other.locator("main")).to_contain_text(
        "No: would grade it requires improvement to be good"
    )
    assert_accessible(other, axe)
    audit.refresh_from_db()
    assert (audit.status, audit.oversight_agrees, audit.oversight_grade) == (
        Audit.Status.FINAL,
        False,
        "requires_improvement",
    )
    final = Notification.objects.get(recipient=practitioner, key=f"audit:{audit.pk}:final")
    assert final.read_at is None
    assert re.search("read it and acknowledge it", final.subject)
