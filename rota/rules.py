"""Permission rules for the QA programme (django-rules): the rota and the escalation list."""

from __future__ import annotations

import rules

from cases.roles import Role
from cases.rules import has_role, is_manager, is_qa

# The escalation list (work more than the escalation days overdue): QA and senior leaders.
reads_escalations = has_role(Role.QA, Role.SENIOR_LEADER)

rules.add_perm("rota.view_escalations", rules.is_superuser | reads_escalations)


# The QA rota: QA, senior leaders and managers read it; the QA service generates rotas,
# edits the QA rules and changes slots.
reads_rota = has_role(Role.QA, Role.SENIOR_LEADER)

rules.add_perm("rota.view_rota", rules.is_superuser | reads_rota | is_manager)
rules.add_perm("rota.manage_rota", rules.is_superuser | is_qa)
