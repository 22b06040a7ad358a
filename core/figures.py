"""Arithmetic for the figures that pages and reports show, whatever is being counted."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def percent(count: int, total: int) -> int | None:
    """count / total as a whole percentage, halves rounded up (12.5 -> 13); None if total is 0."""
    if total == 0:
        return None
    exact = Decimal(count) * 100 / Decimal(total)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
