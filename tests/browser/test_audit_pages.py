"""An axe sweep over the audit pages the journey test does not reach: the list with its
charts, my audits, history, moderation, finding a case, adding an action, the tools."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from audits.models import Audit, Respondent
from audits.services import audits as services
from tests.browser.conftest import assert_accessible, login
from tests.browser.demo import Demo
from tests.scenario import _audit_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

GRADES = ["outstanding", "good", "good", "requires_improvement", "inadequate", "good"]


def _graded_audits(demo: Demo) -> tuple[Audit, Audit]:
    """Six audits of the practitioner's cases, graded and submitted; half made final."""
    people = {
        "qa": demo.people["qa.manager"],
        "team_manager": demo.people["team.manager"],
        "practitioner": demo.people["practitioner"],
    }
    cases = [c for c in demo.cases if c.allocated_worker_id == people["practitioner"].pk]
    tool, first, *_ = _audit_of(cases[0], people)
    tm, prac = people["team_manager"], people["practitioner"]
    audits = []
    for case, grade in zip(cases[1:], GRADES, strict=False):
        audit = services.audit_create(
            case=case, tool=tool, auditor=tm, due_on=timezone.localdate(), audit_type="regular"
        )
        for section in tool.sections.all():
            who = prac if section.respondent == Respondent.PRACTITIONER else tm
            services.answers_save(
                audit=audit,
                section=section,
                by=who,
                values={
                    q.pk: ("good" if q.options else "Evidence", 0) for q in section.questions.all()
                },
            )
        services.findings_save(
            audit=audit,
            by=tm,
            base_revision=0,
            values={"overall_grade": grade, "grade_rationale": "Because"},
        )
        audits.append(services.audit_submit(audit=audit, by=tm))
    for audit in audits[:3]:
        # team.manager is the practitioner's line manager: the service manager oversees.
        services.audit_oversight(
            audit=audit, by=audit.line_manager, text="Agreed", agrees=True, directions=[]
        )
    return first, audits[-1]


def test_the_other_audit_pages_are_accessible(
    live_server,
    page: Page,
    demo_people: Demo,
    axe,
) -> None:
    open_audit, submitted = _graded_audits(demo_people)
    base = live_server.url
    login(page, live_server, "qa.manager")
    visits = [
        ("/audits/", "Audits"),
        ("/audits/?grade=banana&status=open", "Audits"),
        ("/audits/mine/", "My audits"),
        (f"/audits/{submitted.pk}/", "Practice review"),
        (f"/audits/{submitted.pk}/moderate/", "Moderate this audit"),
        (f"/audits/{submitted.pk}/history/", "Who changed what"),
        ("/audits/new/?reference=NOPE", "Start an audit"),
        ("/tools/", "Audit tools"),
        (f"/tools/{open_audit.tool_id}/", None),
        (f"/tools/{open_audit.tool_id}/publish/", "This version cannot be published"),
    ]
    for path, heading in visits:
        page.goto(f"{base}{path}")
        if heading:
            expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_accessible(page, axe)
    # The figures are drawn and tabled: six graded audits, four good or better.
    page.goto(f"{base}/audits/")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    expect(page.get_by_text("67% were good or better (4 of 6)")).to_be_visible()

    login(page, live_server, "team.manager")
    page.goto(f"{base}/audits/{open_audit.pk}/actions/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an action")
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Add the action").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what needs to be done")
    assert_accessible(page, axe)
    login(page, live_server, "service.manager")
    page.goto(f"{base}/audits/{submitted.pk}/oversight/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Respond with management oversight")
    assert_accessible(page, axe)
    expect(page.get_by_text("If you do not agree, what grade would you give?")).to_be_visible()
