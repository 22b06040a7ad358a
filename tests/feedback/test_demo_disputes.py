"""The demo challenges (feedback/demo_disputes.py): whatever the day they are loaded on,
each council has an open challenge that its QA service may escalate and close and that
the person its stage is with may answer, so the demo's pages for these have one to show.
"""

from __future__ import annotations

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases.demo import names
from cases.models import Service
from feedback import demo_disputes
from feedback.models import Challenge
from feedback.rules import may
from tests.factories import (
    CaseFactory,
    IndependentChairFactory,
    OrganisationFactory,
    RegionFactory,
    ServiceFactory,
    StaffMemberFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

# The first of each month of a year (before that month's challenges are raised, every
# one of the month before may have ended), the dated passes' days (scripts/test.sh), and
# the day the access walk over the demo first went wrong on.
DAYS = [datetime.date(2027, month, 1) for month in range(1, 13)] + [
    datetime.date(2026, 12, 31),
    datetime.date(2028, 2, 29),
    datetime.date(2026, 12, 6),
]


@pytest.fixture
def council():
    """A council of the demo region: a looked-after team with its manager and two
    children's cases, a chair and the QA service."""
    organisation = OrganisationFactory(region=RegionFactory(slug=names.REGION_SLUG))
    service = ServiceFactory(organisation=organisation, kind=Service.Kind.LOOKED_AFTER)
    team = TeamFactory(service=service, organisation=organisation)
    StaffMemberFactory(team=team, team_manager=True)
    IndependentChairFactory(team=None, service=None, organisation=organisation)
    CaseFactory.create_batch(2, team=team)
    return StaffMemberFactory(team=None, service=None, organisation=organisation, qa=True)


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_the_demo_has_an_open_challenge_to_answer_escalate_and_close_on_any_day(council, day):
    moment = datetime.datetime.combine(day, datetime.time(10), tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(moment, tick=False):
        demo_disputes.load(stdout=StringIO(), size="small")

        actionable = []
        for challenge in Challenge.objects.filter(organisation=council.organisation_id):
            stage = challenge.stages.get(stage=challenge.stage)
            if (
                stage.responder is not None
                and may(stage.responder.user, "feedback.respond_challenge", challenge)
                and may(council.user, "feedback.escalate_challenge", challenge)
                and may(council.user, "feedback.resolve_challenge", challenge)
            ):
                actionable.append(challenge)

    assert actionable, f"no challenge to answer, escalate and close on {day}"
