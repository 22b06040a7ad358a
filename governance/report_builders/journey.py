"""The six-monthly Journey of the Child and Adopter report (seed 000): an evaluative
reflection on practice drawn from its sources a to h, organised by the stage of the
child's and adopter's journey where the records carry one.

Each section is a function of a `common_jas.Scope`, so the annual report runs the same
sections over the financial year. Every number is counted from the organisation's records
of the period; every summary sentence is written from those numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.utils import timezone

from cases.models import ADOPTER_STAGES, CHILD_STAGES, JourneyStage, Organisation
from core.figures import percent
from feedback import selectors as feedback_selectors
from governance import figures
from governance.models import ExternalReview
from governance.report_builders import JOURNEY, Progress, title_of
from governance.report_builders import common_jas as c
from governance.report_content import Chart, Content, Figure, Period, Section, Table
from performance import selectors_indicators as indicator_selectors

SectionBuilder = Callable[[c.Scope], Section]

# The journey's stages in order, the child's then the adopter's, each once.
STAGES: list[str] = list(dict.fromkeys([*CHILD_STAGES, *ADOPTER_STAGES]))
STAGE_LABELS = dict(JourneyStage.choices)


def _pct(count: int, total: int) -> int | None:
    return percent(count, total)


# a) Views of children, young people and adoptive parents.


def _feedback_rows(rows: list[dict[str, Any]], by: str, order: list[str]) -> list[dict[str, Any]]:
    grouped: dict[str, dict[str, int]] = {}
    for row in rows:
        into = grouped.setdefault(
            row[by] or "", {"total": 0, "positive": 0, "mixed": 0, "negative": 0}
        )
        for k in into:
            into[k] += row[k]
    keys = [k for k in order if k in grouped] + [k for k in grouped if k not in order]
    return [{"key": k, **grouped[k]} for k in keys]


def views_section(scope: c.Scope) -> Section:
    rows = c.feedback_rows(scope)
    org = scope.organisation.pk
    faces = feedback_selectors.face_scale_counts(
        organisation_id=org, first=scope.first, last=scope.last
    )
    questionnaires = feedback_selectors.questionnaire_scores_of(
        organisation_id=org, first=scope.first, last=scope.last
    )
    since, until = scope.first.isoformat(), scope.last.isoformat()

    def listed(**query: str) -> str:
        return c.link("feedback:feedback_list", since=since, until=until, **query)

    total = sum(r["total"] for r in rows)
    positive = sum(r["positive"] for r in rows)
    by_stage = _feedback_rows(rows, "journey_stage", STAGES)
    by_source = _feedback_rows(rows, "source", list(feedback_selectors.Source.values))
    sources = dict(feedback_selectors.Source.choices)

    def cells(group: dict[str, Any], label: str) -> list[Any]:
        return [
            label,
            group["total"],
            group["positive"],
            group["mixed"],
            group["negative"],
            _pct(group["positive"], group["total"]),
        ]

    columns = ["Total", "Positive", "Mixed", "Negative", "Positive (%)"]
    stage_table = Table(
        caption="Feedback by stage of the journey",
        columns=["Stage", *columns],
        rows=[cells(g, STAGE_LABELS.get(g["key"], "Not recorded")) for g in by_stage],
        row_urls=[listed(journey_stage=g["key"]) if g["key"] else "" for g in by_stage],
        numeric=[1, 2, 3, 4, 5],
    )
    source_table = Table(
        caption="Feedback by who gave it",
        columns=["Who gave it", *columns],
        rows=[cells(g, sources.get(g["key"], "Not recorded")) for g in by_source],
        row_urls=[listed(source=g["key"]) for g in by_source],
        numeric=[1, 2, 3, 4, 5],
    )
    answered = sum(faces.values())
    face_table = Table(
        caption="Answers on the face scale",
        columns=["Face", "Answers"],
        rows=[[label, faces.get(value, 0)] for value, label in feedback_selectors.RATING_CHOICES],
        numeric=[1],
    )
    kinds = dict(feedback_selectors.QuestionnaireKind.choices)
    questionnaire_table = Table(
        caption="Questionnaires answered (exit, after panel, adoption support, preparation)",
        columns=["Questionnaire", "Answered", "Average score (out of 5)"],
        rows=[
            [
                label,
                questionnaires[kind]["answered"],
                None
                if questionnaires[kind]["average"] is None
                else float(questionnaires[kind]["average"]),
            ]
            for kind, label in kinds.items()
            if kind in questionnaires
        ],
        row_urls=[
            c.link("feedback:questionnaire_scores") for kind in kinds if kind in questionnaires
        ],
        numeric=[1, 2],
    )
    returned = sum(q["answered"] for q in questionnaires.values())
    summary = []
    if total:
        summary.append(
            f"{total} pieces of feedback were received in {scope.period.label}; "
            f"{c.share(positive, total)} were positive."
        )
        busiest = max(by_stage, key=lambda g: g["total"])
        summary.append(
            f"Most feedback was about the {STAGE_LABELS.get(busiest['key'], 'unrecorded').lower()} "
            f"stage ({busiest['total']})."
        )
    else:
        summary.append(f"No feedback was recorded in {scope.period.label}.")
    summary.append(
        f"{answered} answers were given on the face scale and {returned} questionnaires "
        "were answered."
        if answered or returned
        else "No face-scale answers or questionnaires were recorded."
    )
    return Section(
        key="views",
        title="Views of children, young people and adoptive parents",
        question="a) The views of children, young people and their adoptive parents at "
        "different points in their journeys",
        summary=summary,
        figures=[
            Figure("Feedback received", total, url=listed()),
            Figure(
                "Positive feedback",
                _pct(positive, total),
                detail=f"{positive} of {total}",
                url=listed(sentiment="positive"),
            ),
            Figure("Face-scale answers", answered),
            Figure(
                "Questionnaires answered", returned, url=c.link("feedback:questionnaire_scores")
            ),
        ],
        tables=[stage_table, source_table, face_table, questionnaire_table],
        charts=[Chart("bar", "Feedback by stage of the journey", 0, 0, 1)],
    )


# b) Feedback from practitioners in training and development.


def practitioners_section(scope: c.Scope) -> Section:
    panel = feedback_selectors.panel_evaluations_of(
        organisation_id=scope.organisation.pk, first=scope.first, last=scope.last
    )
    seen = c.observations(scope)

    def rating(value: Any) -> float | None:
        return None if value is None else float(value)

    table = Table(
        caption="Adoption panel evaluations: average rating (out of 4)",
        columns=["Question", "Average rating"],
        rows=[
            ["Quality of the report", rating(panel["report"])],
            ["Social worker's presentation", rating(panel["presentation"])],
            ["Analysis", rating(panel["analysis"])],
        ],
        numeric=[1],
    )
    summary = []
    if panel["forms"]:
        summary.append(
            f"Panel members completed {panel['forms']} evaluation forms on {panel['items']} "
            "items presented to panel."
        )
    else:
        summary.append("No adoption panel evaluations were recorded for panels in the period.")
    if seen["total"]:
        reflected = c.share(seen["reflections"], seen["total"])
        summary.append(
            f"Practitioners added their reflection to {reflected} of the observations made."
        )
    else:
        summary.append("No practice observations were made in the period.")
    summary.append(
        "The app holds no records of feedback from training or professional development "
        "events: those are not counted here."
    )
    return Section(
        key="practitioners",
        title="Feedback from practitioners",
        question="b) Feedback from practitioners gathered during training and professional "
        "development activities",
        summary=summary,
        figures=[
            Figure(
                "Panel evaluation forms", panel["forms"], url=c.link("feedback:panel_summaries")
            ),
            Figure("Panel items evaluated", panel["items"]),
            Figure("Observations made", seen["total"], url=c.link("observations:observation_list")),
            Figure("Practitioners' reflections added", seen["reflections"]),
        ],
        tables=[table],
    )


# c) Professional audits, supervision audits included.


def audits_section(scope: c.Scope) -> Section:
    months = c.audit_months(scope)
    by_type = c.audits_by_type(scope)
    by_tool = c.audits_by_tool(scope)
    by_stage = c.audits_by_stage(scope)
    graded = sum(m.denominator for m in months)
    good = sum(m.numerator for m in months)
    supervision = next((t for t in by_type if t["key"] == "supervision"), None)
    measure = c.link("governance:board_measure", "audit-grades")
    month_table = Table(
        caption="Audits graded good or better, by month submitted",
        columns=["Month", "Graded", "Good or better", "Good or better (%)"],
        rows=[
            [f"{m.month:%B %Y}", m.denominator, m.numerator, _pct(m.numerator, m.denominator)]
            for m in months
        ],
        row_urls=[
            c.link("governance:board_month", "audit-grades", f"{m.month:%Y-%m}") for m in months
        ],
        numeric=[1, 2, 3],
    )

    def split(caption: str, heading: str, rows: list[tuple[str, dict[str, Any], str]]) -> Table:
        return Table(
            caption=caption,
            columns=[heading, "Graded", "Good or better", "Good or better (%)"],
            rows=[
                [label, r["total"], r["good"], _pct(r["good"], r["total"])] for label, r, _ in rows
            ],
            row_urls=[url for _, _, url in rows],
            numeric=[1, 2, 3],
        )

    type_table = split(
        "Audits by type",
        "Audit type",
        [(t["label"], t, c.audit_list_url(scope, audit_type=t["key"])) for t in by_type],
    )
    tool_table = split(
        "Audits by tool",
        "Audit tool",
        [(t["tool__name"], t, c.audit_list_url(scope, tool=t["tool__code"])) for t in by_tool],
    )
    stage_table = split(
        "Case audits by the stage of the case's journey",
        "Stage",
        [(STAGE_LABELS[s], by_stage[s], "") for s in STAGES if s in by_stage],
    )
    summary = []
    if graded:
        summary.append(
            f"{graded} audits were graded in {scope.period.label}; {c.share(good, graded)} "
            "were good or better."
        )
        counted = [m for m in months if m.denominator]
        best = max(counted, key=lambda m: (m.proportion or 0, m.month))
        summary.append(
            f"The highest share good or better was in {best.month:%B %Y} "
            f"({_pct(best.numerator, best.denominator)}%)."
        )
    else:
        summary.append(f"No audits were graded in {scope.period.label}.")
    if supervision:
        summary.append(
            f"{supervision['total']} supervision audits were graded; "
            f"{c.share(supervision['good'], supervision['total'])} were good or better."
        )
    else:
        summary.append("No supervision audits were graded in the period.")
    return Section(
        key="audits",
        title="Professional audits",
        question="c) Evaluative summaries of professional audits, case file reviews and "
        "supervision audits included",
        summary=summary,
        figures=[
            Figure("Audits graded", graded, url=c.audit_list_url(scope)),
            Figure(
                "Good or better",
                _pct(good, graded),
                detail=f"{good} of {graded}",
                url=measure,
            ),
            Figure(
                "Supervision audits graded",
                supervision["total"] if supervision else 0,
                url=c.audit_list_url(scope, audit_type="supervision"),
            ),
        ],
        tables=[month_table, type_table, tool_table, stage_table],
        charts=[Chart("line", "Audits graded good or better", 0, 0, 3, unit="%")],
    )


# d) Complaints, comments and compliments.


def complaints_section(scope: c.Scope) -> Section:
    found = c.complaints(scope)
    stages = found["stages"]
    since = scope.first.isoformat()
    rows, urls = [], []
    for stage in feedback_selectors.Stage:
        r = stages.get(stage.value, {})
        on_time, late = r.get("on_time", 0), r.get("late", 0)
        rows.append(
            [
                stage.label,
                on_time + late + r.get("overdue", 0) + r.get("open", 0),
                on_time,
                late,
                r.get("overdue", 0),
                r.get("open", 0),
                _pct(on_time, on_time + late),
            ]
        )
        urls.append(c.link("feedback:complaint_list", stage=stage.value, since=since))
    stage_table = Table(
        caption="Complaint stages started in the period, by timeliness",
        columns=[
            "Stage",
            "Started",
            "On time",
            "Late",
            "Overdue",
            "Open, within time",
            "On time (%)",
        ],
        rows=rows,
        row_urls=urls,
        numeric=[1, 2, 3, 4, 5, 6],
    )
    outcomes = found["outcomes"]
    decided = sum(outcomes.values())
    outcome_table = Table(
        caption="Outcomes of complaint points decided in the period",
        columns=["Outcome", "Points", "Share (%)"],
        rows=[
            [label, outcomes.get(v, 0), _pct(outcomes.get(v, 0), decided)]
            for v, label in feedback_selectors.Outcome.choices
        ],
        numeric=[1, 2],
    )
    summary = [
        f"{found['received']} complaints were received and {found['closed']} closed in "
        f"{scope.period.label}; {found['compliments']} compliments were received."
        if found["received"] or found["closed"] or found["compliments"]
        else f"No complaints or compliments were recorded in {scope.period.label}."
    ]
    first = rows[0]
    if first[2] + first[3]:
        summary.append(
            f"Of the stage 1 responses, {c.share(first[2], first[2] + first[3])} were on time."
        )
    if decided:
        upheld = outcomes.get(feedback_selectors.Outcome.UPHELD, 0) + outcomes.get(
            feedback_selectors.Outcome.PARTLY_UPHELD, 0
        )
        summary.append(
            f"{c.share(upheld, decided)} of the points decided were upheld in whole or part."
        )
    return Section(
        key="complaints",
        title="Complaints, comments and compliments",
        question="d) Evaluative summaries of complaints, comments and compliments",
        summary=summary,
        figures=[
            Figure("Complaints received", found["received"], url=c.link("feedback:complaint_list")),
            Figure("Complaints closed", found["closed"]),
            Figure(
                "Compliments received", found["compliments"], url=c.link("feedback:compliment_list")
            ),
        ],
        tables=[stage_table, outcome_table],
        charts=[Chart("bar", "Complaint responses on time by stage", 0, 0, 6, unit="%")],
    )


# e) Local analysis and statistical returns.


def _indicator_rows(scope: c.Scope) -> list[dict[str, Any]]:
    org = scope.organisation.pk
    slugs = list(indicator_selectors.CATALOGUE)
    values: dict[str, list[tuple[Any, float | None]]] = {}
    for slug, month, value in (
        indicator_selectors.indicator_values_of(
            slugs, organisation_ids=[org], first=scope.first, last=scope.last
        )
        .order_by("month")
        .values_list("indicator", "month", "value")
    ):
        values.setdefault(slug, []).append((month, value))
    targets = indicator_selectors.targets_of(organisation_ids=[org], slugs=slugs)
    rows = []
    for slug, indicator in indicator_selectors.CATALOGUE.items():
        points = [p for p in values.get(slug, []) if p[1] is not None]
        if not points:
            continue
        last_month, latest = points[-1]
        target = figures.target_on(targets.get((org, slug), []), last_month)
        rows.append(
            {
                "slug": slug,
                "indicator": indicator,
                "start": points[0][1],
                "latest": latest,
                "target": target,
                "status": indicator_selectors.status(indicator, latest, target),
            }
        )
    order = {s: i for i, s in enumerate(STAGES)}
    return sorted(rows, key=lambda r: order.get(r["indicator"].stage, len(order)))


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def analysis_section(scope: c.Scope) -> Section:
    rows = _indicator_rows(scope)
    returns = c.returns_submitted(scope)
    with_target = [r for r in rows if r["target"] is not None]
    met = [r for r in with_target if r["status"] in ("met", "better")]
    labels = indicator_selectors.STATUS_LABELS
    indicator_table = Table(
        caption="Indicators: the start of the period against the latest month",
        columns=["Indicator", "Stage", "Start", "Latest", "Target", "Against target"],
        rows=[
            [
                r["indicator"].name,
                STAGE_LABELS.get(r["indicator"].stage, ""),
                _rounded(r["start"]),
                _rounded(r["latest"]),
                _rounded(r["target"]),
                labels[r["status"]],
            ]
            for r in rows
        ],
        row_urls=[c.link("performance:indicator_detail", r["slug"]) for r in rows],
        numeric=[2, 3, 4],
    )
    return_table = Table(
        caption="Performance Exceptions returns by month",
        columns=["Month", "Returns", "Submitted"],
        rows=[[f"{r['month']:%B %Y}", r["total"], r["submitted"]] for r in returns],
        row_urls=[c.link("governance:return_list", month=f"{r['month']:%Y-%m}") for r in returns],
        numeric=[1, 2],
    )
    due = sum(r["total"] for r in returns)
    submitted = sum(r["submitted"] for r in returns)
    summary = [
        f"{len(met)} of the {len(with_target)} indicators with a target met or beat it in "
        "the latest month."
        if with_target
        else "No indicator with a target had a value in the period."
        if rows
        else "No indicator values were recorded for the period."
    ]
    summary.append(
        f"{submitted} of the {due} Performance Exceptions returns were submitted."
        if due
        else "No Performance Exceptions returns were opened in the period."
    )
    return Section(
        key="analysis",
        title="Local analysis and statistical returns",
        question="e) Summaries of local research activity, analysis work and statistical returns",
        summary=summary,
        figures=[
            Figure("Indicators with a value", len(rows), url=c.link("performance:indicator_list")),
            Figure(
                "Targets met or beaten", len(met), detail=f"of {len(with_target)} with a target"
            ),
            Figure(
                "Exceptions returns submitted",
                submitted,
                detail=f"of {due}",
                url=c.link("governance:return_list"),
            ),
        ],
        tables=[indicator_table, return_table],
    )


# f) Inspections and independent inquiry.


def inspections_section(scope: c.Scope) -> Section:
    reviews = c.reviews(scope)
    kinds = dict(ExternalReview.Kind.choices)
    table = Table(
        caption="External reviews and their recommendations at the end of the period",
        columns=["Review", "Kind", "Reported", "Recommendations", "Completed", "Overdue"],
        rows=[
            [
                r["title"],
                kinds.get(r["kind"], ""),
                f"{r['reported_on']:%d %B %Y}",
                r["total"],
                r["done"],
                r["overdue"],
            ]
            for r in reviews
        ],
        row_urls=[c.link("governance:review_detail", r["pk"]) for r in reviews],
        numeric=[3, 4, 5],
    )
    total = sum(r["total"] for r in reviews)
    done = sum(r["done"] for r in reviews)
    new = sum(1 for r in reviews if r["reported_on"] >= scope.first)
    summary = (
        [
            f"{new} external reviews were reported in the period; {len(reviews)} reviews had "
            f"recommendations to follow, {c.share(done, total)} of them completed by its end."
        ]
        if reviews
        else ["No inspections or external reviews had recommendations to follow in the period."]
    )
    return Section(
        key="inspections",
        title="Inspections and independent inquiry",
        question="f) Feedback from and progress against the recommendations of inspections "
        "and other forms of independent inquiry",
        summary=summary,
        figures=[
            Figure("Reviews followed", len(reviews), url=c.link("governance:review_list")),
            Figure("Recommendations", total),
            Figure("Completed", done, detail=f"of {total}"),
        ],
        tables=[table],
    )


# g) Progress against previously agreed actions.


def actions_section(scope: c.Scope) -> Section:
    rows = c.plan_by_priority(scope)
    again = c.re_audits(scope)
    table = Table(
        caption="Improvement plan actions by priority",
        columns=[
            "Priority",
            "Raised",
            "Completed",
            "Impact evidenced",
            "Open at the end",
            "Overdue at the end",
        ],
        rows=[
            [
                r["priority__title"] or "Not yet under a priority",
                r["raised"],
                r["completed"],
                r["impact"],
                r["open_at_end"],
                r["overdue_at_end"],
            ]
            for r in rows
        ],
        row_urls=[
            c.link("governance:priority_detail", r["priority_id"])
            if r["priority_id"]
            else c.link("governance:action_list", view="all", priority="none")
            for r in rows
        ],
        numeric=[1, 2, 3, 4, 5],
    )
    totals = {
        k: sum(r[k] for r in rows)
        for k in ("raised", "completed", "impact", "open_at_end", "overdue_at_end")
    }
    summary = [
        f"{totals['raised']} actions were raised and {totals['completed']} completed in the "
        f"period; impact was evidenced for {totals['impact']}. At its end {totals['open_at_end']} "
        f"were open, {totals['overdue_at_end']} of them overdue."
        if any(totals.values())
        else "The improvement plan had no actions in the period."
    ]
    if again["cases"]:
        before = c.share(again["before_good"], again["before_graded"])
        after = c.share(again["after_good"], again["after_graded"])
        summary.append(
            f"{again['cases']} cases were re-audited: {before} were good or better before, "
            f"{after} after."
        )
    else:
        summary.append("No cases were re-audited in the period.")
    return Section(
        key="actions",
        title="Progress against agreed actions",
        question="g) Progress against previously agreed actions",
        summary=summary,
        figures=[
            Figure(
                "Actions completed",
                totals["completed"],
                url=c.link("governance:action_list", view="completed"),
            ),
            Figure(
                "Impact evidenced",
                totals["impact"],
                url=c.link("governance:action_list", view="impact"),
            ),
            Figure(
                "Open at the end",
                totals["open_at_end"],
                url=c.link("governance:action_list", view="open"),
            ),
            Figure(
                "Overdue at the end",
                totals["overdue_at_end"],
                url=c.link("governance:action_list", view="overdue"),
            ),
            Figure("Cases re-audited", again["cases"]),
        ],
        tables=[table],
    )


# h) Data quality.


def data_quality_section(scope: c.Scope) -> Section:
    rows = c.data_quality(scope)
    dashboard = "performance:quality_dashboard"
    table = Table(
        caption="Data-quality issues by rule",
        columns=["Rule", "Raised", "Put right", "Won't fix", "Open at the end"],
        rows=[
            [r["rule__name"], r["raised"], r["resolved"], r["wont_fix"], r["open_at_end"]]
            for r in rows
        ],
        row_urls=[c.link(dashboard, rule=r["rule_id"]) for r in rows],
        numeric=[1, 2, 3, 4],
    )
    totals = {k: sum(r[k] for r in rows) for k in ("raised", "resolved", "wont_fix", "open_at_end")}
    summary = [
        f"{totals['raised']} data-quality issues were raised and {totals['resolved']} put right "
        f"in the period; {totals['open_at_end']} were open at its end."
        if rows
        else "No data-quality issues were raised or open in the period."
    ]
    return Section(
        key="data_quality",
        title="Data quality",
        question="h) Data quality processes and data development priorities",
        summary=summary,
        figures=[
            Figure("Issues raised", totals["raised"], url=c.link(dashboard)),
            Figure("Put right", totals["resolved"]),
            Figure("Open at the end", totals["open_at_end"], url=c.link(dashboard)),
        ],
        tables=[table],
    )


SECTIONS: list[SectionBuilder] = [
    views_section,
    practitioners_section,
    audits_section,
    complaints_section,
    analysis_section,
    inspections_section,
    actions_section,
    data_quality_section,
]


def sections(
    scope: c.Scope,
    builders: Sequence[SectionBuilder],
    *,
    progress: Progress | None = None,
) -> list[Section]:
    """Each section in turn, reporting progress after each."""
    built = []
    for done, make in enumerate(builders, start=1):
        built.append(make(scope))
        if progress is not None:
            progress(done, len(builders))
    return built


def build(
    organisation: Organisation, period: Period, *, progress: Progress | None = None
) -> Content:
    scope = c.Scope(organisation, period, timezone.localdate())
    return Content(
        title=title_of(JOURNEY),
        organisation=organisation.name,
        period=period,
        sections=sections(scope, SECTIONS, progress=progress),
    )
