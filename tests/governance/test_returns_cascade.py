"""The Performance and Outcomes cascade above the team: who reads and writes each level,
the meeting dates in working days, notifications up the chain, reminders and escalations
once each, actions raised on returns and summaries gathered into the improvement plan,
bad input, conflicts, autosave and the pages' query bounds."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import Notification
from governance import cascade, reminders_cascade, returns, services
from governance.cascade_levels import Level
from governance.models import CascadeSummary, ExceptionsReturn, PlanAction, ReturnAction
from governance.plan import plan_gather
from rota.services import rules_for
from tests.pages import page_text, visible_text

pytestmark = pytest.mark.django_db

JAN_4 = datetime.date(2027, 1, 4)  # The first working day of 2027 (1 Jan a bank holiday).
DECEMBER = datetime.date(2026, 12, 1)
NARRATIVE = {
    "working_well": "Visits on time.",
    "worried_about": "Caseloads above twenty.",
    "most_proud_of": "Life story work.",
    "actions": "Weekly tracking.",
    "practitioners_feeling": "Tired but positive.",
}
HOS = reverse("governance:return_cascade", kwargs={"cascade_level": "head-of-service"})
SMT = reverse("governance:return_cascade", kwargs={"cascade_level": "senior-management"})
CEO = reverse("governance:return_cascade", kwargs={"cascade_level": "chief-executive"})


def _at(day: datetime.date) -> time_machine.travel:
    return time_machine.travel(
        timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))), tick=False
    )


@pytest.fixture
def world(scenario):
    ExceptionsReturn.objects.all().delete()
    with _at(JAN_4):
        services.exceptions_returns_create(day=JAN_4)
    Notification.objects.all().delete()
    return scenario


def _t1(world) -> ExceptionsReturn:
    return ExceptionsReturn.objects.get(team=world.case.team, month=DECEMBER)


def _submit(world) -> ExceptionsReturn:
    ret = _t1(world)
    return returns.return_save(
        ret=ret, by=world.people["team_manager"], data=NARRATIVE, revision=ret.revision, submit=True
    )


def _told(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person).values_list("key", flat=True))


# Dates.


def test_each_levels_meeting_is_a_working_day_after_the_level_belows_around_the_bank_holiday():
    # January 2027: 1st a bank holiday, 2nd-3rd a weekend, so the 1st working day is the 4th.
    assert [returns.meeting_on(DECEMBER, level) for level in Level] == [
        datetime.date(2027, 1, 15),
        datetime.date(2027, 1, 19),
        datetime.date(2027, 1, 21),
        datetime.date(2027, 1, 25),
        datetime.date(2027, 1, 27),
    ]
    # The return's own due date is the team level's.
    assert returns.due_on(JAN_4) == returns.meeting_on(DECEMBER, Level.TEAM)


# Who reads which level.


def test_each_level_reads_its_own_and_those_below_and_never_a_sibling_services(client, world):
    people = world.people
    org = world.case.organisation_id
    with _at(datetime.date(2027, 1, 12)):
        for level, writer in (
            (Level.HEAD_OF_SERVICE, "senior_leader"),
            (Level.SENIOR_MANAGEMENT, "director"),
            (Level.CHIEF_EXECUTIVE, "chief_executive"),
        ):
            cascade.summary_save(
                organisation_id=org,
                month=DECEMBER,
                level=level,
                by=people[writer],
                commentary=f"{writer} words",
                revision=1,
            )
    seen = {
        key: sorted(
            CascadeSummary.objects.visible_to(people[key].user).values_list("level", flat=True)
        )
        for key in (
            "senior_leader",
            "director",
            "chief_executive",
            "qa",
            "service_manager",
            "team_manager",
            "other_org_qa",
            "other_org_senior_leader",
        )
    }
    assert seen == {
        "senior_leader": [3],
        "director": [3, 4],
        "chief_executive": [3, 4, 5],
        "qa": [3, 4, 5],
        "service_manager": [],
        "team_manager": [],
        "other_org_qa": [],
        "other_org_senior_leader": [],
    }
    # The pages: the head of service reads every service's teams side by side.
    client.force_login(people["senior_leader"].user)
    text = visible_text(client.get(HOS + "?month=2026-12"))
    for word in ("T1", "T2", "Children looked after"):
        assert word in text
    assert "TB" not in text
    assert client.get(SMT).status_code == 403
    client.force_login(people["chief_executive"].user)
    text = visible_text(client.get(CEO + "?month=2026-12"))
    assert "senior_leader words" in text
    assert "director words" in text
    for key in ("service_manager", "team_manager", "practitioner", "regional_lead"):
        client.force_login(people[key].user)
        assert client.get(HOS).status_code == 403, key
    # Another organisation's senior leader sees their own organisation's month only.
    client.force_login(people["other_org_senior_leader"].user)
    text = visible_text(client.get(HOS + "?month=2026-12"))
    assert "TB" in text
    assert "T1" not in text
    assert "senior_leader words" not in text
    assert (
        client.get(reverse("governance:return_cascade", kwargs={"cascade_level": "x"})).status_code
        == 404
    )


# Notifications up the chain.


def test_each_write_tells_the_level_above_once(client, world):
    people = world.people
    ret = _submit(world)
    assert _told(people["service_manager"]) == [
        f"exceptions-return:{ret.pk}:submitted:{people['service_manager'].pk}"
    ]
    assert _told(people["other_service_manager"]) == []
    with _at(datetime.date(2027, 1, 12)):
        for _ in range(2):
            summary = returns.summary_save(
                service=ret.service,
                month=DECEMBER,
                by=people["service_manager"],
                commentary="Both teams on track.",
                revision=returns.service_summary(
                    user=people["qa"].user, service=ret.service, month=DECEMBER
                ).revision
                if returns.service_summary(
                    user=people["qa"].user, service=ret.service, month=DECEMBER
                )
                else 1,
            )
    # Saved twice, told once: the head of service (senior_leader, tier 3), not the director.
    assert _told(people["senior_leader"]) == [
        f"service-summary:{summary.pk}:written:{people['senior_leader'].pk}"
    ]
    assert _told(people["director"]) == []
    with _at(datetime.date(2027, 1, 12)):
        hos = cascade.summary_save(
            organisation_id=ret.organisation_id,
            month=DECEMBER,
            level=Level.HEAD_OF_SERVICE,
            by=people["senior_leader"],
            commentary="Caseloads.",
            revision=1,
        )
        smt = cascade.summary_save(
            organisation_id=ret.organisation_id,
            month=DECEMBER,
            level=Level.SENIOR_MANAGEMENT,
            by=people["director"],
            commentary="Recruitment.",
            revision=1,
        )
    assert _told(people["director"]) == [
        f"cascade-summary:{hos.pk}:written:{people['director'].pk}"
    ]
    assert _told(people["chief_executive"]) == [
        f"cascade-summary:{smt.pk}:written:{people['chief_executive'].pk}"
    ]


# Reminders and escalations.


def _messages(org: int, day: datetime.date, rules) -> list:
    return list(reminders_cascade.cascade_reminders(organisation_id=org, rules=rules, day=day))


def test_reminders_before_each_meeting_and_escalations_after_it_on_the_right_days(world):
    people = world.people
    org = world.case.organisation
    rules = rules_for(org)
    rules.reminder_days, rules.escalation_days = 2, 3
    # 19 Jan is the service meeting: reminders open two days before (the 17th).
    assert not [m for m in _messages(org.pk, datetime.date(2027, 1, 16), rules)]
    on_17 = _messages(org.pk, datetime.date(2027, 1, 17), rules)
    service_keys = {m.key for m in on_17 if m.recipient == people["service_manager"]}
    assert service_keys == {
        f"service-summary:{people['service_manager'].service_id}:2026-12:reminder:"
        f"{people['service_manager'].pk}"
    }
    # The head of service's meeting (21st) is not within two days yet.
    assert not [m for m in on_17 if m.recipient == people["senior_leader"]]
    # Once each: the keys do not change from day to day.
    on_18 = _messages(org.pk, datetime.date(2027, 1, 18), rules)
    assert {m.key for m in on_18 if m.recipient == people["service_manager"]} == service_keys
    # Escalation: more than three days after the service meeting (the 23rd on), to the
    # heads of service.
    assert not [
        m for m in _messages(org.pk, datetime.date(2027, 1, 22), rules) if "escalation" in m.key
    ]
    late = _messages(org.pk, datetime.date(2027, 1, 23), rules)
    escalated = [m for m in late if m.key.startswith("service-summary") and "escalation" in m.key]
    assert {m.recipient for m in escalated} == {people["senior_leader"]}
    # Written: no more.
    ret = _t1(world)
    returns.summary_save(
        service=ret.service,
        month=DECEMBER,
        by=people["service_manager"],
        commentary="Done",
        revision=1,
    )
    late = _messages(org.pk, datetime.date(2027, 1, 23), rules)
    assert not [m for m in late if f"service-summary:{ret.service_id}:" in m.key]
    # The chief executive's level escalates to QA after the 27th + 3 days.
    final = _messages(org.pk, datetime.date(2027, 1, 31), rules)
    assert people["qa"] in {
        m.recipient for m in final if m.key.startswith("cascade-summary") and ":5:" in m.key
    }


# Actions into the improvement plan.


def test_actions_raised_go_into_the_plan_with_their_link_and_their_completion(client, world):
    people = world.people
    ret = _t1(world)
    url = reverse("governance:return_action_raise", kwargs={"return_pk": ret.pk})
    with _at(datetime.date(2027, 1, 6)):
        client.force_login(people["team_manager"].user)
        response = client.post(
            url,
            {
                "title": "Caseload review with the service manager",
                "owner": people["practitioner"].pk,
                "due_on_0": "31",
                "due_on_1": "1",
                "due_on_2": "2027",
            },
        )
    assert response.status_code == 302
    action = ReturnAction.objects.get(exceptions_return=ret, title__startswith="Caseload")
    assert (action.owner, action.due_on, action.status) == (
        people["practitioner"],
        datetime.date(2027, 1, 31),
        ReturnAction.Status.OPEN,
    )
    # A head of service raises one on their summary (made with it).
    with _at(datetime.date(2027, 1, 12)):
        client.force_login(people["senior_leader"].user)
        response = client.post(
            HOS + "?month=2026-12",
            {
                "raise_action": "1",
                "title": "A recruitment plan for looked-after teams",
                "owner": people["service_manager"].pk,
                "due_on_0": "28",
                "due_on_1": "2",
                "due_on_2": "2027",
            },
        )
        assert response.status_code == 302
        plan_gather(day=datetime.date(2027, 1, 12), organisation_id=ret.organisation_id)
    gathered = PlanAction.objects.filter(source=PlanAction.Source.EXCEPTIONS_RETURN)
    by_title = {row.title: row for row in gathered}
    assert by_title["Caseload review with the service manager"].source_url == ret.get_absolute_url()
    assert by_title["Caseload review with the service manager"].owner == people["practitioner"]
    upper = by_title["A recruitment plan for looked-after teams"]
    assert upper.source_url == HOS + "?month=2026-12"
    # The owner marks theirs done: the plan follows at the next gather.
    done_url = reverse("governance:return_action_complete", kwargs={"return_action_pk": action.pk})
    with _at(datetime.date(2027, 1, 20)):
        client.force_login(people["practitioner"].user)
        assert client.post(done_url).status_code == 302
        plan_gather(day=datetime.date(2027, 1, 20), organisation_id=ret.organisation_id)
    plan_row = PlanAction.objects.get(source_key=f"return-action:{action.pk}")
    assert (plan_row.status, plan_row.completed_on) == ("completed", datetime.date(2027, 1, 20))
    # Someone else's action: not theirs to close.
    client.force_login(people["colleague"].user)
    assert client.post(done_url).status_code == 404


def test_bad_actions_are_refused_with_a_message_and_nothing_is_written(client, world):
    people = world.people
    ret = _t1(world)
    url = reverse("governance:return_action_raise", kwargs={"return_pk": ret.pk})
    cases = [
        ({"title": "", "owner": people["practitioner"].pk}, "Enter what the action is"),
        ({"title": "x" * 301, "owner": people["practitioner"].pk}, "300 characters or fewer"),
        # Another team's worker.
        ({"title": "Mine", "owner": people["cp_practitioner"].pk}, "Choose an owner from the list"),
        ({"title": "Mine", "owner": "nobody"}, "Choose an owner from the list"),
    ]
    with _at(datetime.date(2027, 1, 6)):
        client.force_login(people["team_manager"].user)
        for data, message in cases:
            data = {**data, "due_on_0": "31", "due_on_1": "1", "due_on_2": "2027"}
            response = client.post(url, data)
            assert response.status_code == 400
            assert message in page_text(response)
        for day, message in (
            (("5", "1", "2027"), "today or in the future"),
            (("31", "2", "2027"), "Enter a real date"),
            (("", "", ""), "Enter the date the action is due"),
        ):
            data = {"title": "Mine", "owner": people["practitioner"].pk}
            data.update(zip(("due_on_0", "due_on_1", "due_on_2"), day, strict=True))
            response = client.post(url, data)
            assert response.status_code == 400
            assert message in page_text(response)
    assert (
        not ReturnAction.objects.filter(exceptions_return=ret)
        .exclude(pk=getattr(world.return_action, "pk", 0))
        .exists()
    )
    # The other team's manager may not raise one on T1's return (they cannot see it).
    client.force_login(people["other_team_manager"].user)
    assert client.post(url, {"title": "x"}).status_code == 404
    # An empty summary is refused and nothing written.
    client.force_login(people["senior_leader"].user)
    response = client.post(HOS + "?month=2026-12", {"revision": 1, "commentary": " "})
    assert response.status_code == 400
    assert "Enter the head of service summary" in visible_text(response)
    assert not CascadeSummary.objects.exists()
    # Only the level's own people write it: the director reads the heads of service's.
    client.force_login(people["director"].user)
    assert (
        client.post(HOS + "?month=2026-12", {"revision": 1, "commentary": "x"}).status_code == 403
    )


# Conflicts and autosave.


def test_autosave_saves_the_summary_and_a_stale_editor_gets_the_conflict_page(client, world):
    url = HOS + "?month=2026-12"
    with _at(datetime.date(2027, 1, 12)):
        client.force_login(world.people["senior_leader"].user)
        response = client.post(
            url, {"revision": 1, "commentary": "Half written"}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        assert response["HX-Trigger-After-Swap"] == "autosave-saved"
        assert 'data-revision-update="text" data-value="2"' in page_text(response)
        summary = CascadeSummary.objects.get(level=Level.HEAD_OF_SERVICE, month=DECEMBER)
        assert (summary.commentary, summary.revision) == ("Half written", 2)
        assert summary.meeting_on == datetime.date(2027, 1, 21)
        # A second editor still on revision 1: autosave says so, the full save gets a 409
        # with their text kept.
        response = client.post(url, {"revision": 1, "commentary": "Mine"}, HTTP_HX_REQUEST="true")
        assert response["HX-Trigger-After-Swap"] == "autosave-conflict"
        response = client.post(url, {"revision": 1, "commentary": "Mine, in full"})
        assert response.status_code == 409
        text = page_text(response)
        assert "saved this after you opened it" in text
        assert "Mine, in full" in text
    summary.refresh_from_db()
    assert summary.commentary == "Half written"


def test_the_team_managers_narrative_autosaves(client, world):
    ret = _t1(world)
    client.force_login(world.people["team_manager"].user)
    response = client.post(
        ret.get_absolute_url(),
        {"revision": ret.revision, "working_well": "Typed so far"},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Trigger-After-Swap"] == "autosave-saved"
    ret.refresh_from_db()
    assert (ret.working_well, ret.status, ret.revision) == ("Typed so far", "open", 2)
    response = client.post(
        ret.get_absolute_url(), {"revision": "x", "working_well": "y"}, HTTP_HX_REQUEST="true"
    )
    assert response["HX-Trigger-After-Swap"] == "autosave-invalid"
    assert "Reload the page and try again" in page_text(response)


# QA's view of the month.


def test_qa_sees_how_far_each_level_has_got(client, world):
    _submit(world)
    client.force_login(world.people["qa"].user)
    text = visible_text(client.get(reverse("governance:return_list") + "?month=2026-12"))
    assert "How far the cascade has got for December 2026" in text
    org = world.case.organisation_id
    counts = cascade.level_counts(organisation_id=org, month=DECEMBER)
    total = ExceptionsReturn.objects.filter(organisation_id=org, month=DECEMBER).count()
    assert [(row.done, row.expected) for row in counts][:2] == [
        (1, total),
        (
            0,
            ExceptionsReturn.objects.filter(organisation_id=org, month=DECEMBER)
            .values("service_id")
            .distinct()
            .count(),
        ),
    ]
    assert [row.done for row in counts][2:] == [0, 0, 0]


# Query bounds.


def test_the_cascade_pages_run_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    ret = _t1(world)
    people = world.people
    for n in range(1, 13):
        month = datetime.date(2025, 1, 1) + datetime.timedelta(days=31 * n)
        for team_ret in ExceptionsReturn.objects.filter(month=DECEMBER):
            ExceptionsReturn.objects.create(
                organisation_id=team_ret.organisation_id,
                team_id=team_ret.team_id,
                service_id=team_ret.service_id,
                month=month.replace(day=1),
                due_on=JAN_4,
                snapshot=ret.snapshot,
            )
    for i in range(5):
        ReturnAction.objects.create(
            organisation_id=ret.organisation_id,
            exceptions_return=ret,
            title=f"Action {i}",
            owner=people["practitioner"],
            due_on=datetime.date(2030, 1, 1),
            raised_by=people["team_manager"],
        )
    client.force_login(people["chief_executive"].user)
    with django_assert_max_num_queries(16):
        assert client.get(CEO + "?month=2026-12").status_code == 200
    client.force_login(people["senior_leader"].user)
    with django_assert_max_num_queries(16):
        assert client.get(HOS + "?month=2026-12").status_code == 200
    client.force_login(people["qa"].user)
    with django_assert_max_num_queries(18):
        assert client.get(reverse("governance:return_list")).status_code == 200
    client.force_login(people["team_manager"].user)
    with django_assert_max_num_queries(16):
        assert client.get(ret.get_absolute_url()).status_code == 200
    client.force_login(people["service_manager"].user)
    with django_assert_max_num_queries(18):
        assert (
            client.get(reverse("governance:return_summary") + "?month=2026-12").status_code == 200
        )
