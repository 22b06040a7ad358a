"""The complaints card on the home page ("my work"), registered in FeedbackConfig.

Customer care (QA and business support of the organisation) see the complaint stages due
within three working days or overdue; a worker or manager the open complaints about
their cases, team or service. Each is one query (the total rides on every row). Rows
name the child or adopter household, so the card notes their cases.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from cases.roles import Role
from core import prepared
from core.registry import HomeCard
from feedback import complaints
from feedback.home import total_of
from feedback.rules import CUSTOMER_CARE

CARD_ROWS = 5
# The people who hold cases, teams or services that complaints are about.
HOLDERS = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER})
# What a row of the card shows (feedback/complaints/partials/home_card.html and
# home_about.html) and the access log reads of its case, and nothing more: not every
# column of the stage or complaint and of its case, child, adopter and team, which
# PostgreSQL sends and the driver decodes for every row. A complaint about no case is
# named by its team, joined here for the stages too (without it, a query per row).
# tests/feedback/test_home_cards.py bounds the home page's queries with complaints about
# children, adopters, a team and a service, so a column a row reads but this leaves out
# (one query per row) fails it.
_ABOUT = (
    "case__organisation_id",
    "case__child__given_name",
    "case__child__family_name",
    "case__adopter__household_name",
    "team__name",
)
STAGES_DUE_RELATED = ("complaint__case__child", "complaint__case__adopter", "complaint__team")
STAGES_DUE_COLUMNS = ("stage", "complaint__reference", *(f"complaint__{name}" for name in _ABOUT))
HELD_COLUMNS = ("reference", "received_on", *_ABOUT)


def complaints_card(*, request: HttpRequest, staff: Any, today: datetime.date) -> HomeCard | None:
    if staff is None:
        return None
    if staff.role in CUSTOMER_CARE:
        stages = prepared.rows(_stages_due, request.user, today)
        if not stages:
            return None
        return HomeCard(
            "feedback/complaints/partials/home_card.html",
            {
                "complaint_stages_due": stages,
                "complaint_stages_due_count": total_of(stages),
                "complaint_due_by": complaints.due_soon_by(today),
                "today": today,
            },
            cases=[s.complaint.case for s in stages if s.complaint.case_id is not None],
        )
    if staff.role in HOLDERS:
        held = prepared.rows(_held, request.user)
        if not held:
            return None
        return HomeCard(
            "feedback/complaints/partials/home_card.html",
            {"complaints_held": held, "complaints_held_count": total_of(held), "today": today},
            cases=[c.case for c in held if c.case_id is not None],
        )
    return None


def _stages_due(user: Any, today: datetime.date) -> QuerySet[Any]:
    return (
        complaints.stages_due_soon(user=user, today=today)
        .select_related(None)
        .select_related(*STAGES_DUE_RELATED)
        .only(*STAGES_DUE_COLUMNS)[:CARD_ROWS]
    )


def _held(user: Any) -> QuerySet[Any]:
    return complaints.open_complaints_held(user=user).only(*HELD_COLUMNS)[:CARD_ROWS]
