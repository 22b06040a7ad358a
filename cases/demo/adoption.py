"""Adopter households' journeys through the regional adoption agency, and the children
the agency's family finding team finds families for.

Each approved household that stays the course is linked with one child; the child's
linked, matched, placed and adoption order dates are the household's.

Most journeys start in the last two years and so are still under way today. A few
households are settled: they go straight through, and their journey is moved (by whole
weeks, so weekdays stay weekdays) so that their adoption order, or the end of their
adoption support, falls in the year before today: the last year has families who adopted
and families whose support ended.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from cases.demo import names
from cases.demo.children import ETHNICITIES, ChildPlan, pick, pick_gender
from cases.demo.spec import FAMILY_FINDING, RECRUIT, SUPPORT
from cases.demo.timeline import CasePlan, Performance, Quality, Script

WINDOW_DAYS = 730
WAITING_CHILDREN = 8
# Every SETTLED_EVERY-th household's adoption order falls in the last year; the one
# SETTLED_EVERY // 2 after it has its adoption support end in the last year.
SETTLED_EVERY = 10
SETTLED_ORDER = "order"
SETTLED_SUPPORT = "support"


@dataclass
class AdopterPlan:
    reference: str
    household_name: str
    household: str
    cases: list[CasePlan]
    # the planned placement, whether or not it has happened yet
    placement: dict[str, datetime.date] = field(default_factory=dict)


def agency_child_reference(prefix: str, n: int) -> str:
    return f"{prefix}C{n:05d}"


def agency_adopter_reference(prefix: str, n: int) -> str:
    return f"{prefix}A{n:05d}"


class _AdopterJourney:
    def __init__(self, script: Script, child_reference: str, settled: bool = False) -> None:
        self.s = script
        self.rng = script.rng
        self.child_reference = child_reference
        # A settled household never withdraws and its adoption support ends.
        self.settled = settled
        self.placement: dict[str, datetime.date] = {}
        self.support_ended: datetime.date | None = None

    def _leaves(self, chance: float) -> bool:
        return self.rng.random() < chance and not self.settled

    def _withdraw(self, on: datetime.date, why: str) -> None:
        self.s.event(on, "withdrawn", outcome=why)
        self.s.close(on + self.s.days(0, 7), why)

    def run(self, start: datetime.date) -> None:
        s = self.s
        s.open(start, RECRUIT, "enquiry")
        s.event(start, "enquiry")
        if self._leaves(0.2):
            s.close(start + s.days(14, 60), "Did not go on to register")
            return
        stage_one = start + s.days(7, 42)
        s.event(stage_one, "stage_one_started")
        s.stage(stage_one, "stage_one")
        s.phase(stage_one, "adopter_assessment")
        stage_one_done = stage_one + s.days(42, 75)
        if self._leaves(0.1):
            self._withdraw(stage_one + s.days(14, 40), "Withdrew during stage one")
            return
        s.event(stage_one_done, "stage_one_completed")
        stage_two = stage_one_done + s.days(0, 60)
        s.event(stage_two, "stage_two_started")
        s.stage(stage_two, "stage_two")
        if self._leaves(0.08):
            self._withdraw(stage_two + s.days(20, 90), "Withdrew during stage two")
            return
        stage_two_done = stage_two + s.days(98, 140)
        s.event(stage_two_done, "stage_two_completed")
        panel = stage_two_done + s.days(14, 42)
        s.event(panel, "panel", outcome="Recommended for approval")
        approval = s.working(panel, 2, 7)
        s.event(approval, "approval")
        s.stage(approval, "approved")
        s.service(approval, FAMILY_FINDING)
        s.phase(approval, "adopter_waiting")
        self._placement(approval)

    def _placement(self, approval: datetime.date) -> None:
        s = self.s
        linked = approval + s.days(30, 270)
        if self._leaves(0.08):
            self._withdraw(approval + s.days(30, 300), "Withdrew while waiting")
            return
        matched = linked + s.days(28, 70)
        placed = matched + s.days(14, 35)
        order = placed + s.days(100, 280)
        self.placement = {"linked": linked, "matched": matched, "placed": placed, "order": order}
        with_child = f"Child {self.child_reference}"
        s.event(linked, "linked", outcome=f"Linked with {with_child}")
        s.stage(linked, "linked")
        s.event(matched, "panel", outcome="Match recommended")
        s.event(matched, "matched", outcome=f"Matched with {with_child}")
        s.stage(matched, "matched")
        s.event(placed, "placed_for_adoption")
        s.stage(placed, "placed")
        s.phase(placed, "adopter_placed")
        s.event(order, "adoption_order")
        s.close(order, "Adoption order granted", stage="adopted")
        s.open(order, SUPPORT, "adoption_support")
        s.phase(order, "adoption_support")
        if self.rng.random() < 0.5 or self.settled:
            self.support_ended = order + s.days(120, 400)
            s.close(self.support_ended, "Adoption support ended")


def plan_adopter(
    *, prefix: str, n: int, seed: str, today: datetime.date, quality: Quality
) -> AdopterPlan:
    rng = random.Random(seed)
    couple = rng.random() < 0.7
    household_name = names.household_name(rng, couple)
    start = today - datetime.timedelta(days=rng.randint(0, WINDOW_DAYS))
    script = Script(rng)
    settled = _settled(n)
    journey = _AdopterJourney(script, agency_child_reference(prefix, n), settled=bool(settled))
    journey.run(start)
    if settled:
        _settle(script, journey, settled, today)
    cases = Performance(rng, today, quality).run(script)
    return AdopterPlan(
        reference=agency_adopter_reference(prefix, n),
        household_name=household_name,
        household="couple" if couple else "single",
        cases=cases,
        placement=journey.placement,
    )


def _settled(n: int) -> str:
    if n % SETTLED_EVERY == 0:
        return SETTLED_ORDER
    if n % SETTLED_EVERY == SETTLED_EVERY // 2:
        return SETTLED_SUPPORT
    return ""


def _settle(script: Script, journey: _AdopterJourney, settled: str, today: datetime.date) -> None:
    """Move the settled household's journey so that its adoption order (or the end of its
    adoption support) falls between three weeks and eleven months before today."""
    ends = journey.placement["order"] if settled == SETTLED_ORDER else journey.support_ended
    assert ends is not None
    target = today - datetime.timedelta(days=script.rng.randint(21, 330))
    delta = datetime.timedelta(weeks=(target - ends).days // 7)
    for step in script.steps:
        step.on += delta
    journey.placement = {key: day + delta for key, day in journey.placement.items()}


def plan_agency_child(
    *,
    reference: str,
    seed: str,
    today: datetime.date,
    quality: Quality,
    placement: dict[str, datetime.date] | None,
) -> ChildPlan | None:
    """A child in family finding: linked with `placement`'s household, or still waiting."""
    rng = random.Random(seed)
    s = Script(rng)
    if placement:
        tracking = placement["linked"] - s.days(150, 330)
    else:
        tracking = today - s.days(20, 300)
    if tracking > today:
        return None
    gender = pick_gender(rng)
    given, family = names.child_name(rng, gender)
    dob = tracking - s.days(0, 900)
    s.open(tracking, FAMILY_FINDING, "early_tracking")
    s.event(tracking, "early_tracking")
    s.legal(tracking, "C1")
    s.phase(tracking, "family_finding")
    decision = tracking + s.days(30, 90)
    s.event(decision, "should_be_placed")
    order = decision + s.days(30, 120)
    if placement:
        order = min(order, placement["linked"] - s.days(7, 28))
    s.event(order, "placement_order")
    s.stage(order, "placement_order")
    s.legal(order, "E1")
    if placement:
        _follow_placement(s, placement)
    performance = Performance(rng, today, quality)
    cases = performance.run(s)
    ethnicity = "" if rng.random() < 0.03 else pick(rng, ETHNICITIES)
    return ChildPlan(
        reference, given, family, dob, gender, ethnicity, performance.legal_status, cases
    )


def _follow_placement(s: Script, placement: dict[str, datetime.date]) -> None:
    for kind, key, stage in (
        ("linked", "linked", "linked"),
        ("matched", "matched", "matched"),
        ("placed_for_adoption", "placed", "placed"),
        ("adoption_order", "order", "adopted"),
    ):
        s.event(placement[key], kind)
        s.stage(placement[key], stage)
    s.event(placement["placed"], "placement_started", placement_type="adoption")
    s.legal(placement["order"], "")
    s.close(placement["order"], "Adopted", stage="adopted")
