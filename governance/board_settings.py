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
