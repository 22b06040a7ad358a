"""The demo panel evaluations: a year of monthly meetings for the adoption agency, from its
adopters' panel events, with forms, collated copies sent for the months gone by; loaded
once."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from cases.models import JourneyEvent, Organisation, Service
from cases.roles import Role
from feedback.demo_evaluations import _load_organisation
from feedback.models import PanelEvaluation, PanelItem, PanelMeeting
from tests.factories import (
    AdopterFactory,
    CaseFactory,
    JourneyEventFactory,
    OrganisationFactory,
    PanelMemberFactory,
    ServiceFactory,
    StaffMemberFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 18)


@pytest.fixture
def agency():
    org = OrganisationFactory(kind=Organisation.Kind.ADOPTION_AGENCY, slug="adopt-demo")
    service = ServiceFactory(organisation=org, kind=Service.Kind.ADOPTION_RECRUITMENT)
    team = TeamFactory(service=service)
    StaffMemberFactory(team=team, team_manager=True)
    worker = StaffMemberFactory(team=team)
    PanelMemberFactory(organisation=org)
    for month in range(12):
        case = CaseFactory(
            team=team,
            child=None,
            adopter=AdopterFactory(organisation=org),
            allocated_worker=worker,
            journey_stage="approved",
            opened_on=datetime.date(2025, 1, 1),
        )
        day = datetime.date(2025 + (month + 11) // 12, (month + 11) % 12 + 1, 12)
        JourneyEventFactory(
            case=case,
            kind=JourneyEvent.Kind.PANEL,
            occurred_on=day,
            outcome="Match recommended" if month % 3 == 0 else "Recommended for approval",
        )
    return org


@time_machine.travel(datetime.datetime(2026, 11, 18, 12, tzinfo=datetime.UTC))
def test_a_year_of_monthly_meetings_with_forms_and_copies_sent_once_only(agency):
    _load_organisation(agency, TODAY)
    meetings = PanelMeeting.objects.filter(organisation=agency)
    assert meetings.count() == 12
    assert all(m.members.count() == 2 for m in meetings)
    panel = agency.staff.filter(role=Role.PANEL_MEMBER)
    assert panel.count() == 3
    items = PanelItem.objects.filter(organisation=agency)
    assert items.count() == 12
    assert set(items.values_list("kind", flat=True)) == {"approval", "match"}
    assert PanelEvaluation.objects.filter(organisation=agency).count() == 11 * 3 + 2
    this_month = items.filter(meeting__held_on__gte=datetime.date(2026, 11, 1))
    assert not this_month.filter(sent_on__isnull=False).exists()
    assert items.filter(sent_on__isnull=False).count() == 11
    counts = (meetings.count(), items.count(), PanelEvaluation.objects.count(), panel.count())
    _load_organisation(agency, TODAY)
    assert counts == (
        meetings.count(),
        items.count(),
        PanelEvaluation.objects.count(),
        panel.count(),
    )
