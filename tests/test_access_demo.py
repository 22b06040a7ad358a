"""The URL walk again, on the demo data: every URL with an argument, filled from demo
objects, tried by the demo logins that must not see them."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Child, StaffMember
from tests import testdb
from tests.scenario import (
    _audit_of,
    _feedback_of,
    _observation_of,
    _practice_event_of,
    _questionnaire_of,
)
from tests.test_access import OBJECT_URLS

# Its tests share one loaded demo (a module fixture): on one xdist worker it is loaded
# once, not once on each (make test runs with --dist loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-access")]

# Who must be refused, and who must find the object, for each kind of demo object.
OUTSIDERS = {
    "child": ("other.manager", "regional.lead"),
    "audit": ("other.manager", "regional.lead"),
    "tool": ("other.manager", "regional.lead", "practitioner"),
    "theme": ("other.manager", "regional.lead", "practitioner", "business.support"),
    "rota": ("other.manager", "regional.lead", "practitioner", "business.support"),
    "adopter": ("qa.manager", "team.manager", "practitioner", "other.manager", "regional.lead"),
    "indicator": ("regional.lead",),
    "import": ("other.manager", "regional.lead", "practitioner", "team.manager", "senior.leader"),
    "alert": ("other.manager", "regional.lead", "practitioner", "team.manager", "business.support"),
    "observation": ("other.manager", "regional.lead", "business.support"),
    "feedback": ("other.manager", "regional.lead", "business.support"),
    "practice_event": ("other.manager", "regional.lead", "business.support", "practitioner"),
    "feedback_theme": ("other.manager", "regional.lead", "practitioner", "team.manager"),
    "you_said": ("other.manager", "regional.lead"),
    # The adoption agency's panel: nobody of the council sees it.
    "panel": ("qa.manager", "team.manager", "practitioner", "other.manager", "regional.lead"),
    "challenge": ("other.manager", "regional.lead", "business.support"),
    "challenge_case": ("other.manager", "regional.lead", "practitioner", "qa.manager"),
    "survey": ("other.manager", "regional.lead", "practitioner"),
    # The improvement plan: its actions are for QA, senior leaders, business support, the
    # owner and the priority's lead; its priorities and reviews for the organisation.
    "plan_action": ("other.manager", "regional.lead", "practitioner"),
    "plan": ("other.manager", "regional.lead"),
    "board": ("other.manager", "regional.lead", "practitioner", "team.manager"),
    "process_change": ("other.manager", "regional.lead", "senior.leader", "team.manager"),
    # A team's Performance Exceptions return: its team manager, their service manager,
    # QA and senior leaders.
    "exceptions_return": ("other.manager", "regional.lead", "practitioner", "business.support"),
    # The regional view: council staff read their own board instead.
    "regional": ("qa.manager", "team.manager", "practitioner", "other.manager"),
    # A draft report: QA and senior leaders only.
    "report": ("other.manager", "regional.lead", "practitioner", "team.manager"),
    # Boards and meetings; learning briefs (branch boards): the organisation's staff.
    "board_record": ("other.manager", "regional.lead"),
    "learning_brief": ("other.manager", "regional.lead"),
    # The cascade above the service: its levels (senior.leader is a head of service) and QA.
    "cascade": ("team.manager", "practitioner", "other.manager", "regional.lead"),
}
INSIDERS = {
    "child": ("practitioner", "team.manager", "qa.manager", "senior.leader", "business.support"),
    "audit": ("practitioner", "team.manager", "qa.manager", "senior.leader"),
    "tool": ("qa.manager", "team.manager"),
    "theme": ("qa.manager", "team.manager", "senior.leader"),
    "rota": ("qa.manager", "team.manager", "senior.leader"),
    "indicator": ("practitioner", "team.manager", "qa.manager", "senior.leader"),
    "alert": ("qa.manager", "senior.leader"),
    "import": ("business.support", "qa.manager"),
    "observation": ("team.manager", "practitioner", "qa.manager", "senior.leader"),
    "feedback": ("qa.manager", "senior.leader", "team.manager", "practitioner"),
    "practice_event": ("qa.manager", "senior.leader", "team.manager"),
    "feedback_theme": ("qa.manager",),
    "you_said": ("qa.manager", "practitioner", "senior.leader"),
    "survey": ("qa.manager", "senior.leader", "business.support"),
    "plan_action": ("qa.manager", "senior.leader", "business.support"),
    "plan": ("qa.manager", "team.manager", "senior.leader"),
    "board": ("qa.manager", "senior.leader"),
    "process_change": ("qa.manager",),
    "regional": ("regional.lead",),
    "exceptions_return": ("team.manager", "qa.manager", "senior.leader"),
    "report": ("qa.manager", "senior.leader"),
    # Boards and meetings; learning briefs (branch boards).
    "board_record": ("qa.manager", "senior.leader", "practitioner"),
    "learning_brief": ("practitioner", "qa.manager"),
    "cascade": ("qa.manager", "senior.leader"),
}
# Which demo object fills each URL argument (the first kind listed names the scope).
KINDS = {
    "audit_pk": "audit",
    "action_pk": "audit",
    "tool_pk": "tool",
    "section_pk": "tool",
    "question_pk": "tool",
    "theme_pk": "theme",
    "rota_pk": "rota",
    "slot_pk": "rota",
    "child_pk": "child",
    "adopter_pk": "adopter",
    "slug": "indicator",
    "kpq": "indicator",
    "rule_pk": "alert",
    "proposal_pk": "alert",
    "issue_pk": "child",
    "import_pk": "import",
    "observation_pk": "observation",
    "observation_action_pk": "observation",
    "round_pk": "feedback",
    "event_pk": "practice_event",
    "visit_pk": "practice_event",
    "event_action_pk": "practice_event",
    "questionnaire_pk": "adopter",
    "feedback_pk": "child",
    "case_pk": "child",
    "link_pk": "child",
    "feedback_theme_pk": "feedback_theme",
    "you_said_pk": "you_said",
    "complaint_pk": "child",
    "complaint_action_pk": "child",
    "compliment_pk": "child",
    "panel_meeting_pk": "panel",
    "panel_item_pk": "panel",
    "challenge_pk": "challenge",
    "challenge_action_pk": "challenge",
    "challenge_case_pk": "challenge_case",
    "survey_pk": "survey",
    "plan_action_pk": "plan_action",
    "priority_pk": "plan",
    "review_pk": "plan",
    "measure": "board",
    "month": "board",
    "process_change_pk": "process_change",
    "regional_measure": "regional",
    "return_pk": "exceptions_return",
    "report_pk": "report",
    "section_key": "report",
    # Boards and meetings; learning briefs (branch boards).
    "board_pk": "board_record",
    "meeting_pk": "board_record",
    "brief_pk": "learning_brief",
    "cascade_level": "cascade",
    "return_action_pk": "exceptions_return",
}


def _person(username: str) -> StaffMember:
    return StaffMember.objects.get(user__username=username)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[dict[str, object]]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        practitioner = _person("practitioner")
        case = Case.objects.filter(allocated_worker=practitioner, child__isnull=False).first()
        people = {
            "qa": _person("qa.manager"),
            "team_manager": _person("team.manager"),
            "practitioner": practitioner,
            "senior_leader": _person("senior.leader"),
        }
        tool, audit, action, theme = _audit_of(case, people)
        observation, observation_action = _observation_of(case, people)
        event, visit, event_action = _practice_event_of(practitioner.team, people)
        section = tool.sections.first()
        adopter_case = (
            Case.objects.filter(adopter__isnull=False, allocated_worker__isnull=False)
            .select_related("adopter", "allocated_worker__user")
            .order_by("pk")
            .first()
        )
        objects = {
            "child_pk": Child.objects.get(pk=case.child_id).pk,
            "adopter_pk": adopter_case.adopter_id,
            "audit_pk": audit.pk,
            "action_pk": action.pk,
            "tool_pk": tool.pk,
            "section_pk": section.pk,
            "question_pk": section.questions.first().pk,
            "theme_pk": theme.pk,
            "observation_pk": observation.pk,
            "observation_action_pk": observation_action.pk,
            "round_pk": _feedback_of(people).pk,
            "event_pk": event.pk,
            "visit_pk": visit.pk,
            "event_action_pk": event_action.pk,
            "questionnaire_pk": _questionnaire_of(adopter_case).pk,
            **_rota_of(people["qa"]),
            **_feedback_records_of(case, people),
            **_performance_of(case, people["qa"]),
            **_governance_of(people["qa"]),
            **_boards_of_demo(people["qa"]),
            "adopter_insiders": (adopter_case.allocated_worker.user.username,),
        }
        testdb.check_constraints_now()
        yield objects
        transaction.set_rollback(True)


def _feedback_records_of(case: Case, people: dict[str, StaffMember]) -> dict[str, object]:
    """Feedback, a one-use link, a theme, a "you said, we did" entry, a complaint with an
    action and a compliment on the practitioner's case; the demo's own panel item (the
    adoption agency's), challenge, agreed action and staff survey (Kestrelford's)."""
    from feedback.models import STAGE_ORDER, Challenge, ChallengeAction, PanelItem, StaffSurvey
    from tests.scenario import _complaint_of, _voices_of

    voice, link, theme, you_said = _voices_of(case, people)
    complaint, complaint_action, compliment = _complaint_of(case, people)
    item = PanelItem.objects.exclude(sent_on=None).select_related("meeting__chair__user").first()
    qa = people["qa"]
    # Responding, escalating and closing are for an open challenge that can still climb
    # (feedback/rules.py), whose stage is with someone: the demo has one on any day. The
    # newest challenge with an agreed action was open on some days and closed on others.
    challenge = (
        Challenge.objects.filter(
            organisation=qa.organisation,
            status=Challenge.Status.OPEN,
            stages__stage=F("stage"),
            stages__responder__isnull=False,
        )
        .exclude(stage=STAGE_ORDER[-1])
        .select_related("raised_by__user")
        .order_by("-raised_on", "-pk")
        .first()
    )
    assert challenge is not None, "the demo has no open challenge for someone to answer"
    responder = challenge.stages.get(stage=challenge.stage).responder
    # An agreed action's page takes a POST only: any of the organisation's will do.
    action = ChallengeAction.objects.filter(organisation=qa.organisation).order_by("pk").first()
    assert action is not None, "the demo has no agreed action on a challenge"
    survey = StaffSurvey.objects.filter(organisation=qa.organisation).first()
    return {
        "feedback_pk": voice.pk,
        "case_pk": case.pk,
        "link_pk": link.pk,
        "feedback_theme_pk": theme.pk,
        "you_said_pk": you_said.pk,
        "complaint_pk": complaint.pk,
        "complaint_action_pk": complaint_action.pk,
        "compliment_pk": compliment.pk,
        "panel_meeting_pk": item.meeting_id,
        "panel_item_pk": item.pk,
        # The chair, and the agency's panel administrators (QA and business support).
        "panel_insiders": (
            item.meeting.chair.user.username,
            *StaffMember.objects.filter(
                organisation_id=item.organisation_id,
                role__in=[StaffMember.Role.QA, StaffMember.Role.BUSINESS_SUPPORT],
            ).values_list("user__username", flat=True),
        ),
        "challenge_pk": challenge.pk,
        "challenge_action_pk": action.pk,
        # The QA service (who escalates and closes), and the person the challenge's stage
        # is with (who responds).
        "challenge_insiders": ("qa.manager", responder.user.username),
        "challenge_case_pk": challenge.case_id,
        "challenge_case_insiders": (challenge.raised_by.user.username,),
        "survey_pk": survey.pk,
    }


def _rota_of(qa: StaffMember) -> dict[str, int]:
    """Kestrelford's rota (generated from this month unless the demo already has one)."""
    from rota.models import Rota
    from rota.services import rota_generate

    rota = Rota.objects.filter(organisation=qa.organisation).first() or rota_generate(
        organisation=qa.organisation, starts_on=timezone.localdate().replace(day=1), by=qa
    )
    return {"rota_pk": rota.pk, "slot_pk": rota.slots.order_by("month", "pk").first().pk}


def _performance_of(case: Case, qa: StaffMember) -> dict[str, object]:
    """An indicator, Kestrelford's alert rule with a proposal, and a data-quality issue on
    the practitioner's case."""
    from performance.models import AlertRule, DataQualityIssue, FocusedAuditProposal
    from tests.factories import DataQualityIssueFactory, ImportRunFactory

    rule = AlertRule.objects.filter(organisation=qa.organisation).first() or (
        AlertRule.objects.create(
            organisation=qa.organisation, indicator="icpc-15-days", threshold=80, created_by=qa
        )
    )
    proposal = FocusedAuditProposal.objects.create(
        rule=rule,
        organisation=qa.organisation,
        indicator=rule.indicator,
        month=timezone.localdate().replace(day=1),
        reason="For the access walk",
    )
    issue = DataQualityIssue.objects.filter(case=case).first() or DataQualityIssueFactory(case=case)
    support = StaffMember.objects.get(user__username="business.support")
    run = ImportRunFactory(organisation=qa.organisation, uploaded_by=support)
    return {
        "slug": "visits-in-timescale",
        "kpq": 5,
        "rule_pk": rule.pk,
        "proposal_pk": proposal.pk,
        "issue_pk": issue.pk,
        "import_pk": run.pk,
    }


def _governance_of(qa: StaffMember) -> dict[str, object]:
    """Kestrelford's plan (the demo's), a process change, and the board's measures."""
    from governance.models import (
        ExceptionsReturn,
        ExternalReview,
        PlanAction,
        Priority,
        ProcessChange,
    )
    from governance.returns import returns_create

    organisation = qa.organisation
    team = StaffMember.objects.get(user__username="team.manager").team
    if not ExceptionsReturn.objects.filter(team=team).exists():
        returns_create(day=timezone.localdate(), organisation_id=organisation.pk)
    change = ProcessChange.objects.create(
        organisation=organisation,
        measure="audit-grades",
        changed_on=timezone.localdate().replace(day=1),
        reason="For the access walk",
        recorded_by=qa,
    )
    return {
        "plan_action_pk": PlanAction.objects.filter(organisation=organisation, source="inspection")
        .exclude(owner__user__username="practitioner")
        .first()
        .pk,
        "priority_pk": Priority.objects.filter(organisation=organisation).first().pk,
        "review_pk": ExternalReview.objects.filter(organisation=organisation).first().pk,
        "measure": "audit-grades",
        "month": timezone.localdate().strftime("%Y-%m"),
        "process_change_pk": change.pk,
        "regional_measure": "audit-grades",
        "return_pk": ExceptionsReturn.objects.filter(team=team).order_by("-month").first().pk,
        **_report_of(qa),
        # The cascade above the service.
        "cascade_level": "head-of-service",
        "return_action_pk": _return_action_of(team),
    }


def _report_of(qa: StaffMember) -> dict[str, object]:
    """A draft quarterly report of Kestrelford's (the tests' fixture builder's content),
    for a period the demo has none of."""
    import datetime

    from governance.models import Report
    from governance.report_content import Period
    from tests.governance.report_builder_fixture import build

    period = Period(start=datetime.date(2001, 1, 1), end=datetime.date(2001, 3, 31), label="Q")
    report = Report.objects.create(
        organisation=qa.organisation,
        kind="quarterly",
        period_start=period.start,
        period_end=period.end,
        period_label=period.label,
        status=Report.Status.DRAFT,
        content=build(qa.organisation, period).to_json(),
        generated_at=timezone.now(),
    )
    return {"report_pk": report.pk, "section_key": "activity"}


def _boards_of_demo(qa: StaffMember) -> dict[str, object]:
    """The demo's Practice Improvement Board and its held meeting, and a learning brief
    for the whole organisation (branch boards)."""
    from governance.models import Board, LearningBrief

    board = Board.objects.get(organisation=qa.organisation, name="Practice Improvement Board")
    brief = LearningBrief.objects.create(
        organisation=qa.organisation,
        title="For the access walk",
        status=LearningBrief.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    return {
        "board_pk": board.pk,
        "meeting_pk": board.meetings.order_by("date").first().pk,
        "brief_pk": brief.pk,
    }


def _return_action_of(team) -> int:
    """An action on team.manager's team's latest return, owned by team.manager."""
    from governance.models import ExceptionsReturn, ReturnAction

    ret = ExceptionsReturn.objects.filter(team=team).order_by("-month").first()
    manager = StaffMember.objects.get(user__username="team.manager")
    action = ReturnAction.objects.create(
        organisation_id=ret.organisation_id,
        exceptions_return=ret,
        title="For the access walk",
        owner=manager,
        due_on=timezone.localdate(),
        raised_by=manager,
    )
    return action.pk


def _resolve(name: str, args: list[str], demo: dict[str, object]) -> tuple[str, str]:
    unknown = [arg for arg in args if arg not in KINDS]
    assert not unknown, f"teach {__file__} which demo object fills {unknown}"
    kinds = [KINDS[arg] for arg in args]
    order = (
        "report",
        "board_record",
        "learning_brief",
        "feedback",
        "feedback_theme",
        "you_said",
        "panel",
        "challenge",
        "challenge_case",
        "survey",
        "exceptions_return",
        "cascade",
        "plan_action",
        "plan",
        "process_change",
        "board",
        "regional",
        "observation",
        "practice_event",
        "audit",
        "tool",
        "theme",
        "rota",
        "alert",
        "import",
        "indicator",
        "child",
        "adopter",
    )
    kind = next(k for k in order if k in kinds)
    return reverse(name, kwargs={arg: demo[arg] for arg in args}), kind


@pytest.mark.parametrize(("name", "args"), OBJECT_URLS)
def test_demo_logins_out_of_scope_are_refused(client, demo, name, args):
    url, kind = _resolve(name, args, demo)
    for username in OUTSIDERS[kind]:
        client.force_login(_person(username).user)
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url)
        assert response.status_code in (403, 404), f"{username} got {response.status_code}"


@pytest.mark.parametrize(("name", "args"), OBJECT_URLS)
def test_demo_logins_in_scope_find_it(client, demo, name, args):
    url, kind = _resolve(name, args, demo)
    own = {"adopter", "panel", "challenge", "challenge_case"}
    insiders = demo[f"{kind}_insiders"] if kind in own else INSIDERS[kind]
    statuses = {}
    for username in insiders:
        client.force_login(_person(username).user)
        statuses[username] = client.get(url).status_code
    assert all(code in (200, 302, 403, 405) for code in statuses.values()), statuses
    assert any(code in (200, 302, 405) for code in statuses.values()), statuses
