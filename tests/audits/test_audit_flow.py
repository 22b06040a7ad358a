"""Doing an audit: saving, conflicts, autosave, submission, oversight, the final record."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audits.models import Answer, Audit, AuditAction, Respondent, ToolQuestion
from audits.services import audits as services
from audits.services.tools import question_add, section_add, tool_new_version, tool_publish
from cases.models import Case, Team
from tests.pages import page_text, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(scenario):
    """The scenario's audit, on a tool version that also has a family feedback part."""
    qa = scenario.people["qa"]
    draft = tool_new_version(tool=scenario.tool, by=qa)
    family = section_add(
        tool=draft, title="Parent and child feedback", respondent=Respondent.FAMILY
    )
    question_add(section=family, text="Were you listened to?", kind=ToolQuestion.Kind.TEXT)
    question_add(section=family, text="Date gathered", kind=ToolQuestion.Kind.DATE, required=False)
    tool = tool_publish(tool=draft, by=qa)
    return services.audit_create(
        case=scenario.case,
        tool=tool,
        auditor=scenario.people["team_manager"],
        due_on=timezone.localdate(),
        audit_type="regular",
    )


def _section(audit, respondent):
    return audit.tool.sections.get(respondent=respondent)


def _url(audit, section):
    return reverse("audits:section", kwargs={"audit_pk": audit.pk, "section_pk": section.pk})


def _post_data(section, values, revisions=None):
    data = {}
    for question, value in zip(section.questions.all(), values, strict=False):
        data[question.field_name] = value
        data[f"rev-{question.pk}"] = (revisions or {}).get(question.pk, 0)
    return data


def _date(name, day):
    """A date as GOV.UK's date input posts it: day, month and year boxes."""
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def _login(client, scenario, key):
    client.force_login(scenario.people[key].user)
    return scenario.people[key]


def test_saving_an_answer_starts_the_audit_and_counts_a_revision(scenario, audit):
    section = _section(audit, Respondent.AUDITOR)
    question = section.questions.get()
    result = services.answers_save(
        audit=audit,
        section=section,
        by=scenario.people["team_manager"],
        values={question.pk: ("good", 0)},
    )
    assert result.saved == [question.field_name]
    assert Answer.objects.get(audit=audit, question=question).revision == 1
    audit.refresh_from_db()
    assert audit.status == Audit.Status.IN_PROGRESS


def test_only_the_practitioner_writes_their_reflection(client, scenario, audit):
    section = _section(audit, Respondent.PRACTITIONER)
    _login(client, scenario, "team_manager")
    response = client.post(_url(audit, section), _post_data(section, ["My reflection"]))
    assert response.status_code == 403
    _login(client, scenario, "practitioner")
    response = client.post(_url(audit, section), _post_data(section, ["My reflection"]))
    assert response.status_code == 302
    assert Answer.objects.get(audit=audit).value == "My reflection"


def test_the_second_save_of_the_same_answer_gets_a_conflict_page_and_nothing_is_lost(
    client, scenario, audit
):
    section = _section(audit, Respondent.FAMILY)
    # Both open the page at revision 0; the auditor saves first.
    _login(client, scenario, "team_manager")
    first = client.post(_url(audit, section), _post_data(section, ["Mum felt listened to"]))
    assert first.status_code == 302
    _login(client, scenario, "practitioner")
    second = client.post(_url(audit, section), _post_data(section, ["Dad said not always"]))
    body = second.content.decode()
    assert second.status_code == 409
    assert "Someone else changed 1 answer" in body
    assert "Mum felt listened to" in body  # theirs, as saved
    assert "Dad said not always" in body  # yours, still in the form
    question = section.questions.first()
    assert Answer.objects.get(audit=audit, question=question).value == "Mum felt listened to"
    # Saving again from the conflict page (now at their revision) keeps the merged text.
    merged = "Mum felt listened to; Dad said not always"
    third = client.post(_url(audit, section), _post_data(section, [merged], {question.pk: 1}))
    assert third.status_code == 302
    assert Answer.objects.get(audit=audit, question=question).value == merged


def test_autosave_answers_with_the_time_and_the_new_revisions(client, scenario, audit):
    section = _section(audit, Respondent.AUDITOR)
    question = section.questions.get()
    _login(client, scenario, "team_manager")
    response = client.post(
        _url(audit, section), _post_data(section, ["good"]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Trigger-After-Swap"] == "autosave-saved"
    assert "Saved at" in body
    assert f'data-revision-update="{question.field_name}" data-value="1"' in body


def test_autosave_conflicts_are_reported_without_overwriting(client, scenario, audit):
    section = _section(audit, Respondent.FAMILY)
    _login(client, scenario, "team_manager")
    client.post(_url(audit, section), _post_data(section, ["Theirs"]), HTTP_HX_REQUEST="true")
    _login(client, scenario, "practitioner")
    response = client.post(
        _url(audit, section), _post_data(section, ["Mine"]), HTTP_HX_REQUEST="true"
    )
    assert response["HX-Trigger-After-Swap"] == "autosave-conflict"
    assert Answer.objects.get(audit=audit, question=section.questions.first()).value == "Theirs"


def test_autosave_after_the_session_ends_says_so_and_saves_nothing(client, scenario, audit):
    section = _section(audit, Respondent.AUDITOR)
    response = client.post(
        _url(audit, section), _post_data(section, ["good"]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response["HX-Trigger-After-Swap"] == "autosave-signed-out"
    assert "You have been signed out" in response.content.decode()
    assert not Answer.objects.exists()


def test_a_full_save_after_the_session_ends_goes_to_sign_in_and_back(client, scenario, audit):
    section = _section(audit, Respondent.AUDITOR)
    response = client.get(_url(audit, section))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert _url(audit, section) in response["Location"]


def test_a_nonsense_answer_is_refused_with_a_message_and_nothing_is_saved(client, scenario, audit):
    section = _section(audit, Respondent.AUDITOR)
    _login(client, scenario, "team_manager")
    response = client.post(_url(audit, section), _post_data(section, ["banana"]))
    assert response.status_code == 400
    assert "Choose one of the answers listed" in response.content.decode()
    assert not Answer.objects.exists()


def test_submission_is_refused_with_a_link_to_each_missing_answer(client, scenario, audit):
    _login(client, scenario, "team_manager")
    response = client.post(reverse("audits:submit", kwargs={"audit_pk": audit.pk}))
    body = response.content.decode()
    assert response.status_code == 400
    assert "The audit cannot be submitted yet" in body
    required = ToolQuestion.objects.filter(section__tool=audit.tool, required=True)
    for question in required.exclude(section__respondent=Respondent.PRACTITIONER):
        assert f"#{question.anchor}" in body
        assert question.text.replace("'", "&#x27;") in body
    practitioner = scenario.people["practitioner"].display_name
    assert f"Wait for {practitioner} to write their reflection".replace("'", "&#x27;") in body
    assert "Choose an overall grade" in body
    assert "Explain why you gave this grade" in body
    audit.refresh_from_db()
    assert audit.status == Audit.Status.ASSIGNED


def _complete(scenario, audit):
    tm, prac = scenario.people["team_manager"], scenario.people["practitioner"]
    answers = {
        Respondent.AUDITOR: ("good", tm),
        Respondent.PRACTITIONER: ("Reflection", prac),
        Respondent.FAMILY: ("Listened to", tm),
    }
    for respondent, (value, who) in answers.items():
        section = _section(audit, respondent)
        first = section.questions.first()
        services.answers_save(audit=audit, section=section, by=who, values={first.pk: (value, 0)})
    services.findings_save(
        audit=audit,
        by=tm,
        base_revision=0,
        values={
            "overall_grade": "good",
            "grade_rationale": "Child-focused",
            "strengths": "Voice of the child",
            "improvements": "Chronology",
        },
    )


def test_a_complete_audit_is_submitted_then_made_final_by_the_line_managers_oversight(
    client, scenario, audit
):
    _complete(scenario, audit)
    _login(client, scenario, "team_manager")
    assert client.post(reverse("audits:submit", kwargs={"audit_pk": audit.pk})).status_code == 302
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED
    due = timezone.localdate() + datetime.timedelta(days=14)
    # The auditor is the practitioner's line manager: the next manager up responds.
    _login(client, scenario, "service_manager")
    response = client.post(
        reverse("audits:oversight", kwargs={"audit_pk": audit.pk}),
        {
            "agrees": "yes",
            "oversight": "Agree with the findings.",
            "direction_1": "Update the chronology",
            "owner_1": scenario.people["practitioner"].pk,
            **_date("due_1", due),
        },
    )
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.status == Audit.Status.FINAL
    direction = audit.actions.get(source=AuditAction.Source.OVERSIGHT)
    assert direction.owner == scenario.people["practitioner"]
    assert direction.due_on == due


def test_a_submitted_audit_keeps_the_team_it_counts_for(scenario, audit):
    """The service and team whose practice the audit graded are kept at submission: the
    board and the reports count it for them after its case moves team."""
    assert (audit.service_id, audit.team_id) == (None, None)
    _complete(scenario, audit)
    services.audit_submit(audit=audit, by=scenario.people["team_manager"])
    audit.refresh_from_db()
    case = scenario.case
    assert (audit.service_id, audit.team_id) == (case.service_id, case.team_id)
    assert audit.team_id is not None
    # The case moves on; the audit's page says where its grade is counted.
    elsewhere = Team.objects.create(
        organisation=case.organisation, service=case.service, name="Another team"
    )
    Case.objects.filter(pk=case.pk).update(team=elsewhere)
    client = Client()
    _login(client, scenario, "qa")
    page = visible_text(client.get(reverse("audits:audit_detail", kwargs={"audit_pk": audit.pk})))
    assert f"Counted for {case.team.name}, {case.service.name}" in page
    assert "Counted for Another team" not in page


def test_a_direction_without_who_or_when_is_refused(client, scenario, audit):
    _complete(scenario, audit)
    services.audit_submit(audit=audit, by=scenario.people["team_manager"])
    _login(client, scenario, "service_manager")
    response = client.post(
        reverse("audits:oversight", kwargs={"audit_pk": audit.pk}),
        {"agrees": "yes", "oversight": "Agree.", "direction_1": "Do something", "owner_1": ""},
    )
    body = response.content.decode()
    assert "Choose who will carry out direction 1" in body
    assert "Enter the date direction 1 is due by" in body
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED
    assert not audit.actions.filter(source=AuditAction.Source.OVERSIGHT).exists()


def test_the_final_audit_is_on_the_childs_record_as_a_pdf_and_acknowledged(client, scenario, audit):
    _complete(scenario, audit)
    tm = scenario.people["team_manager"]
    services.audit_submit(audit=audit, by=tm)
    services.audit_oversight(
        audit=audit,
        by=scenario.people["service_manager"],
        text="Agreed",
        agrees=True,
        directions=[],
    )
    _login(client, scenario, "practitioner")
    record = client.get(scenario.child.get_absolute_url()).content.decode()
    assert audit.get_absolute_url() in record
    report = client.get(audit.get_absolute_url()).content.decode()
    assert "Acknowledge this audit" in report
    pdf = client.get(reverse("audits:audit_pdf", kwargs={"audit_pk": audit.pk}))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    client.post(
        reverse("audits:acknowledge", kwargs={"audit_pk": audit.pk}),
        {"acknowledgement": "Thank you"},
    )
    audit.refresh_from_db()
    assert audit.acknowledged_at is not None
    assert audit.acknowledgement == "Thank you"


def test_the_owner_marks_an_action_done(client, scenario):
    _login(client, scenario, "practitioner")
    client.post(reverse("audits:action_done", kwargs={"action_pk": scenario.action.pk}))
    scenario.action.refresh_from_db()
    assert scenario.action.status == AuditAction.Status.DONE
    assert scenario.action.done_on == timezone.localdate()


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "\\\\evil.example"],
)
def test_marking_an_action_done_never_sends_the_user_off_the_site(client, scenario, target):
    _login(client, scenario, "practitioner")
    response = client.post(
        reverse("audits:action_done", kwargs={"action_pk": scenario.action.pk}),
        {"next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == scenario.action.get_absolute_url()


def test_marking_an_action_done_returns_to_the_page_it_was_done_from(client, scenario):
    _login(client, scenario, "practitioner")
    response = client.post(
        reverse("audits:action_done", kwargs={"action_pk": scenario.action.pk}),
        {"next": "/audits/?page=2#action-1"},
    )
    assert response["Location"] == "/audits/?page=2#action-1"


def test_qa_sees_who_changed_what(client, scenario, audit):
    _complete(scenario, audit)
    _login(client, scenario, "qa")
    response = client.get(reverse("audits:audit_history", kwargs={"audit_pk": audit.pk}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Child-focused" in body
    assert "Reflection" in body
    _login(client, scenario, "team_manager")
    assert (
        client.get(reverse("audits:audit_history", kwargs={"audit_pk": audit.pk})).status_code
        == 403
    )


def test_the_history_shows_labels_not_codes(client, scenario, audit):
    _complete(scenario, audit)
    services.audit_submit(audit=audit, by=scenario.people["team_manager"])
    audit.refresh_from_db()
    _login(client, scenario, "qa")
    response = client.get(reverse("audits:audit_history", kwargs={"audit_pk": audit.pk}))
    body = response.content.decode()
    assert ">In progress<" in body
    assert ">Submitted<" in body
    assert "in_progress" not in body
    assert ">Good<" in body  # the overall grade, and the answer graded good
    assert ">good<" not in body
    assert f">{audit.line_manager.display_name}<" in body  # a person by name
    assert f">{audit.line_manager_id}<" not in body


def test_a_manager_starts_an_audit_from_the_record(client, scenario):
    _login(client, scenario, "team_manager")
    due = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        reverse("audits:audit_start"),
        {
            "case": scenario.case.pk,
            "tool": scenario.tool.pk,
            "audit_type": "regular",
            "auditor": scenario.people["team_manager"].pk,
            **_date("due_on", due),
        },
    )
    assert response.status_code == 302
    created = Audit.objects.latest("pk")
    assert created.case == scenario.case
    assert created.practitioner == scenario.people["practitioner"]
    # The practitioner's line manager is auditing, so oversight goes to the next one up.
    assert created.line_manager == scenario.people["service_manager"]


def test_a_case_out_of_scope_cannot_be_audited(client, scenario):
    _login(client, scenario, "other_team_manager")
    response = client.get(reverse("audits:audit_start"), {"case": scenario.case.pk})
    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 30])
def test_the_audit_pages_run_a_bounded_number_of_queries(
    client, scenario, count, django_assert_max_num_queries
):
    """A tool of `count` questions, all answered: the pages cost the same either way."""
    from audits.services.tools import tool_create

    tm = scenario.people["team_manager"]
    tool = tool_create(
        organisation=scenario.case.organisation,
        name=f"Big {count}",
        created_by=scenario.people["qa"],
    )
    section = section_add(tool=tool, title="Records review")
    for n in range(count):
        question_add(section=section, text=f"Question {n}", kind=ToolQuestion.Kind.GRADE)
    tool = tool_publish(tool=tool, by=scenario.people["qa"])
    audit = services.audit_create(
        case=scenario.case, tool=tool, auditor=tm, due_on=timezone.localdate(), audit_type="regular"
    )
    services.answers_save(
        audit=audit,
        section=section,
        by=tm,
        values={q.pk: ("good", 0) for q in section.questions.all()},
    )
    _login(client, scenario, "team_manager")
    for url in (
        audit.get_absolute_url(),
        _url(audit, section),
        reverse("audits:findings", kwargs={"audit_pk": audit.pk}),
        reverse("audits:submit", kwargs={"audit_pk": audit.pk}),
    ):
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200


def test_the_home_page_counts_the_audits_waiting_on_each_person(client, scenario):
    _login(client, scenario, "team_manager")
    work = client.get(reverse("home")).context["audit_work"]
    assert work["counts"]["to_complete"] == 1
    assert work["next_due"] == [scenario.audit]
    _login(client, scenario, "practitioner")
    work = client.get(reverse("home")).context["audit_work"]
    assert work["counts"]["to_reflect"] == 1
    assert work["counts"]["actions"] == 1


def test_an_impossible_date_is_refused_in_plain_words(client, scenario):
    _login(client, scenario, "team_manager")
    response = client.post(
        reverse("audits:audit_start"),
        {
            "case": scenario.case.pk,
            "tool": scenario.tool.pk,
            "audit_type": "regular",
            "auditor": scenario.people["team_manager"].pk,
            "due_on_0": "31",
            "due_on_1": "2",
            "due_on_2": "2030",
        },
    )
    assert "Enter a real date, for example 27 3 2027" in response.content.decode()
    assert Audit.objects.count() == 1


def test_an_error_on_radios_links_to_the_first_option(client, scenario):
    _login(client, scenario, "team_manager")
    response = client.post(
        reverse("audits:findings", kwargs={"audit_pk": scenario.audit.pk}),
        {"overall_grade": "brilliant", "revision": 0},
    )
    assert 'href="#id_overall_grade_1"' in response.content.decode()


def test_qa_moderates_a_submitted_audit_before_the_line_manager_responds(client, scenario, audit):
    _complete(scenario, audit)
    services.audit_submit(audit=audit, by=scenario.people["team_manager"])
    _login(client, scenario, "team_manager")
    url = reverse("audits:moderate", kwargs={"audit_pk": audit.pk})
    assert client.get(url).status_code == 403
    _login(client, scenario, "qa")
    refused = client.post(url, {"moderated_grade": "", "moderation_feedback": ""})
    assert "Choose the grade you would give" in refused.content.decode()
    assert "Enter your feedback to the auditor" in refused.content.decode()
    client.post(
        url,
        {
            "moderated_grade": "requires_improvement",
            "moderation_feedback": "Analysis thin on impact",
        },
    )
    audit.refresh_from_db()
    assert audit.status == Audit.Status.MODERATED
    assert audit.overall_grade == "good"  # the auditor's grade stands
    assert not audit.moderator_agrees
    services.audit_oversight(
        audit=audit,
        by=scenario.people["service_manager"],
        text="Agreed",
        agrees=True,
        directions=[],
    )
    audit.refresh_from_db()
    assert audit.status == Audit.Status.FINAL
    _login(client, scenario, "team_manager")
    assert "Analysis thin on impact" in client.get(audit.get_absolute_url()).content.decode()


# Two tabs of one person: their own earlier save is not "someone else's".


def test_a_second_tab_of_the_same_person_is_not_someone_else(client, scenario, audit):
    section = _section(audit, Respondent.FAMILY)
    url = _url(audit, section)
    _login(client, scenario, "team_manager")
    client.post(url, _post_data(section, ["From tab one"]), HTTP_HX_REQUEST="true")
    response = client.post(url, _post_data(section, ["From tab two"]), HTTP_HX_REQUEST="true")
    body = page_text(response)
    assert response["HX-Trigger-After-Swap"] == "autosave-conflict"
    assert "Someone else" not in body
    assert "You changed 1 answer in another tab or window" in body
    page = client.post(url, _post_data(section, ["From tab two"]))
    body = page_text(page)
    assert page.status_code == 409
    assert "Someone else" not in body
    assert "Saved by you in another tab or window" in body


def test_someone_else_is_still_called_someone_else(client, scenario, audit):
    section = _section(audit, Respondent.FAMILY)
    url = _url(audit, section)
    _login(client, scenario, "team_manager")
    client.post(url, _post_data(section, ["Theirs"]), HTTP_HX_REQUEST="true")
    _login(client, scenario, "practitioner")
    response = client.post(url, _post_data(section, ["Mine"]), HTTP_HX_REQUEST="true")
    assert "Someone else has changed 1 answer" in page_text(response)


def test_the_findings_in_a_second_tab_are_not_someone_elses(client, scenario, audit):
    _login(client, scenario, "team_manager")
    url = reverse("audits:findings", kwargs={"audit_pk": audit.pk})
    client.post(url, {"grade_rationale": "Tab one", "revision": 0}, HTTP_HX_REQUEST="true")
    response = client.post(
        url, {"grade_rationale": "Tab two", "revision": 0}, HTTP_HX_REQUEST="true"
    )
    body = page_text(response)
    assert "Someone else" not in body
    assert "in another tab or window" in body
