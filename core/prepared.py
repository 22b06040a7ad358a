"""Queries whose SQL is worked out once per process and run again on each request.

A home card's query costs Django far more to build and compile (working out a scope's
joins, a window count, the columns of each `select_related` model) than the database to
run: about 1.5 ms of Python for 0.1 ms of SQL. Most of what a page reads is the same
query for the same reader on every view, so:

- `rows(build, user, *inputs)` is `list(build(user, *inputs))`;
- `aggregate(build, user, *inputs)` is `queryset.aggregate(**aggregates)` for the
  `(queryset, aggregates)` that `build(user, *inputs)` returns;
- `Listing(build, user, *inputs)` is the queryset as a Paginator reads it (its count,
  then a page),

each with the SQL that `build` gives kept, and run again, for the same key:

- `build`'s module and name: it must be a module-level function, so it holds nothing
  but what it is given (a lambda or a closure is refused);
- the reader: every field of the user and of the rows loaded with them (their member of
  staff, its organisation, team and service), which is all a scope or a permission rule
  reads; a reader whose role, team or service changes has a new key. None for a query
  that is the same for every reader (the caller has checked who may see it);
- the other `inputs`, described by `core.kept.described` (numbers, dates, strings,
  choices, tuples of them); an input that cannot be described means no key, and the
  query is built afresh;
- the database.

The rows are always read from the database on each call: only the SQL is kept, so
nothing shown is ever stale. A build that reads the database while it builds (its SQL
would hold what it read) is not kept. The last `KEPT` are kept, in this process only.

With `settings.PREPARED_QUERIES_CHECK` (the test settings), every call that finds kept
SQL also builds the query afresh and fails loudly if the SQL or its parameters differ:
a build that depends on something not in its key (the clock, a setting) shows up in
the tests.
"""

from __future__ import annotations

import contextlib
import copy
import importlib
import operator
import weakref
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Aggregate, Count, Model, QuerySet, Value

from core.kept import Kept, Unknown, described, digest

KEPT = 2048
_Row = TypeVar("_Row")


class PreparedQueryDiffers(AssertionError):
    """Kept SQL differs from a fresh build's: the build depends on something its key
    does not hold."""


@dataclass(frozen=True)
class _Rows:
    queryset: QuerySet[Any]  # as built: never evaluated, only copied
    compiler: Any  # the SQL compiler after compiling (its select, columns, converters)
    sql: str | None  # None: the query can match no row (an empty scope)
    params: tuple[Any, ...]


_KEPT: Kept[_Rows] = Kept(KEPT)
# Fields of the user never part of the key: the password's hash says nothing a query
# reads.
_NOT_KEYED = frozenset({"password"})
# How far from the user the key follows rows loaded with them: the user's member of
# staff, and its organisation, team and service.
_DEPTH = 2


def rows(build: Callable[..., QuerySet[Any, _Row]], user: Any, *inputs: Any) -> list[_Row]:
    """`list(build(user, *inputs))`, its SQL compiled once for each key (module doc)."""
    key = _key(build, user, inputs)
    if key is None:
        return list(build(user, *inputs))
    kept = _KEPT.find(key)
    if kept is not None:
        if getattr(settings, "PREPARED_QUERIES_CHECK", False):
            _check_rows(kept, build, user, inputs)
        return _replayed(kept)
    prepared, queried = _built_rows(build, user, inputs)
    if not queried:
        _KEPT.keep(key, prepared)
    return _replayed(prepared)


def aggregate(
    build: Callable[..., tuple[QuerySet[Any], Mapping[str, Aggregate]]], user: Any, *inputs: Any
) -> dict[str, Any]:
    """`queryset.aggregate(**aggregates)` for the `(queryset, aggregates)` that
    `build(user, *inputs)` returns, its SQL compiled once for each key (module doc).

    Read as the one row of a values query with no grouping (what `aggregate` runs for a
    queryset with no slice, distinct, grouping or annotation of its own); any other
    queryset is aggregated as Django does, built every time."""
    try:
        found = rows(_one_row, user, *_module_level(build), inputs)
    except _NotPlain:
        found = []
    if found:
        return found[0]
    # Not plain, or a queryset that can match nothing (no SQL was run).
    queryset, aggregates = build(user, *inputs)
    return queryset.aggregate(**aggregates)


class _NotPlain(Exception):
    """A queryset `aggregate()` would wrap in a subquery: not read as one row."""


def _one_row(user: Any, module: str, name: str, inputs: tuple[Any, ...]) -> QuerySet[Any]:
    """The aggregates of the build named as one row of a values query: a constant
    annotation as the only grouping, which Django leaves out of GROUP BY, so the
    database aggregates every row, as `aggregate()` does."""
    queryset, aggregates = _named(module, name)(user, *inputs)
    if not _plain_for_aggregate(queryset):
        raise _NotPlain
    return (
        queryset.order_by()
        .annotate(_all=Value(1))
        .values("_all")
        .annotate(**aggregates)
        .values(*aggregates)
    )


def _plain_for_aggregate(queryset: QuerySet[Any]) -> bool:
    query = queryset.query
    return not (
        query.is_sliced
        or query.distinct
        or query.combinator
        or query.annotations
        or query.group_by is not None
        or query.values_select
        or query.extra
    )


def _named(module: str, name: str) -> Callable[..., Any]:
    """A module-level function by its module and name."""
    return getattr(importlib.import_module(module), name)


class Listing:
    """What a Paginator reads of a queryset (its count, then one page of it), each read
    prepared: `build(user, *inputs)` gives the whole ordered queryset. A caller that has
    already counted those rows (a page's figures) passes `count`, which is then not read
    again."""

    ordered = True

    def __init__(
        self,
        build: Callable[..., QuerySet[Any]],
        user: Any,
        *inputs: Any,
        count: int | None = None,
    ) -> None:
        self.user = user
        self.named = (*_module_level(build), inputs)
        self.counted = count

    def count(self) -> int:
        if self.counted is not None:
            return self.counted
        return int(aggregate(_counted_all, self.user, *self.named)["count"])

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Any]:
        return iter(self[0:None])

    def __getitem__(self, part: slice) -> list[Any]:
        if not isinstance(part, slice) or part.step is not None:
            raise TypeError("a listing is read a page (a slice) at a time")
        return rows(_slice_of, self.user, *self.named, part.start or 0, part.stop)


def _counted_all(
    user: Any, module: str, name: str, inputs: tuple[Any, ...]
) -> tuple[QuerySet[Any], dict[str, Aggregate]]:
    return _named(module, name)(user, *inputs), {"count": Count("*")}


def _slice_of(
    user: Any, module: str, name: str, inputs: tuple[Any, ...], start: int, stop: int | None
) -> QuerySet[Any]:
    return _named(module, name)(user, *inputs)[start:stop]


def _module_level(build: Callable[..., Any]) -> tuple[str, str]:
    """The module and name of a module-level function (anything else is refused)."""
    name = getattr(build, "__qualname__", "")
    if not name or "<" in name or "." in name:
        raise TypeError("a prepared query is built by a module-level function")
    return build.__module__, name


def _key(build: Callable[..., Any], user: Any, inputs: tuple[Any, ...]) -> str | None:
    module, name = _module_level(build)
    try:
        reader = None if user is None else _reader(user)
        given = described(inputs)
    except Unknown:
        return None
    return digest("prepared", module, name, reader, given)


# Each reader's digest, with the field values it was worked out from: a page makes a
# dozen or more prepared calls for the same user, and describing the user and the rows
# loaded with them costs more than reading their values again to see they are the same.
_READERS: weakref.WeakKeyDictionary[Model, tuple[Any, str]] = weakref.WeakKeyDictionary()


def _reader(user: Any) -> str:
    """The digest of `_described_row(user)`, worked out again whenever any of the values
    it describes is not what it was."""
    if not isinstance(user, Model):
        raise Unknown(type(user).__qualname__)
    if user.pk is None:  # not kept by: an unsaved row has no hash
        return digest(_described_row(user, _DEPTH))
    values = _row_values(user, _DEPTH)
    found = _READERS.get(user)
    if found is not None and found[0] == values:
        return found[1]
    reader = digest(_described_row(user, _DEPTH))
    _READERS[user] = (values, reader)
    return reader


_GETTERS: dict[type[Model], Callable[[Model], Any]] = {}


def _row_values(row: Model, depth: int) -> Any:
    """What `_described_row` describes, as the plain values, types included (True and 1
    are equal, and describe differently)."""
    kind = type(row)
    getter = _GETTERS.get(kind)
    if getter is None:
        names = [f.attname for f in row._meta.concrete_fields if f.attname not in _NOT_KEYED]
        getter = _GETTERS[kind] = operator.attrgetter(*names)
    values = getter(row)
    loaded: tuple[Any, ...] = ()
    if depth:
        loaded = tuple(
            (name, None if related is None else _row_values(related, depth - 1))
            for name, related in sorted(row._state.fields_cache.items())
        )
    return (
        kind,
        values,
        tuple(map(type, values)) if isinstance(values, tuple) else type(values),
        loaded,
    )


def _described_row(row: Any, depth: int) -> Any:
    """Every field of a model row, and of the rows loaded with it down to `depth`."""
    if not isinstance(row, Model):
        raise Unknown(type(row).__qualname__)
    fields = [
        (field.attname, described(getattr(row, field.attname)))
        for field in row._meta.concrete_fields
        if field.attname not in _NOT_KEYED
    ]
    loaded = []
    if depth:
        for name, related in sorted(row._state.fields_cache.items()):
            loaded.append((name, None if related is None else _described_row(related, depth - 1)))
    return (row._meta.label, fields, loaded)


class _Reads:
    """How many statements ran on a connection while this was open."""

    def __init__(self) -> None:
        self.statements = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.statements += 1
        return execute(sql, params, many, context)


def _built_rows(
    build: Callable[..., QuerySet[Any]], user: Any, inputs: tuple[Any, ...]
) -> tuple[_Rows, bool]:
    """The query built and compiled, and whether building it read the database."""
    reads = _Reads()
    with _watching(reads):
        queryset = build(user, *inputs)
        compiler = queryset.query.get_compiler(queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            sql, params = None, ()
    return _Rows(queryset, compiler, sql, tuple(params)), bool(reads.statements)


@contextlib.contextmanager
def _watching(reads: _Reads) -> Iterator[None]:
    """Every database's statements passed to `reads` for the length of a block."""
    with contextlib.ExitStack() as stack:
        for connection in connections.all():
            stack.enter_context(connection.execute_wrapper(reads))
        yield


def _replayed(prepared: _Rows) -> list[Any]:
    """The rows of a copy of the built queryset, compiled to the kept SQL."""
    if prepared.sql is None:
        return []
    queryset = prepared.queryset._chain()  # type: ignore[attr-defined]
    compiler = copy.copy(prepared.compiler)
    compiler.connection = connections[queryset.db]
    sql, params = prepared.sql, prepared.params
    compiler.as_sql = lambda *args, **kwargs: (sql, params)
    served: list[bool] = []

    def get_compiler(*args: Any, **kwargs: Any) -> Any:
        # This copy is read once, here: a second compile would be of another query.
        if served:
            raise RuntimeError("a prepared query's copy is compiled once")
        served.append(True)
        return compiler

    queryset.query.get_compiler = get_compiler
    return list(queryset)


def _check_rows(
    kept: _Rows, build: Callable[..., QuerySet[Any]], user: Any, inputs: tuple[Any, ...]
) -> None:
    fresh, _ = _built_rows(build, user, inputs)
    if (kept.sql, kept.params) != (fresh.sql, fresh.params):
        raise PreparedQueryDiffers(
            f"{build.__module__}.{build.__qualname__}{inputs!r}: the kept SQL is not a "
            f"fresh build's, so the build depends on something its key does not hold.\n"
            f"kept:  {(kept.sql, kept.params)!r}\nfresh: {(fresh.sql, fresh.params)!r}"
        )
