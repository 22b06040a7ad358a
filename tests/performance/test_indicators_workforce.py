"""Caseloads, visits, supervision and recording (KPQs 4, 5 and 10), worked out by hand.

Figures are read on Friday 15 May 2026 for April 2026, whose last day is Thursday 30th.
"""

from __future__ import annotations

import pytest

from cases.models import Service
from tests.performance.indicator_builders import (
    APRIL,
    MAY,
    D,
    Kind,
    Level,
    Org,
    computed,
    event,
    facts,
    org_value,
    visit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def org() -> Org:
    return Org.build()


# KPQ 4: caseloads


def test_average_caseload_counts_distinct_workers(org):
    first, second = org.worker(), org.worker()
    for _ in range(3):
        org.case(worker=first)
    org.case(worker=second)
    org.case()  # not allocated: not in the average
    org.case(worker=second, closed_on=D(2026, 4, 30))  # closed on the month's last day
    org.case(worker=first, opened_on=D(2026, 5, 1))  # opened after it
    org.case(worker=second, closed_on=D(2025, 1, 1))  # closed before the window

    # 4 cases held by 2 workers, not 4 cases each counted for its own worker.
    assert org_value("average-caseload", org) == (4, 2, 2.0)


def test_average_caseload_per_team_and_service(org):
    other_team = org.add_team()
    other_service = org.add_service()
    third_team = org.add_team(other_service)
    first, second = org.worker(), org.worker(other_team)
    org.case(worker=first)
    org.case(worker=first)
    org.case(team=org.team, worker=second)
    org.case(team=other_team, worker=first)  # a worker's case in another team
    org.case(team=third_team, worker=second)

    values = computed("average-caseload", org)
    assert values[(Level.ORGANISATION, None, None, APRIL)] == (5, 2, 2.5)
    assert values[(Level.SERVICE, org.service.pk, None, APRIL)] == (4, 2, 2.0)
    assert values[(Level.SERVICE, other_service.pk, None, APRIL)] == (1, 1, 1.0)
    assert values[(Level.TEAM, None, org.team.pk, APRIL)] == (3, 2, 1.5)
    assert values[(Level.TEAM, None, other_team.pk, APRIL)] == (1, 1, 1.0)
    assert values[(Level.TEAM, None, third_team.pk, APRIL)] == (1, 1, 1.0)


def test_unallocated_cases(org):
    worker = org.worker()
    for _ in range(4):
        org.case(worker=worker)
    org.case()
    org.case(closed_on=D(2026, 4, 15))  # closed before the month's end
    org.adopter_case()  # an adopter's case is a case too
    org.case(opened_on=D(2026, 5, 2))  # opened in May

    assert org_value("unallocated-cases", org) == (2, 6, 33.3333)
    # In May the figure is read on the 15th: the case opened on the 2nd is open then.
    assert org_value("unallocated-cases", org, MAY) == (3, 7, 42.8571)


# KPQ 5: visits


def test_visits_in_timescale_by_service(org):
    cp = org.case()  # child protection: 10 working days
    visit(cp, D(2026, 3, 27))
    visit(cp, D(2026, 4, 14))  # 10 working days over Easter: in time
    visit(cp, D(2026, 4, 29))  # 11: late
    cin = org.case(team=org.add_team(org.add_service(Service.Kind.CHILD_IN_NEED)))
    visit(cin, D(2026, 3, 16))
    visit(cin, D(2026, 4, 15))  # 20 working days: in time
    looked_after = org.add_team(org.add_service(Service.Kind.LOOKED_AFTER))
    in_time = org.case(team=looked_after)  # looked after: 42 days
    visit(in_time, D(2026, 3, 1))
    visit(in_time, D(2026, 4, 12))  # 42 days
    late = org.case(team=looked_after)
    visit(late, D(2026, 2, 28))
    visit(late, D(2026, 4, 12))  # 43 days
    leaver = org.case(team=org.add_team(org.add_service(Service.Kind.CARE_LEAVERS)))
    visit(leaver, D(2026, 2, 15))
    visit(leaver, D(2026, 4, 12))  # 56 days
    front_door = org.case(team=org.add_team(org.add_service(Service.Kind.FRONT_DOOR)))
    visit(front_door, D(2026, 4, 1))
    visit(front_door, D(2026, 4, 28))  # no visiting timescale: left out
    visit(org.case(), D(2026, 4, 2))  # a first visit: nothing to measure from

    assert org_value("visits-in-timescale", org) == (4, 6, 66.6667)
    gaps = sorted((f.measure, f.counted) for f in facts("visits-in-timescale", org))
    assert gaps == [(10, True), (11, False), (20, True), (42, True), (43, False), (56, True)]


def test_visits_in_timescale_looks_back_before_the_window(org):
    case = org.case()
    visit(case, D(2024, 5, 31))  # before the window's first month (June 2024)
    visit(case, D(2024, 6, 3))  # one working day later

    assert org_value("visits-in-timescale", org, D(2024, 6, 1)) == (1, 1, 100.0)


def test_children_seen(org):
    visit(org.case(), D(2026, 4, 1), seen=True)
    visit(org.case(), D(2026, 4, 2), seen=True, alone=True)
    visit(org.case(), D(2026, 4, 7), seen=False)
    visit(org.case(), D(2026, 4, 8), seen=None)  # nothing recorded: not seen
    visit(org.adopter_case(), D(2026, 4, 8))  # no child to see: left out
    visit(org.case(), D(2026, 5, 1))

    assert org_value("children-seen", org) == (2, 4, 50.0)


def test_children_seen_per_team_and_service(org):
    second_team = org.add_team()
    other_service = org.add_service(Service.Kind.CHILD_IN_NEED)
    third_team = org.add_team(other_service)
    for team, seen in [
        (org.team, True),
        (org.team, True),
        (second_team, False),
        (third_team, True),
        (third_team, False),
    ]:
        visit(org.case(team=team), D(2026, 4, 20), seen=seen)

    values = computed("children-seen", org)
    assert values[(Level.ORGANISATION, None, None, APRIL)] == (3, 5, 60.0)
    assert values[(Level.SERVICE, org.service.pk, None, APRIL)] == (2, 3, 66.6667)
    assert values[(Level.SERVICE, other_service.pk, None, APRIL)] == (1, 2, 50.0)
    assert values[(Level.TEAM, None, org.team.pk, APRIL)] == (2, 2, 100.0)
    assert values[(Level.TEAM, None, second_team.pk, APRIL)] == (0, 1, 0.0)
    assert values[(Level.TEAM, None, third_team.pk, APRIL)] == (1, 2, 50.0)
    # Teams and services with nothing that month have no value at all.
    assert (Level.TEAM, org.service.pk, org.team.pk, MAY) not in values


def test_children_seen_alone(org):
    visit(org.case(), D(2026, 4, 1), seen=True, alone=True)
    visit(org.case(), D(2026, 4, 2), seen=True, alone=False)
    visit(org.case(), D(2026, 4, 7), seen=True, alone=None)
    visit(org.case(), D(2026, 4, 8), seen=False)  # not seen: left out

    assert org_value("children-seen-alone", org) == (1, 3, 33.3333)


# KPQ 10: supervision and recording


def test_supervision_within_six_weeks(org):
    # 30 April less 42 days is 19 March.
    case = org.case(opened_on=D(2026, 1, 1))
    event(case, Kind.SUPERVISION, D(2026, 3, 20))  # 41 days before: in time
    case = org.case(opened_on=D(2026, 1, 1))
    event(case, Kind.SUPERVISION, D(2026, 3, 19))  # 42 days before: in time
    case = org.case(opened_on=D(2026, 1, 1))
    event(case, Kind.SUPERVISION, D(2026, 3, 18))  # 43 days before: late
    event(case, Kind.SUPERVISION, D(2026, 5, 1))  # after the month's end
    org.case(opened_on=D(2026, 1, 1))  # never supervised
    # Open exactly six weeks and supervised on the day it opened.
    case = org.case(opened_on=D(2026, 3, 19))
    event(case, Kind.SUPERVISION, D(2026, 3, 19))
    org.case(opened_on=D(2026, 3, 20))  # open less than six weeks: left out

    assert org_value("supervision-in-timescale", org) == (3, 5, 60.0)


def test_recorded_within_two_working_days(org):
    case = org.case()
    event(case, Kind.REFERRAL, D(2026, 4, 1))  # the same day
    # Thursday 2nd to Wednesday 8th over Easter: 2 working days.
    visit(case, D(2026, 4, 2), recorded_on=D(2026, 4, 8))
    event(case, Kind.ASSESSMENT_STARTED, D(2026, 4, 2), recorded_on=D(2026, 4, 9))  # 3
    # Thursday 30 April to Tuesday 5 May, over the May Day bank holiday: 2.
    event(case, Kind.SUPERVISION, D(2026, 4, 30), recorded_on=D(2026, 5, 5))
    event(case, Kind.REFERRAL, D(2026, 3, 31), recorded_on=D(2026, 4, 30))  # March

    assert org_value("recorded-within-2-days", org) == (3, 4, 75.0)
    measures = sorted(f.measure for f in facts("recorded-within-2-days", org))
    assert measures == [0, 2, 2, 3]
