"""The QA rota: rules, a year's slots for each eligible manager, the case each practice
review will look at (and why), changes to slots, and opening a month's slots.

Seed 001: a ten-month cycle paused in August and December; every tier manager does one
QA activity a month, alternating practice review, practice observation and thematic
review. Seed 000: 5 audits per manager per quarter in the adoption agency.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from audits.selectors import (
    Audit,
    AuditTool,
    AuditType,
    published_tools_of,
    supervision_audited_on,
)
from cases.models import Case, Organisation, StaffMember
from cases.querysets import case_scope
from core.months import month_start
from core.scheduling import is_first_working_day
from observations import services as observation_services
from observations.selectors import Observation
from rota.models import Activity, QARules, Rota, RotaSlot

ROTA_MONTHS = 12
# Blocks of three months from the rota's start: what a quarterly quota counts over.
BLOCK_MONTHS = 3
MAX_SLOTS_PER_MONTH = 5
# Tier managers take slots; the QA service coordinates the rota and takes none.
MANAGER_ROLES = (
    StaffMember.Role.TEAM_MANAGER,
    StaffMember.Role.SERVICE_MANAGER,
    StaffMember.Role.SENIOR_LEADER,
)


class RotaError(Exception):
    """The rota cannot be made or changed as asked; the message says why, for the page."""


def rules_for(organisation: Organisation) -> QARules:
    rules, _ = QARules.objects.get_or_create(organisation=organisation)
    return rules


@transaction.atomic
def rules_update(
    *,
    organisation: Organisation,
    by: StaffMember,
    paused_months: list[int],
    activities: list[str],
    eligible_tiers: list[int],
    quota_period: str,
    quota: int,
    reminder_days: int,
    escalation_days: int,
) -> QARules:
    if len(set(paused_months)) >= 12 or not set(paused_months) <= set(range(1, 13)):
        raise RotaError("Leave at least one month of the year unpaused")
    if not activities or not set(activities) <= set(Activity.values):
        raise RotaError("Choose at least one QA activity")
    if not eligible_tiers or not set(eligible_tiers) <= {1, 2, 3, 4}:
        raise RotaError("Choose at least one tier of manager")
    limit = MAX_SLOTS_PER_MONTH * (BLOCK_MONTHS if quota_period == "quarter" else 1)
    if not 1 <= quota <= limit:
        raise RotaError(f"Enter a quota from 1 to {limit}")
    rules = rules_for(organisation)
    rules.paused_months = sorted(set(paused_months))
    rules.activities = [a for a in Activity.values if a in activities]
    rules.eligible_tiers = sorted(set(eligible_tiers))
    rules.quota_period = quota_period
    rules.quota = quota
    rules.reminder_days = reminder_days
    rules.escalation_days = escalation_days
    rules.updated_by = by
    rules.full_clean()
    rules.save()
    return rules


def eligible_managers(organisation: Organisation, rules: QARules) -> list[StaffMember]:
    return list(
        StaffMember.objects.filter(
            organisation=organisation,
            tier__in=rules.eligible_tiers,
            role__in=MANAGER_ROLES,
            user__is_active=True,
        )
        .select_related("user", "team", "service")
        .order_by("pk")
    )


def active_months(starts_on: datetime.date, rules: QARules) -> list[datetime.date]:
    """The rota's months, paused months left out."""
    months = [starts_on + relativedelta(months=n) for n in range(ROTA_MONTHS)]
    return [m for m in months if m.month not in rules.paused_months]


def slots_per_month(
    months: list[datetime.date], starts_on: datetime.date, rules: QARules, offset: int
) -> dict[datetime.date, int]:
    """How many slots one manager has in each active month.

    A monthly quota is the same every month. A quarterly quota is spread as evenly as
    possible over each three-month block's active months; `offset` (the manager's
    position) rotates which month takes the extra one, so managers' load is spread.
    """
    if rules.quota_period == QARules.QuotaPeriod.MONTH:
        return {month: rules.quota for month in months}
    counts: dict[datetime.date, int] = {}
    for block in range(ROTA_MONTHS // BLOCK_MONTHS):
        first = starts_on + relativedelta(months=block * BLOCK_MONTHS)
        last = first + relativedelta(months=BLOCK_MONTHS)
        in_block = [m for m in months if first <= m < last]
        if not in_block:
            continue
        base, extra = divmod(rules.quota, len(in_block))
        for n, month in enumerate(in_block):
            counts[month] = base + (1 if (n + offset) % len(in_block) < extra else 0)
    return counts


@dataclass
class Candidate:
    case_id: int
    team_id: int
    team_name: str
    worker_id: int | None
    worker_name: str
    service_name: str
    last_audited: datetime.date | None


class CasePicker:
    """Picks a case for each practice review: open, in the manager's scope, not audited in
    the 12 months before the slot's month, never picked twice in the rota, spread across
    teams and workers (the least picked first). Candidates are loaded once per scope."""

    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation
        self.picked: set[int] = set()
        self.team_picks: Counter[int] = Counter()
        self.worker_picks: Counter[int | None] = Counter()
        self._scopes: dict[tuple, list[Candidate]] = {}

    def _candidates(self, manager: StaffMember) -> list[Candidate]:
        key = (manager.role, manager.team_id, manager.service_id)
        if key not in self._scopes:
            rows = (
                Case.objects.filter(organisation=self.organisation, status=Case.Status.OPEN)
                .filter(case_scope(manager.user))
                .annotate(last_audited=Max("audits__due_on"))
                .values(
                    "pk",
                    "team_id",
                    "team__name",
                    "service__name",
                    "allocated_worker_id",
                    "allocated_worker__user__first_name",
                    "allocated_worker__user__last_name",
                    "last_audited",
                )
                .order_by("pk")
            )
            self._scopes[key] = [
                Candidate(
                    case_id=r["pk"],
                    team_id=r["team_id"],
                    team_name=r["team__name"],
                    worker_id=r["allocated_worker_id"],
                    worker_name=" ".join(
                        filter(
                            None,
                            (
                                r["allocated_worker__user__first_name"],
                                r["allocated_worker__user__last_name"],
                            ),
                        )
                    )
                    or "no allocated worker",
                    service_name=r["service__name"],
                    last_audited=r["last_audited"],
                )
                for r in rows
            ]
        return self._scopes[key]

    def pick(self, manager: StaffMember, month: datetime.date) -> tuple[int | None, str]:
        year_before = month - relativedelta(months=12)
        best = None
        best_key = None
        for candidate in self._candidates(manager):
            if candidate.case_id in self.picked:
                continue
            if candidate.last_audited and candidate.last_audited >= year_before:
                continue
            key = (
                self.team_picks[candidate.team_id],
                self.worker_picks[candidate.worker_id],
                candidate.last_audited or datetime.date.min,
                candidate.case_id,
            )
            if best_key is None or key < best_key:
                best, best_key = candidate, key
        if best is None:
            return None, "No open case in this manager's scope is due an audit: pick one by hand."
        reason = (
            f"Open {best.service_name.lower()} case in {best.team_name}, allocated to "
            f"{best.worker_name}; "
            + (
                f"last audited {best.last_audited:%d %B %Y}"
                if best.last_audited
                else "never audited"
            )
            + f". Picked so far this rota: {self.team_picks[best.team_id]} from this team, "
            f"{self.worker_picks[best.worker_id]} from this worker."
        )
        self.picked.add(best.case_id)
        self.team_picks[best.team_id] += 1
        self.worker_picks[best.worker_id] += 1
        return best.case_id, reason


def _overlapping(
    organisation: Organisation, starts_on: datetime.date, ends_on: datetime.date
) -> Rota | None:
    return Rota.objects.filter(
        organisation=organisation, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).first()


@transaction.atomic
def rota_generate(
    *, organisation: Organisation, starts_on: datetime.date, by: StaffMember | None
) -> Rota:
    """Make twelve months of slots from `starts_on` (the first of a month), or refuse
    with a reason and write nothing."""
    if starts_on.day != 1:
        raise RotaError("Choose the month the rota starts in")
    rules = rules_for(organisation)
    ends_on = starts_on + relativedelta(months=ROTA_MONTHS - 1)
    clash = _overlapping(organisation, starts_on, ends_on)
    if clash:
        raise RotaError(
            f"A rota already covers {clash.starts_on:%B %Y} to {clash.ends_on:%B %Y}: "
            "start the new one after it ends"
        )
    managers = eligible_managers(organisation, rules)
    if not managers:
        raise RotaError(
            "No managers are eligible for the rota: check the tiers chosen in the QA rules"
        )
    months = active_months(starts_on, rules)
    if not months:
        raise RotaError("Every month of the year is paused: change the QA rules")
    plan = _plan(managers, months, starts_on, rules)
    needed = sum(1 for _, _, activity in plan if activity == Activity.PRACTICE_REVIEW)
    rota = Rota.objects.create(
        organisation=organisation, starts_on=starts_on, ends_on=ends_on, created_by=by
    )
    picker = CasePicker(organisation)
    slots = []
    for manager, month, activity in plan:
        case_id, reason = (None, "")
        if activity == Activity.PRACTICE_REVIEW:
            case_id, reason = picker.pick(manager, month)
        slots.append(
            RotaSlot(
                rota=rota,
                organisation=organisation,
                manager=manager,
                month=month,
                activity=activity,
                case_id=case_id,
                pick_reason=reason,
            )
        )
    unpicked = sum(1 for s in slots if s.activity == Activity.PRACTICE_REVIEW and not s.case_id)
    if needed and unpicked == needed:
        raise RotaError(
            f"The rota needs {needed} cases for practice reviews but none is open and due "
            "an audit in any manager's scope: lower the quota or check the case data"
        )
    RotaSlot.objects.bulk_create(slots)
    return rota


def _plan(
    managers: list[StaffMember],
    months: list[datetime.date],
    starts_on: datetime.date,
    rules: QARules,
) -> list[tuple[StaffMember, datetime.date, str]]:
    """(manager, month, activity) for every slot. Activities alternate for each manager
    and are staggered between managers, so each month has an even mix of each."""
    activities = list(rules.activities)
    plan = []
    for position, manager in enumerate(managers):
        counts = slots_per_month(months, starts_on, rules, offset=position)
        turn = position
        for month in months:
            for _ in range(counts.get(month, 0)):
                plan.append((manager, month, activities[turn % len(activities)]))
                turn += 1
    return plan


def _record(slot: RotaSlot, reason: str) -> None:
    slot.change_reason = reason
    slot._change_reason = reason  # simple-history stores it with the historical row
    slot.save()


def _require_changeable(slot: RotaSlot) -> None:
    if slot.status not in (RotaSlot.Status.PLANNED, RotaSlot.Status.DEFERRED):
        raise RotaError("Only a slot that has not opened yet can be changed")


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise RotaError("Enter the reason for the change")
    return reason


@transaction.atomic
def slot_swap_case(*, slot: RotaSlot, case: Case, by: StaffMember, reason: str) -> RotaSlot:
    reason = _require_reason(reason)
    _require_changeable(slot)
    if slot.activity != Activity.PRACTICE_REVIEW:
        raise RotaError("Only a practice review has a case")
    if case.organisation_id != slot.organisation_id or case.status != Case.Status.OPEN:
        raise RotaError("Choose an open case of this organisation")
    if RotaSlot.objects.filter(rota=slot.rota, case=case).exclude(pk=slot.pk).exists():
        raise RotaError("That case is already in this rota")
    slot.case = case
    slot.pick_reason = f"Chosen by {by.display_name}: {reason}"
    _record(slot, f"Case changed: {reason}")
    return slot


@transaction.atomic
def slot_reassign(
    *, slot: RotaSlot, manager: StaffMember, by: StaffMember, reason: str
) -> RotaSlot:
    reason = _require_reason(reason)
    _require_changeable(slot)
    if manager.organisation_id != slot.organisation_id or manager.tier < 1:
        raise RotaError("Choose a manager of this organisation")
    slot.manager = manager
    _record(slot, f"Reassigned to {manager.display_name}: {reason}")
    return slot


@transaction.atomic
def slot_defer(
    *, slot: RotaSlot, to_month: datetime.date, by: StaffMember, reason: str
) -> RotaSlot:
    reason = _require_reason(reason)
    _require_changeable(slot)
    to_month = month_start(to_month)
    rules = rules_for(slot.organisation)
    if to_month <= slot.month or to_month > slot.rota.ends_on:
        raise RotaError("Choose a later month within the rota")
    if to_month.month in rules.paused_months:
        raise RotaError(f"{to_month:%B} is a paused month: choose another")
    slot.month = to_month
    slot.status = RotaSlot.Status.PLANNED
    _record(slot, f"Deferred to {to_month:%B %Y}: {reason}")
    return slot


@transaction.atomic
def slot_skip(*, slot: RotaSlot, by: StaffMember, reason: str) -> RotaSlot:
    """For a manager on leave: the slot will not open (the reason is kept)."""
    reason = _require_reason(reason)
    _require_changeable(slot)
    slot.status = RotaSlot.Status.SKIPPED
    _record(slot, f"Skipped: {reason}")
    return slot


def _tool_for(case: Case) -> AuditTool | None:
    """The organisation's published tool for a regular audit of this kind of case."""
    tools = list(published_tools_of(organisation_id=case.organisation_id).order_by("pk"))
    for tool in tools:
        if AuditType.REGULAR in tool.audit_types and case.service.kind in tool.service_kinds:
            return tool
    return next((t for t in tools if AuditType.REGULAR in t.audit_types), None)


def _supervision_tool_of(organisation_id: int) -> AuditTool | None:
    tools = published_tools_of(organisation_id=organisation_id).order_by("pk")
    return next((t for t in tools if t.is_for_supervision), None)


def supervisee_for(manager: StaffMember) -> StaffMember | None:
    """Whose supervision a manager's supervision audit slot audits: someone supervised by
    one of the manager's own reports (the thread from senior managers to the front line),
    else someone of the manager's team or service supervised by another manager; never
    the manager's own supervision. The one whose supervision was audited longest ago
    (never first), then by name."""
    people = StaffMember.objects.filter(
        organisation_id=manager.organisation_id, line_manager__isnull=False
    ).exclude(Q(pk=manager.pk) | Q(line_manager=manager))
    around = Q(team_id=manager.team_id) if manager.team_id else Q(pk__in=[])
    if manager.service_id:
        around |= Q(service_id=manager.service_id) | Q(team__service_id=manager.service_id)
    candidates = list(
        people.filter(line_manager__line_manager=manager).select_related("user")
    ) or list(people.filter(around).select_related("user"))
    if not candidates:
        return None
    audited = supervision_audited_on(supervisee_ids=[c.pk for c in candidates])
    never = datetime.date.min
    return min(
        candidates,
        key=lambda c: (audited.get(c.pk, never), c.user.last_name, c.user.first_name, c.pk),
    )


def _supervision_audit_for(slot: RotaSlot) -> Audit | None:
    from audits.services.audits import AuditStateError, supervision_audit_create

    tool = _supervision_tool_of(slot.organisation_id)
    supervisee = supervisee_for(slot.manager) if tool is not None else None
    if tool is None or supervisee is None:
        return None
    try:
        return supervision_audit_create(
            supervisee=supervisee,
            tool=tool,
            auditor=slot.manager,
            due_on=last_working_day_of_month(slot.month),
            # The supervision of the three months before the slot's.
            period_start=slot.month - relativedelta(months=3),
            period_end=slot.month - datetime.timedelta(days=1),
        )
    except AuditStateError:
        return None


def last_working_day_of_month(month: datetime.date) -> datetime.date:
    from core.dates import is_working_day

    day = month + relativedelta(months=1) - datetime.timedelta(days=1)
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


@dataclass
class OpenedSlot:
    slot: RotaSlot
    audit: Audit | None
    observation: Observation | None = None


def month_open(*, month: datetime.date) -> list[OpenedSlot]:
    """Open every planned slot of `month`: a practice review becomes an audit of its case,
    a supervision audit an audit of someone's supervision (`supervisee_for`), a practice
    observation an observation assigned to its manager. Only planned slots are
    touched, each in its own row lock, so a second run (or one racing this one) opens
    nothing twice."""
    opened = []
    paused = [r.organisation_id for r in QARules.objects.all() if month.month in r.paused_months]
    planned = (
        RotaSlot.objects.filter(month=month, status=RotaSlot.Status.PLANNED)
        .exclude(organisation_id__in=paused)
        .order_by("pk")
    )
    for slot_id in list(planned.values_list("pk", flat=True)):
        result = _open_slot(slot_id)
        if result is not None:
            opened.append(result)
    return opened


@transaction.atomic
def _open_slot(slot_id: int) -> OpenedSlot | None:
    from audits.services.audits import AuditStateError, audit_create

    slot = (
        RotaSlot.objects.select_for_update(of=("self",))
        .select_related("case__service", "manager__user")
        .get(pk=slot_id)
    )
    if slot.status != RotaSlot.Status.PLANNED:
        return None
    audit = None
    case = slot.case
    if slot.activity == Activity.PRACTICE_REVIEW and case is not None:
        tool = _tool_for(case)
        if tool is not None:
            try:
                audit = audit_create(
                    case=case,
                    tool=tool,
                    auditor=slot.manager,
                    due_on=last_working_day_of_month(slot.month),
                    audit_type=AuditType.REGULAR,
                )
            except AuditStateError:
                audit = None
    if slot.activity == Activity.SUPERVISION_AUDIT:
        audit = _supervision_audit_for(slot)
    observation = None
    if slot.activity == Activity.PRACTICE_OBSERVATION:
        # Whom to observe is the manager's choice: the observation names only them.
        observation = observation_services.observation_create(
            observer=slot.manager, due_on=last_working_day_of_month(slot.month)
        )
    slot.audit = audit
    slot.observation = observation
    slot.status = RotaSlot.Status.OPEN
    slot.opened_at = timezone.now()
    slot._change_reason = "Opened for the month"
    slot.save()
    _tell_manager(slot)
    return OpenedSlot(slot=slot, audit=audit, observation=observation)


def _tell_manager(slot: RotaSlot) -> None:
    """One notification per slot (its key), so a second opening run sends nothing."""
    from cases.models import Notification
    from cases.notifications import notify

    activity = slot.get_activity_display().lower()
    work = slot.audit or slot.observation
    ready = ""
    if slot.audit is not None:
        ready = "The audit is ready for you to start."
    elif slot.observation is not None:
        ready = "Record the observation when you have observed one of your practitioners."
    notify(
        recipient=slot.manager,
        kind=Notification.Kind.ASSIGNMENT,
        subject=f"Your {activity} for {slot.month:%B %Y}",
        body=f"Your QA activity this month is a {activity}. {ready}".strip(),
        url=work.get_absolute_url() if work is not None else slot.get_absolute_url(),
        key=f"slot:{slot.pk}:opened",
    )


def slots_overdue(*, today: datetime.date) -> Q:
    """Open slots whose month has ended."""
    return Q(status=RotaSlot.Status.OPEN, month__lt=month_start(today))


# Scheduled work (rota/tasks.py, and the management commands of the same names). Each is
# idempotent: a second run for the same day changes nothing.


def rota_open_month(*, day: datetime.date) -> dict[str, Any]:
    """Open this month's rota slots on its first working day. Paused months (each
    organisation's own, August and December by default) have no slots to open."""
    if not is_first_working_day(day):
        return {"skipped": "not the first working day of the month"}
    opened = month_open(month=day.replace(day=1))
    return {
        "opened": len(opened),
        "audits_created": sum(1 for o in opened if o.audit is not None),
        "observations_created": sum(1 for o in opened if o.observation is not None),
    }


def reminders_send(*, day: datetime.date) -> dict[str, Any]:
    """Send reminders for work due soon and escalate overdue work (see rota/reminders.py);
    return how many reminders and escalations were new."""
    from rota.reminders import reminders_send as send

    return send(day=day)
