"""What the demo region holds: organisations, services, teams, the staff roster and sizes.

The roster is a list of slots with stable keys. The large size only appends slots (and
teams) to the small one, so loading `--size large` on top of the small demo tops it up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cases.demo import names

SEED = 20250401
DEMO_PASSWORD = "qaportal-demo"

SMALL_FIRST_COUNCIL_CHILDREN = 170
SMALL_OTHER_COUNCIL_CHILDREN = 115
LARGE_FIRST_COUNCIL_CHILDREN = 20_000
ADOPTER_HOUSEHOLDS = 60

FD, ASSESS, CIN, CP, LAC, CL = (
    "front_door",
    "assessment",
    "child_in_need",
    "child_protection",
    "looked_after",
    "care_leavers",
)
RECRUIT, FAMILY_FINDING, SUPPORT = "adoption_recruitment", "family_finding", "adoption_support"

SERVICE_NAMES = {
    FD: "Front door",
    ASSESS: "Assessment",
    CIN: "Child in need",
    CP: "Child protection",
    LAC: "Children looked after",
    CL: "Care leavers",
    RECRUIT: "Adoption recruitment and assessment",
    FAMILY_FINDING: "Family finding",
    SUPPORT: "Adoption support",
}

# Practitioners per service in the large first council (about 240 in all).
LARGE_PRACTITIONERS = {FD: 4, ASSESS: 44, CIN: 60, CP: 50, LAC: 72, CL: 14}


@dataclass(frozen=True)
class StaffSlot:
    key: str
    role: str
    tier: int = 0
    team: str | None = None
    service: str | None = None
    line_manager: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None


@dataclass
class OrgSpec:
    name: str
    slug: str
    kind: str
    prefix: str
    # service kind -> team names, in the order teams are created
    teams: dict[str, list[str]]
    staff: list[StaffSlot] = field(default_factory=list)
    children: int = 0
    # children with an index below this follow the small demo's profile
    small_children: int = 0
    adopters: int = 0

    def service_name(self, kind: str) -> str:
        return SERVICE_NAMES[kind]


# username -> (first name, last name) of the fixed demo logins
DEMO_LOGINS = {
    "qa.manager": ("Hannah", "Whitlock"),
    "team.manager": ("Marcus", "Ellery"),
    "practitioner": ("Sophie", "Okonjo"),
    "senior.leader": ("Gareth", "Penhallow"),
    "business.support": ("Leanne", "Fairbairn"),
    "regional.lead": ("Ruth", "Calloway"),
    "other.manager": ("Daniel", "Ashworth"),
}


def _login(username: str) -> dict[str, str]:
    first, last = DEMO_LOGINS[username]
    return {"username": username, "first_name": first, "last_name": last}


def _first_council_teams(large: bool) -> dict[str, list[str]]:
    teams = {
        FD: ["Front Door Team"],
        ASSESS: ["Assessment Team North", "Assessment Team South"],
        CIN: ["Child in Need Team North"],
        CP: ["Child Protection Team North", "Child Protection Team South"],
        LAC: ["Children Looked After Team North", "Children Looked After Team South"],
        CL: ["Care Leavers Team North"],
    }
    if large:
        teams[FD].append("Front Door Triage Team")
        teams[ASSESS] += ["Assessment Team East", "Assessment Team West"]
        teams[CIN] += [
            "Child in Need Team South",
            "Child in Need Team East",
            "Child in Need Team West",
        ]
        teams[CP] += ["Child Protection Team East", "Child Protection Team West"]
        teams[LAC] += ["Children Looked After Team East", "Children Looked After Team West"]
        teams[CL].append("Care Leavers Team South")
    return teams


def _other_council_teams() -> dict[str, list[str]]:
    return {
        FD: ["Front Door Team"],
        ASSESS: ["Assessment Team"],
        CIN: ["Child in Need Team"],
        CP: ["Child Protection Team"],
        LAC: ["Children Looked After Team"],
        CL: ["Care Leavers Team"],
    }


def _council_managers(slug: str, first: bool) -> list[StaffSlot]:
    k = f"{slug}:"
    slots = [StaffSlot(k + "director", "senior_leader", 4)]
    if first:
        slots += [
            StaffSlot(
                k + "hos-safeguarding",
                "senior_leader",
                3,
                line_manager=k + "director",
                **_login("senior.leader"),
            ),
            StaffSlot(k + "hos-care", "senior_leader", 3, line_manager=k + "director"),
            StaffSlot(
                k + "sm-assessment",
                "service_manager",
                2,
                service=ASSESS,
                line_manager=k + "hos-safeguarding",
            ),
            StaffSlot(
                k + "sm-protection",
                "service_manager",
                2,
                service=CP,
                line_manager=k + "hos-safeguarding",
            ),
            StaffSlot(
                k + "sm-care", "service_manager", 2, service=LAC, line_manager=k + "hos-care"
            ),
        ]
    else:
        slots += [
            StaffSlot(k + "hos", "senior_leader", 3, line_manager=k + "director"),
            StaffSlot(
                k + "sm-assessment", "service_manager", 2, service=ASSESS, line_manager=k + "hos"
            ),
            StaffSlot(
                k + "sm-protection", "service_manager", 2, service=CP, line_manager=k + "hos"
            ),
        ]
    return slots


def _service_manager_key(slug: str, first: bool, kind: str) -> str:
    if kind in (FD, ASSESS, CIN):
        return f"{slug}:sm-assessment"
    if kind in (LAC, CL) and first:
        return f"{slug}:sm-care"
    return f"{slug}:sm-protection"


def _team_manager(slug: str, first: bool, kind: str, team: str, login: str | None) -> StaffSlot:
    extra = _login(login) if login else {}
    return StaffSlot(
        f"{slug}:tm:{team}",
        "team_manager",
        1,
        team=team,
        service=kind,
        line_manager=_service_manager_key(slug, first, kind),
        **extra,
    )


def _practitioner(slug: str, kind: str, team: str, n: int, login: str | None = None) -> StaffSlot:
    extra = _login(login) if login else {}
    return StaffSlot(
        f"{slug}:p:{team}:{n}",
        "practitioner",
        0,
        team=team,
        service=kind,
        line_manager=f"{slug}:tm:{team}",
        **extra,
    )


def _specialists(slug: str, first: bool, line_manager: str) -> list[StaffSlot]:
    k = f"{slug}:"
    qa = StaffSlot(
        k + "qa", "qa", 2, line_manager=k + "director", **(_login("qa.manager") if first else {})
    )
    slots = [qa, StaffSlot(k + "iro:1", "independent_reviewer", 0, line_manager=k + "qa")]
    if first:
        slots.append(
            StaffSlot(
                k + "bs:1",
                "business_support",
                0,
                line_manager=k + "qa",
                **_login("business.support"),
            )
        )
    return slots


def _council_small_roster(slug: str, first: bool, teams: dict[str, list[str]]) -> list[StaffSlot]:
    slots = _council_managers(slug, first)
    for kind, team_names in teams.items():
        for team in team_names:
            login = None
            if first and team == "Children Looked After Team North":
                login = "team.manager"
            elif slug == names.COUNCILS[1][1] and kind == CP:
                login = "other.manager"
            slots.append(_team_manager(slug, first, kind, team, login))
    for kind, team_names in teams.items():
        for team in team_names:
            if first and team == "Children Looked After Team North":
                slots.append(_practitioner(slug, kind, team, 1, login="practitioner"))
                slots.append(_practitioner(slug, kind, team, 2))
            else:
                slots.append(_practitioner(slug, kind, team, 1))
    return slots + _specialists(slug, first, f"{slug}:director")


def _large_extra_roster(
    slug: str,
    small: dict[str, list[str]],
    large: dict[str, list[str]],
    small_roster: list[StaffSlot],
) -> list[StaffSlot]:
    slots: list[StaffSlot] = []
    for kind, team_names in large.items():
        for team in team_names[len(small[kind]) :]:
            slots.append(_team_manager(slug, True, kind, team, None))
    present = {slot.key for slot in small_roster}
    for kind, team_names in large.items():
        per_team = LARGE_PRACTITIONERS[kind] // len(team_names)
        for team in team_names:
            for n in range(1, per_team + 1):
                slot = _practitioner(slug, kind, team, n)
                if slot.key not in present:
                    slots.append(slot)
    k = f"{slug}:"
    slots += [
        StaffSlot(k + f"iro:{n}", "independent_reviewer", 0, line_manager=k + "qa")
        for n in range(2, 6)
    ]
    slots += [
        StaffSlot(k + f"bs:{n}", "business_support", 0, line_manager=k + "qa") for n in range(2, 4)
    ]
    return slots


def _agency(slug: str, name: str, prefix: str) -> OrgSpec:
    k = f"{slug}:"
    teams = {
        RECRUIT: ["Recruitment and Assessment Team"],
        FAMILY_FINDING: ["Family Finding Team"],
        SUPPORT: ["Adoption Support Team"],
    }
    staff = [
        StaffSlot(k + "head", "senior_leader", 4),
        StaffSlot(k + "adm", "decision_maker", 3, line_manager=k + "head"),
        StaffSlot(k + "sm", "service_manager", 2, service=RECRUIT, line_manager=k + "head"),
    ]
    staff += [
        StaffSlot(
            f"{k}tm:{team[0]}", "team_manager", 1, team=team[0], service=kind, line_manager=k + "sm"
        )
        for kind, team in teams.items()
    ]
    for kind, team in teams.items():
        count = 1 if kind == SUPPORT else 2
        staff += [_practitioner(slug, kind, team[0], n) for n in range(1, count + 1)]
    staff += [
        StaffSlot(k + "panel:1", "panel_member", 0),
        # The agency's quality assurance lead, and the panel administrator who keeps the
        # panel's evaluation sheets (seed 000).
        StaffSlot(k + "qa", "qa", 2, line_manager=k + "head"),
        StaffSlot(k + "bs:1", "business_support", 0, line_manager=k + "qa"),
        StaffSlot(k + "regional-lead", "regional_lead", 3, **_login("regional.lead")),
    ]
    return OrgSpec(
        name=name,
        slug=slug,
        kind="raa",
        prefix=prefix,
        teams=teams,
        staff=staff,
        adopters=ADOPTER_HOUSEHOLDS,
    )


def _council_names(councils: int) -> list[tuple[str, str, str]]:
    """The named three, then as many more as `councils` asks for (at most 23 in all)."""
    more = councils - len(names.COUNCILS)
    if more > len(names.MORE_COUNCILS):
        raise ValueError(f"At most {len(names.COUNCILS) + len(names.MORE_COUNCILS)} councils")
    extra = [
        (f"{place} Council", place.lower().replace(" ", "-"), prefix)
        for place, prefix in names.MORE_COUNCILS[: max(more, 0)]
    ]
    return [*names.COUNCILS, *extra]


def region_spec(
    *, large: bool = False, first_council_children: int | None = None, councils: int = 3
) -> list[OrgSpec]:
    """The organisations to load, in loading order: the first council first, the agency
    after the named councils, and any further councils (`councils` > 3) last, so adding
    them leaves every earlier name and login as it was."""
    orgs = []
    for index, (name, slug, prefix) in enumerate(_council_names(councils)):
        first = index == 0
        teams = _first_council_teams(False) if first else _other_council_teams()
        roster = _council_small_roster(slug, first, teams)
        children = SMALL_FIRST_COUNCIL_CHILDREN if first else SMALL_OTHER_COUNCIL_CHILDREN
        org = OrgSpec(
            name=name,
            slug=slug,
            kind="council",
            prefix=prefix,
            teams=teams,
            staff=roster,
            children=children,
            small_children=children,
        )
        if first and large:
            org.teams = _first_council_teams(True)
            org.staff = roster + _large_extra_roster(slug, teams, org.teams, roster)
            org.children = LARGE_FIRST_COUNCIL_CHILDREN
        if first and first_council_children is not None:
            org.children = first_council_children
        orgs.append(org)
        if index == len(names.COUNCILS) - 1:
            orgs.append(_agency(names.AGENCY[1], names.AGENCY[0], names.AGENCY[2]))
    return orgs


def loading_order(orgs: list[OrgSpec]) -> list[StaffSlot]:
    """Every slot in the order usernames are handed out: large-only slots after the
    named organisations', and the further councils' after those."""
    first = orgs[0]
    small_keys = {
        slot.key for slot in _council_small_roster(first.slug, True, _first_council_teams(False))
    }
    head = [slot for slot in first.staff if slot.key in small_keys]
    tail = [slot for slot in first.staff if slot.key not in small_keys]
    named = len(names.COUNCILS) + 1
    ordered = list(head)
    for org in orgs[1:named]:
        ordered += org.staff
    ordered += tail
    for org in orgs[named:]:
        ordered += org.staff
    return ordered
