"""The demo's Performance Exceptions returns, run by `load_demo` after the improvement
plan's: last month's return for each council's teams (opened as the first working day's
job would, figures frozen now), about half of them submitted with a narrative written in
the words of seed 003's proforma, and one of those reviewed by its service manager; then
the cascade above: the services' summaries, an action on a return, the head of
service's and senior management team's summaries.
Idempotent: a team that has last month's return is left alone. Seeded and dated from
today."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from cases.demo import names
from cases.models import Organisation, StaffMember
from cases.roles import Role
from core.dates import first_working_day_of_month
from governance import cascade, returns
from governance.cascade_levels import Level
from governance.models import CascadeSummary, ExceptionsReturn, ServiceSummary

SEED = "returns"

NARRATIVES = (
    {
        "working_well": (
            "Visits are happening in timescale for almost every child; the new duty rota "
            "means the team can respond on the same day. Recent improvement: care plans "
            "are now written with the child's own words at the start."
        ),
        "worried_about": (
            "Two assessments went past 45 days while a practitioner was off sick; caseloads "
            "in the team are above 20 for three workers."
        ),
        "most_proud_of": (
            "The life story work one practitioner did with a sibling group, shared at the "
            "practice week as an example of outstanding practice."
        ),
        "actions": (
            "Weekly tracking of assessments nearing 35 days; caseload review with the "
            "service manager; two workers to attend the care planning workshop."
        ),
        "practitioners_feeling": (
            "From supervision and the team day: tired but positive. I have protected one "
            "afternoon a fortnight for reflective group supervision and case recording."
        ),
    },
    {
        "working_well": (
            "Child seen alone is recorded on every visit this month; audits of supervision "
            "show reflective discussion that shapes the plan."
        ),
        "worried_about": (
            "Data quality: missing review dates on a handful of records, being put right. "
            "The audit grades for plans slipped to 'requires improvement' in two cases."
        ),
        "most_proud_of": ("Feedback from a young person who said their worker 'actually listens'."),
        "actions": (
            "Dip sample of plans next month; data-quality clinic with business support; "
            "leadership priority: the voice of the child in every plan."
        ),
        "practitioners_feeling": (
            "Morale is good after the new starters settled; I ask at every team meeting "
            "and in one-to-ones, and act on what I hear (two asked for training, booked)."
        ),
    },
)
COMMENTARY = (
    "A clear return. Assessments off target are explained and the tracking is the right "
    "response; I will raise caseloads at the Performance and Outcomes meeting and look for "
    "a service-wide answer."
)


def load(*, stdout: Any, size: str) -> None:
    today = timezone.localdate()
    opened_on = first_working_day_of_month(today.year, today.month)
    month = returns.month_of(opened_on)
    rng = random.Random(SEED)
    councils = Organisation.objects.filter(
        region__slug=names.REGION_SLUG,
        kind__in=[Organisation.Kind.COUNCIL, Organisation.Kind.TRUST],
    ).order_by("pk")
    reviewed = False
    for organisation in councils:
        created = returns.returns_create(day=opened_on, organisation_id=organisation.pk)
        submitted = 0
        with transaction.atomic():
            fresh = ExceptionsReturn.objects.filter(
                organisation=organisation, month=month, status=ExceptionsReturn.Status.OPEN
            ).order_by("pk")
            for i, ret in enumerate(fresh[:created]):
                if i % 2:
                    continue
                manager = (
                    StaffMember.objects.filter(role=Role.TEAM_MANAGER, team_id=ret.team_id)
                    .order_by("pk")
                    .first()
                )
                if manager is None:
                    continue
                ret = returns.return_save(
                    ret=ret,
                    by=manager,
                    data=rng.choice(NARRATIVES),
                    revision=ret.revision,
                    submit=True,
                )
                submitted += 1
                if not reviewed:
                    reviewer = (
                        StaffMember.objects.filter(
                            role=Role.SERVICE_MANAGER, service_id=ret.service_id
                        )
                        .order_by("pk")
                        .first()
                    )
                    if reviewer is not None:
                        returns.return_review(
                            ret=ret, by=reviewer, commentary=COMMENTARY, revision=ret.revision
                        )
                        reviewed = True
        stdout.write(
            f"  {organisation.name}: {created} exceptions returns for {month:%B %Y}, "
            f"{submitted} submitted"
        )
        _cascade(organisation, month)


# The cascade above the team: each service with a submitted return summarised by its
# service manager, an action raised on one return, and the head of service's and senior
# management team's summaries (the chief executive's left to write).
UPPER = {
    Level.HEAD_OF_SERVICE: (
        "Across the services: assessments nearing 45 days are tracked weekly everywhere; "
        "caseloads above 20 in looked-after teams are the one shared worry."
    ),
    Level.SENIOR_MANAGEMENT: (
        "Caseloads: a recruitment push agreed; the voice of the child in plans stays the "
        "leadership priority for the next quarter."
    ),
}


def _cascade(organisation: Organisation, month: datetime.date) -> None:
    if CascadeSummary.objects.filter(organisation=organisation, month=month).exists():
        return
    with transaction.atomic():
        done = ExceptionsReturn.objects.filter(organisation=organisation, month=month).exclude(
            status=ExceptionsReturn.Status.OPEN
        )
        first = done.select_related("team").order_by("pk").first()
        if first is not None and first.submitted_by is not None:
            cascade.action_raise(
                parent=first,
                by=first.submitted_by,
                title="Weekly tracking of assessments nearing 35 days",
                owner=first.submitted_by,
                due_on=timezone.localdate() + datetime.timedelta(days=28),
            )
        for service_id in sorted(set(done.values_list("service_id", flat=True))):
            manager = (
                StaffMember.objects.filter(role=Role.SERVICE_MANAGER, service_id=service_id)
                .order_by("pk")
                .first()
            )
            if (
                manager is not None
                and manager.service is not None
                and not ServiceSummary.objects.filter(service_id=service_id, month=month).exists()
            ):
                returns.summary_save(
                    service=manager.service,
                    month=month,
                    by=manager,
                    commentary=COMMENTARY,
                    revision=1,
                )
        for level, text in UPPER.items():
            writer = cascade.people_at(organisation.pk, level).order_by("pk").first()
            if writer is not None:
                cascade.summary_save(
                    organisation_id=organisation.pk,
                    month=month,
                    level=level,
                    by=writer,
                    commentary=text,
                    revision=1,
                )
