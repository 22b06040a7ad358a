"""The feedback app's cards on the home page ("my work"): complaint responses due for
customer care and open complaints for the people who hold the cases; challenges for the
independent reviewing officer who raised them and for the person a stage is with;
questionnaires waiting to be sent for the case's worker; feedback waiting for a response;
the adoption panel's feedback and the items a panel member has to evaluate. Each shows
only what its reader may see, notes the children and adopters it names, and runs a
bounded number of queries, however many rows it shows."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import AccessLog, Case, FamilyLink
from core.dates import add_working_days
from feedback import complaints, disputes, home_complaints, home_disputes, home_questionnaires
from feedback import questionnaires as q
from feedback.models import Challenge, ChallengeStage, PanelItem, Questionnaire
from feedback.models.complaints import Complaint, ComplaintStage
from tests.factories import (
    AdopterCaseFactory,
    CaseFactory,
    ChallengeFactory,
    ComplaintFactory,
    FeedbackFactory,
    IndependentChairFactory,
    PanelItemFactory,
    PanelMeetingFactory,
    PanelMemberFactory,
    QuestionnaireFactory,
    StaffMemberFactory,
    TeamFactory,
)
from tests.pages import page_text

pytestmark = pytest.mark.django_db
# A Wednesday: three working days on is Monday 23 November.
TODAY = datetime.date(2026, 11, 18)


@pytest.fixture(autouse=True)
def frozen():
    moment = datetime.datetime(2026, 11, 18, 10, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        yield


def _home(client, staff) -> str:
    client.force_login(staff.user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return page_text(response)


def _request(staff):
    request = RequestFactory().get("/")
    request.user = staff.user
    return request


def _due_in(complaint: Complaint, working_days: int) -> ComplaintStage:
    """Move the complaint's stage 1 so that it is due `working_days` from today (negative:
    overdue by as many)."""
    stage = complaint.stages.get()
    stage.due_on = add_working_days(TODAY, working_days)
    stage.save(update_fields=["due_on"])
    return stage


# Complaints: customer care.


def test_customer_care_sees_the_stages_due_within_three_working_days_soonest_first(client):
    team = TeamFactory()
    overdue = ComplaintFactory(case__team=team, reference="CMP-OVERDUE")
    soon = ComplaintFactory(case__team=team, reference="CMP-SOON")
    later = ComplaintFactory(case__team=team, reference="CMP-LATER")
    _due_in(overdue, -2)
    _due_in(soon, 3)
    _due_in(later, 4)
    answered = ComplaintFactory(case__team=team, reference="CMP-ANSWERED")
    _due_in(answered, 1)
    answered.stages.update(responded_on=TODAY, response="Sorry.")
    closed = ComplaintFactory(case__team=team, reference="CMP-CLOSED")
    _due_in(closed, 1)
    Complaint.objects.filter(pk=closed.pk).update(status=Complaint.Status.CLOSED, closed_on=TODAY)
    elsewhere = ComplaintFactory(reference="CMP-ELSEWHERE")
    _due_in(elsewhere, 0)

    for role in ("qa", "business_support"):
        staff = StaffMemberFactory(team=team, **{role: True})
        body = _home(client, staff)
        assert "Complaint responses due" in body
        assert body.index("CMP-OVERDUE") < body.index("CMP-SOON")
        assert "Overdue" in body
        for absent in ("CMP-LATER", "CMP-ANSWERED", "CMP-CLOSED", "CMP-ELSEWHERE"):
            assert absent not in body
        assert "2 complaint responses due by 23 November 2026 or overdue" in body
        assert "due_by=2026-11-23" in body


def test_the_count_links_to_the_same_complaints_in_the_list(client):
    team = TeamFactory()
    for n in range(7):
        _due_in(ComplaintFactory(case__team=team, reference=f"CMP-DUE-{n}"), n - 3)
    _due_in(ComplaintFactory(case__team=team, reference="CMP-LATER"), 5)
    qa = StaffMemberFactory(team=team, qa=True)
    stages = list(complaints.stages_due_soon(user=qa.user, today=TODAY)[:5])
    assert len(stages) == 5
    assert stages[0].total == 7
    assert [s.due for s in stages] == sorted(s.due for s in stages)
    body = _home(client, qa)
    assert "7 complaint responses due by 23 November 2026 or overdue" in body
    listed = client.get(
        reverse("feedback:complaint_list"), {"status": "open", "due_by": "2026-11-23"}
    )
    assert listed.context["page_obj"].paginator.count == 7
    assert "CMP-LATER" not in listed.content.decode()


def test_the_card_notes_the_children_it_names(client):
    complaint = ComplaintFactory()
    _due_in(complaint, 1)
    qa = StaffMemberFactory(team=complaint.team, qa=True)
    body = _home(client, qa)
    assert complaint.case.child.full_name in body
    entry = AccessLog.objects.get(user=qa.user)
    assert list(entry.children.all()) == [complaint.case.child]


def test_customer_care_with_nothing_due_soon_sees_no_card(client):
    _due_in(ComplaintFactory(), 10)
    qa = StaffMemberFactory(qa=True)
    assert "Complaint responses due" not in _home(client, qa)


# Complaints: workers and managers.


def test_workers_and_managers_see_the_open_complaints_about_their_cases_and_team(client):
    team = TeamFactory()
    worker = StaffMemberFactory(team=team)
    colleague = StaffMemberFactory(team=team)
    mine = ComplaintFactory(case__team=team, case__allocated_worker=worker, reference="CMP-MINE")
    theirs = ComplaintFactory(
        case__team=team, case__allocated_worker=colleague, reference="CMP-THEIRS"
    )
    done = ComplaintFactory(case__team=team, case__allocated_worker=worker, reference="CMP-DONE")
    Complaint.objects.filter(pk=done.pk).update(status=Complaint.Status.CLOSED, closed_on=TODAY)
    other_team = ComplaintFactory(case__team__service=team.service, reference="CMP-OTHERTEAM")
    ComplaintFactory(reference="CMP-ELSEWHERE")

    body = _home(client, worker)
    assert "Open complaints about your work" in body
    assert "CMP-MINE" in body
    assert "1 open complaint<" in body
    for absent in ("CMP-THEIRS", "CMP-DONE", "CMP-OTHERTEAM", "CMP-ELSEWHERE"):
        assert absent not in body
    stage = mine.stages.get()
    assert stage.due_on.strftime("%-d %b %Y") in body

    manager = StaffMemberFactory(team=team, team_manager=True)
    body = _home(client, manager)
    assert "CMP-MINE" in body
    assert "CMP-THEIRS" in body
    assert "CMP-OTHERTEAM" not in body
    assert "CMP-ELSEWHERE" not in body

    service_manager = StaffMemberFactory(team=team, service_manager=True)
    body = _home(client, service_manager)
    assert "CMP-MINE" in body
    assert "CMP-THEIRS" in body
    assert "CMP-OTHERTEAM" in body
    assert "CMP-ELSEWHERE" not in body
    assert theirs.reference in body
    assert other_team.reference in body


@pytest.mark.parametrize("role", ["senior_leader", "regional_lead"])
def test_other_roles_see_no_complaints_card(client, role):
    complaint = ComplaintFactory()
    _due_in(complaint, 0)
    staff = StaffMemberFactory(team=complaint.team, **{role: True})
    body = _home(client, staff)
    assert complaint.reference not in body


# Challenges.


def test_the_chair_sees_their_open_challenges_with_stage_and_due_date(client):
    chair = IndependentChairFactory()
    case = CaseFactory(team=chair.team)
    first = ChallengeFactory(case=case, raised_by=chair, raised_on=TODAY - datetime.timedelta(10))
    second = ChallengeFactory(case=case, raised_by=chair)
    resolved = ChallengeFactory(case=case, raised_by=chair, raised_on=TODAY)
    type(resolved).objects.filter(pk=resolved.pk).update(status="resolved", closed_on=TODAY)
    other_chair = ChallengeFactory(case=case)
    body = _home(client, chair)
    assert "Your open challenges" in body
    assert "2 open challenges you raised" in body
    assert body.count(first.get_absolute_url()) == 1
    assert body.count(second.get_absolute_url()) == 1
    assert resolved.get_absolute_url() not in body
    assert other_chair.get_absolute_url() not in body
    assert body.index(first.get_absolute_url()) < body.index(second.get_absolute_url())
    assert "Informal" in body
    assert first.due_on.strftime("%-d %b %Y") in body
    assert "Overdue" in body  # the first was due five working days after ten days ago
    assert case.child.full_name in body
    assert list(AccessLog.objects.get(user=chair.user).children.all()) == [case.child]


def test_the_person_a_stage_is_with_sees_the_challenges_waiting_for_their_response(client):
    team = TeamFactory()
    manager = StaffMemberFactory(team=team, team_manager=True)
    other_manager = StaffMemberFactory(team_manager=True)
    waiting = ChallengeFactory(case__team=team)
    answered = ChallengeFactory(case__team=team)
    not_theirs = ChallengeFactory(case__team=team)
    ChallengeStage.objects.filter(challenge__in=[waiting, answered]).update(responder=manager)
    ChallengeStage.objects.filter(challenge=not_theirs).update(responder=other_manager)
    ChallengeStage.objects.filter(challenge=answered).update(
        responded_on=TODAY, response="Agreed.", responded_by=manager
    )
    body = _home(client, manager)
    assert "Challenges waiting for your response" in body
    assert "1 challenge waiting for your response" in body
    assert waiting.get_absolute_url() in body
    assert answered.get_absolute_url() not in body
    assert not_theirs.get_absolute_url() not in body
    assert [s.challenge for s in disputes.stages_awaiting_response(user=manager.user)] == [waiting]


@pytest.mark.parametrize("role", ["team_manager", "service_manager"])
def test_a_challenge_the_responder_may_not_see_is_never_on_their_card(client, role):
    """The card reads through the challenges' scoping: a stage that names the manager
    but belongs to a challenge they may not see (another council's, its stage row
    carrying the manager's council) is left off, as on every other page."""
    team = TeamFactory()
    manager = StaffMemberFactory(team=team, **{role: True})
    theirs = ChallengeFactory(case__team=team)
    elsewhere = ChallengeFactory()
    assert elsewhere.organisation_id != manager.organisation_id
    ChallengeStage.objects.filter(challenge=theirs).update(responder=manager)
    ChallengeStage.objects.filter(challenge=elsewhere).update(
        responder=manager, organisation_id=manager.organisation_id
    )
    assert not Challenge.objects.visible_to(manager.user).filter(pk=elsewhere.pk).exists()

    body = _home(client, manager)

    assert "1 challenge waiting for your response" in body
    assert theirs.get_absolute_url() in body
    assert elsewhere.get_absolute_url() not in body
    assert elsewhere.case.child.full_name not in body
    assert [s.challenge for s in disputes.stages_awaiting_response(user=manager.user)] == [theirs]


def test_a_practitioner_sees_no_challenges_card(client):
    worker = StaffMemberFactory()
    ChallengeFactory(case__team=worker.team, case__allocated_worker=worker)
    card = home_disputes.challenges_card(request=_request(worker), staff=worker, today=TODAY)
    assert card is None


# Questionnaires.


def _link(questionnaire: Questionnaire) -> None:
    q.questionnaire_link_make(
        questionnaire=questionnaire, by=questionnaire.case.allocated_worker, days=14
    )


def test_the_worker_sees_their_cases_questionnaires_waiting_to_be_sent(client):
    waiting = QuestionnaireFactory(raised_on=TODAY - datetime.timedelta(days=3))
    worker = waiting.case.allocated_worker
    newer = QuestionnaireFactory(case__team=waiting.case.team, case__allocated_worker=worker)
    sent = QuestionnaireFactory(case__team=waiting.case.team, case__allocated_worker=worker)
    _link(sent)
    answered = QuestionnaireFactory(
        case__team=waiting.case.team,
        case__allocated_worker=worker,
        status=Questionnaire.Status.CLOSED,
        closed_on=TODAY,
    )
    colleagues = QuestionnaireFactory(case__team=waiting.case.team)
    body = _home(client, worker)
    assert "Questionnaires to send" in body
    assert "2 questionnaires for your cases are waiting" in body
    assert body.index(waiting.get_absolute_url()) < body.index(newer.get_absolute_url())
    for absent in (sent, answered, colleagues):
        assert absent.get_absolute_url() not in body
    assert waiting.case.adopter.household_name in body
    noted = set(AccessLog.objects.get(user=worker.user).adopters.all())
    assert {waiting.case.adopter, newer.case.adopter} <= noted
    assert FamilyLink.objects.count() == 1


def test_a_withdrawn_link_still_counts_as_sent(client):
    questionnaire = QuestionnaireFactory()
    _link(questionnaire)
    worker = questionnaire.case.allocated_worker
    q.questionnaire_link_withdraw(
        questionnaire=questionnaire, by=worker, link_id=FamilyLink.objects.get().pk
    )
    assert list(q.questionnaires_to_send(user=worker.user)) == []


def test_managers_see_only_the_questionnaires_of_cases_allocated_to_them(client):
    questionnaire = QuestionnaireFactory()
    manager = StaffMemberFactory(team=questionnaire.case.team, team_manager=True)
    assert "Questionnaires to send" not in _home(client, manager)
    card = home_questionnaires.questionnaires_card(
        request=_request(questionnaire.case.allocated_worker),
        staff=questionnaire.case.allocated_worker,
        today=TODAY,
    )
    assert card is not None
    assert card.cases == [questionnaire.case]


# Query bounds.


@pytest.mark.parametrize("count", [3, 60])
def test_each_card_runs_one_query_however_many_rows(count, django_assert_num_queries):
    team = TeamFactory()
    worker = StaffMemberFactory(team=team)
    qa = StaffMemberFactory(team=team, qa=True)
    manager = StaffMemberFactory(team=team, team_manager=True)
    chair = IndependentChairFactory(team=team)
    recruitment = TeamFactory(
        service__organisation=team.organisation, service__kind="adoption_recruitment"
    )
    adoption_worker = StaffMemberFactory(team=recruitment)
    for _ in range(count):
        case = CaseFactory(team=team, allocated_worker=worker)
        _due_in(ComplaintFactory(case=case), 1)
        challenge = ChallengeFactory(case=case, raised_by=chair)
        challenge.stages.update(responder=manager)
        QuestionnaireFactory(
            case=AdopterCaseFactory(team=recruitment, allocated_worker=adoption_worker)
        )
    for card, staff in (
        (home_complaints.complaints_card, qa),
        (home_complaints.complaints_card, worker),
        (home_disputes.challenges_card, chair),
        (home_disputes.challenges_card, manager),
        (home_questionnaires.questionnaires_card, adoption_worker),
    ):
        # The staff member comes with the user, as on the home page (read once for all).
        staff = type(staff).objects.select_related("user").get(pk=staff.pk)
        request = _request(staff)
        with django_assert_num_queries(1):
            found = card(request=request, staff=staff, today=TODAY)
        assert found is not None
        counts = [v for k, v in found.context.items() if k.endswith("_count")]
        assert counts == [count]
        assert len(found.cases) == min(count, 5)


# The columns each card reads: a card's query reads only what its rows show, so a column a
# row shows that the query leaves out would cost a query per row shown. Each card is read
# on the home page with a few rows of one kind, then with more than it shows: the page's
# queries must not grow with the rows shown.


@pytest.fixture
def world():
    """A team, its worker, managers and chair, and QA, all of one organisation; a panel
    meeting that the team's worker presents to and a panel member sits on."""
    team = TeamFactory()
    organisation = team.organisation
    meeting = PanelMeetingFactory(organisation=organisation)
    member = PanelMemberFactory(organisation=organisation)
    meeting.members.set([member])
    return SimpleNamespace(
        team=team,
        organisation=organisation,
        worker=StaffMemberFactory(team=team),
        manager=StaffMemberFactory(team=team, team_manager=True),
        service_manager=StaffMemberFactory(team=team, service_manager=True),
        qa=StaffMemberFactory(team=team, qa=True),
        chair=IndependentChairFactory(team=team),
        meeting=meeting,
        member=member,
    )


def _case(world, kind: str, worker=None) -> Case:
    """A child's case, or an adopter household's (kind "adopter"), in the world's team."""
    if kind == "adopter":
        return AdopterCaseFactory(team=world.team, allocated_worker=worker)
    return CaseFactory(team=world.team, allocated_worker=worker)


def _about(world, kind: str, n: int) -> tuple[dict, str]:
    """What a piece of feedback or a complaint is about (a child's or an adopter's case,
    allocated or not, or a team or a service with no case), and how a complaint card
    names it."""
    team, service = world.team, world.team.service
    if kind == "team":
        return {"case": None, "team": team, "service": service}, team.name
    if kind == "service":
        return {"case": None, "team": None, "service": service}, "The service"
    case = _case(world, kind, worker=world.worker if n % 2 else None)
    name = case.adopter.household_name if case.adopter else case.child.full_name
    return {"case": case, "team": team, "service": service}, name


def _feedback_row(world, kind: str, n: int) -> list[str]:
    about, _ = _about(world, kind, n)
    feedback = FeedbackFactory(
        organisation=world.organisation,
        received_on=TODAY - datetime.timedelta(days=30 - n),
        # Every third a face only, with no words.
        said=f"Said {n} of {kind}" if n % 3 else "",
        rating=None if n % 3 else 2,
        sentiment=("negative", "mixed", "positive")[n % 3],
        **about,
    )
    case = about["case"]
    said = feedback.said or "(a face only, no words)"
    names = {"team": world.team.name, "service": world.team.service.name}
    return [feedback.get_absolute_url(), said, case.subject.reference if case else names[kind]]


def _complaint(world, kind: str, n: int) -> tuple[Complaint, str]:
    about, name = _about(world, kind, n)
    complaint = ComplaintFactory(
        organisation=world.organisation,
        reference=f"CMP-{kind.upper()}-{n:02d}",
        received_on=TODAY - datetime.timedelta(days=30 - n),
        **about,
    )
    return complaint, name


def _complaint_due_row(world, kind: str, n: int) -> list[str]:
    """A complaint whose stage is due within three working days or overdue."""
    complaint, name = _complaint(world, kind, n)
    _due_in(complaint, n % 6 - 2)
    return [complaint.get_absolute_url(), complaint.reference, name]


def _complaint_held_row(world, kind: str, n: int) -> list[str]:
    complaint, name = _complaint(world, kind, n)
    return [complaint.get_absolute_url(), complaint.reference, name]


def _challenge_row(world, kind: str, n: int) -> list[str]:
    """A challenge the world's chair raised (the older ones overdue), whose stage is with
    the team's manager."""
    case = _case(world, kind, worker=world.worker if n % 2 else None)
    challenge = ChallengeFactory(
        case=case, raised_by=world.chair, raised_on=TODAY - datetime.timedelta(days=n)
    )
    challenge.stages.update(responder=world.manager)
    name = case.adopter.household_name if case.adopter else case.child.full_name
    return [challenge.get_absolute_url(), name]


def _questionnaire_row(world, kind: str, n: int) -> list[str]:
    """A questionnaire of one of the worker's cases, waiting to be sent."""
    case = _case(world, kind, worker=world.worker)
    questionnaire = QuestionnaireFactory(
        case=case,
        kind=list(Questionnaire.Kind)[n % len(Questionnaire.Kind)],
        raised_on=TODAY - datetime.timedelta(days=30 - n),
    )
    name = case.adopter.household_name if case.adopter else case.child.full_name
    return [questionnaire.get_absolute_url(), questionnaire.get_kind_display(), name]


def _panel_feedback_row(world, kind: str, n: int) -> list[str]:
    """An item of each kind in turn that the worker presented, about a child's or an
    adopter household's case, its collated feedback sent to them."""
    item = PanelItemFactory(
        meeting=world.meeting,
        case=_case(world, "adopter" if n % 2 else "child"),
        kind=list(PanelItem.Kind)[n % len(PanelItem.Kind)],
        social_worker=world.worker,
        team_manager=world.manager,
        summary="Well presented.",
        sent_on=TODAY - datetime.timedelta(days=n),
    )
    return [item.get_absolute_url(), item.get_kind_display()]


# Each card: who reads it, the kinds of row it shows, a row of a kind (what the page shows
# of it, its link first), and the queries it adds once it has more rows than it shows.
CARDS = {
    "feedback": ("qa", ("child", "adopter", "team", "service"), _feedback_row, 1),
    "complaints-due": ("qa", ("child", "adopter", "team", "service"), _complaint_due_row, 0),
    "complaints-held": (
        "service_manager",
        ("child", "adopter", "team", "service"),
        _complaint_held_row,
        0,
    ),
    "challenges-raised": ("chair", ("child", "adopter"), _challenge_row, 0),
    "challenges-waiting": ("manager", ("child", "adopter"), _challenge_row, 0),
    "questionnaires": ("worker", ("child", "adopter"), _questionnaire_row, 0),
    "panel-feedback": ("worker", ("sent",), _panel_feedback_row, 0),
}


def _home_read(client) -> tuple[int, str]:
    """The home page's queries and its text."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries), page_text(response)


@pytest.mark.parametrize(
    ("card", "kind"),
    [(card, kind) for card, (_, kinds, _, _) in CARDS.items() for kind in kinds],
)
def test_a_cards_rows_cost_no_query_each(client, world, card, kind):
    """Three rows, all shown, then twelve, five shown: as many queries (the feedback card
    counts what it does not show in one more)."""
    reader, _, row, count_query = CARDS[card]
    client.force_login(getattr(world, reader).user)
    rows = [row(world, kind, n) for n in range(3)]
    few, body = _home_read(client)
    for shown in rows:
        assert all(text in body for text in shown), shown
    rows += [row(world, kind, n) for n in range(3, 12)]
    many, body = _home_read(client)
    assert sum(all(text in body for text in shown) for shown in rows) == 5
    assert many == few + count_query


def test_the_panel_members_card_counts_every_item_they_have_to_evaluate(client, world):
    """The card counts all the items a panel member has still to evaluate (not only the
    few a card lists), in as many queries for three as for twelve."""
    client.force_login(world.member.user)

    def items(count: int) -> None:
        for _ in range(count):
            PanelItemFactory(meeting=world.meeting, case=_case(world, "adopter"))

    items(3)
    few, body = _home_read(client)
    assert "3 panel items waiting for your evaluation" in body
    items(9)
    many, body = _home_read(client)
    assert "12 panel items waiting for your evaluation" in body
    assert many == few
