"""What audits add to a child's or adopter's record (see cases/panels.py)."""

from __future__ import annotations

from typing import Any

from audits import selectors


def record_audits_panel(request: Any, subject: Any, cases: list) -> tuple[str, dict] | None:
    """Final audits of the subject's cases, and a way to start one for those who may."""
    can_start = request.user.has_perm("audits.start_audit")
    audits = list(selectors.subject_audits(user=request.user, case_ids=[c.pk for c in cases]))
    if not audits and not can_start:
        return None
    open_cases = [c for c in cases if c.status == "open"]
    return (
        "audits/partials/record_audits.html",
        {"record_audits": audits, "can_start_audit": can_start, "open_cases": open_cases},
    )
