"""Who may read and change performance information (django-rules).

Figures for an organisation are aggregates: every member of staff of that organisation
may read them. The children behind a figure are always filtered by `visible_to`.
"""

from __future__ import annotations

import rules

from cases.rules import has_role, is_regional_lead, is_staff_member, is_superuser

reads_performance = is_superuser | (is_staff_member & ~is_regional_lead)
keeps_reference_data = is_superuser | has_role("business_support", "qa", "senior_leader")

# Indicators, targets, benchmarks, KPQ narratives and focused-audit proposals.
rules.add_perm("performance.view_indicators", reads_performance)
rules.add_perm("performance.change_targets", keeps_reference_data)
rules.add_perm("performance.write_narrative", keeps_reference_data)
rules.add_perm("performance.review_proposals", is_superuser | has_role("qa", "senior_leader"))

# Data quality (performance/views/quality.py).

# Case-data import (performance/views/imports.py).
