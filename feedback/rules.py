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


# Dispute resolution (feedback/disputes.py).
#
# The independent chair raises a challenge on a child's case they may see; the person a
# stage is with (or a manager of the case) responds; the chair who raised it (or the QA
# service) escalates it to the next stage, resolves or withdraws it; the QA service sets
# the organisation's timescales. An agreed action is done by its owner.

from cases.querysets import staff_of  # noqa: E402
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
