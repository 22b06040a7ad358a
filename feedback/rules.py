"""Permission rules for the feedback app (django-rules).

Each action is one rule, `feedback.<action>`, made of who may take it and when; the view,
the template flag and the service all ask it with `may(user, perm, obj)`. One section
per kind of record (see feedback/models/__init__.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules

from cases.querysets import staff_of
from cases.roles import Role
from cases.rules import can_see_case, has_role, is_staff_member
from feedback.models.complaints import (
    TIMESCALES,
    Complaint,
    ComplaintAction,
    ComplaintStage,
    Stage,
)
from feedback.models.questionnaires import Questionnaire

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


# The customer care service: who manages complaints.
CUSTOMER_CARE = frozenset({Role.QA, Role.BUSINESS_SUPPORT})
# The stages whose timescale may be extended.
EXTENDABLE = frozenset(stage for stage, (_, most) in TIMESCALES.items() if most is not None)


# Complaints and compliments (feedback/models/complaints.py). The customer care service
# (QA and business support of the complaint's organisation) manages complaints; what the
# reader may see is feedback/querysets.py's.


@rules.predicate
def cares_for_complaints(user: AnyUser | None, obj: Any) -> bool:
    """QA or business support of the record's own organisation (any, with no record)."""
    staff = staff_of(user)
    if staff is None or staff.role not in CUSTOMER_CARE:
        return False
    return obj is None or staff.organisation_id == obj.organisation_id


@rules.predicate
def complaint_is_open(user: AnyUser | None, complaint: Complaint) -> bool:
    return complaint.is_open


@rules.predicate
def stage_awaits_response(user: AnyUser | None, complaint: Complaint) -> bool:
    stage = complaint_current_stage(complaint)
    return stage is not None and stage.responded_on is None


@rules.predicate
def stage_responded(user: AnyUser | None, complaint: Complaint) -> bool:
    stage = complaint_current_stage(complaint)
    return stage is not None and stage.responded_on is not None


@rules.predicate
def stage_may_extend(user: AnyUser | None, complaint: Complaint) -> bool:
    stage = complaint_current_stage(complaint)
    return stage is not None and stage.responded_on is None and stage.stage in EXTENDABLE


@rules.predicate
def below_last_stage(user: AnyUser | None, complaint: Complaint) -> bool:
    return complaint.current_stage < Stage.REVIEW_PANEL


@rules.predicate
def completes_complaint_action(user: AnyUser | None, action: ComplaintAction) -> bool:
    staff = staff_of(user)
    if staff is None:
        return False
    return action.owner_id == staff.pk or bool(cares_for_complaints(user, action))


@rules.predicate
def complaint_action_is_open(user: AnyUser | None, action: ComplaintAction) -> bool:
    return action.status == ComplaintAction.Status.OPEN


def complaint_current_stage(complaint: Complaint) -> ComplaintStage | None:
    """The complaint's stage now (from the prefetched stages when there are)."""
    return next((s for s in complaint.stages.all() if s.stage == complaint.current_stage), None)


_no_regional_lead = has_role(*(r for r in Role if r != Role.REGIONAL_LEAD))

rules.add_perm("feedback.view_complaints", rules.is_superuser | _no_regional_lead)
rules.add_perm("feedback.record_complaint", rules.is_superuser | cares_for_complaints)
rules.add_perm(
    "feedback.view_complaint_figures",
    rules.is_superuser
    | has_role(
        Role.QA, Role.BUSINESS_SUPPORT, Role.SENIOR_LEADER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER
    ),
)
rules.add_perm(
    "feedback.respond_to_complaint",
    cares_for_complaints & complaint_is_open & stage_awaits_response,
)
rules.add_perm(
    "feedback.extend_complaint_stage",
    cares_for_complaints & complaint_is_open & stage_may_extend,
)
rules.add_perm(
    "feedback.escalate_complaint",
    cares_for_complaints & complaint_is_open & stage_responded & below_last_stage,
)
rules.add_perm(
    "feedback.close_complaint", cares_for_complaints & complaint_is_open & stage_responded
)
rules.add_perm("feedback.edit_complaint_learning", cares_for_complaints)
rules.add_perm("feedback.add_complaint_point", cares_for_complaints & complaint_is_open)
rules.add_perm("feedback.add_complaint_action", cares_for_complaints)
rules.add_perm(
    "feedback.complete_complaint_action", completes_complaint_action & complaint_action_is_open
)
rules.add_perm("feedback.view_compliments", rules.is_superuser | _no_regional_lead)
rules.add_perm(
    "feedback.record_compliment",
    rules.is_superuser
    | has_role(
        Role.QA, Role.BUSINESS_SUPPORT, Role.SENIOR_LEADER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER
    ),
)


# Adoption panel evaluations (feedback/models/evaluations.py): the members sitting
# evaluate each item until the chair sends the collated copy; the chair collates and
# sends it; whoever may see the item once sent reads the collated copy.

from cases.roles import Role  # noqa: E402
from cases.rules import has_role  # noqa: E402

if TYPE_CHECKING:
    from feedback.models import PanelItem, PanelMeeting


def _staff_pk(user: AnyUser | None) -> int | None:
    staff = staff_of(user)
    return staff.pk if staff is not None else None


def sits_on(user: AnyUser | None, meeting: PanelMeeting) -> bool:
    """The chair or a member of the meeting."""
    me = _staff_pk(user)
    if me is None:
        return False
    return meeting.chair_id == me or meeting.members.filter(pk=me).exists()


@rules.predicate
def sits_on_item_panel(user: AnyUser | None, item: PanelItem) -> bool:
    return sits_on(user, item.meeting)


@rules.predicate
def chairs_item_panel(user: AnyUser | None, item: PanelItem) -> bool:
    me = _staff_pk(user)
    return me is not None and item.meeting.chair_id == me


@rules.predicate
def item_not_sent(user: AnyUser | None, item: PanelItem) -> bool:
    return item.sent_on is None


@rules.predicate
def item_sent(user: AnyUser | None, item: PanelItem) -> bool:
    return item.sent_on is not None


@rules.predicate
def reads_whole_panel(user: AnyUser | None, item: PanelItem) -> bool:
    """The QA service, senior leaders, agency decision makers and the panel administrator
    (business support) of its organisation."""
    from feedback.querysets import PANEL_READERS

    staff = staff_of(user)
    return (
        staff is not None
        and staff.role in PANEL_READERS
        and staff.organisation_id == item.organisation_id
    )


# The panel administrator: the QA service and business support, who set up the
# organisation's meetings and the items presented at them.
PANEL_ADMINISTRATORS = (Role.QA, Role.BUSINESS_SUPPORT)
panel_administrator = has_role(*PANEL_ADMINISTRATORS)


@rules.predicate
def administers_meeting(user: AnyUser | None, meeting: PanelMeeting) -> bool:
    staff = staff_of(user)
    return (
        staff is not None
        and staff.role in PANEL_ADMINISTRATORS
        and staff.organisation_id == meeting.organisation_id
    )


@rules.predicate
def can_see_panel_item(user: AnyUser | None, item: PanelItem | None) -> bool:
    if item is None:
        return False
    return type(item).objects.visible_to(user).filter(pk=item.pk).exists()


panel_reader = has_role(
    Role.PANEL_MEMBER, Role.QA, Role.SENIOR_LEADER, Role.DECISION_MAKER, Role.BUSINESS_SUPPORT
)
rules.add_perm("feedback.view_panel_meetings", rules.is_superuser | panel_reader)
# Setting up meetings and their items: the panel administrator of the organisation.
rules.add_perm("feedback.add_panel_meeting", panel_administrator)
rules.add_perm("feedback.add_panel_item", administers_meeting)
rules.add_perm("feedback.view_panel_summaries", rules.is_superuser | panel_reader)
rules.add_perm("feedback.evaluate_panel_item", sits_on_item_panel & item_not_sent)
rules.add_perm("feedback.collate_panel_item", chairs_item_panel & item_not_sent)
# Members' forms side by side: the chair, and the organisation's readers of every form.
rules.add_perm(
    "feedback.view_panel_collation",
    rules.is_superuser | chairs_item_panel | reads_whole_panel,
)
rules.add_perm(
    "feedback.read_panel_feedback", rules.is_superuser | (item_sent & can_see_panel_item)
)


# Dispute resolution (feedback/disputes.py).
#
# The independent chair raises a challenge on a child's case they may see; the person a
# stage is with (or a manager of the case) responds; the chair who raised it (or the QA
# service) escalates it to the next stage, resolves or withdraws it; the QA service sets
# the organisation's timescales. An agreed action is done by its owner.

from cases.roles import Role  # noqa: E402
from cases.rules import has_role, is_qa  # noqa: E402

if TYPE_CHECKING:
    from feedback.models import Challenge, ChallengeAction


def _me(user: AnyUser | None) -> int | None:
    staff = staff_of(user)
    return staff.pk if staff is not None else None


@rules.predicate
def raised_challenge(user: AnyUser | None, challenge: Challenge) -> bool:
    me = _me(user)
    return me is not None and challenge.raised_by_id == me


@rules.predicate
def qa_of_challenge(user: AnyUser | None, challenge: Challenge) -> bool:
    staff = staff_of(user)
    return (
        bool(is_qa(user))
        and staff is not None
        and staff.organisation_id == challenge.organisation_id
    )


@rules.predicate
def answers_challenge(user: AnyUser | None, challenge: Challenge) -> bool:
    """The person the current stage is with, or a manager who holds the child's case (its
    team manager or service manager); never the chair who raised it."""
    staff = staff_of(user)
    if staff is None or challenge.raised_by_id == staff.pk:
        return False
    if staff.organisation_id != challenge.organisation_id:
        return False
    current = challenge.stages.filter(stage=challenge.stage).values_list("responder_id", flat=True)
    if staff.pk in list(current):
        return True
    case = challenge.case
    if staff.role == Role.TEAM_MANAGER:
        return staff.team_id is not None and staff.team_id == case.team_id
    if staff.role == Role.SERVICE_MANAGER:
        return staff.service_id is not None and staff.service_id == case.service_id
    return False


@rules.predicate
def challenge_is_open(user: AnyUser | None, challenge: Challenge) -> bool:
    return challenge.is_open


@rules.predicate
def challenge_can_climb(user: AnyUser | None, challenge: Challenge) -> bool:
    from feedback.models.disputes import next_stage

    return challenge.is_open and next_stage(challenge.stage) is not None


@rules.predicate
def owns_challenge_action(user: AnyUser | None, action: ChallengeAction) -> bool:
    me = _me(user)
    return me is not None and action.owner_id == me and action.status == action.Status.OPEN


@rules.predicate
def can_see_challenge(user: AnyUser | None, challenge: Challenge | None) -> bool:
    if challenge is None:
        return False
    return type(challenge).objects.visible_to(user).filter(pk=challenge.pk).exists()


CHALLENGE_READER_ROLES = (
    Role.INDEPENDENT_REVIEWER,
    Role.PRACTITIONER,
    Role.TEAM_MANAGER,
    Role.SERVICE_MANAGER,
    Role.QA,
    Role.SENIOR_LEADER,
)
is_independent_chair = has_role(Role.INDEPENDENT_REVIEWER)

rules.add_perm("feedback.view_challenges", rules.is_superuser | has_role(*CHALLENGE_READER_ROLES))
rules.add_perm(
    "feedback.view_challenge_figures",
    rules.is_superuser
    | has_role(
        Role.INDEPENDENT_REVIEWER,
        Role.TEAM_MANAGER,
        Role.SERVICE_MANAGER,
        Role.QA,
        Role.SENIOR_LEADER,
    ),
)
rules.add_perm("feedback.view_challenge", rules.is_superuser | can_see_challenge)
rules.add_perm("feedback.raise_challenge", rules.is_superuser | is_independent_chair)
rules.add_perm("feedback.respond_challenge", answers_challenge & challenge_is_open)
rules.add_perm(
    "feedback.escalate_challenge", (raised_challenge | qa_of_challenge) & challenge_can_climb
)
rules.add_perm(
    "feedback.resolve_challenge", (raised_challenge | qa_of_challenge) & challenge_is_open
)
rules.add_perm("feedback.complete_challenge_action", owns_challenge_action)
rules.add_perm("feedback.set_dispute_timescales", rules.is_superuser | is_qa)


# Staff surveys and health checks (feedback/staff_voice.py).
#
# The QA service and business support import the results; the QA service, senior
# leaders, business support and the team and service managers of the organisation read
# the aggregates (whose, feedback/querysets.py says).

rules.add_perm(
    "feedback.import_staff_survey",
    rules.is_superuser | has_role(Role.QA, Role.BUSINESS_SUPPORT),
)
rules.add_perm(
    "feedback.view_staff_surveys",
    rules.is_superuser
    | has_role(
        Role.QA,
        Role.SENIOR_LEADER,
        Role.BUSINESS_SUPPORT,
        Role.TEAM_MANAGER,
        Role.SERVICE_MANAGER,
    ),
)


# Questionnaires raised by journey events (models/questionnaires.py).
#
# Whoever sees a questionnaire's case sees it (feedback/querysets.py). Those who work the
# case (its worker, their managers, the QA service and business support) send it, enter
# a paper copy's answers and close it, while it waits for an answer. The scores page
# reads the questionnaires the reader sees, added up.

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
