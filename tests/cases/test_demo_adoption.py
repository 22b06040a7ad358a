"""The adoption agency's demo households (cases/demo/adoption.py): most journeys are still
under way today, and the settled few give the last year families who adopted and
families whose adoption support ended (the exit and adoption support questionnaires
follow from them)."""

from __future__ import annotations

import datetime

from cases.demo import adoption
from cases.demo.spec import SUPPORT
from cases.demo.timeline import Quality

TODAY = datetime.date(2026, 11, 18)
YEAR_AGO = TODAY - datetime.timedelta(days=365)
HOUSEHOLDS = 60


def _plans() -> list[adoption.AdopterPlan]:
    return [
        adoption.plan_adopter(
            prefix="T", n=n, seed=f"test:adopter:{n}", today=TODAY, quality=Quality()
        )
        for n in range(1, HOUSEHOLDS + 1)
    ]


def _in_last_year(day: datetime.date | None) -> bool:
    return day is not None and YEAR_AGO <= day <= TODAY - datetime.timedelta(days=14)


def test_the_settled_households_adopt_in_the_last_year():
    plans = _plans()
    settled = [p for n, p in enumerate(plans, start=1) if n % adoption.SETTLED_EVERY == 0]
    assert len(settled) == HOUSEHOLDS // adoption.SETTLED_EVERY
    for plan in settled:
        assert _in_last_year(plan.placement["order"])
        order = plan.placement["order"]
        events = [e for case in plan.cases for e in case.events]
        assert any(e.kind == "adoption_order" and e.occurred_on == order for e in events)
        assert all(e.occurred_on <= TODAY for e in events)


def test_the_other_settled_households_adoption_support_ends_in_the_last_year():
    plans = _plans()
    half = adoption.SETTLED_EVERY // 2
    settled = [p for n, p in enumerate(plans, start=1) if n % adoption.SETTLED_EVERY == half]
    assert len(settled) == HOUSEHOLDS // adoption.SETTLED_EVERY
    for plan in settled:
        support = [c for c in plan.cases if c.service == SUPPORT]
        assert len(support) == 1
        assert _in_last_year(support[0].closed_on)
        assert support[0].opened_on == plan.placement["order"]


def test_most_households_are_still_on_their_way_and_two_plans_agree():
    plans = _plans()
    under_way = [p for p in plans if not p.placement or p.placement["order"] > TODAY]
    assert len(under_way) > HOUSEHOLDS // 2
    assert [p.cases for p in plans] == [p.cases for p in _plans()]
