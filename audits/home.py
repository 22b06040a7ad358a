"""The audits card on the home page ("my work"), registered in AuditsConfig.ready()."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest

from audits.selectors import audit_work_summary
from core.registry import HomeCard


def audit_work_card(*, request: HttpRequest, staff: Any, today: datetime.date) -> HomeCard | None:
    """The person's audits, and for QA the queue waiting for moderation."""
    work = audit_work_summary(user=request.user)
    if not work:
        return None
    cases = [audit.case for audit in work.get("next_due", []) if audit.case]
    cases += [a.case for a in work.get("moderation", {}).get("audits", []) if a.case]
    return HomeCard(
        "audits/partials/home_audit_work.html", {"audit_work": work, "today": today}, cases
    )
