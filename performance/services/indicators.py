"""Recomputing indicator values."""

from __future__ import annotations

import datetime
from typing import Any


def indicators_recompute(*, day: datetime.date) -> dict[str, Any]:
    """Recompute indicator values for every organisation, service, team and month."""
    return {"created": 0}
