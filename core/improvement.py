"""Turning an app's action rows into the improvement plan's items
(`core.registry.improvement_sources`).

Most apps keep actions of one shape (a description, an owner, a due date, done or not,
on a parent record's page), so each source is a `values()` query handed to
`improvement_rows`, read in chunks: memory stays bounded however many actions there are.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from core.registry import ImprovementItem

# Each row of the query `improvement_rows` reads "pk", "title" and "raised" (when raised), and
# "owner_id", "due_on", "done_on" and "case_id" where the rows have them, as `values(...)`
# names them.


def _day(value: datetime.datetime | datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value)
    return value


def improvement_rows(
    rows: QuerySet[Any, Any],
    *,
    source: str,
    key: str,
    url: Callable[[dict[str, Any]], str],
    title: Callable[[dict[str, Any]], str] = lambda row: str(row["title"]),
) -> Iterator[ImprovementItem]:
    """One item per row of `rows` (a `values()` query, the names above): keyed
    "<key>:<pk>", closed where the row was done."""
    for row in rows.iterator(chunk_size=2000):
        yield ImprovementItem(
            key=f"{key}:{row['pk']}",
            source=source,
            title=title(row)[:300],
            url=url(row),
            raised_on=_day(row["raised"]),
            owner_id=row.get("owner_id"),
            due_on=row.get("due_on"),
            done_on=row.get("done_on"),
            case_id=row.get("case_id"),
        )


def action_values(
    rows: QuerySet[Any],
    *,
    parent: str,
    raised: str = "created_at",
    case: str | None = None,
) -> QuerySet[Any, Any]:
    """An action model's rows as `improvement_rows` reads them: its description as the
    title, `raised` as when it was raised, `parent` (the record whose page lists it) and
    `case` (the case it is about) by their field paths."""
    named: dict[str, Any] = {
        "title": F("description"),
        "raised": F(raised),
        "parent_id": F(parent),
    }
    if case is not None:
        named["case_id"] = F(case)
    return rows.values("pk", "owner_id", "due_on", "done_on", **named)
