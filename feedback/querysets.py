"""Who may see which feedback records: built on the scoping in cases/querysets.py.

One section per kind of record (see feedback/models/__init__.py). Every queryset is an
`OrganisationQuerySet` or a `CaseScopedQuerySet`, whose `visible_to(user)` is the only way
the views and selectors reach the rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.db.models import Q

from cases.querysets import NOTHING, CaseScopedQuerySet, OrganisationQuerySet, case_scope_for
from cases.roles import ORGANISATION_WIDE_ROLES, Role

if TYPE_CHECKING:
    # The querysets' type parameters name the models in strings, which ruff does not read.
    from cases.models import StaffMember
    from feedback.models import (  # noqa: F401
        Challenge,
        ChallengeAction,
        ChallengeStage,
        ChallengeThemeTag,
        Feedback,
        FeedbackTheme,
        PanelEvaluation,
        PanelItem,
        PanelMeeting,
        Questionnaire,
        QuestionnaireAnswer,
        StaffSurvey,
        SurveyAnswer,
        YouSaidWeDid,
    )
    from feedback.models.complaints import Complaint, ComplaintAction, Compliment  # noqa: F401

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


# Complaints and compliments (feedback/models/complaints.py).
#
# Complaints are managed by the customer care service (QA and business support) of the
# organisation, and read by its senior leaders; a team manager sees those about their
# team or its cases, a service manager those about their service; the worker complained
# about (the case's allocated worker) sees theirs. Nobody of another organisation, and
# regional leads nothing. A complaint about a case carries the case's team and service
# as they were when it was received. An action is seen with its complaint, and by its
# owner. Compliments: the worker, their team and service managers, and QA, senior
# leaders and business support of the organisation.

# Roles that read every complaint and compliment of their own organisation.
COMPLAINT_READERS = frozenset({Role.QA, Role.BUSINESS_SUPPORT, Role.SENIOR_LEADER})


def _team_scope(staff: StaffMember, p: str, worker_field: str) -> Q:
    scope = Q(**{f"{p}{worker_field}": staff.pk})
    if staff.role == Role.TEAM_MANAGER and staff.team_id:
        scope |= Q(**{f"{p}team_id": staff.team_id})
    if staff.role == Role.SERVICE_MANAGER and staff.service_id:
        scope |= Q(**{f"{p}service_id": staff.service_id})
    return scope & Q(**{f"{p}organisation_id": staff.organisation_id})


def complaint_scope_for(staff: StaffMember, prefix: str = "") -> Q:
    """The complaints a member of staff sees (a filter on Complaint, or through `prefix`)."""
    if staff.role == Role.REGIONAL_LEAD:
        return NOTHING
    if staff.role in COMPLAINT_READERS:
        return Q(**{f"{prefix}organisation_id": staff.organisation_id})
    return _team_scope(staff, prefix, "case__allocated_worker_id")


class ComplaintQuerySet(OrganisationQuerySet["Complaint"]):
    def scope_for(self, staff: StaffMember) -> Q:
        return complaint_scope_for(staff)


class ComplaintRowQuerySet(OrganisationQuerySet[Any]):
    """Stages, points and outcomes: seen with their complaint."""

    complaint_prefix = "complaint__"

    def scope_for(self, staff: StaffMember) -> Q:
        if staff.role in COMPLAINT_READERS:
            return Q(organisation_id=staff.organisation_id)
        return complaint_scope_for(staff, self.complaint_prefix)


class PointOutcomeQuerySet(ComplaintRowQuerySet):
    complaint_prefix = "point__complaint__"


class ComplaintActionQuerySet(OrganisationQuerySet["ComplaintAction"]):
    def scope_for(self, staff: StaffMember) -> Q:
        if staff.role == Role.REGIONAL_LEAD:
            return NOTHING
        mine = Q(owner_id=staff.pk, organisation_id=staff.organisation_id)
        return complaint_scope_for(staff, "complaint__") | mine


class ComplimentQuerySet(OrganisationQuerySet["Compliment"]):
    def scope_for(self, staff: StaffMember) -> Q:
        if staff.role == Role.REGIONAL_LEAD:
            return NOTHING
        if staff.role in COMPLAINT_READERS:
            return Q(organisation_id=staff.organisation_id)
        return _team_scope(staff, "", "worker_id")


# Adoption panel evaluations (feedback/models/evaluations.py).
#
# The QA service, senior leaders and agency decision makers of the organisation see every
# meeting, item and form. A panel member sees the meetings they sit on (or chair) and
# their items; their own forms, and the chair every form of the meetings they chair. The
# social worker and team manager who presented an item see it once the chair has sent the
# collated copy, and the service manager when the chair marked it for them; never the
# members' forms. Nobody of another organisation, and no regional lead.

# Who reads the whole of their organisation's panel: the QA service, senior leaders, the
# agency decision makers and business support (the panel administrator, who keeps the
# copies of the evaluation sheets for the six-monthly and annual evaluation).
PANEL_READERS = frozenset({Role.QA, Role.SENIOR_LEADER, Role.DECISION_MAKER, Role.BUSINESS_SUPPORT})


def panel_meeting_scope_for(staff: StaffMember, prefix: str = "") -> Q:
    """The panel meetings a member of staff sits on or reads (a filter on PanelMeeting,
    or through `prefix`)."""
    from django.apps import apps

    p = prefix
    if staff.role == Role.REGIONAL_LEAD:
        return NOTHING
    own = Q(**{f"{p}organisation_id": staff.organisation_id})
    if staff.role in PANEL_READERS:
        return own
    meeting = apps.get_model("feedback", "PanelMeeting")
    sits = meeting.members.through.objects.filter(staffmember_id=staff.pk)
    scope = Q(**{f"{p}chair_id": staff.pk}) | Q(**{f"{p}pk__in": sits.values("panelmeeting_id")})
    return scope & own


class PanelMeetingQuerySet(OrganisationQuerySet["PanelMeeting"]):
    def scope_for(self, staff: StaffMember) -> Q:
        return panel_meeting_scope_for(staff)


class PanelItemQuerySet(OrganisationQuerySet["PanelItem"]):
    def scope_for(self, staff: StaffMember) -> Q:
        scope = panel_meeting_scope_for(staff, prefix="meeting__")
        if scope is NOTHING:
            return NOTHING
        sent = Q(sent_on__isnull=False)
        told = Q(social_worker_id=staff.pk) | Q(team_manager_id=staff.pk)
        told |= Q(service_manager_id=staff.pk, to_service_manager=True)
        return scope | (sent & told & Q(organisation_id=staff.organisation_id))


class PanelEvaluationQuerySet(OrganisationQuerySet["PanelEvaluation"]):
    def scope_for(self, staff: StaffMember) -> Q:
        if staff.role == Role.REGIONAL_LEAD:
            return NOTHING
        own = Q(organisation_id=staff.organisation_id)
        if staff.role in PANEL_READERS:
            return own
        return (Q(member_id=staff.pk) | Q(item__meeting__chair_id=staff.pk)) & own


# Dispute resolution (feedback/models/disputes.py).
#
# A challenge is seen by the independent chair who raised it, by the people who hold the
# child's case (its worker, the case's team manager and service manager), by whoever a
# stage of it is with, and by the QA service and senior leaders of its organisation.
# Nobody of another organisation, no regional lead, and not business support.

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


# Questionnaires raised by journey events (models/questionnaires.py).
#
# Seen as their case is: whoever sees the case sees its questionnaires and their answers;
# the QA service, senior leaders and business support their organisation's. A regional
# lead sees none (the figures they read are aggregates elsewhere).


class QuestionnaireQuerySet(CaseScopedQuerySet["Questionnaire"]):
    pass


class QuestionnaireAnswerQuerySet(CaseScopedQuerySet["QuestionnaireAnswer"]):
    case_prefix = "questionnaire__case__"
