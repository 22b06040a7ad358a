"""Writing a checked Plan, in batches, inside the caller's one transaction.

Children and cases go through Django's bulk_create and bulk_update, with their history
records (django-simple-history), a few thousand at a time. Journey events can number a
million: building and compiling a model instance per row costs about 90 seconds per
million on SQLite (Django compiles every value of every 76-row INSERT), so events are
written straight to the driver over the same columns Django would use, 5,000 rows a
batch: executemany on SQLite (about 40 seconds a million, indexes included), COPY on
PostgreSQL.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Field, Model, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cases.models import Case, Child, JourneyEvent, JourneyStage
from cases.services import visit_dates_refresh
from core.batches import batched
from performance.models import DataQualityIssue
from performance.services.imports.plan import CASE_FIELDS, CHILD_FIELDS, EVENT_FIELDS, Plan

if TYPE_CHECKING:
    from core.types import User

BATCH = 5000
HISTORY_BATCH = 1000
SQLITE_CACHE_KIB = -256 * 1024  # negative: KiB, so 256 MB

Tick = Callable[[int], None]


class Writer:
    def __init__(
        self,
        *,
        organisation_id: int,
        user: User | None,
        reason: str,
        tick: Tick = lambda done: None,
    ) -> None:
        self.organisation_id = organisation_id
        self.user = user
        self.reason = reason
        self.tick = tick
        self.done = 0
        self.child_pks: dict[str, int] = {}
        self.case_pks: dict[str, int] = {}

    def write(self, plan: Plan) -> None:
        with _large_cache():
            self._remove_events(plan)
            self._children(plan)
            self._cases(plan)
            self._events(plan)
            self._remove_cases(plan)
            # The rows above bypass the model's signals: the cases' stored visit dates
            # are worked out again, for the organisation, in a few statements.
            visit_dates_refresh(cases=Case.objects.filter(organisation_id=self.organisation_id))

    def _advance(self, count: int) -> None:
        self.done += count
        self.tick(self.done)

    # Children and cases: model instances, with history.

    def _children(self, plan: Plan) -> None:
        org = self.organisation_id
        new = [
            Child(
                organisation_id=org, reference=key, **dict(zip(CHILD_FIELDS, values, strict=True))
            )
            for key, values in plan.children.create
        ]
        for batch in batched(new, HISTORY_BATCH):
            write_batch(Child, batch, self._create_with_history)
            self.child_pks.update((child.reference, child.pk) for child in batch)
            self._advance(len(batch))
        changed = [
            Child(
                pk=pk,
                organisation_id=org,
                reference=key,
                **dict(zip(CHILD_FIELDS, values, strict=True)),
            )
            for pk, key, values in plan.children.update
        ]
        for batch in batched(changed, HISTORY_BATCH):
            write_batch(Child, batch, self._update_with_history(CHILD_FIELDS))
            self._advance(len(batch))

    def _cases(self, plan: Plan) -> None:
        new = [self._case(None, key, values) for key, values in plan.cases.create]
        for batch in batched(new, HISTORY_BATCH):
            write_batch(Case, batch, self._create_with_history)
            self.case_pks.update((case.source_ref, case.pk) for case in batch)
            self._advance(len(batch))
        changed = [self._case(pk, key, values) for pk, key, values in plan.cases.update]
        fields = ["child", *CASE_FIELDS[1:]]
        for batch in batched(changed, HISTORY_BATCH):
            write_batch(Case, batch, self._update_with_history(fields))
            self._advance(len(batch))

    def _case(self, pk: int | None, key: str, values: tuple[Any, ...]) -> Case:
        child, *rest = values
        fields = dict(zip(CASE_FIELDS[1:], rest, strict=True))
        return Case(
            pk=pk,
            organisation_id=self.organisation_id,
            source_ref=key,
            child_id=self.child_pks[child] if isinstance(child, str) else child,
            **fields,
        )

    def _create_with_history(self, model: type[Model], batch: list[Model]) -> None:
        bulk_create_with_history(
            batch, model, default_user=self.user, default_change_reason=self.reason
        )

    def _update_with_history(self, fields: Sequence[str]) -> Callable[..., None]:
        def update(model: type[Model], batch: list[Model]) -> None:
            bulk_update_with_history(
                batch,
                model,
                list(fields),
                default_user=self.user,
                default_change_reason=self.reason,
            )

        return update

    # Journey events: rows through executemany.

    def _events(self, plan: Plan) -> None:
        columns = ["organisation", "source_ref", *EVENT_FIELDS, "recorded_by", "notes"]
        insert = _inserter(JourneyEvent, columns)
        prepare = _Preparer(JourneyEvent, columns)
        org = self.organisation_id
        for batch in batched(plan.events.create, BATCH):
            rows = [
                prepare((org, key, self._case_pk(values[0]), *values[1:], None, ""))
                for key, values in batch
            ]
            write_batch(JourneyEvent, rows, insert)
            self._advance(len(rows))
        update = _update_sql(JourneyEvent, ["source_ref", *EVENT_FIELDS])
        prepare = _Preparer(JourneyEvent, ["source_ref", *EVENT_FIELDS, "id"])
        for changes in batched(plan.events.update, BATCH):
            rows = [
                prepare((key, self._case_pk(values[0]), *values[1:], pk))
                for pk, key, values in changes
            ]
            write_batch(JourneyEvent, rows, _executemany(update))
            self._advance(len(rows))

    def _case_pk(self, case: int | str) -> int:
        return self.case_pks[case] if isinstance(case, str) else case

    # Removals: records an earlier import made that the file no longer has.

    def _remove_events(self, plan: Plan) -> None:
        """Delete them first, so their source_refs are free for the events written next.
        Two statements a batch: data-quality issues about them are emptied, as the
        SET_NULL of DataQualityIssue.event would (the nightly run then closes them), and
        the rows go (Django's delete would take a statement per 100 rows)."""
        for batch in batched(plan.remove_events, BATCH):
            DataQualityIssue.objects.filter(event_id__in=batch).update(event=None)
            write_batch(JourneyEvent, batch, _delete)
            self._advance(len(batch))

    def _remove_cases(self, plan: Plan) -> None:
        """Delete the cases, with a history record each, unless something else holds on
        to them (an audit, an event from elsewhere, a note on a data-quality issue): those
        are closed on the day they opened, so they count for no day of care."""
        kept: set[int] = set()
        for batch in batched(plan.remove_cases, HISTORY_BATCH):
            cases = list(Case.objects.filter(pk__in=batch))
            held = _held(batch)
            closing = [case for case in cases if case.pk in held]
            for case in closing:
                case.status, case.closed_on = Case.Status.CLOSED, case.opened_on
                case.journey_stage = JourneyStage.CLOSED
            if closing:
                fields = ["status", "closed_on", "journey_stage"]
                write_batch(Case, closing, self._update_with_history(fields))
            gone = [case for case in cases if case.pk not in held]
            if gone:
                write_batch(Case, gone, self._delete_with_history)
            kept.update(held)
            self._advance(len(batch))
        removed = plan.details.get("removed")
        if removed is not None and plan.remove_cases:
            removed["cases_closed"] = len(kept)
            for item in removed["listed"]:
                if item.get("what") == "case":
                    item["closed"] = item.pop("pk") in kept

    def _delete_with_history(self, model: type[Model], batch: list[Model]) -> None:
        """One history record per case, as django-simple-history writes on a delete, but
        in bulk; then the rows (their data-quality issues go with them)."""
        # django-simple-history gives each tracked model its `history` at run time.
        history = model.history.model  # type: ignore[attr-defined]
        now = timezone.now()
        history.objects.bulk_create(
            [
                history(
                    history_date=now,
                    history_user=self.user,
                    history_change_reason=self.reason,
                    history_type="-",
                    **{f.attname: getattr(instance, f.attname) for f in history.tracked_fields},
                )
                for instance in batch
            ]
        )
        pks = [instance.pk for instance in batch]
        DataQualityIssue.objects.filter(case_id__in=pks).delete()
        # Not Django's delete: that would write each history record again, one by one.
        _delete(model, pks)


@contextlib.contextmanager
def _large_cache() -> Iterator[None]:
    """SQLite: a page cache big enough for the journey-event indexes while writing.
    Events land all over the (case, date) index; with SQLite's default 2 MB cache a
    million inserts spend most of their time re-reading index pages from disk."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _delete(model: type[Model], pks: list[int]) -> None:
    """Delete rows by primary key in one statement, with no signals or cascades: the
    callers deal with what points at them first."""
    table = connection.ops.quote_name(model._meta.db_table)
    places = ", ".join(["%s"] * len(pks))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {_column(model, 'id')} IN ({places})", pks)


def _held(case_pks: list[int]) -> set[int]:
    """Of these cases, those that hold records from elsewhere than the import."""
    held = Case.objects.filter(pk__in=case_pks).filter(
        Q(audits__isnull=False) | Q(data_quality_issues__notes__isnull=False)
    )
    events = JourneyEvent.objects.filter(case_id__in=case_pks)
    return set(held.values_list("pk", flat=True)) | set(events.values_list("case_id", flat=True))


def write_batch(model: type[Model], batch: list[Any], write: Callable[..., None]) -> None:
    """Write one batch. The one place every write of an import passes through."""
    write(model, batch)


class _Preparer:
    """Makes a row ready for the driver: dates become what Django would save for them
    (text on SQLite), once per distinct date; text, numbers, booleans and None pass as
    they are, as Django's fields would pass them."""

    def __init__(self, model: type[Model], names: list[str]) -> None:
        self.dates = [
            i
            for i, name in enumerate(names)
            if model._meta.get_field(name).get_internal_type() == "DateField"
        ]
        self.cache: dict[Any, Any] = {}

    def __call__(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        cells = list(row)
        cache = self.cache
        for i in self.dates:
            day = cells[i]
            try:
                cells[i] = cache[day]
            except KeyError:
                cells[i] = cache[day] = connection.ops.adapt_datefield_value(day)
        return tuple(cells)


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    # Only concrete fields are written, and each has a column.
    assert isinstance(field, Field)
    assert field.column is not None
    return connection.ops.quote_name(field.column)


def _inserter(model: type[Model], names: list[str]) -> Callable[..., None]:
    """Inserts rows of the named fields: PostgreSQL's COPY (psycopg 3), five times
    faster there than any INSERT; elsewhere one INSERT run over every row."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(_column(model, name) for name in names)
    if connection.vendor == "postgresql":

        def copy(model: type[Model], rows: list[tuple[Any, ...]]) -> None:
            with connection.cursor() as cursor:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as stream:
                    for row in rows:
                        stream.write_row(row)

        return copy
    places = ", ".join(["%s"] * len(names))
    return _executemany(f"INSERT INTO {table} ({columns}) VALUES ({places})")


def _update_sql(model: type[Model], names: list[str]) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    sets = ", ".join(f"{_column(model, name)} = %s" for name in names)
    return f"UPDATE {table} SET {sets} WHERE {_column(model, 'id')} = %s"


def _executemany(sql: str) -> Callable[..., None]:
    def run(model: type[Model], rows: list[tuple[Any, ...]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    return run
