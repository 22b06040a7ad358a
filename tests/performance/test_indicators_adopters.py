"""The adopter's journey (kpq 11), worked out by hand.

Figures are read on Friday 15 May 2026 for April 2026 unless a test says otherwise.
"Within N months" ends on the same day N months later, kept within the month: two
months from 31 December is the end of February (28th, or 29th in a leap year).
"""

from __future__ import annotations

import pytest

from cases.models import Service
from core.months import add_months
from tests.performance.indicator_builders import MAY, D, Kind, Org, event, facts, org_value

pytestmark = pytest.mark.django_db

FEBRUARY = D(2026, 2, 1)
MARCH = D(2026, 3, 1)


@pytest.fixture
def org() -> Org:
    return Org.build(Service.Kind.ADOPTION_RECRUITMENT)


def test_months_are_kept_within_the_month():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2025, 12, 31), 2) == D(2026, 2, 28)
    assert add_months(D(2026, 3, 31), -1) == D(2026, 2, 28)
    assert add_months(D(2025, 4, 10), 12) == D(2026, 4, 10)


def test_adopter_enquiries(org):
    event(org.adopter_case(), Kind.ENQUIRY, D(2026, 4, 1))
    event(org.adopter_case(), Kind.ENQUIRY, D(2026, 4, 30))
    event(org.adopter_case(), Kind.ENQUIRY, D(2026, 5, 1))
    event(org.case(), Kind.ENQUIRY, D(2026, 4, 2))  # on a child's case: left out

    assert org_value("adopter-enquiries", org) == (2, None, 2.0)
    assert org_value("adopter-enquiries", org, MAY) == (1, None, 1.0)


def _enquiry(org: Org, on=MARCH, closed_on=None, **later):
    case = org.adopter_case(opened_on=on, closed_on=closed_on)
    event(case, Kind.ENQUIRY, on)
    for kind, day in later.items():
        event(case, kind, day)
    return case


def test_enquiries_waiting_at_the_months_end(org):
    _enquiry(org)  # waiting
    _enquiry(org, stage_one_started=D(2026, 4, 30))  # started on the last day
    _enquiry(org, stage_one_started=D(2026, 5, 1))  # waiting at the end of April
    _enquiry(org, withdrawn=D(2026, 4, 15))
    _enquiry(org, closed_on=D(2026, 4, 30))  # closed: not waiting
    _enquiry(org, on=D(2026, 5, 1))  # not yet made

    assert org_value("enquiries-waiting", org) == (2, None, 2.0)
    assert [f.measure for f in facts("enquiries-waiting", org)] == [60, 60]
    # In May, read on the 15th: the first, and the one made on the 1st (14 days).
    assert org_value("enquiries-waiting", org, MAY) == (2, None, 2.0)
    assert sorted(f.measure for f in facts("enquiries-waiting", org, MAY)) == [14, 75]


def _stage(org: Org, kind: str, started, completed) -> None:
    case = org.adopter_case()
    event(case, f"{kind}_started", started)
    event(case, f"{kind}_completed", completed)


def test_stage_one_within_two_months(org):
    _stage(org, "stage_one", D(2025, 12, 31), D(2026, 2, 28))  # the end of February
    _stage(org, "stage_one", D(2025, 11, 30), D(2026, 2, 2))  # due 30 January
    _stage(org, "stage_one", D(2026, 1, 1), D(2026, 2, 1))
    _stage(org, "stage_one", D(2025, 12, 31), D(2026, 3, 1))  # a day late
    _stage(org, "stage_one", D(2026, 1, 1), D(2026, 3, 1))  # exactly two months

    assert org_value("stage-one-2-months", org, FEBRUARY) == (2, 3, 66.6667)
    assert org_value("stage-one-2-months", org, MARCH) == (1, 2, 50.0)


def test_stage_one_within_two_months_in_a_leap_year(org):
    _stage(org, "stage_one", D(2023, 12, 31), D(2024, 2, 29))

    assert org_value("stage-one-2-months", org, D(2024, 2, 1), D(2024, 3, 15)) == (1, 1, 100.0)


def test_stage_two_within_four_months(org):
    _stage(org, "stage_two", D(2025, 10, 31), D(2026, 2, 28))  # due the end of February
    _stage(org, "stage_two", D(2025, 10, 31), D(2026, 3, 1))
    _stage(org, "stage_two", D(2025, 11, 2), D(2026, 3, 2))  # exactly four months
    _stage(org, "stage_two", D(2025, 11, 1), D(2026, 3, 2))  # a day late
    event(org.adopter_case(), Kind.STAGE_TWO_COMPLETED, D(2026, 3, 2))  # never started

    assert org_value("stage-two-4-months", org, FEBRUARY) == (1, 1, 100.0)
    assert org_value("stage-two-4-months", org, MARCH) == (1, 3, 33.3333)
    assert sorted(f.measure for f in facts("stage-two-4-months", org, MARCH)) == [120, 121, 121]


def test_adopters_approved(org):
    event(org.adopter_case(), Kind.APPROVAL, D(2026, 4, 1))
    event(org.adopter_case(), Kind.APPROVAL, D(2026, 4, 30))
    event(org.adopter_case(), Kind.APPROVAL, D(2026, 3, 31))
    event(org.case(), Kind.APPROVAL, D(2026, 4, 2))  # on a child's case: left out

    assert org_value("adopters-approved", org) == (2, None, 2.0)


def test_approval_to_match_days(org):
    case = org.adopter_case()
    event(case, Kind.APPROVAL, D(2026, 1, 1))
    event(case, Kind.MATCHED, D(2026, 4, 1))  # 90 days
    case = org.adopter_case()
    event(case, Kind.APPROVAL, D(2026, 3, 1))
    event(case, Kind.MATCHED, D(2026, 4, 30))  # 60 days
    event(org.adopter_case(), Kind.MATCHED, D(2026, 4, 30))  # never approved: left out
    case = org.case()
    event(case, Kind.APPROVAL, D(2026, 3, 1))
    event(case, Kind.MATCHED, D(2026, 4, 30))  # the child's side: left out

    assert org_value("approval-to-match-days", org) == (150, 2, 75.0)
