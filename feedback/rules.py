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


# Adoption panel evaluations (feedback/models/evaluations.py): the members sitting
# evaluate each item until the chair sends the collated copy; the chair collates and
# sends it; whoever may see the item once sent reads the collated copy.

from cases.querysets import staff_of  # noqa: E402
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
    """The QA service, senior leaders and agency decision makers of its organisation."""
    staff = staff_of(user)
    return (
        staff is not None
        and staff.role in (Role.QA, Role.SENIOR_LEADER, Role.DECISION_MAKER)
        and staff.organisation_id == item.organisation_id
    )


@rules.predicate
def can_see_panel_item(user: AnyUser | None, item: PanelItem | None) -> bool:
    if item is None:
        return False
    return type(item).objects.visible_to(user).filter(pk=item.pk).exists()


panel_reader = has_role(Role.PANEL_MEMBER, Role.QA, Role.SENIOR_LEADER, Role.DECISION_MAKER)
rules.add_perm("feedback.view_panel_meetings", rules.is_superuser | panel_reader)
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
