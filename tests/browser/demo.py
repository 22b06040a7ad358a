"""The demo logins and a small, deterministic caseload for the browser tests.

Kestrelford City Council is the demo logins' council: a children looked after service
with two teams (team.manager's team is "Kestrelford looked after 1"), a child protection
service and an adoption service. Marrowby Borough Council is other.manager's council;
Adopt Thornvale is the regional lead's agency. All three are in one region.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from cases.models import Case, JourneyEvent, JourneyStage, Organisation, Service, Team
from tests.factories import (
    AdopterFactory,
    CaseFactory,
    ChildFactory,
    JourneyEventFactory,
    OrganisationFactory,
    RegionFactory,
    ServiceFactory,
    StaffMemberFactory,
    TeamFactory,
)

# The demo logins, in README order.
LOGINS = (
    "qa.manager",
    "team.manager",
    "practitioner",
    "senior.leader",
    "business.support",
    "regional.lead",
    "other.manager",
)

GIVEN_NAMES = (
    "Amelia",
    "Oliver",
    "Isla",
    "George",
    "Freya",
    "Noah",
    "Poppy",
    "Leo",
    "Ella",
    "Oscar",
    "Grace",
    "Alfie",
    "Ruby",
    "Jacob",
    "Maya",
    "Kai",
    "Aisha",
    "Riley",
    "Zara",
    "Callum",
    "Niamh",
    "Dylan",
    "Erin",
    "Yusuf",
    "Daisy",
    "Omar",
    "Phoebe",
    "Kofi",
    "Willow",
    "Tobi",
    "Imogen",
    "Ryan",
    "Holly",
    "Owen",
    "Esme",
    "Rhys",
    "Rosie",
    "Finley",
    "Nia",
    "Max",
)
FAMILY_NAMES = (
    "Ashdown",
    "Barraclough",
    "Bellamy",
    "Blackmore",
    "Bramley",
    "Calder",
    "Carrick",
    "Chadwick",
    "Clegg",
    "Crabtree",
    "Dacre",
    "Dunmore",
    "Eastwood",
    "Farrow",
    "Fenwick",
    "Garside",
    "Gilmour",
    "Goodall",
    "Hartley",
    "Haworth",
    "Holroyd",
    "Jessop",
    "Kershaw",
    "Lambert",
    "Ledger",
    "Lomax",
    "Marsden",
    "Metcalfe",
    "Nuttall",
    "Ormerod",
    "Pickles",
    "Quarmby",
    "Ramsden",
    "Shackleton",
    "Sowerby",
    "Sutcliffe",
    "Varley",
    "Whiteley",
    "Okafor",
    "Mensah",
)

# How the first council's children are spread: team key -> number of child cases.
# "lac1" has more than one page (25) of allocated cases by itself, so the keyboard test
# can filter to it and still page; qa.manager sees every case of the council.
SPREAD = {"lac1": 30, "lac2": 4, "cp": 4}
ADOPTER_CASES = 2
OTHER_COUNCIL_CASES = 3


@dataclass
class Demo:
    people: dict[str, object]
    teams: dict[str, Team]
    council: Organisation
    other_council: Organisation
    agency: Organisation
    cases: list[Case] = field(default_factory=list)

    def in_team(self, key: str) -> list[Case]:
        return [c for c in self.cases if c.team_id == self.teams[key].pk]

    def visible_count(self, username: str) -> int:
        """How many cases the case list should show the given login, unfiltered."""
        council_cases = [c for c in self.cases if c.organisation_id == self.council.pk]
        if username in ("qa.manager", "senior.leader", "business.support"):
            return len(council_cases)
        if username == "team.manager":
            return sum(1 for c in self.cases if c.team_id == self.teams["lac1"].pk)
        if username == "practitioner":
            staff = self.people["practitioner"]
            return sum(1 for c in self.cases if c.allocated_worker_id == staff.pk)
        if username == "other.manager":
            return sum(1 for c in self.cases if c.team_id == self.teams["other"].pk)
        return 0


def _person(username: str, **kwargs: object) -> object:
    first, last = {
        "qa.manager": ("Priya", "Shah"),
        "team.manager": ("Tom", "Holroyd"),
        "practitioner": ("Sam", "Okafor"),
        "senior.leader": ("Helen", "Marsden"),
        "business.support": ("Bea", "Sutcliffe"),
        "regional.lead": ("Rohan", "Mistry"),
        "other.manager": ("Olu", "Adeyemi"),
        "colleague": ("Cal", "Ramsden"),
        "service.manager": ("Nadia", "Begum"),
    }[username]
    return StaffMemberFactory(
        user__username=username, user__first_name=first, user__last_name=last, **kwargs
    )


def _child_events(case: Case, index: int, today: datetime.date) -> None:
    """A short journey: referral, became looked after (or plan), then a visit or two."""
    opened = case.opened_on
    JourneyEventFactory(
        case=case,
        kind=JourneyEvent.Kind.REFERRAL,
        occurred_on=opened,
        recorded_on=opened,
        seen=None,
        seen_alone=None,
    )
    JourneyEventFactory(
        case=case,
        kind=JourneyEvent.Kind.BECAME_LOOKED_AFTER,
        occurred_on=opened + datetime.timedelta(days=1),
        recorded_on=opened + datetime.timedelta(days=6),  # recorded late
        seen=None,
        seen_alone=None,
    )
    last_visit = today - datetime.timedelta(days=3 + index * 2)
    if last_visit > opened:
        JourneyEventFactory(
            case=case,
            kind=JourneyEvent.Kind.VISIT,
            occurred_on=last_visit,
            recorded_on=last_visit,
            seen=None if index % 5 == 0 else True,
            seen_alone=False if index % 4 == 0 else True,
            notes="Visited at the placement." if index % 3 == 0 else "",
        )


def build_demo() -> Demo:
    today = timezone.localdate()
    region = RegionFactory(name="Thornvale Region", slug="thornvale")
    council = OrganisationFactory(
        region=region, name="Kestrelford City Council", slug="kestrelford"
    )
    other_council = OrganisationFactory(
        region=region, name="Marrowby Borough Council", slug="marrowby"
    )
    agency = OrganisationFactory(
        region=region,
        name="Adopt Thornvale",
        slug="adopt-thornvale",
        kind=Organisation.Kind.ADOPTION_AGENCY,
    )
    lac = ServiceFactory(
        organisation=council, name="Children looked after", kind=Service.Kind.LOOKED_AFTER
    )
    cp = ServiceFactory(
        organisation=council, name="Child protection", kind=Service.Kind.CHILD_PROTECTION
    )
    adoption = ServiceFactory(
        organisation=council, name="Adoption recruitment", kind=Service.Kind.ADOPTION_RECRUITMENT
    )
    other_lac = ServiceFactory(
        organisation=other_council, name="Children looked after", kind=Service.Kind.LOOKED_AFTER
    )
    agency_service = ServiceFactory(
        organisation=agency, name="Family finding", kind=Service.Kind.FAMILY_FINDING
    )
    teams = {
        "lac1": TeamFactory(service=lac, name="Kestrelford looked after 1"),
        "lac2": TeamFactory(service=lac, name="Kestrelford looked after 2"),
        "cp": TeamFactory(service=cp, name="Kestrelford child protection"),
        "adoption": TeamFactory(service=adoption, name="Kestrelford adoption"),
        "other": TeamFactory(service=other_lac, name="Marrowby looked after"),
    }
    org_wide = {"team": None, "service": None, "organisation": council}
    people = {
        "qa.manager": _person("qa.manager", qa=True, **org_wide),
        "team.manager": _person("team.manager", team=teams["lac1"], team_manager=True),
        "practitioner": _person("practitioner", team=teams["lac1"]),
        "colleague": _person("colleague", team=teams["lac1"]),
        "senior.leader": _person("senior.leader", senior_leader=True, **org_wide),
        "business.support": _person("business.support", business_support=True, **org_wide),
        "regional.lead": _person(
            "regional.lead",
            team=None,
            service=agency_service,
            organisation=agency,
            regional_lead=True,
        ),
        "other.manager": _person("other.manager", team=teams["other"], team_manager=True),
        # Not a README login: the manager above team.manager, who oversees team.manager's
        # audits of team.manager's own practitioners.
        "service.manager": _person(
            "service.manager", team=None, service=lac, organisation=council, service_manager=True
        ),
    }
    demo = Demo(
        people=people, teams=teams, council=council, other_council=other_council, agency=agency
    )

    index = 0
    for team_key, count in SPREAD.items():
        for n in range(count):
            if team_key != "lac1" or n % 10 == 5:
                worker = None
            elif n % 3 == 2:
                worker = people["colleague"]
            else:
                worker = people["practitioner"]
            child = ChildFactory(
                organisation=council,
                reference=f"KF{index + 1:05d}",
                given_name=GIVEN_NAMES[index % len(GIVEN_NAMES)],
                family_name=FAMILY_NAMES[index % len(FAMILY_NAMES)],
                ethnicity="" if index % 7 == 0 else "WBRI",
            )
            # Every case opens on a different day, so sorting by "Opened" is checkable.
            case = CaseFactory(
                team=teams[team_key],
                child=child,
                allocated_worker=worker,
                opened_on=today - datetime.timedelta(days=40 + 11 * index),
                journey_stage=(
                    JourneyStage.CHILD_PROTECTION if team_key == "cp" else JourneyStage.LOOKED_AFTER
                ),
            )
            _child_events(case, index, today)
            demo.cases.append(case)
            index += 1
    for n in range(ADOPTER_CASES):
        adopter = AdopterFactory(
            organisation=council,
            reference=f"KA{n + 1:04d}",
            household_name=f"{FAMILY_NAMES[-n - 1]} household",
        )
        demo.cases.append(
            CaseFactory(
                team=teams["adoption"],
                child=None,
                adopter=adopter,
                opened_on=today - datetime.timedelta(days=33 + 11 * n),
                journey_stage=JourneyStage.STAGE_TWO,
            )
        )
    for n in range(OTHER_COUNCIL_CASES):
        child = ChildFactory(
            organisation=other_council,
            reference=f"MB{n + 1:05d}",
            given_name=GIVEN_NAMES[-n - 1],
            family_name="Thackray",
        )
        case = CaseFactory(
            team=teams["other"], child=child, opened_on=today - datetime.timedelta(days=60 + 9 * n)
        )
        _child_events(case, n, today)
        demo.cases.append(case)
    return demo
