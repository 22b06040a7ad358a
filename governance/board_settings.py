"""Reads of the board's settings for its charts (`governance.models.board`)."""

from __future__ import annotations

import datetime

from governance.models import ProcessChange


def process_changes_for(organisation_id: int, measure: str) -> tuple[datetime.date, ...]:
    """The dates `measure`'s process changed in the organisation, oldest first: the
    board passes them to `governance.spc` as `recalculate_from`. For a chart of figures
    the caller has already scoped, so no user here."""
    return tuple(
        ProcessChange.objects.filter(organisation_id=organisation_id, measure=measure)
        .order_by("changed_on")
        .values_list("changed_on", flat=True)
    )


def process_changes_by_measure(
    organisation_id: int, measures: list[str]
) -> dict[str, tuple[datetime.date, ...]]:
    """`process_changes_for` of each of `measures`, in one query (a board page draws ten
    charts)."""
    found: dict[str, list[datetime.date]] = {measure: [] for measure in measures}
    rows = (
        ProcessChange.objects.filter(organisation_id=organisation_id, measure__in=measures)
        .order_by("changed_on")
        .values_list("measure", "changed_on")
    )
    for measure, changed_on in rows:
        found[measure].append(changed_on)
    return {measure: tuple(days) for measure, days in found.items()}
