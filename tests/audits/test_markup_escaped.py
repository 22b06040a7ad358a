"""Markup typed into a tool (a question's text, hint and choices, a section's title) is shown
as text on the audit's section page, in its htmx answers and on the tool builder's pages."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit, AuditTool, ToolQuestion
from audits.services import audits as audit_services
from audits.services.tools import (
    question_add,
    section_add,
    tool_create,
    tool_new_version,
    tool_publish,
)

pytestmark = pytest.mark.django_db

MARKUP = "<script>alert(1)</script><b>x</b>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;"
KINDS = (ToolQuestion.Kind.TEXT, ToolQuestion.Kind.CHOICE, ToolQuestion.Kind.DATE)
KINDS += (ToolQuestion.Kind.GRADE,)


def _add_questions(section) -> None:
    for kind in KINDS:
        choices = [MARKUP, "Other"] if kind == ToolQuestion.Kind.CHOICE else None
        question_add(section=section, text=MARKUP, guidance=MARKUP, kind=kind, choices=choices)


def _assert_escaped(body: str) -> None:
    assert "<script>alert" not in body
    assert "<b>x</b>" not in body
    assert ESCAPED in body


@pytest.fixture
def audit(scenario) -> Audit:
    """The scenario's audit, on a version whose auditor's part asks questions typed with markup."""
    qa = scenario.people["qa"]
    draft = tool_new_version(tool=scenario.tool, by=qa)
    _add_questions(section_add(tool=draft, title=MARKUP, guidance=MARKUP))
    return audit_services.audit_create(
        case=scenario.case,
        tool=tool_publish(tool=draft, by=qa),
        auditor=scenario.people["team_manager"],
        due_on=timezone.localdate(),
        audit_type="regular",
    )


def _section_url(audit: Audit) -> str:
    section = audit.tool.sections.get(title=MARKUP)
    return reverse("audits:section", kwargs={"audit_pk": audit.pk, "section_pk": section.pk})


@pytest.mark.parametrize(
    "key", ["team_manager", "practitioner", "service_manager", "qa", "senior_leader"]
)
def test_a_section_page_shows_markup_in_questions_as_text(client, scenario, audit, key):
    client.force_login(scenario.people[key].user)
    response = client.get(_section_url(audit))
    assert response.status_code == 200
    _assert_escaped(response.content.decode())


def test_a_section_asked_for_by_htmx_shows_markup_as_text(client, scenario, audit):
    client.force_login(scenario.people["team_manager"].user)
    response = client.get(_section_url(audit), headers={"HX-Request": "true"})
    assert response.status_code == 200
    _assert_escaped(response.content.decode())


@pytest.fixture
def draft(scenario) -> AuditTool:
    """A draft whose name, sections and questions carry markup; one section has no questions,
    so the page lists it among the problems to fix before publishing."""
    qa = scenario.people["qa"]
    tool = tool_create(organisation=qa.organisation, name=MARKUP, created_by=qa)
    section = section_add(tool=tool, title=MARKUP, guidance=MARKUP)
    _add_questions(section)
    section_add(tool=tool, title=MARKUP + " (empty)")
    return tool


def _builder_urls(tool: AuditTool) -> list[str]:
    section = tool.sections.first()
    question = section.questions.first()
    return [
        reverse("audits:tool_list"),
        reverse("audits:tool_detail", kwargs={"tool_pk": tool.pk}),
        reverse("audits:tool_edit", kwargs={"tool_pk": tool.pk}),
        reverse("audits:tool_publish", kwargs={"tool_pk": tool.pk}),
        reverse("audits:section_new", kwargs={"tool_pk": tool.pk}),
        reverse("audits:section_edit", kwargs={"section_pk": section.pk}),
        reverse("audits:section_remove", kwargs={"section_pk": section.pk}),
        reverse("audits:question_new", kwargs={"section_pk": section.pk}),
        reverse("audits:question_edit", kwargs={"question_pk": question.pk}),
        reverse("audits:question_remove", kwargs={"question_pk": question.pk}),
    ]


def test_the_tool_builder_pages_show_markup_as_text(client, scenario, draft):
    client.force_login(scenario.people["qa"].user)
    for url in _builder_urls(draft):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_escaped(response.content.decode())


def test_the_preview_before_publishing_shows_markup_as_text(client, scenario, draft):
    """With the empty section gone, the preview shows every question as auditors will."""
    draft.sections.filter(title__endswith="(empty)").delete()
    client.force_login(scenario.people["qa"].user)
    response = client.get(reverse("audits:tool_publish", kwargs={"tool_pk": draft.pk}))
    body = response.content.decode()
    assert "Publish version 1</button>" in body
    _assert_escaped(body)


def test_a_question_moved_with_htmx_shows_markup_as_text(client, scenario, draft):
    question = draft.sections.first().questions.first()
    client.force_login(scenario.people["qa"].user)
    response = client.post(
        reverse("audits:question_move", kwargs={"question_pk": question.pk}),
        {"direction": "down"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    _assert_escaped(response.content.decode())
