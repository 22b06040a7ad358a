"""Reads for the QA rota: rotas and slots of the user's organisation, the rota as a grid,
a slot's history, and the compliance figures (counted by the database, not in Python).

A slot's *state* is what the pages show and count:
done — the slot is done, or its audit has been submitted, moderated or made final, or
its observation submitted or moderated;
overdue — open, not done, and its month has ended;
in progress — open, not done, in this month (its audit assigned or in progress, or an
activity without an audit); planned — not opened yet (planned or deferred);
skipped — the manager was on leave. Each slot is in exactly one state.
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from dateutil.relativedelta import relativedelta
from django.db.models import Case as Choose
from django.db.models import Count, Q, QuerySet, TextChoices, Value, When
from django.utils.formats import date_format

from audits.selectors import GRADED_STATUSES, may_see_audit
from cases.models import Case, Organisation, Service, StaffMember, Team
from cases.querysets import staff_of
from core.figures import percent
from core.months import month_start
from observations.selectors import FINISHED_STATUSES as FINISHED_OBSERVATION
from observations.selectors import may_see_observation
from rota.models import Activity, QARules, Rota, RotaSlot
from rota.services import ROTA_MONTHS, eligible_managers, slots_overdue

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    from core.types import AnyUser

    class _State(TypedDict):
        state: str

    # A slot read with its state (`state_annotation`).
    SlotWithState = WithAnnotations[RotaSlot, _State]

VIEW_ROTA = "rota.view_rota"
# The months a new rota may start in: this month and the twelve after it.
START_MONTHS = 13
# Submitted, moderated or final.
FINISHED_AUDIT = GRADED_STATUSES
ACTIVITY_SHORT: dict[str, str] = {
    Activity.PRACTICE_REVIEW: "Review",
    Activity.PRACTICE_OBSERVATION: "Observation",
    Activity.THEMATIC_REVIEW: "Thematic",
    Activity.SUPERVISION_AUDIT: "Supervision",
}


class SlotState(TextChoices):
    DONE = "done", "Done"
    IN_PROGRESS = "in_progress", "In progress"
    OVERDUE = "overdue", "Overdue"
    PLANNED = "planned", "Planned"
    SKIPPED = "skipped", "Skipped"


STATE_COLOURS: dict[str, str] = {
    SlotState.DONE: "green",
    SlotState.IN_PROGRESS: "light-blue",
    SlotState.OVERDUE: "red",
    SlotState.PLANNED: "blue",
    SlotState.SKIPPED: "grey",
}
STATE_LABELS: dict[str, str] = dict(SlotState.choices)


# Months.


def month_label(month: datetime.date, short: bool = False) -> str:
    return date_format(month, "M Y" if short else "F Y")


def rota_months(rota: Rota) -> list[datetime.date]:
    return [rota.starts_on + relativedelta(months=n) for n in range(ROTA_MONTHS)]


def start_months(today: datetime.date) -> list[datetime.date]:
    """The months a rota may be generated from."""
    first = month_start(today)
    return [first + relativedelta(months=n) for n in range(START_MONTHS)]


# Scoping: the rotas and slots of the user's own organisation.


def rules_read(organisation: Organisation) -> QARules:
    """The organisation's QA rules; the defaults (unsaved) when none are recorded yet."""
    return QARules.objects.filter(organisation=organisation).first() or QARules(
        organisation=organisation
    )


# States, as database conditions.


def _prefixed(condition: Q, prefix: str) -> Q:
    """The same condition on a model reaching RotaSlot through `prefix`."""
    clone = copy.copy(condition)
    clone.children = [
        _prefixed(child, prefix) if isinstance(child, Q) else _prefixed_lookup(child, prefix)
        for child in condition.children
    ]
    return clone


def _prefixed_lookup(child: Any, prefix: str) -> tuple[str, Any]:
    """A (lookup, value) child of a Q, its lookup through `prefix`."""
    lookup, value = child
    return f"{prefix}{lookup}", value


def state_conditions(today: datetime.date, prefix: str = "") -> dict[str, Q]:
    """A condition for each SlotState on RotaSlot (or through `prefix`, e.g. "slots__")."""
    done = (
        Q(status=RotaSlot.Status.DONE)
        | Q(audit__status__in=FINISHED_AUDIT)
        | Q(observation__status__in=FINISHED_OBSERVATION)
    )
    opened = Q(status=RotaSlot.Status.OPEN) & ~done
    overdue = slots_overdue(today=today)
    conditions: dict[str, Q] = {
        SlotState.DONE: done,
        SlotState.OVERDUE: opened & overdue,
        SlotState.IN_PROGRESS: opened & ~overdue,
        SlotState.PLANNED: Q(status__in=(RotaSlot.Status.PLANNED, RotaSlot.Status.DEFERRED))
        & ~done,
        SlotState.SKIPPED: Q(status=RotaSlot.Status.SKIPPED) & ~done,
    }
    if prefix:
        return {state: _prefixed(q, prefix) for state, q in conditions.items()}
    return conditions


def state_annotation(today: datetime.date) -> Choose:
    conditions = state_conditions(today)
    return Choose(
        *(When(condition, then=Value(str(state))) for state, condition in conditions.items()),
        default=Value(str(SlotState.PLANNED)),
    )


def _state_counts(today: datetime.date, prefix: str = "") -> dict[str, Count]:
    field_name = f"{prefix}pk" if prefix else "pk"
    return {
        str(state): Count(field_name, filter=condition)
        for state, condition in state_conditions(today, prefix).items()
    }


# The list of rotas.


def rota_list(*, user: AnyUser, today: datetime.date) -> QuerySet[Rota]:
    """The organisation's rotas, newest first, each with its slot count and a count for
    each state (`done`, `in_progress`, `overdue`, `planned`, `skipped`)."""
    return (
        Rota.objects.visible_to(user)
        .select_related("created_by__user")
        .annotate(slot_count=Count("slots"), **_state_counts(today, prefix="slots__"))
        .order_by("-starts_on")
    )


def rota_records(*, user: AnyUser) -> QuerySet[Rota]:
    """The rotas whose pages the user may open (the view looks one up, or 404s)."""
    return Rota.objects.visible_to(user).select_related("organisation", "created_by__user")


# The rota as a grid: one row per manager, one column per month.


@dataclass
class GridMonth:
    month: datetime.date
    paused: bool

    @property
    def label(self) -> str:
        return month_label(self.month, short=True)

    @property
    def full_label(self) -> str:
        return month_label(self.month)


@dataclass
class GridCell:
    month: GridMonth
    slots: list[RotaSlot] = field(default_factory=list)


@dataclass
class GridRow:
    manager: StaffMember
    cells: list[GridCell] = field(default_factory=list)

    @property
    def where(self) -> str:
        manager = self.manager
        if manager.team is not None:
            return manager.team.name
        if manager.service is not None:
            return manager.service.name
        return manager.get_role_display()


@dataclass
class Grid:
    months: list[GridMonth]
    rows: list[GridRow]
    slot_count: int


@dataclass(frozen=True)
class GridFilters:
    team: int | None = None
    service: int | None = None
    activity: str = ""
    state: str = ""

    @property
    def any(self) -> bool:
        return bool(self.team or self.service or self.activity or self.state)


def rota_slots(
    *, rota: Rota, today: datetime.date, filters: GridFilters
) -> QuerySet[SlotWithState]:
    """The rota's slots with their manager and `state`, filtered; one query."""
    slots = (
        rota.slots.select_related("manager__user", "manager__team", "manager__service")
        .annotate(state=state_annotation(today))
        .order_by(
            "manager__user__last_name", "manager__user__first_name", "manager_id", "month", "pk"
        )
    )
    if filters.team:
        slots = slots.filter(manager__team_id=filters.team)
    if filters.service:
        slots = slots.filter(manager__service_id=filters.service)
    if filters.activity:
        slots = slots.filter(activity=filters.activity)
    if filters.state:
        slots = slots.filter(state=filters.state)
    return cast("QuerySet[SlotWithState]", slots)


def rota_grid(*, rota: Rota, rules: QARules, today: datetime.date, filters: GridFilters) -> Grid:
    paused = set(rules.paused_months or ())
    months = [GridMonth(month, month.month in paused) for month in rota_months(rota)]
    column = {grid_month.month: n for n, grid_month in enumerate(months)}
    rows: dict[int, GridRow] = {}
    count = 0
    for slot in rota_slots(rota=rota, today=today, filters=filters):
        slot.short_label = ACTIVITY_SHORT.get(slot.activity, slot.get_activity_display())
        slot.state_label = STATE_LABELS.get(slot.state, "")
        slot.state_colour = STATE_COLOURS.get(slot.state, "")
        row = rows.get(slot.manager_id)
        if row is None:
            row = rows[slot.manager_id] = GridRow(slot.manager, [GridCell(m) for m in months])
        if slot.month in column:
            row.cells[column[slot.month]].slots.append(slot)
            count += 1
    return Grid(months=months, rows=list(rows.values()), slot_count=count)


def organisation_teams(organisation: Organisation) -> QuerySet[Team]:
    return Team.objects.filter(service__organisation=organisation).order_by("name")


def organisation_services(organisation: Organisation) -> QuerySet[Service]:
    return Service.objects.filter(organisation=organisation).order_by("name")


# One slot.


def slot_get(*, user: AnyUser, slot_pk: int, today: datetime.date) -> RotaSlot | None:
    """The slot with what its page shows, or None outside the user's organisation."""
    slots = (
        RotaSlot.objects.visible_to(user)
        .select_related(
            "rota__created_by__user",
            "organisation",
            "manager__user",
            "manager__team",
            "manager__service",
            "case__child",
            "case__adopter",
            "case__team",
            "case__service",
            "audit",
            "observation",
        )
        .annotate(state=state_annotation(today))
    )
    slot = cast("SlotWithState | None", slots.filter(pk=slot_pk).first())
    if slot is None:
        return None
    slot.state_label = STATE_LABELS.get(slot.state, "")
    slot.state_colour = STATE_COLOURS.get(slot.state, "")
    return slot


def may_open_case(*, user: AnyUser, slot: RotaSlot) -> bool:
    """Whether the user may open the slot's case: it is in their scope, or the slot is
    theirs (the rota may ask a manager to review a case of another team)."""
    if slot.case_id is None:
        return False
    staff = staff_of(user)
    if staff is not None and staff.pk == slot.manager_id:
        return True
    return Case.objects.visible_to(user).filter(pk=slot.case_id).exists()


def may_open_observation(*, user: AnyUser, slot: RotaSlot) -> bool:
    if slot.observation_id is None:
        return False
    return may_see_observation(user=user, observation_id=slot.observation_id)


def may_open_audit(*, user: AnyUser, slot: RotaSlot) -> bool:
    if slot.audit_id is None:
        return False
    return may_see_audit(user=user, audit_id=slot.audit_id)


@dataclass(frozen=True)
class Change:
    when: datetime.datetime
    who: str
    what: str


HISTORY_TYPES = {"+": "Added to the rota", "~": "Changed", "-": "Removed"}


def slot_history(*, slot: RotaSlot) -> list[Change]:
    """When the slot was planned, then every recorded change, oldest first. Slots are
    made in bulk when the rota is generated, so the first row comes from the rota."""
    rota = slot.rota
    planned_by = rota.created_by.display_name if rota.created_by else "The QA service"
    changes = [Change(rota.created_at, planned_by, "Planned when the rota was generated")]
    for row in slot.history.select_related("history_user").order_by("history_date", "pk"):
        user = row.history_user
        who = (user.get_full_name() or user.get_username()) if user else "The system"
        what = row.history_change_reason or HISTORY_TYPES.get(row.history_type, "Changed")
        changes.append(Change(row.history_date, who, what))
    return changes


def reassign_choices(*, slot: RotaSlot, rules: QARules) -> list[StaffMember]:
    """The organisation's eligible managers, other than the slot's own."""
    return [m for m in eligible_managers(slot.organisation, rules) if m.pk != slot.manager_id]


def defer_choices(*, slot: RotaSlot, rules: QARules) -> list[datetime.date]:
    """The rota's later months that are not paused."""
    paused = set(rules.paused_months or ())
    return [
        month
        for month in rota_months(slot.rota)
        if slot.month < month <= slot.rota.ends_on and month.month not in paused
    ]


def open_case_by_reference(*, organisation_id: int, reference: str) -> Case | None:
    """The organisation's open case of the child or adopter with this ID."""
    return (
        Case.objects.filter(organisation_id=organisation_id, status=Case.Status.OPEN)
        .filter(Q(child__reference__iexact=reference) | Q(adopter__reference__iexact=reference))
        .select_related("child", "adopter")
        .order_by("pk")
        .first()
    )


# Compliance.


@dataclass
class Tally:
    """A group's slots by state. `due`: slots (not skipped) in months that have begun;
    `done_due`: those of them done."""

    label: str
    done: int = 0
    in_progress: int = 0
    overdue: int = 0
    planned: int = 0
    skipped: int = 0
    due: int = 0
    done_due: int = 0
    paused: bool = False

    @property
    def total(self) -> int:
        return self.done + self.in_progress + self.overdue + self.planned + self.skipped

    @property
    def percent_done(self) -> int | None:
        return percent(self.done_due, self.due)

    def add(self, other: Tally) -> None:
        for name in ("done", "in_progress", "overdue", "planned", "skipped", "due", "done_due"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Compliance:
    by_manager: list[Tally]
    by_team: list[Tally]
    by_service: list[Tally]
    by_month: list[Tally]
    totals: Tally

    @property
    def chart_rows(self) -> list[tuple[str, int, str]]:
        rows = []
        for month in self.by_month:
            if month.due:
                shown = f"{month.percent_done}% ({month.done_due} of {month.due})"
            elif month.paused and not month.total:
                shown = "Paused"
            else:
                shown = "Not due yet"
            rows.append((month.label, month.percent_done or 0, shown))
        return rows


NO_TEAM = "No team"
NO_SERVICE = "No service"


def _tallies(
    slots: QuerySet[RotaSlot], today: datetime.date, group: tuple[str, ...]
) -> list[dict[str, Any]]:
    started = Q(month__lte=month_start(today)) & ~Q(status=RotaSlot.Status.SKIPPED)
    conditions = state_conditions(today)
    return list(
        slots.values(*group)
        .annotate(
            **_state_counts(today),
            due=Count("pk", filter=started),
            done_due=Count("pk", filter=started & conditions[SlotState.DONE]),
        )
        .order_by(*group)
    )


def _tally(label: str, row: dict[str, Any]) -> Tally:
    return Tally(
        label=label,
        **{
            name: row[name]
            for name in ("done", "in_progress", "overdue", "planned", "skipped", "due", "done_due")
        },
    )


def rota_compliance(*, rota: Rota, rules: QARules, today: datetime.date) -> Compliance:
    """The rota's slots by state, by manager, team, service and month: four queries."""
    slots = RotaSlot.objects.filter(rota=rota)
    by_manager = [
        _tally(
            " ".join(filter(None, (r["manager__user__first_name"], r["manager__user__last_name"])))
            or r["manager__user__username"],
            r,
        )
        for r in _tallies(
            slots,
            today,
            (
                "manager__user__last_name",
                "manager__user__first_name",
                "manager__user__username",
                "manager_id",
            ),
        )
    ]
    by_team = [
        _tally(r["manager__team__name"] or NO_TEAM, r)
        for r in _tallies(slots, today, ("manager__team__name", "manager__team_id"))
    ]
    by_service = [
        _tally(r["manager__service__name"] or NO_SERVICE, r)
        for r in _tallies(slots, today, ("manager__service__name", "manager__service_id"))
    ]
    months = {r["month"]: r for r in _tallies(slots, today, ("month",))}
    paused = set(rules.paused_months or ())
    by_month = []
    for month in rota_months(rota):
        row = months.get(month)
        tally = _tally(month_label(month), row) if row else Tally(month_label(month))
        tally.paused = month.month in paused
        by_month.append(tally)
    totals = Tally("All slots")
    for tally in by_month:
        totals.add(tally)
    return Compliance(by_manager, _no_last(by_team), _no_last(by_service), by_month, totals)


def _no_last(tallies: list[Tally]) -> list[Tally]:
    """Groups without a team or service (senior leaders, for example) go last."""
    return sorted(tallies, key=lambda t: t.label in (NO_TEAM, NO_SERVICE))


def slots_due_of(*, organisation_ids: list[int]) -> QuerySet[RotaSlot]:
    """Rota slots of these organisations that were not skipped (the board's compliance
    by month counts those due in each month, and how many of them are done), for a
    caller that scopes by organisation itself."""
    return RotaSlot.objects.filter(organisation_id__in=organisation_ids).exclude(
        status=RotaSlot.Status.SKIPPED
    )


def slot_done(today: datetime.date) -> Q:
    """The condition for a done slot (its audit or observation finished)."""
    return state_conditions(today)[SlotState.DONE]


def slot_records(*, user: AnyUser) -> QuerySet[RotaSlot]:
    """The slots the user may see, with their manager (the board's records behind a
    compliance figure)."""
    return RotaSlot.objects.visible_to(user).select_related("manager__user", "manager__team")
