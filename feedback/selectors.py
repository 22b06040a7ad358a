"""Reads of the feedback app, and its public interface for reading: other apps (governance)
import this module and `feedback.services`, nothing else of feedback.

Each starts from `visible_to(user)`; a row the user may not see is simply not there.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from feedback.figures import SentimentCount as SentimentCount
from feedback.figures import theme_count
from feedback.voices import feedback_list

if TYPE_CHECKING:
    from core.types import AnyUser


def frequent_themes(
    *, user: AnyUser, since: datetime.date, until: datetime.date, limit: int = 5
) -> list[SentimentCount]:
    """The themes the user's visible feedback received in the period was tagged with
    most, most first (one query): the board's "what families tell us"."""
    period = feedback_list(user=user).filter(received_on__gte=since, received_on__lte=until)
    return theme_count(period)[:limit]
