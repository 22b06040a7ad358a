"""The questionnaires card on the home page ("my work"), registered in FeedbackConfig:
for the worker of an adopter's case, the questionnaires raised for it that are waiting to
be sent (no link made yet). One query (the total rides on every row). Rows name the
adopter household, so the card notes their cases.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from cases.roles import Role
from core import prepared
from core.registry import HomeCard
from feedback import questionnaires
from feedback.home import total_of

CARD_ROWS = 5
# The roles a case is allocated to (the others, organisation-wide, hold no case).
CASE_HOLDERS = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER})
# What a row of the card shows (feedback/questionnaires/partials/home_card.html) and the
# access log reads of its case, and nothing more: not every column of the questionnaire
# and of its case, child and adopter, which PostgreSQL sends and the driver decodes for
# every row. tests/feedback/test_home_cards.py bounds the home page's queries with
# questionnaires of children's and adopters' cases, so a column a row reads but this
# leaves out (one query per row) fails it.
TO_SEND_COLUMNS = (
    "kind",
    "raised_on",
    "case__organisation_id",
    "case__child__given_name",
    "case__child__family_name",
    "case__adopter__household_name",
)


def questionnaires_card(
    *, request: HttpRequest, staff: Any, today: datetime.date
) -> HomeCard | None:
    if staff is None or staff.role not in CASE_HOLDERS:
        return None
    to_send = prepared.rows(_to_send, request.user)
    if not to_send:
        return None
    return HomeCard(
        "feedback/questionnaires/partials/home_card.html",
        {"questionnaires_to_send": to_send, "questionnaires_to_send_count": total_of(to_send)},
        cases=[q.case for q in to_send],
    )


def _to_send(user: Any) -> QuerySet[Any]:
    return questionnaires.questionnaires_to_send(user=user).only(*TO_SEND_COLUMNS)[:CARD_ROWS]
