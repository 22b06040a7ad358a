"""The demo observations: a year of them for each manager, in every state, and a recent
practice week; each loaded once."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from observations import demo_week, events
from observations.demo import _load_organisation
from observations.models import (
    Observation,
    ObservationAction,
    PracticeEvent,
    PracticeEventAction,
    PracticeFinding,
    PracticeVisit,
)
from tests.factories import CaseFactory, StaffMemberFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    team = TeamFactory()
    manager = StaffMemberFactory(team=team, team_manager=True, user__username="team.manager")
    workers = [StaffMemberFactory(team=team) for _ in range(4)]
    for worker in workers:
        CaseFactory(team=team, allocated_worker=worker)
    StaffMemberFactory(team=None, service=None, organisation=team.organisation, qa=True)
    return team.organisation, manager


def test_a_year_of_observations_in_every_state_and_once_only(council):
    org, manager = council
    today = timezone.localdate()
    _load_organisation(org, today)
    observations = Observation.objects.filter(organisation=org)
    statuses = set(observations.values_list("status", flat=True))
    assert statuses == set(Observation.Status.values)
    assert observations.exclude(reflection="").exists()
    assert observations.exclude(family_view="").exists()
    assert observations.filter(observer=manager, practitioner__isnull=True).exists()
    assert all(o.history.exists() for o in observations)
    count, actions = observations.count(), ObservationAction.objects.count()
    _load_organisation(org, today)
    assert Observation.objects.filter(organisation=org).count() == count
    assert ObservationAction.objects.count() == actions


@pytest.fixture
def council_with_leaders(council):
    org, manager = council
    other_team = TeamFactory(service=manager.team.service, name="Another team")
    StaffMemberFactory(team=other_team)
    StaffMemberFactory(
        team=None, service=None, organisation=org, senior_leader=True, user__username="director"
    )
    leader = StaffMemberFactory(
        team=None,
        service=None,
        organisation=org,
        senior_leader=True,
        user__username="senior.leader",
    )
    StaffMemberFactory(
        team=None, service=manager.team.service, organisation=org, service_manager=True
    )
    return org, manager, leader


def test_a_recent_practice_week_with_visits_findings_observations_and_actions(
    council_with_leaders,
):
    org, manager, leader = council_with_leaders
    today = timezone.localdate()
    _load_organisation(org, today)
    demo_week.load_organisation(org, today)
    event = PracticeEvent.objects.get(organisation=org)
    summary = events.event_summary(event=event)
    assert event.kind == PracticeEvent.Kind.PRACTICE_WEEK
    assert event.ends_on < today - datetime.timedelta(days=28)
    # Every team of the council is visited, the demo senior leader among the leaders.
    assert {v.team_id for v in summary.visits} == set(events.covered_team_ids(event))
    assert manager.team_id in events.covered_team_ids(event)
    assert leader in summary.leaders
    assert any(v.leader == leader and v.notes for v in summary.visits)
    assert summary.working_well
    assert summary.worries
    assert len(summary.themes) > 2
    statuses = [o.status for o in summary.observations]
    assert Observation.Status.SUBMITTED in statuses
    assert Observation.Status.DRAFT in statuses
    assert {o.observer for o in summary.observations} <= set(summary.leaders)
    assert all(o.history.exists() for o in summary.observations)
    assert event.history.get().history_change_reason == "Demo data"
    assert all(f.history.exists() for f in summary.findings)
    assert {a.status for a in summary.actions} == {"open", "done"}
    assert manager in {a.owner for a in summary.actions}
    assert all(a.due_on > event.ends_on for a in summary.actions)


def test_the_practice_week_is_loaded_once(council_with_leaders):
    org, _, _ = council_with_leaders
    today = timezone.localdate()
    demo_week.load_organisation(org, today)

    def counts():
        return [
            model.objects.filter(organisation=org).count()
            for model in (
                PracticeEvent,
                PracticeVisit,
                PracticeFinding,
                PracticeEventAction,
                Observation,
            )
        ]

    before = counts()
    message = demo_week.load_organisation(org, today)
    assert "already loaded" in message
    assert counts() == before
