"""Small searches over events sorted by date, shared by the indicator definitions."""

from __future__ import annotations

import datetime
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator

from core.months import month_end
from performance.indicators.base import Fact, Window
from performance.indicators.source import Event, Source


def _on(event: Event) -> datetime.date:
    return event.occurred_on


def last_on_or_before(events: list[Event], day: datetime.date) -> Event | None:
    index = bisect_right(events, day, key=_on)
    return events[index - 1] if index else None


def last_before(events: list[Event], day: datetime.date) -> Event | None:
    index = bisect_left(events, day, key=_on)
    return events[index - 1] if index else None


def first_on_or_after(events: list[Event], day: datetime.date) -> Event | None:
    index = bisect_left(events, day, key=_on)
    return events[index] if index < len(events) else None


def between(events: list[Event], after: datetime.date, upto: datetime.date) -> list[Event]:
    """Events after `after` up to and including `upto`."""
    return events[bisect_right(events, after, key=_on) : bisect_right(events, upto, key=_on)]


def in_window(events: Iterable[Event], window: Window) -> Iterator[Event]:
    for event in events:
        if window.holds(event.occurred_on):
            yield event


def paired(
    src: Source, start_kind: str, end_kind: str, *, by: str
) -> Iterator[tuple[Event, Event]]:
    """(start, end) for each `end_kind` event in the window, with the latest `start_kind`
    event on or before it of the same case (`by="case"`) or child (`by="child"`). An end
    with no such start is left out."""
    starts = src.by_case(start_kind) if by == "case" else src.by_child(start_kind)
    for end in in_window(src.events(end_kind), src.window):
        key = end.case_id if by == "case" else end.child_id
        start = last_on_or_before(starts.get(key, []), end.occurred_on)
        if start is not None:
            yield start, end


def month_ends(
    window: Window, as_of: datetime.date
) -> Iterator[tuple[datetime.date, datetime.date]]:
    """(month, the day it is read on): the month's last day, or today for this month."""
    for month in window.months():
        day = min(month_end(month), as_of)
        if day >= month:
            yield month, day


def counted(kind: str, of: str = ""):
    """Facts for a count indicator: each `kind` event in the window, of a child's case
    (`of="child"`), an adopter's (`of="adopter"`), or either."""

    def facts(src: Source) -> Iterator[Fact]:
        for event in in_window(src.events(kind), src.window):
            if of and getattr(event, f"{of}_id") is None:
                continue
            yield event.fact(note=event.occurred_on.strftime("%d %b %Y"))

    return facts
