"""What feedback adds to a child's or adopter's record (see cases/panels.py)."""

from __future__ import annotations

from typing import Any

from feedback import voices
from feedback.rules import may


def record_feedback_panel(request: Any, subject: Any, cases: list) -> tuple[str, dict] | None:
    """The feedback about the subject's cases that the reader may see, and a way to ask
    the family for theirs through a one-use link."""
    feedback = list(voices.case_feedback(user=request.user, case_ids=[c.pk for c in cases]))
    askable = [
        c for c in cases if c.status == "open" and may(request.user, "feedback.ask_for_feedback", c)
    ]
    if not feedback and not askable:
        return None
    return "feedback/partials/record_panel.html", {
        "record_feedback": feedback,
        "askable_cases": askable,
    }
