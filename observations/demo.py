"""A year of demo practice observations for the demo region, run by `load_demo`.

Every team manager observes the practitioners of their team, and every service manager
the team managers of their service, one observation every third month (seed 001: managers
alternate practice reviews, observations and thematic reviews; seed 003: every
practitioner observed twice a year). Older observations are submitted, most of them
moderated by the QA service; last month's wait for the practitioner's reflection; this
month's are drafts, some just opened by the rota with nobody chosen yet. Many carry the
practitioner's reflection, some the family's view (seed 001: a conversation with the
family of a case observed), and the not-yet-good ones an action.

Idempotent: an organisation that has observations is left alone. The same number of
observations for `--size large` (they grow with managers, not children), written in
bulk with their history. Seeded and dated from today: two loads on the same day agree.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cases.demo import names
from cases.demo.moments import working_moment
from cases.grades import GOOD_OR_BETTER, Grade
from cases.models import Case, Organisation, StaffMember
from cases.roles import Role
from core.months import add_months, month_end, month_start
from observations.models import Observation, ObservationAction, Setting

SEED = "observations"
MONTHS = 12
# One observation every this many months per manager.
EVERY = 3
HISTORY_REASON = "Demo data"

# What the observers wrote, by how good the practice was (seed 001's settings).
WENT_WELL = {
    "good": (
        "The practitioner had prepared well: they knew the plan, the family's history and what "
        "the child had said at the last visit, and used it to keep the meeting on the child.",
        "Warm, respectful relationship with the young person; the practitioner let them lead "
        "and checked their understanding before moving on.",
        "Clear explanation of why the local authority is worried, in plain words, with the "
        "parents' strengths named first. Mum said she felt listened to.",
        "The child's wishes and feelings were brought into the room through their own words "
        "and drawings, and shaped the actions agreed.",
        "Good use of the signs of safety framework: worries, what's working well and next "
        "steps were agreed with the family rather than for them.",
    ),
    "poor": (
        "The practitioner was kind and patient with the family and kept calm when dad became "
        "upset.",
        "The visit happened on time and the child was seen.",
        "Partner agencies were invited and most attended.",
    ),
}
EVEN_BETTER_IF = {
    "good": (
        "Even better if the practitioner had checked with the young person afterwards what "
        "they made of the meeting.",
        "Even better if the plan's timescales had been written down for the family before "
        "they left.",
        "Even better if the school's view had been sought ahead of the review.",
    ),
    "poor": (
        "The child was not seen alone and their voice was not heard in the meeting: the "
        "discussion was about them rather than with them.",
        "The practitioner had not read the latest assessment, so the family had to repeat "
        "their history and the risks from the last incident were not discussed.",
        "Actions were agreed without owners or timescales, and it was unclear what would "
        "change for the child.",
    ),
}
IMPACT = {
    "good": (
        "The child left knowing who to call and what will happen next; the plan reflects what "
        "they asked for.",
        "Mum agreed to the safety plan and named her own support network, which makes it more "
        "likely to hold.",
        "The young person re-engaged with the youth project after the session.",
    ),
    "poor": (
        "Little evidence of impact on the child from this session: the focus was on adults' tasks.",
        "The child's lived experience was not explored, so we cannot say whether they are safer.",
    ),
}
REFLECTIONS = (
    "I agree the meeting ran long. Next time I will send the family the agenda in advance and "
    "check the chronology beforehand.",
    "It was helpful to hear what went well. I want to keep using the three houses with younger "
    "children and will ask for training on direct work with teenagers.",
    "I found the feedback fair. I had been worried about the family's response and leaned too "
    "much on the adults; I'll plan time to see the child alone.",
    "Useful to talk this through in supervision. I am going to try writing the plan with the "
    "family during the visit.",
)
FAMILY_VIEWS = (
    "Mum said the social worker explained things better than before and she knows what she "
    "needs to do.",
    "The young person said the meeting was 'alright' and they liked being asked first.",
    "Dad felt the meeting was rushed and that nobody listened to his side.",
    "Grandparents said they felt included for the first time.",
)
ACTIONS = (
    "Complete direct work with the child to capture their wishes and feelings before the next "
    "review.",
    "Update the chronology and read the latest assessment before the next visit.",
    "Agree the plan's actions with owners and timescales and share them with the family.",
)
MODERATION = (
    "A clear, evidenced observation. The link from what you saw to the impact on the child is "
    "well made.",
    "Good detail on the practice seen; say more about what difference it made to the child.",
    "I would grade this lower: the child was not seen alone and the observation says so.",
)
GRADES = (Grade.OUTSTANDING, Grade.GOOD, Grade.GOOD, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT)
CASE_SETTINGS = (Setting.REVIEW, Setting.CONFERENCE, Setting.HOME_VISIT, Setting.ONE_TO_ONE)


@dataclass
class Pair:
    observer: StaffMember
    observed: list[StaffMember]
    qa: StaffMember | None


def _pairs(org: Organisation) -> list[Pair]:
    """Each manager and the people they observe: a team manager their practitioners, a
    service manager the team managers of their service."""
    staff = list(
        StaffMember.objects.filter(organisation=org, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    qa = next((s for s in staff if s.role == Role.QA), None)
    by_team: dict[int, list[StaffMember]] = defaultdict(list)
    managers_by_service: dict[int, list[StaffMember]] = defaultdict(list)
    for s in staff:
        if s.role == Role.PRACTITIONER and s.team_id:
            by_team[s.team_id].append(s)
        if s.role == Role.TEAM_MANAGER and s.service_id:
            managers_by_service[s.service_id].append(s)
    pairs = []
    for s in staff:
        if s.role == Role.TEAM_MANAGER and s.team_id and by_team[s.team_id]:
            pairs.append(Pair(s, by_team[s.team_id], qa))
        elif s.role == Role.SERVICE_MANAGER and s.service_id and managers_by_service[s.service_id]:
            pairs.append(Pair(s, managers_by_service[s.service_id], qa))
    return pairs


def _cases_of(org: Organisation, workers: set[int]) -> dict[int, int]:
    """One open child case per practitioner, by their id (the lowest case id)."""
    rows = (
        Case.objects.filter(
            organisation=org,
            status=Case.Status.OPEN,
            child__isnull=False,
            allocated_worker_id__in=workers,
        )
        .order_by("allocated_worker_id", "pk")
        .values_list("allocated_worker_id", "pk")
    )
    first: dict[int, int] = {}
    for worker, case in rows:
        first.setdefault(worker, case)
    return first


class Writer:
    def __init__(self, org: Organisation, today: datetime.date) -> None:
        self.org = org
        self.today = today
        self.rng = random.Random(f"{SEED}:{org.slug}")
        self.observations: list[Observation] = []
        self.actions: list[tuple[Observation, ObservationAction]] = []
        self.count = 0

    def plan(self, pair: Pair, position: int, cases: dict[int, int]) -> None:
        this_month = month_start(self.today)
        turn = 0
        for back in range(MONTHS - 1, -1, -1):
            if (back + position) % EVERY:
                continue
            month = add_months(this_month, -back)
            observed = pair.observed[(position + turn) % len(pair.observed)]
            turn += 1
            self._one(pair, observed, month, back, cases)

    def _one(
        self,
        pair: Pair,
        observed: StaffMember,
        month: datetime.date,
        back: int,
        cases: dict[int, int],
    ) -> None:
        rng = self.rng
        due_on = month_end(month)
        if back == 0 and rng.random() < 0.5:
            # Just opened by the rota: nobody chosen yet.
            self.observations.append(self._blank(pair.observer, due_on, month))
            return
        observed_on = min(month + datetime.timedelta(days=rng.randint(2, 25)), self.today)
        grade = rng.choice(GRADES)
        band = "good" if grade in GOOD_OR_BETTER else "poor"
        setting = rng.choice(Setting.values)
        case_id = cases.get(observed.pk) if setting in CASE_SETTINGS else None
        status = self._status(back)
        observation = Observation(
            organisation=self.org,
            observer=pair.observer,
            practitioner=observed,
            setting=setting,
            observed_on=observed_on,
            due_on=due_on,
            case_id=case_id,
            went_well=rng.choice(WENT_WELL[band]),
            even_better_if=rng.choice(EVEN_BETTER_IF[band]),
            impact_on_child=rng.choice(IMPACT[band]),
            grade=grade if status in Observation.FINISHED or rng.random() < 0.6 else "",
            # Two in five asked the family (seed 001's conversation with the family).
            family_view=rng.choice(FAMILY_VIEWS) if self.count % 5 in (1, 3) else "",
            revision=1,
            status=status,
            created_at=working_moment(month, rng),
        )
        self.count += 1
        if status != Observation.Status.AWAITING_REFLECTION and self.count % 3:
            observation.reflection = rng.choice(REFLECTIONS)
            observation.reflection_revision = 1
            observation.reflection_at = working_moment(observed_on, rng)
        if status in Observation.FINISHED:
            observation.submitted_at = working_moment(
                min(observed_on + datetime.timedelta(days=5), self.today), rng
            )
        if status == Observation.Status.MODERATED and pair.qa is not None:
            agrees = rng.random() < 0.8
            observation.moderation_agrees = agrees
            observation.moderated_grade = grade if agrees else Grade.REQUIRES_IMPROVEMENT
            observation.moderation_feedback = rng.choice(MODERATION)
            observation.moderated_by = pair.qa
            observation.moderated_at = working_moment(
                min(observed_on + datetime.timedelta(days=20), self.today), rng
            )
        elif status == Observation.Status.MODERATED:
            observation.status = Observation.Status.SUBMITTED
        self.observations.append(observation)
        if band == "poor" and status in Observation.FINISHED:
            self._action(observation, observed, observed_on)

    def _blank(
        self, observer: StaffMember, due_on: datetime.date, month: datetime.date
    ) -> Observation:
        return Observation(
            organisation=self.org,
            observer=observer,
            due_on=due_on,
            created_at=working_moment(month, self.rng),
        )

    def _status(self, back: int) -> str:
        if back == 0:
            return Observation.Status.DRAFT
        if back == 1:
            return self.rng.choice(
                (Observation.Status.AWAITING_REFLECTION, Observation.Status.SUBMITTED)
            )
        if back <= 3:
            # The QA service moderates a quarter behind.
            return Observation.Status.SUBMITTED
        return Observation.Status.MODERATED

    def _action(
        self, observation: Observation, owner: StaffMember, observed_on: datetime.date
    ) -> None:
        due_on = observed_on + datetime.timedelta(days=30)
        done = due_on < self.today - datetime.timedelta(days=30)
        action = ObservationAction(
            organisation=self.org,
            description=self.rng.choice(ACTIONS),
            owner=owner,
            due_on=due_on,
            status=ObservationAction.Status.DONE if done else ObservationAction.Status.OPEN,
            done_on=due_on if done else None,
            created_by=observation.observer,
        )
        self.actions.append((observation, action))

    def save(self) -> int:
        now = timezone.now()
        created = bulk_create_with_history(
            self.observations,
            Observation,
            batch_size=500,
            default_date=now,
            default_change_reason=HISTORY_REASON,
        )
        by_identity = dict(zip(map(id, self.observations), created, strict=True))
        actions = []
        for observation, action in self.actions:
            action.observation = by_identity[id(observation)]
            action.created_at = now
            actions.append(action)
        bulk_create_with_history(
            actions,
            ObservationAction,
            batch_size=500,
            default_date=now,
            default_change_reason=HISTORY_REASON,
        )
        return len(created)


def _ensure_logins_work(writer: Writer, pairs: list[Pair]) -> None:
    """team.manager has an observation the rota just opened, and one of the practitioner
    login waiting for their reflection."""
    manager = next((p for p in pairs if p.observer.user.username == names.TEAM_MANAGER_LOGIN), None)
    if manager is None:
        return
    practitioner = next(
        (s for s in manager.observed if s.user.username == "practitioner"), manager.observed[0]
    )
    month = month_start(writer.today)
    writer.observations.append(writer._blank(manager.observer, month_end(month), month))
    writer.observations.append(
        Observation(
            organisation=writer.org,
            observer=manager.observer,
            practitioner=practitioner,
            setting=Setting.HOME_VISIT,
            observed_on=writer.today - datetime.timedelta(days=3),
            due_on=month_end(month),
            went_well=WENT_WELL["good"][0],
            even_better_if=EVEN_BETTER_IF["good"][1],
            impact_on_child=IMPACT["good"][0],
            grade=Grade.GOOD,
            revision=1,
            status=Observation.Status.AWAITING_REFLECTION,
            created_at=working_moment(writer.today, writer.rng),
        )
    )


def _load_organisation(org: Organisation, today: datetime.date) -> str:
    if Observation.objects.filter(organisation=org).exists():
        return f"{org.name}: observations already loaded"
    with transaction.atomic():
        pairs = _pairs(org)
        workers = {s.pk for pair in pairs for s in pair.observed}
        cases = _cases_of(org, workers)
        writer = Writer(org, today)
        for position, pair in enumerate(pairs):
            writer.plan(pair, position, cases)
        _ensure_logins_work(writer, pairs)
        written = writer.save()
    return f"{org.name}: {written} practice observations ({len(writer.actions)} actions)"


def load(*, stdout: Any, size: str) -> None:
    """Add a year of practice observations to every organisation of the demo region."""
    today = timezone.localdate()
    organisations = Organisation.objects.filter(region__slug=names.REGION_SLUG).order_by("pk")
    for org in organisations:
        stdout.write(_load_organisation(org, today) + "\n")
