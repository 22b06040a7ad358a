"""The child's journey indicators (KPQs 1, 2, 3, 6 and 7), worked out by hand.

Figures are read on Friday 15 May 2026 for April 2026 unless a test says otherwise.
In April 2026 Good Friday (3rd) and Easter Monday (6th) are bank holidays, so Thursday
2 April to Tuesday 7 April is one working day.
"""

from __future__ import annotations

import pytest

from tests.performance.indicator_builders import (
    APRIL,
    MARCH,
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


# KPQ 1: referrals


def test_referrals_counts_the_months_referrals(org):
    for on in (D(2026, 4, 1), D(2026, 4, 15), D(2026, 4, 30)):
        event(org.case(), Kind.REFERRAL, on)
    event(org.case(), Kind.REFERRAL, D(2026, 3, 31))
    event(org.case(), Kind.REFERRAL, D(2026, 5, 1))
    event(org.case(), Kind.ASSESSMENT_STARTED, D(2026, 4, 2))
    event(Org.build().case(), Kind.REFERRAL, D(2026, 4, 2))  # another organisation's

    assert org_value("referrals", org) == (3, None, 3.0)
    assert org_value("referrals", org, MARCH) == (1, None, 1.0)


def _referral(org: Org, on, assessment_on=None) -> None:
    case = org.case()
    event(case, Kind.REFERRAL, on)
    if assessment_on:
        event(case, Kind.ASSESSMENT_STARTED, assessment_on)


def test_referral_decision_within_one_working_day(org):
    _referral(org, D(2026, 4, 1), D(2026, 4, 1))  # the same day: 0
    _referral(org, D(2026, 4, 2), D(2026, 4, 7))  # over Easter: 1 working day
    _referral(org, D(2026, 4, 17), D(2026, 4, 20))  # Friday to Monday: 1
    _referral(org, D(2026, 4, 8), D(2026, 4, 10))  # 2 working days: late
    _referral(org, D(2026, 4, 13))  # never started
    # An assessment started before the referral does not answer it.
    case = org.case()
    event(case, Kind.ASSESSMENT_STARTED, D(2026, 4, 20))
    event(case, Kind.REFERRAL, D(2026, 4, 21))

    assert org_value("referral-decision-1-day", org) == (3, 6, 50.0)
    measures = sorted(f.measure for f in facts("referral-decision-1-day", org) if f.counted)
    assert measures == [0, 1, 1]


def test_referral_decision_leaves_out_referrals_still_within_their_day(org):
    _referral(org, D(2026, 5, 13))  # two working days to Friday 15th: late
    _referral(org, D(2026, 5, 14))  # one working day: still within its day
    _referral(org, D(2026, 5, 15))  # today
    _referral(org, D(2026, 5, 14), D(2026, 5, 15))  # started in time

    assert org_value("referral-decision-1-day", org, MAY) == (1, 2, 50.0)
    # A day later the referral of the 14th has had its day.
    assert org_value("referral-decision-1-day", org, MAY, D(2026, 5, 18)) == (1, 3, 33.3333)


def test_re_referrals_within_12_months(org):
    again = org.child()
    event(org.case(child=again), Kind.REFERRAL, D(2025, 4, 10))
    event(org.case(child=again), Kind.REFERRAL, D(2026, 4, 10))  # exactly 12 months: counted
    older = org.child()
    event(org.case(child=older), Kind.REFERRAL, D(2025, 4, 9))
    event(org.case(child=older), Kind.REFERRAL, D(2026, 4, 10))  # a day more: not counted
    twice = org.child()
    event(org.case(child=twice), Kind.REFERRAL, D(2026, 4, 2))  # first: not counted
    event(org.case(child=twice), Kind.REFERRAL, D(2026, 4, 20))  # counted
    event(org.case(), Kind.REFERRAL, D(2026, 4, 20))  # first ever

    assert org_value("re-referrals-12-months", org) == (2, 5, 40.0)


def test_seen_within_five_working_days(org):
    case = org.case()
    event(case, Kind.REFERRAL, D(2026, 4, 1))
    visit(case, D(2026, 4, 10))  # 5 working days over Easter: in time
    case = org.case()
    event(case, Kind.REFERRAL, D(2026, 4, 1))
    visit(case, D(2026, 4, 13))  # 6 working days: late
    case = org.case()
    event(case, Kind.REFERRAL, D(2026, 4, 1))
    visit(case, D(2026, 4, 2), seen=False)  # a visit that did not see the child
    case = org.case()
    event(case, Kind.REFERRAL, D(2026, 4, 14))
    visit(case, D(2026, 4, 14), alone=True)  # the same day
    visit(org.case(), D(2026, 4, 14))  # a visit with no referral

    assert org_value("seen-within-5-days", org) == (2, 4, 50.0)
    assert sorted(f.measure for f in facts("seen-within-5-days", org) if f.counted) == [0, 5]


def test_seen_within_five_days_leaves_out_referrals_still_inside_them(org):
    event(org.case(), Kind.REFERRAL, D(2026, 5, 7))  # 6 working days to the 15th: late
    event(org.case(), Kind.REFERRAL, D(2026, 5, 8))  # 5: still inside
    event(org.case(), Kind.REFERRAL, D(2026, 5, 11))  # 4: still inside
    case = org.case()
    event(case, Kind.REFERRAL, D(2026, 5, 12))
    visit(case, D(2026, 5, 13))

    assert org_value("seen-within-5-days", org, MAY) == (1, 2, 50.0)


# KPQ 2: assessments


def _assessment(org: Org, started, completed) -> None:
    case = org.case()
    if started:
        event(case, Kind.ASSESSMENT_STARTED, started)
    event(case, Kind.ASSESSMENT_COMPLETED, completed)


@pytest.fixture
def assessments(org) -> Org:
    # Monday 16 February to Wednesday 22 April is 45 working days with the two Easter
    # bank holidays left out (47 if they were counted); the 23rd is 46.
    _assessment(org, D(2026, 2, 16), D(2026, 4, 22))
    _assessment(org, D(2026, 2, 16), D(2026, 4, 23))
    _assessment(org, D(2026, 4, 1), D(2026, 4, 1))  # 0 working days
    _assessment(org, None, D(2026, 4, 10))  # never started: left out
    # Two starts on one case: the later one is the start of the assessment completed.
    case = org.case()
    event(case, Kind.ASSESSMENT_STARTED, D(2026, 1, 5))
    event(case, Kind.ASSESSMENT_STARTED, D(2026, 4, 1))
    event(case, Kind.ASSESSMENT_COMPLETED, D(2026, 4, 10))  # 5 working days
    _assessment(org, D(2026, 3, 2), D(2026, 3, 20))  # March
    return org


def test_assessments_completed(assessments):
    assert org_value("assessments-completed", assessments) == (5, None, 5.0)
    assert org_value("assessments-completed", assessments, MARCH) == (1, None, 1.0)


def test_assessments_within_45_working_days(assessments):
    assert org_value("assessments-45-days", assessments) == (3, 4, 75.0)
    counted = {f.measure: f.counted for f in facts("assessments-45-days", assessments)}
    assert counted == {45: True, 46: False, 0: True, 5: True}


def test_assessment_working_days_is_the_mean(assessments):
    # (45 + 46 + 0 + 5) / 4
    assert org_value("assessment-working-days", assessments) == (96, 4, 24.0)
    # March: 2nd to 20th is 14 working days.
    assert org_value("assessment-working-days", assessments, MARCH) == (14, 1, 14.0)


# KPQ 3: child protection


def test_s47_enquiries_started(org):
    event(org.case(), Kind.S47_STARTED, D(2026, 4, 1))
    event(org.case(), Kind.S47_STARTED, D(2026, 4, 30))
    event(org.case(), Kind.S47_COMPLETED, D(2026, 4, 30))
    event(org.case(), Kind.S47_STARTED, D(2026, 3, 31))

    assert org_value("s47-enquiries", org) == (2, None, 2.0)


def test_strategy_to_s47_working_days(org):
    case = org.case()
    event(case, Kind.STRATEGY_DISCUSSION, D(2026, 4, 2))
    event(case, Kind.S47_COMPLETED, D(2026, 4, 14))  # 7-10, 13, 14: 6 working days
    case = org.case()
    event(case, Kind.STRATEGY_DISCUSSION, D(2026, 4, 13))
    event(case, Kind.S47_COMPLETED, D(2026, 4, 20))  # 5 working days
    event(org.case(), Kind.S47_COMPLETED, D(2026, 4, 20))  # no strategy discussion

    assert org_value("strategy-to-s47-days", org) == (11, 2, 5.5)


def test_icpc_within_15_working_days(org):
    # Friday 20 March to Tuesday 14 April is 15 working days over Easter.
    case = org.case()
    event(case, Kind.STRATEGY_DISCUSSION, D(2026, 3, 20))
    event(case, Kind.ICPC, D(2026, 4, 14))
    case = org.case()
    event(case, Kind.STRATEGY_DISCUSSION, D(2026, 3, 20))
    event(case, Kind.ICPC, D(2026, 4, 15))  # 16
    event(org.case(), Kind.ICPC, D(2026, 4, 15))  # no strategy discussion: left out

    assert org_value("icpc-15-days", org) == (1, 2, 50.0)
    assert sorted(f.measure for f in facts("icpc-15-days", org)) == [15, 16]


def _enquiry(org: Org, completed, icpc=None) -> None:
    case = org.case()
    event(case, Kind.S47_COMPLETED, completed)
    if icpc:
        event(case, Kind.ICPC, icpc)


def test_s47_to_icpc_within_30_working_days(org):
    # Monday 2 March to Wednesday 15 April is 30 working days over Easter.
    _enquiry(org, D(2026, 3, 2), D(2026, 4, 15))
    _enquiry(org, D(2026, 3, 2), D(2026, 4, 16))  # 31: too late
    _enquiry(org, D(2026, 3, 2))  # no conference, and its 30 days have passed
    _enquiry(org, D(2026, 4, 1), D(2026, 4, 1))  # the same day
    _enquiry(org, D(2026, 4, 1))  # 29 working days to 15 May: still inside
    _enquiry(org, D(2026, 4, 20))  # 18: still inside

    assert org_value("s47-to-icpc", org, MARCH) == (1, 3, 33.3333)
    assert org_value("s47-to-icpc", org) == (1, 1, 100.0)
    # 1 April to Monday 18 May is exactly 30 working days; the 19th is 31.
    assert org_value("s47-to-icpc", org, APRIL, D(2026, 5, 18)) == (1, 1, 100.0)
    assert org_value("s47-to-icpc", org, APRIL, D(2026, 5, 19)) == (1, 2, 50.0)


def test_cp_plans_for_a_second_time(org):
    before = org.child()
    event(org.case(child=before), Kind.CP_PLAN_STARTED, D(2020, 3, 1))
    event(org.case(child=before), Kind.CP_PLAN_ENDED, D(2021, 3, 1))
    event(org.case(child=before), Kind.CP_PLAN_STARTED, D(2026, 4, 10))
    event(org.case(), Kind.CP_PLAN_STARTED, D(2026, 4, 10))

    assert org_value("cp-plans-second-time", org) == (1, 2, 50.0)


def _plan(org: Org, started, ended) -> None:
    child = org.child()
    case = org.case(child=child)
    event(case, Kind.CP_PLAN_STARTED, started)
    event(case, Kind.CP_PLAN_ENDED, ended)


def test_cp_plans_lasting_two_years(org):
    _plan(org, D(2024, 4, 10), D(2026, 4, 10))  # 730 days: counted
    _plan(org, D(2024, 4, 11), D(2026, 4, 10))  # 729 days
    _plan(org, D(2026, 1, 1), D(2026, 4, 30))
    event(org.case(), Kind.CP_PLAN_ENDED, D(2026, 4, 30))  # no start: left out

    assert org_value("cp-plans-2-years", org) == (1, 3, 33.3333)
    assert sorted(f.measure for f in facts("cp-plans-2-years", org)) == [119, 729, 730]


# KPQ 6: abuse types


@pytest.fixture
def conferences(org) -> Org:
    for outcome in (
        "Child protection plan: neglect",
        "Child protection plan: Emotional abuse",
        "Child protection plan: physical abuse",
        "Child protection plan: sexual abuse",
        "Child protection plan: neglect and emotional abuse",  # multiple
        "No plan",  # no category: left out
    ):
        event(org.case(), Kind.ICPC, D(2026, 4, 14), outcome=outcome)
    event(org.case(), Kind.ICPC, D(2026, 3, 14), outcome="Child protection plan: neglect")
    return org


def test_cp_category_neglect(conferences):
    assert org_value("cp-category-neglect", conferences) == (1, 5, 20.0)
    assert org_value("cp-category-neglect", conferences, MARCH) == (1, 1, 100.0)


def test_cp_category_emotional(conferences):
    assert org_value("cp-category-emotional", conferences) == (1, 5, 20.0)


def test_cp_category_physical_or_sexual(conferences):
    assert org_value("cp-category-physical-sexual", conferences) == (2, 5, 40.0)


# KPQ 7: care proceedings


@pytest.fixture
def proceedings(org) -> Org:
    for issued in (D(2025, 10, 1), D(2025, 9, 30)):  # 182 days (26 weeks) and 183 to 1 April
        case = org.case()
        event(case, Kind.CARE_PROCEEDINGS_ISSUED, issued)
        event(case, Kind.CARE_PROCEEDINGS_CONCLUDED, D(2026, 4, 1))
    event(org.case(), Kind.CARE_PROCEEDINGS_CONCLUDED, D(2026, 4, 1))  # never issued
    return org


def test_care_proceedings_within_26_weeks(proceedings):
    assert org_value("care-proceedings-26-weeks", proceedings) == (1, 2, 50.0)
    counted = {f.measure: f.counted for f in facts("care-proceedings-26-weeks", proceedings)}
    assert counted == {182: True, 183: False}


def test_care_proceedings_days_is_the_mean(proceedings):
    assert org_value("care-proceedings-days", proceedings) == (365, 2, 182.5)


def test_figures_are_read_on_as_of_and_the_window_ends_with_its_month(org):
    event(org.case(), Kind.REFERRAL, D(2026, 4, 1))
    values = computed("referrals", org)
    months = sorted(month for level, _, _, month in values if level == Level.ORGANISATION)
    assert len(months) == 24
    assert (months[0], months[-1]) == (D(2024, 6, 1), MAY)
    # A month with nothing in it still has its organisation value.
    assert values[(Level.ORGANISATION, None, None, MAY)] == (0, None, 0.0)
    assert values[(Level.TEAM, None, org.team.pk, APRIL)] == (1, None, 1.0)
