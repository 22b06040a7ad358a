"""Plausible journeys of children through a council's children's social care.

A child comes in at the front door; most leave after the front door or an assessment.
The rest move on (in a second case) to a child in need plan, a child protection plan or
care, and from care home again, on to adoption or, at eighteen, to the care leavers team.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from cases.demo import names
from cases.demo.spec import ASSESS, CIN, CL, CP, FD, LAC, SERVICE_NAMES
from cases.demo.timeline import CasePlan, Performance, Quality, Script

YEAR = 365
WINDOW_DAYS = 730  # two years of history


@dataclass(frozen=True)
class Profile:
    """How a council's children are spread across the journeys (weights, not shares)."""

    routes: dict[str, float]
    # share of children coming into care whose first placement is dated before they
    # became looked after (a data-quality finding)
    early_placement: float


SMALL = Profile(
    routes={
        "nfa_front": 0.10,
        "nfa_assessment": 0.18,
        "cin": 0.22,
        "cp": 0.15,
        "lac_via_cp": 0.07,
        "lac": 0.14,
        "adoption": 0.07,
        "care_leaver": 0.07,
    },
    early_placement=0.04,
)
LARGE = Profile(
    routes={
        "nfa_front": 0.30,
        "nfa_assessment": 0.355,
        "cin": 0.13,
        "cp": 0.09,
        "lac_via_cp": 0.02,
        "lac": 0.045,
        "adoption": 0.02,
        "care_leaver": 0.025,
    },
    early_placement=0.07,
)

ETHNICITIES = {
    "WBRI": 68,
    "WIRI": 0.5,
    "WIRT": 0.3,
    "WOTH": 5,
    "WROM": 0.5,
    "MWBC": 3,
    "MWBA": 1.5,
    "MWAS": 1.5,
    "MOTH": 3,
    "AIND": 1.5,
    "APKN": 2.5,
    "ABAN": 1,
    "AOTH": 1,
    "BCRB": 1.5,
    "BAFR": 3,
    "BOTH": 1,
    "CHNE": 0.5,
    "OOTH": 1.5,
    "REFU": 0.5,
    "NOBT": 1,
}
PLACEMENTS = {"foster": 70, "kinship": 12, "residential": 10, "parents": 4, "other": 4}


@dataclass
class ChildPlan:
    reference: str
    given_name: str
    family_name: str
    date_of_birth: datetime.date
    gender: str
    ethnicity: str
    legal_status: str
    cases: list[CasePlan]


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def pick_gender(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.49:
        return "female"
    if r < 0.98:
        return "male"
    return "other" if r < 0.985 else "unknown"


def _birth_date(rng: random.Random, route: str, start: datetime.date) -> datetime.date:
    if route == "adoption":
        age_days = rng.randint(0, 2 * YEAR)
    elif route == "care_leaver":
        # eighteen between five months and about two years after the referral
        return (
            start
            + datetime.timedelta(days=rng.randint(150, 700))
            - datetime.timedelta(days=18 * YEAR + 4)
        )
    elif route in ("cin", "cp", "lac_via_cp", "lac"):
        age_days = rng.randint(0, 15 * YEAR)
    else:
        age_days = rng.randint(0, 17 * YEAR + 300)
    return start - datetime.timedelta(days=age_days)


def _birthday(dob: datetime.date, years: int) -> datetime.date:
    if dob.month == 2 and dob.day == 29:
        return datetime.date(dob.year + years, 3, 1)
    return dob.replace(year=dob.year + years)


def plan_council_child(
    *, reference: str, seed: str, today: datetime.date, profile: Profile, quality: Quality
) -> ChildPlan:
    rng = random.Random(seed)
    route = pick(rng, profile.routes)
    start = today - datetime.timedelta(days=rng.randint(0, WINDOW_DAYS))
    gender = pick_gender(rng)
    given, family = names.child_name(rng, gender)
    dob = _birth_date(rng, route, start)
    ethnicity = "" if rng.random() < 0.03 else pick(rng, ETHNICITIES)
    script = Script(rng)
    _Journey(script, dob, profile).run(route, start)
    performance = Performance(rng, today, quality)
    cases = performance.run(script)
    legal = performance.legal_status
    if legal and rng.random() < 0.03:
        legal = ""  # not recorded: a data-quality finding
    return ChildPlan(reference, given, family, dob, gender, ethnicity, legal, cases)


class _Journey:
    def __init__(self, script: Script, dob: datetime.date, profile: Profile) -> None:
        self.s = script
        self.rng = script.rng
        self.dob = dob
        self.profile = profile

    def run(self, route: str, start: datetime.date) -> None:
        s = self.s
        s.open(start, FD, "referral")
        s.event(start, "referral")
        if route == "nfa_front":
            s.close(start + s.days(0, 3), "No further action at the front door")
            return
        concern = route in ("cp", "lac_via_cp") or (
            route == "nfa_assessment" and self.rng.random() < 0.2
        )
        completed = self._assessment(s.working(start, 0, 3), concern)
        if route == "nfa_assessment":
            s.close(completed + s.days(0, 5), "No further action after assessment")
            return
        self._next_case(route, completed)

    def _assessment(self, day: datetime.date, concern: bool) -> datetime.date:
        s = self.s
        s.service(day, ASSESS)
        s.stage(day, "assessment")
        s.event(day, "assessment_started")
        s.phase(day, "assessment")
        if concern:
            strategy = day + s.days(0, 2)
            s.event(strategy, "strategy_discussion")
            s.event(strategy + s.days(0, 1), "s47_started")
            s47_done = s.working(strategy, 5, 12)
            s.event(s47_done, "s47_completed")
            self.strategy = strategy
            completed = s.working(s47_done, 0, 3)
        else:
            limit = (46, 65) if self.rng.random() < 0.08 else (8, 45)
            completed = s.working(day, *limit)
        s.event(completed, "assessment_completed")
        return completed

    def _transfer(self, day: datetime.date, service: str, stage: str) -> None:
        self.s.close(day, f"Transferred to {SERVICE_NAMES[service].lower()}")
        self.s.open(day, service, stage)

    def _next_case(self, route: str, completed: datetime.date) -> None:
        s = self.s
        if route in ("cp", "lac_via_cp"):
            late = self.rng.random() < 0.08
            icpc = s.working(self.strategy, *((16, 25) if late else (10, 15)))
            icpc = max(icpc, completed + s.days(1, 3))
            self._transfer(icpc, CP, "child_protection")
            self._protection(icpc, into_care=route == "lac_via_cp")
        elif route == "cin":
            day = completed + s.days(0, 7)
            self._transfer(day, CIN, "child_in_need")
            self._child_in_need(day)
        else:
            day = completed + s.days(0, 5)
            self._transfer(day, LAC, "looked_after")
            self._care(day, route, proceedings=route == "adoption" or self.rng.random() < 0.5)

    def _child_in_need(self, day: datetime.date, escalate: bool = True) -> None:
        s = self.s
        s.service(day, CIN)
        s.stage(day, "child_in_need")
        s.event(day, "cin_plan_started")
        s.phase(day, "cin")
        end = day + s.days(120, 450)
        if escalate and self.rng.random() < 0.12:
            strategy = end
            s.event(strategy, "strategy_discussion")
            s.event(strategy, "s47_started")
            s.event(s.working(strategy, 5, 10), "s47_completed")
            icpc = s.working(strategy, 11, 15)
            s.phase(icpc, None)
            self._protection(icpc, into_care=False)
            return
        s.close(end, "Child in need plan ended")

    def _protection(self, icpc: datetime.date, into_care: bool) -> None:
        s = self.s
        s.service(icpc, CP)
        s.stage(icpc, "child_protection")
        s.event(
            icpc,
            "icpc",
            outcome="Child protection plan: neglect"
            if self.rng.random() < 0.55
            else "Child protection plan: emotional abuse",
        )
        s.event(icpc, "cp_plan_started")
        s.phase(icpc, "cp")
        r = self.rng.random()
        if into_care or r < 0.10:
            issued = icpc + s.days(30, 200)
            s.event(issued, "care_proceedings_issued")
            lac_day = issued + s.days(0, 3)
            s.event(lac_day + s.days(0, 5), "cp_plan_ended")
            s.phase(lac_day, None)
            self._care(lac_day, "lac", proceedings=True, issued=issued)
            return
        end = icpc + s.days(90, 540)
        s.event(end, "cp_plan_ended")
        if r < 0.55:
            self._child_in_need(end + s.days(0, 3), escalate=False)
        else:
            s.close(end + s.days(0, 10), "Child protection plan ended")

    def _care(
        self, day: datetime.date, route: str, proceedings: bool, issued: datetime.date | None = None
    ) -> None:
        s = self.s
        s.service(day, LAC)
        s.stage(day, "looked_after")
        s.event(day, "became_looked_after")
        s.phase(day, "lac")
        concluded = None
        if proceedings:
            if issued is None:
                issued = day + s.days(-7, 7)
                s.event(max(issued, day), "care_proceedings_issued")
            s.legal(day, "C1")
            concluded = issued + s.days(18 * 7, 45 * 7)
        else:
            s.legal(day, "V2")
        exit_on, how = self._care_exit(day, route, concluded)
        if concluded and (exit_on is None or concluded < exit_on):
            s.event(concluded, "care_proceedings_concluded")
            if how != "adoption":
                s.legal(concluded, "C2")
        self._placements(day, exit_on, how)
        self._missing(day, exit_on)
        self._leave_care(exit_on, how)

    def _care_exit(
        self, day: datetime.date, route: str, concluded: datetime.date | None
    ) -> tuple[datetime.date | None, str]:
        s = self.s
        if route == "adoption":
            return self._adoption(day, concluded or day + s.days(200, 300)), "adoption"
        eighteen = _birthday(self.dob, 18)
        if route == "care_leaver" or eighteen < day + datetime.timedelta(days=2 * YEAR):
            return max(eighteen, day + s.days(7, 30)), "eighteen"
        if self.rng.random() < 0.35:
            return day + s.days(60, 540), "home"
        return None, "stays"

    def _adoption(self, day: datetime.date, placement_order: datetime.date) -> datetime.date:
        s = self.s
        tracking = day + s.days(20, 90)
        s.event(tracking, "early_tracking")
        s.stage(tracking, "early_tracking")
        decision = tracking + s.days(60, 150)
        s.event(min(decision, placement_order), "should_be_placed")
        s.event(placement_order, "placement_order")
        s.stage(placement_order, "placement_order")
        s.legal(placement_order, "E1")
        linked = placement_order + s.days(30, 180)
        matched = linked + s.days(28, 70)
        placed = matched + s.days(14, 35)
        order = placed + s.days(100, 280)
        for on, kind, stage in (
            (linked, "linked", "linked"),
            (matched, "matched", "matched"),
            (placed, "placed_for_adoption", "placed"),
            (order, "adoption_order", "adopted"),
        ):
            s.event(on, kind)
            s.stage(on, stage)
        s.event(placed, "placement_ended")
        s.event(placed, "placement_started", placement_type="adoption")
        return order

    def _placements(self, day: datetime.date, exit_on: datetime.date | None, how: str) -> None:
        s = self.s
        first = pick(self.rng, PLACEMENTS)
        if self.rng.random() < self.profile.early_placement:
            s.event(day, "placement_started", placement_type=first, occurred_on=day - s.days(1, 10))
        else:
            s.event(day, "placement_started", placement_type=first)
        end = exit_on or day + datetime.timedelta(days=3 * YEAR)
        if self.rng.random() < 0.07:
            moves = [day + s.days(20, 70)]
            while len(moves) < self.rng.randint(3, 5):
                moves.append(moves[-1] + s.days(20, 80))
        else:
            count = self.rng.choices((0, 1, 2), weights=(65, 25, 10))[0]
            moves = sorted(day + s.days(60, 600) for _ in range(count))
        for move in moves:
            if move >= end or (how == "adoption" and move >= end - datetime.timedelta(400)):
                break
            s.event(move, "placement_ended")
            s.event(
                move,
                "placement_started",
                placement_type=pick(self.rng, PLACEMENTS | {"parents": 0}),
            )

    def _missing(self, day: datetime.date, exit_on: datetime.date | None) -> None:
        s = self.s
        age = (day - self.dob).days // YEAR
        if age < 11 or self.rng.random() >= 0.15:
            return
        end = exit_on or day + datetime.timedelta(days=2 * YEAR)
        on = day
        for _ in range(self.rng.randint(1, 5)):
            on = on + s.days(10, 120)
            if on >= end:
                return
            s.event(on, "missing_episode")

    def _leave_care(self, exit_on: datetime.date | None, how: str) -> None:
        s = self.s
        if exit_on is None:
            return
        s.event(exit_on, "ceased_looked_after")
        s.legal(exit_on, "")
        if how == "eighteen":
            s.phase(exit_on, None)
            s.service(exit_on, CL)
            s.stage(exit_on, "care_leaver")
            s.phase(exit_on, "care_leaver")
        elif how == "adoption":
            s.close(exit_on, "Adopted", stage="adopted")
        else:
            s.event(exit_on, "placement_ended")
            s.close(exit_on + s.days(0, 14), "Ceased to be looked after: returned home")
