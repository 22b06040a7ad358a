"""Roles: the one enumeration of what a member of staff is, and the groups of roles that
scoping and permissions speak of. Its own module, importing no model, so the querysets
(imported by the models) and the rules use the same members the models do."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    QA = "qa", "QA manager"
    SENIOR_LEADER = "senior_leader", "Senior leader"
    BUSINESS_SUPPORT = "business_support", "Business support"
    INDEPENDENT_REVIEWER = "independent_reviewer", "Independent reviewing officer"
    PANEL_MEMBER = "panel_member", "Adoption panel member"
    DECISION_MAKER = "decision_maker", "Agency decision maker"
    REGIONAL_LEAD = "regional_lead", "Regional lead"


# Roles that see every case record of their own organisation.
ORGANISATION_WIDE_ROLES = frozenset({Role.QA, Role.SENIOR_LEADER, Role.BUSINESS_SUPPORT})
# Roles that read their organisation's access log.
ACCESS_LOG_READERS = frozenset({Role.QA, Role.SENIOR_LEADER})
