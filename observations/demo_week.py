"""One practice week for each council of the demo region, run by `load_demo` after the
year of observations (observations.demo).

Seed 003: practice weeks are held twice a year; all senior managers visit and observe
practice in every area of the service, to hear about challenges and celebrate good
practice; the senior management team reviews the feedback and agreed actions are
communicated to staff through team manager and practitioner briefings.

So the demo week is the council's last one, five weeks ago: it covers every service,
its leaders are the council's senior leaders and service managers, and each covered team
has a visit with the notes of its guided conversations (the last still to be written up).
Leaders recorded findings by theme, were asked to observe a few practitioners (some
observations recorded, one not yet started) and agreed actions with owners and due dates:
one done, one overdue, two still to come.

Idempotent: an organisation with a practice event is left alone. Written in bulk, a
fixed number of queries per council whatever `--size`: no notifications, as the week is
over and its people were told at the time. Seeded and dated from today.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cases.demo import names
from cases.demo.moments import days_after, working_moment
from cases.grades import Grade
from cases.models import Organisation, Service, StaffMember, Team
from cases.roles import Role
from observations.demo import EVEN_BETTER_IF, HISTORY_REASON, IMPACT, REFLECTIONS, WENT_WELL
from observations.models import (
    FindingTheme,
    Observation,
    PracticeEvent,
    PracticeEventAction,
    PracticeFinding,
    PracticeVisit,
    Setting,
)

SEED = "observations:practice-week"
# The week started on the Monday at least this many days ago.
WEEKS_AGO_DAYS = 35
PURPOSE = (
    "Twice a year all senior managers visit every area of the service to observe practice, "
    "hear about the challenges teams face and celebrate good practice. The senior "
    "management team reviews the feedback, and the agreed actions are shared with staff at "
    "the team manager and practitioner briefings."
)
# The guided conversations, as a leader wrote them up ({team} is the team visited).
NOTES = (
    "Joined the {team} team meeting, then spoke with three practitioners one to one. Staff "
    "were proud of their direct work and talked about children by name and with warmth. The "
    "main worry was caseloads since two vacancies: practitioners said visits happen but "
    "recording falls behind. Asked what would help: protected recording time and quicker "
    "agency cover.",
    "Guided conversation with the {team} manager and four practitioners. We talked through "
    "two children's plans: both showed the child's voice clearly, one with the child's own "
    "drawings. Supervision is regular but practitioners said reflective discussion gets "
    "squeezed by case updates. Newly qualified staff feel well supported by their "
    "practice educator.",
    "Shadowed a home visit with a practitioner from {team}, then met the team. The visit "
    "was well prepared and the child was seen alone. The team described good joint work "
    "with schools but slow responses from health partners to strategy discussions. Morale "
    "is good; they asked for more feedback when audits find good practice.",
    "Met the {team} practitioners over lunch. Conversations were open: staff said the "
    "practice model is helping them write plans families understand. Worries about "
    "drift for children waiting for court dates, and about the time spent chasing "
    "partners for minutes. Agreed to raise the minutes issue with the partnership.",
)
# What the leaders found: (kind, theme, text).
FINDINGS = (
    (
        PracticeFinding.Kind.WORKING_WELL,
        FindingTheme.CHILDS_VOICE,
        "Children's wishes and feelings are recorded in their own words in most of the plans "
        "we read, and practitioners talk about children by name and with warmth.",
    ),
    (
        PracticeFinding.Kind.WORKING_WELL,
        FindingTheme.PARTNERSHIP,
        "Strong joint working with schools: designated safeguarding leads attend reviews and "
        "contribute to plans.",
    ),
    (
        PracticeFinding.Kind.WORKING_WELL,
        FindingTheme.WORKFORCE,
        "Newly qualified social workers feel well supported by practice educators and their "
        "managers, and say they would recommend the service.",
    ),
    (
        PracticeFinding.Kind.WORKING_WELL,
        FindingTheme.PLANNING,
        "Plans written with families during visits are shorter and clearer, and families "
        "say they understand what needs to change.",
    ),
    (
        PracticeFinding.Kind.WORRY,
        FindingTheme.RECORDING,
        "Visits happen on time but case recording falls behind in teams carrying vacancies, "
        "so the record does not always show the work done.",
    ),
    (
        PracticeFinding.Kind.WORRY,
        FindingTheme.OVERSIGHT,
        "Supervision is regular, but reflective discussion is squeezed by case updates and "
        "management decisions are not always recorded on the child's file.",
    ),
    (
        PracticeFinding.Kind.WORRY,
        FindingTheme.WORKFORCE,
        "Caseloads are above the service's target in two teams since vacancies were left "
        "unfilled, and staff describe feeling stretched.",
    ),
    (
        PracticeFinding.Kind.WORRY,
        FindingTheme.PARTNERSHIP,
        "Health partners are slow to respond to strategy discussions and minutes of "
        "multi-agency meetings take weeks to arrive.",
    ),
)
# The agreed actions: (description, whose, days after the week ends it is due, done).
ACTIONS = (
    (
        "Share the practice week's findings with all staff at the team manager and "
        "practitioner briefings.",
        "qa",
        14,
        True,
    ),
    (
        "Agree protected recording time with each team carrying vacancies and check the "
        "recording backlog at the next performance meeting.",
        "team_manager",
        28,
        False,
    ),
    (
        "Add a reflective discussion prompt to the supervision template and dip sample "
        "supervision records in three months.",
        "service_manager",
        60,
        False,
    ),
    (
        "Raise health partners' response times to strategy discussions at the "
        "safeguarding partnership and report back to the senior management team.",
        "senior_leader",
        90,
        False,
    ),
)
OBSERVATIONS = 4
SETTINGS = (Setting.HOME_VISIT, Setting.TEAM_AROUND_FAMILY, Setting.GROUP_WORK, Setting.REVIEW)


@dataclass
class People:
    coordinator: StaffMember
    leaders: list[StaffMember]
    team_managers: list[StaffMember]
    practitioners: list[StaffMember]


def _week_of(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday to Friday of the week that started at least WEEKS_AGO_DAYS ago."""
    back = days_after(today, -WEEKS_AGO_DAYS)
    starts_on = days_after(back, -back.weekday())
    return starts_on, days_after(starts_on, 4)


def _title(starts_on: datetime.date) -> str:
    season = ("Winter", "Spring", "Summer", "Autumn")[(starts_on.month % 12) // 3]
    return f"{season} practice week {starts_on.year}"


def _people(org: Organisation) -> People | None:
    staff = list(
        StaffMember.objects.filter(organisation=org, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    coordinator = next((s for s in staff if s.role == Role.QA), None)
    if coordinator is None:
        return None
    # The demo senior leader login first, so it has a visit and an observation to show.
    leaders = sorted(
        (s for s in staff if s.role in (Role.SENIOR_LEADER, Role.SERVICE_MANAGER)),
        key=lambda s: s.user.username != names.SENIOR_LEADER_LOGIN,
    )
    managers = sorted(
        (s for s in staff if s.role == Role.TEAM_MANAGER),
        key=lambda s: s.user.username != names.TEAM_MANAGER_LOGIN,
    )
    practitioners = [s for s in staff if s.role == Role.PRACTITIONER and s.team_id]
    if not leaders or not practitioners:
        return None
    return People(coordinator, leaders, managers, practitioners)


class WeekWriter:
    def __init__(self, org: Organisation, people: People, today: datetime.date) -> None:
        self.org = org
        self.people = people
        self.rng = random.Random(f"{SEED}:{org.slug}")
        self.starts_on, self.ends_on = _week_of(today)

    def event(self, services: list[Service]) -> PracticeEvent:
        event = PracticeEvent(
            organisation=self.org,
            kind=PracticeEvent.Kind.PRACTICE_WEEK,
            title=_title(self.starts_on),
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            purpose=PURPOSE,
            coordinator=self.people.coordinator,
            created_at=working_moment(days_after(self.starts_on, -28), self.rng),
        )
        event._change_reason = HISTORY_REASON  # type: ignore[attr-defined]
        event.save()
        event.services.set(services)
        event.leaders.set(self.people.leaders)
        return event

    def visits(self, event: PracticeEvent, teams: list[Team]) -> list[PracticeVisit]:
        """One visit to every covered team, the leaders taking turns across the week; the
        last visit's notes are still to be written up."""
        leaders = self.people.leaders
        visits = []
        for n, team in enumerate(teams):
            visit_on = days_after(self.starts_on, n % 5)
            recorded = n < len(teams) - 1
            visits.append(
                PracticeVisit(
                    organisation=self.org,
                    event=event,
                    leader=leaders[n % len(leaders)],
                    team=team,
                    visit_on=visit_on,
                    notes=NOTES[n % len(NOTES)].format(team=team.name) if recorded else "",
                    notes_at=working_moment(days_after(visit_on, 1), self.rng)
                    if recorded
                    else None,
                )
            )
        return PracticeVisit.objects.bulk_create(visits)

    def findings(self, event: PracticeEvent, visits: list[PracticeVisit]) -> None:
        findings = [
            PracticeFinding(
                organisation=self.org,
                event=event,
                kind=kind,
                theme=theme,
                text=text,
                recorded_by=visits[n % len(visits)].leader,
                created_at=working_moment(visits[n % len(visits)].visit_on, self.rng),
            )
            for n, (kind, theme, text) in enumerate(FINDINGS)
        ]
        bulk_create_with_history(
            findings,
            PracticeFinding,
            default_date=timezone.now(),
            default_change_reason=HISTORY_REASON,
        )

    def observations(self, event: PracticeEvent) -> int:
        """Leaders asked to observe practitioners of the covered teams: two submitted, one
        waiting for the practitioner's reflection and one not started."""
        leaders, practitioners = self.people.leaders, self.people.practitioners
        step = max(1, len(practitioners) // OBSERVATIONS)
        statuses = (
            Observation.Status.SUBMITTED,
            Observation.Status.SUBMITTED,
            Observation.Status.AWAITING_REFLECTION,
            Observation.Status.DRAFT,
        )
        observations = []
        for n, status in enumerate(statuses):
            practitioner = practitioners[(n * step) % len(practitioners)]
            observation = Observation(
                organisation=self.org,
                observer=leaders[n % len(leaders)],
                practitioner=practitioner,
                due_on=self.ends_on,
                practice_event=event,
                status=status,
                created_at=working_moment(days_after(self.starts_on, -7), self.rng),
            )
            if status != Observation.Status.DRAFT:
                self._record(observation, days_after(self.starts_on, n % 5), n)
            observations.append(observation)
        created = bulk_create_with_history(
            observations,
            Observation,
            default_date=timezone.now(),
            default_change_reason=HISTORY_REASON,
        )
        return len(created)

    def _record(self, observation: Observation, observed_on: datetime.date, n: int) -> None:
        rng = self.rng
        observation.setting = SETTINGS[n % len(SETTINGS)]
        observation.observed_on = observed_on
        observation.went_well = rng.choice(WENT_WELL["good"])
        observation.even_better_if = rng.choice(EVEN_BETTER_IF["good"])
        observation.impact_on_child = rng.choice(IMPACT["good"])
        observation.grade = (Grade.GOOD, Grade.OUTSTANDING, Grade.GOOD)[n % 3]
        observation.revision = 1
        if observation.status == Observation.Status.SUBMITTED:
            observation.reflection = REFLECTIONS[n % len(REFLECTIONS)]
            observation.reflection_revision = 1
            observation.reflection_at = working_moment(days_after(observed_on, 2), rng)
            observation.submitted_at = working_moment(days_after(observed_on, 4), rng)

    def actions(self, event: PracticeEvent) -> int:
        people = self.people
        owners = {
            "qa": people.coordinator,
            "team_manager": people.team_managers[0] if people.team_managers else None,
            "service_manager": next(
                (s for s in people.leaders if s.role == Role.SERVICE_MANAGER), None
            ),
            "senior_leader": people.leaders[0],
        }
        actions = []
        for description, whose, due_in, done in ACTIONS:
            due_on = days_after(self.ends_on, due_in)
            actions.append(
                PracticeEventAction(
                    organisation=self.org,
                    event=event,
                    description=description,
                    owner=owners[whose] or people.coordinator,
                    due_on=due_on,
                    status=PracticeEventAction.Status.DONE
                    if done
                    else PracticeEventAction.Status.OPEN,
                    done_on=days_after(due_on, -3) if done else None,
                    created_by=people.leaders[0],
                    created_at=working_moment(days_after(self.ends_on, 7), self.rng),
                )
            )
        return len(PracticeEventAction.objects.bulk_create(actions))


def load_organisation(org: Organisation, today: datetime.date) -> str:
    if PracticeEvent.objects.filter(organisation=org).exists():
        return f"{org.name}: practice week already loaded"
    people = _people(org)
    if people is None:
        return f"{org.name}: no QA service, senior leaders or practitioners for a practice week"
    services = list(Service.objects.filter(organisation=org).order_by("name", "pk"))
    teams = list(Team.objects.filter(service__in=services).order_by("name", "pk"))
    if not teams:
        return f"{org.name}: no teams for a practice week"
    with transaction.atomic():
        writer = WeekWriter(org, people, today)
        event = writer.event(services)
        visits = writer.visits(event, teams)
        writer.findings(event, visits)
        observations = writer.observations(event)
        actions = writer.actions(event)
    return (
        f"{org.name}: {event.title} ({len(visits)} visits, {len(FINDINGS)} findings, "
        f"{observations} observations, {actions} actions)"
    )


def load(*, stdout: Any, size: str) -> None:
    """A practice week for every council of the demo region (the same for every size)."""
    today = timezone.localdate()
    organisations = Organisation.objects.filter(
        region__slug=names.REGION_SLUG, kind=Organisation.Kind.COUNCIL
    ).order_by("pk")
    for org in organisations:
        stdout.write(load_organisation(org, today) + "\n")
