"""Who may read and change performance information (django-rules).

Figures for an organisation are aggregates: every member of staff of that organisation
may read them. The children behind a figure are always filtered by `visible_to`.
"""

from __future__ import annotations

import rules

from cases.roles import Role
from cases.rules import has_role, is_regional_lead, is_staff_member, is_superuser

reads_performance = is_superuser | (is_staff_member & ~is_regional_lead)
keeps_reference_data = is_superuser | has_role(Role.BUSINESS_SUPPORT, Role.QA, Role.SENIOR_LEADER)

# Indicators, targets, benchmarks, KPQ narratives and focused-audit proposals.
rules.add_perm("performance.view_indicators", reads_performance)
rules.add_perm("performance.change_targets", keeps_reference_data)
rules.add_perm("performance.write_narrative", keeps_reference_data)
rules.add_perm("performance.review_proposals", is_superuser | has_role(Role.QA, Role.SENIOR_LEADER))

# Data quality (performance/views/quality.py). Everyone below reads the issues on the cases
# they may see (DataQualityIssue.objects.visible_to, through the case): senior leaders, QA
# and business support their organisation's, managers their team's or service's, a
# practitioner those on their caseload. Business support and QA follow the issues up.
reads_data_quality = is_superuser | has_role(
    Role.BUSINESS_SUPPORT,
    Role.QA,
    Role.SENIOR_LEADER,
    Role.SERVICE_MANAGER,
    Role.TEAM_MANAGER,
    Role.PRACTITIONER,
)
follows_up_data_quality = is_superuser | has_role(Role.BUSINESS_SUPPORT, Role.QA)
rules.add_perm("performance.view_data_quality", reads_data_quality)
rules.add_perm("performance.follow_up_data_quality", follows_up_data_quality)

# Case-data import (performance/views/imports.py).
# Business support upload case data for their organisation; QA also read the runs and
# their reports (they see every case record of their organisation anyway). Which runs a
# reader sees is ImportRun.objects.visible_to.
rules.add_perm("performance.import_case_data", is_superuser | has_role(Role.BUSINESS_SUPPORT))
rules.add_perm(
    "performance.view_import_runs", is_superuser | has_role(Role.BUSINESS_SUPPORT, Role.QA)
)
