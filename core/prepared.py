"""Queries whose SQL is worked out once per process and run again on each request.

A home card's query costs Django far more to build and compile (working out a scope's
joins, a window count, the columns of each `select_related` model) than the database to
run: about 1.5 ms of Python for 0.1 ms of SQL. Most of what a page reads is the same
query for the same reader on every view, so:

- `rows(build, user, *inputs)` is `list(build(user, *inputs))`, and
- `counts(build, user, *inputs)` is `queryset.aggregate(**counts)` for the
  `(queryset, counts)` that `build(user, *inputs)` returns (each a `Count`),

with the SQL that `build` gives kept, and run again, for the same key:

- `build`'s module and name: it must be a module-level function, so it holds nothing
  but what it is given (a lambda or a closure is refused);
- the reader: every field of the user and of the rows loaded with them (their member of
  staff, its organisation, team and service), which is all a scope or a permission rule
  reads; a reader whose role, team or service changes has a new key;
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
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Model, QuerySet

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


@dataclass(frozen=True)
class _Counts:
    using: str
    sql: str
    params: tuple[Any, ...]
    names: tuple[str, ...]


_KEPT: Kept[_Rows | _Counts] = Kept(KEPT)
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
    if isinstance(kept, _Rows):
        if getattr(settings, "PREPARED_QUERIES_CHECK", False):
            _check_rows(kept, build, user, inputs)
        return _replayed(kept)
    prepared, queried = _built_rows(build, user, inputs)
    if not queried:
        _KEPT.keep(key, prepared)
    return _replayed(prepared)


def counts(
    build: Callable[..., tuple[QuerySet[Any], Mapping[str, Count]]], user: Any, *inputs: Any
) -> dict[str, int]:
    """`queryset.aggregate(**counts)` for what `build(user, *inputs)` returns, its SQL
    compiled once for each key (module doc). Counts only: a count needs no conversion
    from what the database returns."""
    key = _key(build, user, inputs)
    if key is None:
        queryset, wanted = build(user, *inputs)
        return queryset.aggregate(**wanted)
    kept = _KEPT.find(key)
    if isinstance(kept, _Counts):
        if getattr(settings, "PREPARED_QUERIES_CHECK", False):
            fresh, _ = _built_counts(build, user, inputs)
            _compare(build, _counts_key(kept), fresh and _counts_key(fresh))
        return _counted(kept)
    prepared, result = _built_counts(build, user, inputs)
    if prepared is not None:
        _KEPT.keep(key, prepared)
    return result


def _key(build: Callable[..., Any], user: Any, inputs: tuple[Any, ...]) -> str | None:
    name = getattr(build, "__qualname__", "")
    if not name or "<" in name:
        raise TypeError("a prepared query is built by a module-level function")
    try:
        reader = _described_row(user, _DEPTH)
        given = described(inputs)
    except Unknown:
        return None
    return digest("prepared", build.__module__, name, reader, given)


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
    """Whether any statement ran on a connection while this was open."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, tuple[Any, ...]]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.statements.append((sql, tuple(params or ())))
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
    _compare(build, (kept.sql, kept.params), (fresh.sql, fresh.params))


def _compare(build: Callable[..., Any], kept: Any, fresh: Any) -> None:
    if kept != fresh:
        raise PreparedQueryDiffers(
            f"{build.__module__}.{build.__qualname__}: the kept SQL is not a fresh "
            f"build's, so the build depends on something its key does not hold.\n"
            f"kept:  {kept!r}\nfresh: {fresh!r}"
        )


def _counts_key(prepared: _Counts) -> tuple[Any, ...]:
    return (prepared.using, prepared.sql, prepared.params, prepared.names)


def _built_counts(
    build: Callable[..., tuple[QuerySet[Any], Mapping[str, Count]]],
    user: Any,
    inputs: tuple[Any, ...],
) -> tuple[_Counts | None, dict[str, int]]:
    """The counts, and what to keep of them: the one statement that read them, when it
    was built without reading the database and every figure is a `Count`."""
    reads = _Reads()
    with _watching(reads):
        queryset, wanted = build(user, *inputs)
        built_without_reading = not reads.statements
        result = queryset.aggregate(**wanted)
    kept_as = None
    if (
        built_without_reading
        and len(reads.statements) == 1
        and all(type(expression) is Count for expression in wanted.values())
    ):
        sql, params = reads.statements[0]
        # The aggregate's columns are in the order of the dict it returns.
        kept_as = _Counts(queryset.db, sql, params, tuple(result))
    return kept_as, result


def _counted(prepared: _Counts) -> dict[str, int]:
    with connections[prepared.using].cursor() as cursor:
        cursor.execute(prepared.sql, prepared.params)
        row = cursor.fetchone()
    values = zip(prepared.names, row, strict=True)
    return {name: 0 if value is None else int(value) for name, value in values}
