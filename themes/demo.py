"""Demo thematic reviews for the demo region, run by `load_demo` after the audits' demo
(registered from ThemesConfig.ready): in each council, four themes in different states;
the complete one, and the scheduled one, take the audits demo's thematic audits of their
title as their sample.

Idempotent: themes are added only to an organisation that has none.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from audits.selectors import published_tools_of, thematic_audits
from cases.demo import names
from cases.demo.moments import days_after as _days
from cases.demo.moments import working_moment as _at
from cases.models import Organisation, StaffMember
from core.months import add_months, month_end
from themes import services as theme_services
from themes.models import ThematicReview, ThemeAudit

# The seed of the themes' dates (shared with the audits' demo, so a reload gives the same).
SEED = "qaportal-demo-audits-1"

# --- Thematic reviews: the QA manager's planner -----------------------------------------


@dataclass(frozen=True)
class ThemeSpec:
    title: str
    question: str
    source: str
    source_detail: str
    status: str
    # The theme's month, counted from this month; for a complete theme, the month of its
    # earliest demo audit instead.
    months_ahead: int
    sample_size: int
    proposer: str = "qa"
    findings: str = ""


THEME_SPECS = (
    ThemeSpec(
        "Life story work",
        "Do children looked after or with a plan for permanence have life story work under "
        "way, and does it help them understand their history?",
        ThematicReview.Source.AUDIT,
        "Regular audits kept finding life story work missing or late",
        ThematicReview.Status.COMPLETE,
        0,
        2,
        findings=(
            "Life story work had started for most children sampled, but it was often left "
            "to the foster carer and not revisited after a change of worker.\n\n"
            "Where it was good, the child's own words and photographs were used and the work "
            "was reviewed at each looked-after review.\n\n"
            "Next: a practice guide and a workshop for the looked-after teams; the theme to be "
            "revisited in six months."
        ),
    ),
    ThemeSpec(
        "Chronologies",
        "Are chronologies up to date, and are they used to inform assessments and plans?",
        ThematicReview.Source.MEETING,
        "Senior Leadership Team",
        ThematicReview.Status.SCHEDULED,
        0,
        6,
    ),
    ThemeSpec(
        "Neglect and cumulative harm",
        "Where there is neglect, does the record show its cumulative impact on the child, "
        "rather than treating each new concern as a fresh start?",
        ThematicReview.Source.BOARD,
        "Practice Improvement Board",
        ThematicReview.Status.AGREED,
        1,
        8,
    ),
    ThemeSpec(
        "Re-referrals within 12 months",
        "Why are families coming back within a year of their case closing, and was the step "
        "down to early help planned well?",
        ThematicReview.Source.INDICATOR,
        "Re-referrals within 12 months up from 18% to 24% over two quarters",
        ThematicReview.Status.PROPOSED,
        2,
        10,
        proposer="tm",
    ),
)
# The services each status passes through, after the proposal.
THEME_STEPS = {
    ThematicReview.Status.PROPOSED: (),
    ThematicReview.Status.AGREED: ("agree",),
    ThematicReview.Status.SCHEDULED: ("agree", "schedule"),
    ThematicReview.Status.COMPLETE: ("agree", "schedule", "findings", "complete"),
}


def _theme_month(spec: ThemeSpec, org: Organisation, today: datetime.date) -> datetime.date:
    if spec.status == ThematicReview.Status.COMPLETE:
        first = (
            thematic_audits(organisation_id=org.pk, theme=spec.title)
            .order_by("created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if first is not None:
            return timezone.localtime(first).date().replace(day=1)
        return add_months(today.replace(day=1), -4)
    return add_months(today.replace(day=1), spec.months_ahead)


def _theme_moments(
    spec: ThemeSpec, month: datetime.date, today: datetime.date, rng: random.Random
) -> list[datetime.datetime]:
    """When each of the theme's history records happened, oldest first."""
    if spec.status == ThematicReview.Status.COMPLETE:
        written = min(_days(month_end(month), 8), today)
        days = [_days(month, -21), _days(month, -14), _days(month, -10), written, written]
    else:
        start = min(_days(month, -25), _days(today, -3))
        days = [start, _days(start, 5), _days(start, 8)]
    moments = [_at(min(day, today), rng) for day in days]
    # Two records on one day keep their order.
    for index in range(1, len(moments)):
        moments[index] = max(moments[index], moments[index - 1] + datetime.timedelta(minutes=7))
    return moments


def _ensure_themes(org: Organisation, today: datetime.date) -> int:
    """Four themes in different states; the complete one, and the scheduled one, take the
    demo's thematic audits of their title as their sample."""
    if ThematicReview.objects.filter(organisation=org).exists():
        return 0
    staff = list(StaffMember.objects.filter(organisation=org).select_related("user").order_by("pk"))
    by_login = {s.user.username: s for s in staff}
    team_manager_of = {s.team_id: s for s in staff if s.role == StaffMember.Role.TEAM_MANAGER}
    qa = by_login.get(names.QA_MANAGER_LOGIN) or next(
        (s for s in staff if s.role == StaffMember.Role.QA), None
    )
    if qa is None:
        return 0
    proposers = {
        "qa": qa,
        "tm": by_login.get(names.TEAM_MANAGER_LOGIN) or next(iter(team_manager_of.values()), qa),
    }
    tool = published_tools_of(organisation_id=org.pk).filter(code=names.DIP_SAMPLE_TOOL).first()
    rng = random.Random(f"{SEED}:{org.slug}:themes")
    for spec in THEME_SPECS:
        month = _theme_month(spec, org, today)
        sampled = thematic_audits(organisation_id=org.pk, theme=spec.title).filter(
            theme_link__isnull=True
        )
        takes_sample = "schedule" in THEME_STEPS[spec.status]
        linked = sampled.count() if takes_sample else 0
        theme = theme_services.theme_propose(
            organisation=org,
            proposed_by=proposers[spec.proposer],
            title=spec.title,
            question=spec.question,
            source=spec.source,
            source_detail=spec.source_detail,
            month=month,
            tool=tool,
            sample_size=max(spec.sample_size, linked),
        )
        for step in THEME_STEPS[spec.status]:
            if step == "schedule":
                theme = theme_services.theme_schedule(theme=theme, by=qa)
                ThemeAudit.objects.bulk_create(
                    ThemeAudit(theme=theme, audit_id=audit_id)
                    for audit_id in sampled.order_by("pk").values_list("pk", flat=True)
                )
            elif step == "findings":
                theme = theme_services.theme_findings_save(
                    theme=theme, by=qa, findings=spec.findings
                )
            else:
                theme = getattr(theme_services, f"theme_{step}")(theme=theme, by=qa)
        moments = _theme_moments(spec, month, today, rng)
        records = list(theme.history.order_by("history_date", "history_id"))
        for record, moment in zip(records, moments + [moments[-1]] * len(records), strict=False):
            type(record).objects.filter(pk=record.pk).update(history_date=moment)
        ThematicReview.objects.filter(pk=theme.pk).update(created_at=moments[0])
    return len(THEME_SPECS)


def load(*, stdout: Any, size: str) -> None:
    """Add the demo themes to every council of the demo region."""
    today = timezone.localdate()
    organisations = Organisation.objects.filter(region__slug=names.REGION_SLUG).order_by("pk")
    for org in organisations:
        if org.kind == Organisation.Kind.ADOPTION_AGENCY:
            continue
        with transaction.atomic():
            themes = _ensure_themes(org, today)
        if themes:
            stdout.write(f"{org.name}: {themes} thematic reviews in the planner\n")
