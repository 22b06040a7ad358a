"""axe over the governance pages the board and plan journeys do not visit, with factory
data in them: no serious or critical violation on any.

- qa.manager: the plan's overview, the actions list in each of its views, an action and
  its edit page, the forms for a board decision and a plan action, the quarterly view,
  the priorities and one priority, the gather confirmation, the process changes and the
  confirmation to delete one;
- senior.leader: an indicator's board page with its triangulation (visits in timescale,
  November's children with audits) and a thematic review about it (its page beside the
  indicator's trend), the audit grades measure page, and the indicator's
  month by service, by team and for one team (the link to its records);
- regional.lead: the regional page of an indicator, the partner councils side by side;
- boards and learning briefs (the journey in test_boards_journey.py visits the rest):
  qa.manager's list of two boards (one no longer meeting), a board with a meeting to come
  and one held, the board's form narrowed by role and sent empty, a held meeting with
  links to the returns and a priority and a decision sent with an owner and no date, its
  agenda and its form, a cancelled meeting; the briefs with a draft, a brief started from
  a thematic review, a draft sent to publish with a part unwritten, a draft saved by
  someone else meanwhile (the conflict, both versions); senior.leader's reads of a brief
  and team.manager's boards list.

The clock is moved with time-machine to 8 December 2026 (the live server runs in this
process).
"""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from cases.models import JourneyEvent, StaffMember
from governance import plan
from governance.models import ExternalReview, PlanAction, Priority
from performance.services.indicators import indicators_recompute
from tests.browser.conftest import assert_accessible, login
from tests.browser.demo import Demo, build_demo
from tests.browser.keyboard import heading
from tests.factories import (
    AuditToolFactory,
    FeedbackFactory,
    GradedAuditFactory,
    JourneyEventFactory,
    ProcessChangeFactory,
)
from themes.models import ThematicReview
from themes.services import theme_propose

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 12, 8, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()
NOVEMBER = datetime.date(2026, 11, 1)


def _visit(page: Page, live_server, path: str, axe, title: str | None = None) -> None:
    response = page.goto(f"{live_server.url}{path}")
    assert response is not None, path
    assert response.status == 200, (path, response.status)
    if title is not None:
        heading(page).to_contain_text(title)
    assert_accessible(page, axe)


def _plan(demo: Demo) -> dict[str, object]:
    """Two priorities, an inspection with a recommendation, a board decision and actions
    in every view: open, overdue, due soon, completed and with impact evidenced."""
    qa: StaffMember = demo.people["qa.manager"]  # type: ignore[assignment]
    owner: StaffMember = demo.people["team.manager"]  # type: ignore[assignment]
    org = demo.council
    care = plan.priority_save(
        organisation=org,
        by=qa,
        title="Care planning",
        description="Plans with the child.",
        lead=owner,
    )
    plan.priority_save(organisation=org, by=qa, title="Supervision")
    review = plan.review_create(
        organisation=org,
        by=qa,
        kind=ExternalReview.Kind.INSPECTION,
        title="ILACS inspection, November 2026",
        reported_on=datetime.date(2026, 11, 20),
    )

    def add(title: str, due: datetime.date, **kwargs: object) -> PlanAction:
        kwargs.setdefault("source", PlanAction.Source.PLAN)
        return plan.action_create(
            organisation=org, by=qa, title=title, owner=owner, due_on=due, **kwargs
        )

    add("Refresh the care planning guidance", datetime.date(2027, 3, 31), priority=care)
    add("Audit ten care plans again", datetime.date(2026, 11, 30), priority=care)  # overdue
    add("Brief the independent reviewing officers", datetime.date(2026, 12, 15))  # due soon
    add(
        "Make sure every child's care plan is reviewed with them",
        datetime.date(2027, 2, 28),
        source=PlanAction.Source.INSPECTION,
        review=review,
        priority=care,
    )
    add(
        "Report care planning audits to the board each quarter",
        datetime.date(2027, 1, 31),
        source=PlanAction.Source.BOARD,
        decided_by="Quality Improvement Board",
        decided_on=datetime.date(2026, 11, 2),
    )
    done = add("Add the child's words to the plan template", datetime.date(2027, 1, 15))
    plan.update_add(
        action=done, by=owner, text="Template changed.", rag="green", status="completed"
    )
    evidenced = add(
        "Train new starters in care planning", datetime.date(2027, 1, 20), priority=care
    )
    plan.update_add(
        action=evidenced, by=owner, text="All trained.", rag="amber", status="completed"
    )
    feedback = FeedbackFactory(case=demo.in_team("lac1")[0], received_on=datetime.date(2026, 12, 1))
    plan.evidence_add(
        action=evidenced,
        by=qa,
        kind="feedback",
        summary="The family says the plan was gone through with them.",
        feedback=feedback,
    )
    plan.impact_mark(action=evidenced, by=qa)
    overdue = PlanAction.objects.get(title="Audit ten care plans again")
    change = ProcessChangeFactory(
        organisation=org,
        measure="audit-grades",
        changed_on=datetime.date(2026, 6, 1),
        reason="A new audit tool.",
        recorded_by=qa,
    )
    return {"care": care, "overdue": overdue, "change": change}


def _visits_and_audits(demo: Demo) -> None:
    """Visits in October and November for ten looked after children, each also audited
    in November, then the nightly recompute: November's visits in timescale have children
    behind them whose audits the board can triangulate."""
    tool = AuditToolFactory(organisation=demo.council, name="Practice review")
    cases = demo.in_team("lac1")[:10]
    for i, case in enumerate(cases):
        for day in (datetime.date(2026, 10, 10 + i), datetime.date(2026, 11, 10 + i)):
            JourneyEventFactory(
                case=case,
                kind=JourneyEvent.Kind.VISIT,
                occurred_on=day,
                recorded_on=day,
                seen=True,
                seen_alone=True,
            )
        GradedAuditFactory(
            case=case,
            tool=tool,
            auditor=demo.people["qa.manager"],
            submitted_at=datetime.datetime(2026, 11, 20 + i % 5, 11, tzinfo=LONDON),
            overall_grade="good" if i % 3 else "requires_improvement",
        )
    indicators_recompute(day=TODAY)
    theme_propose(
        organisation=demo.council,
        proposed_by=demo.people["qa.manager"],
        title="Visits to children looked after",
        question="Are visits purposeful, and is the child seen alone?",
        source="indicator",
        tool=tool,
        indicators=["visits-in-timescale"],
    )


def test_qa_plan_and_process_change_pages(live_server, page: Page, axe):
    with time_machine.travel(NOW, tick=True):
        demo = build_demo()
        made = _plan(demo)
        login(page, live_server, "qa.manager")

        _visit(page, live_server, "/plan/", axe, "Quality Improvement Action Plan")
        expect(page.locator("#by-priority")).to_contain_text("Care planning")
        for view, count in (
            ("open", 5),
            ("overdue", 1),
            ("due_soon", 1),
            ("completed", 1),
            ("impact", 1),
            ("all", 7),
        ):
            _visit(page, live_server, f"/plan/actions/?view={view}", axe, "Plan actions")
            expect(page.locator("#action-count")).to_contain_text(f"{count} action")
        care: Priority = made["care"]  # type: ignore[assignment]
        _visit(
            page, live_server, f"/plan/actions/?view=all&priority={care.pk}", axe, "Care planning"
        )

        overdue: PlanAction = made["overdue"]  # type: ignore[assignment]
        _visit(page, live_server, overdue.get_absolute_url(), axe, overdue.title)
        _visit(page, live_server, f"/plan/actions/{overdue.pk}/edit/", axe)
        _visit(page, live_server, "/plan/actions/new/?source=board", axe, "Add a board decision")
        _visit(
            page, live_server, "/plan/actions/new/?source=plan", axe, "Add an action to the plan"
        )

        _visit(page, live_server, "/plan/quarterly/", axe)
        _visit(page, live_server, "/plan/priorities/", axe, "Our improvement priorities")
        expect(page.locator("#priorities")).to_contain_text("Supervision")
        _visit(page, live_server, care.get_absolute_url(), axe, "Care planning")
        _visit(page, live_server, "/plan/gather/", axe, "Gather actions into the plan")

        # QA's board: the same page as the senior leader's, with the way to the process
        # changes.
        _visit(page, live_server, "/board/", axe)
        _visit(page, live_server, "/board/process-changes/", axe, "Process changes")
        expect(page.locator("main table")).to_contain_text("A new audit tool.")
        change = made["change"]
        _visit(
            page,
            live_server,
            f"/board/process-changes/{change.pk}/delete/",  # type: ignore[attr-defined]
            axe,
            "Delete this process change?",
        )


def test_senior_leader_board_measure_pages(live_server, page: Page, axe):
    with time_machine.travel(NOW, tick=True):
        demo = build_demo()
        _visits_and_audits(demo)
        login(page, live_server, "senior.leader")

        _visit(page, live_server, "/board/visits-in-timescale/", axe, "Visits in timescale")
        main = page.locator("main")
        # The chart's heading follows the page's h1 at level 2 (axe's heading-order).
        expect(page.get_by_role("heading", level=2, name="Visits in timescale")).to_be_visible()
        expect(main).to_contain_text("What the audits say about these children")
        expect(main).to_contain_text("behind the figure for November 2026")
        expect(main.locator("caption").filter(has_text="Latest audit grades")).not_to_contain_text(
            "(0)"
        )
        expect(main).to_contain_text("By service")

        # The thematic review about the indicator, beside its trend.
        expect(main.get_by_role("link", name="Visits to children looked after")).to_be_visible()
        theme = ThematicReview.objects.get()
        _visit(page, live_server, f"/board/themes/{theme.pk}/", axe, theme.title)
        expect(page.locator("main")).to_contain_text("The indicators it is about")

        _visit(page, live_server, "/board/audit-grades/", axe, "Audits graded good or better")
        _visit(
            page,
            live_server,
            "/board/visits-in-timescale/2026-11/",
            axe,
            "Visits in timescale, November 2026",
        )
        lac1 = demo.teams["lac1"]
        _visit(
            page, live_server, f"/board/visits-in-timescale/2026-11/?service={lac1.service_id}", axe
        )
        expect(page.locator("main")).to_contain_text("Kestrelford looked after 1")
        _visit(page, live_server, f"/board/visits-in-timescale/2026-11/?team={lac1.pk}", axe)
        expect(
            page.get_by_role("link", name="The children behind visits in timescale")
        ).to_be_visible()
        # The month still running, for the audit grades by service.
        _visit(page, live_server, "/board/audit-grades/2026-12/", axe)
        expect(page.locator(".govuk-inset-text")).to_contain_text("not over yet")


def test_regional_lead_indicator_page(live_server, page: Page, axe):
    with time_machine.travel(NOW, tick=True):
        demo = build_demo()
        _visits_and_audits(demo)
        login(page, live_server, "regional.lead")
        _visit(page, live_server, "/regional/visits-in-timescale/", axe, "Visits in timescale")
        for name in ("Kestrelford City Council", "Marrowby Borough Council", "Adopt Thornvale"):
            expect(page.get_by_role("heading", level=2, name=name)).to_be_visible()
        expect(page.locator("main")).not_to_contain_text("/cases/")


# --- Boards and meetings; learning briefs (branch boards) ---


def _boards_and_briefs(demo: Demo) -> dict[str, object]:
    from governance import boards, briefs
    from governance.models import Board, Meeting

    qa: StaffMember = demo.people["qa.manager"]  # type: ignore[assignment]
    owner: StaffMember = demo.people["team.manager"]  # type: ignore[assignment]
    org = demo.council
    care = plan.priority_save(organisation=org, by=qa, title="Care planning")
    board = boards.board_save(
        organisation_id=org.pk,
        by=qa,
        name="Practice Improvement Board",
        kind=Board.Kind.PRACTICE_IMPROVEMENT,
        frequency=Board.Frequency.FORTNIGHTLY,
        purpose="Learning from audits <and> what changes.",
        chair=demo.people["senior.leader"],  # type: ignore[arg-type]
        members=[owner, demo.people["practitioner"]],  # type: ignore[list-item]
    )
    boards.board_save(
        organisation_id=org.pk,
        by=qa,
        name="Old Performance Meeting",
        kind=Board.Kind.PERFORMANCE_OUTCOMES,
        frequency=Board.Frequency.MONTHLY,
        active=False,
    )
    held = boards.meeting_create(
        board=board, by=qa, date=datetime.date(2026, 11, 24), place="Room 2"
    )
    for title, extra in (
        ("November's exceptions returns", {"returns_month": datetime.date(2026, 10, 1)}),
        ("Care planning", {"priority": care, "presenter": owner, "notes": "Re-audit results."}),
    ):
        held.refresh_from_db()
        boards.agenda_item_add(meeting=held, by=qa, revision=held.revision, title=title, **extra)
    held.refresh_from_db()
    held = boards.minutes_record(
        meeting=held, by=qa, revision=held.revision, minutes="Went through the returns."
    )
    boards.decision_record(
        meeting=held,
        by=qa,
        text="Re-audit care plans in February",
        owner=owner,
        due_on=datetime.date(2027, 2, 26),
    )
    boards.decision_record(meeting=held, by=qa, text="Thank the teams for their returns")
    upcoming = boards.meeting_create(board=board, by=qa, date=datetime.date(2026, 12, 22))
    cancelled = boards.meeting_create(board=board, by=qa, date=datetime.date(2026, 12, 1))
    Meeting.objects.filter(pk=cancelled.pk).update(status=Meeting.Status.CANCELLED)

    parts = {
        "title": "Seven minutes on care plans",
        "found": "Plans not written with the child.",
        "matters": "Children need plans they recognise.",
        "good_looks_like": "Plans in the child's words.",
        "questions": "Which plans would the child recognise?",
    }
    published = briefs.brief_create(organisation_id=org.pk, by=qa, data=parts)
    published = briefs.brief_publish(brief=published, by=qa, revision=published.revision)
    briefs.brief_read(brief=published, staff=owner)
    unfinished = briefs.brief_create(
        organisation_id=org.pk,
        by=qa,
        data={
            **parts,
            "title": "Seven minutes on visits",
            "questions": "",
            "whole_organisation": False,
        },
        teams=[demo.teams["lac1"]],
    )
    return {
        "board": board,
        "held": held,
        "upcoming": upcoming,
        "cancelled": cancelled,
        "published": published,
        "unfinished": unfinished,
    }


def test_boards_and_briefs_pages(live_server, page: Page, axe):
    from governance import briefs
    from governance.models import LearningBrief, Meeting

    with time_machine.travel(NOW, tick=True):
        demo = build_demo()
        made = _boards_and_briefs(demo)
        _visits_and_audits(demo)  # a thematic review to start a brief from
        board, held = made["board"], made["held"]
        login(page, live_server, "qa.manager")

        _visit(page, live_server, "/boards/", axe, "Boards and meetings")
        expect(page.locator("#boards tbody tr")).to_have_count(2)
        expect(page.locator("#boards")).to_contain_text("No longer meets")
        _visit(page, live_server, board.get_absolute_url(), axe, "Practice Improvement Board")
        expect(page.locator("#purpose")).to_contain_text("Learning from audits <and> what changes.")
        expect(page.locator("#upcoming-meetings")).to_contain_text("Tuesday 22 December 2026")
        expect(page.locator("#past-meetings li")).to_have_count(2)  # held, cancelled
        _visit(page, live_server, f"/boards/{board.pk}/edit/?role=team_manager", axe)
        expect(page.locator("input[name=members]")).to_have_count(2)  # Tom Holroyd, Sam Okafor
        page.locator("#id_name").fill("")
        page.locator("#save-board").click()
        page.wait_for_load_state()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the board's name")
        assert_accessible(page, axe)

        _visit(page, live_server, held.get_absolute_url(), axe, "Meeting of Tuesday 24 November")
        expect(page.locator("#decision-list tbody tr")).to_have_count(2)
        expect(page.locator("#agenda-items")).to_contain_text("Exceptions returns: October 2026")
        page.locator("#decision-form #id_text").fill("Ask for the figures again")
        page.locator("#decision-form select[name=owner]").select_option(
            str(demo.people["team.manager"].pk)
        )
        page.locator("#save-decision").click()
        page.wait_for_load_state()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Give the decision both an owner and a due date, or neither"
        )
        assert_accessible(page, axe)
        _visit(page, live_server, f"/meetings/{held.pk}/agenda/", axe, "The agenda")
        expect(page.locator("#publish-agenda")).to_have_count(0)  # held: nothing to publish
        _visit(page, live_server, f"/meetings/{held.pk}/edit/", axe, "Change the meeting")
        upcoming: Meeting = made["upcoming"]  # type: ignore[assignment]
        _visit(page, live_server, upcoming.get_absolute_url(), axe)
        expect(page.locator("main")).to_contain_text("No agenda yet.")
        cancelled: Meeting = made["cancelled"]  # type: ignore[assignment]
        _visit(page, live_server, cancelled.get_absolute_url(), axe)
        expect(page.locator("#meeting-status")).to_contain_text("Cancelled")

        _visit(page, live_server, "/briefs/", axe, "Learning briefs")
        expect(page.locator("#drafts")).to_contain_text("Seven minutes on visits")
        theme = ThematicReview.objects.get()
        _visit(page, live_server, f"/briefs/new/?review={theme.pk}", axe, "Write a learning")
        expect(page.locator("#id_title")).to_have_value(theme.title)
        unfinished: LearningBrief = made["unfinished"]  # type: ignore[assignment]
        _visit(page, live_server, unfinished.get_absolute_url(), axe, "Seven minutes on visits")
        page.locator("#publish-brief").click()
        page.wait_for_load_state()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Write \u201cQuestions for your team\u201d before you publish the brief"
        )
        assert_accessible(page, axe)
        # Someone saves the draft while QA has it open: QA's save shows both versions.
        _visit(page, live_server, f"/briefs/{unfinished.pk}/edit/", axe, "Your draft")
        unfinished.refresh_from_db()
        briefs.brief_save(
            brief=unfinished,
            by=demo.people["qa.manager"],  # type: ignore[arg-type]
            revision=unfinished.revision,
            data={"questions": "What would the child say?"},
            teams=[demo.teams["lac1"]],
        )
        page.locator("#save-brief").click()
        page.wait_for_load_state()
        expect(page.locator("#their-version")).to_contain_text("What would the child say?")
        assert_accessible(page, axe)

        page.context.clear_cookies()
        login(page, live_server, "senior.leader")
        published: LearningBrief = made["published"]  # type: ignore[assignment]
        _visit(page, live_server, published.get_absolute_url(), axe, published.title)
        expect(page.locator("#reads")).to_contain_text("Kestrelford looked after 1")

        page.context.clear_cookies()
        login(page, live_server, "team.manager")
        _visit(page, live_server, "/boards/", axe, "Boards and meetings")
        expect(page.get_by_role("link", name="Add a board")).to_have_count(0)
        _visit(page, live_server, "/briefs/", axe, "Learning briefs")
        expect(page.locator("#briefs .govuk-tag")).to_have_text(["Read"])


# The Performance Exceptions returns' cascade: the pages the returns journey does not
# reach (tests/browser/test_returns_journey.py visits the list, a return, the service's
# month and the head of service's month as each writer sees them).

JANUARY = datetime.datetime(2027, 1, 4, 10, 0, tzinfo=LONDON)


def test_cascade_writer_pages_and_their_errors(live_server, page: Page, axe):
    """senior.leader at the director's tier writes the senior management team's summary:
    their month with the form, then the summary and an action sent empty (by keyboard),
    each answered with the error summary."""
    from governance import services
    from tests.browser.observation_steps import control, go

    with time_machine.travel(JANUARY, tick=True):
        demo = build_demo()
        services.exceptions_returns_create(day=JANUARY.date())
        leader: StaffMember = demo.people["senior.leader"]  # type: ignore[assignment]
        leader.tier = StaffMember.Tier.DIRECTOR
        leader.save(update_fields=["tier"])
        login(page, live_server, "senior.leader")
        _visit(page, live_server, "/returns/", axe, "Performance exceptions returns")
        expect(page.locator("#level-counts")).to_contain_text("Team returns submitted")
        _visit(
            page, live_server, "/returns/cascade/senior-management/", axe, "Senior management team"
        )
        expect(page.locator("#summary-form")).to_be_visible()
        expect(page.locator("#action-form")).to_be_visible()

        go(page, control("Save the summary"))
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Enter the senior management team summary"
        )
        assert_accessible(page, axe)
        go(page, control("Raise the action"))
        summary = page.locator("#action-form .govuk-error-summary")
        expect(summary).to_contain_text("Enter what the action is")
        expect(summary).to_contain_text("Choose the action's owner")
        expect(summary).to_contain_text("Enter the date the action is due")
        assert_accessible(page, axe)
        # The levels below: read only.
        _visit(page, live_server, "/returns/cascade/head-of-service/", axe, "Head of service")
        expect(page.locator("#summary-form")).to_have_count(0)
