"""What an import will write, worked out before anything is written.

Checking a file produces a Plan: for children, cases and journey events, the records to
create, the records to update (with their primary keys) and how many are unchanged.
Records are compared by their natural key (a child's reference, a case's or an event's
source_ref) with what the organisation already holds, so re-importing a file plans no
change at all.

Rows are kept as plain tuples in a fixed field order: a million events as model
instances would not fit in memory. A reference to a child or case is its primary key
when it already exists, or its natural key (a string) when this same import creates it;
the writer resolves those as it goes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import QuerySet

from cases.models import Case, Child, JourneyEvent

_Rows = TypeVar("_Rows", bound=QuerySet[Any])

CHILD_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "gender",
    "ethnicity",
    "legal_status",
)
CASE_FIELDS = (
    "child",  # pk, or the reference of a child this import creates
    "team_id",
    "service_id",
    "allocated_worker_id",
    "status",
    "opened_on",
    "closed_on",
    "journey_stage",
)
EVENT_FIELDS = (
    "case",  # pk, or the source_ref of a case this import creates
    "kind",
    "occurred_on",
    "recorded_on",
    "seen",
    "seen_alone",
    "placement_type",
    "outcome",
)


@dataclass
class Changes:
    """Creates are (key, values); updates are (pk, key, values); values in field order."""

    create: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    update: list[tuple[int, str, tuple[Any, ...]]] = field(default_factory=list)
    unchanged: int = 0

    def add(
        self,
        key: str,
        values: tuple[Any, ...],
        existing: tuple[int, tuple[Any, ...]] | None,
        keep: tuple[bool, ...] | None = None,
    ) -> None:
        """Plan one record; `keep` marks fields the file leaves out, kept as they are."""
        if existing is None:
            self.create.append((key, values))
            return
        pk, old = existing
        if keep is not None:
            values = tuple(o if k else n for n, o, k in zip(values, old, keep, strict=True))
        if values == old:
            self.unchanged += 1
        else:
            self.update.append((pk, key, values))

    @property
    def total(self) -> int:
        return len(self.create) + len(self.update) + self.unchanged

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.create),
            "updated": len(self.update),
            "unchanged": self.unchanged,
        }


@dataclass
class Plan:
    children: Changes = field(default_factory=Changes)
    cases: Changes = field(default_factory=Changes)
    events: Changes = field(default_factory=Changes)
    # Primary keys of records an earlier import made that the file no longer has (the
    # SSDA903 return: it is the whole picture of each child in it). Cases that hold
    # records from elsewhere are closed rather than removed.
    remove_events: list[int] = field(default_factory=list)
    remove_cases: list[int] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def sections(self) -> tuple[tuple[str, Changes], ...]:
        return (("children", self.children), ("cases", self.cases), ("events", self.events))

    @property
    def removals(self) -> int:
        return len(self.remove_events) + len(self.remove_cases)

    @property
    def writes(self) -> int:
        return sum(len(c.create) + len(c.update) for _, c in self.sections) + self.removals

    def totals(self) -> dict[str, int]:
        return {
            "created": sum(len(c.create) for _, c in self.sections),
            "updated": sum(len(c.update) for _, c in self.sections),
            "unchanged": sum(c.unchanged for _, c in self.sections),
        }

    def summary(self) -> dict[str, Any]:
        counts = {name: changes.counts() for name, changes in self.sections if changes.total}
        return {**counts, **self.details}


# What the organisation already holds, keyed by natural key, in the field orders above.


def existing_children(organisation_id: int) -> dict[str, tuple[int, tuple[Any, ...]]]:
    rows = Child.objects.filter(organisation_id=organisation_id).values_list(
        "pk", "reference", *CHILD_FIELDS
    )
    return {reference: (pk, tuple(rest)) for pk, reference, *rest in rows}


def existing_cases(
    organisation_id: int, prefix: str = ""
) -> dict[str, tuple[int, tuple[Any, ...]]]:
    rows = _imported(Case.objects.filter(organisation_id=organisation_id), prefix).values_list(
        "pk", "source_ref", "child_id", *CASE_FIELDS[1:]
    )
    return {ref: (pk, tuple(rest)) for pk, ref, *rest in rows}


def existing_events(
    organisation_id: int, prefix: str = ""
) -> dict[str, tuple[int, tuple[Any, ...]]]:
    rows = (
        _imported(JourneyEvent.objects.filter(organisation_id=organisation_id), prefix)
        .values_list("pk", "source_ref", "case_id", *EVENT_FIELDS[1:])
        .iterator(chunk_size=10_000)
    )
    return {ref: (pk, tuple(rest)) for pk, ref, *rest in rows}


def _imported(queryset: _Rows, prefix: str) -> _Rows:
    if prefix:
        return queryset.filter(source_ref__startswith=prefix)
    return queryset.exclude(source_ref="")


def count_by(values: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return dict(sorted(counts.items()))
