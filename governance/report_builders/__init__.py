"""The kinds of scheduled report, the period each covers, and where its builder lives.

Each builder module has `build(organisation, period, *, progress=None) -> Content`
(governance.report_content): it reads figures through the other apps' selectors,
computes every number from records, and returns plain data that is stored frozen on the
report. `progress`, when given, is called as `progress(done, total)` after each section,
so the page that waits for the report can show how far it has got.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from importlib import import_module

from core.months import add_months, month_end, month_start
from governance.report_content import Content, Period

Builder = Callable[..., Content]
Progress = Callable[[int, int], None]

MONTHLY = "monthly"
QUARTERLY = "quarterly"
JOURNEY = "journey"
ANNUAL = "annual"
SELF_EVALUATION = "self_evaluation"

# kind: (title, builder module)
KINDS: dict[str, tuple[str, str]] = {
    MONTHLY: ("Monthly QA report", "governance.report_builders.monthly"),
    QUARTERLY: ("Quality of Practice report", "governance.report_builders.quarterly"),
    JOURNEY: (
        "Journey of the Child and Adopter report",
        "governance.report_builders.journey",
    ),
    ANNUAL: ("Annual report", "governance.report_builders.annual"),
    SELF_EVALUATION: ("Draft self-evaluation", "governance.report_builders.self_evaluation"),
}


def title_of(kind: str) -> str:
    return KINDS[kind][0]


def builder(kind: str) -> Builder:
    build: Builder = import_module(KINDS[kind][1]).build
    return build


def _months(first: datetime.date, count: int) -> Period:
    last = month_end(add_months(first, count - 1))
    if count == 1:
        label = f"{first:%B %Y}"
    elif first.year == last.year:
        label = f"{first:%B} to {last:%B %Y}"
    else:
        label = f"{first:%B %Y} to {last:%B %Y}"
    return Period(start=first, end=last, label=label)


def period_for(kind: str, day: datetime.date) -> Period:
    """The period a report of `kind` generated on `day` covers: always whole months that
    have ended.

    - monthly: the month before;
    - quarterly: the three months before the quarter `day` is in (generated in April, it
      covers January to March);
    - journey: the six months before the half-year (April to September, generated in
      October; October to March, generated in April);
    - annual and self-evaluation: the year to the end of March before `day` (the
      financial year; the second journey report of each year is this year's whole).
    """
    this_month = month_start(day)
    if kind == MONTHLY:
        return _months(add_months(this_month, -1), 1)
    if kind == QUARTERLY:
        quarter_start = this_month.replace(month=(this_month.month - 1) // 3 * 3 + 1)
        return _months(add_months(quarter_start, -3), 3)
    if kind == JOURNEY:
        half_start = this_month.replace(month=4 if 4 <= this_month.month <= 9 else 10)
        if this_month.month < 4:
            half_start = half_start.replace(year=half_start.year - 1)
        return _months(add_months(half_start, -6), 6)
    if kind in (ANNUAL, SELF_EVALUATION):
        year = this_month.year if this_month.month >= 4 else this_month.year - 1
        return _months(datetime.date(year - 1, 4, 1), 12)
    raise KeyError(kind)
