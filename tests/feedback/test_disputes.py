"""Dispute resolution: due dates in working days, the stages of a challenge, escalation
of overdue stages through the nightly job (once per key), who sees which challenges, the
figures' arithmetic, agreed actions on "My actions", and the pages' query bounds."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from cases.models import Notification, Service
from feedback import disputes, figures_disputes
from feedback.models import (
    Challenge,
    ChallengeStage,
    DisputeStage,
    DisputeStageTimescale,
    StageOutcome,
)
from rota.reminders import reminders_send, rules_by_organisation
from tests.factories import (
    CaseFactory,
    ChallengeFactory,
    IndependentChairFactory,
    OrganisationFactory,
    ServiceFactory,
    StaffMemberFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

# Thursday 17 April 2025: Good Friday (18th) and Easter Monday (21st) follow.
BEFORE_EASTER = datetime.date(2025, 4, 17)


def _on(day: datetime.date) -> time_machine.travel:
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC), tick=False
    )


@pytest.fixture
def world():
    """A looked-after team with its manager, the service's manager, a director, a chair
    and a child's case allocated to a practitioner."""
    service = ServiceFactory(kind=Service.Kind.LOOKED_AFTER, name="Children looked after")
    team = TeamFactory(service=service, organisation=service.organisation, name="LAC North")
    org = service.organisation
    manager = StaffMemberFactory(team=team, team_manager=True, user__username="tm")
    service_manager = StaffMemberFactory(
        team=None,
        service=service,
        organisation=org,
        service_manager=True,
        user__username="sm",
    )
    director = StaffMemberFactory(
        team=None,
        service=None,
        organisation=org,
        senior_leader=True,
        tier=4,
        user__username="director",
    )
    practitioner = StaffMemberFactory(team=team, user__username="sw")
    chair = IndependentChairFactory(team=None, service=None, organisation=org, user__username="iro")
    case = CaseFactory(team=team, allocated_worker=practitioner)
    return {
        "org": org,
        "team": team,
        "tm": manager,
        "sm": service_manager,
        "director": director,
        "sw": practitioner,
        "iro": chair,
        "case": case,
    }


def _raise(world, **kwargs):
    kwargs.setdefault("themes", ["care_plan"])
    kwargs.setdefault("description", "The plan has drifted.")
    return disputes.challenge_raise(by=world["iro"], case=world["case"], **kwargs)


# Due dates.


def test_a_stage_is_due_in_working_days_across_bank_holidays(world):
    with _on(BEFORE_EASTER):
        challenge = _raise(world)
    # Five working days after Thursday 17 April, skipping Good Friday, the weekend and
    # Easter Monday: 22, 23, 24, 25, 28 April.
    assert challenge.due_on == datetime.date(2025, 4, 28)
    assert challenge.stages.get().due_on == datetime.date(2025, 4, 28)


def test_the_organisations_timescale_sets_the_due_date(world):
    DisputeStageTimescale.objects.create(
        organisation=world["org"], stage=DisputeStage.INFORMAL, working_days=2
    )
    with _on(BEFORE_EASTER):
        challenge = _raise(world)
    assert challenge.due_on == datetime.date(2025, 4, 23)


def test_timescales_are_set_by_qa_only(world):
    qa = StaffMemberFactory(team=None, service=None, organisation=world["org"], qa=True)
    disputes.dispute_timescales_set(organisation=world["org"], by=qa, days={"stage_2": 15})
    assert disputes.timescales_for(organisation_id=world["org"].pk)["stage_2"] == 15
    with pytest.raises(disputes.ChallengeStateError):
        disputes.dispute_timescales_set(organisation=world["org"], by=world["tm"], days={})


# The stages.


def test_raising_puts_the_informal_stage_with_the_team_manager(world):
    challenge = _raise(world, themes=["care_plan", "delay"])
    stage = challenge.stages.get()
    assert stage.stage == DisputeStage.INFORMAL
    assert stage.responder == world["tm"]
    assert sorted(challenge.themes.values_list("theme", flat=True)) == ["care_plan", "delay"]
    assert Notification.objects.filter(recipient=world["tm"]).count() == 1


def test_only_an_independent_chair_raises_a_challenge(world):
    with pytest.raises(disputes.ChallengeStateError):
        disputes.challenge_raise(
            by=world["tm"], case=world["case"], themes=["care_plan"], description="x"
        )


def test_a_chair_cannot_raise_one_on_a_case_of_another_organisation(world):
    other = CaseFactory()
    with pytest.raises(disputes.ChallengeStateError):
        disputes.challenge_raise(by=world["iro"], case=other, themes=["care_plan"], description="x")
    assert not Challenge.objects.exists()


def test_a_theme_is_required(world):
    with pytest.raises(disputes.ChallengeStateError):
        _raise(world, themes=[])
    assert not Challenge.objects.exists()


def test_escalating_climbs_a_stage_to_the_next_person(world):
    with _on(BEFORE_EASTER):
        challenge = _raise(world)
    with _on(datetime.date(2025, 4, 29)):
        stage = disputes.challenge_escalate(challenge=challenge, by=world["iro"], reason="No reply")
        stage = disputes.challenge_escalate(challenge=challenge, by=world["iro"], reason="Still")
    challenge.refresh_from_db()
    assert stage.stage == DisputeStage.STAGE_2
    assert stage.responder == world["sm"]
    assert challenge.stage == DisputeStage.STAGE_2
    # Ten working days from Tuesday 29 April, skipping the early May bank holiday (5 May).
    assert challenge.due_on == datetime.date(2025, 5, 14)
    outcomes = list(challenge.stages.order_by("pk").values_list("stage", "outcome"))
    assert outcomes == [
        ("informal", "escalated"),
        ("stage_1", "escalated"),
        ("stage_2", ""),
    ]


def test_stage_three_is_with_the_director_and_goes_no_further(world):
    challenge = _raise(world, stage=DisputeStage.STAGE_3)
    assert challenge.stages.get().responder == world["director"]
    with pytest.raises(disputes.ChallengeStateError):
        disputes.challenge_escalate(challenge=challenge, by=world["iro"], reason="More")


def test_only_the_chair_escalates(world):
    challenge = _raise(world)
    with pytest.raises(disputes.ChallengeStateError):
        disputes.challenge_escalate(challenge=challenge, by=world["tm"], reason="No")


@_on(BEFORE_EASTER)
def test_the_team_manager_responds_and_agrees_an_action(world):
    challenge = _raise(world)
    due = BEFORE_EASTER + datetime.timedelta(days=10)
    stage = disputes.challenge_respond(
        challenge=challenge,
        by=world["tm"],
        response="Agreed.",
        action_description="Update the plan",
        action_owner=world["sw"],
        action_due_on=due,
    )
    assert stage.response == "Agreed."
    assert stage.responded_by == world["tm"]
    items = disputes.challenge_action_items(user=world["sw"].user)
    assert [(i.title, i.due_on) for i in items] == [("Update the plan", due)]
    assert items[0].cases == [world["case"]]


def test_the_chair_cannot_answer_their_own_challenge(world):
    challenge = _raise(world)
    with pytest.raises(disputes.ChallengeStateError):
        disputes.challenge_respond(challenge=challenge, by=world["iro"], response="Fine")


def test_resolving_closes_the_challenge_at_its_stage(world):
    with _on(BEFORE_EASTER):
        challenge = _raise(world)
    with _on(datetime.date(2025, 4, 25)):
        disputes.challenge_resolve(challenge=challenge, by=world["iro"])
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.RESOLVED
    assert challenge.closed_on == datetime.date(2025, 4, 25)
    assert challenge.resolved_in_time
    with pytest.raises(disputes.ChallengeStateError):
        disputes.challenge_respond(challenge=challenge, by=world["tm"], response="Late")


def test_a_withdrawn_challenge_is_not_resolved(world):
    challenge = _raise(world)
    disputes.challenge_resolve(challenge=challenge, by=world["iro"], outcome=StageOutcome.WITHDRAWN)
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.WITHDRAWN
    assert not challenge.resolved_in_time


# Reminders and escalations.


def _send(day):
    return reminders_send(day=day, sources=disputes.REMINDER_SOURCES)


def _told():
    return list(
        Notification.objects.filter(key__startswith="challenge-stage:")
        .exclude(key__contains=":opened")
        .order_by("pk")
        .values_list("recipient__user__username", "kind", "key")
    )


def test_an_overdue_stage_reminds_its_person_daily_then_escalates_once(world):
    with _on(BEFORE_EASTER):
        challenge = _raise(world)
    stage = challenge.stages.get()
    rules = rules_by_organisation()[world["org"].pk]
    late = stage.due_on + datetime.timedelta(days=rules.escalation_days + 1)
    assert _send(late) == {"reminders": 1, "escalations": 1}
    # Again the same night: nothing new. The next night: one more reminder, no escalation.
    assert _send(late) == {"reminders": 0, "escalations": 0}
    assert _send(late + datetime.timedelta(days=1)) == {"reminders": 1, "escalations": 0}
    assert _told() == [
        ("tm", Notification.Kind.REMINDER, f"challenge-stage:{stage.pk}:reminder:{late}"),
        ("sm", Notification.Kind.ESCALATION, f"challenge-stage:{stage.pk}:escalation"),
        (
            "tm",
            Notification.Kind.REMINDER,
            f"challenge-stage:{stage.pk}:reminder:{late + datetime.timedelta(days=1)}",
        ),
    ]
    escalation = Notification.objects.get(kind=Notification.Kind.ESCALATION)
    assert world["case"].child.family_name not in escalation.subject


def test_nothing_is_sent_before_a_stage_is_nearly_due(world):
    with _on(BEFORE_EASTER):
        challenge = _raise(world)
    rules = rules_by_organisation()[world["org"].pk]
    early = challenge.due_on - datetime.timedelta(days=rules.reminder_days + 1)
    assert _send(early) == {"reminders": 0, "escalations": 0}


def test_a_closed_stage_earns_no_reminders(world):
    with _on(BEFORE_EASTER):
        challenge = _raise(world)
        disputes.challenge_resolve(challenge=challenge, by=world["iro"])
    assert _send(challenge.due_on + datetime.timedelta(days=30)) == {
        "reminders": 0,
        "escalations": 0,
    }


# Scoping.


def _visible(person):
    return set(Challenge.objects.visible_to(person.user).values_list("pk", flat=True))


def test_who_sees_a_challenge(world):
    challenge = _raise(world)
    org = world["org"]
    qa = StaffMemberFactory(team=None, service=None, organisation=org, qa=True)
    support = StaffMemberFactory(team=None, service=None, organisation=org, business_support=True)
    other_team = TeamFactory(service=world["team"].service, organisation=org)
    other_manager = StaffMemberFactory(team=other_team, team_manager=True)
    colleague = StaffMemberFactory(team=world["team"])
    other_chair = IndependentChairFactory(team=None, service=None, organisation=org)
    elsewhere_qa = StaffMemberFactory(
        team=None, service=None, organisation=OrganisationFactory(), qa=True
    )
    for person in (world["iro"], world["sw"], world["tm"], world["sm"], qa, world["director"]):
        assert _visible(person) == {challenge.pk}, person.user.username
    for person in (support, other_manager, colleague, other_chair, elsewhere_qa):
        assert _visible(person) == set(), person.user.username


def test_the_person_a_stage_is_with_sees_it_even_from_another_team(world):
    challenge = _raise(world)
    stranger = StaffMemberFactory(team=TeamFactory(organisation=world["org"]), team_manager=True)
    ChallengeStage.objects.filter(challenge=challenge).update(responder=stranger)
    assert _visible(stranger) == {challenge.pk}


def test_a_challenge_is_listed_once_whatever_its_stages(world):
    challenge = _raise(world)
    disputes.challenge_escalate(challenge=challenge, by=world["iro"], reason="No")
    assert Challenge.objects.visible_to(world["iro"].user).count() == 1


# Figures.


@_on(datetime.date(2026, 3, 15))
def test_the_figures_add_up(world):
    org = world["org"]
    qa = StaffMemberFactory(team=None, service=None, organisation=org, qa=True)
    cp = ServiceFactory(organisation=org, kind=Service.Kind.CHILD_PROTECTION, name="CP")
    cp_case = CaseFactory(team=TeamFactory(service=cp, organisation=org))

    def raised(on, case=None, themes=("care_plan",)):
        with _on(on):
            return disputes.challenge_raise(
                by=world["iro"], case=case or world["case"], themes=themes, description="x"
            )

    a = raised(datetime.date(2026, 3, 2), themes=("care_plan", "delay"))
    b = raised(datetime.date(2026, 3, 3), case=cp_case, themes=("delay",))
    c = raised(datetime.date(2026, 1, 5))
    raised(datetime.date(2025, 1, 5))  # before the twelve months shown
    with _on(datetime.date(2026, 3, 4)):
        disputes.challenge_resolve(challenge=a, by=world["iro"])  # in time
    with _on(datetime.date(2026, 1, 20)):
        disputes.challenge_resolve(challenge=c, by=world["iro"])  # late (due 12 January)
    with _on(datetime.date(2026, 3, 4)):
        disputes.challenge_escalate(challenge=b, by=world["iro"], reason="No")

    figures = figures_disputes.dispute_figures(user=qa.user, today=datetime.date(2026, 3, 15))
    services = {row.label: row for row in figures.by_service.rows}
    assert services["Children looked after"].total == 2
    assert services["CP"].total == 1
    assert dict((m.key, n) for m, n in figures.by_service.totals)["2026-03"] == 2
    assert figures.by_service.total == 3
    themes = {row.key: row.total for row in figures.by_theme.rows}
    assert themes["care_plan"] == 2
    assert themes["delay"] == 2
    assert themes["health"] == 0
    stages = {row.stage: row for row in figures.by_stage.rows}
    informal = stages[DisputeStage.INFORMAL]
    assert (informal.reached, informal.resolved, informal.resolved_in_time) == (4, 2, 1)
    assert informal.escalated == 1
    assert informal.in_time_percent == 50
    assert informal.open == 1  # the one from 2025, still informal and overdue
    assert informal.overdue == 1
    assert stages[DisputeStage.STAGE_1].reached == 1
    assert stages[DisputeStage.STAGE_1].open == 1
    assert figures.by_stage.in_time_percent == 50


def test_the_list_filters_match_the_figures(world):
    org = world["org"]
    qa = StaffMemberFactory(team=None, service=None, organisation=org, qa=True)
    with _on(datetime.date(2026, 3, 2)):
        a = _raise(world)
        disputes.challenge_resolve(challenge=a, by=world["iro"])
        b = _raise(world, themes=["health"])
    filters = disputes.ChallengeFilters(stage="informal", in_time=True)
    assert list(disputes.challenge_list(user=qa.user, filters=filters)) == [a]
    filters = disputes.ChallengeFilters(theme="health", month=datetime.date(2026, 3, 1))
    assert list(disputes.challenge_list(user=qa.user, filters=filters)) == [b]
    overdue = disputes.ChallengeFilters(overdue=True)
    assert list(
        disputes.challenge_list(user=qa.user, filters=overdue, today=datetime.date(2026, 4, 1))
    ) == [b]


# Pages.


def test_the_list_reads_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for _ in range(30):
        ChallengeFactory(case=world["case"], raised_by=world["iro"])
    client.force_login(world["iro"].user)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("feedback:challenge_list"))
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 30


def test_the_figures_page_reads_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for _ in range(30):
        ChallengeFactory(case=world["case"], raised_by=world["iro"])
    client.force_login(world["tm"].user)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("feedback:dispute_figures"))
    assert response.status_code == 200


def test_a_chair_raises_from_the_childs_case_page(client, world):
    client.force_login(world["iro"].user)
    url = reverse("feedback:challenge_new", kwargs={"challenge_case_pk": world["case"].pk})
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"themes": ["placement"], "stage": "informal", "description": "Move planned"}
    )
    challenge = Challenge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == challenge.get_absolute_url()


def test_the_raise_form_says_what_is_missing(client, world):
    client.force_login(world["iro"].user)
    url = reverse("feedback:challenge_new", kwargs={"challenge_case_pk": world["case"].pk})
    response = client.post(url, {"stage": "informal"})
    assert response.status_code == 400
    assert "Select what the challenge is about" in response.content.decode()
    assert not Challenge.objects.exists()


def test_the_manager_responds_through_the_page(client, world):
    challenge = _raise(world)
    client.force_login(world["tm"].user)
    url = reverse("feedback:challenge_respond", kwargs={"challenge_pk": challenge.pk})
    response = client.post(url, {"response": "We will update the plan."})
    assert response.status_code == 302
    assert challenge.stages.get().response == "We will update the plan."


def test_the_record_panel_offers_a_chair_to_raise_one(client, world):
    client.force_login(world["iro"].user)
    response = client.get(
        reverse("cases:child_detail", kwargs={"child_pk": world["case"].child_id})
    )
    assert response.status_code == 200
    assert reverse("feedback:challenge_new", kwargs={"challenge_case_pk": world["case"].pk}) in (
        response.content.decode()
    )
