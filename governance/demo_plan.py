"""The demo's Quality Improvement Action Plans, run by `load_demo` after every other app's
demo data (seed 003: one plan bringing together all improvement activity, monitored by
the Quality Improvement Board; seed 004: action plans monitored quarterly, repeat audits
evidencing improvement).

For each organisation: four priorities; a councils' last Ofsted inspection (an
adoption agency's, its last inspection too) with three recommendations; a board
decision; then every app's actions gathered in, spread across the priorities, with
progress updates on some and, for one completed action, evidence of impact. Idempotent:
an organisation that has priorities is left alone (but gathered again, which changes
nothing unless a source did). Seeded and dated from today.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from cases.demo import names
from cases.models import Organisation, StaffMember
from cases.roles import Role
from core.months import add_months
from feedback import selectors as feedback_selectors
from governance import plan
from governance.models import ExternalReview, ImpactEvidence, PlanAction, PlanUpdate, Priority

SEED = "plan"

COUNCIL_PRIORITIES = (
    ("Care planning", "Plans that are specific, timely and written with the child."),
    ("Life story work", "Every child in care understands their story, in words they know."),
    ("Supervision", "Reflective supervision that shapes the plan for each child."),
    ("Voice of the child", "What children tell us is recorded and changes what we do."),
)
AGENCY_PRIORITIES = (
    ("Timely matching", "Children are matched with their family without delay."),
    ("Life story work", "Every adopted child has their life story book and later-life letter."),
    ("Adopter preparation", "Prospective adopters are prepared for the children who wait."),
    ("Adoption support", "Families get the support they need when they need it."),
)
COUNCIL_RECOMMENDATIONS = (
    "Improve the quality and timeliness of plans for children in need so that they are "
    "specific and measurable.",
    "Strengthen management oversight and supervision so that drift in children's plans is "
    "identified and acted on.",
    "Ensure that children's views are consistently sought and recorded, and influence plans.",
)
AGENCY_RECOMMENDATIONS = (
    "Reduce the time children wait between the placement order and matching.",
    "Ensure every child has a life story book and later-life letter within timescales.",
    "Improve the consistency of the adoption support needs assessments.",
)
UPDATES = (
    ("Workshops for team managers held in three teams; the rest booked.", "green"),
    ("Behind plan: staffing pressures in two teams. Revised dates agreed at the board.", "amber"),
    ("Guidance rewritten and shared; first dip sample shows early improvement.", "green"),
    ("Not yet started: waiting for the new case recording template.", "red"),
)


def load(*, stdout: Any, size: str) -> None:
    today = timezone.localdate()
    organisations = Organisation.objects.filter(region__slug=names.REGION_SLUG).order_by("pk")
    for organisation in organisations:
        with transaction.atomic():
            note = _load_organisation(organisation, today)
        counts = plan.plan_gather(day=today, organisation_id=organisation.pk)
        with transaction.atomic():
            _spread(organisation, today)
        stdout.write(f"  {organisation.name}: plan {note}; gathered {counts}")


def _people(organisation: Organisation) -> tuple[StaffMember | None, list[StaffMember]]:
    staff = StaffMember.objects.filter(organisation=organisation).select_related("user")
    qa = staff.filter(role=Role.QA).order_by("pk").first()
    leaders = list(staff.filter(role__in=[Role.SENIOR_LEADER, Role.SERVICE_MANAGER]).order_by("pk"))
    return qa, leaders


def _load_organisation(organisation: Organisation, today: datetime.date) -> str:
    if Priority.objects.filter(organisation=organisation).exists():
        return "already there"
    qa, leaders = _people(organisation)
    if qa is None or not leaders:
        return "skipped (no QA service or leaders)"
    agency = organisation.kind == Organisation.Kind.ADOPTION_AGENCY
    priorities = [
        Priority.objects.create(
            organisation=organisation,
            title=title,
            description=description,
            lead=leaders[n % len(leaders)],
            position=n,
        )
        for n, (title, description) in enumerate(
            AGENCY_PRIORITIES if agency else COUNCIL_PRIORITIES
        )
    ]
    review = ExternalReview.objects.create(
        organisation=organisation,
        kind=ExternalReview.Kind.INSPECTION,
        title="Inspection of local authority children's services"
        if not agency
        else "Inspection of the regional adoption agency",
        reported_on=add_months(today, -8),
        summary="Overall effectiveness: requires improvement to be good. Leaders know their "
        "services well; the quality of plans and management oversight is inconsistent.",
        created_by=qa,
    )
    recommendations = AGENCY_RECOMMENDATIONS if agency else COUNCIL_RECOMMENDATIONS
    for n, text in enumerate(recommendations):
        PlanAction.objects.create(
            organisation=organisation,
            priority=priorities[n % len(priorities)],
            title=text,
            owner=leaders[n % len(leaders)],
            due_on=add_months(today, 2 + 2 * n) if n else today - datetime.timedelta(days=9),
            source=PlanAction.Source.INSPECTION,
            review=review,
            raised_on=review.reported_on,
            created_by=qa,
        )
    PlanAction.objects.create(
        organisation=organisation,
        priority=priorities[2],
        title="Report the re-audit of supervision records to the board each quarter.",
        owner=qa,
        due_on=add_months(today, 3),
        source=PlanAction.Source.BOARD,
        decided_by="Quality Improvement Board",
        decided_on=add_months(today, -2),
        raised_on=add_months(today, -2),
        created_by=qa,
    )
    return "created"


def _spread(organisation: Organisation, today: datetime.date) -> None:
    """Put gathered actions not yet under a priority under one (round the priorities),
    add updates to some, and evidence the impact of one completed action."""
    rng = random.Random(f"{SEED}:{organisation.slug}:{today.isoformat()}")
    priorities = list(Priority.objects.filter(organisation=organisation).order_by("position"))
    if not priorities:
        return
    loose = PlanAction.objects.filter(organisation=organisation, priority__isnull=True).order_by(
        "pk"
    )
    for n, action in enumerate(loose.iterator()):
        # A few are left for QA to sort.
        if n % 9 == 8:
            continue
        PlanAction.objects.filter(pk=action.pk).update(priority=priorities[n % len(priorities)])
    qa, _ = _people(organisation)
    if PlanUpdate.objects.filter(organisation=organisation).exists():
        return
    open_actions = list(
        PlanAction.objects.filter(
            organisation=organisation, status__in=PlanAction.OPEN_STATUSES
        ).order_by("pk")[:12]
    )
    for n, action in enumerate(open_actions):
        text, rag = UPDATES[n % len(UPDATES)]
        PlanUpdate.objects.create(
            action=action,
            organisation=organisation,
            text=text,
            rag=rag,
            written_by=action.owner or qa,
            written_at=timezone.now() - datetime.timedelta(days=rng.randint(3, 40)),
        )
        PlanAction.objects.filter(pk=action.pk).update(
            rag=rag, status=PlanAction.Status.IN_PROGRESS
        )
    done = (
        PlanAction.objects.filter(organisation=organisation, status=PlanAction.Status.COMPLETED)
        .order_by("pk")
        .first()
    )
    praise = (
        feedback_selectors.feedback_for_evidence(user=qa.user, limit=200)
        .filter(sentiment="positive")
        .first()
        if qa is not None
        else None
    )
    if done is not None and qa is not None and praise is not None:
        ImpactEvidence.objects.create(
            action=done,
            organisation=organisation,
            kind=ImpactEvidence.Kind.FEEDBACK,
            feedback=praise,
            summary="The family's words since the change show it is felt where it matters.",
            added_by=qa,
        )
        PlanAction.objects.filter(pk=done.pk).update(
            status=PlanAction.Status.IMPACT_EVIDENCED, impact_evidenced_on=today
        )
