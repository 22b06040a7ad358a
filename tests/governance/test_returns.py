"""The monthly Performance Exceptions return: opened on the first working day (once),
its figures frozen, who sees and writes which, the team manager's narrative (saving,
submitting, conflicts, bad input), the service manager's commentary and summary,
reminders and the pages' query bounds."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from feedback.models.complaints import Complaint
from governance import reminders_returns, returns, services
from governance.models import ExceptionsReturn, ServiceSummary
from governance.rules import may
from performance.models import IndicatorValue, Target
from rota.services import rules_for
from tests.factories import ComplaintFactory, GradedAuditFactory
from tests.pages import page_text, visible_text

pytestmark = pytest.mark.django_db

Status = ExceptionsReturn.Status
JAN_4 = datetime.date(2027, 1, 4)  # The first working day of 2027 (1 Jan a bank holiday).
DECEMBER = datetime.date(2026, 12, 1)
NARRATIVE = {
    "working_well": "Visits on time.",
    "worried_about": "Caseloads.",
    "most_proud_of": "Life story work.",
    "actions": "Weekly tracking.",
    "practitioners_feeling": "Tired but positive; protected time for reflection.",
}


def _at(day: datetime.date) -> time_machine.travel:
    return time_machine.travel(
        timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))), tick=False
    )


@pytest.fixture
def world(scenario):
    """The scenario without its ready-made return (the tests open their own)."""
    ExceptionsReturn.objects.all().delete()
    return scenario


def _open_january(world) -> ExceptionsReturn:
    with _at(JAN_4):
        services.exceptions_returns_create(day=JAN_4)
    return ExceptionsReturn.objects.get(team=world.case.team, month=DECEMBER)


# Opening: the first working day, once.


def test_it_fires_on_the_first_working_day_after_the_bank_holiday_and_never_twice(world):
    for day in (datetime.date(2027, 1, 1), datetime.date(2027, 1, 2), datetime.date(2027, 1, 5)):
        with _at(day):
            assert "skipped" in services.exceptions_returns_create(day=day)
    assert not ExceptionsReturn.objects.exists()
    with _at(JAN_4):
        first = services.exceptions_returns_create(day=JAN_4)
        again = services.exceptions_returns_create(day=JAN_4)
    # One for each team with a team manager, in both councils (T1, T2, TB among them).
    with_managers = returns.teams_due_a_return()
    assert first == {"created": with_managers.count()}
    assert again == {"created": 0}
    rows = ExceptionsReturn.objects.order_by("team__name")
    assert sorted(r.team_id for r in rows) == sorted(t.pk for t in with_managers)
    assert {"T1", "T2", "TB"} <= {r.team.name for r in rows}
    assert {r.month for r in rows} == {DECEMBER}
    # The 10th working day of January 2027.
    assert {r.due_on for r in rows} == {datetime.date(2027, 1, 15)}
    assert {r.status for r in rows} == {Status.OPEN}


def test_an_ordinary_month_opens_on_its_first_day():
    assert returns.due_on(datetime.date(2027, 3, 1)) == datetime.date(2027, 3, 12)
    assert returns.month_of(datetime.date(2027, 3, 1)) == datetime.date(2027, 2, 1)


def test_the_snapshot_is_frozen_when_the_return_opens(world):
    team, organisation = world.case.team, world.case.organisation
    in_december = datetime.datetime(2026, 12, 10, 12, tzinfo=datetime.UTC)
    GradedAuditFactory(case=world.case, overall_grade="good", submitted_at=in_december)
    GradedAuditFactory(
        case=world.case, overall_grade="requires_improvement", submitted_at=in_december
    )
    # Not December's: left out.
    GradedAuditFactory(
        case=world.case,
        overall_grade="good",
        submitted_at=datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC),
    )
    mine = ComplaintFactory(case=world.case, received_on=datetime.date(2026, 12, 3))
    # The scenario's own complaint is dated from the real today: keep it out of December.
    Complaint.objects.exclude(pk=mine.pk).update(received_on=datetime.date(2026, 10, 1))
    Target.objects.create(
        organisation=organisation,
        indicator="visits-in-timescale",
        value=90.0,
        starts_on=datetime.date(2025, 1, 1),
    )
    IndicatorValue.objects.create(
        indicator="visits-in-timescale",
        organisation=organisation,
        level="team",
        service=team.service,
        team=team,
        month=DECEMBER,
        numerator=7,
        denominator=10,
        value=70.0,
    )
    ret = _open_january(world)
    snap = ret.snapshot
    assert snap["audits"]["graded"] == 2
    assert snap["audits"]["good_or_better"] == 1
    assert dict(snap["audits"]["by_grade"])["Requires improvement to be good"] == 1
    assert snap["complaints"] == {"stage_1": 1, "stage_2": 0, "stage_3": 0, "total": 1}
    # The scenario's data-quality issue is on T1's case.
    assert snap["data_quality"]["open"] == 1
    [exception] = snap["indicators"]
    assert exception["slug"] == "visits-in-timescale"
    assert exception["shown"] == "70.0%"
    assert exception["status"] == "Worse than target"
    # Records change afterwards: the return does not.
    GradedAuditFactory(case=world.case, overall_grade="outstanding", submitted_at=in_december)
    IndicatorValue.objects.filter(team=team).update(value=95.0)
    with _at(JAN_4):
        services.exceptions_returns_create(day=JAN_4)
    ret.refresh_from_db()
    assert ret.snapshot == snap


# Who sees what.


def test_each_reader_sees_their_own_returns_only(client, world):
    _open_january(world)
    people = world.people
    seen = {}
    for key in (
        "team_manager",
        "other_team_manager",
        "service_manager",
        "other_service_manager",
        "qa",
        "other_org_qa",
    ):
        seen[key] = sorted(
            ExceptionsReturn.objects.visible_to(people[key].user).values_list(
                "team__name", flat=True
            )
        )
    assert seen == {
        "team_manager": ["T1"],
        "other_team_manager": ["T2"],
        "service_manager": ["T1", "T2"],
        "other_service_manager": [],
        "qa": sorted(
            ExceptionsReturn.objects.filter(organisation=world.case.organisation).values_list(
                "team__name", flat=True
            )
        ),
        "other_org_qa": ["TB"],
    }
    assert {"T1", "T2"} <= set(seen["qa"])
    for key in ("practitioner", "business_support", "regional_lead"):
        client.force_login(people[key].user)
        assert client.get(reverse("governance:return_list")).status_code == 403


def test_the_rules_follow_the_return_through_its_life(world):
    ret = _open_january(world)
    tm, sm, qa = (world.people[k].user for k in ("team_manager", "service_manager", "qa"))
    other_tm = world.people["other_team_manager"].user
    assert may(tm, "governance.write_return", ret)
    assert not may(other_tm, "governance.write_return", ret)
    assert not may(sm, "governance.write_return", ret)
    assert not may(sm, "governance.review_return", ret)
    ret = returns.return_save(
        ret=ret,
        by=world.people["team_manager"],
        data=NARRATIVE,
        revision=ret.revision,
        submit=True,
    )
    assert not may(tm, "governance.write_return", ret)
    assert may(sm, "governance.review_return", ret)
    assert not may(world.people["other_service_manager"].user, "governance.review_return", ret)
    assert not may(qa, "governance.review_return", ret)


# The pages.


def test_a_team_manager_saves_then_submits_and_the_service_manager_reviews(client, world):
    ret = _open_january(world)
    url = ret.get_absolute_url()
    client.force_login(world.people["team_manager"].user)
    response = client.post(url, {"revision": ret.revision, "working_well": "Half done"})
    assert response.status_code == 302
    ret.refresh_from_db()
    assert (ret.working_well, ret.status, ret.revision) == ("Half done", Status.OPEN, 2)
    response = client.post(url, {"revision": 2, "submit": "1", **NARRATIVE})
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == Status.SUBMITTED
    assert ret.submitted_by == world.people["team_manager"]
    # Submitted: the team manager can no longer change it.
    assert client.post(url, {"revision": 3, **NARRATIVE}).status_code == 403
    client.force_login(world.people["service_manager"].user)
    review_url = reverse("governance:return_review", kwargs={"return_pk": ret.pk})
    response = client.post(review_url, {"revision": 3, "commentary": "Caseloads to the meeting"})
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == Status.REVIEWED
    assert ret.commentary == "Caseloads to the meeting"
    assert ret.history.count() == 4


def test_submitting_with_sections_missing_is_refused_and_nothing_is_saved(client, world):
    ret = _open_january(world)
    client.force_login(world.people["team_manager"].user)
    data = {**NARRATIVE, "worried_about": "  ", "revision": ret.revision, "submit": "1"}
    response = client.post(ret.get_absolute_url(), data)
    assert response.status_code == 400
    text = page_text(response)
    assert "There is a problem" in text
    assert "\u201cWhat are you worried about?\u201d before you submit" in text
    ret.refresh_from_db()
    assert (ret.status, ret.working_well, ret.revision) == (Status.OPEN, "", 1)
    for revision in ("", "abc", "-4"):
        response = client.post(ret.get_absolute_url(), {**NARRATIVE, "revision": revision})
        assert response.status_code == 400
        assert "Reload the page and try again" in page_text(response)
    ret.refresh_from_db()
    assert ret.revision == 1
    # An empty commentary is refused too.
    ret = returns.return_save(
        ret=ret, by=world.people["team_manager"], data=NARRATIVE, revision=1, submit=True
    )
    client.force_login(world.people["service_manager"].user)
    review_url = reverse("governance:return_review", kwargs={"return_pk": ret.pk})
    response = client.post(review_url, {"revision": ret.revision, "commentary": ""})
    assert response.status_code == 400
    assert "Enter your commentary on the return" in page_text(response)
    ret.refresh_from_db()
    assert ret.status == Status.SUBMITTED


def test_a_second_editor_gets_a_clear_conflict_and_keeps_their_text(client, world):
    ret = _open_january(world)
    # Someone saved after the page was loaded at revision 1.
    returns.return_save(
        ret=ret, by=world.people["team_manager"], data={"working_well": "Theirs"}, revision=1
    )
    client.force_login(world.people["team_manager"].user)
    response = client.post(ret.get_absolute_url(), {"revision": 1, "working_well": "Mine"})
    assert response.status_code == 409
    text = page_text(response)
    assert "saved this after you opened it" in text
    assert "Mine" in text
    ret.refresh_from_db()
    assert ret.working_well == "Theirs"
    with pytest.raises(returns.ReturnConflict):
        returns.return_save(ret=ret, by=world.people["team_manager"], data={}, revision=1)


def test_the_service_manager_summarises_their_teams_side_by_side(client, world):
    _open_january(world)
    sm = world.people["service_manager"]
    client.force_login(sm.user)
    url = reverse("governance:return_summary") + "?month=2026-12"
    response = client.get(url)
    assert response.status_code == 200
    text = visible_text(response)
    assert "T1" in text
    assert "T2" in text
    assert "TB" not in text
    response = client.post(url, {"revision": 1, "commentary": "Both teams on track."})
    assert response.status_code == 302
    summary = ServiceSummary.objects.get(service=sm.service, month=DECEMBER)
    assert summary.commentary == "Both teams on track."
    # A stale revision: refused with the conflict message.
    response = client.post(url, {"revision": 1, "commentary": "Later"})
    assert response.status_code == 409
    assert "saved this after you opened it" in page_text(response)
    response = client.post(url, {"revision": "x", "commentary": ""})
    assert response.status_code == 400
    # Another service's manager cannot open this service's summary.
    client.force_login(world.people["other_service_manager"].user)
    response = client.get(f"{url}&service={sm.service_id}")
    assert response.status_code == 404
    # QA reads it and cannot write it.
    client.force_login(world.people["qa"].user)
    response = client.get(f"{url}&service={sm.service_id}")
    assert response.status_code == 200
    assert "Both teams on track." in page_text(response)
    assert client.post(f"{url}&service={sm.service_id}", {"revision": 2}).status_code == 403


def test_the_list_filters_by_month_and_status(client, world):
    ret = _open_january(world)
    returns.return_save(
        ret=ret, by=world.people["team_manager"], data=NARRATIVE, revision=1, submit=True
    )
    client.force_login(world.people["qa"].user)
    url = reverse("governance:return_list")
    everyone = ExceptionsReturn.objects.visible_to(world.people["qa"].user).count()
    assert everyone >= 2
    assert f"{everyone} returns" in page_text(client.get(url + "?month=2026-12"))
    assert "1 return" in page_text(client.get(url + "?status=submitted"))
    assert "0 returns" in page_text(client.get(url + "?month=2026-11"))
    assert client.get(url + "?month=2026-13&status=maybe&page=x").status_code == 200


def test_the_pages_run_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    ret = _open_january(world)
    # Thirty more months of T1 and T2's returns.
    for n in range(1, 16):
        for team_ret in ExceptionsReturn.objects.filter(
            month=DECEMBER, team__name__in=["T1", "T2"]
        ):
            ExceptionsReturn.objects.create(
                organisation_id=team_ret.organisation_id,
                team_id=team_ret.team_id,
                service_id=team_ret.service_id,
                month=datetime.date(2025, 1, 1) + datetime.timedelta(days=31 * n),
                due_on=JAN_4,
                snapshot=ret.snapshot,
            )
    client.force_login(world.people["service_manager"].user)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("governance:return_list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(ret.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(16):
        url = reverse("governance:return_summary") + "?month=2026-12"
        assert client.get(url).status_code == 200
    client.force_login(world.people["team_manager"].user)
    with django_assert_max_num_queries(14):
        assert client.get(ret.get_absolute_url()).status_code == 200


# Reminders.


def test_open_returns_remind_the_team_manager_then_escalate_to_their_line_manager(world):
    ret = _open_january(world)
    manager = world.people["team_manager"]
    manager.line_manager = world.people["service_manager"]
    manager.save()
    rules = rules_for(ret.organisation)
    org = ret.organisation_id
    day = ret.due_on - datetime.timedelta(days=1)
    reminders = list(reminders_returns.return_reminders(organisation_id=org, rules=rules, day=day))
    assert manager in [m.recipient for m in reminders]
    assert not list(reminders_returns.return_escalations(organisation_id=org, rules=rules, day=day))
    late = ret.due_on + datetime.timedelta(days=rules.escalation_days + 1)
    escalations = list(
        reminders_returns.return_escalations(organisation_id=org, rules=rules, day=late)
    )
    assert [m.recipient for m in escalations if m.url == ret.get_absolute_url()] == [
        world.people["service_manager"]
    ]
    # Submitted: no more reminders.
    returns.return_save(ret=ret, by=manager, data=NARRATIVE, revision=1, submit=True)
    again = list(reminders_returns.return_reminders(organisation_id=org, rules=rules, day=late))
    assert ret.get_absolute_url() not in [m.url for m in again]
