"""The DfE children looked after return (SSDA903): its header and episodes files.

How the return maps to the portal:

- Each header row is a child (reference = CHILD): SEX 1/2 gives male/female, DOB the
  date of birth, ETHNIC the ethnicity. A child new to the portal is named "Child <CHILD>"
  until the children template gives their names; names already held are kept.
- A child's episodes, in DECOM order, form periods of care: an episode whose REC is not
  X1 ends its period, and the next period starts with an RNE of S. Each period is one
  looked-after case (source_ref "903:<CHILD>:<first DECOM>"), open until the DEC of its
  last episode. A file often starts part-way through a period (an episode carried over
  from last year's return, RNE not S): it joins the child's imported case open on that
  day, when there is one.
- Events: became_looked_after at the DECOM of an RNE S episode; placement_started at
  each episode that starts a placement (RNE S, P, T, B or U), with its placement type
  from PLACE; placement_ended at a DEC followed by a new placement or ending care;
  ceased_looked_after at a DEC with a REC other than X1.
- The child's legal status is the LS of their latest episode.
- SSDA903 has no team: new cases go to the team chosen on the upload form. Cases already
  in the portal keep their team and worker.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from cases.models import Case, Child, JourneyEvent, JourneyStage, Team
from performance.services.imports import codes
from performance.services.imports.ours import Found, Source
from performance.services.imports.plan import (
    Plan,
    count_by,
    existing_cases,
    existing_children,
    existing_events,
)

PREFIX = "903:"
Kind = JourneyEvent.Kind
GENDERS = {"1": Child.Gender.MALE, "2": Child.Gender.FEMALE}
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


def _outcome(name: str, code: str | None) -> str:
    if not code:
        return ""
    text = f"{name} {code}: {CODE_MEANINGS[name].get(code, '')}"
    return text if len(text) <= OUTCOME_LENGTH else text[: OUTCOME_LENGTH - 1] + "…"


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass
class HeaderChild:
    row: int
    gender: str
    born: datetime.date
    ethnicity: str


@dataclass
class Episode:
    row: int
    start: datetime.date
    rne: str
    legal_status: str
    place: str
    end: datetime.date | None
    rec: str | None
    change_reason: str | None

    @property
    def ceases(self) -> bool:
        return self.end is not None and self.rec != codes.CONTINUES


# Reading the two files.


def read_header(source: Source) -> dict[str, HeaderChild]:
    children = {}
    for number, values in source.checker.rows():
        reference, sex, born, ethnicity, *_ = values
        children[reference] = HeaderChild(number, GENDERS[sex], born, ethnicity)
    return children


def episode_problems(values: list[Any], header: HeaderChild | None, known: bool) -> list[Found]:
    child, start, *_, end, rec, _, _, _, _ = values
    found: list[Found] = []
    if header is None and not known:
        found.append(
            (
                "CHILD",
                child,
                "This child is not in the header file, nor already in the "
                "portal. Add the child to the header file",
            )
        )
    if end is not None and rec is None:
        found.append(("REC", "", "Enter REC, the reason the episode ceased, as DEC is given"))
    if rec is not None and end is None:
        found.append(("DEC", "", "Enter DEC, the date the episode ceased, as REC is given"))
    if end is not None and end < start:
        found.append(
            (
                "DEC",
                _day(end),
                f"The episode ends before it starts (DECOM {_day(start)}): "
                "DEC must be the same as or after DECOM",
            )
        )
    if header is not None and start < header.born:
        found.append(
            (
                "DECOM",
                _day(start),
                "The episode starts before the child's date of birth "
                f"(DOB {_day(header.born)} in the header file)",
            )
        )
    return found


def read_episodes(
    source: Source, header: dict[str, HeaderChild], known: set[str]
) -> dict[str, list[Episode]]:
    by_child: dict[str, list[Episode]] = {}
    starts: dict[tuple[str, datetime.date], int] = {}
    for number, values in source.checker.rows():
        child, start, rne, legal_status, _, place, _, end, rec, change_reason, *_ = values
        first = starts.setdefault((child, start), number)
        found = episode_problems(values, header.get(child), child in known)
        if first != number:
            found.append(
                (
                    "DECOM",
                    _day(start),
                    f"The child {child} has another episode starting "
                    f"on this day, on row {first}: each episode must start on its own day",
                )
            )
        if not source.report(number, found):
            continue
        episode = Episode(number, start, rne, legal_status, place, end, rec, change_reason)
        by_child.setdefault(child, []).append(episode)
    for episodes in by_child.values():
        episodes.sort(key=lambda e: e.start)
    return by_child


# The order of a child's episodes.


def pair_problem(previous: Episode, episode: Episode) -> Found | None:
    """What is wrong with `episode` following `previous`, if anything."""
    if previous.end is None:
        return (
            "DEC",
            "",
            f"The episode starting {_day(previous.start)} has no DEC, but the "
            f"child has a later episode starting {_day(episode.start)}: give the earlier "
            "episode its DEC and REC",
        )
    if episode.start < previous.end:
        return (
            "DECOM",
            _day(episode.start),
            "This episode starts before the child's previous "
            f"episode ended (DEC {_day(previous.end)})",
        )
    if not previous.ceases and episode.start != previous.end:
        return (
            "DECOM",
            _day(episode.start),
            f"The previous episode ended on "
            f"{_day(previous.end)} with REC X1 (a new episode the same day), so this "
            "episode must start on that day",
        )
    if not previous.ceases and episode.rne == codes.STARTED:
        return (
            "RNE",
            episode.rne,
            "RNE is S (started to be looked after), but the previous "
            "episode runs into this one (REC X1): use L, P, T, B or U",
        )
    if previous.ceases and episode.rne != codes.STARTED:
        return (
            "RNE",
            episode.rne,
            f"The previous episode ended the period of care (REC "
            f"{previous.rec} on {_day(previous.end)}), so this episode starts a new one: "
            "RNE must be S",
        )
    return None


def check_order(source: Source, by_child: dict[str, list[Episode]]) -> None:
    for episodes in by_child.values():
        for previous, episode in pairwise(episodes):
            found = pair_problem(previous, episode)
            if found:
                row = previous.row if found[0] == "DEC" else episode.row
                source.report(row, [found])
        last = episodes[-1]
        if last.end is not None and not last.ceases:
            source.report(
                last.row,
                [
                    (
                        "REC",
                        last.rec,
                        f"REC is X1 (a new episode starts the same day), but the "
                        f"child has no episode starting on {_day(last.end)}",
                    )
                ],
            )


def periods_of(episodes: list[Episode]) -> list[list[Episode]]:
    periods: list[list[Episode]] = [[]]
    for episode in episodes:
        periods[-1].append(episode)
        if episode.ceases:
            periods.append([])
    return [period for period in periods if period]


# The plan.


def stage_of(period: list[Episode]) -> str:
    last = period[-1]
    if last.ceases:
        return JourneyStage.ADOPTED if last.rec in codes.ADOPTED else JourneyStage.CLOSED
    if last.place in codes.ADOPTION_PLACEMENTS:
        return JourneyStage.PLACED
    if last.legal_status == Child.LegalStatus.E1:
        return JourneyStage.PLACEMENT_ORDER
    return JourneyStage.LOOKED_AFTER


def period_events(child: str, case: int | str, period: list[Episode]) -> list[tuple]:
    """(source_ref, values in plan.EVENT_FIELDS order) for one period of care."""
    events = []

    def add(day: datetime.date, kind: str, suffix: str, place: str, outcome: str) -> None:
        placement = codes.placement_type(place) if place else ""
        values = (case, kind, day, day, None, None, placement, outcome)
        events.append((f"{PREFIX}{child}:{day.isoformat()}:{suffix}", values))

    if period[0].rne == codes.STARTED:
        first = period[0]
        add(
            first.start,
            Kind.BECAME_LOOKED_AFTER,
            "looked-after",
            "",
            _outcome("LS", first.legal_status),
        )
    for index, episode in enumerate(period):
        if episode.rne in codes.NEW_PLACEMENT:
            add(
                episode.start,
                Kind.PLACEMENT_STARTED,
                "placement",
                episode.place,
                _outcome("PLACE", episode.place),
            )
        following = period[index + 1] if index + 1 < len(period) else None
        if episode.ceases:
            add(
                episode.end,
                Kind.PLACEMENT_ENDED,
                "placement-ended",
                episode.place,
                _outcome("REC", episode.rec),
            )
            add(episode.end, Kind.CEASED_LOOKED_AFTER, "ceased", "", _outcome("REC", episode.rec))
        elif following is not None and following.rne in codes.NEW_PLACEMENT:
            add(
                episode.end,
                Kind.PLACEMENT_ENDED,
                "placement-ended",
                episode.place,
                _outcome("REASON_PLACE_CHANGE", episode.change_reason),
            )
    return events


class Planner:
    def __init__(self, organisation_id: int, team: Team) -> None:
        self.team = team
        self.plan = Plan()
        self.children = existing_children(organisation_id)
        self.cases = existing_cases(organisation_id, PREFIX)
        self.events = existing_events(organisation_id, PREFIX)
        self.kinds: list[str] = []  # of every event in the file, changed or not
        # A child's imported cases, to join a period carried over from an earlier return.
        self.cases_of: dict[int, list[tuple[str, datetime.date, datetime.date | None]]] = {}
        for ref, (_, values) in self.cases.items():
            self.cases_of.setdefault(values[0], []).append((ref, values[5], values[6]))

    def child_value(self, reference: str) -> int | str:
        existing = self.children.get(reference)
        return existing[0] if existing else reference

    def add_child(
        self, reference: str, header: HeaderChild | None, legal_status: str | None
    ) -> None:
        existing = self.children.get(reference)
        if existing is None:
            names = ("Child", reference)
            old = (None, Child.Gender.UNKNOWN, "", "")
        else:
            names, old = existing[1][:2], existing[1][2:]
        born, gender, ethnicity, status = old
        if header is not None:
            born, gender, ethnicity = header.born, header.gender, header.ethnicity
        values = (*names, born, gender, ethnicity, legal_status or status)
        self.plan.children.add(reference, values, existing)

    def case_for(self, child: str, period: list[Episode]) -> tuple[str, datetime.date]:
        """The case's source_ref and opening date: a period carried over from an earlier
        return joins the child's imported case open on its first day."""
        first = period[0]
        existing = self.children.get(child)
        if first.rne != codes.STARTED and existing:
            for ref, opened, closed in self.cases_of.get(existing[0], ()):
                if opened <= first.start and (closed is None or closed >= first.start):
                    return ref, opened
        return f"{PREFIX}{child}:{first.start.isoformat()}", first.start

    def add_period(self, child: str, period: list[Episode]) -> None:
        ref, opened = self.case_for(child, period)
        last = period[-1]
        closed = last.end if last.ceases else None
        status = Case.Status.CLOSED if closed else Case.Status.OPEN
        team = self.team
        values = (
            self.child_value(child),
            team.pk,
            team.service_id,
            None,
            status,
            opened,
            closed,
            stage_of(period),
        )
        existing = self.cases.get(ref)
        self.plan.cases.add(ref, values, existing, KEEP_CASE_OWNERS)
        case = existing[0] if existing else ref
        for key, event in period_events(child, case, period):
            self.plan.events.add(key, event, self.events.get(key))
            self.kinds.append(str(event[1]))


def plan_ssda903(
    organisation_id: int,
    team: Team,
    header: dict[str, HeaderChild],
    by_child: dict[str, list[Episode]],
) -> Plan:
    planner = Planner(organisation_id, team)
    latest = {child: episodes[-1].legal_status for child, episodes in by_child.items()}
    for reference in {**header, **by_child}:
        planner.add_child(reference, header.get(reference), latest.get(reference))
    for child, episodes in by_child.items():
        for period in periods_of(episodes):
            planner.add_period(child, period)
    planner.plan.details = {
        "events_by_kind": count_by(planner.kinds),
        "legal_statuses": count_by(latest.values()),
    }
    return planner.plan
