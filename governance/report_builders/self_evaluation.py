"""The draft self-evaluation (seed 002, 1.5 and 2.12): Ofsted's three questions answered in
statements generated from the financial year's figures, each with its evidence in the app
(`Section.evidence`, links to the scoped pages), and the improvement plan's priorities as
the plans for the next twelve months. QA writes the narrative on top.

Plan actions gathered from a case's records are counted, never named (their titles may
name a child); the actions the plan itself holds (inspection recommendations, board
decisions, the plan's own) are listed with their due dates.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Min, Q
from django.utils import timezone

from cases.models import Organisation
from governance.models import PlanAction, Priority
from governance.report_builders import SELF_EVALUATION, Progress, journey, title_of
from governance.report_builders import common_jas as c
from governance.report_content import Content, Period, Section, Table

OPEN = list(PlanAction.OPEN_STATUSES)


def _statement(figure: c.KeyFigure, before: c.KeyFigure, what: str, empty: str) -> str:
    """ "64% of audits were graded good or better, up from 58% the year before"."""
    if not figure.total:
        return empty
    words = c.change(figure.percent, before.percent)
    if words and words != "the same as the year before":
        words += " the year before"
    return f"{figure.percent}% of {what}" + (f", {words}." if words else ".")


def quality_section(scope: c.Scope) -> Section:
    now, then = c.key_figures(scope), c.key_figures(scope.before())
    statements = [
        _statement(
            now["audits"],
            then["audits"],
            "audits were graded good or better",
            "No audits were graded this year.",
        ),
        _statement(
            now["supervision"],
            then["supervision"],
            "supervision audits were graded good or better",
            "No supervision audits were graded this year.",
        ),
        _statement(
            now["observations"],
            then["observations"],
            "practice observations were graded good or better",
            "No practice observations were graded this year.",
        ),
        _statement(
            now["feedback"],
            then["feedback"],
            "the feedback from children, families and adopters was positive",
            "No feedback from children, families or adopters was recorded this year.",
        ),
        _statement(
            now["complaints_on_time"],
            then["complaints_on_time"],
            "stage 1 complaint responses were on time",
            "No stage 1 complaint responses were due this year.",
        ),
        f"{now['compliments'].count} compliments were received this year.",
    ]
    since, until = scope.first.isoformat(), scope.last.isoformat()
    return Section(
        key="quality",
        title="What do we know about the quality and impact of social work practice?",
        question="What do we know about the quality and impact of social work practice?",
        summary=statements,
        evidence=[
            ("Audits graded this year", c.audit_list_url(scope)),
            ("Audit grades on the board", c.link("governance:board_measure", "audit-grades")),
            (
                "Supervision audits this year",
                c.audit_list_url(scope, audit_type="supervision"),
            ),
            (
                "Observation grades on the board",
                c.link("governance:board_measure", "observation-grades"),
            ),
            ("Feedback this year", c.link("feedback:feedback_list", since=since, until=until)),
            ("Complaint figures", c.link("feedback:complaint_figures")),
        ],
    )


def evidence_section(scope: c.Scope) -> Section:
    now = c.key_figures(scope)
    by_type = c.audits_by_type(scope)
    seen = c.observations(scope)
    reviews = c.reviews(scope)
    issues = c.data_quality(scope)
    audits = now["audits"].total or 0
    statements = [
        f"{audits} audits were graded this year across {len(by_type)} types of audit."
        if audits
        else "No audits were graded this year.",
        f"{seen['total']} practice observations were made; practitioners reflected on "
        f"{seen['reflections']}.",
        f"{now['feedback'].total} pieces of feedback and {now['complaints'].count} complaints "
        "were received.",
        f"{len(reviews)} external reviews had recommendations to follow."
        if reviews
        else "No external reviews had recommendations to follow this year.",
        f"{sum(r['raised'] for r in issues)} data-quality issues were raised; "
        f"{sum(r['open_at_end'] for r in issues)} were open at the year's end.",
    ]
    return Section(
        key="how_we_know",
        title="How do we know it?",
        question="How do we know it?",
        summary=statements,
        evidence=[
            ("Audits graded this year", c.audit_list_url(scope)),
            ("Practice observations", c.link("observations:observation_list")),
            ("Thematic reviews", c.link("themes:theme_list")),
            ("Inspections and external reviews", c.link("governance:review_list")),
            ("Data quality", c.link("performance:quality_dashboard")),
        ],
    )


def _priorities(scope: c.Scope) -> list[dict[str, Any]]:
    counts = {
        row["priority_id"]: row
        for row in PlanAction.objects.filter(organisation=scope.organisation, status__in=OPEN)
        .values("priority_id")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_on__lt=scope.today)),
            next_due=Min("due_on"),
        )
        .order_by()
    }
    rows = []
    for priority in Priority.objects.filter(organisation=scope.organisation):
        row = counts.get(priority.pk, {})
        rows.append({"priority": priority, "open": row.get("open", 0), **row})
    return rows


def _due(day: datetime.date | None) -> str:
    return f"{day:%d %B %Y}" if day else ""


def plans_section(scope: c.Scope) -> Section:
    priorities = _priorities(scope)
    entered = list(
        PlanAction.objects.filter(
            organisation=scope.organisation,
            status__in=OPEN,
            source__in=PlanAction.ENTERED_SOURCES,
            case__isnull=True,
        )
        .select_related("priority")
        .order_by("priority__position", "priority__title", "due_on", "pk")
    )
    summary = [
        f"The improvement plan sets {len(priorities)} priorities for the next twelve months, "
        f"with {sum(p['open'] for p in priorities)} actions open under them."
        if priorities
        else "The improvement plan has no priorities set yet."
    ]
    for p in priorities:
        overdue = p.get("overdue", 0)
        summary.append(
            f"{p['priority'].title}: {p['open']} open actions"
            + (f", {overdue} overdue" if overdue else "")
            + (f", the next due {_due(p.get('next_due'))}." if p["open"] else ".")
        )
    return Section(
        key="plans",
        title="What are our plans for the next twelve months to maintain or improve practice?",
        question="What are our plans for the next twelve months to maintain or improve practice?",
        summary=summary,
        tables=[
            Table(
                caption="The improvement plan's priorities",
                columns=["Priority", "Open actions", "Overdue", "Next due"],
                rows=[
                    [p["priority"].title, p["open"], p.get("overdue", 0), _due(p.get("next_due"))]
                    for p in priorities
                ],
                row_urls=[
                    c.link("governance:priority_detail", p["priority"].pk) for p in priorities
                ],
                numeric=[1, 2],
            ),
            Table(
                caption="Open actions the plan holds (recommendations, board decisions, the "
                "plan's own)",
                columns=["Priority", "Action", "Due"],
                rows=[
                    [a.priority.title if a.priority else "", a.title, _due(a.due_on)]
                    for a in entered
                ],
                row_urls=[c.link("governance:action_detail", a.pk) for a in entered],
            ),
        ],
        evidence=[
            (p["priority"].title, c.link("governance:priority_detail", p["priority"].pk))
            for p in priorities
        ]
        + [("The improvement plan", c.link("governance:plan"))],
    )


SECTIONS = [quality_section, evidence_section, plans_section]


def build(
    organisation: Organisation, period: Period, *, progress: Progress | None = None
) -> Content:
    scope = c.Scope(organisation, period, timezone.localdate())
    return Content(
        title=title_of(SELF_EVALUATION),
        organisation=organisation.name,
        period=period,
        sections=journey.sections(scope, SECTIONS, progress=progress),
    )
