"""The observations card on the home page ("my work"), registered in ObservationsConfig."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest

from core.registry import HomeCard
from observations.selectors import observation_work_summary


def observation_work_card(
    *, request: HttpRequest, staff: Any, today: datetime.date
) -> HomeCard | None:
    """Observations to complete or reflect on, QA's moderation queue, open actions. The
    card names practitioners, never a child, so it notes no case."""
    work = observation_work_summary(user=request.user)
    if not work or not (work["any"] or work["next_due"]):
        return None
    return HomeCard("observations/partials/home_card.html", {"observation_work": work})
