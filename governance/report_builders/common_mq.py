"""What the monthly QA report and the quarterly Quality of Practice report share: the
period's boundaries, sentences written from figures, and the tables both read (grades,
moderation, indicators against target, data quality, complaints by stage).

Every figure is the organisation's, counted as the board and the lists count it
(governance.figures, the apps' selectors); every link is to a page that scopes what its
reader sees. Nothing here names a child or an adopter.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, F, QuerySet
from django.urls import reverse
from django.utils import timezone

from audits import selectors as audit_selectors
from cases.models import JourneyStage, Organisation, Service
from core.figures import percent
from core.months import month_start
from feedback import selectors as feedback_selectors
from governance import figures
from governance.report_builders import Progress
from governance.report_content import Cell, Chart, Figure, Section, Table
from performance import selectors_indicators as indicator_selectors
from performance import selectors_quality as quality_selectors

GRADES = list(audit_selectors.Grade.choices)
NO_SERVICE = "No service"
NO_STAGE = "No stage recorded"


# The period.


def months_of(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return figures.months_between(month_start(start), month_start(end))


def moment(day: datetime.date) -> datetime.datetime:
    """The start of `day` in London time (as governance.figures bounds a month)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def submitted_between(
    rows: QuerySet[Any], field: str, start: datetime.date, end: datetime.date
) -> QuerySet[Any]:
    """Rows whose datetime `field` falls on `start` to `end` (inclusive), London time."""
    after = end + datetime.timedelta(days=1)
    return rows.filter(**{f"{field}__gte": moment(start), f"{field}__lt": moment(after)})


def as_of(end: datetime.date) -> datetime.date:
    """The day states are read on (overdue, open within time): the day after the period."""
    return end + datetime.timedelta(days=1)


def month_key(month: datetime.date) -> str:
    return f"{month:%Y-%m}"


def month_name(month: datetime.date) -> str:
    return f"{month:%B %Y}"


# Words from figures.


def share(n: int, d: int) -> str:
    """ "84%", or "" when there is nothing to divide by."""
    value = percent(n, d)
    return "" if value is None else f"{value}%"


def share_value(n: int, d: int) -> int | None:
    return percent(n, d)


def of_sentence(n: int, d: int, what: str, verb: str, none: str) -> str:
    """ "42 of 50 audits due were completed (84%)." or the sentence for none."""
    if d == 0:
        return none
    return f"{n} of {d} {what} {verb} ({percent(n, d)}%)."


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def url(name: str, *args: object, **query: object) -> str:
    base = reverse(name, args=list(args))
    params = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{base}?{urlencode(params)}" if params else base


def audit_list_url(start: datetime.date, end: datetime.date, **query: object) -> str:
    return url(
        "audits:audit_list",
        submitted_from=start.isoformat(),
        submitted_to=end.isoformat(),
        **query,
    )


def board_month_url(measure: str, month: datetime.date, **query: object) -> str:
    return url("governance:board_month", measure, month_key(month), **query)


def step(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def run_sections(
    makers: Sequence[Callable[[], Section]], progress: Progress | None
) -> list[Section]:
    sections = []
    for index, make in enumerate(makers, start=1):
        sections.append(make())
        step(progress, index, len(makers))
    return sections


def services_of(organisation: Organisation) -> list[Service]:
    return list(Service.objects.filter(organisation=organisation).order_by("name"))


def bar(title: str, table: int, label: int, value: int, unit: str = "") -> Chart:
    return Chart(
        kind="bar", title=title, table=table, label_column=label, value_column=value, unit=unit
    )


# Audit grades.


def graded_audits(organisation: Organisation, start: datetime.date, end: datetime.date) -> Any:
    """The audits graded (submitted) in the period, as the board counts them."""
    source = figures.audit_grades([organisation.pk])
    return submitted_between(source.rows, source.when, start, end)


def grade_counts(audits: QuerySet[Any]) -> dict[str, int]:
    return {
        row["overall_grade"]: row["n"]
        for row in audits.values("overall_grade").annotate(n=Count("pk")).order_by()
    }


def grade_table(
    counts: dict[str, int], start: datetime.date, end: datetime.date, caption: str
) -> Table:
    total = sum(counts.values())
    rows: list[list[Cell]] = []
    urls = []
    for value, label in GRADES:
        n = counts.get(value, 0)
        rows.append([str(label), n, share_value(n, total)])
        urls.append(audit_list_url(start, end, grade=value))
    return Table(
        caption=caption,
        columns=["Grade", "Audits", "Share (%)"],
        rows=rows,
        row_urls=urls,
        numeric=[1, 2],
    )


def good_or_better(counts: dict[str, int]) -> int:
    return sum(counts.get(g, 0) for g in audit_selectors.GOOD_OR_BETTER)


def grade_sentences(counts: dict[str, int]) -> list[str]:
    total = sum(counts.values())
    if total == 0:
        return ["No audits were graded."]
    good = good_or_better(counts)
    return [
        f"{plural(total, 'audit was', 'audits were')} graded; {good} of {total} "
        f"were good or better ({percent(good, total)}%)."
    ]


def by_service(
    rows: QuerySet[Any],
    service: Any,
    numerator: Any,
) -> dict[int | None, tuple[int, int]]:
    """(numerator, all) for each service id (None: no service), in one grouped query."""
    grouped = (
        rows.annotate(unit_id=service)
        .values("unit_id")
        .annotate(n=Count("pk", filter=numerator), d=Count("pk"))
        .order_by()
    )
    return {row["unit_id"]: (row["n"], row["d"]) for row in grouped}


def service_table(
    counted: dict[int | None, tuple[int, int]],
    services: list[Service],
    caption: str,
    columns: list[str],
    link: Callable[[Service], str],
) -> Table:
    """One row a service (and one for records with none, when there are any)."""
    rows: list[list[Cell]] = []
    urls = []
    for service in services:
        n, d = counted.get(service.pk, (0, 0))
        rows.append([service.name, d, n, share_value(n, d)])
        urls.append(link(service))
    if counted.get(None):
        n, d = counted[None]
        rows.append([NO_SERVICE, d, n, share_value(n, d)])
        urls.append("")
    return Table(caption=caption, columns=columns, rows=rows, row_urls=urls, numeric=[1, 2, 3])


# Moderation.


def moderated_audits(
    organisation: Organisation, start: datetime.date, end: datetime.date
) -> QuerySet[Any]:
    source = figures.moderation_agreement([organisation.pk])
    return submitted_between(source.rows, source.when, start, end)


# Journey stages.


def stage_label(value: str | None) -> str:
    if not value:
        return NO_STAGE
    return str(dict(JourneyStage.choices).get(value, value))


def stage_order(values: Iterable[str | None]) -> list[str | None]:
    """The stages in the journey's order, those with no stage last."""
    order = {value: i for i, (value, _label) in enumerate(JourneyStage.choices)}
    return sorted(set(values), key=lambda v: (v is None or v == "", order.get(v or "", 99)))


# Indicators against target.


def indicator_months(
    organisation: Organisation, start: datetime.date, end: datetime.date
) -> dict[str, list[figures.IndicatorMonth]]:
    """Every indicator's organisation values by month of the period, with the month's
    target (two queries)."""
    slugs = list(indicator_selectors.CATALOGUE)
    found = figures.indicators_by_month(
        slugs,
        organisation_ids=[organisation.pk],
        first=month_start(start),
        last=month_start(end),
    )
    return {slug: found[(organisation.pk, slug)] for slug in slugs}


def stored_indicators(
    organisation: Organisation, start: datetime.date, end: datetime.date
) -> set[tuple[str, datetime.date]]:
    """Which (indicator, month) the nightly recompute stored a value for (one query)."""
    rows = indicator_selectors.indicator_values_of(
        list(indicator_selectors.CATALOGUE),
        organisation_ids=[organisation.pk],
        first=month_start(start),
        last=month_start(end),
    ).values_list("indicator", "month")
    return set(rows)


def indicator_status(slug: str, point: figures.IndicatorMonth) -> str:
    indicator = indicator_selectors.CATALOGUE[slug]
    return indicator_selectors.status(indicator, point.value, point.target)


def records_url(slug: str, month: datetime.date) -> str:
    return url("performance:indicator_records", slug, month=month_key(month))


# Data quality.


def data_quality_section(
    organisation: Organisation, start: datetime.date, end: datetime.date, key: str, title: str
) -> Section:
    rows = quality_selectors.issue_figures_of(
        organisation_id=organisation.pk, first=start, last=end
    )
    dashboard = reverse("performance:quality_dashboard")
    open_at_end = sum(r["open_at_end"] for r in rows)
    raised = sum(r["raised"] for r in rows)
    resolved = sum(r["resolved"] for r in rows)
    table = Table(
        caption="Data-quality issues by rule",
        columns=["Rule", "Open at the end", "Raised", "Put right", "Closed as won't fix"],
        rows=[
            [r["rule__name"], r["open_at_end"], r["raised"], r["resolved"], r["wont_fix"]]
            for r in rows
        ],
        row_urls=[f"{dashboard}?rule={r['rule_id']}" for r in rows],
        numeric=[1, 2, 3, 4],
    )
    summary = [
        f"{plural(open_at_end, 'data-quality issue was', 'data-quality issues were')} "
        f"open on {end:%-d %B %Y}."
        if open_at_end
        else f"No data-quality issues were open on {end:%-d %B %Y}.",
        f"{raised} raised and {resolved} put right in the period."
        if raised or resolved
        else "No data-quality issues were raised or put right in the period.",
    ]
    return Section(
        key=key,
        title=title,
        summary=summary,
        figures=[
            Figure("Open at the end", open_at_end, url=dashboard),
            Figure("Raised", raised),
            Figure("Put right", resolved),
        ],
        tables=[table],
        charts=[bar("Open at the end by rule", 0, 0, 1)] if rows else [],
    )


# Complaints by stage.


def complaints_table(
    organisation: Organisation, start: datetime.date, end: datetime.date
) -> tuple[Table, dict[str, int]]:
    """Each stage of the complaints procedure started in the period: responded to in
    time, late, waiting (as of the day after the period)."""
    stages = feedback_selectors.complaint_stages_of(
        organisation_id=organisation.pk, first=start, last=end, today=as_of(end)
    )
    rows: list[list[Cell]] = []
    urls = []
    totals = {"started": 0, "on_time": 0, "late": 0, "waiting": 0}
    for value, label in feedback_selectors.Stage.choices:
        row = stages.get(value, {})
        started, on_time, late = row.get("started", 0), row.get("on_time", 0), row.get("late", 0)
        waiting = row.get("overdue", 0) + row.get("open", 0)
        rows.append(
            [str(label), started, on_time, late, waiting, share_value(on_time, on_time + late)]
        )
        urls.append(url("feedback:complaint_list", stage=value, since=start.isoformat()))
        totals["started"] += started
        totals["on_time"] += on_time
        totals["late"] += late
        totals["waiting"] += waiting
    table = Table(
        caption="Complaint stages started in the period",
        columns=[
            "Stage",
            "Started",
            "Responded to in time",
            "Responded to late",
            "Waiting for a response",
            "In time (%)",
        ],
        rows=rows,
        row_urls=urls,
        numeric=[1, 2, 3, 4, 5],
    )
    return table, totals


def complaint_sentence(totals: dict[str, int]) -> str:
    responded = totals["on_time"] + totals["late"]
    if responded == 0:
        return "No complaint stage started in the period has been responded to."
    return (
        f"{totals['on_time']} of {responded} complaint stages responded to were answered "
        f"within their timescale ({percent(totals['on_time'], responded)}%)."
    )


def service_expression() -> Any:
    """The service an audit counts for: the one kept on it when it was submitted (a
    supervision audit: its supervisee's team's), as the board counts it."""
    return F("service_id")
