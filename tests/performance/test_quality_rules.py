"""Each data-quality rule's query on hand-built records, with the working-day, bank-holiday
and calendar-month boundaries (performance/quality_rules.py)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from cases.models import Case, JourneyEvent, JourneyStage
from performance.models import DataQualityIssue
from performance.quality_rules import (
    DatesOutOfOrder,
    LateRecording,
    MissingEthnicity,
    MissingLegalStatus,
    StageOneOverdue,
    UnallocatedCase,
    VisitSeenNotRecorded,
)
from tests.factories import (
    AdopterFactory,
    CaseFactory,
    ChildFactory,
    DataQualityIssueFactory,
    JourneyEventFactory,
    StaffMemberFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

Kind = JourneyEvent.Kind
# Christmas 2026: Friday 25 December and Monday 28 December (Boxing Day, moved from the
# Saturday) are bank holidays in England.
CHRISTMAS_EVE = datetime.date(2026, 12, 24)


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _keep() -> object:
    return DataQualityIssue.objects.none()


def _keys(rule, day: datetime.date, keep=None) -> set[str]:
    return {f.key for f in rule.find(day=day, keep=keep if keep is not None else _keep())}


@pytest.fixture
def case() -> Case:
    team = TeamFactory()
    # Opened on a fixed day, like every date in these tests: the factory's "100 days ago"
    # falls after the November closing dates below once today is past early February.
    return CaseFactory(
        team=team, allocated_worker=StaffMemberFactory(team=team), opened_on=d("2026-06-01")
    )


def _event(case: Case, kind: str = Kind.REFERRAL, **kwargs) -> JourneyEvent:
    kwargs.setdefault("seen", None)
    kwargs.setdefault("seen_alone", None)
    return JourneyEventFactory(case=case, kind=kind, **kwargs)


# Event recorded more than two working days after it occurred.


@pytest.mark.parametrize(
    ("occurred", "recorded", "late"),
    [
        ("2026-11-10", "2026-11-10", False),  # the same day
        ("2026-11-10", "2026-11-12", False),  # Tuesday to Thursday: two working days
        ("2026-11-10", "2026-11-13", True),  # Friday: three
        ("2026-11-06", "2026-11-10", False),  # Friday to Tuesday: the weekend is not counted
        ("2026-11-06", "2026-11-11", True),  # Friday to Wednesday: three
        ("2026-12-24", "2026-12-30", False),  # Christmas Eve: 25th, weekend, 28th not counted
        ("2026-12-24", "2026-12-31", True),
        ("2026-12-23", "2026-12-29", False),
        ("2026-12-23", "2026-12-30", True),
    ],
)
def test_late_recording_counts_working_days_with_bank_holidays(case, occurred, recorded, late):
    event = _event(case, occurred_on=d(occurred), recorded_on=d(recorded))
    found = LateRecording().find(day=d("2027-01-05"), keep=_keep())
    assert {f.key for f in found} == ({f"event:{event.pk}"} if late else set())


def test_late_recording_says_when_it_was_due(case):
    _event(case, kind=Kind.VISIT, occurred_on=CHRISTMAS_EVE, recorded_on=d("2026-12-31"))
    (finding,) = LateRecording().find(day=d("2027-01-05"), keep=_keep())
    assert finding.detail == (
        "Visit on 24 December 2026 was recorded on 31 December 2026; it was due by 30 December 2026"
    )
    assert (finding.case_id, finding.team_id) == (case.pk, case.team_id)
    assert finding.assigned_to_id == case.allocated_worker_id
    assert finding.organisation_id == case.organisation_id


def test_late_recording_looks_back_three_months_but_rechecks_current_issues(case):
    old = _event(case, occurred_on=d("2026-06-01"), recorded_on=d("2026-06-30"))
    day = d("2026-11-22")
    assert _keys(LateRecording(), day) == set()
    DataQualityIssueFactory(case=case, key=f"event:{old.pk}", event=old)
    assert _keys(LateRecording(), day, keep=DataQualityIssue.objects.all()) == {f"event:{old.pk}"}


def test_late_recording_boundary_with_time_machine(case):
    event = _event(case, occurred_on=CHRISTMAS_EVE, recorded_on=d("2026-12-31"))
    with time_machine.travel(datetime.datetime(2026, 12, 31, 18, tzinfo=datetime.UTC), tick=False):
        today = timezone.localdate()
        assert _keys(LateRecording(), today) == {f"event:{event.pk}"}


# Visit with seen / seen alone not recorded.


@pytest.mark.parametrize(
    ("seen", "seen_alone", "found", "detail"),
    [
        (None, None, True, "does not record whether the child was seen"),
        (True, None, True, "does not record seen alone"),
        (True, True, False, ""),
        (True, False, False, ""),
        (False, None, False, ""),  # not seen: seen alone does not arise
        (False, False, False, ""),
    ],
)
def test_visit_without_seen_or_seen_alone(case, seen, seen_alone, found, detail):
    visit = _event(
        case,
        kind=Kind.VISIT,
        occurred_on=d("2026-11-02"),
        recorded_on=d("2026-11-02"),
        seen=seen,
        seen_alone=seen_alone,
    )
    findings = VisitSeenNotRecorded().find(day=d("2026-11-22"), keep=_keep())
    assert [f.key for f in findings] == ([f"event:{visit.pk}"] if found else [])
    if found:
        assert findings[0].detail == f"Visit on 2 November 2026 {detail}"
        assert findings[0].event_id == visit.pk


def test_events_other_than_visits_need_no_seen(case):
    _event(case, kind=Kind.REVIEW, occurred_on=d("2026-11-02"), recorded_on=d("2026-11-02"))
    assert _keys(VisitSeenNotRecorded(), d("2026-11-22")) == set()


def test_visits_older_than_three_months_are_not_raised(case):
    _event(case, kind=Kind.VISIT, occurred_on=d("2026-08-21"), recorded_on=d("2026-08-21"))
    recent = _event(case, kind=Kind.VISIT, occurred_on=d("2026-08-23"), recorded_on=d("2026-08-23"))
    assert _keys(VisitSeenNotRecorded(), d("2026-11-22")) == {f"event:{recent.pk}"}


# Dates out of order.


def test_placement_before_becoming_looked_after_is_out_of_order(case):
    _event(case, Kind.BECAME_LOOKED_AFTER, occurred_on=d("2026-10-10"), recorded_on=d("2026-10-10"))
    early = _event(
        case, Kind.PLACEMENT_STARTED, occurred_on=d("2026-10-05"), recorded_on=d("2026-10-12")
    )
    _event(case, Kind.PLACEMENT_STARTED, occurred_on=d("2026-10-10"), recorded_on=d("2026-10-10"))
    (finding,) = DatesOutOfOrder().find(day=d("2026-11-22"), keep=_keep())
    assert finding.key == f"event:{early.pk}"
    assert finding.detail == (
        "Placement started on 5 October 2026, before the child became looked after on "
        "10 October 2026"
    )


def test_assessment_completed_before_it_started_is_out_of_order(case):
    _event(case, Kind.ASSESSMENT_STARTED, occurred_on=d("2026-10-10"), recorded_on=d("2026-10-10"))
    done = _event(
        case, Kind.ASSESSMENT_COMPLETED, occurred_on=d("2026-10-09"), recorded_on=d("2026-10-12")
    )
    assert _keys(DatesOutOfOrder(), d("2026-11-22")) == {f"event:{done.pk}"}


def test_events_in_order_or_without_their_pair_are_fine(case):
    _event(case, Kind.ASSESSMENT_STARTED, occurred_on=d("2026-10-10"), recorded_on=d("2026-10-10"))
    _event(
        case, Kind.ASSESSMENT_COMPLETED, occurred_on=d("2026-10-10"), recorded_on=d("2026-10-10")
    )
    # A placement on a case with no "became looked after" (say, family finding) is not compared.
    _event(case, Kind.PLACEMENT_STARTED, occurred_on=d("2026-01-01"), recorded_on=d("2026-01-01"))
    # The same events on another case do not count.
    other = CaseFactory(team=case.team)
    _event(
        other, Kind.BECAME_LOOKED_AFTER, occurred_on=d("2026-10-10"), recorded_on=d("2026-10-10")
    )
    assert _keys(DatesOutOfOrder(), d("2026-11-22")) == set()


def test_dates_out_of_order_on_closed_cases_are_not_raised(case):
    _event(case, Kind.BECAME_LOOKED_AFTER, occurred_on=d("2026-10-10"), recorded_on=d("2026-10-10"))
    _event(case, Kind.PLACEMENT_STARTED, occurred_on=d("2026-10-05"), recorded_on=d("2026-10-05"))
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_on=d("2026-11-01"))
    assert _keys(DatesOutOfOrder(), d("2026-11-22")) == set()


# Open case with no allocated worker.


@pytest.mark.parametrize(
    ("opened", "day", "found"),
    [
        ("2026-11-20", "2026-11-20", False),  # opened today
        ("2026-11-19", "2026-11-20", False),  # Thursday, one working day on
        ("2026-11-18", "2026-11-20", True),
        ("2026-11-20", "2026-11-23", False),  # Friday to Monday: one working day
        ("2026-11-20", "2026-11-24", True),
        ("2026-12-24", "2026-12-29", False),  # over Christmas: the 29th is the next working day
        ("2026-12-24", "2026-12-30", True),
    ],
)
def test_open_case_with_no_allocated_worker(opened, day, found):
    case = CaseFactory(allocated_worker=None, opened_on=d(opened))
    findings = UnallocatedCase().find(day=d(day), keep=_keep())
    assert [f.key for f in findings] == ([f"case:{case.pk}"] if found else [])
    if found:
        assert findings[0].assigned_to_id is None
        assert findings[0].detail == f"Open since {d(opened):%-d %B %Y} with no allocated worker"


def test_allocated_and_closed_cases_are_not_unallocated(case):
    CaseFactory(
        allocated_worker=None,
        opened_on=d("2026-01-01"),
        status=Case.Status.CLOSED,
        closed_on=d("2026-02-01"),
    )
    assert _keys(UnallocatedCase(), d("2026-11-22")) == set()


# Adopter stage one running past two months with no review and not completed.


@pytest.fixture
def adopter_case() -> Case:
    team = TeamFactory()
    return CaseFactory(
        team=team,
        child=None,
        adopter=AdopterFactory(organisation=team.organisation),
        allocated_worker=StaffMemberFactory(team=team),
        journey_stage=JourneyStage.STAGE_ONE,
    )


@pytest.mark.parametrize(
    ("started", "day", "found"),
    [
        ("2026-09-22", "2026-11-22", False),  # exactly two months: not past them yet
        ("2026-09-22", "2026-11-23", True),
        ("2025-12-31", "2026-02-28", False),  # two months from 31 December end on 28 February
        ("2025-12-31", "2026-03-01", True),
    ],
)
def test_stage_one_past_two_months(adopter_case, started, day, found):
    start = _event(
        adopter_case, Kind.STAGE_ONE_STARTED, occurred_on=d(started), recorded_on=d(started)
    )
    findings = StageOneOverdue().find(day=d(day), keep=_keep())
    assert [f.key for f in findings] == ([f"event:{start.pk}"] if found else [])


@pytest.mark.parametrize("answer", [Kind.REVIEW, Kind.STAGE_ONE_COMPLETED, Kind.WITHDRAWN])
def test_stage_one_with_a_review_or_completed_is_fine(adopter_case, answer):
    _event(
        adopter_case,
        Kind.STAGE_ONE_STARTED,
        occurred_on=d("2026-08-01"),
        recorded_on=d("2026-08-01"),
    )
    _event(adopter_case, answer, occurred_on=d("2026-10-01"), recorded_on=d("2026-10-01"))
    assert _keys(StageOneOverdue(), d("2026-11-22")) == set()


def test_a_review_before_stage_one_started_does_not_count(adopter_case):
    _event(adopter_case, Kind.REVIEW, occurred_on=d("2026-07-01"), recorded_on=d("2026-07-01"))
    start = _event(
        adopter_case,
        Kind.STAGE_ONE_STARTED,
        occurred_on=d("2026-08-01"),
        recorded_on=d("2026-08-01"),
    )
    (finding,) = StageOneOverdue().find(day=d("2026-11-22"), keep=_keep())
    assert finding.key == f"event:{start.pk}"
    assert finding.detail.startswith("Stage one started on 1 August 2026, 113 days ago")


# Missing ethnicity on a child with an open case.


def test_missing_ethnicity_on_a_child_with_an_open_case():
    child = ChildFactory(ethnicity="")
    team = TeamFactory(organisation=child.organisation, service__organisation=child.organisation)
    older = CaseFactory(team=team, child=child, opened_on=d("2025-01-01"))
    newer = CaseFactory(team=team, child=child, opened_on=d("2026-01-01"))
    recorded = ChildFactory(ethnicity="NOBT")
    CaseFactory(child=recorded)
    findings = MissingEthnicity().find(day=d("2026-11-22"), keep=_keep())
    # One issue per child, on the newest open case.
    assert [(f.key, f.case_id) for f in findings] == [(f"child:{child.pk}", newer.pk)]
    assert older.pk != newer.pk


def test_missing_ethnicity_without_an_open_case_is_not_raised():
    child = ChildFactory(ethnicity="")
    CaseFactory(child=child, status=Case.Status.CLOSED, closed_on=timezone.localdate())
    assert _keys(MissingEthnicity(), d("2026-11-22")) == set()


# Missing legal status for a looked-after child.


@pytest.mark.parametrize(
    ("stage", "legal_status", "found"),
    [
        (JourneyStage.LOOKED_AFTER, "", True),
        (JourneyStage.PLACEMENT_ORDER, "", True),
        (JourneyStage.PLACED, "", True),
        (JourneyStage.LOOKED_AFTER, "C2", False),
        (JourneyStage.CHILD_IN_NEED, "", False),
        (JourneyStage.CARE_LEAVER, "", False),
    ],
)
def test_missing_legal_status_for_a_looked_after_child(stage, legal_status, found):
    child = ChildFactory(legal_status=legal_status)
    CaseFactory(child=child, journey_stage=stage)
    findings = MissingLegalStatus().find(day=d("2026-11-22"), keep=_keep())
    assert [f.key for f in findings] == ([f"child:{child.pk}"] if found else [])
    if found:
        assert "No legal status recorded" in findings[0].detail


def test_every_rule_runs_a_fixed_number_of_queries(case, django_assert_max_num_queries):
    from performance.quality_rules import CATALOGUE, ORDER_PAIRS

    for _ in range(30):
        other = CaseFactory(team=case.team, allocated_worker=None, child__ethnicity="")
        _event(other, Kind.VISIT, occurred_on=d("2026-11-02"), recorded_on=d("2026-11-20"))
        _event(
            other,
            Kind.BECAME_LOOKED_AFTER,
            occurred_on=d("2026-11-03"),
            recorded_on=d("2026-11-03"),
        )
        _event(
            other, Kind.PLACEMENT_STARTED, occurred_on=d("2026-11-01"), recorded_on=d("2026-11-03")
        )
    for rule in CATALOGUE:
        # One query a rule; one per pair of events for the dates-out-of-order rule.
        with django_assert_max_num_queries(len(ORDER_PAIRS)):
            rule.find(day=d("2026-11-22"), keep=_keep())
