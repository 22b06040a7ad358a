"""Performance models, one module per feature: indicators (values, targets, benchmarks,
narratives, focused-audit proposals), data quality (rules, issues, notes) and case-data
imports (runs and their problems)."""

from performance.models.imports import *  # noqa: F403
from performance.models.indicators import *  # noqa: F403
from performance.models.quality import *  # noqa: F403
