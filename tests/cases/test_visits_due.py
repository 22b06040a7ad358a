"""Statutory visits due: the home page's list and counts and the case list's filters, at
every boundary, for each visiting service, against the rule written out by hand."""

import datetime

import pytest

from cases.models import VISIT_INTERVAL_DAYS, Case, JourneyEvent, Service
from cases.selectors import visit_counts, visits_due, visits_overdue
from cases.services import visit_dates_refresh
from tests.factories import CaseFactory, JourneyEventFactory, ServiceFactory, TeamFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 3, 1)


def test_due_and_overdue_at_each_boundary_match_the_rule():
    expected_due, expected_overdue = set(), set()
    for kind, interval in VISIT_INTERVAL_DAYS.items():
        team = TeamFactory(service=ServiceFactory(kind=kind))
        # Due on: today + 8 (not listed), today + 7 (listed), today (listed, not late),
        # yesterday (late); once through a last visit, once through the opening date.
        for due_in in (8, 7, 0, -1):
            since = TODAY + datetime.timedelta(days=due_in - interval)
            visited = CaseFactory(team=team, opened_on=since - datetime.timedelta(days=300))
            JourneyEventFactory(case=visited, occurred_on=since - datetime.timedelta(days=9))
            JourneyEventFactory(case=visited, occurred_on=since)
            never_visited = CaseFactory(team=team, opened_on=since)
            for case in (visited, never_visited):
                if due_in <= 7:
                    expected_due.add(case.pk)
                if due_in < 0:
                    expected_overdue.add(case.pk)
    # Not a visiting service, and a closed case: never due.
    CaseFactory(team=TeamFactory(service=ServiceFactory(kind=Service.Kind.ASSESSMENT)))
    late = TODAY - datetime.timedelta(days=400)
    CaseFactory(status=Case.Status.CLOSED, opened_on=late, closed_on=TODAY)

    cases = Case.objects.all()
    listed = list(visits_due(cases=cases, today=TODAY))
    assert {c.pk for c in listed} == expected_due
    assert {c.pk for c in listed if c.visit_overdue} == expected_overdue
    assert {c.pk for c in visits_overdue(cases=cases, today=TODAY)} == expected_overdue
    assert visit_counts(cases=cases, today=TODAY) == {
        "due": len(expected_due),
        "overdue": len(expected_overdue),
    }
    for case in listed:
        since = case.last_visit_on or case.opened_on
        interval = VISIT_INTERVAL_DAYS[case.service.kind]
        assert case.visit_due_on == since + datetime.timedelta(days=interval)
    assert [c.visit_due_on for c in listed] == sorted(c.visit_due_on for c in listed)


def _stored(case):
    case.refresh_from_db()
    return case.last_visit_on, case.next_visit_due_on


def test_the_stored_visit_dates_follow_each_change_to_a_case_and_its_visits():
    team = TeamFactory(service=ServiceFactory(kind=Service.Kind.CHILD_PROTECTION))
    opened = TODAY - datetime.timedelta(days=100)
    case = CaseFactory(team=team, opened_on=opened)
    fortnight = datetime.timedelta(days=14)
    assert _stored(case) == (None, opened + fortnight)

    first = JourneyEventFactory(case=case, occurred_on=TODAY - datetime.timedelta(days=20))
    latest = JourneyEventFactory(case=case, occurred_on=TODAY - datetime.timedelta(days=5))
    JourneyEventFactory(case=case, kind=JourneyEvent.Kind.REVIEW, occurred_on=TODAY)
    assert _stored(case) == (latest.occurred_on, latest.occurred_on + fortnight)

    latest.delete()
    assert _stored(case) == (first.occurred_on, first.occurred_on + fortnight)

    first.kind = JourneyEvent.Kind.REVIEW
    first.save()
    assert _stored(case) == (None, opened + fortnight)

    case.service = ServiceFactory(kind=Service.Kind.LOOKED_AFTER, organisation=case.organisation)
    case.save()
    assert _stored(case) == (None, opened + datetime.timedelta(days=42))

    case.status, case.closed_on = Case.Status.CLOSED, TODAY
    case.save()
    assert _stored(case) == (None, None)


def test_the_refresh_puts_right_dates_written_behind_the_models_back():
    """What an import or the demo writes in bulk, without signals."""
    team = TeamFactory(service=ServiceFactory(kind=Service.Kind.CHILD_IN_NEED))
    case = CaseFactory(team=team, opened_on=TODAY - datetime.timedelta(days=60))
    visit = TODAY - datetime.timedelta(days=3)
    JourneyEvent.objects.bulk_create(
        [
            JourneyEvent(
                organisation=case.organisation,
                case=case,
                kind=JourneyEvent.Kind.VISIT,
                occurred_on=visit,
                recorded_on=visit,
            )
        ]
    )
    Case.objects.filter(pk=case.pk).update(next_visit_due_on=None)
    visit_dates_refresh(cases=Case.objects.filter(organisation=case.organisation))
    assert _stored(case) == (visit, visit + datetime.timedelta(days=28))
