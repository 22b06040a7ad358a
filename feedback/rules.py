"""Permission rules for the feedback app (django-rules).

Each action is one rule, `feedback.<action>`, made of who may take it and when; the view,
the template flag and the service all ask it with `may(user, perm, obj)`. One section
per kind of record (see feedback/models/__init__.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

if TYPE_CHECKING:
    from core.types import AnyUser


def may(user: AnyUser | None, perm: str, obj: object) -> bool:
    """Whether `user` may take an object action: the rule itself (Django's `has_perm`
    lets every superuser through, status and all)."""
    return rules.has_perm(perm, user, obj)


# Questionnaires raised by journey events (models/questionnaires.py).
#
# Whoever sees a questionnaire's case sees it (feedback/querysets.py). Those who work the
# case (its worker, their managers, the QA service and business support) send it, enter
# a paper copy's answers and close it, while it waits for an answer. The scores page
# reads the questionnaires the reader sees, added up.

from cases.querysets import staff_of  # noqa: E402
from cases.roles import Role  # noqa: E402
from cases.rules import has_role, is_staff_member  # noqa: E402
from feedback.models.questionnaires import Questionnaire  # noqa: E402

# Roles that send questionnaires to families and enter their answers.
QUESTIONNAIRE_SENDERS = (
    Role.PRACTITIONER,
    Role.TEAM_MANAGER,
    Role.SERVICE_MANAGER,
    Role.QA,
    Role.BUSINESS_SUPPORT,
)


@rules.predicate
def can_see_questionnaire(user: AnyUser | None, questionnaire: Questionnaire | None) -> bool:
    if questionnaire is None:
        return False
    return Questionnaire.objects.visible_to(user).filter(pk=questionnaire.pk).exists()


@rules.predicate
def questionnaire_is_waiting(user: AnyUser | None, questionnaire: Questionnaire | None) -> bool:
    return questionnaire is not None and questionnaire.is_waiting


@rules.predicate
def sends_questionnaires(user: AnyUser | None) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.role in QUESTIONNAIRE_SENDERS


rules.add_perm(
    "feedback.view_questionnaires",
    rules.is_superuser | (is_staff_member & ~has_role(Role.REGIONAL_LEAD)),
)
rules.add_perm("feedback.view_questionnaire", rules.is_superuser | can_see_questionnaire)
rules.add_perm(
    "feedback.send_questionnaire",
    (rules.is_superuser | (sends_questionnaires & can_see_questionnaire))
    & questionnaire_is_waiting,
)
rules.add_perm(
    "feedback.view_questionnaire_scores",
    rules.is_superuser
    | has_role(Role.QA, Role.SENIOR_LEADER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER),
)
