"""The feedback card on the home page ("my work"), registered in FeedbackConfig."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpRequest

from core import prepared
from core.registry import HomeCard
from feedback import voices

CARD_ROWS = 5
# What a row of the card shows (feedback/partials/feedback_rows.html) and the access log
# reads of its case, and nothing more: not every column of the feedback and of its case,
# child, adopter, team and service, which PostgreSQL sends and the driver decodes for
# every row. tests/feedback/test_home_cards.py bounds the home page's queries with
# feedback about children, adopters, a team and a service, so a column a row reads but
# this leaves out (one query per row) fails it.
WAITING_COLUMNS = (
    "received_on",
    "source",
    "said",
    "sentiment",
    "responded_on",
    "case__organisation_id",
    "case__child__reference",
    "case__adopter__reference",
    "team__name",
    "service__name",
)


def feedback_card(*, request: HttpRequest, staff: Any, today: datetime.date) -> HomeCard | None:
    """Feedback waiting for a response that the person may give, oldest first."""
    if staff is None or not request.user.has_perm("feedback.respond_feedback"):
        return None
    first = prepared.rows(_first_waiting, request.user)
    if not first:
        return None
    count = (
        len(first)
        if len(first) < CARD_ROWS
        else prepared.aggregate(_waiting_count, request.user)["waiting"]
    )
    return HomeCard(
        "feedback/partials/home_card.html",
        {"feedback_waiting": first, "feedback_waiting_count": count},
        cases=[f.case for f in first if f.case_id is not None],
    )


def total_of(rows: list[Any]) -> int:
    """How many rows a card's read found in all: its rows carry the total (a window count),
    so a slice of it is one query."""
    return int(rows[0].total) if rows else 0


def _first_waiting(user: Any) -> QuerySet[Any]:
    return voices.awaiting_response(user=user).only(*WAITING_COLUMNS)[:CARD_ROWS]


def _waiting_count(user: Any) -> tuple[QuerySet[Any], dict[str, Count]]:
    return voices.awaiting_response(user=user), {"waiting": Count("*")}
