"""Which team holds a case and which worker it is allocated to, balancing caseloads."""

from __future__ import annotations

import random
from collections import Counter

from django.db.models import Count

from cases.demo.staff import Structure
from cases.models import Case, StaffMember

UNALLOCATED = 0.03
# The demo practitioner gets a busier caseload than their colleague, within limits.
DEMO_PRACTITIONER = "practitioner"
DEMO_WEIGHT = 1.5
DEMO_CAP = 14


class Allocator:
    def __init__(self, structure: Structure, rng: random.Random) -> None:
        self.rng = rng
        org = structure.organisation
        self.teams_by_service: dict[str, list[int]] = {}
        for team in sorted(structure.teams.values(), key=lambda t: t.pk):
            kind = next(k for k, s in structure.services.items() if s.pk == team.service_id)
            self.teams_by_service.setdefault(kind, []).append(team.pk)
        self.practitioners: dict[int, list[int]] = {}
        self.managers: dict[int, int] = {}
        self.weights: dict[int, float] = {}
        self.caps: dict[int, int] = {}
        members = StaffMember.objects.filter(organisation=org, team__isnull=False).order_by("pk")
        for staff_id, team_id, role, username in members.values_list(
            "pk", "team_id", "role", "user__username"
        ):
            if role == StaffMember.Role.TEAM_MANAGER:
                self.managers.setdefault(team_id, staff_id)
            elif role == StaffMember.Role.PRACTITIONER:
                self.practitioners.setdefault(team_id, []).append(staff_id)
                if username == DEMO_PRACTITIONER:
                    self.weights[staff_id] = DEMO_WEIGHT
                    self.caps[staff_id] = DEMO_CAP
        open_cases = Case.objects.filter(organisation=org, status=Case.Status.OPEN)
        self.worker_load: Counter[int] = Counter(
            dict(
                open_cases.filter(allocated_worker__isnull=False)
                .values_list("allocated_worker")
                .annotate(n=Count("pk"))
            )
        )
        self.team_load: Counter[int] = Counter(
            dict(open_cases.values_list("team").annotate(n=Count("pk")))
        )

    def place(self, service: str, is_open: bool) -> tuple[int, int | None]:
        """A team in `service` and a worker in it (None: unallocated)."""
        teams = self.teams_by_service[service]
        if not is_open:
            team = self.rng.choice(teams)
            workers = self.practitioners.get(team)
            return team, self.rng.choice(workers) if workers else None
        team = min(
            teams,
            key=lambda t: (self.team_load[t] + 1) / max(1, len(self.practitioners.get(t, ()))),
        )
        self.team_load[team] += 1
        workers = [
            w
            for w in self.practitioners.get(team, ())
            if self.worker_load[w] < self.caps.get(w, 10**6)
        ]
        if not workers or self.rng.random() < UNALLOCATED:
            return team, None
        worker = min(workers, key=lambda w: self.worker_load[w] / self.weights.get(w, 1.0))
        self.worker_load[worker] += 1
        return team, worker

    def recorder(self, team: int, worker: int | None, who: str) -> int | None:
        """Who recorded an event: mostly the allocated worker; supervision the manager."""
        manager = self.managers.get(team)
        if who == "manager":
            return manager or worker
        colleagues = self.practitioners.get(team, ())
        if worker is None or (colleagues and self.rng.random() < 0.08):
            return self.rng.choice(colleagues) if colleagues else manager
        return worker
