"""A year of demo complaints and compliments for the demo region, run by `load_demo`.

About two complaints a month per organisation, most about a child's or adopter's case
and the rest about a team: most answered at stage 1 within 10 working days, some after
an agreed extension, some late; about one in five escalated to a stage 2 investigation
and a few of those to a stage 3 review panel; the latest still open, one or two overdue.
Each point of complaint has an outcome at each stage; upheld ones carry learning and an
action (some overdue). About three compliments a month, about practitioners and teams
(seeds 000, 001, 003: complaints, comments and compliments explored for learning).

Idempotent: an organisation that has complaints is left alone. Seeded and dated from
today: two loads on the same day agree. The same numbers for `--size large`.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from cases.demo import names
from cases.demo.moments import working_moment
from cases.models import Case, Organisation, StaffMember
from cases.roles import Role
from core.dates import add_working_days, working_days_between
from feedback.complaints import stage_due_on, stage_latest_extension
from feedback.models.complaints import (
    COMPLAINANT_TYPES,
    Complaint,
    ComplaintAction,
    ComplaintPoint,
    ComplaintStage,
    Compliment,
    Outcome,
    PersonType,
    PointOutcome,
    Stage,
)

SEED = "complaints"
DAYS = 365
COMPLAINTS = 24
COMPLIMENTS = 36

SUMMARIES = (
    "Nobody has returned my calls for three weeks and I do not know who my son's social "
    "worker is now.",
    "The report for the conference had things in it that are not true and I was not given "
    "it until the morning of the meeting.",
    "My daughter's contact with her brother has been cancelled four times without notice.",
    "We were told our assessment would be finished by the summer and it still has not "
    "been booked for panel.",
    "I asked to see my records and was sent somebody else's letter by mistake.",
    "The social worker changed again and I had to tell my story for the fifth time.",
    "The placement moved my child to a new school without asking me.",
    "Our adoption support application has not been answered in two months.",
)
POINTS = (
    "Calls and e-mails were not returned.",
    "I was not told about the change of social worker.",
    "The report contained factual mistakes.",
    "I did not get the report in time to read it before the meeting.",
    "Contact was cancelled without notice.",
    "The timescale I was promised was not kept.",
    "My personal information was sent to the wrong person.",
    "My child's views were not asked before the decision.",
)
RESPONSES = (
    "Apology given; the team manager has met the family and agreed a named contact.",
    "The report has been corrected and re-sent; the conference chair has been told.",
    "Contact arrangements reviewed; a contact plan with back-up dates agreed.",
    "The assessment timetable has been set out in writing with the panel date.",
)
LEARNING = (
    "Families need a named contact when a worker leaves, and a letter saying who it is.",
    "Reports must be shared with parents at least three working days before a conference.",
    "Cancelled contact must be rearranged within a week and explained to the child.",
    "Check the address and the name before anything with personal data is sent.",
)
ACTIONS = (
    "Send every family on the team's caseload a letter naming their worker and manager.",
    "Add report sharing dates to the conference checklist.",
    "Brief the team on the contact cancellation procedure at the next team meeting.",
    "Refresh data protection training for the business support team.",
)
PRAISE = (
    "Thank you for everything you have done for our family this year. You never gave up on us.",
    "You listened to me and made sure the plan was what I wanted.",
    "The social worker was kind, honest and always did what she said she would.",
    "Our adoption journey was made so much easier by the team's support.",
    "I wanted to say how well the worker managed the meeting with the school.",
    "She explained everything in a way our children understood.",
)


class Writer:
    def __init__(self, org: Organisation, today: datetime.date) -> None:
        self.org = org
        self.today = today
        self.rng = random.Random(f"{SEED}:{org.slug}")
        staff = list(
            StaffMember.objects.filter(organisation=org, user__is_active=True)
            .select_related("user", "team")
            .order_by("pk")
        )
        self.customer_care = [s for s in staff if s.role in (Role.QA, Role.BUSINESS_SUPPORT)]
        self.practitioners = [s for s in staff if s.role == Role.PRACTITIONER]
        self.team_managers: dict[int, StaffMember] = {}
        for s in staff:
            if s.role == Role.TEAM_MANAGER and s.team_id:
                self.team_managers.setdefault(s.team_id, s)
        self.cases = list(
            Case.objects.filter(organisation=org, status=Case.Status.OPEN)
            .select_related("team", "service")
            .order_by("pk")[:400]
        )
        self.teams = sorted({c.team for c in self.cases}, key=lambda t: t.pk)
        self.numbers: dict[int, int] = defaultdict(int)

    def _day_after(self, day: datetime.date, working_days: int) -> datetime.date:
        return min(add_working_days(day, working_days), self.today)

    def complaint(self, received_on: datetime.date, *, escalated: bool = False) -> Complaint:
        """A complaint received that day, taken through its stages as far as the dates
        allow; `escalated`: the complainant asks for stage 2 once stage 1 has answered."""
        rng = self.rng
        self.numbers[received_on.year] += 1
        case = rng.choice(self.cases) if self.cases and rng.random() < 0.7 else None
        team = case.team if case else (rng.choice(self.teams) if self.teams else None)
        kind = rng.choice(COMPLAINANT_TYPES)[0]
        if case is not None and case.adopter_id:
            kind = PersonType.ADOPTER
        complaint = Complaint.objects.create(
            organisation=self.org,
            reference=f"CMP-{received_on.year}-{self.numbers[received_on.year]:04d}",
            received_on=received_on,
            complainant_type=kind,
            complainant_name=" ".join(names.adult_name(rng)) if rng.random() < 0.6 else "",
            case=case,
            team=team,
            service=case.service if case else (team.service if team else None),
            summary=rng.choice(SUMMARIES),
            recorded_by=rng.choice(self.customer_care) if self.customer_care else None,
            created_at=working_moment(received_on, rng),
        )
        points = [
            ComplaintPoint.objects.create(
                organisation=self.org, complaint=complaint, number=n, text=text
            )
            for n, text in enumerate(rng.sample(POINTS, rng.randint(1, 3)), start=1)
        ]
        officer = self.team_managers.get(team.pk) if team else None
        self._stages(complaint, points, officer or self._anyone(), escalated=escalated)
        return complaint

    def _anyone(self) -> StaffMember | None:
        return self.customer_care[0] if self.customer_care else None

    def _stages(
        self,
        complaint: Complaint,
        points: list[ComplaintPoint],
        officer: StaffMember | None,
        *,
        escalated: bool = False,
    ) -> None:
        rng = self.rng
        started = complaint.received_on
        for number in (Stage.LOCAL_RESOLUTION, Stage.INVESTIGATION, Stage.REVIEW_PANEL):
            stage = ComplaintStage(
                organisation=self.org,
                complaint=complaint,
                stage=number,
                started_on=started,
                due_on=stage_due_on(number, started),
                officer=officer if number == Stage.LOCAL_RESOLUTION else self._anyone(),
            )
            latest = stage_latest_extension(number, started)
            if latest is not None and rng.random() < 0.15:
                stage.extended_due_on = add_working_days(
                    stage.due_on, rng.randint(1, working_days_between(stage.due_on, latest))
                )
                stage.extension_reason = "The investigating officer needs to speak to the family."
            roll = rng.random()
            took = working_days_between(started, stage.effective_due_on)
            answer = rng.randint(max(1, took - 6), took) if roll < 0.8 else took + rng.randint(1, 8)
            responded = add_working_days(started, answer)
            if responded <= self.today:
                stage.responded_on = responded
                stage.response = rng.choice(RESPONSES)
            stage.save()
            complaint.current_stage = number
            if stage.responded_on is None:
                break
            self._outcomes(stage, points)
            asked = self._day_after(stage.responded_on, rng.randint(3, 15))
            settled = rng.random() > 0.2 and not (escalated and number == Stage.LOCAL_RESOLUTION)
            if number == Stage.REVIEW_PANEL or settled or asked >= self.today:
                self._finish(complaint, stage, points)
                break
            started = asked
        complaint.save()

    def _outcomes(self, stage: ComplaintStage, points: list[ComplaintPoint]) -> None:
        weights = (3, 3, 4)
        PointOutcome.objects.bulk_create(
            PointOutcome(
                organisation=self.org,
                point=point,
                stage=stage,
                outcome=self.rng.choices(Outcome.values, weights=weights)[0],
            )
            for point in points
        )

    def _finish(
        self, complaint: Complaint, stage: ComplaintStage, points: list[ComplaintPoint]
    ) -> None:
        rng = self.rng
        assert stage.responded_on is not None
        closed_on = add_working_days(stage.responded_on, 10)
        if closed_on < self.today:
            complaint.status = Complaint.Status.CLOSED
            complaint.closed_on = closed_on
        upheld = PointOutcome.objects.filter(stage=stage).exclude(outcome=Outcome.NOT_UPHELD)
        if not upheld.exists():
            return
        complaint.learning = rng.choice(LEARNING)
        owner = self.team_managers.get(complaint.team_id or 0) or self._anyone()
        if owner is None:
            return
        due_on = stage.responded_on + datetime.timedelta(days=rng.randint(20, 60))
        done = due_on < self.today and rng.random() < 0.7
        ComplaintAction.objects.create(
            organisation=self.org,
            complaint=complaint,
            description=rng.choice(ACTIONS),
            owner=owner,
            due_on=due_on,
            status=ComplaintAction.Status.DONE if done else ComplaintAction.Status.OPEN,
            done_on=due_on - datetime.timedelta(days=rng.randint(0, 10)) if done else None,
            created_by=complaint.recorded_by,
            created_at=working_moment(stage.responded_on, rng),
        )

    def compliment(self, received_on: datetime.date) -> Compliment | None:
        rng = self.rng
        worker = rng.choice(self.practitioners) if self.practitioners else None
        team = worker.team if worker else (rng.choice(self.teams) if self.teams else None)
        if worker is None and team is None:
            return None
        return Compliment.objects.create(
            organisation=self.org,
            received_on=received_on,
            from_type=rng.choice(PersonType.values),
            from_name=" ".join(names.adult_name(rng)) if rng.random() < 0.5 else "",
            worker=worker if rng.random() < 0.8 else None,
            team=team,
            service=team.service if team else None,
            what_they_said=rng.choice(PRAISE),
            recorded_by=rng.choice(self.customer_care) if self.customer_care else None,
            created_at=working_moment(received_on, rng),
        )


def _received_days(rng: random.Random, today: datetime.date, count: int) -> list[datetime.date]:
    return sorted(today - datetime.timedelta(days=rng.randint(0, DAYS - 1)) for _ in range(count))


def _load_organisation(org: Organisation, today: datetime.date) -> str:
    if Complaint.objects.filter(organisation=org).exists():
        return f"{org.name}: complaints already loaded"
    with transaction.atomic():
        writer = Writer(org, today)
        if not (writer.cases or writer.teams):
            return f"{org.name}: no cases or teams for complaints"
        days = _received_days(writer.rng, today, COMPLAINTS)
        # The newest arrives today, so however the dates fall one is always still open; the
        # oldest, a year back, is taken to stage 2, so one always shows the later stages.
        for number, day in enumerate([*days[:-1], today]):
            writer.complaint(day, escalated=number == 0)
        compliments = 0
        if not Compliment.objects.filter(organisation=org).exists():
            for day in _received_days(writer.rng, today, COMPLIMENTS):
                compliments += writer.compliment(day) is not None
    return f"{org.name}: {COMPLAINTS} complaints, {compliments} compliments"


def load(*, stdout: Any, size: str) -> None:
    """Add a year of complaints and compliments to every organisation of the demo region."""
    today = timezone.localdate()
    organisations = Organisation.objects.filter(region__slug=names.REGION_SLUG).order_by("pk")
    for org in organisations:
        stdout.write(_load_organisation(org, today) + "\n")
