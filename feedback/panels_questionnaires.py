"""What questionnaires add to an adopter's (or child's) record (see cases/panels.py)."""

from __future__ import annotations

from typing import Any

from feedback import questionnaires


def record_questionnaires_panel(request: Any, subject: Any, cases: list) -> tuple[str, dict] | None:
    """The questionnaires raised on the subject's cases that the reader may see (the
    record page notes the subject in the access log)."""
    found = list(
        questionnaires.case_questionnaires(user=request.user, case_ids=[c.pk for c in cases])
    )
    if not found:
        return None
    return "feedback/questionnaires/partials/record_panel.html", {"record_questionnaires": found}
