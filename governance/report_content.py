"""What a scheduled report holds: plain data, computed once when the report is generated
and stored as JSON on it (a frozen snapshot), then rendered as a web page, a PDF and an
Excel workbook. Builders (`governance/report_builders/`, one module per kind of report)
return a `Content`; nothing here touches the database.

A report is about an organisation's practice as a whole: its tables and figures are
counts, percentages and grades, never a child's or an adopter's name or reference. Each
figure may carry a link to the page of records behind it, which is scoped as everywhere
(whoever follows it sees only what they may).
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from typing import Any

Cell = str | int | float | None


@dataclass(frozen=True)
class Period:
    """The days a report covers: `start` to `end`, both included."""

    start: datetime.date
    end: datetime.date
    label: str  # e.g. "November 2026", "October to December 2026"

    def to_json(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "label": self.label}

    @classmethod
    def from_json(cls, data: dict[str, str]) -> Period:
        return cls(
            start=datetime.date.fromisoformat(data["start"]),
            end=datetime.date.fromisoformat(data["end"]),
            label=data["label"],
        )


@dataclass
class Figure:
    """One headline number: "Audits completed: 42 (of 50 due)"."""

    label: str
    value: Cell
    detail: str = ""  # e.g. "of 50 due", "84% good or better"
    url: str = ""  # the records behind it


@dataclass
class Table:
    """A table: its caption, column headings and rows of cells. `row_urls`, when given, has
    one link (or "") per row: the records behind that row. `numeric` names the columns
    (by index) that hold numbers, right-aligned and written as numbers in the workbook."""

    caption: str
    columns: list[str]
    rows: list[list[Cell]]
    row_urls: list[str] = field(default_factory=list)
    numeric: list[int] = field(default_factory=list)


@dataclass
class Chart:
    """A bar or line chart drawn from one of its section's tables (by index): the labels
    from `label_column`, the values from `value_column`. The table is shown beside it, so
    the same figures are there in words."""

    kind: str  # "bar" or "line"
    title: str
    table: int
    label_column: int
    value_column: int
    unit: str = ""  # e.g. "%"


@dataclass
class Section:
    """A part of a report. `key` is stable across versions (narrative is kept by it);
    `summary` is sentences written from the figures (never by hand); QA's narrative is
    added to the report, not here."""

    key: str
    title: str
    summary: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    # Questions a section answers (e.g. OBA's "How much did we do?"), shown as its lead.
    question: str = ""
    # Evidence in the app behind a statement, for the self-evaluation: (text, url).
    evidence: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Content:
    title: str
    organisation: str
    period: Period
    sections: list[Section]

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["period"] = self.period.to_json()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Content:
        sections = []
        for s in data["sections"]:
            sections.append(
                Section(
                    key=s["key"],
                    title=s["title"],
                    summary=list(s.get("summary", [])),
                    figures=[Figure(**f) for f in s.get("figures", [])],
                    tables=[Table(**t) for t in s.get("tables", [])],
                    charts=[Chart(**c) for c in s.get("charts", [])],
                    question=s.get("question", ""),
                    evidence=[(text, url) for text, url in s.get("evidence", [])],
                )
            )
        return cls(
            title=data["title"],
            organisation=data["organisation"],
            period=Period.from_json(data["period"]),
            sections=sections,
        )
