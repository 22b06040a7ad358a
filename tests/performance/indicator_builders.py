"""Hand-built organisations, cases and journey events for the indicator tests, and the
figures read back from them.

Every test works in one organisation of its own, so figures are never shared between
tests. Unless a test says otherwise the figures are read on `AS_OF`, a Friday in May
2026, so that April 2026 (with Good Friday on 3 April and Easter Monday on 6 April)
is the last complete month.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from cases.models import Case, Child, JourneyEvent, JourneyStage, Organisation, Service, Team
from performance.indicators import CATALOGUE, Fact
from performance.indicators.source import Source
from performance.models import IndicatorValue
from performance.services.indicators import values_for, window_for
from tests.factories import (
    AdopterFactory,
    CaseFactory,
    ChildFactory,
    JourneyEventFactory,
    OrganisationFactory,
    ServiceFactory,
    StaffMemberFactory,
    TeamFactory,
)

D = datetime.date
Kind = JourneyEvent.Kind
Level = IndicatorValue.Level

AS_OF = D(2026, 5, 15)
MARCH = D(2026, 3, 1)
APRIL = D(2026, 4, 1)
MAY = D(2026, 5, 1)
# Long before any month tested, so cases are open throughout.
LONG_AGO = D(2020, 1, 1)
DOB = D(2015, 6, 1)


@dataclass
class Org:
    """An organisation with one service and one team; more can be added."""

    organisation: Organisation
    service: Service
    team: Team

    @classmethod
    def build(cls, kind: str = Service.Kind.CHILD_PROTECTION) -> Org:
        organisation = OrganisationFactory()
        service = ServiceFactory(organisation=organisation, kind=kind)
        return cls(organisation, service, TeamFactory(service=service))

    @property
    def pk(self) -> int:
        return self.organisation.pk

    def add_service(self, kind: str = Service.Kind.CHILD_PROTECTION) -> Service:
        return ServiceFactory(organisation=self.organisation, kind=kind)

    def add_team(self, service: Service | None = None) -> Team:
        return TeamFactory(service=service or self.service)

    def worker(self, team: Team | None = None, **traits: object):
        return StaffMemberFactory(team=team or self.team, **traits)

    def child(self, date_of_birth: datetime.date | None = DOB) -> Child:
        return ChildFactory(organisation=self.organisation, date_of_birth=date_of_birth)

    def case(
        self,
        *,
        team: Team | None = None,
        child: Child | None = None,
        opened_on: datetime.date = LONG_AGO,
        closed_on: datetime.date | None = None,
        worker=None,
    ) -> Case:
        """A child's case (a new child unless one is given)."""
        return CaseFactory(
            team=team or self.team,
            child=child or self.child(),
            opened_on=opened_on,
            closed_on=closed_on,
            status=Case.Status.CLOSED if closed_on else Case.Status.OPEN,
            allocated_worker=worker,
        )

    def adopter_case(
        self,
        *,
        team: Team | None = None,
        opened_on: datetime.date = LONG_AGO,
        closed_on: datetime.date | None = None,
    ) -> Case:
        return CaseFactory(
            team=team or self.team,
            child=None,
            adopter=AdopterFactory(organisation=self.organisation),
            opened_on=opened_on,
            closed_on=closed_on,
            status=Case.Status.CLOSED if closed_on else Case.Status.OPEN,
            journey_stage=JourneyStage.ENQUIRY,
        )


def event(
    case: Case,
    kind: str,
    on: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
    outcome: str = "",
) -> JourneyEvent:
    """An event that is not a visit (nothing recorded about seeing the child)."""
    return JourneyEventFactory(
        case=case,
        kind=kind,
        occurred_on=on,
        recorded_on=recorded_on or on,
        seen=None,
        seen_alone=None,
        outcome=outcome,
    )


def visit(
    case: Case,
    on: datetime.date,
    *,
    seen: bool | None = True,
    alone: bool | None = None,
    recorded_on: datetime.date | None = None,
) -> JourneyEvent:
    return JourneyEventFactory(
        case=case,
        kind=Kind.VISIT,
        occurred_on=on,
        recorded_on=recorded_on or on,
        seen=seen,
        seen_alone=alone,
    )


def computed(slug: str, org: Org, day: datetime.date = AS_OF) -> dict:
    """Every (level, service, team, month) -> (numerator, denominator, value) of `slug`,
    read on `day`."""
    return values_for(CATALOGUE[slug], _source(org, day))


def org_value(
    slug: str, org: Org, month: datetime.date = APRIL, day: datetime.date = AS_OF
) -> tuple[int, int | None, float | None]:
    """The organisation's (numerator, denominator, value) of `slug` for `month`."""
    return computed(slug, org, day)[(Level.ORGANISATION, None, None, month)]


def facts(
    slug: str, org: Org, month: datetime.date = APRIL, day: datetime.date = AS_OF
) -> list[Fact]:
    """The facts behind `slug` in `month`."""
    return [f for f in CATALOGUE[slug].facts(_source(org, day)) if f.month == month]


def _source(org: Org, day: datetime.date) -> Source:
    return Source(window_for(org.pk, day))
