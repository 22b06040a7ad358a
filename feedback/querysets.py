"""Who may see which feedback records: built on the scoping in cases/querysets.py.

One section per kind of record (see feedback/models/__init__.py). Every queryset is an
`OrganisationQuerySet` or a `CaseScopedQuerySet`, whose `visible_to(user)` is the only way
the views and selectors reach the rows.
"""

from __future__ import annotations

# Adoption panel evaluations (feedback/models/evaluations.py).
#
# The QA service, senior leaders and agency decision makers of the organisation see every
# meeting, item and form. A panel member sees the meetings they sit on (or chair) and
# their items; their own forms, and the chair every form of the meetings they chair. The
# social worker and team manager who presented an item see it once the chair has sent the
# collated copy, and the service manager when the chair marked it for them; never the
# members' forms. Nobody of another organisation, and no regional lead.
from typing import TYPE_CHECKING

from django.db.models import Q

from cases.querysets import NOTHING, OrganisationQuerySet
from cases.roles import Role

if TYPE_CHECKING:
    from cases.models import StaffMember
    from feedback.models import PanelEvaluation, PanelItem, PanelMeeting  # noqa: F401

PANEL_READERS = frozenset({Role.QA, Role.SENIOR_LEADER, Role.DECISION_MAKER})


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
