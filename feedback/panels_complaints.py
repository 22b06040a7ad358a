"""What complaints add to a child's or adopter's record (see cases/panels.py)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from feedback import complaints


def record_complaints_panel(request: Any, subject: Any, cases: list) -> tuple[str, dict] | None:
    """The complaints about the subject's cases that the reader may see."""
    found = list(complaints.case_complaints(user=request.user, case_ids=[c.pk for c in cases]))
    if not found:
        return None
    today = timezone.localdate()
    rows = [(c, complaints.current_clock(c, today)) for c in found]
    return "feedback/complaints/partials/record_panel.html", {"record_complaints": rows}
