"""Load the demo region: create whatever of it is missing, one organisation at a time.

Natural keys make it idempotent: organisations by slug, services and teams by name,
staff by username, children and adopters by reference. A subject's cases and events are
written in the same transaction as the subject, so a subject that exists is complete.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cases.demo import adoption, children, names
from cases.demo.allocation import Allocator
from cases.demo.spec import SEED, OrgSpec, region_spec
from cases.demo.staff import (
    Person,
    Structure,
    ensure_region,
    ensure_staff,
    ensure_structure,
    people_for,
)
from cases.demo.timeline import CasePlan, Quality
from cases.models import Adopter, Case, Child, JourneyEvent, Organisation, StaffMember
from cases.services import visit_dates_refresh

BATCH = 2000
HISTORY_REASON = "Demo data"

Out = Callable[[str], None]


@dataclass
class Written:
    subjects: int = 0
    cases: int = 0
    events: int = 0

    def add(self, other: Written) -> None:
        self.subjects += other.subjects
        self.cases += other.cases
        self.events += other.events


def child_reference(spec: OrgSpec, n: int) -> str:
    return f"{spec.prefix}{n:06d}"


def load_demo(
    *,
    size: str = "small",
    first_council_children: int | None = None,
    councils: int = 3,
    today: datetime.date | None = None,
    out: Out = lambda line: None,
) -> bool:
    """Create what is missing of the demo region; False when it was all there already."""
    if not connection.features.can_return_rows_from_bulk_insert:
        raise RuntimeError("load_demo needs a database that returns ids from bulk inserts.")
    today = today or timezone.localdate()
    orgs = region_spec(
        large=size == "large", first_council_children=first_council_children, councils=councils
    )
    people = people_for(orgs)
    missing = [spec for spec in orgs if not _present(spec, people)]
    if not missing:
        out("The demo data is already present: nothing to load.")
        return False
    region = ensure_region()
    for spec in missing:
        with transaction.atomic():
            structure = ensure_structure(region, spec)
            ensure_staff(structure, spec, people)
            loader = _load_agency if spec.kind == "raa" else _load_council
            written = loader(structure, spec, today, out)
        out(
            f"{spec.name}: added {written.subjects:,} subjects, {written.cases:,} cases, "
            f"{written.events:,} events."
        )
    return True


def _present(spec: OrgSpec, people: dict[str, Person]) -> bool:
    org = Organisation.objects.filter(slug=spec.slug).first()
    if org is None:
        return False
    team_names = [name for names in spec.teams.values() for name in names]
    if org.teams.filter(name__in=team_names).count() != len(team_names):
        return False
    usernames = [people[slot.key].username for slot in spec.staff]
    if StaffMember.objects.filter(user__username__in=usernames).count() != len(usernames):
        return False
    if spec.kind == "raa":
        return org.adopters.count() >= spec.adopters
    references = set(org.children.values_list("reference", flat=True))
    return all(child_reference(spec, n) in references for n in range(1, spec.children + 1))


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _load_council(structure: Structure, spec: OrgSpec, today: datetime.date, out: Out) -> Written:
    org = structure.organisation
    existing = set(org.children.values_list("reference", flat=True))
    todo = [n for n in range(1, spec.children + 1) if child_reference(spec, n) not in existing]
    allocator = Allocator(structure, random.Random(f"{SEED}:{spec.slug}:allocate:{len(todo)}"))
    quality = Quality()
    written = Written()
    for batch in _chunks(todo, BATCH):
        plans = [
            children.plan_council_child(
                reference=child_reference(spec, n),
                seed=f"{SEED}:{spec.slug}:child:{n}",
                today=today,
                profile=children.SMALL if n <= spec.small_children else children.LARGE,
                quality=quality,
            )
            for n in batch
        ]
        written.add(_write_children(structure, plans, allocator))
        if len(todo) > BATCH:
            out(
                f"  {spec.name}: {written.subjects:,} of {len(todo):,} children, "
                f"{written.events:,} events"
            )
    return written


def _load_agency(structure: Structure, spec: OrgSpec, today: datetime.date, out: Out) -> Written:
    org = structure.organisation
    quality = Quality()
    plans = [
        adoption.plan_adopter(
            prefix=spec.prefix,
            n=n,
            seed=f"{SEED}:{spec.slug}:adopter:{n}",
            today=today,
            quality=quality,
        )
        for n in range(1, spec.adopters + 1)
    ]
    placements: list[dict[str, datetime.date] | None] = [plan.placement for plan in plans]
    placements += [None] * adoption.WAITING_CHILDREN
    child_plans = []
    for n, placement in enumerate(placements, start=1):
        plan = adoption.plan_agency_child(
            reference=adoption.agency_child_reference(spec.prefix, n),
            seed=f"{SEED}:{spec.slug}:child:{n}",
            today=today,
            quality=quality,
            placement=placement or None,
        )
        if plan is not None:
            child_plans.append(plan)
    allocator = Allocator(structure, random.Random(f"{SEED}:{spec.slug}:allocate"))
    have_adopters = set(org.adopters.values_list("reference", flat=True))
    have_children = set(org.children.values_list("reference", flat=True))
    written = _write_adopters(
        structure, [p for p in plans if p.reference not in have_adopters], allocator
    )
    written.add(
        _write_children(
            structure, [p for p in child_plans if p.reference not in have_children], allocator
        )
    )
    return written


def _write_children(
    structure: Structure, plans: list[children.ChildPlan], allocator: Allocator
) -> Written:
    subjects = [
        Child(
            organisation=structure.organisation,
            reference=p.reference,
            given_name=p.given_name,
            family_name=p.family_name,
            date_of_birth=p.date_of_birth,
            gender=p.gender,
            ethnicity=p.ethnicity,
            legal_status=p.legal_status,
        )
        for p in plans
    ]
    return _write_subjects(structure, Child, "child", subjects, [p.cases for p in plans], allocator)


def _write_adopters(
    structure: Structure, plans: list[adoption.AdopterPlan], allocator: Allocator
) -> Written:
    subjects = [
        Adopter(
            organisation=structure.organisation,
            reference=p.reference,
            household_name=p.household_name,
            household=p.household,
        )
        for p in plans
    ]
    return _write_subjects(
        structure, Adopter, "adopter", subjects, [p.cases for p in plans], allocator
    )


def _write_subjects(
    structure: Structure,
    model: type[Child] | type[Adopter],
    field: str,
    subjects: list[Any],
    case_plans: list[list[CasePlan]],
    allocator: Allocator,
) -> Written:
    if not subjects:
        return Written()
    now = timezone.now()
    bulk_create_with_history(
        subjects, model, batch_size=500, default_date=now, default_change_reason=HISTORY_REASON
    )
    org = structure.organisation
    cases: list[tuple[Case, CasePlan]] = []
    for subject, plans in zip(subjects, case_plans, strict=True):
        for plan in plans:
            team, worker = allocator.place(plan.service, is_open=plan.closed_on is None)
            case = Case(
                organisation=org,
                service=structure.services[plan.service],
                team_id=team,
                allocated_worker_id=worker,
                opened_on=plan.opened_on,
                closed_on=plan.closed_on,
                status=Case.Status.OPEN if plan.closed_on is None else Case.Status.CLOSED,
                journey_stage=plan.stage,
                **{field: subject},
            )
            cases.append((case, plan))
    bulk_create_with_history(
        [case for case, _ in cases],
        Case,
        batch_size=500,
        default_date=now,
        default_change_reason=HISTORY_REASON,
    )
    events = [
        JourneyEvent(
            organisation=org,
            case=case,
            kind=e.kind,
            occurred_on=e.occurred_on,
            recorded_on=e.recorded_on,
            seen=e.seen,
            seen_alone=e.seen_alone,
            placement_type=e.placement_type,
            outcome=e.outcome,
            recorded_by_id=allocator.recorder(case.team_id, case.allocated_worker_id, e.recorder),
        )
        for case, plan in cases
        for e in plan.events
    ]
    JourneyEvent.objects.bulk_create(events, batch_size=1000)
    visit_dates_refresh(cases=Case.objects.filter(organisation=org))
    return Written(len(subjects), len(cases), len(events))


def summary() -> list[dict[str, Any]]:
    """Counts per organisation of the demo region."""
    rows = []
    for org in Organisation.objects.filter(region__slug=names.REGION_SLUG).order_by("pk"):
        rows.append(
            {
                "name": org.name,
                "staff": org.staff.count(),
                "children": org.children.count(),
                "adopters": org.adopters.count(),
                "cases": org.cases.count(),
                "open_cases": org.cases.filter(status=Case.Status.OPEN).count(),
                "events": org.journey_events.count(),
            }
        )
    return rows
