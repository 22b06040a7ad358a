"""A small report builder for the tests of the reports framework (the real builders are
others' work): two sections, one with a table drawn as a bar chart and a linked figure,
one with a table and a line chart. Its figures are read from the database, so a test can
change records after generation and see the frozen report unchanged: the number of
graded audits of the organisation (`AUDITS`) and a fixed table."""

from __future__ import annotations

from typing import Any

from governance.report_content import Chart, Content, Figure, Period, Section, Table

TITLE = "Fixture report"
GRADES = [["Outstanding", 3], ["Good", 12], ["Requires improvement", 4], ["Inadequate", 1]]
MONTHS = [["Oct 2026", 80.0], ["Nov 2026", 82.5], ["Dec 2026", 90.0]]
PERCENT_BY_MONTH = "Visits on time by month"


def build(organisation: Any, period: Period, *, progress: Any = None) -> Content:
    from audits.models import Audit

    total = 2
    if progress:
        progress(0, total)
    audits = Audit.objects.filter(organisation=organisation).count()
    first = Section(
        key="activity",
        title="How much did we do?",
        question="How much QA activity was done against the rota?",
        summary=[f"{audits} audits were recorded for {organisation.name}."],
        figures=[
            Figure(label="Audits recorded", value=audits, detail="all time", url="/audits/"),
            Figure(label="Good or better", value="75%"),
        ],
        tables=[
            Table(
                caption="Audits by grade: a [draft]/summary*",
                columns=["Grade", "Audits"],
                rows=[list(row) for row in GRADES],
                row_urls=["/audits/?grade=outstanding", "", "", ""],
                numeric=[1],
            )
        ],
        charts=[
            Chart(kind="bar", title="Audits by grade", table=0, label_column=0, value_column=1)
        ],
    )
    if progress:
        progress(1, total)
    second = Section(
        key="quality",
        title="How well did we do it?",
        summary=["Visits on time rose to 90%."],
        tables=[
            Table(
                caption=PERCENT_BY_MONTH,
                columns=["Month", "Visits on time (%)"],
                rows=[list(row) for row in MONTHS],
                numeric=[1],
            ),
            Table(
                caption="Audits by grade: a [draft]/summary*",
                columns=["Team", "Audits", "Note"],
                rows=[["T1", audits, "=SUM(A1:A2)"]],
                numeric=[1],
            ),
        ],
        charts=[
            Chart(
                kind="line",
                title=PERCENT_BY_MONTH,
                table=0,
                label_column=0,
                value_column=1,
                unit="%",
            )
        ],
    )
    if progress:
        progress(2, total)
    return Content(
        title=TITLE, organisation=organisation.name, period=period, sections=[first, second]
    )


def broken(organisation: Any, period: Period, *, progress: Any = None) -> Content:
    if progress:
        progress(0, 3)
    raise ValueError("The figures could not be read")
