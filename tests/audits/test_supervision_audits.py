"""Supervision audits (seed 002, 2.5): an audit of a staff member's supervision records
over a period, in place of a case; graded, overseen and actioned like every audit, and
seen only by the people it names, the supervisee's managers, QA and senior leaders."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audits.models import Answer, Audit, AuditType, Grade, Respondent
from audits.services import audits as services
from cases.models import Notification
from tests.audits.supervision import supervision_audit, supervision_tool
from tests.pages import page_text
from tests.test_access import OBJECT_URLS

pytestmark = pytest.mark.django_db

INSIDERS = ("service_manager", "team_manager", "qa", "senior_leader")
OUTSIDERS = (
    "colleague",
    "other_team_manager",
    "other_service_manager",
    "adoption_worker",
    "cp_practitioner",
    "business_support",
    "other_org_manager",
    "other_org_qa",
    "other_org_senior_leader",
    "regional_lead",
)


@pytest.fixture
def audit(scenario):
    return supervision_audit(scenario.people)


def _visible(audit, staff) -> bool:
    return Audit.objects.visible_to(staff.user).filter(pk=audit.pk).exists()


def _finish(audit, people) -> Audit:
    """Answer, grade, submit and give oversight: the audit is final."""
    auditor = people["service_manager"]
    section = audit.tool.sections.get()
    question = section.questions.get()
    services.answers_save(
        audit=audit, section=section, by=auditor, values={question.pk: (Grade.GOOD, 0)}
    )
    services.findings_save(
        audit=audit,
        by=auditor,
        base_revision=0,
        values={"overall_grade": Grade.GOOD, "grade_rationale": "Monthly and reflective"},
    )
    services.audit_submit(audit=audit, by=auditor)
    return services.audit_oversight(
        audit=audit, by=people["team_manager"], text="Agreed", agrees=True, directions=[]
    )


def test_a_supervision_audit_names_the_supervisee_and_their_supervisor_for_oversight(
    scenario, audit
):
    assert audit.case is None
    assert audit.supervisee == scenario.people["practitioner"]
    assert audit.audit_type == AuditType.SUPERVISION
    assert audit.practitioner is None
    assert audit.line_manager == scenario.people["team_manager"]
    assert str(audit).endswith(f"supervision of {scenario.people['practitioner']}")


def test_a_tool_for_case_audits_cannot_audit_supervision(scenario):
    today = timezone.localdate()
    with pytest.raises(services.AuditStateError, match="supervision audits"):
        services.supervision_audit_create(
            supervisee=scenario.people["practitioner"],
            tool=scenario.tool,
            auditor=scenario.people["service_manager"],
            due_on=today,
            period_start=today,
            period_end=today,
        )


def test_a_tool_for_supervision_audits_cannot_audit_a_case(scenario):
    with pytest.raises(services.AuditStateError, match="not of a case"):
        services.audit_create(
            case=scenario.case,
            tool=supervision_tool(scenario.people["qa"]),
            auditor=scenario.people["team_manager"],
            due_on=timezone.localdate(),
            audit_type=AuditType.REGULAR,
        )


def test_nobody_audits_their_own_supervision(scenario):
    today = timezone.localdate()
    with pytest.raises(services.AuditStateError, match="someone else"):
        services.supervision_audit_create(
            supervisee=scenario.people["practitioner"],
            tool=supervision_tool(scenario.people["qa"]),
            auditor=scenario.people["practitioner"],
            due_on=today,
            period_start=today,
            period_end=today,
        )


@pytest.mark.parametrize(
    "change",
    [
        {"case_id": "case"},  # both a case and a supervisee
        {"supervisee_id": None},  # neither
        {"period_start": None, "period_end": None},  # a supervision audit with no period
        {"audit_type": AuditType.REGULAR},  # of a supervisee, but not a supervision audit
    ],
)
def test_the_database_holds_exactly_one_subject(scenario, audit, change):
    values = {k: (scenario.case.pk if v == "case" else v) for k, v in change.items()}
    if "supervisee_id" in values:
        values["case_id"] = None
    with pytest.raises(IntegrityError), transaction.atomic():
        Audit.objects.filter(pk=audit.pk).update(**values)


def test_the_database_refuses_a_period_that_ends_before_it_starts(audit):
    with pytest.raises(IntegrityError), transaction.atomic():
        Audit.objects.filter(pk=audit.pk).update(
            period_end=audit.period_start - datetime.timedelta(days=1)
        )


@pytest.mark.parametrize("key", INSIDERS)
def test_the_auditor_the_supervisees_managers_qa_and_senior_leaders_see_it(scenario, audit, key):
    assert _visible(audit, scenario.people[key])


@pytest.mark.parametrize("key", OUTSIDERS)
def test_another_team_another_council_and_business_support_do_not(scenario, audit, key):
    assert not _visible(audit, scenario.people[key])


def test_the_supervisee_sees_it_once_it_is_final(scenario, audit):
    practitioner = scenario.people["practitioner"]
    assert not _visible(audit, practitioner)
    _finish(audit, scenario.people)
    assert _visible(audit, practitioner)


def test_it_counts_for_the_supervisees_team(scenario, audit):
    audit = _finish(audit, scenario.people)
    team = audit.supervisee.team
    assert team is not None
    assert (audit.service_id, audit.team_id) == (team.service_id, team.pk)


def test_it_is_graded_overseen_and_acknowledged_like_any_audit(scenario, audit):
    people = scenario.people
    audit = _finish(audit, people)
    assert audit.status == Audit.Status.FINAL
    assert audit.overall_grade == Grade.GOOD
    assert Answer.objects.filter(audit=audit).count() == 1
    told = Notification.objects.filter(recipient=people["practitioner"], key__contains="final")
    assert told.exists()
    services.audit_acknowledge(audit=audit, by=people["practitioner"], comment="Thank you")
    audit.refresh_from_db()
    assert audit.acknowledged_at is not None


def test_its_actions_are_tracked_like_any_audit(scenario, audit):
    action = services.action_add(
        audit=audit,
        description="Record supervision within five working days",
        owner=scenario.people["team_manager"],
        due_on=timezone.localdate(),
        by=scenario.people["service_manager"],
    )
    assert action.audit == audit


def test_a_reflection_part_is_not_asked_of_anyone(scenario):
    """A supervision audit has no practitioner: nobody is waited for."""
    tool = supervision_tool(scenario.people["qa"])
    assert not tool.sections.filter(respondent=Respondent.PRACTITIONER).exists()
    audit = supervision_audit(scenario.people, tool)
    assert services.reflection_missing(audit) == []


AUDIT_URLS = [(name, args) for name, args in OBJECT_URLS if args == ["audit_pk"]]


@pytest.mark.parametrize(("name", "args"), AUDIT_URLS)
def test_outsiders_are_refused_every_page_of_a_supervision_audit(
    client, scenario, audit, name, args
):
    url = reverse(name, kwargs={"audit_pk": audit.pk})
    for key in (*OUTSIDERS, "practitioner"):
        client.force_login(scenario.people[key].user)
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url)
        assert response.status_code in (403, 404), f"{key} got {response.status_code} at {url}"


@pytest.mark.parametrize(("name", "args"), AUDIT_URLS)
def test_insiders_find_every_page_of_a_supervision_audit(client, scenario, audit, name, args):
    url = reverse(name, kwargs={"audit_pk": audit.pk})
    statuses = {}
    for key in INSIDERS:
        client.force_login(scenario.people[key].user)
        statuses[key] = client.get(url).status_code
    assert all(code in (200, 302, 403, 405) for code in statuses.values()), statuses
    assert any(code in (200, 302, 405) for code in statuses.values()), statuses


def test_its_pages_name_the_supervisee_and_the_period(client, scenario, audit):
    client.force_login(scenario.people["service_manager"].user)
    page = page_text(client.get(audit.get_absolute_url()))
    assert "supervision records from" in page
    assert scenario.people["practitioner"].display_name in page


def test_the_lists_and_the_export_show_supervision_audits(client, scenario, audit):
    client.force_login(scenario.people["qa"].user)
    listed = client.get(reverse("audits:audit_list"))
    assert audit in listed.context["page_obj"].object_list
    assert f"Supervision {audit.period_start:%b %Y}" in listed.content.decode()
    export = client.get(reverse("audits:audit_export"))
    assert export.status_code == 200
    client.force_login(scenario.people["service_manager"].user)
    mine = client.get(reverse("audits:my_audits")).content.decode()
    assert audit.get_absolute_url() in mine


def test_the_final_report_and_its_pdf_render(client, scenario, audit):
    _finish(audit, scenario.people)
    client.force_login(scenario.people["practitioner"].user)
    assert client.get(audit.get_absolute_url()).status_code == 200
    assert client.get(reverse("audits:audit_pdf", args=[audit.pk])).status_code == 200


def test_a_team_filter_finds_supervision_audits_by_the_supervisees_team(client, scenario, audit):
    client.force_login(scenario.people["qa"].user)
    team = scenario.people["practitioner"].team
    response = client.get(reverse("audits:audit_list"), {"team": team.pk})
    assert audit in response.context["page_obj"].paginator.object_list


@pytest.mark.parametrize("count", [5, 200])
def test_the_audit_list_with_supervision_audits_runs_a_fixed_number_of_queries(
    client, scenario, audit, django_assert_max_num_queries, count
):
    today = timezone.localdate()
    Audit.objects.bulk_create(
        Audit(
            organisation=audit.organisation,
            supervisee=audit.supervisee,
            period_start=today - datetime.timedelta(days=30),
            period_end=today,
            tool=audit.tool,
            audit_type=AuditType.SUPERVISION,
            auditor=audit.auditor,
            line_manager=audit.line_manager,
            due_on=today,
        )
        for _ in range(count)
    )
    client.force_login(scenario.people["qa"].user)
    with django_assert_max_num_queries(17):
        assert client.get(reverse("audits:audit_list")).status_code == 200
    client.force_login(scenario.people["service_manager"].user)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("audits:my_audits")).status_code == 200


def test_qa_starts_a_supervision_audit_from_its_page(client, scenario):
    people = scenario.people
    people["practitioner"].line_manager = people["team_manager"]
    people["practitioner"].save()
    tool = supervision_tool(people["qa"])
    client.force_login(people["qa"].user)
    url = reverse("audits:supervision_audit_start")
    assert client.get(url).status_code == 200
    today = timezone.localdate()
    start = today - datetime.timedelta(days=60)
    due = today + datetime.timedelta(days=10)

    def date(name, day):
        return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}

    response = client.post(
        url,
        {
            "supervisee": people["practitioner"].pk,
            "tool": tool.pk,
            "auditor": people["service_manager"].pk,
            **date("period_start", start),
            **date("period_end", today),
            **date("due_on", due),
        },
    )
    audit = Audit.objects.get(supervisee=people["practitioner"])
    assert response.status_code == 302
    assert response["Location"] == audit.get_absolute_url()
    assert (audit.period_start, audit.period_end, audit.due_on) == (start, today, due)


def test_a_missing_date_links_the_error_summary_to_its_day_box(client, scenario):
    client.force_login(scenario.people["qa"].user)
    url = reverse("audits:supervision_audit_start")
    page = client.post(url, {"period_start_0": "1"}).content.decode()
    summary = page[page.index("govuk-error-summary__list") :]
    for name in ("period_start", "period_end", "due_on"):
        assert f'href="#id_{name}_0"' in summary
        assert f'href="#id_{name}"' not in summary
    assert 'href="#id_supervisee"' in summary


def test_someone_in_another_council_cannot_be_chosen(client, scenario):
    people = scenario.people
    tool = supervision_tool(people["qa"])
    client.force_login(people["qa"].user)
    today = timezone.localdate()
    response = client.post(
        reverse("audits:supervision_audit_start"),
        {
            "supervisee": people["other_org_manager"].pk,
            "tool": tool.pk,
            "auditor": people["service_manager"].pk,
            "period_start_0": 1,
            "period_start_1": today.month,
            "period_start_2": today.year,
            "period_end_0": today.day,
            "period_end_1": today.month,
            "period_end_2": today.year,
            "due_on_0": today.day,
            "due_on_1": today.month,
            "due_on_2": today.year,
        },
    )
    assert response.status_code == 200
    assert not Audit.objects.filter(supervisee__isnull=False).exists()
