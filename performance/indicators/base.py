"""What an indicator is, and the facts it counts.

An indicator turns the organisation's journey events and cases into `Fact`s: one per
record it counts (a referral, a visit, a child in care at the month's end). Each fact
belongs to one month and to the team and service of its case. Values are worked out
from the facts, so the children behind any value are the facts behind it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.months import add_months, month_end

if TYPE_CHECKING:
    from performance.indicators.source import Source


class Kind:
    PERCENTAGE = "percentage"  # facts counted / facts, as a percentage
    AVERAGE = "average"  # the mean of the facts' measures
    COUNT = "count"  # how many facts
    PER_WORKER = "per_worker"  # facts / distinct workers among them


class Polarity:
    HIGHER = "higher"
    LOWER = "lower"
    NEITHER = "neither"

    LABELS = {
        HIGHER: "Higher is better",
        LOWER: "Lower is better",
        NEITHER: "Neither: read it against the benchmarks",
    }


class Oba:
    """Outcomes-based accountability's three questions (One Adoption West Yorkshire)."""

    HOW_MUCH = "how_much"
    HOW_WELL = "how_well"
    BETTER_OFF = "better_off"

    LABELS = {
        HOW_MUCH: "How much did we do?",
        HOW_WELL: "How well did we do it?",
        BETTER_OFF: "Is anyone better off?",
    }


# Durham's ten Key Performance Questions. Adopter-journey indicators answer none of them
# and are gathered under ADOPTER_JOURNEY instead.
KPQS = {
    1: "Are referrals allocated in a timely manner and are children seen in accordance "
    "with timescales?",
    2: "Does every child have an assessment of need without drift and delay which results "
    "in the right outcome?",
    3: "Are the right children in the child protection process and are they receiving a "
    "robust and timely child protection response?",
    4: "Are social work caseloads manageable and do they meet our quality standards?",
    5: "Are children seen often enough and alone?",
    6: "How do we respond to different abuse types?",
    7: "Do children involved in care proceedings receive good and timely outcomes?",
    8: "Are the right children in care and are they there for the right amount of time?",
    9: "Do we achieve good outcomes for our children in care and care leavers?",
    10: "Are supervision taking place in a timely manner and are staff being effectively managed?",
}
ADOPTER_JOURNEY = 11
KPQ_TITLES = {**KPQS, ADOPTER_JOURNEY: "The adopter's journey: from enquiry to match"}


@dataclass(frozen=True, slots=True)
class Fact:
    month: datetime.date
    case_id: int
    team_id: int
    service_id: int
    counted: bool = True
    measure: int | None = None
    worker_id: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Window:
    """The months an indicator is worked out for: `first` and `last` are first days."""

    organisation_id: int
    first: datetime.date
    last: datetime.date
    # The day the figures are read on: timescales still running then are not yet counted.
    as_of: datetime.date | None = None

    @property
    def today(self) -> datetime.date:
        return self.as_of or self.end

    @property
    def end(self) -> datetime.date:
        return month_end(self.last)

    def months(self) -> list[datetime.date]:
        months, month = [], self.first
        while month <= self.last:
            months.append(month)
            month = add_months(month, 1)
        return months

    def holds(self, day: datetime.date) -> bool:
        return self.first <= day <= self.end


@dataclass(frozen=True)
class Indicator:
    slug: str
    name: str
    definition: str
    numerator: str
    denominator: str
    kind: str
    unit: str
    polarity: str
    kpq: int
    oba: str
    stage: str
    facts: Callable[[Source], Iterable[Fact]] = field(repr=False, compare=False)

    @property
    def polarity_label(self) -> str:
        return Polarity.LABELS[self.polarity]

    @property
    def oba_label(self) -> str:
        return Oba.LABELS[self.oba]

    @property
    def kpq_title(self) -> str:
        return KPQ_TITLES[self.kpq]

    @property
    def is_rate(self) -> bool:
        return self.kind == Kind.PERCENTAGE

    def worse(self, value: float, than: float) -> bool:
        """Is `value` worse than `than`? Never, for an indicator with no better direction."""
        if self.polarity == Polarity.HIGHER:
            return value < than
        if self.polarity == Polarity.LOWER:
            return value > than
        return False

    def format(self, value: float | None) -> str:
        if value is None:
            return "No data"
        if self.kind == Kind.PERCENTAGE:
            return f"{value:.1f}%"
        if self.kind == Kind.COUNT:
            return f"{value:,.0f}"
        return f"{value:,.1f} {self.unit}"


def value_of(kind: str, numerator: int, denominator: int | None) -> float | None:
    """The value from its numerator and denominator (None when nothing was counted)."""
    if kind == Kind.COUNT:
        return float(numerator)
    if not denominator:
        return None
    if kind == Kind.PERCENTAGE:
        return round(100.0 * numerator / denominator, 4)
    return round(numerator / denominator, 4)
