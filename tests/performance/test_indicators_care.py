"""Children in care, adoption and care leavers (KPQs 8 and 9), worked out by hand.

Figures are read on Friday 15 May 2026 for April 2026, whose last day is Thursday 30th.
"""

from __future__ import annotations

import pytest

from cases.models import Service
from tests.performance.indicator_builders import (
    DOB,
    MARCH,
    MAY,
    D,
    Kind,
    Org,
    event,
    facts,
    org_value,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def org() -> Org:
    return Org.build(Service.Kind.LOOKED_AFTER)


def test_became_looked_after(org):
    event(org.case(), Kind.BECAME_LOOKED_AFTER, D(2026, 4, 1))
    event(org.case(), Kind.BECAME_LOOKED_AFTER, D(2026, 4, 30))
    event(org.case(), Kind.BECAME_LOOKED_AFTER, D(2026, 3, 31))
    event(org.case(), Kind.CEASED_LOOKED_AFTER, D(2026, 4, 15))

    assert org_value("became-looked-after", org) == (2, None, 2.0)
    assert org_value("became-looked-after", org, MARCH) == (1, None, 1.0)


def test_early_tracking_referrals(org):
    event(org.case(), Kind.EARLY_TRACKING, D(2026, 4, 9))
    event(org.case(), Kind.EARLY_TRACKING, D(2026, 5, 1))
    event(org.adopter_case(), Kind.EARLY_TRACKING, D(2026, 4, 9))  # no child: left out

    assert org_value("early-tracking-referrals", org) == (1, None, 1.0)
    assert org_value("early-tracking-referrals", org, MAY) == (1, None, 1.0)


def test_care_to_adoptive_placement_days(org):
    case = org.case()
    event(case, Kind.BECAME_LOOKED_AFTER, D(2025, 1, 1))
    event(case, Kind.PLACED_FOR_ADOPTION, D(2026, 4, 1))  # 365 + 90 = 455 days
    # Two periods of care: days are counted from the start of the latest.
    case = org.case()
    event(case, Kind.BECAME_LOOKED_AFTER, D(2024, 1, 1))
    event(case, Kind.CEASED_LOOKED_AFTER, D(2024, 6, 1))
    event(case, Kind.BECAME_LOOKED_AFTER, D(2025, 10, 1))
    event(case, Kind.PLACED_FOR_ADOPTION, D(2026, 4, 10))  # 191 days
    event(org.case(), Kind.PLACED_FOR_ADOPTION, D(2026, 4, 10))  # never in care: left out
    event(org.adopter_case(), Kind.PLACED_FOR_ADOPTION, D(2026, 4, 10))  # the adopters' side

    assert org_value("care-to-adoptive-placement-days", org) == (646, 2, 323.0)


def test_placement_order_to_match_days(org):
    case = org.case()
    event(case, Kind.PLACEMENT_ORDER, D(2026, 2, 1))
    event(case, Kind.MATCHED, D(2026, 4, 1))  # 59 days
    case = org.case()
    event(case, Kind.PLACEMENT_ORDER, D(2026, 3, 15))
    event(case, Kind.MATCHED, D(2026, 4, 30))  # 46 days
    event(org.adopter_case(), Kind.MATCHED, D(2026, 4, 30))  # the adopters' side
    event(org.case(), Kind.MATCHED, D(2026, 4, 30))  # no placement order: left out

    assert org_value("placement-order-to-match-days", org) == (105, 2, 52.5)


def test_children_adopted(org):
    event(org.case(), Kind.ADOPTION_ORDER, D(2026, 4, 1))
    event(org.case(), Kind.ADOPTION_ORDER, D(2026, 4, 28))
    event(org.adopter_case(), Kind.ADOPTION_ORDER, D(2026, 4, 28))  # the adopters' side

    assert org_value("children-adopted", org) == (2, None, 2.0)


def _in_care(org: Org, since, placements=(), *, ceased=None, date_of_birth=DOB):
    case = org.case(child=org.child(date_of_birth))
    event(case, Kind.BECAME_LOOKED_AFTER, since)
    for on in placements:
        event(case, Kind.PLACEMENT_STARTED, on)
    if ceased:
        event(case, Kind.CEASED_LOOKED_AFTER, ceased)
    return case


def test_three_or_more_placements_in_12_months(org):
    # The 12 months to 30 April 2026 start on 1 May 2025.
    _in_care(org, D(2024, 1, 1), [D(2025, 5, 1), D(2025, 9, 1), D(2026, 4, 1)])  # 3
    _in_care(org, D(2024, 1, 1), [D(2025, 4, 30), D(2025, 9, 1), D(2026, 4, 1)])  # 2
    _in_care(org, D(2024, 1, 1), [D(2025, 6, 1), D(2025, 12, 1), D(2026, 5, 1)])  # 2 by then
    # Ceased on the month's last day: not looked after at its end.
    _in_care(
        org, D(2024, 1, 1), [D(2025, 6, 1), D(2025, 7, 1), D(2025, 8, 1)], ceased=D(2026, 4, 30)
    )
    _in_care(org, D(2026, 5, 1), [D(2026, 5, 1)])  # looked after from May

    assert org_value("three-plus-placements", org) == (1, 3, 33.3333)
    assert sorted(f.measure for f in facts("three-plus-placements", org)) == [2, 2, 3]
    # In May, read on the 15th, the 12 months start on 16 May 2025: the first child's
    # placement of 1 May 2025 drops out and the third child's of 1 May 2026 comes in.
    assert org_value("three-plus-placements", org, MAY) == (1, 4, 25.0)
    assert sorted(f.measure for f in facts("three-plus-placements", org, MAY)) == [1, 2, 2, 3]


def test_three_or_more_placements_counts_the_years_placements_across_periods_of_care(org):
    case = _in_care(org, D(2024, 1, 1), [D(2025, 6, 1)], ceased=D(2025, 12, 1))
    event(case, Kind.BECAME_LOOKED_AFTER, D(2026, 1, 10))
    event(case, Kind.PLACEMENT_STARTED, D(2026, 1, 10))
    event(case, Kind.PLACEMENT_STARTED, D(2026, 3, 1))

    assert org_value("three-plus-placements", org, D(2025, 12, 1)) == (0, 0, None)
    assert org_value("three-plus-placements", org) == (1, 1, 100.0)


def test_placement_stability_two_years(org):
    # 30 October 2023 is 913 days (two and a half years) before 30 April 2026;
    # 30 April 2024 is 730 days (two years) before it.
    _in_care(org, D(2023, 10, 30), [D(2023, 10, 30), D(2024, 4, 30)])  # counted
    _in_care(org, D(2023, 1, 1), [D(2024, 5, 1)])  # current placement 729 days
    _in_care(org, D(2023, 10, 31), [D(2023, 10, 31)])  # in care 912 days: left out
    # Sixteen on 30 April 2026: left out; fifteen until 1 May: in.
    _in_care(org, D(2020, 1, 1), [D(2020, 1, 1)], date_of_birth=D(2010, 4, 30))
    _in_care(org, D(2020, 1, 1), date_of_birth=D(2010, 5, 1))  # no placement recorded
    _in_care(org, D(2020, 1, 1), [D(2020, 1, 1)], date_of_birth=None)  # no birthday: left out

    assert org_value("placement-stability-2-years", org) == (1, 3, 33.3333)
    notes = sorted(f.note for f in facts("placement-stability-2-years", org))
    assert notes == [
        "Current placement since 01 May 2024",
        "Current placement since 30 Apr 2024",
        "No placement recorded",
    ]


def test_children_missing_once_a_month(org):
    child = org.child()
    event(org.case(child=child), Kind.MISSING_EPISODE, D(2026, 4, 3))
    event(org.case(child=child), Kind.MISSING_EPISODE, D(2026, 4, 20))  # the same child
    event(org.case(child=child), Kind.MISSING_EPISODE, D(2026, 5, 2))
    event(org.case(), Kind.MISSING_EPISODE, D(2026, 4, 10))
    event(org.case(), Kind.MISSING_EPISODE, D(2026, 3, 31))

    assert org_value("children-missing", org) == (2, None, 2.0)
    assert org_value("children-missing", org, MAY) == (1, None, 1.0)
    assert org_value("children-missing", org, MARCH) == (1, None, 1.0)
