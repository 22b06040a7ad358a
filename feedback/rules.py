"""Permission rules for the feedback app (django-rules).

Each action is one rule, `feedback.<action>`, made of who may take it and when; the view,
the template flag and the service all ask it with `may(user, perm, obj)`. One section
per kind of record (see feedback/models/__init__.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from cases.roles import Role
from cases.rules import can_see_case, has_role, is_staff_member

if TYPE_CHECKING:
    from core.types import AnyUser


def may(user: AnyUser | None, perm: str, obj: object) -> bool:
    """Whether `user` may take an object action: the rule itself (Django's `has_perm`
    lets every superuser through, status and all)."""
    return rules.has_perm(perm, user, obj)


# Feedback, themes and "you said, we did".


_is_superuser = rules.is_superuser
# Who hears feedback: every member of staff but the regional lead (aggregates only).
_hears_feedback = is_staff_member & ~has_role(Role.REGIONAL_LEAD)
# Who answers it: the people who work with the family and the QA service and business
# support (customer care), not readers of the board's figures or panel members.
_answers_feedback = is_staff_member & ~has_role(
    Role.REGIONAL_LEAD, Role.SENIOR_LEADER, Role.PANEL_MEMBER, Role.DECISION_MAKER
)
_reads_figures = has_role(
    Role.QA, Role.SENIOR_LEADER, Role.BUSINESS_SUPPORT, Role.TEAM_MANAGER, Role.SERVICE_MANAGER
)

rules.add_perm("feedback.view_feedback", _is_superuser | _hears_feedback)
rules.add_perm("feedback.record_feedback", _is_superuser | _answers_feedback)
rules.add_perm("feedback.respond_feedback", _is_superuser | _answers_feedback)
rules.add_perm("feedback.ask_for_feedback", _is_superuser | (_answers_feedback & can_see_case))
rules.add_perm("feedback.view_feedback_figures", _is_superuser | _reads_figures)
rules.add_perm("feedback.manage_themes", _is_superuser | has_role(Role.QA))
rules.add_perm("feedback.view_you_said", _is_superuser | _hears_feedback)
rules.add_perm("feedback.manage_you_said", _is_superuser | has_role(Role.QA, Role.SENIOR_LEADER))
