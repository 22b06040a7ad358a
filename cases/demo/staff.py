"""The demo region's organisations, services, teams and staff: created when missing."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from cases.demo import names
from cases.demo.spec import DEMO_LOGINS, DEMO_PASSWORD, SEED, OrgSpec, StaffSlot, loading_order
from cases.models import Organisation, Region, Service, StaffMember, Team
from cases.roles import Role


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str
    email: str


@dataclass
class Structure:
    organisation: Organisation
    services: dict[str, Service]
    teams: dict[str, Team]


def people_for(orgs: list[OrgSpec]) -> dict[str, Person]:
    """A name and a unique username for every staff slot, the same on every run."""
    taken = set(DEMO_LOGINS)
    people = {}
    for slot in loading_order(orgs):
        slug = slot.key.split(":", 1)[0]
        if slot.username:
            username, first, last = slot.username, slot.first_name or "", slot.last_name or ""
        else:
            first, last = names.adult_name(random.Random(f"{SEED}:staff:{slot.key}"))
            base = username = names.username_for(first, last)
            suffix = 2
            while username in taken:
                username, suffix = f"{base}{suffix}", suffix + 1
            taken.add(username)
        email = f"{username}@{names.E_MAIL_DOMAIN.format(slug=slug)}"
        people[slot.key] = Person(username, first, last, email)
    return people


def ensure_region() -> Region:
    region, _ = Region.objects.get_or_create(
        slug=names.REGION_SLUG, defaults={"name": names.REGION_NAME}
    )
    return region


def ensure_structure(region: Region, spec: OrgSpec) -> Structure:
    org, _ = Organisation.objects.get_or_create(
        slug=spec.slug, defaults={"name": spec.name, "kind": spec.kind, "region": region}
    )
    services = {}
    teams = {}
    for kind, team_names in spec.teams.items():
        service, _ = Service.objects.get_or_create(
            organisation=org, name=spec.service_name(kind), defaults={"kind": kind}
        )
        services[kind] = service
        for team_name in team_names:
            teams[team_name], _ = Team.objects.get_or_create(
                organisation=org, name=team_name, defaults={"service": service}
            )
    return Structure(org, services, teams)


def ensure_staff(
    structure: Structure, spec: OrgSpec, people: dict[str, Person]
) -> dict[str, StaffMember]:
    """Users and staff members for the organisation's roster; line managers first."""
    users = _ensure_users([people[slot.key] for slot in spec.staff])
    by_username = {
        staff.user.username: staff
        for staff in StaffMember.objects.filter(user__in=users.values()).select_related("user")
    }
    staff = {
        slot.key: by_username[people[slot.key].username]
        for slot in spec.staff
        if people[slot.key].username in by_username
    }
    waiting = [slot for slot in spec.staff if slot.key not in staff]
    while waiting:
        ready = [
            slot for slot in waiting if slot.line_manager is None or slot.line_manager in staff
        ]
        if not ready:
            raise ValueError("The staff roster has a line manager who is not on it.")
        created = StaffMember.objects.bulk_create(
            [
                _staff_member(slot, structure, users[people[slot.key].username], staff)
                for slot in ready
            ]
        )
        staff.update({slot.key: member for slot, member in zip(ready, created, strict=True)})
        waiting = [slot for slot in waiting if slot.key not in staff]
    return staff


def _ensure_users(people: list[Person]) -> dict[str, object]:
    user_model = get_user_model()
    wanted = {person.username: person for person in people}
    users = {user.username: user for user in user_model.objects.filter(username__in=wanted)}
    missing = [person for username, person in wanted.items() if username not in users]
    if missing:
        # One hash for every demo login: hashing hundreds of passwords would take minutes.
        password = make_password(DEMO_PASSWORD)
        created = user_model.objects.bulk_create(
            [
                user_model(
                    username=p.username,
                    first_name=p.first_name,
                    last_name=p.last_name,
                    email=p.email,
                    password=password,
                )
                for p in missing
            ]
        )
        users.update({user.username: user for user in created})
    return users


def _staff_member(
    slot: StaffSlot, structure: Structure, user: object, staff: dict[str, StaffMember]
) -> StaffMember:
    job_title = names.JOB_TITLES.get((slot.role, slot.tier), "")
    if slot.team:
        job_title = f"{job_title}, {slot.team}"
    elif slot.role == Role.SERVICE_MANAGER and slot.service:
        job_title = f"{job_title}, {structure.services[slot.service].name}"
    return StaffMember(
        user=user,
        organisation=structure.organisation,
        role=slot.role,
        tier=slot.tier,
        job_title=job_title[:120],
        service=structure.services[slot.service] if slot.service else None,
        team=structure.teams[slot.team] if slot.team else None,
        line_manager=staff[slot.line_manager] if slot.line_manager else None,
    )
