"""The monthly QA report (seed 001: monthly reporting of the ten-month QA cycle, paused in
August and December; 003; 000's reactive monthly alerts): what QA did in the month
against the rota, the audits' grades, moderation, thematic reviews, feedback, data
quality and the indicators worse than target.

Every figure is the organisation's for the month, counted as the board and the lists
count it; each table row links to the scoped page of the records behind it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q
from django.urls import reverse

from audits import selectors as audit_selectors
from cases.models import Organisation, Service
from core.figures import percent
from core.months import month_start
from feedback import selectors as feedback_selectors
from governance.report_builders import MONTHLY, Progress, title_of
from governance.report_builders import common_mq as common
from governance.report_content import Cell, Content, Figure, Period, Section, Table
from performance import selectors_indicators as indicator_selectors
from rota import selectors as rota_selectors
from themes import selectors as theme_selectors


def build(
    organisation: Organisation, period: Period, *, progress: Progress | None = None
) -> Content:
    services = common.services_of(organisation)
    makers = [
        lambda: rota_section(organisation, period, services),
        lambda: grades_section(organisation, period, services),
        lambda: moderation_section(organisation, period, services),
        lambda: themes_section(organisation, period),
        lambda: feedback_section(organisation, period),
        lambda: common.data_quality_section(
            organisation, period.start, period.end, "data_quality", "Data quality"
        ),
        lambda: indicators_section(organisation, period),
    ]
    return Content(
        title=title_of(MONTHLY),
        organisation=organisation.name,
        period=period,
        sections=common.run_sections(makers, progress),
    )


# QA activity against the rota.


def rota_counts(
    organisation: Organisation, period: Period, group: str
) -> dict[Any, dict[str, int]]:
    """The rota's slots due in the period (not skipped), done and overdue as of the day
    after it, grouped by `group` (one query)."""
    conditions = rota_selectors.state_conditions(common.as_of(period.end))
    rows = (
        rota_selectors.slots_due_of(organisation_ids=[organisation.pk])
        .filter(month__gte=month_start(period.start), month__lte=period.end)
        .values(group)
        .annotate(
            due=Count("pk"),
            done=Count("pk", filter=conditions[rota_selectors.SlotState.DONE]),
            overdue=Count("pk", filter=conditions[rota_selectors.SlotState.OVERDUE]),
        )
        .order_by()
    )
    return {row[group]: row for row in rows}


def _rota_row(label: str, row: dict[str, int] | None) -> list[Cell]:
    row = row or {"due": 0, "done": 0, "overdue": 0}
    return [
        label,
        row["due"],
        row["done"],
        row["overdue"],
        common.share_value(row["done"], row["due"]),
    ]


ROTA_COLUMNS = ["Due", "Completed", "Overdue", "Completed (%)"]


def rota_section(organisation: Organisation, period: Period, services: list[Service]) -> Section:
    month = month_start(period.start)
    single = month_start(period.end) == month
    by_service = rota_counts(organisation, period, "manager__service_id")
    by_activity = rota_counts(organisation, period, "activity")
    due = sum(r["due"] for r in by_service.values())
    done = sum(r["done"] for r in by_service.values())
    overdue = sum(r["overdue"] for r in by_service.values())

    def link(**query: object) -> str:
        return common.board_month_url("rota-compliance", month, **query) if single else ""

    service_rows = [_rota_row(s.name, by_service.get(s.pk)) for s in services]
    service_urls = [link(service=s.pk) for s in services]
    if None in by_service:
        service_rows.append(_rota_row(common.NO_SERVICE, by_service[None]))
        service_urls.append("")
    activity_rows = [
        _rota_row(str(label), by_activity.get(value))
        for value, label in rota_selectors.Activity.choices
        if value in by_activity
    ]
    summary = [
        common.of_sentence(
            done, due, "QA activities due", "were completed", "No QA activity was due on the rota."
        )
    ]
    paused = set(rota_selectors.rules_read(organisation).paused_months or ())
    if due == 0 and single and month.month in paused:
        summary = [f"The QA cycle is paused in {month:%B}: no QA activity was due on the rota."]
    elif due:
        summary.append(
            f"{plural_were(overdue, 'activity', 'activities')} still open after the month ended "
            "(overdue)."
            if overdue
            else "None was overdue."
        )
    return Section(
        key="rota",
        title="QA activity against the rota",
        summary=summary,
        figures=[
            Figure("QA activities due", due, url=link()),
            Figure("Completed", done, detail=_of(done, due)),
            Figure("Overdue", overdue),
        ],
        tables=[
            Table(
                caption="QA activity by service",
                columns=["Service", *ROTA_COLUMNS],
                rows=service_rows,
                row_urls=service_urls,
                numeric=[1, 2, 3, 4],
            ),
            Table(
                caption="QA activity by kind",
                columns=["Activity", *ROTA_COLUMNS],
                rows=activity_rows,
                row_urls=[link() for _ in activity_rows],
                numeric=[1, 2, 3, 4],
            ),
        ],
        charts=[common.bar("Completed by service", 0, 0, 4, "%")] if due else [],
    )


def plural_were(n: int, one: str, many: str) -> str:
    return f"{n} {one} was" if n == 1 else f"{n} {many} were"


def _of(n: int, d: int) -> str:
    return f"of {d} ({percent(n, d)}%)" if d else ""


# Audit grades.


def grades_section(organisation: Organisation, period: Period, services: list[Service]) -> Section:
    month = month_start(period.start)
    audits = common.graded_audits(organisation, period.start, period.end)
    counts = common.grade_counts(audits)
    total = sum(counts.values())
    good = common.good_or_better(counts)
    counted = common.by_service(
        audits, common.service_expression(), Q(overall_grade__in=audit_selectors.GOOD_OR_BETTER)
    )
    return Section(
        key="grades",
        title="Audit grades",
        summary=common.grade_sentences(counts),
        figures=[
            Figure(
                "Audits graded",
                total,
                url=common.audit_list_url(period.start, period.end),
            ),
            Figure("Good or better", good, detail=_of(good, total)),
        ],
        tables=[
            common.grade_table(counts, period.start, period.end, "Audits by grade"),
            common.service_table(
                counted,
                services,
                "Audits good or better by service",
                ["Service", "Graded", "Good or better", "Good or better (%)"],
                lambda s: common.board_month_url("audit-grades", month, service=s.pk),
            ),
        ],
        charts=[common.bar("Audits by grade", 0, 0, 1)] if total else [],
    )


# Moderation.


def moderation_section(
    organisation: Organisation, period: Period, services: list[Service]
) -> Section:
    month = month_start(period.start)
    moderated = common.moderated_audits(organisation, period.start, period.end)
    agreed_q = Q(moderated_grade=F("overall_grade"))
    counted = common.by_service(moderated, common.service_expression(), agreed_q)
    total = sum(d for _n, d in counted.values())
    agreed = sum(n for n, _d in counted.values())
    summary = [
        common.of_sentence(
            agreed,
            total,
            "audits moderated",
            "kept the auditor's grade (agreement)",
            "No audits were moderated.",
        )
    ]
    if total and total != agreed:
        summary.append(f"The moderator changed the grade of {total - agreed}.")
    return Section(
        key="moderation",
        title="Moderation",
        summary=summary,
        figures=[
            Figure(
                "Audits moderated",
                total,
                url=common.board_month_url("moderation-agreement", month),
            ),
            Figure("Grade agreed", agreed, detail=_of(agreed, total)),
            Figure("Grade changed", total - agreed),
        ],
        tables=[
            common.service_table(
                counted,
                services,
                "Moderation agreement by service",
                ["Service", "Moderated", "Grade agreed", "Agreement (%)"],
                lambda s: common.board_month_url("moderation-agreement", month, service=s.pk),
            )
        ],
        charts=[common.bar("Agreement by service", 0, 0, 3, "%")] if total else [],
    )


# Thematic reviews.


def theme_table(themes: list[dict[str, Any]], caption: str) -> Table:
    rows: list[list[Cell]] = []
    for theme in themes:
        month = theme["month"]
        completed = theme["completed_on"]
        rows.append(
            [
                theme["title"],
                common.month_name(month) if month else "Not scheduled",
                theme["status_label"],
                completed.isoformat() if completed else "",
                theme["sampled"],
                theme["graded"],
                theme["good_or_better"],
                common.share_value(theme["good_or_better"], theme["graded"]),
            ]
        )
    return Table(
        caption=caption,
        columns=[
            "Thematic review",
            "Month",
            "Status",
            "Findings written up on",
            "Audits sampled",
            "Graded",
            "Good or better",
            "Good or better (%)",
        ],
        rows=rows,
        row_urls=[
            reverse("themes:theme_detail", kwargs={"theme_pk": theme["pk"]}) for theme in themes
        ],
        numeric=[4, 5, 6, 7],
    )


def themes_section(organisation: Organisation, period: Period) -> Section:
    themes = theme_selectors.themes_reported_of(
        organisation_id=organisation.pk, first=period.start, last=period.end
    )
    completed = [
        t for t in themes if t["completed_on"] and period.start <= t["completed_on"] <= period.end
    ]
    scheduled = [t for t in themes if t["month"] and period.start <= t["month"] <= period.end]
    summary = [
        f"{plural_were(len(completed), 'thematic review', 'thematic reviews')} written up "
        f"in {period.label}."
        if completed
        else f"No thematic review findings were written up in {period.label}.",
        f"{plural_were(len(scheduled), 'thematic review', 'thematic reviews')} "
        f"the spotlight for {period.label}."
        if scheduled
        else f"No thematic review was planned for {period.label}.",
    ]
    return Section(
        key="themes",
        title="Themes and thematic reviews",
        summary=summary,
        figures=[
            Figure("Findings written up", len(completed), url=reverse("themes:theme_list")),
            Figure("Planned for the period", len(scheduled)),
        ],
        tables=[theme_table(themes, "Thematic reviews of the period")],
    )


# Feedback.


def feedback_section(organisation: Organisation, period: Period) -> Section:
    first, last = period.start, period.end
    by_source = feedback_selectors.feedback_count_by_of(
        organisation_id=organisation.pk, first=first, last=last, by="source"
    )
    by_sentiment = feedback_selectors.feedback_count_by_of(
        organisation_id=organisation.pk, first=first, last=last, by="sentiment"
    )
    compliments = feedback_selectors.compliments_received_of(
        organisation_id=organisation.pk, first=first, last=last
    )
    complaints = feedback_selectors.complaints_received_of(
        organisation_id=organisation.pk, first=first, last=last
    )
    total = sum(by_source.values())
    span = {"since": first.isoformat(), "until": last.isoformat()}
    source_rows: list[list[Cell]] = [
        [str(label), by_source[value]]
        for value, label in feedback_selectors.Source.choices
        if by_source.get(value)
    ]
    source_urls = [
        common.url("feedback:feedback_list", source=value, **span)
        for value, _label in feedback_selectors.Source.choices
        if by_source.get(value)
    ]
    sentiment_rows: list[list[Cell]] = [
        [
            str(label),
            by_sentiment.get(value, 0),
            common.share_value(by_sentiment.get(value, 0), total),
        ]
        for value, label in feedback_selectors.Sentiment.choices
    ]
    sentiment_urls = [
        common.url("feedback:feedback_list", sentiment=value, **span)
        for value, _label in feedback_selectors.Sentiment.choices
    ]
    positive = by_sentiment.get(feedback_selectors.Sentiment.POSITIVE, 0)
    summary = [
        f"{plural_were(total, 'piece of feedback', 'pieces of feedback')} received; "
        f"{positive} of {total} positive ({percent(positive, total)}%)."
        if total
        else "No feedback was received.",
        f"{plural(compliments, 'compliment', 'compliments')} and "
        f"{plural(complaints, 'complaint', 'complaints')} received.",
    ]
    return Section(
        key="feedback",
        title="Feedback, compliments and complaints",
        summary=summary,
        figures=[
            Figure("Feedback received", total, url=common.url("feedback:feedback_list", **span)),
            Figure("Compliments received", compliments, url=reverse("feedback:compliment_list")),
            Figure(
                "Complaints received",
                complaints,
                url=common.url("feedback:complaint_list", stage=1, since=first.isoformat()),
            ),
        ],
        tables=[
            Table(
                caption="Feedback by who gave it",
                columns=["Who gave it", "Feedback"],
                rows=source_rows,
                row_urls=source_urls,
                numeric=[1],
            ),
            Table(
                caption="Feedback by sentiment",
                columns=["Sentiment", "Feedback", "Share (%)"],
                rows=sentiment_rows,
                row_urls=sentiment_urls,
                numeric=[1, 2],
            ),
        ],
        charts=[common.bar("Feedback by who gave it", 0, 0, 1)] if total else [],
    )


def plural(n: int, one: str, many: str) -> str:
    return common.plural(n, one, many)


# Indicators worse than target.


def off_target_rows(
    organisation: Organisation, period: Period
) -> tuple[list[list[Cell]], list[str], int]:
    """The indicators whose stored value in the period's last month was worse than its
    target, and how many had a value and a target then (three queries)."""
    month = month_start(period.end)
    series = common.indicator_months(organisation, period.start, period.end)
    stored = common.stored_indicators(organisation, month, period.end)
    rows: list[list[Cell]] = []
    urls = []
    with_target = 0
    for slug, points in series.items():
        point = points[-1]
        if (slug, month) not in stored or point.target is None or point.value is None:
            continue
        with_target += 1
        if common.indicator_status(slug, point) != "worse":
            continue
        indicator = indicator_selectors.CATALOGUE[slug]
        rows.append(
            [
                indicator.name,
                indicator.format(point.value),
                indicator.format(point.target),
                indicator.polarity_label,
                indicator.kpq_title,
            ]
        )
        urls.append(common.records_url(slug, month))
    return rows, urls, with_target


def indicators_section(organisation: Organisation, period: Period) -> Section:
    rows, urls, with_target = off_target_rows(organisation, period)
    month = month_start(period.end)
    if not with_target:
        summary = [f"No indicator had both a value and a target for {common.month_name(month)}."]
    elif rows:
        summary = [
            f"{len(rows)} of {with_target} indicators with a target were worse than target in "
            f"{common.month_name(month)}."
        ]
    else:
        summary = [
            f"None of the {with_target} indicators with a target was worse than target in "
            f"{common.month_name(month)}."
        ]
    return Section(
        key="indicators",
        title="Indicator alerts: worse than target",
        summary=summary,
        figures=[
            Figure(
                "Indicators worse than target",
                len(rows),
                detail=f"of {with_target} with a target" if with_target else "",
                url=reverse("performance:indicator_list"),
            )
        ],
        tables=[
            Table(
                caption="Indicators worse than target",
                columns=["Indicator", "Value", "Target", "Polarity", "Key Performance Question"],
                rows=rows,
                row_urls=urls,
            )
        ],
    )
