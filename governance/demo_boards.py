"""The demo's boards and learning briefs, run by `load_demo` after the improvement plan's
(seeds 003 4.6-4.9 and 5.2, 001, 000): for each organisation of the demo region a Quality
Improvement Board (quarterly; its senior leaders and QA service), a Practice Improvement
Board (fortnightly) and a Performance and Outcomes meeting (monthly; for the adoption
agency, its partner councils' management board), each with one meeting held (minutes
and a decision that became an improvement plan action) and one planned with its agenda
published; and a learning brief published from a thematic review's findings, when a
review has findings. Idempotent: an organisation that has its Quality Improvement Board
is left alone. Dated from today."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from cases.demo import names
from cases.models import Organisation, StaffMember
from cases.roles import Role
from core.dates import add_working_days
from core.months import add_months, month_start
from governance import boards, briefs
from governance.models import Board, Meeting, Priority, Report

QIB = "Quality Improvement Board"

_BOARDS = (
    (
        QIB,
        Board.Kind.QUALITY_IMPROVEMENT,
        Board.Frequency.QUARTERLY,
        "Receives the quarterly Quality of Practice report; holds the improvement plan to account.",
        91,
    ),
    (
        "Practice Improvement Board",
        Board.Kind.PRACTICE_IMPROVEMENT,
        Board.Frequency.FORTNIGHTLY,
        "Closes the loop: what audits, observations and feedback found, and what changed.",
        14,
    ),
    (
        "Performance and Outcomes meeting",
        Board.Kind.PERFORMANCE_OUTCOMES,
        Board.Frequency.MONTHLY,
        "The monthly performance conversation: the services' exceptions returns, summarised "
        "up the cascade.",
        30,
    ),
)
_PARTNER_BOARD = (
    "Partner councils' management board",
    Board.Kind.PARTNER_MANAGEMENT,
    Board.Frequency.QUARTERLY,
    "The agency's partner councils oversee its performance, quality and improvement.",
    91,
)

MINUTES = (
    "Present: the members listed. The board reviewed the latest figures and the "
    "improvement plan's progress. Audit grades are steady; visits in timescale dipped in "
    "one team while a post was vacant. The board agreed the action below."
)
DECISIONS = {
    Board.Kind.QUALITY_IMPROVEMENT: "Report re-audit results of care plans to the next board",
    Board.Kind.PRACTICE_IMPROVEMENT: "Run a seven-minute briefing on child-seen-alone recording",
    Board.Kind.PERFORMANCE_OUTCOMES: "Track assessments nearing 35 days weekly in every team",
    Board.Kind.PARTNER_MANAGEMENT: "Bring each council's adopter sufficiency figures quarterly",
}


def load(*, stdout: Any, size: str) -> None:
    today = timezone.localdate()
    organisations = Organisation.objects.filter(region__slug=names.REGION_SLUG).order_by("pk")
    for organisation in organisations:
        with transaction.atomic():
            note = _load_organisation(organisation, today)
        stdout.write(f"  {organisation.name}: boards {note}")


def _load_organisation(organisation: Organisation, today: datetime.date) -> str:
    if Board.objects.filter(organisation=organisation, name=QIB).exists():
        return "already there"
    staff = StaffMember.objects.filter(organisation=organisation, user__is_active=True)
    qa = staff.filter(role=Role.QA).select_related("user").order_by("pk").first()
    if qa is None:
        return "skipped (no QA service)"
    leaders = list(staff.filter(role=Role.SENIOR_LEADER).order_by("pk"))
    managers = list(staff.filter(role=Role.SERVICE_MANAGER).order_by("pk"))
    team_managers = list(staff.filter(role=Role.TEAM_MANAGER).order_by("pk")[:6])
    chair = leaders[0] if leaders else qa
    priority = Priority.objects.filter(organisation=organisation).order_by("position").first()
    report = (
        Report.objects.filter(organisation=organisation, status=Report.Status.PUBLISHED)
        .order_by("-published_at")
        .first()
    )
    specs = list(_BOARDS)
    if organisation.kind == Organisation.Kind.ADOPTION_AGENCY:
        specs[2] = _PARTNER_BOARD
    made = []
    for name, kind, frequency, purpose, every in specs:
        members = [qa, *leaders] if kind == Board.Kind.QUALITY_IMPROVEMENT else [qa, *managers]
        if kind == Board.Kind.PERFORMANCE_OUTCOMES:
            members += team_managers
        board = boards.board_save(
            organisation_id=organisation.pk,
            by=qa,
            name=name,
            kind=kind,
            frequency=frequency,
            purpose=purpose,
            chair=chair,
            members=members,
        )
        _meetings(board, qa, today, every, priority, report)
        made.append(board)
    brief = _brief(organisation, qa)
    return f"{len(made)} made{', a learning brief published' if brief else ''}"


def _meetings(
    board: Board,
    qa: StaffMember,
    today: datetime.date,
    every: int,
    priority: Priority | None,
    report: Report | None,
) -> None:
    held = boards.meeting_create(
        board=board, by=qa, date=today - datetime.timedelta(days=min(every, 28)), place="Room 2"
    )
    held = boards.minutes_record(meeting=held, by=qa, revision=held.revision, minutes=MINUTES)
    owner = board.chair or qa
    boards.decision_record(
        meeting=held,
        by=qa,
        text=DECISIONS[Board.Kind(board.kind)],
        owner=owner,
        due_on=today + datetime.timedelta(days=42),
        priority=priority,
    )
    planned = boards.meeting_create(
        board=board,
        by=qa,
        date=add_working_days(today, 7),
        time=datetime.time(10, 0),
        place="Room 2",
    )
    items: list[dict[str, Any]] = [{"title": "Minutes and actions of the last meeting"}]
    if report is not None:
        items.append({"title": "The latest QA report", "report": report, "presenter": qa})
    items.append(
        {
            "title": "Performance exceptions returns",
            "returns_month": add_months(month_start(today), -1),
        }
    )
    if priority is not None:
        items.append({"title": f"Improvement priority: {priority.title}", "priority": priority})
    current: Meeting = planned
    for item in items:
        current = boards.agenda_item_add(meeting=current, by=qa, revision=current.revision, **item)
    boards.agenda_publish(meeting=current, by=qa, revision=current.revision)


def _brief(organisation: Organisation, qa: StaffMember) -> bool:
    review = briefs.review_choices(user=qa.user).exclude(findings="").first()
    if review is None:
        return False
    team_ids = list(
        briefs.team_choices(organisation_id=organisation.pk).values_list("pk", flat=True)[:2]
    )
    teams = list(briefs.team_choices(organisation_id=organisation.pk).filter(pk__in=team_ids))
    brief = briefs.brief_create(
        organisation_id=organisation.pk,
        by=qa,
        data={
            "title": f"Seven minutes on: {review.title}"[:160],
            "found": review.findings,
            "matters": (
                "Children's plans work when they say what will change for the child, by when, "
                "and who will do it."
            ),
            "good_looks_like": (
                "A plan written with the child and family, in their words, reviewed in "
                "supervision and updated when things change."
            ),
            "questions": (
                "Which of your children's plans would the child recognise? What gets in the "
                "way of updating a plan? What will you try this month?"
            ),
            "review": review,
            "whole_organisation": not teams,
        },
        teams=teams,
    )
    briefs.brief_publish(brief=brief, by=qa, revision=brief.revision)
    return True
