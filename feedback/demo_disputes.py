"""A year of demo challenges by independent chairs, run by `load_demo` (seed 003: the
Dispute Resolution Process used by the IRO service "to ensure that there is effective
challenge where necessary", reported monthly).

Each council's independent reviewing officers raise three or four challenges a month
about the plans of looked-after children and children on protection plans. Most are
resolved informally; some climb to formal stage 1 or 2, a few to the director; a few are
withdrawn; this month's are still open, and one or two are overdue. Early in a month,
before this month's are raised, every one of them may have ended: then a chair raises one
today, so that on any day each council has an open challenge that someone is to answer
and that can still climb. Every council gets the default timescales. Idempotent: an
organisation that has challenges is left alone. Seeded and dated from today: two loads
on the same day agree.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from cases.demo import names
from cases.models import Case, Organisation, StaffMember
from cases.querysets import CHILD_SAFEGUARDING_SERVICES
from cases.roles import Role
from core.dates import add_working_days
from core.months import add_months, month_start
from feedback.disputes import stage_people, timescales_for, timescales_seed
from feedback.models import (
    STAGE_ORDER,
    Challenge,
    ChallengeAction,
    ChallengeStage,
    ChallengeTheme,
    ChallengeThemeTag,
    StageOutcome,
)

SEED = "disputes"
MONTHS = 12

CHALLENGES = {
    ChallengeTheme.CARE_PLAN: (
        "The care plan has not been updated since the child moved school and does not say "
        "how their emotional wellbeing will be supported.",
        "Actions agreed at the last review have not been progressed and the plan has no "
        "timescales the child can understand.",
    ),
    ChallengeTheme.PERMANENCE: (
        "There is no permanence plan by the second review. The child needs to know where "
        "they will grow up.",
        "The parallel plan agreed at the review has not been started.",
    ),
    ChallengeTheme.PLACEMENT: (
        "The placement plan does not reflect the child's needs: the carers have not been "
        "given the information they need about the child's health.",
        "The child has said they want to stay with their carers; a placement move is being "
        "planned without their views being considered.",
    ),
    ChallengeTheme.CONTACT: (
        "Family time with the child's brother has not happened for three months, against "
        "the plan and the child's wishes.",
    ),
    ChallengeTheme.HEALTH: (
        "The review health assessment is overdue and the dental check has not been booked.",
    ),
    ChallengeTheme.EDUCATION: (
        "The personal education plan has not been reviewed this term and the child is "
        "missing school.",
    ),
    ChallengeTheme.DELAY: (
        "The child protection plan's core group has not met within the timescale and the "
        "plan is drifting.",
        "The assessment agreed at conference has not started after eight weeks.",
    ),
    ChallengeTheme.RECORDING: (
        "Visits are not recorded on the child's file and the child's views are missing "
        "from the records.",
    ),
}
RESPONSES = (
    "Agreed. The plan will be updated with the child and their carers and shared before "
    "the end of the month.",
    "Thank you for raising this. A meeting has been booked with the family and the "
    "actions will be completed by the date below.",
    "We do not agree that the plan is drifting: the assessment is under way. We will "
    "share the timetable with you.",
    "The team manager has allocated a new worker and the overdue visits have been made.",
)
REASONS = (
    "The response does not address the delay for the child.",
    "No response within the timescale.",
    "The actions agreed at the previous stage have not happened.",
)


def load(*, stdout: Any, size: str) -> None:
    """Add a year of challenges to every organisation of the demo region with safeguarding
    services."""
    today = timezone.localdate()
    organisations = Organisation.objects.filter(region__slug=names.REGION_SLUG).order_by("pk")
    for organisation in organisations:
        stdout.write(_load_organisation(organisation, today) + "\n")


@transaction.atomic
def _load_organisation(organisation: Organisation, today: datetime.date) -> str:
    timescales_seed(organisation=organisation)
    if Challenge.objects.filter(organisation=organisation).exists():
        return f"{organisation.name}: challenges already loaded"
    chairs = list(
        StaffMember.objects.filter(
            organisation=organisation, role=Role.INDEPENDENT_REVIEWER
        ).order_by("pk")
    )
    cases = list(
        Case.objects.filter(
            organisation=organisation,
            child__isnull=False,
            service__kind__in=CHILD_SAFEGUARDING_SERVICES,
        ).order_by("pk")[:400]
    )
    if not chairs or not cases:
        return f"{organisation.name}: no independent chairs or children to challenge about"
    rng = random.Random(f"{SEED}:{organisation.slug}:{today.isoformat()}")
    days = timescales_for(organisation_id=organisation.pk)
    people = stage_people(organisation_id=organisation.pk)
    made = 0
    first = month_start(today)
    for back in range(MONTHS - 1, -1, -1):
        month = add_months(first, -back)
        for _ in range(rng.randint(3, 4)):
            raised_on = month + datetime.timedelta(days=rng.randint(0, 27))
            if raised_on > today:
                continue
            _challenge(rng, rng.choice(chairs), rng.choice(cases), raised_on, today, days, people)
            made += 1
    answerable = [case for case in cases if people.for_stage(STAGE_ORDER[0], case) is not None]
    if answerable and not _open_to_answer(organisation).exists():
        # Its informal stage cannot end before it is answered, on a later working day.
        _challenge(rng, rng.choice(chairs), rng.choice(answerable), today, today, days, people)
        made += 1
    return f"{organisation.name}: {made} challenges"


def _open_to_answer(organisation: Organisation) -> QuerySet[Challenge]:
    """The open challenges whose stage is with someone and can still climb: those the
    demo's pages to respond, escalate and close are about."""
    return Challenge.objects.filter(
        organisation=organisation,
        status=Challenge.Status.OPEN,
        stages__stage=F("stage"),
        stages__responder__isnull=False,
    ).exclude(stage=STAGE_ORDER[-1])


def _challenge(
    rng: random.Random,
    chair: StaffMember,
    case: Case,
    raised_on: datetime.date,
    today: datetime.date,
    days: dict[str, int],
    people: Any,
) -> None:
    theme = rng.choice(list(CHALLENGES))
    themes = {theme}
    if rng.random() < 0.3:
        themes.add(rng.choice(list(ChallengeTheme)))
    challenge = Challenge.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        raised_by=chair,
        raised_on=raised_on,
        description=rng.choice(CHALLENGES[theme]),
        stage=STAGE_ORDER[0],
        due_on=raised_on,
    )
    ChallengeThemeTag.objects.bulk_create(
        ChallengeThemeTag(organisation_id=case.organisation_id, challenge=challenge, theme=t)
        for t in sorted(themes)
    )
    # How far it climbs: most end informally, a few reach the director.
    top = rng.choices(range(4), weights=(60, 25, 11, 4))[0]
    ending = rng.choices((StageOutcome.RESOLVED, StageOutcome.WITHDRAWN), weights=(9, 1))[0]
    start = raised_on
    for index, stage in enumerate(STAGE_ORDER[: top + 1]):
        due_on = add_working_days(start, days[stage])
        last = index == top
        # Answered within the timescale four times in five, a little late otherwise.
        answer_in = days[stage] if rng.random() < 0.8 else days[stage] + rng.randint(2, 6)
        responded_on = add_working_days(start, rng.randint(1, answer_in))
        ended_on = add_working_days(responded_on, rng.randint(0, 2))
        row = ChallengeStage(
            organisation_id=case.organisation_id,
            challenge=challenge,
            stage=stage,
            raised_on=start,
            due_on=due_on,
            responder=people.for_stage(stage, case),
            reason=rng.choice(REASONS) if index else "",
        )
        if ended_on > today:
            # Still open: answered already, or not yet.
            if responded_on <= today and rng.random() < 0.5:
                _respond(rng, row, responded_on)
            row.save()
            challenge.stage, challenge.due_on = stage, due_on
            challenge.save(update_fields=["stage", "due_on"])
            return
        _respond(rng, row, responded_on)
        row.outcome = ending if last else StageOutcome.ESCALATED
        row.resolved_on = ended_on
        row.save()
        if row.response and rng.random() < 0.4 and row.responder is not None:
            ChallengeAction.objects.create(
                organisation_id=case.organisation_id,
                challenge=challenge,
                stage=row,
                description="Update the plan with the child and share it with the chair",
                owner=case.allocated_worker or row.responder,
                due_on=ended_on + datetime.timedelta(days=20),
                status=(
                    ChallengeAction.Status.DONE
                    if ended_on + datetime.timedelta(days=20) < today
                    else ChallengeAction.Status.OPEN
                ),
                done_on=(
                    ended_on + datetime.timedelta(days=rng.randint(5, 20))
                    if ended_on + datetime.timedelta(days=20) < today
                    else None
                ),
            )
        challenge.stage, challenge.due_on = stage, due_on
        start = ended_on
    challenge.status = (
        Challenge.Status.RESOLVED if ending == StageOutcome.RESOLVED else Challenge.Status.WITHDRAWN
    )
    challenge.closed_on = start
    challenge.save(update_fields=["stage", "due_on", "status", "closed_on"])


def _respond(rng: random.Random, row: ChallengeStage, responded_on: datetime.date) -> None:
    row.response = rng.choice(RESPONSES)
    row.responded_by = row.responder
    row.responded_on = responded_on
