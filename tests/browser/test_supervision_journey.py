"""Supervision QA with the keyboard alone and axe on every page.

A supervision audit: qa.manager builds a tool for supervision audits and starts an audit
of practitioner's supervision records for the last three months, naming service.manager
as the auditor. service.manager answers it, grades it and submits it; team.manager,
practitioner's line manager and so the person whose supervision it is, responds with
management oversight and the audit is final.

360-degree feedback: qa.manager asks team.manager's five supervisees about their
supervision; each answers the anonymous questionnaire; once the round has closed the
results show only totals and the comments, never who answered. (Four answers showing
nothing is a Django test: tests/audits/test_supervision_feedback.py.)

Only page.keyboard moves and acts (Tab, Shift+Tab, Enter, Space, arrows, typing); login()
signs in through the form.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from audits.models import (
    FEEDBACK_QUESTIONS,
    Audit,
    AuditTool,
    AuditType,
    SupervisionFeedbackResponse,
    SupervisionFeedbackRound,
)
from cases.models import StaffMember
from tests.browser.conftest import assert_accessible, login, path_of
from tests.browser.demo import Demo
from tests.browser.keyboard import (
    Match,
    choose_option,
    choose_radio,
    field,
    heading,
    link,
    success,
    tab_to,
)
from tests.factories import StaffMemberFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

TOOL_NAME = "Supervision records review"
SECTION = "Supervision records"
GRADE_QUESTION = "How reflective is the supervision recorded?"


def control(text: str) -> Match:
    return lambda f: f["tag"] in ("a", "button", "input") and f["text"].startswith(text)


def named(name: str) -> Match:
    return lambda f: f["name"] == name


def autosave_idle(page: Page) -> None:
    """Let an autosave finish before the page changes (SQLite locks whole tables)."""
    if page.locator("form[data-autosave]").count():
        page.wait_for_timeout(150)
        page.wait_for_function("() => !document.querySelector('.htmx-request')")


def go(page: Page, matches: Match, *, backwards: bool = False) -> None:
    tab_to(page, matches, backwards=backwards)
    autosave_idle(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def type_into(page: Page, element_id: str, text: str) -> None:
    tab_to(page, field(element_id))
    page.keyboard.type(text)


def type_date(page: Page, element_id: str, day: datetime.date) -> None:
    for n, part in enumerate((day.day, day.month, day.year)):
        type_into(page, f"{element_id}_{n}", str(part))


def sign_out(page: Page) -> None:
    go(page, control("Sign out"))
    heading(page).to_contain_text("Sign in")


def signed_in(page: Page, live_server, username: str, axe) -> None:
    login(page, live_server, username)
    assert_accessible(page, axe)


# The supervision audit.


def _build_tool(page: Page, axe) -> AuditTool:
    go(page, link("Audits"))
    assert_accessible(page, axe)
    go(page, link("Audit tools"))
    assert_accessible(page, axe)
    go(page, control("Create a tool"))
    heading(page).to_have_text("Create an audit tool")
    assert_accessible(page, axe)
    type_into(page, "id_name", TOOL_NAME)
    tab_to(page, lambda f: f["name"] == "audit_types" and f["value"] == AuditType.SUPERVISION)
    page.keyboard.press("Space")
    go(page, control("Create tool"))
    heading(page).to_have_text(TOOL_NAME)
    assert_accessible(page, axe)
    tool = AuditTool.objects.get(name=TOOL_NAME)
    assert tool.audit_types == [AuditType.SUPERVISION]

    go(page, control("Add a section"))
    assert_accessible(page, axe)
    type_into(page, "id_title", SECTION)  # answered by the auditor, the checked radio
    go(page, control("Add section"))
    assert_accessible(page, axe)
    go(page, control(f"Add a question to this section “{SECTION}”"))
    assert_accessible(page, axe)
    type_into(page, "id_text", GRADE_QUESTION)
    tab_to(page, named("kind"))  # the checked radio, "Free text"; a grade is two above
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    go(page, control("Add question"))
    expect(page.locator("main")).to_contain_text(GRADE_QUESTION)
    assert_accessible(page, axe)

    go(page, control("Publish this version"), backwards=True)
    assert_accessible(page, axe)
    go(page, control("Publish version 1"))
    expect(page.locator("main")).to_contain_text(f"Version 1 of {TOOL_NAME} is published")
    assert_accessible(page, axe)
    tool.refresh_from_db()
    assert tool.status == AuditTool.Status.PUBLISHED
    return tool


def _start_audit(page: Page, axe, tool: AuditTool, demo: Demo) -> Audit:
    practitioner = demo.people["practitioner"]
    auditor = demo.people["service.manager"]
    today = timezone.localdate()
    go(page, link("Audits"))
    assert_accessible(page, axe)
    go(page, link("Start a supervision audit"))
    heading(page).to_have_text("Start a supervision audit")
    assert_accessible(page, axe)
    # Sent empty: the mistakes, each linked to its question.
    go(page, control("Start the audit"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose whose supervision to audit")
    expect(summary).to_be_focused()
    assert_accessible(page, axe)
    tab_to(page, link("Choose whose supervision to audit"))
    page.keyboard.press("Enter")
    expect(page.locator("#id_supervisee")).to_be_focused()
    # A date's mistake takes focus to its day box (the summary sits above the form).
    tab_to(page, link("Enter the date it is due by"), backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator("#id_due_on_0")).to_be_focused()
    tab_to(page, field("id_supervisee"), backwards=True)
    page.keyboard.press("Shift+Tab")  # back before the select, for the steps below
    choose_option(page, "id_supervisee", str(practitioner.pk))
    choose_option(page, "id_tool", str(tool.pk))
    # The auditor starts as qa.manager, who comes last: from the top of the list.
    tab_to(page, field("id_auditor"))
    page.keyboard.press("Home")
    page.keyboard.press("ArrowDown")  # Nadia Begum, first by family name
    expect(page.locator("#id_auditor")).to_have_value(str(auditor.pk))
    type_date(page, "id_period_start", today - datetime.timedelta(days=90))
    type_date(page, "id_period_end", today)
    type_date(page, "id_due_on", today + datetime.timedelta(days=21))
    go(page, control("Start the audit"))
    success(page, "Supervision audit started")
    audit = Audit.objects.get(supervisee=practitioner)
    assert path_of(page) == audit.get_absolute_url()
    assert (audit.case_id, audit.tool_id, audit.auditor_id) == (None, tool.pk, auditor.pk)
    assert audit.period_end == today
    assert audit.line_manager_id == demo.people["team.manager"].pk
    expect(page.locator("main")).to_contain_text(
        f"{practitioner.display_name}'s supervision records from"
    )
    assert_accessible(page, axe)
    return audit


def _audit_and_submit(page: Page, axe, audit: Audit, demo: Demo) -> None:
    practitioner = demo.people["practitioner"]
    go(page, link("Audits"))
    assert_accessible(page, axe)
    go(page, link(f"{practitioner.display_name}: {TOOL_NAME} audit"))
    assert path_of(page) == audit.get_absolute_url()
    assert_accessible(page, axe)

    go(page, link(SECTION))
    heading(page).to_have_text(SECTION)
    assert_accessible(page, axe)
    (question,) = audit.tool.sections.get().questions.all()
    choose_radio(page, question.field_name, "good")
    go(page, control("Save and return to the audit"))
    assert path_of(page) == audit.get_absolute_url()
    assert_accessible(page, axe)

    go(page, link("Findings and overall grade"))
    heading(page).to_have_text("Findings and overall grade")
    assert_accessible(page, axe)
    choose_radio(page, "overall_grade", "good")
    type_into(page, "id_grade_rationale", "Monthly, reflective and signed by both.")
    type_into(page, "id_strengths", "Each case discussed has a recorded decision.")
    type_into(page, "id_improvements", "Record wellbeing as well as caseload.")
    go(page, control("Save and return to the audit"))
    expect(page.locator("#task-findings-status")).to_have_text("Completed")
    assert_accessible(page, axe)

    go(page, control("Check and submit"))
    heading(page).to_have_text("Check and submit the audit")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("overall grade of Good")
    assert_accessible(page, axe)
    go(page, control("Submit the audit"))
    expect(page.locator("main")).to_contain_text("Audit submitted")
    assert_accessible(page, axe)
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED
    expect(page.locator("main")).not_to_contain_text("Respond with management oversight")


def _oversee(page: Page, axe, audit: Audit, demo: Demo) -> None:
    practitioner = demo.people["practitioner"]
    go(page, link("Audits"))
    expect(page.locator("#to-oversee")).to_have_text("Audits to respond to")
    assert_accessible(page, axe)
    go(page, link(f"{practitioner.display_name}: {TOOL_NAME} audit"))
    assert_accessible(page, axe)
    go(page, control("Respond with management oversight"))
    heading(page).to_have_text("Respond with management oversight")
    expect(page.locator("main")).to_contain_text("audited this supervision")
    assert_accessible(page, axe)
    choose_radio(page, "agrees", "yes")
    type_into(page, "id_oversight", "Agreed: I will add wellbeing to our supervision record.")
    go(page, control("Record oversight and make the audit final"))
    expect(page.locator("main")).to_contain_text("The audit is final")
    assert_accessible(page, axe)
    audit.refresh_from_db()
    assert audit.status == Audit.Status.FINAL


def test_a_supervision_audit_from_a_new_tool_to_oversight_by_keyboard(
    live_server, page: Page, demo_people: Demo, axe
) -> None:
    practitioner: StaffMember = demo_people.people["practitioner"]
    practitioner.line_manager = demo_people.people["team.manager"]
    practitioner.save(update_fields=["line_manager"])

    signed_in(page, live_server, "qa.manager", axe)
    tool = _build_tool(page, axe)
    audit = _start_audit(page, axe, tool, demo_people)
    sign_out(page)

    signed_in(page, live_server, "service.manager", axe)
    _audit_and_submit(page, axe, audit, demo_people)
    sign_out(page)

    signed_in(page, live_server, "team.manager", axe)
    _oversee(page, axe, audit, demo_people)


# 360-degree feedback.

COMMENTS = (
    "Fewer cancelled sessions, please.",
    "More time to reflect on the harder cases.",
    "A quieter room would help.",
    "Write up the decisions the same week.",
    "",
)
ANSWERS = ("5", "4", "4", "3", "2")  # one agreement for every question, per person


def _supervisees(demo: Demo) -> list[StaffMember]:
    manager = demo.people["team.manager"]
    people = [demo.people["practitioner"], demo.people["colleague"]]
    people += [
        StaffMemberFactory(
            team=demo.teams["lac1"],
            line_manager=manager,
            user__username=f"supervisee{n}",
            user__first_name="Answering",
            user__last_name=f"Person{n}",
        )
        for n in range(3)
    ]
    for person in people[:2]:
        person.line_manager = manager
        person.save(update_fields=["line_manager"])
    return people


def _open_round(page: Page, axe, demo: Demo) -> SupervisionFeedbackRound:
    manager = demo.people["team.manager"]
    go(page, link("Audits"))
    assert_accessible(page, axe)
    go(page, link("Supervision feedback"))
    heading(page).to_have_text("Supervision feedback")
    assert_accessible(page, axe)
    go(page, link("Ask for feedback on a manager's supervision"))
    assert_accessible(page, axe)
    choose_option(page, "id_manager", str(manager.pk))
    type_date(page, "id_closes_on", timezone.localdate() + datetime.timedelta(days=7))
    go(page, control("Send the questionnaire"))
    success(page, "Feedback round opened")
    feedback = SupervisionFeedbackRound.objects.get(manager=manager)
    assert path_of(page) == feedback.get_absolute_url()
    assert feedback.invited == 5
    expect(page.locator(".govuk-inset-text")).to_contain_text("Results show once")
    assert_accessible(page, axe)
    return feedback


def _answer(page: Page, axe, answer: str, comment: str, *, first: bool) -> None:
    manager_name = "Tom Holroyd"
    go(page, link("Audits"))
    assert_accessible(page, axe)
    go(page, link("Supervision feedback"))
    assert_accessible(page, axe)
    go(page, link(f"Your supervision with {manager_name}"))
    heading(page).to_have_text(f"Your supervision with {manager_name}")
    assert_accessible(page, axe)
    if first:
        # Sent unanswered: one mistake per question, each saying which and linked to it.
        go(page, control("Send my answers"))
        errors = page.locator(".govuk-error-summary__list a")
        expect(errors).to_have_count(len(FEEDBACK_QUESTIONS))
        texts = errors.all_inner_texts()
        assert len(set(texts)) == len(texts), texts
        assert_accessible(page, axe)
        tab_to(page, link(texts[0]))
        page.keyboard.press("Enter")
        expect(page.locator("#id_regular_1")).to_be_focused()
        page.keyboard.press("Shift+Tab")
    for name, _ in FEEDBACK_QUESTIONS:
        choose_radio(page, name, answer)
    if comment:
        type_into(page, "id_comment", comment)
    go(page, control("Send my answers"))
    heading(page).to_have_text("Thank you")
    assert_accessible(page, axe)


def test_five_supervisees_answer_and_the_results_are_only_totals(
    live_server, page: Page, demo_people: Demo, axe
) -> None:
    supervisees = _supervisees(demo_people)
    signed_in(page, live_server, "qa.manager", axe)
    feedback = _open_round(page, axe, demo_people)
    sign_out(page)

    for n, (person, answer, comment) in enumerate(zip(supervisees, ANSWERS, COMMENTS, strict=True)):
        signed_in(page, live_server, person.user.username, axe)
        _answer(page, axe, answer, comment, first=n == 0)
        sign_out(page)
    assert SupervisionFeedbackResponse.objects.filter(round=feedback).count() == 5

    # The round closes: its closing date passes.
    SupervisionFeedbackRound.objects.filter(pk=feedback.pk).update(
        closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    signed_in(page, live_server, "qa.manager", axe)
    go(page, link("Audits"))
    assert_accessible(page, axe)
    go(page, link("Supervision feedback"))
    assert_accessible(page, axe)
    go(page, link("Tom Holroyd"))
    assert path_of(page) == feedback.get_absolute_url()
    main = page.locator("main")
    expect(main).to_contain_text("5 have answered")
    first = page.locator("table").first
    expect(first.locator("caption")).to_contain_text("60% agree")  # 5, 4 and 4: three of five
    rows = first.locator("tbody tr")
    expect(rows).to_have_count(5)
    counts = [rows.nth(n).locator("td").first.inner_text() for n in range(5)]
    assert counts == ["1", "2", "1", "1", "0"], counts
    comments = page.locator("main ul.govuk-list--bullet li")
    assert sorted(comments.all_inner_texts()) == sorted(c for c in COMMENTS if c)
    text = main.inner_text()
    for person in supervisees:
        assert person.display_name not in text
        assert person.user.username not in text
    assert_accessible(page, axe)
