"""Writes to case data."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import connections, router, transaction
from django.db.models import DateField, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from cases.models import VISIT_INTERVAL_DAYS, AccessLog, Case, JourneyEvent

if TYPE_CHECKING:
    from core.types import User

# Through-table rows per INSERT: within SQLite's 999 parameters at two columns a row.
BATCH_SIZE = 499


class Subject(NamedTuple):
    """A child (child set) or adopter household (adopter set) shown, and whose it is."""

    organisation_id: int
    child: int | None
    adopter: int | None


@transaction.atomic
def access_log_write(
    *, user: User, path: str, action: str, subjects: Iterable[Subject]
) -> list[AccessLog]:
    """Note that `user` was shown (or sent) the details of `subjects` by one response: one
    entry per organisation whose records it showed, so each organisation's QA reads its
    own, listing them all.

    A fixed number of queries however many subjects (an export of thousands is one entry
    and two bulk inserts). Every value comes from rows already read, so there is nothing
    to validate: no full_clean(), which would cost a query per foreign key."""
    by_organisation: dict[int, tuple[set[int], set[int]]] = {}
    for subject in subjects:
        children, adopters = by_organisation.setdefault(subject.organisation_id, (set(), set()))
        if subject.child is not None:
            children.add(subject.child)
        if subject.adopter is not None:
            adopters.add(subject.adopter)
    now = timezone.now()
    entries = []
    child_rows = []
    adopter_rows = []
    for organisation_id, (children, adopters) in sorted(by_organisation.items()):
        entry = AccessLog.objects.create(
            organisation_id=organisation_id,
            user=user,
            action=action,
            path=path[:300],
            viewed_at=now,
        )
        entries.append(entry)
        child_rows += [(entry.pk, pk) for pk in sorted(children)]
        adopter_rows += [(entry.pk, pk) for pk in sorted(adopters)]
    _links_insert(AccessLog.children.through, "child", child_rows)
    _links_insert(AccessLog.adopters.through, "adopter", adopter_rows)
    return entries


def _links_insert(through: Any, subject: str, rows: list[tuple[int, int]]) -> None:
    """An entry's children (or adopters) as (entry, child) rows of its list, in one INSERT
    per `BATCH_SIZE` rows. Not `bulk_create`: it builds a model and compiles each value,
    and on PostgreSQL reads every new row's id back, which nothing here needs; for the 25
    children of a list page that took twice as long as the insert (1.6 ms against 0.8)."""
    connection = connections[router.db_for_write(through)]
    quote = connection.ops.quote_name
    table = quote(through._meta.db_table)
    fields = [through._meta.get_field(name) for name in ("accesslog", subject)]
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            values = ", ".join(["(%s, %s)"] * len(batch))
            # Only the table's and columns' own names go into the text, quoted.
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values}",
                [value for row in batch for value in row],
            )


def visit_dates_refresh(*, cases: QuerySet[Case]) -> None:
    """Store each of `cases`' last visit and, for an open case in a visiting service, the
    day its next visit is due: the last visit (or, with none, the day it opened) plus its
    service's interval (`VISIT_INTERVAL_DAYS`). Set-based, a statement per kind of
    service whatever the number of cases; called when a case or a journey event is saved
    or deleted (cases/signals.py), after an import, and by the demo loader."""
    last_visit = (
        JourneyEvent.objects.filter(case=OuterRef("pk"), kind=JourneyEvent.Kind.VISIT)
        .order_by("-occurred_on")
        .values("occurred_on")[:1]
    )
    cases.update(last_visit_on=Subquery(last_visit))
    since = Coalesce(F("last_visit_on"), F("opened_on"))
    open_cases = cases.filter(status=Case.Status.OPEN)
    for kind, days in VISIT_INTERVAL_DAYS.items():
        # A date on every database (PostgreSQL adds an interval to a date as a timestamp).
        due = Cast(since + datetime.timedelta(days=days), DateField())
        open_cases.filter(service__kind=kind).update(next_visit_due_on=due)
    cases.exclude(status=Case.Status.OPEN, service__kind__in=list(VISIT_INTERVAL_DAYS)).update(
        next_visit_due_on=None
    )
