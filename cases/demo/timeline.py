"""Turn a planned journey into cases and dated events, stopping at today.

A planner writes a `Script`: dated steps (events, and opening, closing or moving a case
between services) in the order they would happen if nothing stopped them. `perform`
plays the script up to today, fills each phase of work with the routine events (visits,
reviews, supervision) and decides when each event was recorded.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from core.dates import add_working_days

DAY = datetime.timedelta(days=1)


@dataclass(slots=True)
class EventPlan:
    kind: str
    occurred_on: datetime.date
    recorded_on: datetime.date
    seen: bool | None = None
    seen_alone: bool | None = None
    placement_type: str = ""
    outcome: str = ""
    # who recorded it: the allocated "worker", the team "manager" or a "colleague"
    recorder: str = "worker"


@dataclass(slots=True)
class CasePlan:
    service: str
    opened_on: datetime.date
    stage: str
    closed_on: datetime.date | None = None
    events: list[EventPlan] = field(default_factory=list)


@dataclass(slots=True)
class Step:
    on: datetime.date
    order: int
    op: str
    value: Any = None
    attrs: dict[str, Any] = field(default_factory=dict)


class Script:
    """A journey as planned, written step by step in the order it would happen."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.steps: list[Step] = []

    def _add(self, on: datetime.date, op: str, value: Any = None, **attrs: Any) -> None:
        self.steps.append(Step(on, len(self.steps), op, value, attrs))

    def event(self, on: datetime.date, kind: str, **attrs: Any) -> None:
        self._add(on, "event", kind, **attrs)

    def open(self, on: datetime.date, service: str, stage: str) -> None:
        self._add(on, "open", service, stage=stage)

    def close(self, on: datetime.date, outcome: str, stage: str = "closed") -> None:
        self._add(on, "close", outcome, stage=stage)

    def service(self, on: datetime.date, service: str) -> None:
        self._add(on, "service", service)

    def stage(self, on: datetime.date, stage: str) -> None:
        self._add(on, "stage", stage)

    def phase(self, on: datetime.date, name: str | None) -> None:
        self._add(on, "phase", name)

    def legal(self, on: datetime.date, status: str) -> None:
        self._add(on, "legal", status)

    def days(self, low: int, high: int) -> datetime.timedelta:
        return datetime.timedelta(days=self.rng.randint(low, high))

    def working(self, on: datetime.date, low: int, high: int) -> datetime.date:
        return add_working_days(on, self.rng.randint(low, high))


@dataclass(frozen=True)
class Routine:
    """The repeating work of a phase: visit, review and supervision intervals in days."""

    visit: tuple[int, int] | None = None
    late_visit: tuple[int, int] | None = None
    reviews: tuple[int, ...] = ()
    review_every: int | None = None
    supervision: tuple[int, int] | None = None
    first_visit: tuple[int, int] = (3, 10)


ROUTINES = {
    "assessment": Routine(visit=(7, 15), late_visit=(16, 25), supervision=(20, 30)),
    "cin": Routine(
        visit=(18, 28), late_visit=(30, 45), reviews=(91,), review_every=91, supervision=(28, 56)
    ),
    "cp": Routine(
        visit=(7, 14),
        late_visit=(15, 28),
        reviews=(91,),
        review_every=182,
        supervision=(28, 42),
        first_visit=(1, 5),
    ),
    "lac": Routine(
        visit=(28, 42),
        late_visit=(43, 70),
        reviews=(28, 119),
        review_every=182,
        supervision=(28, 56),
        first_visit=(3, 7),
    ),
    "care_leaver": Routine(
        visit=(42, 70), late_visit=(71, 100), reviews=(182,), review_every=182, supervision=(42, 84)
    ),
    "family_finding": Routine(supervision=(28, 56)),
    "adopter_assessment": Routine(supervision=(35, 70)),
    "adopter_waiting": Routine(reviews=(365,), review_every=365, supervision=(42, 84)),
    "adopter_placed": Routine(supervision=(28, 56)),
    "adoption_support": Routine(reviews=(182,), review_every=182, supervision=(56, 112)),
}


@dataclass(frozen=True)
class Quality:
    """How often recording goes wrong, so the data-quality checks have something to find."""

    late_recording: float = 0.10
    seen_not_alone: float = 0.15
    seen_missing: float = 0.03
    not_seen: float = 0.04


class Performance:
    """Plays a script up to `today` and returns the cases it produced."""

    def __init__(self, rng: random.Random, today: datetime.date, quality: Quality) -> None:
        self.rng = rng
        self.today = today
        self.quality = quality
        self.cases: list[CasePlan] = []
        self.case: CasePlan | None = None
        self.phase: tuple[str, datetime.date, CasePlan] | None = None
        self.legal_status = ""

    def run(self, script: Script) -> list[CasePlan]:
        steps = sorted(script.steps, key=lambda step: (step.on, step.order))
        for step in steps:
            if step.on > self.today:
                break
            getattr(self, f"_do_{step.op}")(step)
        self._end_phase(self.today + DAY)
        for case in self.cases:
            case.events.sort(key=lambda event: event.occurred_on)
        return self.cases

    def _do_open(self, step: Step) -> None:
        self.case = CasePlan(service=step.value, opened_on=step.on, stage=step.attrs["stage"])
        self.cases.append(self.case)

    def _do_close(self, step: Step) -> None:
        self._end_phase(step.on)
        assert self.case is not None
        self._record(self.case, "case_closed", step.on, outcome=step.value)
        self.case.closed_on = step.on
        self.case.stage = step.attrs["stage"]
        self.case = None

    def _do_service(self, step: Step) -> None:
        assert self.case is not None
        self.case.service = step.value

    def _do_stage(self, step: Step) -> None:
        assert self.case is not None
        self.case.stage = step.value

    def _do_legal(self, step: Step) -> None:
        self.legal_status = step.value

    def _do_phase(self, step: Step) -> None:
        self._end_phase(step.on)
        if step.value and self.case is not None:
            self.phase = (step.value, step.on, self.case)

    def _do_event(self, step: Step) -> None:
        assert self.case is not None
        attrs = dict(step.attrs)
        occurred_on = attrs.pop("occurred_on", step.on)
        self._record(self.case, step.value, occurred_on, **attrs)

    def _record(self, case: CasePlan, kind: str, on: datetime.date, **attrs: Any) -> None:
        case.events.append(EventPlan(kind, on, self._recorded_on(on), **attrs))

    def _recorded_on(self, on: datetime.date) -> datetime.date:
        r = self.rng.random()
        if r < self.quality.late_recording:
            recorded = add_working_days(on, self.rng.randint(3, 14))
        elif r < 0.55:
            recorded = on
        elif r < 0.8:
            recorded = add_working_days(on, 1)
        else:
            recorded = add_working_days(on, 2)
        return max(on, min(recorded, self.today))

    def _end_phase(self, end: datetime.date) -> None:
        """Fill the phase now ending with its routine events, up to the day before `end`."""
        if self.phase is None:
            return
        name, start, case = self.phase
        self.phase = None
        last = min(end - DAY, self.today)
        routine = ROUTINES[name]
        if routine.visit:
            self._visits(case, routine, start, last)
        self._reviews(case, routine, start, last)
        if routine.supervision:
            self._every(case, "supervision", start, last, routine.supervision, "manager")

    def _visits(
        self, case: CasePlan, routine: Routine, start: datetime.date, last: datetime.date
    ) -> None:
        assert routine.visit is not None
        day = start + datetime.timedelta(days=self.rng.randint(*routine.first_visit))
        while True:
            on = weekday(day)
            if on > last:
                return
            if on >= start:
                self._record(case, "visit", on, **self._seen())
            gap = routine.visit
            if routine.late_visit and self.rng.random() < 0.07:
                gap = routine.late_visit
            day = on + datetime.timedelta(days=self.rng.randint(*gap))

    def _seen(self) -> dict[str, bool | None]:
        r = self.rng.random()
        q = self.quality
        if r < q.seen_missing:
            return {"seen": None, "seen_alone": None}
        if r < q.seen_missing + q.seen_not_alone:
            return {"seen": True, "seen_alone": False}
        if r < q.seen_missing + q.seen_not_alone + q.not_seen:
            return {"seen": False, "seen_alone": False}
        return {"seen": True, "seen_alone": True}

    def _reviews(
        self, case: CasePlan, routine: Routine, start: datetime.date, last: datetime.date
    ) -> None:
        offsets = list(routine.reviews)
        if not offsets:
            return
        day = start
        for n in range(100):
            step = offsets[n] if n < len(offsets) else routine.review_every
            if step is None:
                return
            day = day + datetime.timedelta(days=step + self.rng.randint(-5, 10))
            on = weekday(day)
            if on > last:
                return
            self._record(case, "review", on)

    def _every(
        self,
        case: CasePlan,
        kind: str,
        start: datetime.date,
        last: datetime.date,
        gap: tuple[int, int],
        recorder: str,
    ) -> None:
        day = start + datetime.timedelta(days=self.rng.randint(*gap))
        while (on := weekday(day)) <= last:
            if on >= start:
                self._record(case, kind, on, recorder=recorder)
            day = on + datetime.timedelta(days=self.rng.randint(*gap))


def weekday(day: datetime.date) -> datetime.date:
    """Routine work happens on weekdays: a Saturday or Sunday moves back to the Friday."""
    weekday_number = day.weekday()
    if weekday_number < 5:
        return day
    return day - datetime.timedelta(days=weekday_number - 4)
