"""What observations add to a child's or adopter's record (see cases/panels.py)."""

from __future__ import annotations

from typing import Any

from observations import selectors


def record_observations_panel(request: Any, subject: Any, cases: list) -> tuple[str, dict] | None:
    """The practice observations about the subject's cases that the reader may see."""
    observations = list(
        selectors.case_observations(user=request.user, case_ids=[c.pk for c in cases])
    )
    if not observations:
        return None
    return "observations/partials/record_panel.html", {"record_observations": observations}
