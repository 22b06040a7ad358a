"""This app's services: one module per feature. The scheduled ones are idempotent: a
second run for the same day changes nothing."""

from performance.services.indicators import indicators_recompute
from performance.services.quality import data_quality_run

__all__ = ["data_quality_run", "indicators_recompute"]
