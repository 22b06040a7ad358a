"""The quarterly Quality of Practice report (seed 003, 5.2: to the Quality Improvement
Board; seed 000: the reflective quarterly practice improvement report by stage of the
child's and adopter's journey, on outcomes-based accountability's three questions).

Sections: How much did we do? How well did we do it? Is anyone better off? (each with
the indicators that answer it, under the Key Performance Question (003, Appendix 2) each
indicator answers), feedback and complaints by stage of the complaints procedure, and the
improvement plan's progress by priority. Every figure is the organisation's for the
quarter, counted as the board and the lists count it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse

from cases.models import Organisation
from core.figures import percent
from feedback import selectors as feedback_selectors
from governance import figures, plan
from governance.report_builders import QUARTERLY, Progress, title_of
from governance.report_builders import common_mq as common
from governance.report_builders.monthly import plural_were, rota_counts
from governance.report_content import Cell, Chart, Content, Figure, Period, Section, Table
from observations import selectors as observation_selectors
from performance import selectors_indicators as indicator_selectors
from themes import selectors as theme_selectors

Oba = indicator_selectors.Oba
KPQ_COUNT = 10
HAPPY = 4


def build(
    organisation: Organisation, period: Period, *, progress: Progress | None = None
) -> Content:
    series = _LazyIndicators(organisation, period)
    makers = [
        lambda: how_much_section(organisation, period, series),
        lambda: how_well_section(organisation, period, series),
        lambda: better_off_section(organisation, period, series),
        lambda: feedback_section(organisation, period),
        lambda: plan_section(organisation, period),
    ]
    return Content(
        title=title_of(QUARTERLY),
        organisation=organisation.name,
        period=period,
        sections=common.run_sections(makers, progress),
    )


# Indicators under the three questions, each named with its Key Performance Question.


class _LazyIndicators:
    """The quarter's indicator values and targets, read once (three queries) by whichever
    section asks first."""

    def __init__(self, organisation: Organisation, period: Period) -> None:
        self.organisation, self.period = organisation, period
        self._series: dict[str, list[figures.IndicatorMonth]] | None = None
        self._stored: set[tuple[str, datetime.date]] = set()

    def read(self) -> tuple[dict[str, list[figures.IndicatorMonth]], set[Any]]:
        if self._series is None:
            start, end = self.period.start, self.period.end
            self._series = common.indicator_months(self.organisation, start, end)
            self._stored = common.stored_indicators(self.organisation, start, end)
        return self._series, self._stored


def kpq_label(number: int) -> str:
    title = indicator_selectors.KPQ_TITLES[number]
    # Durham's ten are numbered; the adopter's journey is a heading of its own.
    if number <= KPQ_COUNT:
        return f"Question {number}: {title}"
    return title


def _change(slug: str, before: float | None, after: float | None) -> str:
    if before is None or after is None:
        return ""
    indicator = indicator_selectors.CATALOGUE[slug]
    if after == before:
        return "No change"
    if indicator.polarity == indicator_selectors.Polarity.NEITHER:
        return "Up" if after > before else "Down"
    return "Worse" if indicator.worse(after, before) else "Better"


def indicator_table(lazy: _LazyIndicators, oba: str) -> tuple[Table, dict[str, int]]:
    """The indicators answering one of the three questions that have a value stored in
    the quarter: their value in its first and last months and which way they moved."""
    series, stored = lazy.read()
    months = common.months_of(lazy.period.start, lazy.period.end)
    first, last = months[0], months[-1]
    rows: list[list[Cell]] = []
    urls = []
    moved = {"Better": 0, "Worse": 0, "compared": 0}
    chosen = [
        (indicator.kpq, indicator.name, slug)
        for slug, indicator in indicator_selectors.CATALOGUE.items()
        if indicator.oba == oba and any((slug, m) in stored for m in months)
    ]
    for kpq, _name, slug in sorted(chosen):
        indicator = indicator_selectors.CATALOGUE[slug]
        points = series[slug]
        before = points[0].value if (slug, first) in stored else None
        after = points[-1].value if (slug, last) in stored else None
        change = _change(slug, before, after)
        if change:
            moved["compared"] += 1
            moved[change] = moved.get(change, 0) + 1
        rows.append(
            [
                kpq_label(kpq),
                indicator.name,
                indicator.format(before) if before is not None else "No data",
                indicator.format(after) if after is not None else "No data",
                change,
            ]
        )
        urls.append(reverse("performance:indicator_detail", args=[slug]))
    table = Table(
        caption=f"Indicators: {Oba.LABELS[oba]}",
        columns=[
            "Key Performance Question",
            "Indicator",
            common.month_name(first),
            common.month_name(last),
            "Change",
        ],
        rows=rows,
        row_urls=urls,
    )
    return table, moved


def moved_sentence(moved: dict[str, int]) -> str:
    if not moved["compared"]:
        return "No indicator had a value at both ends of the quarter to compare."
    return (
        f"Of {moved['compared']} indicators with a value at both ends of the quarter, "
        f"{moved.get('Better', 0)} got better and {moved.get('Worse', 0)} got worse."
    )


# How much did we do?


def _by_stage(rows: QuerySet[Any], field: str) -> dict[str | None, int]:
    return {
        row[field] or None: row["n"]
        for row in rows.values(field).annotate(n=Count("pk")).order_by()
    }


def how_much_section(organisation: Organisation, period: Period, lazy: _LazyIndicators) -> Section:
    start, end = period.start, period.end
    audits = common.graded_audits(organisation, start, end)
    observations = observation_selectors.finished_observations_of(
        organisation_ids=[organisation.pk]
    ).filter(observed_on__gte=start, observed_on__lte=end)
    audit_stages = _by_stage(audits, "case__journey_stage")
    observation_stages = _by_stage(observations, "case__journey_stage")
    feedback_stages: dict[str | None, int] = {
        (str(k) if k else None): v
        for k, v in feedback_selectors.feedback_count_by_of(
            organisation_id=organisation.pk, first=start, last=end, by="journey_stage"
        ).items()
    }
    themes = theme_selectors.themes_reported_of(
        organisation_id=organisation.pk, first=start, last=end
    )
    written_up = sum(1 for t in themes if t["completed_on"] and start <= t["completed_on"] <= end)
    slots = rota_counts(organisation, period, "organisation_id").get(organisation.pk, {})
    compliments = feedback_selectors.compliments_received_of(
        organisation_id=organisation.pk, first=start, last=end
    )
    complaints = feedback_selectors.complaints_received_of(
        organisation_id=organisation.pk, first=start, last=end
    )
    counts = {
        "audits": sum(audit_stages.values()),
        "observations": sum(observation_stages.values()),
        "feedback": sum(feedback_stages.values()),
    }
    span = {"since": start.isoformat(), "until": end.isoformat()}
    activity: list[tuple[str, int, str]] = [
        ("Audits graded", counts["audits"], common.audit_list_url(start, end)),
        ("Practice observations", counts["observations"], reverse("observations:observation_list")),
        ("Thematic reviews written up", written_up, reverse("themes:theme_list")),
        ("QA activities completed on the rota", slots.get("done", 0), ""),
        ("Feedback gathered", counts["feedback"], common.url("feedback:feedback_list", **span)),
        ("Compliments received", compliments, reverse("feedback:compliment_list")),
        (
            "Complaints received",
            complaints,
            common.url("feedback:complaint_list", stage=1, since=start.isoformat()),
        ),
    ]
    stages = common.stage_order([*audit_stages, *observation_stages, *feedback_stages])
    stage_rows: list[list[Cell]] = [
        [
            common.stage_label(stage),
            audit_stages.get(stage, 0),
            observation_stages.get(stage, 0),
            feedback_stages.get(stage, 0),
        ]
        for stage in stages
    ]
    stage_urls = [
        common.url("feedback:feedback_list", journey_stage=stage, **span) if stage else ""
        for stage in stages
    ]
    indicators, moved = indicator_table(lazy, Oba.HOW_MUCH)
    summary = [
        f"{plural_were(counts['audits'], 'audit', 'audits')} graded, "
        f"{common.plural(counts['observations'], 'practice observation', 'practice observations')} "
        f"made and {common.plural(counts['feedback'], 'piece', 'pieces')} of feedback gathered."
        if any(counts.values())
        else "No audits, practice observations or feedback were recorded in the quarter.",
    ]
    return Section(
        key="how_much",
        title="How much did we do?",
        question=Oba.LABELS[Oba.HOW_MUCH],
        summary=summary,
        figures=[Figure(label, value, url=link) for label, value, link in activity[:3]],
        tables=[
            Table(
                caption="QA and feedback activity in the quarter",
                columns=["Activity", "Count"],
                rows=[[label, value] for label, value, _link in activity],
                row_urls=[link for _label, _value, link in activity],
                numeric=[1],
            ),
            Table(
                caption="By stage of the child's and adopter's journey",
                columns=["Stage", "Audits graded", "Practice observations", "Feedback"],
                rows=stage_rows,
                row_urls=stage_urls,
                numeric=[1, 2, 3],
            ),
            indicators,
        ],
        charts=[common.bar("Activity in the quarter", 0, 0, 1)],
    )


# How well did we do it?


def _by_month(source: figures.Source, organisation: Organisation, period: Period) -> list[Any]:
    months = common.months_of(period.start, period.end)
    return figures.proportion_by_month(
        source, organisation_ids=[organisation.pk], first=months[0], last=months[-1]
    )[organisation.pk]


def how_well_section(organisation: Organisation, period: Period, lazy: _LazyIndicators) -> Section:
    start, end = period.start, period.end
    counts = common.grade_counts(common.graded_audits(organisation, start, end))
    ids = [organisation.pk]
    audit_months = _by_month(figures.audit_grades(ids), organisation, period)
    observation_months = _by_month(figures.observation_grades(ids), organisation, period)
    moderation_months = _by_month(figures.moderation_agreement(ids), organisation, period)
    month_rows: list[list[Cell]] = []
    for a, o, m in zip(audit_months, observation_months, moderation_months, strict=True):
        month_rows.append(
            [
                common.month_name(a.month),
                a.denominator,
                common.share_value(a.numerator, a.denominator),
                o.denominator,
                common.share_value(o.numerator, o.denominator),
                m.denominator,
                common.share_value(m.numerator, m.denominator),
            ]
        )
    moderated = sum(m.denominator for m in moderation_months)
    agreed = sum(m.numerator for m in moderation_months)
    complaints, totals = common.complaints_table(organisation, start, end)
    indicators, moved = indicator_table(lazy, Oba.HOW_WELL)
    graded = sum(counts.values())
    good = common.good_or_better(counts)
    summary = [
        *common.grade_sentences(counts),
        common.of_sentence(
            agreed,
            moderated,
            "audits moderated",
            "kept the auditor's grade",
            "No audits were moderated.",
        ),
        common.complaint_sentence(totals),
        moved_sentence(moved),
    ]
    return Section(
        key="how_well",
        title="How well did we do it?",
        question=Oba.LABELS[Oba.HOW_WELL],
        summary=summary,
        figures=[
            Figure(
                "Audits good or better",
                good,
                detail=f"of {graded} ({percent(good, graded)}%)" if graded else "",
                url=common.audit_list_url(start, end),
            ),
            Figure(
                "Moderation agreement",
                common.share(agreed, moderated) or "None moderated",
                detail=f"{agreed} of {moderated}" if moderated else "",
            ),
        ],
        tables=[
            common.grade_table(counts, start, end, "Audits by grade"),
            Table(
                caption="Good or better and moderation agreement by month",
                columns=[
                    "Month",
                    "Audits graded",
                    "Audits good or better (%)",
                    "Observations",
                    "Observations good or better (%)",
                    "Audits moderated",
                    "Moderation agreement (%)",
                ],
                rows=month_rows,
                row_urls=[common.board_month_url("audit-grades", a.month) for a in audit_months],
                numeric=[1, 2, 3, 4, 5, 6],
            ),
            complaints,
            indicators,
        ],
        charts=[
            Chart(
                kind="line",
                title="Audits good or better by month",
                table=1,
                label_column=0,
                value_column=2,
                unit="%",
            )
        ]
        if graded
        else [],
    )


# Is anyone better off?


def better_off_section(
    organisation: Organisation, period: Period, lazy: _LazyIndicators
) -> Section:
    start, end = period.start, period.end
    indicators, moved = indicator_table(lazy, Oba.BETTER_OFF)
    re_audits = plan.same_case_re_audits_of(organisation_id=organisation.pk, first=start, last=end)
    re_rows: list[list[Cell]] = [
        [
            row["title"] or "Re-audit",
            row["due_on"].isoformat(),
            row["cases"],
            row["before"]["percent"],
            row["after"]["percent"],
        ]
        for row in re_audits
    ]
    re_urls = [
        reverse("governance:action_detail", args=[row["action_id"]]) if row["action_id"] else ""
        for row in re_audits
    ]
    ratings: dict[int, int] = {
        int(str(rating)): n
        for rating, n in feedback_selectors.feedback_count_by_of(
            organisation_id=organisation.pk, first=start, last=end, by="rating"
        ).items()
        if rating
    }
    answered = sum(ratings.values())
    # The face scale's happy and really happy (feedback's sentiment counts them positive).
    happy = sum(n for rating, n in ratings.items() if rating >= HAPPY)
    span = {"since": start.isoformat(), "until": end.isoformat()}
    face_rows: list[list[Cell]] = [
        [str(label), ratings.get(value, 0), common.share_value(ratings.get(value, 0), answered)]
        for value, label in feedback_selectors.RATING_CHOICES
    ]
    summary = [
        moved_sentence(moved),
        f"{happy} of {answered} people who answered on the face scale were happy or really "
        f"happy ({percent(happy, answered)}%)."
        if answered
        else "Nobody answered on the face scale in the quarter.",
    ]
    improved = [
        r
        for r in re_audits
        if r["before"]["percent"] is not None and r["after"]["percent"] is not None
    ]
    if re_audits:
        better = sum(1 for r in improved if r["after"]["percent"] > r["before"]["percent"])
        summary.append(
            f"{common.plural(len(re_audits), 're-audit', 're-audits')} of the same cases "
            f"{'was' if len(re_audits) == 1 else 'were'} due; {better} of {len(improved)} "
            "with grades before and after showed more good or better practice."
        )
    else:
        summary.append("No re-audit of the same cases was due in the quarter.")
    return Section(
        key="better_off",
        title="Is anyone better off?",
        question=Oba.LABELS[Oba.BETTER_OFF],
        summary=summary,
        figures=[
            Figure(
                "Happy or really happy",
                common.share(happy, answered) or "No answers",
                detail=f"{happy} of {answered}" if answered else "",
                url=common.url("feedback:feedback_list", **span),
            )
        ],
        tables=[
            indicators,
            Table(
                caption="Re-audits of the same cases: good or better before and after",
                columns=["Action or priority", "Due", "Cases", "Before (%)", "After (%)"],
                rows=re_rows,
                row_urls=re_urls,
                numeric=[2, 3, 4],
            ),
            Table(
                caption="Feedback on the face scale",
                columns=["Answer", "Feedback", "Share (%)"],
                rows=face_rows,
                row_urls=[common.url("feedback:feedback_list", **span)] * len(face_rows),
                numeric=[1, 2],
            ),
        ],
        charts=[common.bar("Feedback on the face scale", 2, 0, 1)] if answered else [],
    )


# Feedback and complaints.


def feedback_section(organisation: Organisation, period: Period) -> Section:
    start, end = period.start, period.end
    stages, totals = common.complaints_table(organisation, start, end)
    outcomes = feedback_selectors.complaint_outcomes_of(
        organisation_id=organisation.pk, first=start, last=end
    )
    outcome_choices = feedback_selectors.Outcome.choices
    outcome_rows: list[list[Cell]] = []
    for value, label in feedback_selectors.Stage.choices:
        counts = [outcomes.get((value, outcome), 0) for outcome, _ in outcome_choices]
        outcome_rows.append([str(label), *counts, sum(counts)])
    decided = sum(row[-1] for row in outcome_rows if isinstance(row[-1], int))
    upheld = sum(
        n
        for (stage, outcome), n in outcomes.items()
        if outcome != feedback_selectors.Outcome.NOT_UPHELD
    )
    by_source = feedback_selectors.feedback_count_by_of(
        organisation_id=organisation.pk, first=start, last=end, by="source"
    )
    span = {"since": start.isoformat(), "until": end.isoformat()}
    sources = [
        (v, str(label)) for v, label in feedback_selectors.Source.choices if by_source.get(v)
    ]
    summary = [
        f"{plural_were(totals['started'], 'complaint stage', 'complaint stages')} started "
        "in the quarter."
        if totals["started"]
        else "No complaint stage started in the quarter.",
        common.complaint_sentence(totals),
        f"{upheld} of {decided} points of complaint decided were upheld in full or in part "
        f"({percent(upheld, decided)}%)."
        if decided
        else "No point of complaint was decided in the quarter.",
    ]
    return Section(
        key="feedback_complaints",
        title="Feedback and complaints",
        summary=summary,
        figures=[
            Figure("Complaint stages started", totals["started"]),
            Figure("Points of complaint decided", decided),
            Figure("Feedback gathered", sum(by_source.values())),
        ],
        tables=[
            stages,
            Table(
                caption="Points of complaint decided, by stage and outcome",
                columns=["Stage", *(str(label) for _v, label in outcome_choices), "Total"],
                rows=outcome_rows,
                row_urls=[
                    common.url("feedback:complaint_list", stage=value)
                    for value, _label in feedback_selectors.Stage.choices
                ],
                numeric=[1, 2, 3, 4],
            ),
            Table(
                caption="Feedback by who gave it",
                columns=["Who gave it", "Feedback"],
                rows=[[label, by_source[value]] for value, label in sources],
                row_urls=[
                    common.url("feedback:feedback_list", source=value, **span)
                    for value, _label in sources
                ],
                numeric=[1],
            ),
        ],
        charts=[common.bar("Complaint stages responded to in time", 0, 0, 5, "%")]
        if totals["on_time"] + totals["late"]
        else [],
    )


# The improvement plan.


def plan_section(organisation: Organisation, period: Period) -> Section:
    rows = plan.quarterly_of(organisation_id=organisation.pk, first=period.start, last=period.end)
    table_rows: list[list[Cell]] = []
    urls = []
    for row in rows:
        name = row.priority.title if row.priority else "Not yet under a priority"
        table_rows.append(
            [
                name,
                row.raised,
                row.completed,
                row.impact,
                row.open_at_end,
                row.overdue_at_end,
                row.updates,
            ]
        )
        priority = str(row.priority.pk) if row.priority else "none"
        urls.append(common.url("governance:action_list", view="all", priority=priority))
    total = {
        key: sum(getattr(r, key) for r in rows)
        for key in ("raised", "completed", "impact", "open_at_end", "overdue_at_end")
    }
    summary = [
        f"{total['completed']} actions completed and impact evidenced for {total['impact']} "
        f"in the quarter; {total['raised']} raised."
        if any(total.values())
        else "The improvement plan had no actions in the quarter.",
    ]
    if total["open_at_end"]:
        summary.append(
            f"{total['overdue_at_end']} of {total['open_at_end']} actions open at the quarter's "
            f"end were overdue ({percent(total['overdue_at_end'], total['open_at_end'])}%)."
        )
    return Section(
        key="plan",
        title="Action plan progress",
        summary=summary,
        figures=[
            Figure(
                "Open at the end",
                total["open_at_end"],
                url=common.url("governance:action_list", view="open"),
            ),
            Figure("Overdue at the end", total["overdue_at_end"]),
            Figure("Completed", total["completed"]),
            Figure("Impact evidenced", total["impact"]),
        ],
        tables=[
            Table(
                caption="The improvement plan by priority",
                columns=[
                    "Priority",
                    "Raised",
                    "Completed",
                    "Impact evidenced",
                    "Open at the end",
                    "Overdue at the end",
                    "Updates written",
                ],
                rows=table_rows,
                row_urls=urls,
                numeric=[1, 2, 3, 4, 5, 6],
            )
        ],
        charts=[common.bar("Open at the end by priority", 0, 0, 4)] if table_rows else [],
    )
