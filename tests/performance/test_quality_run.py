"""The nightly data-quality run: raises one issue per record, is idempotent, keeps open
issues up to date, closes them when the record is fixed and runs a bounded number of
queries (performance/services/quality.py `data_quality_run`)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case, Child, JourneyEvent
from performance.models import DataQualityIssue, DataQualityNote, DataQualityRule
from performance.quality_rules import CATALOGUE
from performance.services.quality import (
    data_quality_rules_sync,
    data_quality_run,
    data_quality_run_organisation,
    issue_resolve,
    issue_wont_fix,
)
from tests.factories import (
    CaseFactory,
    ChildFactory,
    JourneyEventFactory,
    StaffMemberFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

Status = DataQualityIssue.Status
DAY = datetime.date(2026, 11, 23)
ETHNICITY = "child-missing-ethnicity"


@pytest.fixture
def team():
    return TeamFactory()


@pytest.fixture
def worker(team):
    return StaffMemberFactory(team=team)


@pytest.fixture
def support(team):
    return StaffMemberFactory(
        team=None, service=None, organisation=team.organisation, business_support=True
    )


def _child_case(team, worker, **child):
    return CaseFactory(
        team=team,
        allocated_worker=worker,
        child=ChildFactory(organisation=team.organisation, legal_status="C2", **child),
    )


def _snapshot() -> list[tuple]:
    return list(
        DataQualityIssue.objects.order_by("pk").values_list(
            "pk", "rule_id", "key", "status", "team_id", "assigned_to_id", "detail", "revision"
        )
    )


def test_the_run_syncs_the_rule_catalogue():
    data_quality_run(day=DAY)
    rows = list(DataQualityRule.objects.values_list("slug", "active"))
    assert rows == [(rule.slug, True) for rule in CATALOGUE]
    assert all(row.description and row.how_to_fix for row in DataQualityRule.objects.all())


def test_a_rule_taken_out_of_the_catalogue_stops_running():
    DataQualityRule.objects.create(slug="retired", name="Old", description="x", how_to_fix="y")
    data_quality_rules_sync()
    assert not DataQualityRule.objects.get(slug="retired").active


def test_a_changed_rule_text_is_synced():
    data_quality_rules_sync()
    DataQualityRule.objects.filter(slug=ETHNICITY).update(name="Something else")
    data_quality_rules_sync()
    assert DataQualityRule.objects.get(slug=ETHNICITY).name == "Child's ethnicity not recorded"


def test_the_run_raises_one_issue_per_record_assigned_to_the_allocated_worker(team, worker):
    case = _child_case(team, worker, ethnicity="")
    result = data_quality_run(day=DAY)
    issue = DataQualityIssue.objects.get(rule__slug=ETHNICITY)
    assert (issue.case, issue.team, issue.assigned_to) == (case, team, worker)
    assert (issue.organisation, issue.key, issue.status) == (
        team.organisation,
        f"child:{case.child_id}",
        Status.OPEN,
    )
    assert issue.raised_on == DAY
    assert result["raised"] == 1
    assert result["open"] == 1


def test_a_second_run_the_same_day_changes_nothing(team, worker):
    _child_case(team, worker, ethnicity="")
    visit = JourneyEventFactory(
        case=_child_case(team, worker),
        kind=JourneyEvent.Kind.VISIT,
        occurred_on=DAY - datetime.timedelta(days=10),
        recorded_on=DAY - datetime.timedelta(days=1),
        seen=None,
        seen_alone=None,
    )
    first = data_quality_run(day=DAY)
    before, notes = _snapshot(), DataQualityNote.objects.count()
    second = data_quality_run(day=DAY)
    assert first["raised"] == 3  # the ethnicity, the late visit and its missing "seen"
    assert {k: second[k] for k in ("raised", "refreshed", "fixed", "reopened")} == {
        "raised": 0,
        "refreshed": 0,
        "fixed": 0,
        "reopened": 0,
    }
    assert _snapshot() == before
    assert DataQualityNote.objects.count() == notes
    assert DataQualityIssue.objects.filter(event=visit).count() == 2


def test_an_issue_closes_itself_when_the_record_is_fixed(team, worker):
    case = _child_case(team, worker, ethnicity="")
    data_quality_run(day=DAY)
    Child.objects.filter(pk=case.child_id).update(ethnicity="WBRI")
    result = data_quality_run(day=DAY + datetime.timedelta(days=1))
    issue = DataQualityIssue.objects.get()
    assert issue.status == Status.FIXED
    assert issue.closed_on == DAY + datetime.timedelta(days=1)
    assert issue.closed_by is None
    assert result["fixed"] == 1
    note = issue.notes.get()
    assert (note.kind, note.author) == (DataQualityNote.Kind.FIXED, None)
    # And nothing more the next night.
    assert data_quality_run(day=DAY + datetime.timedelta(days=2))["fixed"] == 0


def test_a_record_broken_again_after_a_fix_gets_a_new_issue(team, worker):
    case = _child_case(team, worker, ethnicity="")
    data_quality_run(day=DAY)
    Child.objects.filter(pk=case.child_id).update(ethnicity="WBRI")
    data_quality_run(day=DAY)
    Child.objects.filter(pk=case.child_id).update(ethnicity="")
    data_quality_run(day=DAY)
    assert sorted(DataQualityIssue.objects.values_list("status", flat=True)) == [
        Status.FIXED,
        Status.OPEN,
    ]


def test_deleting_the_event_fixes_its_issue(team, worker):
    event = JourneyEventFactory(
        case=_child_case(team, worker),
        occurred_on=DAY - datetime.timedelta(days=10),
        recorded_on=DAY,
        seen=True,
        seen_alone=True,
    )
    data_quality_run(day=DAY)
    event.delete()
    data_quality_run(day=DAY)
    assert DataQualityIssue.objects.get().status == Status.FIXED


def test_an_old_late_event_stays_open_until_fixed_not_until_it_ages(team, worker):
    JourneyEventFactory(
        case=_child_case(team, worker),
        occurred_on=DAY - datetime.timedelta(days=10),
        recorded_on=DAY - datetime.timedelta(days=1),
    )
    data_quality_run(day=DAY)
    data_quality_run(day=DAY + datetime.timedelta(days=200))
    assert DataQualityIssue.objects.get().status == Status.OPEN


def test_a_resolved_issue_whose_record_is_still_wrong_reopens(team, worker, support):
    _child_case(team, worker, ethnicity="")
    data_quality_run(day=DAY)
    issue = DataQualityIssue.objects.get()
    issue_resolve(issue=issue, by=support, base_revision=issue.revision, text="Done", day=DAY)
    result = data_quality_run(day=DAY + datetime.timedelta(days=1))
    issue.refresh_from_db()
    assert (issue.status, issue.closed_on, issue.closed_by) == (Status.OPEN, None, None)
    assert result["reopened"] == 1
    assert issue.notes.last().kind == DataQualityNote.Kind.REOPENED
    assert DataQualityIssue.objects.count() == 1


def test_a_resolved_issue_whose_record_was_put_right_stays_resolved(team, worker, support):
    case = _child_case(team, worker, ethnicity="")
    data_quality_run(day=DAY)
    issue = DataQualityIssue.objects.get()
    issue_resolve(issue=issue, by=support, base_revision=issue.revision, day=DAY)
    Child.objects.filter(pk=case.child_id).update(ethnicity="WBRI")
    data_quality_run(day=DAY + datetime.timedelta(days=1))
    issue.refresh_from_db()
    assert (issue.status, issue.closed_by) == (Status.RESOLVED, support)


def test_wont_fix_is_left_alone_and_never_raised_again(team, worker, support):
    _child_case(team, worker, ethnicity="")
    data_quality_run(day=DAY)
    issue = DataQualityIssue.objects.get()
    issue_wont_fix(issue=issue, by=support, base_revision=issue.revision, reason="Refused")
    result = data_quality_run(day=DAY + datetime.timedelta(days=1))
    assert result["raised"] == 0
    assert list(DataQualityIssue.objects.values_list("status", flat=True)) == [Status.WONT_FIX]


def test_the_run_keeps_the_assignee_and_team_up_to_date(team, worker):
    case = _child_case(team, worker, ethnicity="")
    data_quality_run(day=DAY)
    other_team = TeamFactory(service=team.service)
    new_worker = StaffMemberFactory(team=other_team)
    case.team, case.allocated_worker = other_team, new_worker
    case.save()
    result = data_quality_run(day=DAY)
    issue = DataQualityIssue.objects.get()
    assert (issue.team, issue.assigned_to) == (other_team, new_worker)
    assert result["refreshed"] == 1


def test_the_run_from_the_management_command(team, worker):
    _child_case(team, worker, ethnicity="")
    call_command("data_quality_run", "--date", DAY.isoformat())
    assert DataQualityIssue.objects.get().raised_on == DAY


def test_the_run_uses_today_under_time_machine(team, worker):
    _child_case(team, worker, ethnicity="")
    with time_machine.travel(datetime.datetime(2026, 12, 29, 2, tzinfo=datetime.UTC), tick=False):
        from performance.tasks import data_quality_run_task

        data_quality_run_task()
        assert DataQualityIssue.objects.get().raised_on == timezone.localdate()


def _world(size: int, team, worker) -> None:
    for n in range(size):
        case = _child_case(team, worker if n % 2 else None, ethnicity="")
        JourneyEventFactory(
            case=case,
            kind=JourneyEvent.Kind.VISIT,
            occurred_on=DAY - datetime.timedelta(days=20),
            recorded_on=DAY - datetime.timedelta(days=1),
            seen=None,
            seen_alone=None,
        )


def _queries(day: datetime.date, organisation_id: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        data_quality_run_organisation(organisation_id=organisation_id, day=day)
    return len(captured)


def _measure(size: int, step: str) -> int:
    data_quality_rules_sync()
    team = TeamFactory()
    _world(size, team, StaffMemberFactory(team=team))
    if step in ("again", "fix"):
        data_quality_run(day=DAY)
    if step == "fix":
        Child.objects.update(ethnicity="WBRI")
    count = _queries(DAY, team.organisation_id)
    DataQualityIssue.objects.all().delete()
    Case.objects.all().delete()
    Child.objects.all().delete()
    return count


@pytest.mark.parametrize("step", ["raise", "again", "fix"])
def test_the_run_costs_the_same_queries_for_5_or_60_records(step):
    """No query per record: raising, re-running and closing one organisation's issues cost
    the same at any size (up to a batch of 500 issues)."""
    assert _measure(5, step) == _measure(60, step)
