"""The demo complaints and compliments: a year of them, in every state, loaded once."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from feedback.demo_complaints import _load_organisation
from feedback.models.complaints import Complaint, ComplaintAction, ComplaintStage, Compliment
from tests.factories import CaseFactory, StaffMemberFactory, TeamFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 1, 6)


@pytest.fixture
def council():
    team = TeamFactory()
    StaffMemberFactory(team=team, team_manager=True)
    for _ in range(4):
        CaseFactory(team=team, allocated_worker=StaffMemberFactory(team=team))
    StaffMemberFactory(team=None, service=None, organisation=team.organisation, qa=True)
    return team.organisation


@time_machine.travel(datetime.datetime(2027, 1, 6, 12, tzinfo=datetime.UTC), tick=False)
def test_a_year_of_complaints_and_compliments_loaded_once(council):
    _load_organisation(council, TODAY)
    complaints = Complaint.objects.filter(organisation=council)
    assert complaints.count() == 24
    received = sorted(complaints.values_list("received_on", flat=True))
    assert received[0] >= TODAY - datetime.timedelta(days=365)
    assert received[-1] <= TODAY
    assert set(complaints.values_list("status", flat=True)) == set(Complaint.Status.values)
    stages = ComplaintStage.objects.filter(organisation=council)
    assert stages.filter(stage=2).exists()
    assert stages.filter(extended_due_on__isnull=False).exists()
    assert not stages.filter(responded_on__gt=TODAY).exists()
    assert ComplaintAction.objects.filter(organisation=council).exists()
    assert Compliment.objects.filter(organisation=council).count() == 36
    _load_organisation(council, TODAY)
    assert Complaint.objects.filter(organisation=council).count() == 24
    assert Compliment.objects.filter(organisation=council).count() == 36
