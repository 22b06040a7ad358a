"""Caseloads, visits and supervision: Key Performance Questions 4, 5 and 10."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from core.dates import working_days_between
from performance.indicators.base import Fact, Indicator, Kind, Oba, Polarity
from performance.indicators.helpers import in_window, last_before, last_on_or_before, month_ends
from performance.indicators.source import CaseRow, Source

# How often children must be visited, by the kind of service holding the case:
# (the longest gap allowed, and whether it is counted in working days or calendar days).
VISIT_TIMESCALES = {
    "child_protection": (10, "working days"),
    "assessment": (20, "working days"),
    "child_in_need": (20, "working days"),
    "looked_after": (42, "days"),
    "care_leavers": (56, "days"),
}
SUPERVISION_DAYS = 42


def open_cases_at_month_ends(src: Source) -> Iterator[tuple[datetime.date, datetime.date, CaseRow]]:
    for month, day in month_ends(src.window, src.window.today):
        for case in src.cases:
            if case.open_on(day):
                yield month, day, case


def caseloads(src: Source) -> Iterator[Fact]:
    """Each open case at the month's end, with its allocated worker (or none)."""
    for month, _, case in open_cases_at_month_ends(src):
        allocated = case.worker_id is not None
        yield case.fact(
            month,
            counted=not allocated,
            note="Allocated" if allocated else "Not allocated to a worker",
        )


def allocated_caseloads(src: Source) -> Iterator[Fact]:
    for fact in caseloads(src):
        if fact.worker_id is not None:
            yield fact


def visit_gaps(src: Source) -> Iterator[Fact]:
    """Each visit after the first on a case, counted when it came within the case's
    visiting timescale of the visit before."""
    kinds = {case.id: case.service_kind for case in src.cases}
    by_case = src.by_case("visit")
    for visit in in_window(src.events("visit"), src.window):
        timescale = VISIT_TIMESCALES.get(kinds.get(visit.case_id, ""))
        previous = last_before(by_case[visit.case_id], visit.occurred_on)
        if timescale is None or previous is None:
            continue
        limit, unit = timescale
        if unit == "working days":
            gap = working_days_between(previous.occurred_on, visit.occurred_on)
        else:
            gap = (visit.occurred_on - previous.occurred_on).days
        yield visit.fact(counted=gap <= limit, measure=gap, note=f"{gap} {unit} (within {limit})")


def visits_seen(src: Source) -> Iterator[Fact]:
    for visit in in_window(src.events("visit"), src.window):
        if visit.child_id is None:
            continue
        note = {True: "Seen", False: "Not seen", None: "Not recorded"}[visit.seen]
        yield visit.fact(counted=bool(visit.seen), note=note)


def visits_seen_alone(src: Source) -> Iterator[Fact]:
    for visit in in_window(src.events("visit"), src.window):
        if visit.child_id is None or not visit.seen:
            continue
        alone = bool(visit.seen_alone)
        yield visit.fact(counted=alone, note="Seen alone" if alone else "Seen, not alone")


def supervised_cases(src: Source) -> Iterator[Fact]:
    """Each case open at the month's end for six weeks or more, counted when it had a case
    supervision in the six weeks to then."""
    supervisions = src.by_case("supervision")
    for month, day, case in open_cases_at_month_ends(src):
        if (day - case.opened_on).days < SUPERVISION_DAYS:
            continue
        last = last_on_or_before(supervisions.get(case.id, []), day)
        recent = last is not None and (day - last.occurred_on).days <= SUPERVISION_DAYS
        note = f"Last supervision {last.occurred_on:%d %b %Y}" if last else "No supervision"
        yield case.fact(month, counted=recent, note=note)


def recording_times(src: Source) -> Iterator[Fact]:
    for event_id, case_id, team_id, service_id, occurred, recorded in src.recorded:
        days = working_days_between(occurred, recorded)
        yield Fact(
            month=occurred.replace(day=1),
            case_id=case_id,
            team_id=team_id,
            service_id=service_id,
            counted=days <= 2,
            measure=days,
            note=f"Event {event_id}: recorded after {days} working days",
        )


INDICATORS = [
    Indicator(
        slug="average-caseload",
        name="Average caseload per worker",
        definition="Open cases allocated to a worker at the end of the month, divided by the "
        "number of workers holding them. Allocation is each case's worker as recorded now.",
        numerator="Open cases allocated to a worker at the month's end",
        denominator="Workers holding at least one of them",
        kind=Kind.PER_WORKER,
        unit="cases",
        polarity=Polarity.LOWER,
        kpq=4,
        oba=Oba.HOW_MUCH,
        stage="assessment",
        facts=allocated_caseloads,
    ),
    Indicator(
        slug="unallocated-cases",
        name="Open cases with no allocated worker",
        definition="Cases open at the end of the month with no allocated worker.",
        numerator="Open cases with no worker",
        denominator="Cases open at the end of the month",
        kind=Kind.PERCENTAGE,
        unit="%",
        polarity=Polarity.LOWER,
        kpq=4,
        oba=Oba.HOW_WELL,
        stage="assessment",
        facts=caseloads,
    ),
    Indicator(
        slug="visits-in-timescale",
        name="Visits in timescale",
        definition="Visits made within the timescale since the visit before: 10 working days "
        "for child protection, 20 working days for assessment and child in need, 6 weeks for "
        "children looked after and 8 weeks for care leavers.",
        numerator="Visits within the timescale of the visit before",
        denominator="Visits in the month that followed an earlier visit",
        kind=Kind.PERCENTAGE,
        unit="%",
        polarity=Polarity.HIGHER,
        kpq=5,
        oba=Oba.HOW_WELL,
        stage="child_protection",
        facts=visit_gaps,
    ),
    Indicator(
        slug="children-seen",
        name="Visits where the child was seen",
        definition="Visits to children in the month where the child was seen. Visits with "
        "nothing recorded about seeing the child count as not seen.",
        numerator="Visits where the child was seen",
        denominator="Visits to children in the month",
        kind=Kind.PERCENTAGE,
        unit="%",
        polarity=Polarity.HIGHER,
        kpq=5,
        oba=Oba.HOW_WELL,
        stage="child_in_need",
        facts=visits_seen,
    ),
    Indicator(
        slug="children-seen-alone",
        name="Children seen alone",
        definition="Visits in the month where the child was seen alone, out of those where "
        "the child was seen.",
        numerator="Visits where the child was seen alone",
        denominator="Visits where the child was seen",
        kind=Kind.PERCENTAGE,
        unit="%",
        polarity=Polarity.HIGHER,
        kpq=5,
        oba=Oba.HOW_WELL,
        stage="child_in_need",
        facts=visits_seen_alone,
    ),
    Indicator(
        slug="supervision-in-timescale",
        name="Cases supervised within six weeks",
        definition="Cases open for six weeks or more at the end of the month that had a case "
        "supervision in the six weeks to then.",
        numerator="Cases with a supervision in the last six weeks",
        denominator="Cases open for six weeks or more at the month's end",
        kind=Kind.PERCENTAGE,
        unit="%",
        polarity=Polarity.HIGHER,
        kpq=10,
        oba=Oba.HOW_WELL,
        stage="looked_after",
        facts=supervised_cases,
    ),
    Indicator(
        slug="recorded-within-2-days",
        name="Events recorded within two working days",
        definition="Events that happened in the month and were recorded within two working "
        "days of happening (One Adoption West Yorkshire's recording standard).",
        numerator="Events recorded within two working days",
        denominator="Events that happened in the month",
        kind=Kind.PERCENTAGE,
        unit="%",
        polarity=Polarity.HIGHER,
        kpq=10,
        oba=Oba.HOW_WELL,
        stage="referral",
        facts=recording_times,
    ),
]
