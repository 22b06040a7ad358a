"""The "my panel feedback" card on the home page: the adoption panel's collated feedback
sent to a social worker or their managers, and the items a panel member has still to
evaluate. It names no child or adopter, so it notes no case."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpRequest

from core import prepared
from core.registry import HomeCard
from feedback import evaluations


def panel_feedback_card(
    *, request: HttpRequest, staff: Any, today: datetime.date
) -> HomeCard | None:
    feedback = prepared.rows(_feedback, request.user)
    to_evaluate = prepared.aggregate(_to_evaluate_count, request.user)["items"]
    if not feedback and not to_evaluate:
        return None
    return HomeCard(
        "feedback/evaluations/partials/home_card.html",
        {"panel_feedback": feedback, "panel_to_evaluate": to_evaluate},
    )


CARD_ROWS = 5
# What a line of the card shows (feedback/evaluations/partials/home_card.html), and
# nothing more: not every column of the item and its meeting, which PostgreSQL sends and
# the driver decodes for every row. Of the items to evaluate the card shows only how many
# there are, all of them, counted in the database (the meetings page lists them).
# tests/feedback/test_home_cards.py bounds the home page's queries with items of every
# kind, so a column a line reads but this leaves out (one query per line) fails it.
FEEDBACK_COLUMNS = ("kind", "sent_on", "meeting__held_on")


def _feedback(user: Any) -> QuerySet[Any]:
    return evaluations.feedback_for(user=user).only(*FEEDBACK_COLUMNS)[:CARD_ROWS]


def _to_evaluate_count(user: Any) -> tuple[QuerySet[Any], dict[str, Count]]:
    return evaluations.items_to_evaluate(user=user), {"items": Count("pk")}


def record_panel_items(request: Any, subject: Any, cases: list) -> tuple[str, dict] | None:
    """The adoption panel items about the subject's cases that the reader may see (the
    record page notes the subject itself)."""
    items = list(evaluations.case_panel_items(user=request.user, case_ids=[c.pk for c in cases]))
    if not items:
        return None
    return "feedback/evaluations/partials/record_panel.html", {"record_panel_items": items}
