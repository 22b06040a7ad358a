"""The records indicators are worked out from, read once per organisation and shared.

A nightly recompute asks for the same events many times (visits for three indicators,
referrals for four): `Source` reads each kind of event once, with one query, and keeps it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from functools import cached_property
from typing import NamedTuple

from cases.models import Case, Child, JourneyEvent
from core.months import month_start
from performance.indicators.base import Fact, Window

# How far before the first month routine events (visits, supervision, recording) are read:
# enough for the visit before the window (the longest visiting gap is 8 weeks) and the
# last six weeks of supervision.
ROUTINE_LOOK_BACK = datetime.timedelta(days=120)
ROUTINE_KINDS = frozenset({"visit", "supervision", "review"})


class Event(NamedTuple):
    id: int
    case_id: int
    child_id: int | None
    adopter_id: int | None
    team_id: int
    service_id: int
    worker_id: int | None
    occurred_on: datetime.date
    recorded_on: datetime.date
    seen: bool | None
    seen_alone: bool | None
    placement_type: str
    outcome: str

    def fact(self, month_of: datetime.date | None = None, **kwargs: object) -> Fact:
        """A fact about this event's case, in the month of `month_of` (default: when it
        occurred)."""
        return Fact(
            month=month_start(month_of or self.occurred_on),
            case_id=self.case_id,
            team_id=self.team_id,
            service_id=self.service_id,
            worker_id=self.worker_id,
            **kwargs,
        )


class CaseRow(NamedTuple):
    id: int
    child_id: int | None
    adopter_id: int | None
    team_id: int
    service_id: int
    worker_id: int | None
    opened_on: datetime.date
    closed_on: datetime.date | None
    service_kind: str

    def open_on(self, day: datetime.date) -> bool:
        return self.opened_on <= day and (self.closed_on is None or self.closed_on > day)

    def fact(self, month: datetime.date, **kwargs: object) -> Fact:
        return Fact(
            month=month,
            case_id=self.id,
            team_id=self.team_id,
            service_id=self.service_id,
            worker_id=self.worker_id,
            **kwargs,
        )


EVENT_FIELDS = (
    "id",
    "case_id",
    "case__child_id",
    "case__adopter_id",
    "case__team_id",
    "case__service_id",
    "case__allocated_worker_id",
    "occurred_on",
    "recorded_on",
    "seen",
    "seen_alone",
    "placement_type",
    "outcome",
)


class Source:
    def __init__(self, window: Window) -> None:
        self.window = window
        self._events: dict[str, list[Event]] = {}
        self.queries = 0

    def events(self, kind: str) -> list[Event]:
        """Every event of `kind` up to the window's end, oldest first (routine kinds from
        a year and a bit before the window)."""
        if kind not in self._events:
            self._events[kind] = self._read(kinds=[kind])
        return self._events[kind]

    def _read(self, kinds: list[str] | None = None, since: datetime.date | None = None) -> list:
        events = JourneyEvent.objects.filter(
            organisation_id=self.window.organisation_id, occurred_on__lte=self.window.end
        )
        if kinds is not None:
            events = events.filter(kind__in=kinds)
            if ROUTINE_KINDS.intersection(kinds):
                since = self.window.first - ROUTINE_LOOK_BACK
        if since is not None:
            events = events.filter(occurred_on__gte=since)
        self.queries += 1
        rows = events.order_by("occurred_on", "id").values_list(*EVENT_FIELDS)
        return [Event._make(row) for row in rows.iterator(chunk_size=5000)]

    @cached_property
    def recorded(self) -> list[tuple[int, int, int, int, datetime.date, datetime.date]]:
        """(event id, case, team, service, occurred, recorded) of every event in the window."""
        self.queries += 1
        rows = JourneyEvent.objects.filter(
            organisation_id=self.window.organisation_id,
            occurred_on__gte=self.window.first,
            occurred_on__lte=self.window.end,
        ).values_list(
            "id", "case_id", "case__team_id", "case__service_id", "occurred_on", "recorded_on"
        )
        return list(rows.iterator(chunk_size=5000))

    def by_child(self, kind: str) -> dict[int, list[Event]]:
        grouped: dict[int, list[Event]] = defaultdict(list)
        for event in self.events(kind):
            if event.child_id is not None:
                grouped[event.child_id].append(event)
        return grouped

    def by_case(self, kind: str) -> dict[int, list[Event]]:
        grouped: dict[int, list[Event]] = defaultdict(list)
        for event in self.events(kind):
            grouped[event.case_id].append(event)
        return grouped

    @cached_property
    def cases(self) -> list[CaseRow]:
        """Every case open at some time in the window."""
        self.queries += 1
        rows = (
            Case.objects.filter(
                organisation_id=self.window.organisation_id, opened_on__lte=self.window.end
            )
            .exclude(closed_on__lt=self.window.first)
            .order_by("id")
            .values_list(
                "id",
                "child_id",
                "adopter_id",
                "team_id",
                "service_id",
                "allocated_worker_id",
                "opened_on",
                "closed_on",
                "service__kind",
            )
        )
        return [CaseRow._make(row) for row in rows.iterator(chunk_size=5000)]

    @cached_property
    def birthdays(self) -> dict[int, datetime.date]:
        self.queries += 1
        rows = Child.objects.filter(
            organisation_id=self.window.organisation_id, date_of_birth__isnull=False
        ).values_list("id", "date_of_birth")
        return dict(rows.iterator(chunk_size=5000))
