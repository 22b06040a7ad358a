"""What a checked return writes: each child's periods of care as looked-after cases, their
journey events, and what a corrected return no longer has (see the package docstring)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from cases.models import Case, Child, JourneyEvent, JourneyStage, Team
from performance.services.imports import codes
from performance.services.imports.plan import (
    Plan,
    count_by,
    existing_cases,
    existing_children,
    existing_events,
)
from performance.services.imports.ssda903.reading import (
    CollectionYear,
    Episode,
    HeaderChild,
)

PREFIX = "903:"
Kind = JourneyEvent.Kind
CODE_MEANINGS = {
    name: dict(pairs)
    for name, pairs in (
        ("PLACE", codes.PLACE),
        ("REC", codes.REC),
        ("REASON_PLACE_CHANGE", codes.REASON_PLACE_CHANGE),
        ("LS", tuple((value, str(label)) for value, label in Child.LegalStatus.choices)),
    )
}
OUTCOME_LENGTH = 120
# Cases already in the portal keep their team, service and worker.
KEEP_CASE_OWNERS = (False, True, True, True, False, False, False, False)
# The events an episode records on the day it starts; the others fall on the day an
# episode ends, so on the first day of a carried-over period they belong to the episode
# before it, which the return does not hold.
STARTING_KINDS = frozenset(
    {
        Kind.BECAME_LOOKED_AFTER,
        Kind.PLACEMENT_ORDER,
        Kind.PLACEMENT_STARTED,
        Kind.PLACED_FOR_ADOPTION,
    }
)
# How many removed records the run's report lists one by one (all are counted).
LISTED = 200


def _outcome(name: str, code: str | None, before: str = "") -> str:
    if not code:
        return before
    text = f"{before}{name} {code}: {CODE_MEANINGS[name].get(code, '')}"
    return text if len(text) <= OUTCOME_LENGTH else text[: OUTCOME_LENGTH - 1] + "…"


class Period:
    """A period of care: episodes from one that starts it (RNE S) to one that ends it (a
    REC other than X1), or as much of it as the return holds."""

    def __init__(self, episodes: list[Episode]) -> None:
        self.episodes = episodes
        self.first = episodes[0]
        self.last = episodes[-1]

    @property
    def start(self) -> datetime.date:
        return self.first.start

    @property
    def end(self) -> datetime.date | None:
        return self.last.end if self.last.ceases else None

    @property
    def carried_over(self) -> bool:
        """It started before the return's first episode of it."""
        return self.first.rne != codes.STARTED

    @property
    def stage(self) -> str:
        last = self.last
        if last.ceases:
            return JourneyStage.ADOPTED if last.rec in codes.ADOPTED else JourneyStage.CLOSED
        if last.place in codes.ADOPTION_PLACEMENTS:
            return JourneyStage.PLACED
        if last.legal_status == codes.PLACEMENT_ORDER:
            return JourneyStage.PLACEMENT_ORDER
        return JourneyStage.LOOKED_AFTER


def periods_of(episodes: list[Episode]) -> list[Period]:
    periods: list[list[Episode]] = [[]]
    for episode in episodes:
        periods[-1].append(episode)
        if episode.ceases:
            periods.append([])
    return [Period(period) for period in periods if period]


def fresh_ref(child: str, start: datetime.date) -> str:
    return f"{PREFIX}{child}:{start.isoformat()}"


@dataclass
class EventMaker:
    """(source_ref, values in plan.EVENT_FIELDS order) for one period of care."""

    child: str
    case: int | str
    events: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)

    def add(
        self, day: datetime.date, kind: str, suffix: str, outcome: str, place: str = ""
    ) -> None:
        placement = codes.placement_type(place) if place else ""
        values = (self.case, kind, day, day, None, None, placement, outcome)
        self.events.append((f"{PREFIX}{self.child}:{day.isoformat()}:{suffix}", values))


def period_events(
    child: str, case: int | str, period: Period, looked_after_on: datetime.date | None
) -> list[tuple[str, tuple[Any, ...]]]:
    """The period's events. `looked_after_on`: the day the child became looked after, or
    None when a carried-over period's case already records it."""
    make = EventMaker(child, case)
    first = period.first
    if looked_after_on is not None:
        before = "" if not period.carried_over else "In care before this return; "
        make.add(
            looked_after_on,
            Kind.BECAME_LOOKED_AFTER,
            "looked-after",
            _outcome("LS", first.legal_status, before),
        )
    previous = None
    for index, episode in enumerate(period.episodes):
        following = period.episodes[index + 1] if index + 1 < len(period.episodes) else None
        _starting_events(make, episode, previous, carried_over=period.carried_over)
        _ending_events(make, episode, following)
        previous = episode
    return make.events


def _starting_events(
    make: EventMaker, episode: Episode, previous: Episode | None, *, carried_over: bool
) -> None:
    # A carried-over period's first episode may hold an order made before the return.
    known_start = previous is not None or not carried_over
    ordered = episode.legal_status == codes.PLACEMENT_ORDER
    if (
        ordered
        and known_start
        and (previous is None or previous.legal_status != episode.legal_status)
    ):
        make.add(episode.start, Kind.PLACEMENT_ORDER, "placement-order", _outcome("LS", "E1"))
    if episode.rne not in codes.NEW_PLACEMENT:
        return
    outcome = _outcome("PLACE", episode.place)
    make.add(episode.start, Kind.PLACEMENT_STARTED, "placement", outcome, episode.place)
    adoptive = codes.ADOPTION_PLACEMENTS
    if episode.place in adoptive and (previous is None or previous.place not in adoptive):
        make.add(
            episode.start, Kind.PLACED_FOR_ADOPTION, "placed-for-adoption", outcome, episode.place
        )


def _ending_events(make: EventMaker, episode: Episode, following: Episode | None) -> None:
    if episode.end is None:
        return
    if episode.ceases:
        outcome = _outcome("REC", episode.rec)
        make.add(episode.end, Kind.PLACEMENT_ENDED, "placement-ended", outcome, episode.place)
        make.add(episode.end, Kind.CEASED_LOOKED_AFTER, "ceased", outcome)
        if episode.rec in codes.ADOPTED:
            make.add(episode.end, Kind.ADOPTION_ORDER, "adoption-order", outcome)
    elif following is not None and following.rne in codes.NEW_PLACEMENT:
        outcome = _outcome("REASON_PLACE_CHANGE", episode.change_reason)
        make.add(episode.end, Kind.PLACEMENT_ENDED, "placement-ended", outcome, episode.place)


# Matching the return's periods to the cases earlier imports made.


class OldCase(NamedTuple):
    ref: str
    pk: int
    opened: datetime.date
    closed: datetime.date | None


class OldEvent(NamedTuple):
    ref: str
    pk: int
    kind: str
    occurred: datetime.date


def _overlap(case: OldCase, period: Period, year_end: datetime.date) -> int:
    """Days a case shares with a period (0: one day), negative when they do not meet. The
    return knows nothing after its year's end."""
    ends = min(case.closed or datetime.date.max, period.end or year_end)
    return (ends - max(case.opened, period.start)).days


def match_cases(
    child: str, periods: list[Period], old: list[OldCase], year_end: datetime.date
) -> list[OldCase | None]:
    """The case each period continues: the one it opened before, else the one it shares
    most days with (a corrected DECOM or DEC moves a period's edges, not its case). Of
    two that share as many, the later: a child who ceased and started again on the same
    day carries on in the new period, not the old."""
    by_ref = {case.ref: case for case in old}
    matched: list[OldCase | None] = [by_ref.get(fresh_ref(child, p.start)) for p in periods]
    taken = {case.ref for case in matched if case is not None}
    # A case opened after the year's end belongs to a later return.
    candidates = [case for case in old if case.opened <= year_end]
    for index, period in enumerate(periods):
        if matched[index] is not None:
            continue
        shared = [
            (_overlap(c, period, year_end), c.opened, c) for c in candidates if c.ref not in taken
        ]
        shared = [item for item in shared if item[0] >= 0]
        if shared:
            best = max(shared, key=lambda item: item[:2])[2]
            matched[index] = best
            taken.add(best.ref)
    return matched


@dataclass
class Removed:
    events: list[int] = field(default_factory=list)
    cases: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    listed: list[dict[str, Any]] = field(default_factory=list)

    def event(self, child: str, event: OldEvent) -> None:
        self.events.append(event.pk)
        self.kinds.append(event.kind)
        self._list({"child": child, "what": "event", "kind": event.kind, "on": event.occurred})

    def case(self, child: str, case: OldCase) -> None:
        self.cases.append(case.pk)
        self._list({"child": child, "what": "case", "pk": case.pk, "on": case.opened})

    def _list(self, item: dict[str, Any]) -> None:
        if len(self.listed) < LISTED:
            self.listed.append({**item, "on": item["on"].isoformat()})

    def details(self) -> dict[str, Any]:
        return {
            "events": len(self.events),
            "events_by_kind": count_by(self.kinds),
            "cases": len(self.cases),
            "listed": self.listed,
        }


class Planner:
    def __init__(self, organisation_id: int, team: Team, year: CollectionYear) -> None:
        self.team = team
        self.year = year
        self.plan = Plan()
        self.children = existing_children(organisation_id)
        self.cases = existing_cases(organisation_id, PREFIX)
        self.events = existing_events(organisation_id, PREFIX)
        self.kinds: list[str] = []  # of every event in the file, changed or not
        self.removed = Removed()
        self.new_refs: set[str] = set()
        self.cases_of: dict[int, list[OldCase]] = {}
        for ref, (pk, values) in self.cases.items():
            self.cases_of.setdefault(values[0], []).append(OldCase(ref, pk, values[5], values[6]))
        self.events_of: dict[int, list[OldEvent]] = {}
        for ref, (pk, values) in self.events.items():
            self.events_of.setdefault(values[0], []).append(OldEvent(ref, pk, values[1], values[2]))

    def child_value(self, reference: str) -> int | str:
        existing = self.children.get(reference)
        return existing[0] if existing else reference

    def add_child(
        self, reference: str, header: HeaderChild | None, legal_status: str | None
    ) -> None:
        existing = self.children.get(reference)
        if existing is None:
            names = ("Child", reference)
            old: tuple[Any, ...] = (None, Child.Gender.UNKNOWN, "", "")
        else:
            names, old = existing[1][:2], existing[1][2:]
        born, gender, ethnicity, status = old
        if header is not None:
            born, gender, ethnicity = header.born, header.gender, header.ethnicity
        values = (*names, born, gender, ethnicity, legal_status or status)
        self.plan.children.add(reference, values, existing)

    def add_child_periods(self, child: str, episodes: list[Episode]) -> None:
        """Plan the child's periods, and remove what earlier imports made of the span the
        return covers for them that the return no longer has."""
        periods = periods_of(episodes)
        existing = self.children.get(child)
        old = sorted(self.cases_of.get(existing[0], ()) if existing else (), key=lambda c: c.opened)
        matched = match_cases(child, periods, old, self.year.end)
        planned: set[str] = set()
        for period, case in zip(periods, matched, strict=True):
            planned |= self.add_period(child, period, case)
        for period, case in zip(periods, matched, strict=True):
            if case is not None:
                self._remove_stale_events(child, case, period, planned)
        # A case an earlier import opened within the span that no period continues.
        first_day = min(periods[0].start, self.year.start)
        kept = {case.ref for case in matched if case is not None}
        for case in old:
            if case.ref in kept or not first_day <= case.opened <= self.year.end:
                continue
            events = self.events_of.get(case.pk, ())
            if any(event.occurred > self.year.end for event in events):
                continue  # a later return continues it
            self._remove_stale_events(child, case, None, planned)
            self.removed.case(child, case)

    def _remove_stale_events(
        self, child: str, case: OldCase, period: Period | None, planned: set[str]
    ) -> None:
        for event in self.events_of.get(case.pk, ()):
            if event.ref in planned or event.occurred > self.year.end:
                continue
            # A carried-over period's case keeps what earlier returns said before it.
            if period is not None and period.carried_over:
                day = period.start
                if event.occurred < day or (
                    event.occurred == day and event.kind not in STARTING_KINDS
                ):
                    continue
            self.removed.event(child, event)

    def add_period(self, child: str, period: Period, old: OldCase | None) -> set[str]:
        existing = self.cases.get(old.ref) if old else None
        ref = old.ref if old else self._new_ref(child, period.start)
        opened = period.start
        looked_after_on: datetime.date | None = period.start
        if old is not None and period.carried_over:
            opened = min(old.opened, period.start)
            if self._looked_after_before(old, period.start):
                looked_after_on = None
        if period.carried_over and looked_after_on is not None:
            looked_after_on = opened
        closed, stage = period.end, period.stage
        if closed is None and old is not None and old.closed and old.closed > self.year.end:
            # An earlier year's return imported after a later one: the later one knows
            # how the period ended.
            assert existing is not None  # an old case is one of self.cases
            closed, stage = old.closed, existing[1][7]
        team = self.team
        values = (
            self.child_value(child),
            team.pk,
            team.service_id,
            None,
            Case.Status.CLOSED if closed else Case.Status.OPEN,
            opened,
            closed,
            stage,
        )
        self.plan.cases.add(ref, values, existing, KEEP_CASE_OWNERS)
        case = existing[0] if existing else ref
        keys = set()
        for key, event in period_events(child, case, period, looked_after_on):
            self.plan.events.add(key, event, self.events.get(key))
            self.kinds.append(str(event[1]))
            keys.add(key)
        return keys

    def _looked_after_before(self, case: OldCase, day: datetime.date) -> bool:
        return any(
            e.kind == Kind.BECAME_LOOKED_AFTER and e.occurred < day
            for e in self.events_of.get(case.pk, ())
        )

    def _new_ref(self, child: str, start: datetime.date) -> str:
        """A new case's source_ref: its child and first day, numbered in the rare case
        that an earlier case of the child, since re-dated, holds that one."""
        ref = fresh_ref(child, start)
        number = 1
        while ref in self.cases or ref in self.new_refs:
            number += 1
            ref = f"{fresh_ref(child, start)}:{number}"
        self.new_refs.add(ref)
        return ref


def plan_ssda903(
    organisation_id: int,
    team: Team,
    header: dict[str, HeaderChild],
    by_child: dict[str, list[Episode]],
    year: CollectionYear,
) -> Plan:
    planner = Planner(organisation_id, team, year)
    latest = {child: episodes[-1].legal_status for child, episodes in by_child.items()}
    for reference in {**header, **by_child}:
        planner.add_child(reference, header.get(reference), latest.get(reference))
    for child, episodes in by_child.items():
        planner.add_child_periods(child, episodes)
    plan = planner.plan
    plan.remove_events = planner.removed.events
    plan.remove_cases = planner.removed.cases
    plan.details = {
        "collection_year": year.details(),
        "events_by_kind": count_by(planner.kinds),
        "legal_statuses": count_by(latest.values()),
    }
    if planner.removed.events or planner.removed.cases:
        plan.details["removed"] = planner.removed.details()
    return plan
