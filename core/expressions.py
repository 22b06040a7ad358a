"""Query expressions the apps share."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import Expression, F, IntegerField


class BoundaryIndex(Expression):
    """Which period a date or datetime falls in: the index of the latest of `boundaries`
    (oldest first) that the field is at or past, or NULL before the first.

    It is `CASE WHEN field >= b[n] THEN n ... WHEN field >= b[0] THEN 0 END`, compared
    with boundaries worked out in Python (local month starts, say), so no date function
    runs on each row (SQLite runs those in Python). Written out here rather than as
    `Case(When(...), ...)`: the ORM took longer to build a two-year CASE than the
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
        parts, params = [], []
        for index in range(len(self.boundaries) - 1, -1, -1):
            parts.append(f"WHEN {column} >= %s THEN {index}")
            params.extend(column_params)
            params.append(field.get_db_prep_value(self.boundaries[index], connection))
        if not parts:
            return "NULL", ()
        return f"CASE {' '.join(parts)} ELSE NULL END", tuple(params)
