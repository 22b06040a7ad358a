"""What themes does when a lower app tells it something (connected in ThemesConfig.ready)."""

from __future__ import annotations

from typing import Any

from cases.models import Organisation, StaffMember
from themes.models import ThematicReview
from themes.services import theme_propose


def focused_audit_proposed(
    sender: Any,
    *,
    organisation: Organisation,
    proposed_by: StaffMember,
    title: str,
    question: str,
    source_detail: str,
    proposal: Any = None,
    **kwargs: Any,
) -> str:
    """A performance alert's focused audit becomes a proposed theme in the planner;
    returns the theme's URL for the proposal to link to."""
    theme = theme_propose(
        organisation=organisation,
        proposed_by=proposed_by,
        title=title,
        question=question,
        source=ThematicReview.Source.INDICATOR,
        source_detail=source_detail,
        indicators=[proposal.indicator] if proposal is not None else [],
    )
    return theme.get_absolute_url()
