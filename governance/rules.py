"""Permission rules for the governance app (django-rules).

Each action is one rule, `governance.<action>`, made of who may take it and when; the
view, the template flag and the service all ask it with `may(user, perm, obj)`. One
section per feature.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from cases.models import Organisation
from cases.querysets import staff_of
from cases.roles import Role
from cases.rules import has_role, is_staff_member

if TYPE_CHECKING:
    from core.types import AnyUser


def may(user: AnyUser | None, perm: str, obj: object) -> bool:
    """Whether `user` may take an object action: the rule itself (Django's `has_perm`
    lets every superuser through, status and all)."""
    return rules.has_perm(perm, user, obj)


_is_superuser = rules.is_superuser

# The Quality Improvement Action Plan.


@rules.predicate
def _same_organisation(user: AnyUser, obj: object) -> bool:
    """The object (an organisation, or a record of one) is the user's organisation's; no
    object: true (the page checks the rows it shows)."""
    staff = staff_of(user)
    if staff is None:
        return False
    if obj is None:
        return True
    organisation_id = getattr(obj, "organisation_id", getattr(obj, "pk", None))
    return bool(organisation_id == staff.organisation_id)


@rules.predicate
def _owns_or_leads(user: AnyUser, action: object) -> bool:
    staff = staff_of(user)
    if staff is None or action is None:
        return False
    priority = getattr(action, "priority", None)
    return bool(
        getattr(action, "owner_id", None) == staff.pk
        or (priority is not None and priority.lead_id == staff.pk)
    )


_runs_plan = has_role(Role.QA, Role.SENIOR_LEADER)
_reads_plan = is_staff_member & ~has_role(Role.REGIONAL_LEAD)

rules.add_perm("governance.view_plan", _is_superuser | _reads_plan)
rules.add_perm("governance.manage_plan", _is_superuser | (_runs_plan & _same_organisation))
rules.add_perm(
    "governance.update_action",
    _is_superuser | (_same_organisation & (_runs_plan | _owns_or_leads)),
)

# Board dashboards, SPC and triangulation.

# The board reads the organisation's figures and, behind them, its records: senior
# leaders and the QA service (regional leads get the regional view, aggregates only).
rules.add_perm("governance.view_board", _is_superuser | has_role(Role.SENIOR_LEADER, Role.QA))


@rules.predicate
def _qa_of_the_changes_organisation(user: AnyUser, change: object = None) -> bool:
    """The QA service; of the change's organisation, when there is a change."""
    staff = staff_of(user)
    if staff is None or staff.role != Role.QA:
        return False
    return change is None or getattr(change, "organisation_id", None) == staff.organisation_id


# The QA service keeps its organisation's process changes (the page that lists, adds and
# deletes them); senior leaders read the charts they shape.
rules.add_perm("governance.manage_process_changes", _is_superuser | _qa_of_the_changes_organisation)

# The regional view.


@rules.predicate
def _at_an_adoption_agency(user: AnyUser) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.organisation.kind == Organisation.Kind.ADOPTION_AGENCY


# The partner councils' aggregates side by side: the regional lead, and an adoption
# agency's senior leaders and QA service (its partner board). Council staff read their
# own board instead.
rules.add_perm(
    "governance.view_regional",
    _is_superuser
    | has_role(Role.REGIONAL_LEAD)
    | (has_role(Role.SENIOR_LEADER, Role.QA) & _at_an_adoption_agency),
)

# Performance Exceptions returns.

_reads_returns = has_role(Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.QA, Role.SENIOR_LEADER)


@rules.predicate
def _manages_the_returns_team(user: AnyUser, ret: object) -> bool:
    staff = staff_of(user)
    return (
        staff is not None
        and ret is not None
        and staff.role == Role.TEAM_MANAGER
        and getattr(ret, "organisation_id", None) == staff.organisation_id
        and getattr(ret, "team_id", None) == staff.team_id
    )


@rules.predicate
def _manages_the_returns_service(user: AnyUser, obj: object) -> bool:
    """A service manager of the return's (or summary's) service."""
    staff = staff_of(user)
    return (
        staff is not None
        and obj is not None
        and staff.role == Role.SERVICE_MANAGER
        and getattr(obj, "organisation_id", None) == staff.organisation_id
        and getattr(obj, "service_id", None) == staff.service_id
    )


@rules.predicate
def _return_is_open(user: AnyUser, ret: object) -> bool:
    return getattr(ret, "status", None) == "open"


@rules.predicate
def _return_is_submitted(user: AnyUser, ret: object) -> bool:
    return getattr(ret, "status", None) == "submitted"


# The list and pages: team managers, service managers, QA and senior leaders (each sees
# the rows ReturnQuerySet gives them).
rules.add_perm("governance.view_returns", _is_superuser | _reads_returns)
# The team manager writes and submits their team's return while it is open.
rules.add_perm("governance.write_return", _manages_the_returns_team & _return_is_open)
# The service manager comments on a submitted return and marks it reviewed.
rules.add_perm("governance.review_return", _manages_the_returns_service & _return_is_submitted)
# The service's monthly summary: its service manager writes it; QA and senior leaders read.
rules.add_perm(
    "governance.view_return_summary",
    _is_superuser | has_role(Role.SERVICE_MANAGER, Role.QA, Role.SENIOR_LEADER),
)
rules.add_perm("governance.write_service_summary", _manages_the_returns_service)

# Scheduled reports.

# The list (and the "Reports" navigation entry): any member of staff but the regional
# lead, each seeing the rows ReportQuerySet gives them (QA and senior leaders all their
# organisation's; a board member the published reports of their boards; others none).
# Asking whether someone sits on a board would cost a query on every page's header.
rules.add_perm("governance.view_reports", _is_superuser | _reads_plan)
# Generating, narrative, publishing: the QA service of the report's organisation.
rules.add_perm(
    "governance.manage_reports", _is_superuser | (has_role(Role.QA) & _same_organisation)
)
# Boards and meetings; learning briefs (governance/boards.py, briefs.py).

_keeps_boards = has_role(Role.QA, Role.SENIOR_LEADER)


@rules.predicate
def _chairs_the_meetings_board(user: AnyUser, meeting: object) -> bool:
    staff = staff_of(user)
    board = getattr(meeting, "board", None)
    return staff is not None and board is not None and board.chair_id == staff.pk


_reads_boards = is_staff_member & ~has_role(Role.REGIONAL_LEAD)

# The boards' pages: the organisation's staff read them (BoardQuerySet), and the header
# lists them for all of them (asking who sits on a board would cost every page a query).
rules.add_perm("governance.view_boards", _is_superuser | _reads_boards)
# QA and senior leaders keep the boards and schedule their meetings.
rules.add_perm("governance.manage_boards", _is_superuser | (_keeps_boards & _same_organisation))
# A meeting's agenda, minutes and decisions: QA, senior leaders and the board's chair.
rules.add_perm(
    "governance.edit_meeting",
    _is_superuser | (_same_organisation & (_keeps_boards | _chairs_the_meetings_board)),
)
# Learning briefs: every member of staff reads those addressed to them; QA writes and
# publishes them; QA and senior leaders see who has read one.
rules.add_perm("governance.view_briefs", _is_superuser | _reads_boards)
rules.add_perm("governance.write_briefs", _is_superuser | (has_role(Role.QA) & _same_organisation))
rules.add_perm("governance.view_brief_reads", _is_superuser | (_keeps_boards & _same_organisation))


# The Performance and Outcomes cascade above the service, and actions raised in it
# (governance/cascade.py). An upper level's rules take the level (an int) as the object.


@rules.predicate
def _reads_the_level(user: AnyUser, level: object) -> bool:
    from governance.cascade_levels import reads_level

    return isinstance(level, int) and reads_level(staff_of(user), level)


@rules.predicate
def _writes_at_the_level(user: AnyUser, level: object) -> bool:
    from governance.cascade_levels import UPPER_LEVELS, staff_level

    return level in UPPER_LEVELS and staff_level(staff_of(user)) == level


@rules.predicate
def _owns_or_raised_the_action(user: AnyUser, action: object) -> bool:
    staff = staff_of(user)
    return (
        staff is not None
        and action is not None
        and getattr(action, "organisation_id", None) == staff.organisation_id
        and staff.pk in (getattr(action, "owner_id", None), getattr(action, "raised_by_id", None))
    )


@rules.predicate
def _action_is_open(user: AnyUser, action: object) -> bool:
    return getattr(action, "status", None) == "open"


# Each upper level's page: that level, the levels above it and QA.
rules.add_perm("governance.view_cascade", _is_superuser | _reads_the_level)
# An upper level's summary: the people at that level write it.
rules.add_perm("governance.write_cascade_summary", _writes_at_the_level)
# Actions: the team manager raises them on their team's return (whatever its status: the
# actions are theirs to keep); a service manager on their service's summary; an upper
# level on its own summary.
rules.add_perm("governance.raise_return_action", _manages_the_returns_team)
rules.add_perm("governance.raise_service_action", _manages_the_returns_service)
rules.add_perm("governance.raise_cascade_action", _writes_at_the_level)
# Whoever raised an action, or owns it, marks it done while it is open.
rules.add_perm("governance.complete_return_action", _owns_or_raised_the_action & _action_is_open)
