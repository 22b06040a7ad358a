"""A year of demo adoption panel evaluations for the regional adoption agency, run by
`load_demo`.

Each month the agency's adopter journeys reached panel (journey events of kind "panel":
an approval, or a match) makes one panel meeting, held on the day of the month's first
panel event, with an item for each. The chair and two members sit; each rates every item
and most comment. Every meeting before this month has its items collated and sent by the
chair a week after the panel, with a copy to the service manager where the ratings
average below 2.6; this month's wait for the last member's form and the chair.

The agency's roster has one panel member; two more are added here (with demo logins, the
usual password) so that a panel can sit. Idempotent: an organisation that has panel
meetings is left alone. Seeded and dated from today: two loads on the same day agree.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from cases.demo import names
from cases.demo.moments import working_moment
from cases.demo.spec import DEMO_PASSWORD
from cases.models import Case, JourneyEvent, Organisation, StaffMember
from cases.roles import Role
from core.months import add_months, month_start
from feedback.models import PanelEvaluation, PanelItem, PanelMeeting

SEED = "panel-evaluations"
MONTHS = 12
# Panel members the agency's roster lacks: (first name, last name).
MORE_MEMBERS = (("Margaret", "Oduya"), ("Peter", "Lindqvist"))
# How members rate: mostly good, some excellent, a few adequate or poor.
RATINGS = (1, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4)
# Below this average over the item's ratings, the chair copies in the service manager.
WORRYING_AVERAGE = 2.6
COMMENTS = (
    "A thorough report; the analysis of the household's support network was clear.",
    "The presentation answered the panel's questions well and kept the child in focus.",
    "The report described the history but the analysis of risk and resilience was thin.",
    "Good use of the adopters' own words; the panel would have liked more on contact.",
    "The social worker knew the family well and was open about the worries.",
    "Late papers: the panel had little time to read the report before the meeting.",
    "",
)
SUMMARIES = {
    "good": (
        "The panel thanked the social worker for a clear, well-evidenced report and a "
        "confident presentation. The analysis drew the assessment together and the panel's "
        "questions were answered fully.",
        "A strong piece of work: the child's needs and the adopters' capacity to meet them "
        "were analysed carefully. The panel would like to see the same detail on contact.",
    ),
    "poor": (
        "The panel found the report descriptive rather than analytical: it set out the "
        "history but did not weigh the risks and strengths. The team manager is asked to "
        "discuss the analysis in supervision and consider the assessment training.",
        "The papers arrived late and the presentation did not answer the panel's questions "
        "about support after placement. Please discuss in supervision; the panel advisor "
        "can offer a session on writing the analysis.",
    ),
}


def _panel_members(org: Organisation) -> list[StaffMember]:
    """The organisation's panel members, with the demo's two more added when missing."""
    user_model = get_user_model()
    password = None
    for first, last in MORE_MEMBERS:
        username = names.username_for(first, last)
        if StaffMember.objects.filter(user__username=username).exists():
            continue
        password = password or make_password(DEMO_PASSWORD)
        user = user_model.objects.create(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@{names.E_MAIL_DOMAIN.format(slug=org.slug)}",
            password=password,
        )
        StaffMember.objects.create(
            user=user,
            organisation=org,
            role=Role.PANEL_MEMBER,
            job_title="Adoption panel member",
        )
    return list(
        StaffMember.objects.filter(organisation=org, role=Role.PANEL_MEMBER, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )


def _managers(org: Organisation) -> tuple[dict[int, StaffMember], dict[int, StaffMember]]:
    staff = (
        StaffMember.objects.filter(
            organisation=org, role__in=(Role.TEAM_MANAGER, Role.SERVICE_MANAGER)
        )
        .select_related("line_manager")
        .order_by("pk")
    )
    teams: dict[int, StaffMember] = {}
    services: dict[int, StaffMember] = {}
    for s in staff:
        if s.role == Role.TEAM_MANAGER and s.team_id:
            teams.setdefault(s.team_id, s)
        if s.role == Role.SERVICE_MANAGER and s.service_id:
            services.setdefault(s.service_id, s)
    return teams, services


def _panel_events(org: Organisation, since: datetime.date, today: datetime.date) -> list[Any]:
    return list(
        JourneyEvent.objects.filter(
            organisation=org,
            kind=JourneyEvent.Kind.PANEL,
            occurred_on__gte=since,
            occurred_on__lte=today,
            case__adopter__isnull=False,
        )
        .select_related("case__allocated_worker")
        .order_by("occurred_on", "pk")
    )


def _kind(event: Any) -> str:
    return PanelItem.Kind.MATCH if "match" in event.outcome.lower() else PanelItem.Kind.APPROVAL


@transaction.atomic
def _load_organisation(org: Organisation, today: datetime.date) -> str:
    if PanelMeeting.objects.filter(organisation=org).exists():
        return f"{org.name}: panel evaluations already loaded"
    panel = _panel_members(org)
    if len(panel) < 2:
        return f"{org.name}: no adoption panel to evaluate"
    chair, members = panel[0], panel[1:]
    teams, services = _managers(org)
    rng = random.Random(f"{SEED}:{org.slug}:{today.isoformat()}")
    this_month = month_start(today)
    by_month: dict[datetime.date, list[Any]] = defaultdict(list)
    for event in _panel_events(org, add_months(this_month, -(MONTHS - 1)), today):
        by_month[month_start(event.occurred_on)].append(event)
    n_items = n_forms = 0
    for _month, events in sorted(by_month.items()):
        meeting = PanelMeeting.objects.create(
            organisation=org,
            held_on=events[0].occurred_on,
            chair=chair,
            created_at=working_moment(events[0].occurred_on - datetime.timedelta(days=14), rng),
        )
        meeting.members.set(members)
        for event in events:
            made = _item(meeting, event.case, _kind(event), teams, services, panel, rng, today)
            if made is not None:
                n_items += 1
                n_forms += made
    return f"{org.name}: {len(by_month)} panel meetings, {n_items} items, {n_forms} evaluations"


def _item(
    meeting: PanelMeeting,
    case: Case,
    kind: str,
    teams: dict[int, StaffMember],
    services: dict[int, StaffMember],
    panel: list[StaffMember],
    rng: random.Random,
    today: datetime.date,
) -> int | None:
    """An item with its forms (and, for a past month, the chair's copy sent); the number
    of forms, or None when nobody is recorded to present it."""
    worker, manager = case.allocated_worker, teams.get(case.team_id)
    if worker is None or manager is None:
        return None
    current = month_start(meeting.held_on) == month_start(today)
    sitting = panel[: len(panel) - 1] if current else panel
    forms = [
        PanelEvaluation(
            organisation=meeting.organisation,
            member=member,
            report=rng.choice(RATINGS),
            presentation=rng.choice(RATINGS),
            analysis=rng.choice(RATINGS),
            comments=rng.choice(COMMENTS),
            submitted_at=working_moment(meeting.held_on + datetime.timedelta(days=1), rng),
        )
        for member in sitting
    ]
    ratings = [r for f in forms for r in (f.report, f.presentation, f.analysis)]
    worry = sum(ratings) / len(ratings) < WORRYING_AVERAGE
    # The service's manager, or else the team manager's own line manager when that is
    # a service manager (the agency's family finding team reports to one across services).
    line = manager.line_manager
    service_manager = services.get(case.service_id) or (
        line if line is not None and line.role == Role.SERVICE_MANAGER else None
    )
    item = PanelItem.objects.create(
        organisation=meeting.organisation,
        meeting=meeting,
        case=case,
        kind=kind,
        social_worker=worker,
        team_manager=manager,
        service_manager=service_manager,
    )
    for form in forms:
        form.item = item
    PanelEvaluation.objects.bulk_create(forms)
    if not current:
        item.summary = rng.choice(SUMMARIES["poor" if worry else "good"])
        item.to_service_manager = worry and service_manager is not None
        item.sent_on = min(meeting.held_on + datetime.timedelta(days=7), today)
        item.sent_by = meeting.chair
        item.save(update_fields=["summary", "to_service_manager", "sent_on", "sent_by"])
    return len(forms)


def load(*, stdout: Any, size: str) -> None:
    """Add a year of adoption panel evaluations to the demo region's adoption agency."""
    today = timezone.localdate()
    agencies = Organisation.objects.filter(
        region__slug=names.REGION_SLUG, kind=Organisation.Kind.ADOPTION_AGENCY
    ).order_by("pk")
    for org in agencies:
        stdout.write(_load_organisation(org, today) + "\n")
