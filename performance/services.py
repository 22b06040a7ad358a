"""Scheduled work of this app. Each service is idempotent: a second run for the same
day changes nothing."""

from __future__ import annotations

import datetime
from typing import Any


def indicators_recompute(*, day: datetime.date) -> dict[str, Any]:
    """Recompute indicator values for every organisation, service, team and month."""
    # The indicator catalogue arrives with the performance feature: nothing to compute yet.
    return {"created": 0}


def data_quality_run(*, day: datetime.date) -> dict[str, Any]:
    """Run the data-quality rules over every record."""
    # The data-quality rules arrive with the performance feature; until then there are none to run.
    return {"created": 0}
