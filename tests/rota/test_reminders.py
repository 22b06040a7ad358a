"""Nightly reminders and escalations (rota/reminders.py), and the QA escalation list."""

from __future__ import annotations

import datetime
from io import StringIO
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit, AuditAction, AuditTool, AuditType, Grade
from cases.models import Notification
from cases.notifications import Message
from core import registry
from rota import reminders
from rota.models import QARules
from rota.tasks import reminders_send_task
from tests.factories import CaseFactory, ChildFactory, StaffMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# Every test's work falls due on this day (a Monday).
DUE = datetime.date(2026, 3, 2)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def night_of(day: datetime.date) -> time_machine.travel:
    """The nightly run's moment: 2am London time on `day`."""
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(2), tzinfo=LONDON), tick=False
    )


def run(day: datetime.date) -> dict[str, int]:
    with night_of(day):
        return reminders.reminders_send(day=timezone.localdate())


@pytest.fixture
def world(scenario):
    """The scenario without its own (long overdue) audit; the auditor (the team manager)
    reports to the service manager, the practitioner to the team manager. Organisation A
    has no QARules row, so the defaults apply: reminders 7 days ahead, escalation after 14.
    Observation coverage, which nobody in the scenario meets, is left out: it has its own
    tests (tests/observations/test_coverage_reminders.py)."""
    from observations.reminders import COVERAGE_SOURCES

    kept = [s for s in registry.reminder_sources if s not in COVERAGE_SOURCES]
    with registry.reminder_sources.replaced(kept):
        yield _world(scenario)


def _world(scenario):
    scenario.audit.delete()
    QARules.objects.filter(organisation=scenario.case.organisation).delete()
    people = scenario.people
    people["team_manager"].line_manager = people["service_manager"]
    people["team_manager"].save()
    return scenario


def make_audit(scenario, **fields) -> Audit:
    values = {
        "organisation": scenario.case.organisation,
        "case": scenario.case,
        "tool": scenario.tool,
        "auditor": scenario.people["team_manager"],
        "practitioner": scenario.people["practitioner"],
        "line_manager": scenario.people["team_manager"],
        "due_on": DUE,
        "audit_type": AuditType.REGULAR,
    }
    values.update(fields)
    return Audit.objects.create(**values)


def make_action(scenario, audit: Audit, **fields) -> AuditAction:
    values = {
        "organisation": audit.organisation,
        "audit": audit,
        "description": "Update the chronology",
        "owner": scenario.people["practitioner"],
        "due_on": DUE,
    }
    values.update(fields)
    return AuditAction.objects.create(**values)


def other_org_audit(scenario, **fields) -> Audit:
    manager = scenario.people["other_org_manager"]
    tool = AuditTool.objects.create(
        organisation=manager.organisation,
        code="b-review",
        name="B review",
        status=AuditTool.Status.PUBLISHED,
    )
    case = CaseFactory(
        team=manager.team,
        child=ChildFactory(organisation=manager.organisation, reference="SECRET-B-1"),
    )
    values = {
        "organisation": case.organisation,
        "case": case,
        "tool": tool,
        "auditor": manager,
        "practitioner": None,
        "line_manager": None,
        "due_on": DUE,
    }
    values.update(fields)
    return Audit.objects.create(**values)


def notes(person, kind: str | None = None) -> list[Notification]:
    found = Notification.objects.filter(recipient=person)
    if kind:
        found = found.filter(kind=kind)
    return list(found)


# Reminders


def test_the_auditor_is_reminded_reminder_days_before_the_audit_is_due(world):
    audit = make_audit(world)
    auditor = world.people["team_manager"]
    run(DUE - days(8))
    assert notes(auditor) == []
    run(DUE - days(7))
    [reminder] = notes(auditor)
    assert reminder.kind == Notification.Kind.REMINDER
    assert reminder.key == f"audit:{audit.pk}:reminder:{(DUE - days(7)).isoformat()}"
    assert reminder.url == audit.get_absolute_url()


def test_an_overdue_audit_is_reminded_once_a_day_however_often_the_job_runs(world):
    make_audit(world)
    auditor = world.people["team_manager"]
    first = run(DUE + days(1))
    second = run(DUE + days(1))
    assert first["reminders"] == 1
    assert second == {"reminders": 0, "escalations": 0}
    assert len(notes(auditor)) == 1
    run(DUE + days(2))
    assert len(notes(auditor)) == 2


def test_the_reminder_says_how_late_the_work_is_and_names_no_child(world):
    make_audit(world)
    run(DUE + days(3))
    [reminder] = notes(world.people["team_manager"])
    assert "3 days overdue" in reminder.subject
    assert world.child.family_name not in reminder.subject + reminder.body
    assert world.child.reference not in reminder.subject + reminder.body


def test_an_action_owner_is_reminded_before_the_action_is_due(world):
    audit = make_audit(world, due_on=DUE + days(60))
    action = make_action(world, audit)
    owner = world.people["practitioner"]
    run(DUE - days(8))
    assert notes(owner) == []
    run(DUE - days(7))
    [reminder] = notes(owner)
    assert reminder.key == f"action:{action.pk}:reminder:{(DUE - days(7)).isoformat()}"
    assert reminder.url.endswith(f"#action-{action.pk}")
    # Free text may name the child, and the reminder is e-mailed.
    assert action.description not in reminder.subject + reminder.body


def test_the_line_manager_is_reminded_of_oversight_after_reminder_days(world):
    submitted_at = datetime.datetime(2026, 3, 2, 15, tzinfo=LONDON)
    make_audit(
        world,
        status=Audit.Status.SUBMITTED,
        overall_grade=Grade.GOOD,
        submitted_at=submitted_at,
        due_on=DUE + days(30),
    )
    line_manager = world.people["team_manager"]
    run(DUE + days(7))
    assert notes(line_manager) == []
    run(DUE + days(8))
    [reminder] = notes(line_manager)
    assert "oversight" in reminder.subject


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Audit.Status.FINAL, "overall_grade": Grade.GOOD},
        {"status": Audit.Status.SUBMITTED, "overall_grade": Grade.GOOD},
        {"status": Audit.Status.MODERATED, "overall_grade": Grade.GOOD},
    ],
    ids=["final", "submitted-today", "moderated-today"],
)
def test_finished_audits_are_never_reminded_or_escalated(world, fields):
    submitted_at = datetime.datetime(2026, 4, 1, 1, tzinfo=LONDON)
    make_audit(world, submitted_at=submitted_at, **fields)
    assert run(DUE + days(30)) == {"reminders": 0, "escalations": 0}
    assert Notification.objects.count() == 0


def test_done_actions_are_never_reminded_or_escalated(world):
    audit = make_audit(world, status=Audit.Status.FINAL, overall_grade=Grade.GOOD)
    make_action(world, audit, status=AuditAction.Status.DONE, done_on=DUE)
    assert run(DUE + days(30)) == {"reminders": 0, "escalations": 0}


# Escalations


def test_an_audit_is_escalated_to_the_auditors_line_manager_once(world):
    audit = make_audit(world)
    service_manager = world.people["service_manager"]
    run(DUE + days(14))
    assert notes(service_manager) == []
    result = run(DUE + days(15))
    assert result["escalations"] == 1
    run(DUE + days(15))
    run(DUE + days(16))
    [escalation] = notes(service_manager)
    assert escalation.kind == Notification.Kind.ESCALATION
    assert escalation.key == f"audit:{audit.pk}:escalation"
    assert world.people["team_manager"].display_name in escalation.subject


def test_an_action_is_escalated_to_its_owners_line_manager_once(world):
    audit = make_audit(world, due_on=DUE + days(90))
    action = make_action(world, audit)
    run(DUE + days(15))
    run(DUE + days(16))
    [escalation] = notes(world.people["team_manager"], Notification.Kind.ESCALATION)
    assert escalation.key == f"action:{action.pk}:escalation"


def submitted_for_oversight(world, **fields) -> Audit:
    """An audit submitted at 3pm on DUE: its oversight falls due 7 days later (9 March),
    and is 14 days overdue on 23 March."""
    values = {
        "status": Audit.Status.SUBMITTED,
        "overall_grade": Grade.GOOD,
        "submitted_at": datetime.datetime(2026, 3, 2, 15, tzinfo=LONDON),
        "due_on": DUE + days(90),
    }
    values.update(fields)
    return make_audit(world, **values)


def test_oversight_is_escalated_to_the_line_managers_own_manager_once(world):
    audit = submitted_for_oversight(world)
    service_manager = world.people["service_manager"]
    run(DUE + days(21))
    assert notes(service_manager) == []
    assert run(DUE + days(22))["escalations"] == 1
    run(DUE + days(22))
    run(DUE + days(23))
    [escalation] = notes(service_manager)
    assert escalation.kind == Notification.Kind.ESCALATION
    assert escalation.key == f"audit:{audit.pk}:oversight-escalation"
    assert escalation.subject == (
        f"Escalation: {world.people['team_manager'].display_name}'s oversight of a "
        f"{audit.tool.name} audit is 15 days overdue (due 9 March 2026)"
    )
    # The line manager is still reminded each day; nobody else is told.
    assert len(notes(world.people["team_manager"], Notification.Kind.REMINDER)) == 3
    assert notes(world.people["team_manager"], Notification.Kind.ESCALATION) == []


def test_oversight_escalation_follows_the_organisations_days(world):
    QARules.objects.update_or_create(
        organisation=world.case.organisation, defaults={"reminder_days": 3, "escalation_days": 5}
    )
    submitted_for_oversight(world)
    run(DUE + days(8))
    assert notes(world.people["service_manager"]) == []
    run(DUE + days(9))
    assert len(notes(world.people["service_manager"])) == 1


def test_oversight_given_is_never_escalated(world):
    submitted_for_oversight(world, status=Audit.Status.FINAL)
    assert run(DUE + days(40)) == {"reminders": 0, "escalations": 0}


def test_nobody_is_told_when_no_line_manager_is_recorded(world):
    world.people["team_manager"].line_manager = None
    world.people["team_manager"].save()
    make_audit(world)
    assert run(DUE + days(20))["escalations"] == 0


def test_each_organisation_keeps_its_own_rules(world):
    other = world.people["other_org_manager"]
    other.line_manager = StaffMemberFactory(team=other.team, team_manager=True)
    other.save()
    QARules.objects.update_or_create(
        organisation=other.organisation, defaults={"reminder_days": 2, "escalation_days": 3}
    )
    make_audit(world)
    other_org_audit(world)
    run(DUE - days(3))
    assert notes(other) == []
    assert len(notes(world.people["team_manager"])) == 1
    run(DUE - days(2))
    assert len(notes(other)) == 1
    run(DUE + days(4))
    assert len(notes(other.line_manager, Notification.Kind.ESCALATION)) == 1
    assert notes(world.people["service_manager"], Notification.Kind.ESCALATION) == []


def test_each_notification_is_emailed_once(world, django_capture_on_commit_callbacks):
    make_audit(world)
    with django_capture_on_commit_callbacks(execute=True):
        run(DUE + days(15))
    with django_capture_on_commit_callbacks(execute=True):
        run(DUE + days(15))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [
            world.people["team_manager"].user.email,
            world.people["service_manager"].user.email,
        ]
    )
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_the_management_command_runs_the_job_for_the_date_given(
    world, django_capture_on_commit_callbacks
):
    audit = make_audit(world)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reminders_send", "--date", "2026-02-23", stdout=out)
    assert "'reminders': 1" in out.getvalue()
    [reminder] = notes(world.people["team_manager"])
    assert reminder.key == f"audit:{audit.pk}:reminder:2026-02-23"
    assert len(mail.outbox) == 1


def test_the_celery_task_runs_the_same_job(world):
    make_audit(world)
    assert reminders_send_task("2026-03-01") == {"reminders": 1, "escalations": 0}


def test_another_app_can_add_a_source_of_reminders(world):
    qa = world.people["qa"]

    def observations_due(*, organisation_id, rules, day):
        if organisation_id == qa.organisation_id:
            yield Message(
                recipient=qa,
                kind=Notification.Kind.REMINDER,
                subject="Your observation is due",
                url="/",
                key=f"observation:1:reminder:{day.isoformat()}",
            )

    with registry.reminder_sources.replaced(list(registry.reminder_sources)):
        registry.reminder_sources.register(observations_due)
        registry.reminder_sources.register(observations_due)
        assert list(registry.reminder_sources).count(observations_due) == 1
        assert run(DUE)["reminders"] == 1
    assert observations_due not in registry.reminder_sources
    assert notes(qa)[0].subject == "Your observation is due"


@pytest.mark.parametrize("count", [10, 200])
def test_a_repeat_run_costs_the_same_whatever_the_number_of_items(
    world, django_assert_max_num_queries, count
):
    for _ in range(count):
        audit = make_audit(world)
        make_action(world, audit)
    run(DUE + days(20))
    # The run's own few, and at most two for each registered source (each app's reminder
    # sources read their work in one or two queries an organisation): the same whatever
    # the number of items.
    with django_assert_max_num_queries(8 + 2 * len(registry.reminder_sources)):
        assert run(DUE + days(20)) == {"reminders": 0, "escalations": 0}


# The QA escalation list


def escalation_page(client, person, **params):
    client.force_login(person.user)
    with night_of(DUE + days(30)):
        return client.get(reverse("rota:escalation_list"), params)


def test_a_superuser_sees_every_organisations_escalations(client, world):
    make_audit(world)
    other_org_audit(world)
    response = escalation_page(client, SimpleNamespace(user=UserFactory(is_superuser=True)))
    assert response.context["page_obj"].paginator.count == 2


def test_qa_see_work_more_than_escalation_days_overdue_oldest_first(client, world):
    late = make_audit(world, due_on=DUE - days(10))
    later = make_action(world, late, due_on=DUE)
    make_audit(world, due_on=DUE + days(16))  # 14 days late on the day: not yet
    response = escalation_page(client, world.people["qa"])
    assert response.status_code == 200
    items = response.context["page_obj"].object_list
    assert [(i.kind, i.url, i.days_overdue) for i in items] == [
        ("Audit", late.get_absolute_url(), 40),
        ("Action", f"/audits/{late.pk}/#action-{later.pk}", 30),
    ]
    assert items[0].person == world.people["team_manager"]
    assert items[0].line_manager == world.people["service_manager"]
    assert items[1].line_manager == world.people["team_manager"]


def test_overdue_oversight_is_on_the_list_with_the_line_manager(client, world):
    audit = submitted_for_oversight(world)
    submitted_for_oversight(world, submitted_at=datetime.datetime(2026, 3, 20, 9, tzinfo=LONDON))
    response = escalation_page(client, world.people["qa"])
    [item] = response.context["page_obj"].object_list
    # Due 9 March; the page is read on 1 April.
    assert (item.kind, item.url, item.due_on, item.days_overdue) == (
        "Oversight",
        audit.get_absolute_url(),
        datetime.date(2026, 3, 9),
        23,
    )
    assert item.person == world.people["team_manager"]
    assert item.line_manager == world.people["service_manager"]
    assert "management oversight" in response.content.decode()


def test_the_list_orders_oversight_among_the_other_work_by_when_it_fell_due(client, world):
    oversight = submitted_for_oversight(world)  # due 9 March
    audit = make_audit(world, due_on=DUE + days(3))  # due 5 March
    action = make_action(world, audit, due_on=DUE + days(10))  # due 12 March
    response = escalation_page(client, world.people["qa"])
    assert [(i.kind, i.due_on, i.url) for i in response.context["page_obj"].object_list] == [
        ("Audit", DUE + days(3), audit.get_absolute_url()),
        ("Oversight", DUE + days(7), oversight.get_absolute_url()),
        ("Action", DUE + days(10), f"/audits/{audit.pk}/#action-{action.pk}"),
    ]


def test_done_work_leaves_the_escalation_list(client, world):
    audit = make_audit(world, status=Audit.Status.FINAL, overall_grade=Grade.GOOD)
    make_action(world, audit, status=AuditAction.Status.DONE, done_on=DUE)
    response = escalation_page(client, world.people["qa"])
    assert response.context["page_obj"].paginator.count == 0


def test_the_escalation_list_shows_only_the_organisations_own_work(client, world):
    make_audit(world)
    other_org_audit(world)
    mine = escalation_page(client, world.people["qa"])
    assert "SECRET-B-1" not in mine.content.decode()
    assert mine.context["page_obj"].paginator.count == 1
    theirs = escalation_page(client, world.people["other_org_qa"])
    assert "SECRET-B-1" in theirs.content.decode()
    assert world.child.reference not in theirs.content.decode()


def test_the_escalation_list_uses_each_organisations_escalation_days(client, world):
    QARules.objects.update_or_create(
        organisation=world.case.organisation, defaults={"escalation_days": 40}
    )
    make_audit(world)
    response = escalation_page(client, world.people["senior_leader"])
    assert response.context["page_obj"].paginator.count == 0
    assert "40 days overdue" in response.content.decode()


@pytest.mark.parametrize("person", ["practitioner", "team_manager", "service_manager"])
def test_the_escalation_list_is_for_qa_and_senior_leaders_only(client, world, person):
    assert escalation_page(client, world.people[person]).status_code == 403


def test_the_navigation_offers_escalations_to_qa_only(client, world):
    # Escalations is a page of the "Audits" group: its sub navigation lists it.
    client.force_login(world.people["qa"].user)
    assert "Escalations" in client.get(reverse("audits:my_audits")).content.decode()
    client.force_login(world.people["practitioner"].user)
    assert "Escalations" not in client.get(reverse("audits:my_audits")).content.decode()


@pytest.mark.parametrize("count", [10, 200])
def test_the_escalation_list_runs_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries, count
):
    for index in range(count):
        audit = make_audit(world, due_on=DUE - days(index % 40))
        make_action(world, audit)
    client.force_login(world.people["qa"].user)
    # 10 for the page, 4 more for the access log entry (savepoint,
    # entry, its children, its adopters, release: 5, but the page had 1 to spare).
    with night_of(DUE + days(30)), django_assert_max_num_queries(14):
        response = client.get(reverse("rota:escalation_list"), {"page": "2"})
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == min(25, 2 * count)
