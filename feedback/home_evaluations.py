"""The "my panel feedback" card on the home page: the adoption panel's collated feedback
sent to a social worker or their managers, and the items a panel member has still to
evaluate. It names no child or adopter, so it notes no case."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest

from core.registry import HomeCard
from feedback import evaluations


def panel_feedback_card(
    *, request: HttpRequest, staff: Any, today: datetime.date
) -> HomeCard | None:
    feedback = evaluations.feedback_for(user=request.user)
    to_evaluate = list(evaluations.items_to_evaluate(user=request.user)[:5])
    if not feedback and not to_evaluate:
        return None
    return HomeCard(
        "feedback/evaluations/partials/home_card.html",
        {"panel_feedback": feedback, "panel_to_evaluate": to_evaluate},
    )


def record_panel_items(request: Any, subject: Any, cases: list) -> tuple[str, dict] | None:
    """The adoption panel items about the subject's cases that the reader may see (the
    record page notes the subject itself)."""
    items = list(evaluations.case_panel_items(user=request.user, case_ids=[c.pk for c in cases]))
    if not items:
        return None
    return "feedback/evaluations/partials/record_panel.html", {"record_panel_items": items}
