"""The audits feature end to end, with the keyboard alone and axe on every page.

qa.manager builds a small tool and publishes it from its preview; team.manager starts an
audit of a child's case from the record, fills the auditor's part (autosaved, and kept on
the device when the tab closes before the autosave), the practitioner adds a reflection,
team.manager submits; being the practitioner's line manager, they do not oversee their
own audit: service.manager responds with oversight and a direction, the final audit shows
on the child's record and downloads as a PDF, and the practitioner acknowledges it.

Only page.keyboard moves and acts (Tab, Shift+Tab, Enter, Space, arrows, typing). The
exceptions: login() signs in, page.goto() opens a URL a person would have been sent
(reopening the audit after closing the tab), and page.reload() stands in for F5.
"""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from audits.models import Answer, Audit, AuditTool, AuditType, Respondent, ToolQuestion
from audits.services import audits as audit_services
from audits.services import tools as tool_services
from cases.models import Case, Service, StaffMember
from tests.browser.conftest import TIMEOUT_MS, assert_accessible, login, path_of
from tests.browser.demo import Demo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

MAX_TABS = 90
TOOL_NAME = "Visits and voice review"
AUDITOR_SECTION = "Records review"
GRADE_QUESTION = "How well do visits make a difference to the child?"
TEXT_QUESTION = "What do the records say about the child's wishes?"
REFLECTION_SECTION = "Practitioner reflection"
REFLECTION_QUESTION = "What would you do differently next time?"

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) {
    return {tag: "body", id: "", name: "", type: "", text: "", href: "", value: ""};
  }
  return {tag: el.tagName.toLowerCase(), id: el.id || "", name: el.getAttribute("name") || "",
          type: el.getAttribute("type") || "",
          text: (el.tagName === "INPUT" ? (el.type === "submit" ? el.value : "")
                 : el.textContent || "")
            .replace(/\\s+/g, " ").trim(),
          href: el.getAttribute("href") || "", value: el.value || ""};
}"""

Match = Callable[[dict], bool]


# Keyboard helpers.


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page: Page, matches: Match, *, backwards: bool = False) -> dict:
    """Press Tab (or Shift+Tab) until the focused element matches; fail after MAX_TABS."""
    key = "Shift+Tab" if backwards else "Tab"
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        now = focused(page)
        seen.append(now["id"] or now["text"][:30] or now["tag"])
        if matches(now):
            return now
    pytest.fail(f"never reached the element by pressing {key}; focus went through {seen}")


def link(text: str) -> Match:
    return lambda f: f["tag"] == "a" and f["text"].startswith(text)


def button(text: str) -> Match:
    return lambda f: f["tag"] in ("button", "a", "input") and f["text"].startswith(text)


def field(element_id: str) -> Match:
    return lambda f: f["id"] == element_id


def named(name: str) -> Match:
    return lambda f: f["name"] == name


def autosave_idle(page: Page) -> None:
    """Let an autosave started by leaving a field (its "change") finish first.

    A person would not wait; the test does because the in-memory SQLite of the test
    database locks whole tables, so two requests at once can fail there ("database
    table is locked"), which PostgreSQL's row locks in services.answers_save do not.
    """
    if page.locator("form[data-autosave]").count():
        page.wait_for_timeout(150)
        page.wait_for_function("() => !document.querySelector('.htmx-request')")


def press_enter_on(page: Page, matches: Match, *, backwards: bool = False) -> None:
    """Tab to a link or button and press Enter on it; wait for the next page."""
    tab_to(page, matches, backwards=backwards)
    autosave_idle(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def type_into(page: Page, matches: Match, text: str) -> None:
    tab_to(page, matches)
    page.keyboard.type(text)


def type_date(page: Page, element_id: str, day: datetime.date) -> None:
    """Tab to GOV.UK's date input and type the day, month and year into its three boxes."""
    tab_to(page, field(f"{element_id}_0"))
    for n, part in enumerate((day.day, day.month, day.year)):
        if n:
            page.keyboard.press("Tab")
        page.keyboard.type(str(part))
        expect(page.locator(f"#{element_id}_{n}")).to_have_value(str(part))


def open_page(context: BrowserContext) -> Page:
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    return page


def checked_value(page: Page, name: str) -> str | None:
    return page.evaluate(
        "name => { const el = document.querySelector(`input[name='${name}']:checked`);"
        " return el ? el.value : null; }",
        name,
    )


def choose_radio(page: Page, name: str, value: str, *, backwards: bool = False) -> None:
    """Tab into a radio group, then choose with the arrow keys (Space on the first)."""
    now = tab_to(page, named(name), backwards=backwards)
    if now["value"] == value:
        page.keyboard.press("Space")
    for _ in range(8):
        if checked_value(page, name) == value:
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"the arrow keys never chose {value!r} in {name!r}")


def sign_out(page: Page) -> None:
    press_enter_on(page, button("Sign out"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign in")


def is_autosave(section_path: str) -> Callable:
    return lambda r: r.request.method == "POST" and r.url.endswith(section_path)


# Step 1: the QA manager builds a tool.


def _build_tool(page: Page, live_server, axe) -> AuditTool:
    login(page, live_server, "qa.manager")
    assert_accessible(page, axe)
    # The header's "Audits" group, then its sub navigation.
    press_enter_on(page, link("Audits"))
    press_enter_on(page, link("Audit tools"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit tools")
    assert_accessible(page, axe)

    press_enter_on(page, button("Create a tool"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an audit tool")
    assert_accessible(page, axe)
    type_into(page, field("id_name"), TOOL_NAME)
    type_into(page, field("id_description"), "A short review of visits and the child's voice.")
    regular = tab_to(page, named("audit_types"))
    assert regular["value"] == AuditType.REGULAR, regular
    page.keyboard.press("Space")
    looked_after = tab_to(page, lambda f: f["value"] == Service.Kind.LOOKED_AFTER)
    assert looked_after["name"] == "service_kinds"
    page.keyboard.press("Space")
    assert page.locator("#id_audit_types_1").is_checked()
    press_enter_on(page, button("Create tool"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TOOL_NAME)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("created")
    assert_accessible(page, axe)
    tool = AuditTool.objects.get(name=TOOL_NAME)
    assert tool.audit_types == [AuditType.REGULAR]
    assert tool.service_kinds == [Service.Kind.LOOKED_AFTER]

    _add_section(page, axe, AUDITOR_SECTION, respondent_steps=0)
    _add_question(page, axe, AUDITOR_SECTION, GRADE_QUESTION, kind_steps=-2)
    _add_question(page, axe, AUDITOR_SECTION, TEXT_QUESTION, kind_steps=0)
    _add_section(page, axe, REFLECTION_SECTION, respondent_steps=1)
    _add_question(page, axe, REFLECTION_SECTION, REFLECTION_QUESTION, kind_steps=0)

    press_enter_on(page, button("Publish this version"), backwards=True)
    # A preview as auditors will see it, and a warning that publishing cannot be undone.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the tool before you publish it"
    )
    expect(page.locator("main")).to_contain_text(GRADE_QUESTION)
    expect(page.locator(".govuk-warning-text")).to_contain_text("Publishing cannot be undone")
    assert_accessible(page, axe)
    tool.refresh_from_db()
    assert tool.status == AuditTool.Status.DRAFT
    press_enter_on(page, button("Publish version 1"))
    expect(page.locator("main")).to_contain_text(f"Version 1 of {TOOL_NAME} is published")
    assert_accessible(page, axe)
    tool.refresh_from_db()
    assert tool.status == AuditTool.Status.PUBLISHED
    sections = list(tool.sections.prefetch_related("questions"))
    assert [(s.title, s.respondent) for s in sections] == [
        (AUDITOR_SECTION, Respondent.AUDITOR),
        (REFLECTION_SECTION, Respondent.PRACTITIONER),
    ]
    assert [(q.text, q.kind) for q in sections[0].questions.all()] == [
        (GRADE_QUESTION, ToolQuestion.Kind.GRADE),
        (TEXT_QUESTION, ToolQuestion.Kind.TEXT),
    ]
    return tool


def _add_section(page: Page, axe, title: str, *, respondent_steps: int) -> None:
    press_enter_on(page, button("Add a section"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a section")
    assert_accessible(page, axe)
    type_into(page, field("id_title"), title)
    tab_to(page, named("respondent"))  # the checked radio: "Auditor"
    for _ in range(respondent_steps):
        page.keyboard.press("ArrowDown")
    press_enter_on(page, button("Add section"))
    expect(page.locator(f"h3:has-text('{title}')")).to_be_visible()
    assert_accessible(page, axe)


def _add_question(page: Page, axe, section: str, text: str, *, kind_steps: int) -> None:
    # From the section or question just added, forward to the section's "Add a question".
    press_enter_on(page, button(f"Add a question to this section “{section}”"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(section)
    assert_accessible(page, axe)
    type_into(page, field("id_text"), text)
    tab_to(page, named("kind"))  # the checked radio: "Free text"
    key = "ArrowDown" if kind_steps > 0 else "ArrowUp"
    for _ in range(abs(kind_steps)):
        page.keyboard.press(key)
    press_enter_on(page, button("Add question"))
    expect(page.locator("main")).to_contain_text(text)
    assert_accessible(page, axe)


# Records each text the autosave status line shows, from the first parse onwards.
STATUS_RECORDER = """
window.__statusLog = [];
new MutationObserver(() => {
  const el = document.getElementById("autosave-status");
  if (!el) return;
  const text = el.textContent.replace(/\\s+/g, " ").trim();
  if (window.__statusLog[window.__statusLog.length - 1] !== text) window.__statusLog.push(text);
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


@pytest.fixture
def other_context(browser: Browser, browser_context_args: dict):
    context = browser.new_context(**browser_context_args)
    yield context
    context.close()


def test_an_audit_from_a_new_tool_to_acknowledgement_by_keyboard(
    live_server,
    page: Page,
    context: BrowserContext,
    other_context: BrowserContext,
    demo_people: Demo,
    axe,
) -> None:
    manager: StaffMember = demo_people.people["team.manager"]
    practitioner: StaffMember = demo_people.people["practitioner"]
    # The browser demo gives nobody a line manager: make team.manager practitioner's.
    if practitioner.line_manager_id != manager.pk:
        practitioner.line_manager = manager
        practitioner.save(update_fields=["line_manager"])
    case = next(c for c in demo_people.in_team("lac1") if c.allocated_worker_id == practitioner.pk)
    assert case.status == Case.Status.OPEN
    assert case.service.kind == Service.Kind.LOOKED_AFTER
    child = case.child

    # 1. The QA manager builds and publishes the tool.
    tool = _build_tool(page, live_server, axe)
    sign_out(page)
    assert_accessible(page, axe)

    # 2. team.manager starts an audit from the child's record.
    login(page, live_server, "team.manager")
    assert_accessible(page, axe)
    press_enter_on(page, link("Cases"))
    assert_accessible(page, axe)
    press_enter_on(page, link(child.full_name))
    expect(page.get_by_role("heading", level=1)).to_have_text(child.full_name)
    assert_accessible(page, axe)
    press_enter_on(page, link("Start an audit of the children looked after case"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Start an audit")
    assert_accessible(page, axe)
    tab_to(page, field("id_tool"))
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_tool")).to_have_value(str(tool.pk))
    assert checked_value(page, "audit_type") == AuditType.REGULAR
    due = timezone.localdate() + datetime.timedelta(days=45)
    type_date(page, "id_due_on", due)
    press_enter_on(page, button("Start the audit"))
    audit = Audit.objects.get(case=case, tool=tool)
    assert audit.due_on == due
    assert audit.auditor_id == manager.pk
    assert audit.practitioner_id == practitioner.pk
    # team.manager is practitioner's line manager: oversight goes to the next manager up.
    overseer: StaffMember = demo_people.people["service.manager"]
    assert audit.line_manager_id == overseer.pk
    assert path_of(page) == audit.get_absolute_url()
    expect(page.get_by_role("heading", level=1)).to_have_text(TOOL_NAME)
    assert_accessible(page, axe)

    auditor_section, reflection_section = list(tool.sections.all())
    grade_q, text_q = list(auditor_section.questions.all())
    section_path = f"/audits/{audit.pk}/sections/{auditor_section.pk}/"
    press_enter_on(page, link(AUDITOR_SECTION))
    assert path_of(page) == section_path
    assert_accessible(page, axe)
    status = page.locator("#autosave-status")
    with page.expect_response(is_autosave(section_path)):
        choose_radio(page, grade_q.field_name, "good")  # a change saves at once
    assert checked_value(page, grade_q.field_name) == "good"
    expect(status).to_contain_text("Saved at")
    first_text = "Weekly visits; the child says she feels listened to."
    tab_to(page, field(f"id_{text_q.field_name}"))
    with page.expect_response(is_autosave(section_path), timeout=TIMEOUT_MS):
        page.keyboard.type(first_text)  # saved about 3 s after typing stops
    expect(status).to_contain_text("Saved at")
    assert Answer.objects.get(audit=audit, question=text_q).value == first_text

    # Close the tab; open the audit again in a new one: the answers are there.
    page.close()
    page = open_page(context)
    page.goto(f"{live_server.url}{audit.get_absolute_url()}")
    assert_accessible(page, axe)
    press_enter_on(page, link(AUDITOR_SECTION))
    assert checked_value(page, grade_q.field_name) == "good"
    textarea = page.locator(f"#id_{text_q.field_name}")
    expect(textarea).to_have_value(first_text)
    assert_accessible(page, axe)

    # Type more and close the tab before the autosave runs: the device keeps a copy.
    more = " Her social worker visits alone each time."
    tab_to(page, field(f"id_{text_q.field_name}"))
    page.keyboard.press("Control+End")
    page.keyboard.type(more)
    typed = time.monotonic()
    page.close()
    assert time.monotonic() - typed < 1, "the tab closed too late: the autosave may have run"
    assert Answer.objects.get(audit=audit, question=text_q).value == first_text
    page = open_page(context)
    page.add_init_script(STATUS_RECORDER)
    page.goto(f"{live_server.url}{section_path}")
    textarea = page.locator(f"#id_{text_q.field_name}")
    expect(textarea).to_have_value(first_text + more)
    status = page.locator("#autosave-status")
    expect(status).to_contain_text(re.compile("Saving it now|Saved at"))
    said = page.evaluate("window.__statusLog")
    assert any("Saving it now" in s for s in said), said
    expect(
        status, "the text put back from this device was never sent to the server"
    ).to_contain_text("Saved at")
    assert Answer.objects.get(audit=audit, question=text_q).value == first_text + more
    assert_accessible(page, axe)
    assert (
        page.evaluate(
            f"localStorage.getItem('qaportal:audit:{audit.pk}:section:{auditor_section.pk}')"
        )
        is None
    )
    page.reload()
    expect(page.locator(f"#id_{text_q.field_name}")).to_have_value(first_text + more)
    assert checked_value(page, grade_q.field_name) == "good"

    # 3. The practitioner adds a reflection, in a browser of their own.
    other = open_page(other_context)
    login(other, live_server, "practitioner")
    expect(other.locator("main")).to_contain_text("1 reflection to add")
    assert_accessible(other, axe)
    press_enter_on(other, link("Audits"))  # the header's group opens My audits
    assert_accessible(other, axe)
    press_enter_on(other, link(f"{child.full_name}: {TOOL_NAME} audit"))
    assert path_of(other) == audit.get_absolute_url()
    assert_accessible(other, axe)
    press_enter_on(other, link(REFLECTION_SECTION))
    assert_accessible(other, axe)
    (reflection_q,) = list(reflection_section.questions.all())
    reflection = "I would ask her school about her attendance sooner."
    type_into(other, field(f"id_{reflection_q.field_name}"), reflection)
    press_enter_on(other, button("Save and return to the audit"))
    assert path_of(other) == audit.get_absolute_url()
    expect(other.locator(f"#task-{reflection_section.pk}-status")).to_have_text("Completed")
    assert_accessible(other, axe)
    assert Answer.objects.get(audit=audit, question=reflection_q).value == reflection

    # 4. team.manager tries to submit without findings, then writes them and submits.
    press_enter_on(page, link("Back to the audit"))
    press_enter_on(page, button("Check and submit"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and submit the audit")
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text(
        ["Choose an overall grade", "Explain why you gave this grade"]
    )
    assert_accessible(page, axe)
    press_enter_on(page, link("Explain why you gave this grade"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Findings and overall grade")
    assert focused(page)["id"] == "id_grade_rationale", focused(page)
    assert_accessible(page, axe)
    findings_path = f"/audits/{audit.pk}/findings/"
    with page.expect_response(is_autosave(findings_path)):
        choose_radio(page, "overall_grade", "good", backwards=True)
    assert checked_value(page, "overall_grade") == "good"
    type_into(page, field("id_grade_rationale"), "Visits are purposeful and recorded well.")
    type_into(page, field("id_strengths"), "The child's voice runs through the record.")
    type_into(page, field("id_improvements"), "Record who was present at each visit.")
    press_enter_on(page, button("Save and return to the audit"))
    # The fragment the error summary linked to stays on through the redirect; harmless.
    assert path_of(page).split("#")[0] == audit.get_absolute_url()
    expect(page.locator("#task-findings-status")).to_have_text("Completed")
    assert_accessible(page, axe)
    press_enter_on(page, button("Check and submit"))
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("overall grade of Good")
    assert_accessible(page, axe)
    press_enter_on(page, button("Submit the audit"))
    expect(page.locator("main")).to_contain_text("Audit submitted")
    expect(page.locator(".govuk-caption-l")).to_contain_text("submitted")
    assert_accessible(page, axe)
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED

    # 5. The manager above team.manager responds: the audit is final.
    expect(page.locator("main")).not_to_contain_text("Respond with management oversight")
    sign_out(page)
    login(page, live_server, "service.manager")
    page.goto(f"{live_server.url}{audit.get_absolute_url()}")  # from their notification
    press_enter_on(page, button("Respond with management oversight"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Respond with management oversight")
    assert_accessible(page, axe)
    choose_radio(page, "agrees", "yes")
    type_into(page, field("id_oversight"), "Agreed. Share the visit recording at team meeting.")
    type_into(page, field("id_direction_1"), "Add who was present to the last three visits.")
    tab_to(page, field("id_owner_1"))
    page.keyboard.press("Home")  # "Choose a person"
    page.keyboard.type("Sam")  # type-ahead to "Sam Okafor"
    expect(page.locator("#id_owner_1")).to_have_value(str(practitioner.pk))
    by_when = timezone.localdate() + datetime.timedelta(days=14)
    type_date(page, "id_due_1", by_when)
    press_enter_on(page, button("Record oversight and make the audit final"))
    expect(page.locator("main")).to_contain_text("The audit is final")
    expect(page.locator(".govuk-caption-l")).to_contain_text("final")
    assert_accessible(page, axe)
    audit.refresh_from_db()
    assert audit.status == Audit.Status.FINAL
    direction = audit.actions.get()
    assert (direction.owner_id, direction.due_on) == (practitioner.pk, by_when)

    # 6. The final audit is on the child's record, and downloads as a PDF.
    press_enter_on(page, link("Back to the record"))
    expect(page.get_by_role("heading", level=1)).to_have_text(child.full_name)
    audits_table = page.locator("table", has=page.locator("caption", has_text="Final audits"))
    expect(audits_table.get_by_role("link", name=TOOL_NAME)).to_have_attribute(
        "href", audit.get_absolute_url()
    )
    assert_accessible(page, axe)
    press_enter_on(page, link(TOOL_NAME))
    assert path_of(page) == audit.get_absolute_url()
    assert_accessible(page, axe)
    tab_to(page, link("Download as a PDF"))
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # 7. The practitioner acknowledges it.
    other.goto(f"{live_server.url}/")
    expect(other.locator("main")).to_contain_text("1 audit to acknowledge")
    assert_accessible(other, axe)
    press_enter_on(other, link("All my audits and actions"))
    assert_accessible(other, axe)
    press_enter_on(other, link(f"{child.full_name}: {TOOL_NAME} audit"))
    assert_accessible(other, axe)
    type_into(other, field("acknowledgement"), "Thank you; I will add who was present.")
    press_enter_on(other, button("Acknowledge this audit"))
    expect(other.locator("main")).to_contain_text("You have acknowledged this audit")
    expect(other.locator("main")).to_contain_text(f"Acknowledged by {practitioner.display_name}")
    assert_accessible(other, axe)
    audit.refresh_from_db()
    assert audit.acknowledged_at is not None


# Two people, one answer.


def _family_audit(demo: Demo) -> tuple[Audit, object, ToolQuestion]:
    """A published tool with a family-feedback part, and an audit of practitioner's case."""
    qa = demo.people["qa.manager"]
    manager = demo.people["team.manager"]
    practitioner = demo.people["practitioner"]
    tool = tool_services.tool_create(
        organisation=demo.council,
        name="Family voice",
        created_by=qa,
        audit_types=[AuditType.REGULAR],
        service_kinds=[Service.Kind.LOOKED_AFTER],
    )
    records = tool_services.section_add(tool=tool, title=AUDITOR_SECTION)
    tool_services.question_add(section=records, text=GRADE_QUESTION, kind=ToolQuestion.Kind.GRADE)
    family = tool_services.section_add(
        tool=tool, title="Family feedback", respondent=Respondent.FAMILY
    )
    question = tool_services.question_add(
        section=family, text="What did the family tell you?", kind=ToolQuestion.Kind.TEXT
    )
    tool = tool_services.tool_publish(tool=tool, by=qa)
    case = next(c for c in demo.in_team("lac1") if c.allocated_worker_id == practitioner.pk)
    audit = audit_services.audit_create(
        case=case,
        tool=tool,
        auditor=manager,
        audit_type=AuditType.REGULAR,
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    return audit, family, question


def test_two_people_editing_one_answer_see_both_versions_and_keep_the_merge(
    live_server,
    page: Page,
    other_context: BrowserContext,
    demo_people: Demo,
    axe,
) -> None:
    audit, family, question = _family_audit(demo_people)
    theirs_text = "Her grandmother says visits are at a good time for her."
    mine_text = "Her brother would like to be seen with her sometimes."
    answer_id = f"id_{question.field_name}"

    # The practitioner (other) and the auditor (page) both open the family part.
    practitioner_page = open_page(other_context)
    for who, p in (("practitioner", practitioner_page), ("team.manager", page)):
        login(p, live_server, who)
        assert_accessible(p, axe)
        p.goto(f"{live_server.url}{audit.get_absolute_url()}")
        assert_accessible(p, axe)
        press_enter_on(p, link("Family feedback"))
        expect(p.get_by_role("heading", level=1)).to_have_text("Family feedback")
        expect(p.locator("main")).to_contain_text("the family's feedback")
        assert_accessible(p, axe)

    # Both type; the practitioner saves first.
    type_into(practitioner_page, field(answer_id), theirs_text)
    type_into(page, field(answer_id), mine_text)
    press_enter_on(practitioner_page, button("Save and return to the audit"))
    assert path_of(practitioner_page) == audit.get_absolute_url()
    assert_accessible(practitioner_page, axe)
    saved = Answer.objects.get(audit=audit, question=question)
    assert saved.value == theirs_text

    # The auditor saves second: both versions, and who made the other, on a 409 page.
    tab_to(page, button("Save and return to the audit"))
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    assert navigation.value is not None
    assert navigation.value.status == 409
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Someone else changed 1 answer while you were editing")
    conflict = page.locator(f"#conflict-{question.field_name}")
    expect(conflict).to_contain_text(f"Saved by {demo_people.people['practitioner'].display_name}")
    expect(conflict.locator(".app-conflict__theirs")).to_have_text(theirs_text)
    expect(conflict.locator(".app-conflict__yours")).to_have_text(mine_text)
    expect(page.locator(f"#{answer_id}")).to_have_value(mine_text)
    assert_accessible(page, axe)

    # Combine the two in the answer box and save again: no conflict now.
    tab_to(page, field(answer_id))
    page.keyboard.press("Control+End")
    page.keyboard.type(" " + theirs_text)
    press_enter_on(page, button("Save and return to the audit"))
    assert path_of(page) == audit.get_absolute_url()
    assert_accessible(page, axe)
    merged = f"{mine_text} {theirs_text}"
    assert Answer.objects.get(audit=audit, question=question).value == merged
    press_enter_on(page, link("Family feedback"))
    expect(page.locator(f"#{answer_id}")).to_have_value(merged)
    assert_accessible(page, axe)
