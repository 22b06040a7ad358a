"""Children in care, adoption and care leavers: Key Performance Questions 8 and 9."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from core.months import add_months
from performance.indicators.base import Fact, Indicator, Kind, Oba, Polarity
from performance.indicators.helpers import (
    between,
    counted,
    in_window,
    last_on_or_before,
    month_ends,
    paired,
)
from performance.indicators.source import Event, Source


def _days_since(start_kind: str, end_kind: str, label: str):
    """For each `end_kind` event of a child in the window, the days since the latest
    `start_kind` event of the same child before it."""

    def facts(src: Source) -> Iterator[Fact]:
        for start, end in paired(src, start_kind, end_kind, by="child"):
            days = (end.occurred_on - start.occurred_on).days
            yield end.fact(
                measure=days, note=f"{days} days from {label} {start.occurred_on:%d %b %Y}"
            )

    return facts


def in_care_on(src: Source) -> dict[int, list[tuple[Event, datetime.date | None]]]:
    """Each child's periods of care: (the event they became looked after, the day they
    ceased, or None while still looked after). A child who ceased and started again on
    the same day (a new case) is in the new period: that day's ceasing of another case
    ends the old one."""
    ceased = src.by_child("ceased_looked_after")
    periods: dict[int, list[tuple[Event, datetime.date | None]]] = {}
    for start in src.events("became_looked_after"):
        if start.child_id is None:
            continue
        day = start.occurred_on
        after = [
            e
            for e in ceased.get(start.child_id, [])
            if e.occurred_on > day or (e.occurred_on == day and e.case_id == start.case_id)
        ]
        periods.setdefault(start.child_id, []).append(
            (start, after[0].occurred_on if after else None)
        )
    return periods


def _current_period(
    periods: list[tuple[Event, datetime.date | None]], day: datetime.date
) -> Event | None:
    for start, ended in reversed(periods):
        if start.occurred_on <= day and (ended is None or ended > day):
            return start
    return None


def placement_moves(src: Source) -> Iterator[Fact]:
    """Each child looked after at the month's end, counted with three or more placements
    started in the 12 months to then."""
    placements = src.by_child("placement_started")
    periods = in_care_on(src)
    for month, day in month_ends(src.window, src.window.today):
        year_before = add_months(day, -12)
        for child, child_periods in periods.items():
            start = _current_period(child_periods, day)
            if start is None:
                continue
            moves = len(between(placements.get(child, []), year_before, day))
            yield start.fact(
                month_of=month, counted=moves >= 3, measure=moves, note=f"{moves} placements"
            )


def placement_stability(src: Source) -> Iterator[Fact]:
    """Children under 16 looked after for two and a half years or more at the month's
    end, counted when their current placement has lasted two years or more."""
    placements = src.by_child("placement_started")
    periods = in_care_on(src)
    born = src.birthdays
    for month, day in month_ends(src.window, src.window.today):
        for child, child_periods in periods.items():
            start = _current_period(child_periods, day)
            dob = born.get(child)
            if start is None or dob is None or add_months(dob, 16 * 12) <= day:
                continue
            if (day - start.occurred_on).days < 913:
                continue
            current = last_on_or_before(placements.get(child, []), day)
            years = (day - current.occurred_on).days if current else 0
            yield start.fact(
                month_of=month,
                counted=years >= 730,
                note=f"Current placement since {current.occurred_on:%d %b %Y}"
                if current
                else "No placement recorded",
            )


def missing_children(src: Source) -> Iterator[Fact]:
    """Each child missing from home or care at least once in the month (once a month)."""
    seen: set[tuple[int, datetime.date]] = set()
    for event in in_window(src.events("missing_episode"), src.window):
        key = (event.child_id, event.occurred_on.replace(day=1))
        if event.child_id is None or key in seen:
            continue
        seen.add(key)
        yield event.fact(note=f"First missing {event.occurred_on:%d %b %Y}")


INDICATORS = [
    Indicator(
        slug="became-looked-after",
        name="Children who became looked after",
        definition="Children who started a period of care in the month.",
        numerator="Periods of care started in the month",
        denominator="",
        kind=Kind.COUNT,
        unit="children",
        polarity=Polarity.NEITHER,
        kpq=8,
        oba=Oba.HOW_MUCH,
        stage="looked_after",
        facts=counted("became_looked_after", "child"),
    ),
    Indicator(
        slug="early-tracking-referrals",
        name="Children referred for adoption early tracking",
        definition="Children referred to the adoption agency for early tracking in the month: "
        "a lead indicator of children who may need adoptive families.",
        numerator="Early tracking referrals in the month",
        denominator="",
        kind=Kind.COUNT,
        unit="children",
        polarity=Polarity.NEITHER,
        kpq=8,
        oba=Oba.HOW_MUCH,
        stage="early_tracking",
        facts=counted("early_tracking", "child"),
    ),
    Indicator(
        slug="care-to-adoptive-placement-days",
        name="Entering care to moving in with adopters",
        definition="The mean number of days from becoming looked after to being placed for "
        "adoption, for children placed for adoption in the month (adoption scorecard A1).",
        numerator="Days from entering care for every child placed in the month, added up",
        denominator="Children placed for adoption in the month",
        kind=Kind.AVERAGE,
        unit="days",
        polarity=Polarity.LOWER,
        kpq=8,
        oba=Oba.HOW_WELL,
        stage="placed",
        facts=_days_since("became_looked_after", "placed_for_adoption", "entering care"),
    ),
    Indicator(
        slug="placement-order-to-match-days",
        name="Placement order to match",
        definition="The mean number of days from the placement order to the match with "
        "adopters, for children matched in the month (adoption scorecard A2).",
        numerator="Days from placement order for every child matched in the month, added up",
        denominator="Children matched in the month",
        kind=Kind.AVERAGE,
        unit="days",
        polarity=Polarity.LOWER,
        kpq=8,
        oba=Oba.HOW_WELL,
        stage="matched",
        facts=_days_since("placement_order", "matched", "placement order"),
    ),
    Indicator(
        slug="children-adopted",
        name="Children adopted",
        definition="Children for whom an adoption order was granted in the month.",
        numerator="Adoption orders granted in the month",
        denominator="",
        kind=Kind.COUNT,
        unit="children",
        polarity=Polarity.NEITHER,
        kpq=8,
        oba=Oba.BETTER_OFF,
        stage="adopted",
        facts=counted("adoption_order", "child"),
    ),
    Indicator(
        slug="three-plus-placements",
        name="Children looked after with three or more placements in the year",
        definition="Children looked after at the end of the month who started three or more "
        "placements in the 12 months to then.",
        numerator="Children with three or more placements in the 12 months",
        denominator="Children looked after at the end of the month",
        kind=Kind.PERCENTAGE,
        unit="%",
        polarity=Polarity.LOWER,
        kpq=9,
        oba=Oba.BETTER_OFF,
        stage="looked_after",
        facts=placement_moves,
    ),
    Indicator(
        slug="placement-stability-2-years",
        name="Long-term placement stability",
        definition="Children under 16 looked after for two and a half years or more at the "
        "end of the month who have been in the same placement for two years or more.",
        numerator="Those in the same placement for two years or more",
        denominator="Children under 16 looked after for two and a half years or more",
        kind=Kind.PERCENTAGE,
        unit="%",
        polarity=Polarity.HIGHER,
        kpq=9,
        oba=Oba.BETTER_OFF,
        stage="looked_after",
        facts=placement_stability,
    ),
    Indicator(
        slug="children-missing",
        name="Children missing from home or care",
        definition="Children with at least one missing episode in the month.",
        numerator="Children missing at least once in the month",
        denominator="",
        kind=Kind.COUNT,
        unit="children",
        polarity=Polarity.LOWER,
        kpq=9,
        oba=Oba.BETTER_OFF,
        stage="looked_after",
        facts=missing_children,
    ),
]
