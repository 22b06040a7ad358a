"""Query expressions the apps share."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import Expression, F, IntegerField


class BoundaryIndex(Expression):
    """Which period a date or datetime falls in: the index of the latest of `boundaries`
    (oldest first) that the field is at or past, or NULL before the first.

    It is a CASE comparing the field with boundaries worked out in Python (local month
    starts, say), so no date function runs on each row (SQLite runs those in Python). The
    CASEs are nested as a binary search, `CASE WHEN field >= b[mid] THEN (the later half)
    ELSE (the earlier half) END`: five comparisons a row for two years of months, not up to
    twenty-four; on 2,000 audits that halved SQLite's time. Written out here rather than
    as `Case(When(...), ...)`: the ORM took longer to build a two-year CASE than the
    database took to run it.
    """

    output_field = IntegerField()

    def __init__(self, field: str, boundaries: Sequence[datetime.date | datetime.datetime]) -> None:
        super().__init__(output_field=IntegerField())
        self.source: Any = F(field)
        self.boundaries = list(boundaries)

    def get_source_expressions(self) -> list[Any]:
        return [self.source]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.source,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        column, column_params = compiler.compile(self.source)
        field = self.source.output_field
        values = [field.get_db_prep_value(b, connection) for b in self.boundaries]
        params: list[Any] = []

        def between(low: int, high: int) -> str:
            """The index, known to be from `low` to `high` (-1: before the first)."""
            if low == high:
                return "NULL" if low < 0 else str(low)
            middle = (low + high + 1) // 2
            params.extend(column_params)
            params.append(values[middle])
            later = between(middle, high)
            earlier = between(low, middle - 1)
            return f"CASE WHEN {column} >= %s THEN {later} ELSE {earlier} END"

        return between(-1, len(values) - 1), tuple(params)
