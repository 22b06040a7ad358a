"""Checking our own files, children, cases and journey events, into a Plan.

Each looks up what it needs once (the organisation's children, teams, staff, imported
cases and events) and then checks row by row against those dictionaries: never a
query per row. A file is checked to its end, so the report lists every problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cases.models import Case, Child, StaffMember, Team
from performance.services.imports import layouts
from performance.services.imports.checking import Checker, Problems
from performance.services.imports.plan import (
    CHILD_FIELDS,
    Plan,
    existing_cases,
    existing_children,
    existing_events,
)

Found = tuple[str, Any, str]  # (column, value, message)


@dataclass
class Source:
    """One uploaded file being checked."""

    checker: Checker
    organisation_id: int
    problems: Problems

    @property
    def file(self) -> str:
        return self.checker.file

    def report(self, row: int, found: list[Found]) -> bool:
        for column, value, message in found:
            self.problems.add(self.file, row, message, column, value)
        return not found

    def keep(self, names: list[str]) -> tuple[bool, ...] | None:
        """Which of these columns the file leaves out (None when it has them all)."""
        keep = tuple(name not in self.checker.present for name in names)
        return keep if any(keep) else None


# Children


def check_children(source: Source) -> Plan:
    plan = Plan()
    existing = existing_children(source.organisation_id)
    # The layout's columns after child_id are named as the fields they fill.
    keep = source.keep(list(CHILD_FIELDS))
    unknown = Child.Gender.UNKNOWN
    for _, values in source.checker.rows():
        reference, given, family, born, gender, ethnicity, status = values
        row = (given, family, born, gender or unknown, ethnicity or "", status or "")
        plan.children.add(reference, row, existing.get(reference), keep)
    return plan


# Cases


def person_key(text: str) -> str:
    """A worker as a person types them: case and runs of spaces do not matter."""
    return " ".join(str(text).split()).casefold()


@dataclass
class StaffLookup:
    """The organisation's staff by what a person can see of them: their staff reference
    (the username the import guide lists) or their name as the portal shows it."""

    references: dict[str, int]
    names: dict[str, list[int]]

    @classmethod
    def load(cls, organisation_id: int) -> StaffLookup:
        references: dict[str, int] = {}
        names: dict[str, list[int]] = {}
        rows = StaffMember.objects.filter(organisation_id=organisation_id).values_list(
            "pk", "user__username", "user__first_name", "user__last_name"
        )
        for pk, username, first, last in rows:
            references[person_key(username)] = pk
            # StaffMember.display_name: the full name, or the username when there is none.
            name = f"{first} {last}".strip() or username
            names.setdefault(person_key(name), []).append(pk)
        return cls(references=references, names=names)

    def find(self, worker: str) -> tuple[int | None, str]:
        """(the staff member, "") or (None, what is wrong)."""
        key = person_key(worker)
        if key in self.references:
            return self.references[key], ""
        found = self.names.get(key, [])
        if len(found) == 1:
            return found[0], ""
        if found:
            return None, (
                f"{len(found)} members of your organisation's staff are called {worker}. "
                "Use the staff reference of the one you mean, from the list in the guide"
            )
        return None, (
            "There is no member of your organisation's staff with this name or staff "
            "reference. Use the worker's name as the portal shows it, or their staff "
            "reference from the list in the guide"
        )


@dataclass
class CaseLookups:
    children: dict[str, int]
    teams: dict[str, tuple[int, int]]  # lower-case name -> (team, service)
    team_names: list[str]
    staff: StaffLookup

    @classmethod
    def load(cls, organisation_id: int) -> CaseLookups:
        teams = Team.objects.filter(organisation_id=organisation_id).order_by("name")
        return cls(
            children={ref: pk for ref, (pk, _) in existing_children(organisation_id).items()},
            teams={t.name.lower(): (t.pk, t.service_id) for t in teams},
            team_names=[t.name for t in teams],
            staff=StaffLookup.load(organisation_id),
        )

    def case_problems(self, values: list[Any]) -> list[Found]:
        _, child, team, opened, closed, _, worker = values
        found = []
        if child not in self.children:
            found.append(
                (
                    "child_id",
                    child,
                    f"There is no child with ID {child} in your organisation. "
                    "Import the child first, with the children template",
                )
            )
        if team.lower() not in self.teams:
            names = ", ".join(self.team_names[:12])
            found.append(
                (
                    "team",
                    team,
                    f"This is not a team of your organisation. Use a team's name "
                    f"as the portal shows it: {names}",
                )
            )
        if worker:
            _, wrong = self.staff.find(worker)
            if wrong:
                found.append(("worker", worker, wrong))
        if closed is not None and closed < opened:
            found.append(
                (
                    "closed_on",
                    closed,
                    "The case closes before it opens: closed_on must be "
                    "the same as or after opened_on",
                )
            )
        return found


def check_cases(source: Source) -> Plan:
    plan = Plan()
    lookups = CaseLookups.load(source.organisation_id)
    existing = existing_cases(source.organisation_id)
    closed_absent = "closed_on" not in source.checker.present
    flags = (
        False,
        False,
        False,
        "worker" not in source.checker.present,
        closed_absent,
        False,
        closed_absent,
        False,
    )
    keep = flags if any(flags) else None
    for number, values in source.checker.rows():
        if not source.report(number, lookups.case_problems(values)):
            continue
        key, child, team, opened, closed, stage, worker = values
        team_id, service_id = lookups.teams[team.lower()]
        status = Case.Status.CLOSED if closed else Case.Status.OPEN
        worker_id = lookups.staff.find(worker)[0] if worker else None
        row = (
            lookups.children[child],
            team_id,
            service_id,
            worker_id,
            status,
            opened,
            closed,
            stage,
        )
        plan.cases.add(key, row, existing.get(key), keep)
    return plan


# Journey events


def event_problems(values: list[Any], case_pk: int | None) -> list[Found]:
    _, case, _, occurred, recorded, seen, alone, _, _ = values
    found = []
    if case_pk is None:
        found.append(
            (
                "case_id",
                case,
                f"There is no imported case with ID {case} in your "
                "organisation. Import the case first, with the cases template",
            )
        )
    if recorded < occurred:
        found.append(
            (
                "recorded_on",
                recorded,
                "The event is recorded before it happened: recorded_on "
                "must be the same as or after occurred_on",
            )
        )
    if alone and not seen:
        found.append(
            (
                "seen_alone",
                "yes",
                "The child cannot be seen alone without being seen: "
                "seen must be yes when seen_alone is yes",
            )
        )
    return found


def check_events(source: Source) -> Plan:
    plan = Plan()
    case_pks = {ref: pk for ref, (pk, _) in existing_cases(source.organisation_id).items()}
    existing = existing_events(source.organisation_id)
    keep = source.keep(layouts.EVENT_COLUMNS)
    add = plan.events.add
    for number, values in source.checker.rows():
        key, case, kind, occurred, recorded, seen, alone, placement, outcome = values
        case_pk = case_pks.get(case)
        if case_pk is None or recorded < occurred or (alone and not seen):
            source.report(number, event_problems(values, case_pk))
            continue
        row = (case_pk, kind, occurred, recorded, seen, alone, placement or "", outcome or "")
        add(key, row, existing.get(key), keep)
    return plan


CHECKS = {
    "children": check_children,
    "cases": check_cases,
    "events": check_events,
}
