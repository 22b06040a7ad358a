"""Questionnaires raised by journey events (feedback/questionnaires.py): which event
raises which, once per event whether the signal or the nightly sweep raises it, who is
told, who sees them, and how the answers come back."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import Case, FamilyLink, JourneyEvent, Notification, Service
from feedback import questionnaires as q
from feedback.models import Questionnaire, QuestionnaireAnswer
from tests.factories import (
    AdopterCaseFactory,
    CaseFactory,
    JourneyEventFactory,
    QuestionnaireFactory,
    StaffMemberFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 18)
EXIT_SCORES = {
    "information": 4,
    "preparation": 5,
    "assessment": 4,
    "panel": 3,
    "matching": 4,
    "introductions": 2,
    "support": 3,
    "overall": 4,
}


@pytest.fixture(autouse=True)
def frozen():
    moment = datetime.datetime(2026, 11, 18, 10, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        yield


def _event(case: Case, kind: str, days_ago: int = 2) -> JourneyEvent:
    day = TODAY - datetime.timedelta(days=days_ago)
    return JourneyEventFactory(
        case=case, kind=kind, occurred_on=day, recorded_on=day, seen=None, seen_alone=None
    )


def _bulk_event(case: Case, kind: str, days_ago: int = 2) -> JourneyEvent:
    """Written as the import writes events: in bulk, no signals."""
    day = TODAY - datetime.timedelta(days=days_ago)
    return JourneyEvent.objects.bulk_create(
        [
            JourneyEvent(
                organisation=case.organisation,
                case=case,
                kind=kind,
                occurred_on=day,
                recorded_on=day,
            )
        ]
    )[0]


def _support_case() -> Case:
    team = TeamFactory(service__kind=Service.Kind.ADOPTION_SUPPORT)
    worker = StaffMemberFactory(team=team)
    return AdopterCaseFactory(team=team, allocated_worker=worker)


# Raising.


@pytest.mark.parametrize(
    ("event_kind", "kind"),
    [
        (JourneyEvent.Kind.PANEL, Questionnaire.Kind.AFTER_PANEL),
        (JourneyEvent.Kind.ADOPTION_ORDER, Questionnaire.Kind.EXIT),
        (JourneyEvent.Kind.STAGE_ONE_COMPLETED, Questionnaire.Kind.PREPARATION),
    ],
)
def test_an_event_on_an_adopters_case_raises_its_questionnaire(event_kind, kind):
    case = AdopterCaseFactory()
    event = _event(case, event_kind)
    questionnaire = Questionnaire.objects.get()
    assert questionnaire.kind == kind
    assert questionnaire.event == event
    assert questionnaire.case == case
    assert questionnaire.organisation_id == case.organisation_id
    assert questionnaire.status == Questionnaire.Status.WAITING
    assert questionnaire.raised_on == TODAY


def test_closing_an_adoption_support_case_raises_the_support_questionnaire():
    case = _support_case()
    _event(case, JourneyEvent.Kind.CASE_CLOSED)
    assert Questionnaire.objects.get().kind == Questionnaire.Kind.ADOPTION_SUPPORT


@pytest.mark.parametrize(
    "make",
    [
        # A case closed in any other service, a child's panel or adoption order, a visit.
        lambda: _event(AdopterCaseFactory(), JourneyEvent.Kind.CASE_CLOSED),
        lambda: _event(CaseFactory(), JourneyEvent.Kind.PANEL),
        lambda: _event(CaseFactory(), JourneyEvent.Kind.ADOPTION_ORDER),
        lambda: _event(AdopterCaseFactory(), JourneyEvent.Kind.VISIT),
        lambda: _event(AdopterCaseFactory(), JourneyEvent.Kind.APPROVAL),
    ],
)
def test_other_events_raise_nothing(make):
    make()
    assert not Questionnaire.objects.exists()


def test_an_event_saved_twice_raises_one_questionnaire():
    event = _event(AdopterCaseFactory(), JourneyEvent.Kind.ADOPTION_ORDER)
    event.outcome = "Order granted at Thornvale Family Court"
    event.save()
    assert Questionnaire.objects.count() == 1
    assert q.questionnaire_raise_for(event=event) == Questionnaire.objects.get()


def test_raising_tells_the_allocated_worker_once():
    case = AdopterCaseFactory()
    event = _event(case, JourneyEvent.Kind.ADOPTION_ORDER)
    event.save()
    q.questionnaires_raise(organisation_id=case.organisation_id, day=TODAY)
    note = Notification.objects.get()
    assert note.recipient == case.allocated_worker
    assert "waiting to be sent" in note.subject
    assert case.adopter.reference in note.subject
    assert note.url == Questionnaire.objects.get().get_absolute_url()


def test_an_unallocated_case_raises_it_and_tells_nobody():
    case = AdopterCaseFactory(allocated_worker=None)
    _event(case, JourneyEvent.Kind.PANEL)
    assert Questionnaire.objects.count() == 1
    assert not Notification.objects.exists()


def test_the_nightly_sweep_raises_what_bulk_writes_did_not_once():
    case = AdopterCaseFactory()
    support = _support_case()
    order = _bulk_event(case, JourneyEvent.Kind.ADOPTION_ORDER, days_ago=10)
    _bulk_event(case, JourneyEvent.Kind.PANEL, days_ago=89)
    _bulk_event(support, JourneyEvent.Kind.CASE_CLOSED, days_ago=1)
    # Too long ago, a child's panel, a visit, and one not yet happened: nothing.
    _bulk_event(case, JourneyEvent.Kind.STAGE_ONE_COMPLETED, days_ago=91)
    _bulk_event(CaseFactory(organisation=case.organisation), JourneyEvent.Kind.PANEL)
    _bulk_event(case, JourneyEvent.Kind.VISIT)
    assert not Questionnaire.objects.exists()

    first = q.questionnaires_raise(organisation_id=case.organisation_id, day=TODAY)
    q.questionnaires_raise(organisation_id=support.organisation_id, day=TODAY)
    second = q.questionnaires_raise(organisation_id=case.organisation_id, day=TODAY)

    assert first == {"raised": 2}
    assert second == {"raised": 0}
    kinds = sorted(Questionnaire.objects.values_list("kind", flat=True))
    assert kinds == ["adoption_support", "after_panel", "exit"]
    # Raised the day the event was recorded, within the sweep's window.
    assert Questionnaire.objects.get(event=order).raised_on == order.recorded_on
    assert Notification.objects.count() == 3


def test_the_nightly_sweep_leaves_other_organisations_alone():
    case = AdopterCaseFactory()
    _bulk_event(case, JourneyEvent.Kind.ADOPTION_ORDER)
    other = AdopterCaseFactory()
    assert q.questionnaires_raise(organisation_id=other.organisation_id, day=TODAY) == {"raised": 0}
    assert not Questionnaire.objects.exists()


def test_the_command_runs_the_sweep_for_a_given_day_everywhere():
    case = AdopterCaseFactory()
    _bulk_event(case, JourneyEvent.Kind.ADOPTION_ORDER, days_ago=100)
    out = StringIO()
    # On the day, 100 days back is outside the window; run as if 20 days after the event.
    call_command("questionnaires_raise", "--date", str(TODAY), stdout=out)
    assert not Questionnaire.objects.exists()
    call_command(
        "questionnaires_raise", "--date", str(TODAY - datetime.timedelta(days=80)), stdout=out
    )
    assert Questionnaire.objects.count() == 1
    assert "'raised': 1" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("questionnaires_raise", "--date", "18/11/2026", stdout=out)


def test_the_nightly_task_runs_the_sweep():
    from feedback.tasks import questionnaires_raise_task

    _bulk_event(AdopterCaseFactory(), JourneyEvent.Kind.PANEL)
    result = questionnaires_raise_task.delay(str(TODAY)).get()
    assert result["raised"] == 1


# Answering.


def _staff_of(questionnaire: Questionnaire):
    return questionnaire.case.allocated_worker


def test_the_paper_copys_answers_are_stored_and_its_links_stop_working():
    questionnaire = QuestionnaireFactory()
    worker = _staff_of(questionnaire)
    made = q.questionnaire_link_make(questionnaire=questionnaire, by=worker, days=14)
    q.questionnaire_answer_paper(
        questionnaire=questionnaire,
        by=worker,
        scores=EXIT_SCORES,
        comments="  Introductions felt rushed.  ",
        answered_on=TODAY - datetime.timedelta(days=1),
    )
    questionnaire.refresh_from_db()
    assert questionnaire.status == Questionnaire.Status.ANSWERED
    assert questionnaire.channel == Questionnaire.Channel.PAPER
    assert questionnaire.entered_by == worker
    assert questionnaire.comments == "Introductions felt rushed."
    assert dict(questionnaire.answers.values_list("question", "score")) == EXIT_SCORES
    made.link.refresh_from_db()
    assert made.link.status == "Withdrawn"


def test_a_questionnaire_is_answered_once():
    questionnaire = QuestionnaireFactory()
    worker = _staff_of(questionnaire)
    q.questionnaire_answer_paper(
        questionnaire=questionnaire, by=worker, scores=EXIT_SCORES, comments="", answered_on=TODAY
    )
    with pytest.raises(q.QuestionnaireStateError, match="answered"):
        q.questionnaire_answer_paper(
            questionnaire=questionnaire,
            by=worker,
            scores=EXIT_SCORES,
            comments="",
            answered_on=TODAY,
        )
    with pytest.raises(q.QuestionnaireStateError, match="answered"):
        q.questionnaire_link_make(questionnaire=questionnaire, by=worker, days=14)
    assert QuestionnaireAnswer.objects.count() == len(EXIT_SCORES)


@pytest.mark.parametrize(
    "scores",
    [
        {**EXIT_SCORES, "overall": 6},
        {k: v for k, v in EXIT_SCORES.items() if k != "panel"},
        {**EXIT_SCORES, "made_up": 3},
    ],
)
def test_answers_off_the_scale_or_missing_are_refused(scores):
    questionnaire = QuestionnaireFactory()
    with pytest.raises(q.QuestionnaireStateError):
        q.questionnaire_answer_paper(
            questionnaire=questionnaire,
            by=_staff_of(questionnaire),
            scores=scores,
            comments="",
            answered_on=TODAY,
        )
    questionnaire.refresh_from_db()
    assert questionnaire.is_waiting
    assert not QuestionnaireAnswer.objects.exists()


def test_closing_without_an_answer_withdraws_the_links():
    questionnaire = QuestionnaireFactory()
    worker = _staff_of(questionnaire)
    made = q.questionnaire_link_make(questionnaire=questionnaire, by=worker, days=5)
    q.questionnaire_close(questionnaire=questionnaire, by=worker)
    questionnaire.refresh_from_db()
    assert questionnaire.status == Questionnaire.Status.CLOSED
    assert questionnaire.closed_on == TODAY
    assert FamilyLink.objects.get(pk=made.link.pk).status == "Withdrawn"


def test_a_link_is_made_for_an_adult_on_the_case_and_withdrawn_only_by_its_questionnaire():
    questionnaire = QuestionnaireFactory()
    other = QuestionnaireFactory(case=questionnaire.case)
    worker = _staff_of(questionnaire)
    made = q.questionnaire_link_make(
        questionnaire=questionnaire, by=worker, days=10, recipient="Sarah and James"
    )
    link = made.link
    assert link.audience == FamilyLink.Audience.ADULT
    assert (link.purpose, link.target_id, link.case_id) == (
        "questionnaire",
        questionnaire.pk,
        questionnaire.case_id,
    )
    with pytest.raises(q.QuestionnaireStateError, match="not one of"):
        q.questionnaire_link_withdraw(questionnaire=other, by=worker, link_id=link.pk)
    q.questionnaire_link_withdraw(questionnaire=questionnaire, by=worker, link_id=link.pk)
    link.refresh_from_db()
    assert link.status == "Withdrawn"


@pytest.mark.parametrize("days", [0, 61])
def test_a_link_works_for_one_to_sixty_days(days):
    questionnaire = QuestionnaireFactory()
    with pytest.raises(q.QuestionnaireStateError, match="1 to 60"):
        q.questionnaire_link_make(
            questionnaire=questionnaire, by=_staff_of(questionnaire), days=days
        )


def test_staff_who_cannot_see_the_case_cannot_send_it():
    questionnaire = QuestionnaireFactory()
    stranger = StaffMemberFactory(organisation=questionnaire.organisation)
    with pytest.raises(q.QuestionnaireStateError):
        q.questionnaire_link_make(questionnaire=questionnaire, by=stranger, days=14)
    with pytest.raises(q.QuestionnaireStateError):
        q.questionnaire_close(questionnaire=questionnaire, by=stranger)
    assert not FamilyLink.objects.exists()


# Scoping: as the case.


def test_whoever_sees_the_case_sees_its_questionnaires_and_nobody_else(scenario):
    questionnaire = scenario.questionnaire
    for key in scenario.adopter_insiders:
        user = scenario.people[key].user
        assert list(q.questionnaire_records(user=user)) == [questionnaire], key
        assert QuestionnaireAnswer.objects.visible_to(user).count() == 0
    for key in scenario.adopter_outsiders:
        user = scenario.people[key].user
        assert not q.questionnaire_records(user=user).exists(), key


def test_answers_are_seen_with_their_questionnaire(scenario):
    questionnaire = scenario.questionnaire
    q.questionnaire_answer_paper(
        questionnaire=questionnaire,
        by=scenario.people["adoption_worker"],
        scores=EXIT_SCORES,
        comments="",
        answered_on=TODAY,
    )
    seen = QuestionnaireAnswer.objects.visible_to(scenario.people["adoption_worker"].user)
    assert seen.count() == len(EXIT_SCORES)
    assert not QuestionnaireAnswer.objects.visible_to(scenario.people["practitioner"].user).exists()
    assert not QuestionnaireAnswer.objects.visible_to(scenario.people["other_org_qa"].user).exists()


def test_the_record_panel_lists_the_cases_questionnaires(scenario, rf):
    from feedback.panels_questionnaires import record_questionnaires_panel

    questionnaire = scenario.questionnaire
    request = rf.get("/")
    request.user = scenario.people["adoption_worker"].user
    template, context = record_questionnaires_panel(
        request, scenario.adopter, [scenario.adopter_case]
    )
    assert context["record_questionnaires"] == [questionnaire]
    request.user = scenario.people["cp_practitioner"].user
    assert record_questionnaires_panel(request, scenario.adopter, [scenario.adopter_case]) is None


# Demo data.


def test_the_demo_raises_a_year_of_questionnaires_once():
    from cases.demo import names
    from cases.models import Organisation
    from feedback import demo_questionnaires
    from tests.factories import OrganisationFactory, RegionFactory

    agency = OrganisationFactory(
        region=RegionFactory(slug=names.REGION_SLUG),
        kind=Organisation.Kind.ADOPTION_AGENCY,
    )
    team = TeamFactory(
        service__organisation=agency, service__kind=Service.Kind.ADOPTION_RECRUITMENT
    )
    for n in range(12):
        case = AdopterCaseFactory(team=team, allocated_worker=None)
        _bulk_event(case, JourneyEvent.Kind.PANEL, days_ago=30 * n + 3)
        _bulk_event(case, JourneyEvent.Kind.ADOPTION_ORDER, days_ago=30 * n + 5)
    _bulk_event(case, JourneyEvent.Kind.STAGE_ONE_COMPLETED, days_ago=400)
    out = StringIO()
    demo_questionnaires.load(stdout=out, size="small")
    assert Questionnaire.objects.count() == 24
    answered = Questionnaire.objects.filter(status=Questionnaire.Status.ANSWERED)
    assert answered.exists()
    assert Questionnaire.objects.filter(status="waiting").exists()
    assert all(a.answered_on <= TODAY for a in answered)
    assert QuestionnaireAnswer.objects.count() == sum(len(a.questions) for a in answered)
    # Past questionnaires tell nobody; a second load changes nothing.
    assert not Notification.objects.exists()
    demo_questionnaires.load(stdout=out, size="small")
    assert Questionnaire.objects.count() == 24
    assert "already loaded" in out.getvalue()
