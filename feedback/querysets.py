"""Who may see which feedback records: built on the scoping in cases/querysets.py.

One section per kind of record (see feedback/models/__init__.py). Every queryset is an
`OrganisationQuerySet` or a `CaseScopedQuerySet`, whose `visible_to(user)` is the only way
the views and selectors reach the rows.
"""

from __future__ import annotations

# Dispute resolution (feedback/models/disputes.py).
#
# A challenge is seen by the independent chair who raised it, by the people who hold the
# child's case (its worker, the case's team manager and service manager), by whoever a
# stage of it is with, and by the QA service and senior leaders of its organisation.
# Nobody of another organisation, no regional lead, and not business support.
from typing import TYPE_CHECKING

from django.db.models import Q

from cases.querysets import NOTHING, OrganisationQuerySet
from cases.roles import Role

if TYPE_CHECKING:
    from cases.models import StaffMember
    from feedback.models import (  # noqa: F401
        Challenge,
        ChallengeAction,
        ChallengeStage,
        ChallengeThemeTag,
        StaffSurvey,
        SurveyAnswer,
    )

CHALLENGE_ORGANISATION_READERS = frozenset({Role.QA, Role.SENIOR_LEADER})


def challenge_scope_for(staff: StaffMember, prefix: str = "") -> Q:
    """The challenges a member of staff sees (a filter on Challenge, or through `prefix`)."""
    p = prefix
    if staff.role == Role.REGIONAL_LEAD:
        return NOTHING
    if staff.role in CHALLENGE_ORGANISATION_READERS:
        return Q(**{f"{p}organisation_id": staff.organisation_id})
    scope = Q(**{f"{p}raised_by_id": staff.pk}) | Q(**{f"{p}stages__responder_id": staff.pk})
    if staff.role == Role.PRACTITIONER:
        scope |= Q(**{f"{p}case__allocated_worker_id": staff.pk})
    if staff.role == Role.TEAM_MANAGER and staff.team_id:
        scope |= Q(**{f"{p}case__team_id": staff.team_id})
    if staff.role == Role.SERVICE_MANAGER and staff.service_id:
        scope |= Q(**{f"{p}case__service_id": staff.service_id})
    return scope & Q(**{f"{p}organisation_id": staff.organisation_id})


def _through_challenge(staff: StaffMember, prefix: str) -> Q:
    """Rows of a challenge, seen with it (by its primary key, so the stage join in the
    scope never repeats a row)."""
    from feedback.models import Challenge

    scope = challenge_scope_for(staff)
    if scope is NOTHING:
        return NOTHING
    if staff.role in CHALLENGE_ORGANISATION_READERS:
        return Q(organisation_id=staff.organisation_id)
    ids = Challenge.objects.filter(scope).values("pk")
    return Q(**{f"{prefix}__in": ids})


class ChallengeQuerySet(OrganisationQuerySet["Challenge"]):
    def scope_for(self, staff: StaffMember) -> Q:
        from feedback.models import Challenge

        scope = challenge_scope_for(staff)
        if scope is NOTHING or staff.role in CHALLENGE_ORGANISATION_READERS:
            return scope
        # The stage join would repeat a challenge once per stage: filter by key instead.
        return Q(pk__in=Challenge.objects.filter(scope).values("pk"))


class ChallengeStageQuerySet(OrganisationQuerySet["ChallengeStage"]):
    def scope_for(self, staff: StaffMember) -> Q:
        return _through_challenge(staff, "challenge_id")


class ChallengeThemeQuerySet(OrganisationQuerySet["ChallengeThemeTag"]):
    def scope_for(self, staff: StaffMember) -> Q:
        return _through_challenge(staff, "challenge_id")


class ChallengeActionQuerySet(OrganisationQuerySet["ChallengeAction"]):
    def scope_for(self, staff: StaffMember) -> Q:
        scope = _through_challenge(staff, "challenge_id")
        if staff.role == Role.REGIONAL_LEAD:
            return NOTHING
        return scope | Q(owner_id=staff.pk, organisation_id=staff.organisation_id)


# Staff surveys and health checks (feedback/models/staff_voice.py).
#
# The QA service, senior leaders and business support read their organisation's surveys;
# team and service managers read them too, with the answers of their own team or service
# only. Nobody reads a response: the pages show aggregates (feedback/staff_voice.py).

SURVEY_ORGANISATION_READERS = frozenset({Role.QA, Role.SENIOR_LEADER, Role.BUSINESS_SUPPORT})
SURVEY_READERS = SURVEY_ORGANISATION_READERS | {Role.TEAM_MANAGER, Role.SERVICE_MANAGER}


class StaffSurveyQuerySet(OrganisationQuerySet["StaffSurvey"]):
    readers = SURVEY_READERS


class SurveyAnswerQuerySet(OrganisationQuerySet["SurveyAnswer"]):
    """The answers whose aggregates a reader may see: their organisation's, or their own
    team's (a team manager) or service's (a service manager)."""

    def scope_for(self, staff: StaffMember) -> Q:
        own = Q(organisation_id=staff.organisation_id)
        if staff.role in SURVEY_ORGANISATION_READERS:
            return own
        if staff.role == Role.TEAM_MANAGER and staff.team_id:
            return own & Q(team_id=staff.team_id)
        if staff.role == Role.SERVICE_MANAGER and staff.service_id:
            return own & Q(team__service_id=staff.service_id)
        return NOTHING
