"""Complaint timeliness: for each stage and each quarter the stage started in, how many
were responded to within their timescale (an agreed extension counts), how many late,
how many are open and overdue, and how many open within time. Database aggregates over
the complaints the reader may see (seed 003: reported quarterly to the board).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncQuarter

from core.figures import percent
from feedback.complaints import (
    late_filter,
    on_time_filter,
    open_in_time_filter,
    overdue_filter,
    quarter_after,
    quarter_start,
)
from feedback.models.complaints import Complaint, ComplaintStage, Stage

QUARTERS = 4


@dataclass(frozen=True)
class Timeliness:
    stage: int
    quarter: datetime.date | None  # its first day; None for the whole period
    on_time: int
    late: int
    overdue: int
    open: int

    @property
    def responded(self) -> int:
        return self.on_time + self.late

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.overdue + self.open

    @property
    def on_time_percent(self) -> int | None:
        """Of those responded to, the share within the timescale."""
        return percent(self.on_time, self.responded)

    @property
    def quarter_key(self) -> str:
        return self.quarter.isoformat() if self.quarter else ""

    @property
    def quarter_label(self) -> str:
        if self.quarter is None:
            return "All four quarters"
        last = quarter_after(self.quarter) - datetime.timedelta(days=1)
        return f"{self.quarter:%B} to {last:%B %Y}"


@dataclass(frozen=True)
class TimelinessFigures:
    day: datetime.date
    since: datetime.date
    quarters: list[datetime.date]
    # rows[stage] = one Timeliness a quarter, oldest first; totals[stage] = all quarters.
    rows: dict[int, list[Timeliness]]
    totals: dict[int, Timeliness]

    @property
    def chart_rows(self) -> list[tuple[str, int, str]]:
        out = []
        for stage in Stage:
            total = self.totals[stage.value]
            share = total.on_time_percent
            label = (
                "No responses"
                if share is None
                else f"{share}% ({total.on_time} of {total.responded})"
            )
            out.append((stage.label, share or 0, label))
        return out

    @property
    def stages(self) -> list[tuple[int, str, list[Timeliness], Timeliness]]:
        return [(s.value, s.label, self.rows[s.value], self.totals[s.value]) for s in Stage]


def _counts(today: datetime.date) -> dict[str, Count]:
    return {
        "on_time": Count("pk", filter=on_time_filter(today)),
        "late": Count("pk", filter=late_filter(today)),
        "overdue": Count("pk", filter=overdue_filter(today)),
        "open": Count("pk", filter=open_in_time_filter(today)),
    }


def complaint_timeliness(
    complaints: QuerySet[Complaint], *, today: datetime.date
) -> TimelinessFigures:
    """Timeliness per stage and quarter of the last four quarters (this one included) for
    `complaints` (already scoped to the reader): one aggregate query."""
    this = quarter_start(today)
    quarters = [this]
    for _ in range(QUARTERS - 1):
        quarters.insert(0, quarter_start(quarters[0] - datetime.timedelta(days=1)))
    since = quarters[0]
    rows = (
        ComplaintStage.objects.filter(
            complaint__in=complaints.values("pk"), started_on__gte=since, started_on__lte=today
        )
        .annotate(quarter=TruncQuarter("started_on"))
        .values("stage", "quarter")
        .annotate(**_counts(today))
        .order_by()
    )
    found: dict[tuple[int, datetime.date], dict[str, int]] = {}
    for row in rows:
        quarter = row["quarter"]
        if isinstance(quarter, datetime.datetime):
            quarter = quarter.date()
        found[(row["stage"], quarter)] = row
    by_stage: dict[int, list[Timeliness]] = {}
    totals: dict[int, Timeliness] = {}
    for stage in Stage:
        cells = []
        for quarter in quarters:
            row = found.get((stage.value, quarter), {})
            cells.append(
                Timeliness(
                    stage=stage.value,
                    quarter=quarter,
                    on_time=row.get("on_time", 0),
                    late=row.get("late", 0),
                    overdue=row.get("overdue", 0),
                    open=row.get("open", 0),
                )
            )
        by_stage[stage.value] = cells
        totals[stage.value] = Timeliness(
            stage=stage.value,
            quarter=None,
            on_time=sum(c.on_time for c in cells),
            late=sum(c.late for c in cells),
            overdue=sum(c.overdue for c in cells),
            open=sum(c.open for c in cells),
        )
    return TimelinessFigures(
        day=today, since=since, quarters=quarters, rows=by_stage, totals=totals
    )
