"""The challenges card on the home page ("my work"), registered in FeedbackConfig.

An independent reviewing officer sees the open challenges they raised, with the stage
each has reached and when it is due; the team manager, service manager or director a
stage is with sees the challenges waiting for their response. Both read through the
challenges' `visible_to(user)`, as every page does. One query each (the total rides on
every row). Rows name the child or adopter household, so the card notes their cases.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from cases.roles import Role
from core import prepared
from core.registry import HomeCard
from feedback import disputes
from feedback.home import total_of

CARD_ROWS = 5
# The people stages go to (feedback/disputes.py StagePeople).
RESPONDERS = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.SENIOR_LEADER})
# What a row of the card shows (feedback/disputes/partials/home_card.html) and the access
# log reads of its case, and nothing more: not every column of the challenge or stage and
# of its case, child and adopter, which PostgreSQL sends and the driver decodes for every
# row. tests/feedback/test_home_cards.py bounds the home page's queries with challenges
# about children and adopters, so a column a row reads but this leaves out (one query per
# row) fails it.
_CASE = (
    "case__organisation_id",
    "case__child__given_name",
    "case__child__family_name",
    "case__adopter__household_name",
)
RAISED_COLUMNS = ("raised_on", "stage", "due_on", *_CASE)
WAITING_COLUMNS = ("stage", "due_on", "challenge__raised_on", *(f"challenge__{n}" for n in _CASE))


def challenges_card(*, request: HttpRequest, staff: Any, today: datetime.date) -> HomeCard | None:
    if staff is None:
        return None
    if staff.role == Role.INDEPENDENT_REVIEWER:
        raised = prepared.rows(_raised, request.user)
        if not raised:
            return None
        return HomeCard(
            "feedback/disputes/partials/home_card.html",
            {
                "challenges_raised": raised,
                "challenges_raised_count": total_of(raised),
                "today": today,
            },
            cases=[c.case for c in raised],
        )
    if staff.role in RESPONDERS:
        waiting = prepared.rows(_waiting, request.user)
        if not waiting:
            return None
        return HomeCard(
            "feedback/disputes/partials/home_card.html",
            {
                "challenge_stages_waiting": waiting,
                "challenge_stages_waiting_count": total_of(waiting),
                "today": today,
            },
            cases=[s.challenge.case for s in waiting],
        )
    return None


def _raised(user: Any) -> QuerySet[Any]:
    return disputes.challenges_raised_open(user=user).only(*RAISED_COLUMNS)[:CARD_ROWS]


def _waiting(user: Any) -> QuerySet[Any]:
    return disputes.stages_awaiting_response(user=user).only(*WAITING_COLUMNS)[:CARD_ROWS]
