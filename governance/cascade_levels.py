"""The levels of the monthly Performance and Outcomes cascade (seed 003, 4.6-4.9): team,
service, head of service, senior management team, chief executive; and which level a
member of staff writes at. Its own module, importing no model, so the models, the
querysets and the rules all read the same table.

Who is which level: a team manager writes their team's return; a service manager their
service's summary; a senior leader of the head-of-service tier (or below) the heads of
service's summary; any other senior leader (the director's tier) the senior management
team's; the senior leader whose job title is the chief executive's, the chief
executive's. The three upper summaries are one per organisation and month, written
together by the people at that level (the revision keeps one from overwriting another).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from cases.roles import Role

if TYPE_CHECKING:
    from cases.models import StaffMember


class Level(models.IntegerChoices):
    TEAM = 1, "Team"
    SERVICE = 2, "Service"
    HEAD_OF_SERVICE = 3, "Head of service"
    SENIOR_MANAGEMENT = 4, "Senior management team"
    CHIEF_EXECUTIVE = 5, "Chief executive"


# The levels above the service: one summary each per organisation and month.
UPPER_LEVELS = (Level.HEAD_OF_SERVICE, Level.SENIOR_MANAGEMENT, Level.CHIEF_EXECUTIVE)
# Their pages' addresses.
SLUGS = {
    "head-of-service": Level.HEAD_OF_SERVICE,
    "senior-management": Level.SENIOR_MANAGEMENT,
    "chief-executive": Level.CHIEF_EXECUTIVE,
}
SLUG_OF = {level: slug for slug, level in SLUGS.items()}
CHIEF_EXECUTIVE_TITLE = "chief executive"
# StaffMember.Tier.HEAD_OF_SERVICE (cases.models, which this module does not import).
HEAD_OF_SERVICE_TIER = 3


def staff_level(staff: StaffMember | None) -> int | None:
    """The cascade level `staff` writes at, or None (QA reads every level, writes none)."""
    if staff is None:
        return None
    if staff.role == Role.TEAM_MANAGER:
        return Level.TEAM
    if staff.role == Role.SERVICE_MANAGER:
        return Level.SERVICE
    if staff.role != Role.SENIOR_LEADER:
        return None
    if staff.job_title.strip().lower().startswith(CHIEF_EXECUTIVE_TITLE):
        return Level.CHIEF_EXECUTIVE
    if staff.tier <= HEAD_OF_SERVICE_TIER:
        return Level.HEAD_OF_SERVICE
    return Level.SENIOR_MANAGEMENT


def reads_level(staff: StaffMember | None, level: int) -> bool:
    """Each level reads its own and those below; QA every level (of its organisation)."""
    if staff is None:
        return False
    if staff.role == Role.QA:
        return True
    mine = staff_level(staff)
    return mine is not None and mine >= Level.HEAD_OF_SERVICE and mine >= level
