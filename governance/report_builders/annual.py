"""The annual report: the Journey of the Child and Adopter report's sections a to h over
the financial year (April to March), then the key figures of this year against the year
before. The sections are journey's own, run over the year, not copies."""

from __future__ import annotations

from django.utils import timezone

from cases.models import Organisation
from governance.report_builders import ANNUAL, Progress, journey, title_of
from governance.report_builders import common_jas as c
from governance.report_content import Cell, Content, Period, Section, Table


def comparison_section(scope: c.Scope) -> Section:
    before = scope.before()
    now, then = c.key_figures(scope), c.key_figures(before)
    rows: list[list[Cell]] = []
    summary: list[str] = []
    for key, figure in now.items():
        earlier = then[key]
        rows.append([figure.label, figure.shown, earlier.shown, _change(figure, earlier)])
        words = _change(figure, earlier)
        if figure.total is not None and figure.percent is not None and words:
            summary.append(f"{figure.label}: {figure.percent}%, {words}.")
    if not summary:
        summary.append("There were no shares to compare between the two years.")
    table = Table(
        caption="Key figures: this year against the year before",
        columns=["Figure", scope.period.label, before.period.label, "Change"],
        rows=rows,
    )
    return Section(
        key="year_on_year",
        title="This year against the year before",
        question="How this year's key figures compare with the year before",
        summary=summary,
        tables=[table],
    )


def _change(now: c.KeyFigure, before: c.KeyFigure) -> str:
    if now.total is None:
        return c.change(now.count, before.count, unit="")
    return c.change(now.percent, before.percent)


SECTIONS = [*journey.SECTIONS, comparison_section]


def build(
    organisation: Organisation, period: Period, *, progress: Progress | None = None
) -> Content:
    scope = c.Scope(organisation, period, timezone.localdate())
    return Content(
        title=title_of(ANNUAL),
        organisation=organisation.name,
        period=period,
        sections=journey.sections(scope, SECTIONS, progress=progress),
    )
