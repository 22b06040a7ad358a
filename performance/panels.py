"""The data-quality panel on a child's or adopter's record (cases/panels.py)."""

from __future__ import annotations

from typing import Any

from performance.models import DataQualityIssue


def record_quality_panel(request: Any, subject: Any, cases: list) -> tuple[str, dict] | None:
    """The open data-quality issues on the subject's cases, for those who read issues.
    Shown only when there is something to put right."""
    if not request.user.has_perm("performance.view_data_quality") or not cases:
        return None
    issues = list(
        DataQualityIssue.objects.visible_to(request.user)
        .current()
        .filter(case_id__in=[case.pk for case in cases])
        .select_related("rule", "assigned_to__user")
        .order_by("raised_on", "pk")
    )
    if not issues:
        return None
    return "performance/quality/partials/record_issues.html", {"record_issues": issues}
