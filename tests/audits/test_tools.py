"""The QA manager's audit tools: the services that build and publish them, and their pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audits.models import AuditTool, AuditType, Respondent, ToolQuestion, ToolSection
from audits.services.tools import (
    ToolError,
    item_move,
    question_add,
    question_remove,
    question_update,
    section_add,
    section_remove,
    section_update,
    tool_create,
    tool_new_version,
    tool_problems,
    tool_publish,
    tool_update,
)
from cases.models import Service
from tests.pages import page_text

pytestmark = pytest.mark.django_db

DRAFT_ONLY = "Only a draft can be changed"


def _draft(scenario, *, name="Thematic review", sections=1, questions=1) -> AuditTool:
    """A draft of organisation A whose sections are all the auditor's, each with questions."""
    qa = scenario.people["qa"]
    tool = tool_create(organisation=qa.organisation, name=name, created_by=qa)
    for s in range(sections):
        section = section_add(tool=tool, title=f"Section {s + 1}")
        for q in range(questions):
            question_add(section=section, text=f"Question {s + 1}.{q + 1}", kind="text")
    return tool


def _titles(tool: AuditTool) -> list[str]:
    return list(tool.sections.values_list("title", flat=True))


def _texts(section: ToolSection) -> list[str]:
    return list(section.questions.values_list("text", flat=True))


def _login(client, scenario, key: str) -> None:
    client.force_login(scenario.people[key].user)


# Services


def test_sections_and_questions_are_added_in_order_and_can_be_moved(scenario):
    tool = _draft(scenario, sections=3, questions=3)
    first, second, third = tool.sections.all()
    item_move(item=third, up=True)
    assert _titles(tool) == ["Section 1", "Section 3", "Section 2"]
    item_move(item=first, up=False)
    assert _titles(tool) == ["Section 3", "Section 1", "Section 2"]
    question = first.questions.first()
    item_move(item=question, up=False)
    assert _texts(first) == ["Question 1.2", "Question 1.1", "Question 1.3"]


def test_moving_the_first_item_up_changes_nothing(scenario):
    tool = _draft(scenario, sections=2)
    item_move(item=tool.sections.first(), up=True)
    assert _titles(tool) == ["Section 1", "Section 2"]


def test_removing_a_section_removes_its_questions(scenario):
    tool = _draft(scenario, sections=2, questions=2)
    section = tool.sections.first()
    section_remove(section=section)
    assert _titles(tool) == ["Section 2"]
    assert not ToolQuestion.objects.filter(section_id=section.pk).exists()


def test_removing_a_question_keeps_the_others(scenario):
    tool = _draft(scenario, questions=3)
    section = tool.sections.get()
    question_remove(question=section.questions.get(text="Question 1.2"))
    assert _texts(section) == ["Question 1.1", "Question 1.3"]


def test_publishing_replaces_the_published_version(scenario):
    old = scenario.tool
    draft = tool_new_version(tool=old, by=scenario.people["qa"])
    tool_publish(tool=draft, by=scenario.people["qa"])
    old.refresh_from_db()
    draft.refresh_from_db()
    assert old.status == AuditTool.Status.RETIRED
    assert draft.status == AuditTool.Status.PUBLISHED
    assert draft.published_by == scenario.people["qa"]


def test_a_new_version_copies_sections_and_questions(scenario):
    old = scenario.tool
    draft = tool_new_version(tool=old, by=scenario.people["qa"])
    assert (draft.code, draft.version, draft.status) == (old.code, 2, AuditTool.Status.DRAFT)
    assert _titles(draft) == _titles(old)
    copied = ToolQuestion.objects.filter(section__tool=draft).values_list("text", "kind")
    original = ToolQuestion.objects.filter(section__tool=old).values_list("text", "kind")
    assert list(copied) == list(original)
    assert not set(copied.values_list("pk", flat=True)) & set(original.values_list("pk", flat=True))


def test_a_new_version_leaves_audits_on_the_version_they_started_with(scenario):
    draft = tool_new_version(tool=scenario.tool, by=scenario.people["qa"])
    section_update(
        section=draft.sections.first(), title="Renamed", guidance="", respondent="auditor"
    )
    tool_publish(tool=draft, by=scenario.people["qa"])
    scenario.audit.refresh_from_db()
    assert scenario.audit.tool_id == scenario.tool.pk
    assert _titles(scenario.audit.tool)[0] == "Child's records review"


def test_starting_a_new_version_twice_gives_the_same_draft(scenario):
    first = tool_new_version(tool=scenario.tool, by=scenario.people["qa"])
    assert tool_new_version(tool=scenario.tool, by=scenario.people["qa"]) == first


def _no_sections(scenario) -> AuditTool:
    return _draft(scenario, sections=0)


def _empty_section(scenario) -> AuditTool:
    tool = _draft(scenario)
    section_add(tool=tool, title="Nothing here")
    return tool


def _choice_with_one_choice(scenario) -> AuditTool:
    tool = _draft(scenario)
    question_add(section=tool.sections.get(), text="Pick", kind="choice", choices=["Only"])
    return tool


def _no_auditor_section(scenario) -> AuditTool:
    tool = _draft(scenario, sections=0)
    section = section_add(tool=tool, title="Reflection", respondent=Respondent.PRACTITIONER)
    question_add(section=section, text="What went well?", kind="text")
    return tool


@pytest.mark.parametrize(
    ("build", "problem"),
    [
        (_no_sections, "Add at least one section"),
        (_empty_section, "Add a question to the section “Nothing here”"),
        (_choice_with_one_choice, "Give at least two choices for “Pick”"),
        (_no_auditor_section, "Add a section for the auditor to complete"),
    ],
)
def test_publishing_is_refused_while_the_tool_has_a_problem(scenario, build, problem):
    tool = build(scenario)
    assert problem in tool_problems(tool)
    with pytest.raises(ToolError):
        tool_publish(tool=tool, by=scenario.people["qa"])
    tool.refresh_from_db()
    assert tool.status == AuditTool.Status.DRAFT


def test_a_complete_draft_has_no_problems(scenario):
    assert tool_problems(_draft(scenario)) == []


CHANGES_TO_A_PUBLISHED_TOOL = {
    "tool_update": lambda t, s, q: tool_update(
        tool=t, name="New", description="", audit_types=[], service_kinds=[]
    ),
    "section_add": lambda t, s, q: section_add(tool=t, title="New"),
    "section_update": lambda t, s, q: section_update(
        section=s, title="New", guidance="", respondent="auditor"
    ),
    "section_remove": lambda t, s, q: section_remove(section=s),
    "question_add": lambda t, s, q: question_add(section=s, text="New", kind="text"),
    "question_update": lambda t, s, q: question_update(
        question=q, text="New", kind="text", guidance="", choices=[], required=True
    ),
    "question_remove": lambda t, s, q: question_remove(question=q),
    "item_move": lambda t, s, q: item_move(item=s, up=False),
    "tool_publish": lambda t, s, q: tool_publish(tool=t, by=None),
}


@pytest.mark.parametrize("change", CHANGES_TO_A_PUBLISHED_TOOL)
def test_a_published_tool_cannot_be_changed(scenario, change):
    tool = scenario.tool
    section = tool.sections.first()
    question = section.questions.first()
    before = (_titles(tool), list(ToolQuestion.objects.filter(section__tool=tool).values()))
    with pytest.raises(ToolError, match=DRAFT_ONLY):
        CHANGES_TO_A_PUBLISHED_TOOL[change](tool, section, question)
    tool.refresh_from_db()
    assert tool.name == "Practice review"
    assert before == (_titles(tool), list(ToolQuestion.objects.filter(section__tool=tool).values()))


# Pages: the list


def test_the_tool_list_shows_each_tool_once_with_its_newest_version(client, scenario):
    draft = tool_new_version(tool=scenario.tool, by=scenario.people["qa"])
    _login(client, scenario, "qa")
    response = client.get(reverse("audits:tool_list"))
    assert response.status_code == 200
    [row] = response.context["tools"]
    assert (row.pk, row.version, row.published_pk, row.draft_pk) == (
        draft.pk,
        2,
        scenario.tool.pk,
        draft.pk,
    )
    assert (row.section_count, row.question_count) == (2, 2)
    body = response.content.decode()
    assert reverse("audits:tool_detail", kwargs={"tool_pk": scenario.tool.pk}) in body
    assert "Create a tool" in body


def test_managers_see_the_tools_but_cannot_create_one(client, scenario):
    _login(client, scenario, "team_manager")
    response = client.get(reverse("audits:tool_list"))
    assert response.status_code == 200
    assert "Practice review" in response.content.decode()
    assert "Create a tool" not in response.content.decode()


def test_practitioners_cannot_see_the_tool_list(client, scenario):
    _login(client, scenario, "practitioner")
    assert client.get(reverse("audits:tool_list")).status_code == 403


def test_another_organisation_does_not_see_the_tools(client, scenario):
    _login(client, scenario, "other_org_qa")
    response = client.get(reverse("audits:tool_list"))
    assert response.status_code == 200
    assert response.context["tools"] == []
    assert "Practice review" not in response.content.decode()


@pytest.mark.parametrize("extra_tools", [0, 10])
def test_the_tool_list_takes_a_fixed_number_of_queries(
    client, scenario, django_assert_max_num_queries, extra_tools
):
    for n in range(extra_tools):
        tool = _draft(scenario, name=f"Tool {n}", sections=2, questions=2)
        if n % 2:
            tool_publish(tool=tool, by=scenario.people["qa"])
            tool_new_version(tool=tool, by=scenario.people["qa"])
    _login(client, scenario, "qa")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("audits:tool_list"))
    assert len(response.context["tools"]) == extra_tools + 1


# Pages: one tool


def _detail(tool: AuditTool) -> str:
    return reverse("audits:tool_detail", kwargs={"tool_pk": tool.pk})


def test_the_tool_page_shows_sections_and_questions(client, scenario):
    _login(client, scenario, "team_manager")
    response = client.get(_detail(scenario.tool))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Child&#x27;s records review" in body
    assert "How well is the child&#x27;s voice heard?" in body
    assert "Practitioner&#x27;s reflection" in body
    assert "Start a new version" not in body
    assert "Move up" not in body


def test_qa_sees_the_controls_of_a_draft(client, scenario):
    tool = _draft(scenario, sections=2, questions=2)
    _login(client, scenario, "qa")
    body = client.get(_detail(tool)).content.decode()
    for control in ("Publish this version", "Add a section", "Add a question", "Move down"):
        assert control in body
    assert reverse("audits:section_remove", kwargs={"section_pk": tool.sections.first().pk}) in body


def test_qa_sees_a_draft_s_problems(client, scenario):
    tool = _empty_section(scenario)
    _login(client, scenario, "qa")
    body = client.get(_detail(tool)).content.decode()
    assert "Before you can publish this version" in body
    assert "Add a question to the section “Nothing here”" in body


def test_qa_can_start_a_new_version_of_a_published_tool(client, scenario):
    _login(client, scenario, "qa")
    assert "Start a new version" in client.get(_detail(scenario.tool)).content.decode()
    response = client.post(reverse("audits:tool_new_version", kwargs={"tool_pk": scenario.tool.pk}))
    draft = AuditTool.objects.get(code=scenario.tool.code, status=AuditTool.Status.DRAFT)
    assert response.status_code == 302
    assert response["Location"] == _detail(draft)
    assert _titles(draft) == _titles(scenario.tool)


def test_the_tool_page_lists_the_other_versions(client, scenario):
    draft = tool_new_version(tool=scenario.tool, by=scenario.people["qa"])
    _login(client, scenario, "qa")
    response = client.get(_detail(scenario.tool))
    assert response.context["versions"] == [draft, scenario.tool]
    assert _detail(draft) in response.content.decode()


def test_another_organisation_gets_404_for_a_tool(client, scenario):
    _login(client, scenario, "other_org_qa")
    assert client.get(_detail(scenario.tool)).status_code == 404


@pytest.mark.parametrize(("sections", "questions"), [(1, 1), (4, 5)])
def test_the_tool_page_takes_a_fixed_number_of_queries(
    client, scenario, django_assert_max_num_queries, sections, questions
):
    tool = _draft(scenario, sections=sections, questions=questions)
    _login(client, scenario, "qa")
    with django_assert_max_num_queries(12):
        response = client.get(_detail(tool))
    assert response.context["question_count"] == sections * questions


# Pages: building a tool, step by step


def test_qa_creates_a_tool(client, scenario):
    _login(client, scenario, "qa")
    response = client.post(
        reverse("audits:tool_new"),
        {
            "name": "Front door review",
            "description": "Decisions at the front door",
            "audit_types": [AuditType.THEMATIC, AuditType.REGULAR],
            "service_kinds": [Service.Kind.FRONT_DOOR],
        },
    )
    tool = AuditTool.objects.get(name="Front door review")
    assert response.status_code == 302
    assert response["Location"] == _detail(tool)
    assert tool.organisation == scenario.people["qa"].organisation
    assert tool.created_by == scenario.people["qa"]
    assert tool.status == AuditTool.Status.DRAFT
    assert set(tool.audit_types) == {"thematic", "regular"}
    assert tool.service_kinds == ["front_door"]


def test_a_tool_without_a_name_is_not_created(client, scenario):
    _login(client, scenario, "qa")
    response = client.post(reverse("audits:tool_new"), {"name": "  "})
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "Enter the tool&#x27;s name" in body
    assert AuditTool.objects.count() == 1


def test_the_new_tool_form_is_a_gov_uk_form(client, scenario):
    _login(client, scenario, "qa")
    body = client.get(reverse("audits:tool_new")).content.decode()
    assert "novalidate" in body
    assert "govuk-checkboxes" in body
    assert "Children looked after" in body
    assert "Thematic or deep dive audit" in body


def test_qa_changes_the_tool_s_details(client, scenario):
    tool = _draft(scenario)
    _login(client, scenario, "qa")
    url = reverse("audits:tool_edit", kwargs={"tool_pk": tool.pk})
    assert client.get(url).context["form"].initial["name"] == "Thematic review"
    response = client.post(url, {"name": "Renamed", "audit_types": ["focused"]})
    tool.refresh_from_db()
    assert response["Location"] == _detail(tool)
    assert (tool.name, tool.audit_types) == ("Renamed", ["focused"])


def test_qa_adds_a_section(client, scenario):
    tool = _draft(scenario, sections=0)
    _login(client, scenario, "qa")
    response = client.post(
        reverse("audits:section_new", kwargs={"tool_pk": tool.pk}),
        {"title": "Family's view", "guidance": "Ask them", "respondent": Respondent.FAMILY},
    )
    section = tool.sections.get()
    assert response["Location"] == f"{_detail(tool)}#section-{section.pk}"
    assert (section.title, section.respondent) == ("Family's view", "family")


def test_a_section_without_a_title_is_not_added(client, scenario):
    tool = _draft(scenario, sections=0)
    _login(client, scenario, "qa")
    response = client.post(
        reverse("audits:section_new", kwargs={"tool_pk": tool.pk}), {"respondent": "auditor"}
    )
    assert "Enter the section title" in response.content.decode()
    assert not tool.sections.exists()


def test_qa_changes_a_section(client, scenario):
    tool = _draft(scenario)
    section = tool.sections.get()
    _login(client, scenario, "qa")
    url = reverse("audits:section_edit", kwargs={"section_pk": section.pk})
    assert client.get(url).context["form"].initial["title"] == "Section 1"
    response = client.post(url, {"title": "Records", "respondent": "practitioner"})
    section.refresh_from_db()
    assert response["Location"] == f"{_detail(tool)}#section-{section.pk}"
    assert (section.title, section.respondent) == ("Records", "practitioner")


def test_qa_adds_a_choice_question(client, scenario):
    tool = _draft(scenario, questions=0)
    section = tool.sections.get()
    _login(client, scenario, "qa")
    response = client.post(
        reverse("audits:question_new", kwargs={"section_pk": section.pk}),
        {
            "text": "How often?",
            "kind": "choice",
            "choices": " Weekly \n\nMonthly\n",
            "required": "",
        },
    )
    question = section.questions.get()
    assert response["Location"] == f"{_detail(tool)}#question-{question.pk}"
    assert (question.kind, question.choices, question.required) == (
        "choice",
        ["Weekly", "Monthly"],
        False,
    )


def test_the_new_question_form_ticks_required_and_offers_choices(client, scenario):
    section = _draft(scenario).sections.get()
    _login(client, scenario, "qa")
    response = client.get(reverse("audits:question_new", kwargs={"section_pk": section.pk}))
    body = response.content.decode()
    assert response.context["form"]["required"].value() is True
    assert "govuk-radios" in body
    assert 'name="choices"' in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "", "kind": "text"}, "Enter the question"),
        ({"text": "Pick", "kind": "choice", "choices": "Only one"}, "Enter at least two choices"),
        ({"text": "Pick", "kind": "choice", "choices": ""}, "Enter at least two choices"),
        ({"text": "Pick", "kind": "choice", "choices": "A\na"}, "Enter each choice only once"),
        ({"text": "Pick", "kind": "telepathy"}, "Select how the question is answered"),
    ],
)
def test_a_bad_question_is_not_added(client, scenario, data, message):
    section = _draft(scenario, questions=0).sections.get()
    _login(client, scenario, "qa")
    response = client.post(reverse("audits:question_new", kwargs={"section_pk": section.pk}), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert message in body
    assert not section.questions.exists()


def test_choices_are_dropped_when_the_question_is_not_a_choice(client, scenario):
    section = _draft(scenario, questions=0).sections.get()
    _login(client, scenario, "qa")
    client.post(
        reverse("audits:question_new", kwargs={"section_pk": section.pk}),
        {"text": "When?", "kind": "date", "choices": "A\nB", "required": "on"},
    )
    assert section.questions.get().choices == []


def test_qa_changes_a_question(client, scenario):
    tool = _draft(scenario)
    question = ToolQuestion.objects.get(section__tool=tool)
    _login(client, scenario, "qa")
    url = reverse("audits:question_edit", kwargs={"question_pk": question.pk})
    assert client.get(url).context["form"].initial["text"] == "Question 1.1"
    response = client.post(url, {"text": "Graded?", "kind": "grade", "required": "on"})
    question.refresh_from_db()
    assert response["Location"] == f"{_detail(tool)}#question-{question.pk}"
    assert (question.text, question.kind, question.required) == ("Graded?", "grade", True)


def test_qa_moves_a_section_without_javascript(client, scenario):
    tool = _draft(scenario, sections=2)
    second = tool.sections.last()
    _login(client, scenario, "qa")
    response = client.post(
        reverse("audits:section_move", kwargs={"section_pk": second.pk}), {"direction": "up"}
    )
    assert response["Location"] == f"{_detail(tool)}#section-{second.pk}"
    assert _titles(tool) == ["Section 2", "Section 1"]


def test_qa_moves_a_question_with_htmx_and_keeps_focus_on_it(client, scenario):
    tool = _draft(scenario, questions=2)
    first = ToolQuestion.objects.filter(section__tool=tool).first()
    _login(client, scenario, "qa")
    response = client.post(
        reverse("audits:question_move", kwargs={"question_pk": first.pk}),
        {"direction": "down"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert _texts(tool.sections.get()) == ["Question 1.2", "Question 1.1"]
    # Now last, so "Move down" is gone: focus goes to its "Move up" button.
    assert f'id="question-{first.pk}-up" class="govuk-button govuk-button--secondary" ' in body
    assert "autofocus" in body
    assert "Question moved down. It is now question 2 of 2." in body


def test_a_move_must_be_posted(client, scenario):
    section = _draft(scenario).sections.get()
    _login(client, scenario, "qa")
    url = reverse("audits:section_move", kwargs={"section_pk": section.pk})
    assert client.get(url).status_code == 405


def test_removing_a_section_asks_first(client, scenario):
    tool = _draft(scenario, sections=2, questions=3)
    section = tool.sections.first()
    _login(client, scenario, "qa")
    url = reverse("audits:section_remove", kwargs={"section_pk": section.pk})
    body = client.get(url).content.decode()
    assert "Are you sure you want to remove the section “Section 1”?" in body
    assert "Its 3 questions will be removed too." in body
    assert "govuk-button--warning" in body
    assert tool.sections.count() == 2
    response = client.post(url)
    assert response["Location"] == f"{_detail(tool)}#sections"
    assert _titles(tool) == ["Section 2"]


def test_qa_removes_a_question(client, scenario):
    tool = _draft(scenario, questions=2)
    section = tool.sections.get()
    question = section.questions.first()
    _login(client, scenario, "qa")
    url = reverse("audits:question_remove", kwargs={"question_pk": question.pk})
    assert "Are you sure you want to remove the question" in client.get(url).content.decode()
    response = client.post(url)
    assert response["Location"] == f"{_detail(tool)}#section-{section.pk}"
    assert _texts(section) == ["Question 1.2"]


def test_qa_publishes_a_draft(client, scenario):
    draft = tool_new_version(tool=scenario.tool, by=scenario.people["qa"])
    _login(client, scenario, "qa")
    response = client.post(reverse("audits:tool_publish", kwargs={"tool_pk": draft.pk}))
    draft.refresh_from_db()
    scenario.tool.refresh_from_db()
    assert response["Location"] == _detail(draft)
    assert draft.status == AuditTool.Status.PUBLISHED
    assert scenario.tool.status == AuditTool.Status.RETIRED


def test_publishing_a_draft_with_problems_lists_them_all(client, scenario):
    tool = _draft(scenario)
    section_add(tool=tool, title="Empty one")
    question_add(section=tool.sections.first(), text="Pick", kind="choice", choices=["A"])
    _login(client, scenario, "qa")
    response = client.post(reverse("audits:tool_publish", kwargs={"tool_pk": tool.pk}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "Add a question to the section “Empty one”" in body
    assert "Give at least two choices for “Pick”" in body
    assert "<title>Error: " in body
    tool.refresh_from_db()
    assert tool.status == AuditTool.Status.DRAFT


# Publishing: a preview of the draft as auditors will see it, and a confirmation.


@pytest.fixture
def voice_review(scenario) -> AuditTool:
    tool = tool_create(
        organisation=scenario.case.organisation,
        name="Voice review",
        created_by=scenario.people["qa"],
    )
    section = section_add(tool=tool, title="Records review")
    question_add(section=section, text="Is the child's voice heard?", kind=ToolQuestion.Kind.GRADE)
    return tool


def test_the_tool_page_leads_to_a_preview_not_straight_to_publishing(
    client, scenario, voice_review
):
    client.force_login(scenario.people["qa"].user)
    detail = page_text(
        client.get(reverse("audits:tool_detail", kwargs={"tool_pk": voice_review.pk}))
    )
    publish = reverse("audits:tool_publish", kwargs={"tool_pk": voice_review.pk})
    assert f'action="{publish}"' not in detail
    assert f'href="{publish}"' in detail


def test_the_preview_shows_the_questions_and_warns_it_cannot_be_undone(
    client, scenario, voice_review
):
    client.force_login(scenario.people["qa"].user)
    response = client.get(reverse("audits:tool_publish", kwargs={"tool_pk": voice_review.pk}))
    body = page_text(response)
    assert response.status_code == 200
    assert "Check the tool before you publish it" in body
    assert "Is the child's voice heard?" in body
    assert "Requires improvement to be good" in body  # the grade's options, as auditors see them
    assert "Part 1 of 2" in body
    assert "Publishing cannot be undone" in body
    assert "Publish version 1</button>" in body
    voice_review.refresh_from_db()
    assert voice_review.status == AuditTool.Status.DRAFT


def test_publishing_from_the_preview(client, scenario, voice_review):
    client.force_login(scenario.people["qa"].user)
    url = reverse("audits:tool_publish", kwargs={"tool_pk": voice_review.pk})
    assert client.post(url).status_code == 302
    voice_review.refresh_from_db()
    assert voice_review.status == AuditTool.Status.PUBLISHED


def test_the_preview_of_a_draft_with_problems_has_no_publish_button(client, scenario):
    tool = tool_create(
        organisation=scenario.case.organisation, name="Empty", created_by=scenario.people["qa"]
    )
    client.force_login(scenario.people["qa"].user)
    body = page_text(client.get(reverse("audits:tool_publish", kwargs={"tool_pk": tool.pk})))
    assert "Add at least one section" in body
    assert "Publish version 1</button>" not in body


def test_managers_cannot_open_the_preview(client, scenario, voice_review):
    client.force_login(scenario.people["team_manager"].user)
    response = client.get(reverse("audits:tool_publish", kwargs={"tool_pk": voice_review.pk}))
    assert response.status_code == 403


# Pages: a published tool does not change


def test_the_change_pages_of_a_published_tool_say_why_they_cannot_be_used(client, scenario):
    section = scenario.tool.sections.first()
    _login(client, scenario, "qa")
    response = client.get(reverse("audits:section_edit", kwargs={"section_pk": section.pk}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Version 1 is published, so it cannot be changed" in body
    assert 'name="title"' not in body


def test_a_change_posted_after_publishing_shows_the_reason(client, scenario):
    tool = _draft(scenario)
    section = tool.sections.get()
    tool_publish(tool=tool, by=scenario.people["qa"])
    _login(client, scenario, "qa")
    response = client.post(
        reverse("audits:section_edit", kwargs={"section_pk": section.pk}),
        {"title": "Too late", "respondent": "auditor"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "Only a draft can be changed. Start a new version to edit this tool." in body
    section.refresh_from_db()
    assert section.title == "Section 1"


def test_a_move_posted_after_publishing_shows_the_reason(client, scenario):
    section = scenario.tool.sections.first()
    _login(client, scenario, "qa")
    url = reverse("audits:section_move", kwargs={"section_pk": section.pk})
    response = client.post(url, {"direction": "down"})
    assert response.status_code == 200
    assert DRAFT_ONLY in response.content.decode()
    htmx = client.post(url, {"direction": "down"}, headers={"HX-Request": "true"})
    assert DRAFT_ONLY in htmx.content.decode()
    assert 'id="tool-errors" hx-swap-oob="innerHTML"' in htmx.content.decode()
    assert _titles(scenario.tool) == ["Child's records review", "Practitioner reflection"]


def test_a_removal_posted_after_publishing_shows_the_reason(client, scenario):
    question = ToolQuestion.objects.filter(section__tool=scenario.tool).first()
    _login(client, scenario, "qa")
    url = reverse("audits:question_remove", kwargs={"question_pk": question.pk})
    response = client.post(url)
    assert response.status_code == 200
    assert DRAFT_ONLY in response.content.decode()
    assert ToolQuestion.objects.filter(pk=question.pk).exists()


# Who may write


def _write_urls(tool: AuditTool) -> list[str]:
    section = tool.sections.first()
    question = section.questions.first()
    return [
        reverse("audits:tool_new"),
        reverse("audits:tool_edit", kwargs={"tool_pk": tool.pk}),
        reverse("audits:tool_publish", kwargs={"tool_pk": tool.pk}),
        reverse("audits:tool_new_version", kwargs={"tool_pk": tool.pk}),
        reverse("audits:section_new", kwargs={"tool_pk": tool.pk}),
        reverse("audits:section_edit", kwargs={"section_pk": section.pk}),
        reverse("audits:section_remove", kwargs={"section_pk": section.pk}),
        reverse("audits:section_move", kwargs={"section_pk": section.pk}),
        reverse("audits:question_new", kwargs={"section_pk": section.pk}),
        reverse("audits:question_edit", kwargs={"question_pk": question.pk}),
        reverse("audits:question_remove", kwargs={"question_pk": question.pk}),
        reverse("audits:question_move", kwargs={"question_pk": question.pk}),
    ]


def _snapshot(tool: AuditTool) -> tuple:
    return (
        AuditTool.objects.count(),
        list(ToolSection.objects.values()),
        list(ToolQuestion.objects.values()),
    )


@pytest.mark.parametrize("key", ["practitioner", "team_manager", "senior_leader"])
def test_only_the_qa_role_may_change_tools(client, scenario, key):
    tool = _draft(scenario, sections=2, questions=2)
    before = _snapshot(tool)
    _login(client, scenario, key)
    for url in _write_urls(tool):
        data = {"title": "X", "text": "X", "name": "X", "kind": "text", "direction": "down"}
        assert client.post(url, data).status_code == 403, url
        assert client.get(url).status_code == 403, url
    assert _snapshot(tool) == before


def test_qa_of_another_organisation_gets_404_and_changes_nothing(client, scenario):
    tool = _draft(scenario, sections=2, questions=2)
    before = _snapshot(tool)
    _login(client, scenario, "other_org_qa")
    for url in _write_urls(tool)[1:]:
        data = {"title": "X", "text": "X", "name": "X", "kind": "text", "direction": "down"}
        assert client.post(url, data).status_code == 404, url
        assert client.get(url).status_code == 404, url
    assert _snapshot(tool) == before


def test_the_navigation_offers_audit_tools_to_managers_only(client, scenario):
    # Audit tools is a page of the "Audits" group: its sub navigation lists it.
    _login(client, scenario, "team_manager")
    assert reverse("audits:tool_list") in client.get(reverse("audits:my_audits")).content.decode()
    _login(client, scenario, "practitioner")
    page = client.get(reverse("audits:my_audits")).content.decode()
    assert reverse("audits:tool_list") not in page
