"""A collaborative practice review as the auditor and the practitioner take turns: whose
part is whose, waiting for and reminding the practitioner, who gives oversight, and the
notifications each step sends."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audits.models import Answer, Audit, AuditAction, Respondent, ToolQuestion
from audits.services import audits as services
from audits.services.tools import (
    question_add,
    section_add,
    tool_new_version,
    tool_publish,
)
from cases.models import Notification
from cases.notifications import unread_count
from tests.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(scenario):
    """The scenario's tool with a family feedback part: three sections and the findings.
    team_manager audits practitioner's case and is practitioner's line manager."""
    qa = scenario.people["qa"]
    draft = tool_new_version(tool=scenario.tool, by=qa)
    family = section_add(
        tool=draft, title="Parent and child feedback", respondent=Respondent.FAMILY
    )
    question_add(section=family, text="Were you listened to?", kind=ToolQuestion.Kind.TEXT)
    tool = tool_publish(tool=draft, by=qa)
    return services.audit_create(
        case=scenario.case,
        tool=tool,
        auditor=scenario.people["team_manager"],
        due_on=timezone.localdate() + datetime.timedelta(days=20),
        audit_type="regular",
    )


def _section(audit, respondent):
    return audit.tool.sections.get(respondent=respondent)


def _section_url(audit, section):
    return reverse("audits:section", kwargs={"audit_pk": audit.pk, "section_pk": section.pk})


def _url(name, audit):
    return reverse(f"audits:{name}", kwargs={"audit_pk": audit.pk})


def _login(client, scenario, key):
    client.force_login(scenario.people[key].user)
    return scenario.people[key]


def _answer(audit, respondent, who, value, base=0):
    section = _section(audit, respondent)
    question = section.questions.first()
    return services.answers_save(
        audit=audit, section=section, by=who, values={question.pk: (value, base)}
    )


def _auditor_parts_done(scenario, audit):
    tm = scenario.people["team_manager"]
    _answer(audit, Respondent.AUDITOR, tm, "good")
    _answer(audit, Respondent.FAMILY, tm, "Mum felt listened to")
    services.findings_save(
        audit=audit,
        by=tm,
        base_revision=0,
        values={"overall_grade": "good", "grade_rationale": "Child-focused"},
    )


def _submitted(scenario, audit):
    _auditor_parts_done(scenario, audit)
    _answer(audit, Respondent.PRACTITIONER, scenario.people["practitioner"], "Reflection")
    return services.audit_submit(audit=audit, by=scenario.people["team_manager"])


# Waiting for the practitioner's reflection.


def test_the_auditor_is_not_told_to_answer_the_practitioners_questions(client, scenario, audit):
    _auditor_parts_done(scenario, audit)
    _login(client, scenario, "team_manager")
    body = page_text(client.post(_url("submit", audit)))
    reflection = _section(audit, Respondent.PRACTITIONER).questions.get()
    assert f"Answer “{reflection.text}”" not in body
    name = scenario.people["practitioner"].display_name
    assert f"Wait for {name} to write their reflection" in body
    audit.refresh_from_db()
    assert audit.status == Audit.Status.IN_PROGRESS


def test_check_and_submit_says_whose_reflection_it_waits_for_with_a_reminder_button(
    client, scenario, audit
):
    _auditor_parts_done(scenario, audit)
    _login(client, scenario, "team_manager")
    body = page_text(client.get(_url("submit", audit)))
    name = scenario.people["practitioner"].display_name
    assert f"Waiting for {name}'s reflection" in body
    assert f'action="{_url("remind_practitioner", audit)}"' in body
    assert f"Remind {name}" in body
    assert "Submit the audit</button>" not in body


def test_the_reminder_reaches_the_practitioners_notification_count_once_a_day(
    client, scenario, audit
):
    practitioner = scenario.people["practitioner"]
    before = unread_count(practitioner.user)
    _login(client, scenario, "team_manager")
    first = client.post(_url("remind_practitioner", audit))
    assert first.status_code == 302
    assert unread_count(practitioner.user) == before + 1
    notification = Notification.objects.get(recipient=practitioner, key__contains="reflection")
    reflection = _section(audit, Respondent.PRACTITIONER)
    assert notification.url == _section_url(audit, reflection)
    assert scenario.child.given_name not in notification.subject
    client.post(_url("remind_practitioner", audit))
    assert unread_count(practitioner.user) == before + 1
    page = page_text(client.get(_url("submit", audit)))
    assert "You last reminded them at" in page


def test_only_the_auditor_can_send_the_reminder(client, scenario, audit):
    _login(client, scenario, "practitioner")
    assert client.post(_url("remind_practitioner", audit)).status_code == 403
    assert not Notification.objects.filter(key__contains="reflection").exists()


def test_no_reminder_once_the_reflection_is_written(scenario, audit):
    _answer(audit, Respondent.PRACTITIONER, scenario.people["practitioner"], "Reflection")
    with pytest.raises(services.AuditStateError):
        services.audit_remind_practitioner(audit=audit, by=scenario.people["team_manager"])


# Each part says whose it is, whose turn it is and where it stands.


def test_the_auditor_sees_the_practitioners_part_waiting_for_them(client, scenario, audit):
    _login(client, scenario, "team_manager")
    body = page_text(client.get(audit.get_absolute_url()))
    name = scenario.people["practitioner"].display_name
    assert f"For {name}, the practitioner: their reflection" in body
    assert f'<strong class="govuk-tag govuk-tag--yellow">Waiting for {name}</strong>' in body
    assert "For you, the auditor" in body
    assert '<strong class="govuk-tag govuk-tag--blue">Not started</strong>' in body
    assert "0 of 4 parts completed" in body


def test_the_practitioner_sees_their_own_turn_and_the_auditors(client, scenario, audit):
    _answer(audit, Respondent.AUDITOR, scenario.people["team_manager"], "good")
    _login(client, scenario, "practitioner")
    body = page_text(client.get(audit.get_absolute_url()))
    auditor = scenario.people["team_manager"].display_name
    assert "For you: your reflection as the practitioner" in body
    assert f"For {auditor} or you: the family's feedback" in body
    assert f'<strong class="govuk-tag govuk-tag--yellow">Waiting for {auditor}</strong>' in body
    assert "1 of 4 parts completed" in body


def test_the_parts_are_counted_with_the_findings(client, scenario, audit):
    _login(client, scenario, "team_manager")
    sections = list(audit.tool.sections.all())
    assert len(sections) == 3
    first = page_text(client.get(_section_url(audit, sections[0])))
    assert "Part 1 of 4" in first
    findings = page_text(client.get(_url("findings", audit)))
    assert "Part 4 of 4" in findings


def test_save_and_continue_on_the_last_section_goes_to_the_findings(client, scenario, audit):
    last = list(audit.tool.sections.all())[-1]
    assert last.respondent == Respondent.FAMILY
    _login(client, scenario, "team_manager")
    question = last.questions.get()
    response = client.post(
        _section_url(audit, last),
        {question.field_name: "Heard", f"rev-{question.pk}": 0, "then": "next"},
    )
    assert response["Location"] == _url("findings", audit)


# The family part: shared, and each answer shows whose it is.


def test_a_family_answer_changed_by_the_practitioner_shows_as_theirs(client, scenario, audit):
    tm, practitioner = scenario.people["team_manager"], scenario.people["practitioner"]
    _answer(audit, Respondent.FAMILY, tm, "Mum felt listened to")
    _login(client, scenario, "practitioner")
    family = _section(audit, Respondent.FAMILY)
    page = page_text(client.get(_section_url(audit, family)))
    assert f"Entered by {tm.display_name}, the auditor" in page
    assert f"If you change an answer {tm.display_name} entered, it will show as yours" in page
    _answer(audit, Respondent.FAMILY, practitioner, "Dad said not always", base=1)
    answer = Answer.objects.get(audit=audit, question=family.questions.get())
    assert answer.updated_by == practitioner
    page = page_text(client.get(_section_url(audit, family)))
    assert f"Entered by {practitioner.display_name}, the practitioner" in page
    _submitted_after_family(scenario, audit)
    report = page_text(client.get(audit.get_absolute_url()))
    assert f"Entered by {practitioner.display_name}, the practitioner" in report


def _submitted_after_family(scenario, audit):
    tm = scenario.people["team_manager"]
    _answer(audit, Respondent.AUDITOR, tm, "good")
    _answer(audit, Respondent.PRACTITIONER, scenario.people["practitioner"], "Reflection")
    services.findings_save(
        audit=audit,
        by=tm,
        base_revision=0,
        values={"overall_grade": "good", "grade_rationale": "Child-focused"},
    )
    services.audit_submit(audit=audit, by=tm)


def test_neither_writes_the_others_own_part(client, scenario, audit):
    auditors = _section(audit, Respondent.AUDITOR)
    question = auditors.questions.get()
    _login(client, scenario, "practitioner")
    response = client.post(
        _section_url(audit, auditors),
        {question.field_name: "outstanding", f"rev-{question.pk}": 0},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    with pytest.raises(services.AuditStateError):
        _answer(audit, Respondent.PRACTITIONER, scenario.people["team_manager"], "Mine")
    assert not Answer.objects.exists()


# Who gives management oversight.


def test_when_the_auditor_is_the_line_manager_oversight_goes_to_the_next_manager_up(
    scenario, audit
):
    assert scenario.people["practitioner"].line_manager == scenario.people["team_manager"]
    assert audit.line_manager == scenario.people["service_manager"]


def test_the_auditors_own_line_manager_comes_first(scenario):
    tm = scenario.people["team_manager"]
    tm.line_manager = scenario.people["other_service_manager"]
    tm.save()
    audit = services.audit_create(
        case=scenario.case,
        tool=scenario.tool,
        auditor=tm,
        due_on=timezone.localdate(),
        audit_type="regular",
    )
    assert audit.line_manager == scenario.people["other_service_manager"]


def test_another_auditor_leaves_oversight_with_the_practitioners_line_manager(scenario):
    audit = services.audit_create(
        case=scenario.case,
        tool=scenario.tool,
        auditor=scenario.people["other_team_manager"],
        due_on=timezone.localdate(),
        audit_type="regular",
    )
    assert audit.line_manager == scenario.people["team_manager"]


def test_an_audit_nobody_can_oversee_is_not_submitted_into_a_dead_end(scenario, audit):
    _auditor_parts_done(scenario, audit)
    _answer(audit, Respondent.PRACTITIONER, scenario.people["practitioner"], "Reflection")
    Audit.objects.filter(pk=audit.pk).update(line_manager=None)
    # The case's service has no service manager any more, and the auditor no line manager.
    manager = scenario.people["service_manager"]
    manager.service = scenario.people["other_service_manager"].service
    manager.save()
    with pytest.raises(services.AuditStateError, match="Nobody is recorded"):
        services.audit_submit(audit=audit, by=scenario.people["team_manager"])
    audit.refresh_from_db()
    assert audit.status == Audit.Status.IN_PROGRESS


def test_the_auditor_cannot_give_oversight_of_their_own_audit(client, scenario, audit):
    _submitted(scenario, audit)
    _login(client, scenario, "team_manager")
    assert client.get(_url("oversight", audit)).status_code == 403
    assert "Respond with management oversight" not in page_text(
        client.get(audit.get_absolute_url())
    )


def test_the_oversight_form_records_whether_the_manager_agrees_with_the_grade(
    client, scenario, audit
):
    _submitted(scenario, audit)
    _login(client, scenario, "service_manager")
    form = page_text(client.get(_url("oversight", audit)))
    assert "Do you agree with the overall grade, Good?" in form
    refused = page_text(client.post(_url("oversight", audit), {"oversight": "Seen."}))
    assert "Select yes if you agree with the overall grade" in refused
    refused = page_text(
        client.post(_url("oversight", audit), {"agrees": "no", "oversight": "Seen."})
    )
    assert "Choose the grade you would give" in refused
    response = client.post(
        _url("oversight", audit),
        {"agrees": "no", "grade": "requires_improvement", "oversight": "Impact is unclear."},
    )
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.status == Audit.Status.FINAL
    assert audit.oversight_agrees is False
    assert audit.oversight_grade == "requires_improvement"
    report = page_text(client.get(audit.get_absolute_url()))
    assert "No: would grade it requires improvement to be good" in report


# Notifications for audit work.


def test_a_submitted_audit_reaches_whoever_gives_oversight(scenario, audit):
    manager = scenario.people["service_manager"]
    _submitted(scenario, audit)
    assert unread_count(manager.user) == 1
    notification = Notification.objects.get(recipient=manager)
    assert notification.url == _url("oversight", audit)
    assert scenario.people["team_manager"].display_name in notification.subject


def test_a_final_audit_reaches_the_practitioner(scenario, audit):
    practitioner = scenario.people["practitioner"]
    _submitted(scenario, audit)
    before = unread_count(practitioner.user)
    services.audit_oversight(
        audit=audit,
        by=scenario.people["service_manager"],
        text="Agreed",
        agrees=True,
        directions=[],
    )
    assert unread_count(practitioner.user) == before + 1
    assert Notification.objects.filter(
        recipient=practitioner, key=f"audit:{audit.pk}:final"
    ).exists()


def test_an_action_reaches_its_owner(scenario, audit):
    owner = scenario.people["colleague"]
    action = services.action_add(
        audit=audit,
        description=f"Tell {scenario.child.given_name}'s school",
        owner=owner,
        due_on=timezone.localdate() + datetime.timedelta(days=7),
        by=scenario.people["team_manager"],
    )
    assert unread_count(owner.user) == 1
    notification = Notification.objects.get(recipient=owner)
    assert notification.url == action.get_absolute_url()
    # The description is free text and may name the child; the e-mailed message does not.
    assert scenario.child.given_name not in notification.subject


def test_a_direction_from_oversight_reaches_its_owner(scenario, audit):
    practitioner = scenario.people["practitioner"]
    _submitted(scenario, audit)
    services.audit_oversight(
        audit=audit,
        by=scenario.people["service_manager"],
        text="Agreed",
        agrees=True,
        directions=[
            services.Direction(
                description="Update the plan",
                owner=practitioner,
                due_on=timezone.localdate() + datetime.timedelta(days=14),
            )
        ],
    )
    direction = audit.actions.get(source=AuditAction.Source.OVERSIGHT)
    assert Notification.objects.filter(
        recipient=practitioner, key=f"action:{direction.pk}:assigned"
    ).exists()


def test_nobody_is_told_of_an_action_they_gave_themselves(scenario, audit):
    tm = scenario.people["team_manager"]
    services.action_add(
        audit=audit, description="Check", owner=tm, due_on=timezone.localdate(), by=tm
    )
    assert unread_count(tm.user) == 0


def test_a_moderated_audit_reaches_the_auditor(scenario, audit):
    auditor = scenario.people["team_manager"]
    _submitted(scenario, audit)
    services.audit_moderate(
        audit=audit, by=scenario.people["qa"], grade="good", feedback="Well evidenced"
    )
    assert unread_count(auditor.user) == 1
    notification = Notification.objects.get(recipient=auditor)
    assert notification.url == f"{audit.get_absolute_url()}#moderation"


def test_the_notifications_are_emailed_without_the_childs_name(
    scenario, audit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _submitted(scenario, audit)
    assert mail.outbox
    for message in mail.outbox:
        assert scenario.child.given_name not in message.subject + message.body
        assert scenario.child.family_name not in message.subject + message.body
