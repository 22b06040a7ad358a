"""Permission rules for the thematic review planner (django-rules): QA, managers and
senior leaders read it and may propose a theme; the QA service decides (agree, schedule,
decline, sample, write up)."""

from __future__ import annotations

import rules

from cases.roles import Role
from cases.rules import has_role, is_manager, is_qa

is_senior_leader = has_role(Role.SENIOR_LEADER)

rules.add_perm("themes.view_themes", rules.is_superuser | is_qa | is_manager | is_senior_leader)
rules.add_perm("themes.manage_themes", rules.is_superuser | is_qa)
