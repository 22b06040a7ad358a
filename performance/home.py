"""Business support's card on the home page, registered in PerformanceConfig.ready()."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest

from cases.models import StaffMember
from core.registry import HomeCard
from performance.selectors_quality import open_counts
from performance.services.imports.selectors import import_run_list


def follow_up_card(*, request: HttpRequest, staff: Any, today: datetime.date) -> HomeCard | None:
    """Their data to follow up, counted by the data-quality page's own selector so each
    figure matches the list it links to, and their latest import."""
    if staff is None or staff.role != StaffMember.Role.BUSINESS_SUPPORT:
        return None
    quality = open_counts(user=request.user)
    follow_up = {
        "quality": quality.by_rule,
        "quality_total": quality.total,
        "last_import": import_run_list(user=request.user).first(),
    }
    return HomeCard("performance/partials/home_follow_up.html", {"follow_up": follow_up})
