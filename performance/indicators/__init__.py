"""The indicator catalogue: every indicator, defined in code over journey events and cases.

`CATALOGUE` maps each slug to its `Indicator`; `by_kpq()` groups them under Durham's ten
Key Performance Questions and the adopter's journey.
"""

from __future__ import annotations

from performance.indicators import adopters, care, children, workforce
from performance.indicators.base import (
    ADOPTER_JOURNEY,
    KPQ_TITLES,
    KPQS,
    Fact,
    Indicator,
    Kind,
    Oba,
    Polarity,
    Window,
    value_of,
)

CATALOGUE: dict[str, Indicator] = {
    indicator.slug: indicator
    for indicator in [
        *children.INDICATORS,
        *workforce.INDICATORS,
        *care.INDICATORS,
        *adopters.INDICATORS,
    ]
}


def by_kpq() -> dict[int, list[Indicator]]:
    grouped: dict[int, list[Indicator]] = {kpq: [] for kpq in KPQ_TITLES}
    for indicator in CATALOGUE.values():
        grouped[indicator.kpq].append(indicator)
    return grouped


__all__ = [
    "ADOPTER_JOURNEY",
    "CATALOGUE",
    "KPQS",
    "KPQ_TITLES",
    "Fact",
    "Indicator",
    "Kind",
    "Oba",
    "Polarity",
    "Window",
    "by_kpq",
    "value_of",
]
