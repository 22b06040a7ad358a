"""The demo observations: a year of them for each manager, in every state, idempotent."""

from __future__ import annotations

import pytest
from django.utils import timezone

from observations.demo import _load_organisation
from observations.models import Observation, ObservationAction
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
