"""Who may see which thematic reviews: built on the scoping in cases/querysets.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cases.querysets import OrganisationQuerySet

if TYPE_CHECKING:
    from themes.models import ThematicReview  # noqa: F401


class ThematicReviewQuerySet(OrganisationQuerySet["ThematicReview"]):
    """The themes of the reader's organisation, for people who use the planner."""

    permission = "themes.view_themes"
