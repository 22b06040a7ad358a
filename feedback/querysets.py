"""Who may see which feedback records: built on the scoping in cases/querysets.py.

One section per kind of record (see feedback/models/__init__.py). Every queryset is an
`OrganisationQuerySet` or a `CaseScopedQuerySet`, whose `visible_to(user)` is the only way
the views and selectors reach the rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db import models
from django.db.models import Q

from cases.querysets import NOTHING, CaseScopedQuerySet, OrganisationQuerySet, case_scope_for
from cases.roles import ORGANISATION_WIDE_ROLES, Role

if TYPE_CHECKING:
    # The querysets' type parameters name the models in strings, which ruff does not read.
    from cases.models import StaffMember
    from feedback.models import (  # noqa: F401  # noqa: F401
        Feedback,
        FeedbackTheme,
        Questionnaire,
        QuestionnaireAnswer,
        YouSaidWeDid,
    )

_M = TypeVar("_M", bound=models.Model)


# Feedback, themes and "you said, we did" (models/voices.py).
#
# Feedback is seen by whoever sees its case, by the managers of the team or service it is
# about (a team manager their team's, a service manager their service's), by whoever
# recorded it, and by the QA service, senior leaders and business support of its
# organisation. Themes and "you said, we did" (written for families to read) are seen by
# the organisation's staff. A regional lead sees none of it.


def feedback_scope_for(staff: StaffMember, prefix: str = "") -> Q:
    p = prefix
    if staff.role == Role.REGIONAL_LEAD:
        return NOTHING
    if staff.role in ORGANISATION_WIDE_ROLES:
        return Q(**{f"{p}organisation_id": staff.organisation_id})
    scope = Q(**{f"{p}case__isnull": False}) & case_scope_for(staff, f"{p}case__")
    scope |= Q(**{f"{p}recorded_by_id": staff.pk})
    if staff.role == Role.TEAM_MANAGER and staff.team_id:
        scope |= Q(**{f"{p}team_id": staff.team_id})
    if staff.role == Role.SERVICE_MANAGER and staff.service_id:
        scope |= Q(**{f"{p}service_id": staff.service_id})
    return scope & Q(**{f"{p}organisation_id": staff.organisation_id})


class FeedbackQuerySet(OrganisationQuerySet["Feedback"]):
    def scope_for(self, staff: StaffMember) -> Q:
        return feedback_scope_for(staff)


class _OrganisationStaffQuerySet(OrganisationQuerySet[_M]):
    def scope_for(self, staff: StaffMember) -> Q:
        if staff.role == Role.REGIONAL_LEAD:
            return NOTHING
        return Q(organisation_id=staff.organisation_id)


class FeedbackThemeQuerySet(_OrganisationStaffQuerySet["FeedbackTheme"]):
    pass


class YouSaidWeDidQuerySet(_OrganisationStaffQuerySet["YouSaidWeDid"]):
    pass


# Questionnaires raised by journey events (models/questionnaires.py).
#
# Seen as their case is: whoever sees the case sees its questionnaires and their answers;
# the QA service, senior leaders and business support their organisation's. A regional
# lead sees none (the figures they read are aggregates elsewhere).


class QuestionnaireQuerySet(CaseScopedQuerySet["Questionnaire"]):
    pass


class QuestionnaireAnswerQuerySet(CaseScopedQuerySet["QuestionnaireAnswer"]):
    case_prefix = "questionnaire__case__"
