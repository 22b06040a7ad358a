"""Reads and writes of the Quality Improvement Action Plan (governance/models/plan.py).

The plan gathers every action raised anywhere from the apps' improvement sources
(`core.registry.improvement_sources`) with `plan_gather`, nightly and on QA's request:
idempotent, keyed by each item's stable key. A gathered action's title, owner, due date
and completion are its source's; the plan adds the priority, updates, RAG and evidence.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from audits import selectors as audit_selectors
from audits.services.audits import AuditStateError, audit_create
from cases.models import Notification, Organisation, StaffMember
from cases.notifications import notify
from core import prepared, registry
from core.batches import batched
from core.figures import percent
from core.months import add_months, month_start
from governance.models import (
    ExternalReview,
    ImpactEvidence,
    PlanAction,
    PlanUpdate,
    Priority,
    ReAudit,
    ReAuditCase,
)
from governance.models.plan import DUE_SOON_DAYS
from governance.rules import may
from performance import selectors_indicators as indicator_selectors
from themes import selectors as theme_selectors
from themes import services as theme_services

if TYPE_CHECKING:
    from core.types import AnyUser

Status = PlanAction.Status
Source = PlanAction.Source
OPEN = list(PlanAction.OPEN_STATUSES)
CLOSED = [Status.COMPLETED, Status.IMPACT_EVIDENCED]


class PlanError(Exception):
    """A change to the plan refused, with the message to show."""


class PlanConflict(PlanError):
    """Someone saved the action after the editor opened it: nothing was overwritten; the
    page shows their version beside the editor's, which is kept in the form."""

    def __init__(self, current: PlanAction) -> None:
        who = current.history.first()
        name = ""
        if who is not None and who.history_user is not None:
            name = getattr(who.history_user, "get_full_name", lambda: "")() or ""
        super().__init__(
            f"{name or 'Someone else'} changed this action after you opened it. Your changes "
            "are below and nothing has been saved: check theirs, then save again."
        )
        self.current = current


# Reads.


def actions(*, user: AnyUser) -> QuerySet[PlanAction]:
    return PlanAction.objects.visible_to(user).select_related("priority", "owner__user", "case")


def priorities(*, user: AnyUser) -> QuerySet[Priority]:
    return Priority.objects.visible_to(user).select_related("lead__user")


def reviews(*, user: AnyUser) -> QuerySet[ExternalReview]:
    return ExternalReview.objects.visible_to(user)


def _counts(today: datetime.date) -> dict[str, Count]:
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    return {
        "open": Count("pk", filter=Q(status__in=OPEN)),
        "overdue": Count("pk", filter=Q(status__in=OPEN, due_on__lt=today)),
        "due_soon": Count("pk", filter=Q(status__in=OPEN, due_on__gte=today, due_on__lte=soon)),
        "completed": Count("pk", filter=Q(status=Status.COMPLETED)),
        "impact": Count("pk", filter=Q(status=Status.IMPACT_EVIDENCED)),
        "total": Count("pk", filter=~Q(status=Status.WITHDRAWN)),
    }


@dataclass(frozen=True)
class PriorityRow:
    priority: Priority | None
    counts: dict[str, int]

    @property
    def done_percent(self) -> int | None:
        return percent(self.counts["completed"] + self.counts["impact"], self.counts["total"])


@dataclass(frozen=True)
class Overview:
    rows: list[PriorityRow]
    totals: dict[str, int]
    reader: Any
    today: datetime.date

    @functools.cached_property
    def by_source(self) -> list[dict[str, Any]]:
        """The counts by source, read only by a page that shows them."""
        labels = dict(Source.choices)
        return [
            {"source": row["source"], "label": labels.get(row["source"], row["source"]), **row}
            for row in prepared.rows(_counts_by, self.reader, self.today, "source")
        ]

    @property
    def done_percent(self) -> int | None:
        return percent(self.totals["completed"] + self.totals["impact"], self.totals["total"])


def overview(*, user: AnyUser, today: datetime.date) -> Overview:
    """Counts by priority (one aggregate query), the totals, and where actions came from.
    Each query compiled once for the reader and the day (`core.prepared`)."""
    by_priority = {
        row["priority_id"]: row for row in prepared.rows(_counts_by, user, today, "priority_id")
    }
    # Every action is under one priority or none: the totals are the groups' sums.
    empty = dict.fromkeys(_counts(today), 0)
    totals = {k: sum(row[k] for row in by_priority.values()) for k in empty}
    rows = [
        PriorityRow(p, {k: by_priority.get(p.pk, empty)[k] for k in empty})
        for p in priorities(user=user)
    ]
    if None in by_priority:
        rows.append(PriorityRow(None, {k: by_priority[None][k] for k in empty}))
    return Overview(rows=rows, totals=totals, reader=user, today=today)


def _counts_by(user: AnyUser, today: datetime.date, key: str) -> QuerySet[Any, dict[str, Any]]:
    """The actions the user sees counted by `key` (a priority or a source)."""
    ordering = (key,) if key == "source" else ()
    return (
        PlanAction.objects.visible_to(user)
        .values(key)
        .annotate(**_counts(today))
        .order_by(*ordering)
    )


VIEWS = {
    "open": "Open",
    "overdue": "Overdue",
    "due_soon": "Due in the next two weeks",
    "completed": "Completed",
    "impact": "Impact evidenced",
    "all": "All",
}


def action_list(
    *,
    user: AnyUser,
    today: datetime.date,
    view: str = "open",
    priority: str = "",
    source: str = "",
) -> QuerySet[PlanAction]:
    """The plan's actions for one of VIEWS, optionally one priority ("none": not yet under
    a priority) and one source; soonest due first."""
    rows = actions(user=user)
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    rows = {
        "open": rows.filter(status__in=OPEN),
        "overdue": rows.filter(status__in=OPEN, due_on__lt=today),
        "due_soon": rows.filter(status__in=OPEN, due_on__gte=today, due_on__lte=soon),
        "completed": rows.filter(status=Status.COMPLETED),
        "impact": rows.filter(status=Status.IMPACT_EVIDENCED),
        "all": rows,
    }.get(view, rows.filter(status__in=OPEN))
    if priority == "none":
        rows = rows.filter(priority__isnull=True)
    elif priority.isdigit():
        rows = rows.filter(priority_id=int(priority))
    if source in Source.values:
        rows = rows.filter(source=source)
    return rows.order_by("due_on", "pk")


@dataclass(frozen=True)
class QuarterRow:
    priority: Priority | None
    raised: int
    completed: int
    impact: int
    overdue_at_end: int
    open_at_end: int
    updates: int


def quarter_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last days of the calendar quarter holding `day`."""
    start = month_start(day).replace(month=(day.month - 1) // 3 * 3 + 1)
    return start, add_months(start, 3) - datetime.timedelta(days=1)


def quarterly(*, user: AnyUser, start: datetime.date) -> list[QuarterRow]:
    """004 6.1: for each priority, over the quarter from `start`: actions raised,
    completed, impact evidenced, still open at its end and overdue then, and updates
    written. Database aggregates, one query for the actions and one for the updates."""
    first, last = quarter_bounds(start)
    return _quarter_rows(
        PlanAction.objects.visible_to(user), list(priorities(user=user)), first, last
    )


def _quarter_rows(
    visible: QuerySet[PlanAction],
    keys_of: list[Priority],
    first: datetime.date,
    last: datetime.date,
) -> list[QuarterRow]:
    after = last + datetime.timedelta(days=1)
    open_at_end = (
        Q(raised_on__lte=last)
        & ~Q(status=Status.WITHDRAWN)
        & (Q(completed_on__isnull=True) | Q(completed_on__gt=last))
    )
    rows: dict[int | None, dict[str, Any]] = {
        row["priority_id"]: dict(row)
        for row in visible.values("priority_id")
        .annotate(
            raised=Count("pk", filter=Q(raised_on__range=(first, last))),
            completed=Count("pk", filter=Q(completed_on__range=(first, last))),
            impact=Count("pk", filter=Q(impact_evidenced_on__range=(first, last))),
            open_at_end=Count("pk", filter=open_at_end),
            overdue_at_end=Count("pk", filter=open_at_end & Q(due_on__lte=last)),
        )
        .order_by()
    }
    updates: dict[int | None, int] = {
        row["action__priority_id"]: row["n"]
        for row in PlanUpdate.objects.filter(
            action__in=visible,
            written_at__date__gte=first,
            written_at__date__lt=after,
        )
        .values("action__priority_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    result = []
    keys: list[Priority | None] = [*keys_of, None]
    for p in keys:
        key = p.pk if p is not None else None
        row = rows.get(key)
        if row is None and key is None:
            continue
        row = row or {}
        result.append(
            QuarterRow(
                priority=p,
                raised=row.get("raised", 0),
                completed=row.get("completed", 0),
                impact=row.get("impact", 0),
                overdue_at_end=row.get("overdue_at_end", 0),
                open_at_end=row.get("open_at_end", 0),
                updates=updates.get(key, 0),
            )
        )
    return result


@dataclass(frozen=True)
class Comparison:
    """A re-audit's grades against the originals'."""

    re_audit: ReAudit
    rows: list[dict[str, Any]] = field(default_factory=list)
    before: dict[str, int | None] = field(default_factory=dict)
    after: dict[str, int | None] = field(default_factory=dict)
    finished: bool = False


def standing_grade(audit: Any) -> str:
    """The grade that stands for a submitted audit: the moderator's where QA moderated it,
    else the auditor's; "" before it is submitted."""
    if audit.status not in audit_selectors.GRADED_STATUSES:
        return ""
    return str(audit.moderated_grade or audit.overall_grade)


def _good_share(audits: Iterable[Any]) -> dict[str, int | None]:
    grades = [standing_grade(a) for a in audits]
    graded = [g for g in grades if g]
    good = sum(1 for g in graded if g in audit_selectors.GOOD_OR_BETTER)
    return {"graded": len(graded), "good": good, "percent": percent(good, len(graded))}


def comparison(*, re_audit: ReAudit) -> Comparison:
    """Before and after: each case's original grade beside its repeat's (same cases), or
    the originals' share good or better beside the dip sample's."""
    organisation_id = re_audit.organisation_id
    if re_audit.mode == ReAudit.Mode.SAME_CASES:
        pairs = list(re_audit.cases.all())
        audits = {
            a.pk: a
            for a in audit_selectors.audits_by_pk(
                organisation_id=organisation_id,
                pks=[p.original_id for p in pairs] + [p.repeat_id for p in pairs],
            )
        }
        rows: list[dict[str, Any]] = [
            {
                "case": audits[p.original_id].case,
                "original": audits[p.original_id],
                "repeat": audits[p.repeat_id],
            }
            for p in pairs
            if p.original_id in audits and p.repeat_id in audits
        ]
        originals = [r["original"] for r in rows]
        repeats = [r["repeat"] for r in rows]
        finished = bool(repeats) and all(standing_grade(a) for a in repeats)
        labels = dict(audit_selectors.Grade.choices)
        for row in rows:
            row["before"] = standing_grade(row["original"])
            row["after"] = standing_grade(row["repeat"])
            row["before_label"] = labels.get(row["before"], "Not graded")
            row["after_label"] = labels.get(row["after"], "")
        return Comparison(re_audit, rows, _good_share(originals), _good_share(repeats), finished)
    originals = list(
        audit_selectors.audits_by_pk(
            organisation_id=organisation_id, pks=[a.pk for a in _originals_of(re_audit)]
        )
    )
    sample: list[Any] = []
    finished = False
    if re_audit.theme is not None:
        sample = list(
            audit_selectors.audits_by_pk(
                organisation_id=organisation_id,
                pks=theme_selectors.theme_audit_pks(
                    organisation_id=organisation_id, theme_pks=[re_audit.theme.pk]
                ),
            )
        )
        finished = re_audit.theme.status == "complete"
    return Comparison(re_audit, [], _good_share(originals), _good_share(sample), finished)


def _originals_of(re_audit: ReAudit) -> list[Any]:
    if re_audit.action is not None:
        return original_audits(action=re_audit.action)
    assert re_audit.priority is not None  # a re-audit is for an action or a priority
    return priority_audits(priority=re_audit.priority)


def priority_audits(*, priority: Priority) -> list[Any]:
    """The audits behind every action under a priority, the latest for each case."""
    actions = PlanAction.objects.filter(priority=priority).exclude(source_key="")
    latest: dict[int, Any] = {}
    for audit in _audits_behind(
        priority.organisation_id, actions.values_list("source_key", flat=True)
    ):
        if audit.case_id not in latest or audit.pk > latest[audit.case_id].pk:
            latest[audit.case_id] = audit
    return sorted(latest.values(), key=lambda a: a.pk)


def original_audits(*, action: PlanAction) -> list[Any]:
    """The audits an action came from: its audit action's audit, the moderated audit, or
    a thematic review's sample. Empty for actions from elsewhere."""
    return _audits_behind(action.organisation_id, [action.source_key])


def _audits_behind(organisation_id: int, source_keys: Iterable[str]) -> list[Any]:
    """The audits behind gathered actions, from their source keys, in two queries however
    many actions there are (one for the thematic reviews' samples, one for the audits)."""
    found: dict[str, list[int]] = {"audit-action": [], "moderation": [], "thematic-review": []}
    for key in source_keys:
        head, _, tail = key.partition(":")
        if head in found and tail.isdigit():
            found[head].append(int(tail))
    audit_pks = found["moderation"]
    if found["thematic-review"]:
        audit_pks += theme_selectors.theme_audit_pks(
            organisation_id=organisation_id, theme_pks=found["thematic-review"]
        )
    if not (found["audit-action"] or audit_pks):
        return []
    return list(
        audit_selectors.audits_behind(
            organisation_id=organisation_id,
            action_pks=found["audit-action"],
            audit_pks=audit_pks,
        )
    )


# Writes.


_SYNCED = (
    "title",
    "owner_id",
    "due_on",
    "status",
    "completed_on",
    "source_url",
    "case_id",
    "closes_in_source",
)


def _synced(
    row: dict[str, Any], item: registry.ImprovementItem, owner_id: int | None
) -> dict[str, Any] | None:
    """The fields of a gathered action that its source now says otherwise, or None."""
    status, completed_on = row["status"], row["completed_on"]
    done = item.closes_in_source and item.done_on is not None
    if item.closes_in_source and status != Status.WITHDRAWN:
        if done and status in OPEN:
            status, completed_on = Status.COMPLETED, item.done_on
        elif not done and status == Status.COMPLETED:
            status, completed_on = Status.IN_PROGRESS, None
    fields = dict(
        zip(
            _SYNCED,
            (
                item.title,
                owner_id,
                item.due_on,
                status,
                completed_on,
                item.url,
                item.case_id,
                item.closes_in_source,
            ),
            strict=True,
        )
    )
    return fields if any(row[k] != v for k, v in fields.items()) else None


def _gather_one(organisation: Organisation, day: datetime.date) -> dict[str, int]:
    existing = {
        row["source_key"]: row
        for row in PlanAction.objects.filter(organisation=organisation)
        .exclude(source_key="")
        .values("pk", "source_key", *_SYNCED)
    }
    staff_ids = set(
        StaffMember.objects.filter(organisation=organisation).values_list("pk", flat=True)
    )
    seen: set[str] = set()
    new: list[PlanAction] = []
    changed: list[PlanAction] = []
    for source in registry.improvement_sources:
        for item in source(organisation_id=organisation.pk):
            seen.add(item.key)
            owner_id = item.owner_id if item.owner_id in staff_ids else None
            done = item.closes_in_source and item.done_on is not None
            row = existing.get(item.key)
            if row is None:
                new.append(
                    PlanAction(
                        organisation=organisation,
                        title=item.title,
                        owner_id=owner_id,
                        due_on=item.due_on,
                        status=Status.COMPLETED if done else Status.NOT_STARTED,
                        completed_on=item.done_on if done else None,
                        source=item.source,
                        source_key=item.key,
                        source_url=item.url,
                        case_id=item.case_id,
                        closes_in_source=item.closes_in_source,
                        raised_on=item.raised_on,
                    )
                )
                continue
            fields = _synced(row, item, owner_id)
            if fields:
                changed.append(PlanAction(pk=row["pk"], **fields))
    # An action its source no longer offers (a data-quality rule with nothing left open,
    # a deleted audit action) is done as far as the plan can tell, from today.
    vanished = [
        PlanAction(pk=row["pk"], status=Status.COMPLETED, completed_on=day)
        for key, row in existing.items()
        if key not in seen and row["closes_in_source"] and row["status"] in OPEN
    ]
    with transaction.atomic():
        for chunk in batched(new, 500):
            PlanAction.objects.bulk_create(chunk, ignore_conflicts=True)
        for chunk in batched(changed, 500):
            PlanAction.objects.bulk_update(chunk, [f.removesuffix("_id") for f in _SYNCED])
        for chunk in batched(vanished, 500):
            PlanAction.objects.bulk_update(chunk, ["status", "completed_on"])
    return {"added": len(new), "updated": len(changed), "closed": len(vanished)}


def plan_gather(*, day: datetime.date, organisation_id: int | None = None) -> dict[str, Any]:
    """Bring every source's actions into each organisation's plan (or one's). Running it
    again changes nothing unless a source did."""
    totals = {"added": 0, "updated": 0, "closed": 0}
    organisations = Organisation.objects.all()
    if organisation_id is not None:
        organisations = organisations.filter(pk=organisation_id)
    for organisation in organisations.order_by("pk"):
        for key, value in _gather_one(organisation, day).items():
            totals[key] += value
    return totals


def _require(user: AnyUser, perm: str, obj: object, message: str) -> None:
    if not may(user, perm, obj):
        raise PlanError(message)


@transaction.atomic
def priority_save(
    *,
    organisation: Organisation,
    by: StaffMember,
    title: str,
    description: str = "",
    lead: StaffMember | None = None,
    priority: Priority | None = None,
) -> Priority:
    _require(
        by.user,
        "governance.manage_plan",
        organisation,
        "Only the QA service and senior leaders set priorities",
    )
    if lead is not None and lead.organisation_id != organisation.pk:
        raise PlanError("Choose a lead from your own organisation")
    clash = Priority.objects.filter(organisation=organisation, title__iexact=title)
    if priority is not None:
        clash = clash.exclude(pk=priority.pk)
    if clash.exists():
        raise PlanError("There is already a priority with that title")
    if priority is None:
        position = Priority.objects.filter(organisation=organisation).count()
        priority = Priority(organisation=organisation, position=position)
    priority.title, priority.description, priority.lead = title, description, lead
    priority.full_clean()
    priority.save()
    return priority


@transaction.atomic
def review_create(
    *,
    organisation: Organisation,
    by: StaffMember,
    kind: str,
    title: str,
    reported_on: datetime.date,
    summary: str = "",
) -> ExternalReview:
    _require(
        by.user,
        "governance.manage_plan",
        organisation,
        "Only the QA service and senior leaders enter external reviews",
    )
    review = ExternalReview(
        organisation=organisation,
        kind=kind,
        title=title,
        reported_on=reported_on,
        summary=summary,
        created_by=by,
    )
    review.full_clean()
    review.save()
    return review


def _check_people(
    organisation_id: int, owner: StaffMember | None, priority: Priority | None
) -> None:
    if owner is not None and owner.organisation_id != organisation_id:
        raise PlanError("Choose an owner from your own organisation")
    if priority is not None and priority.organisation_id != organisation_id:
        raise PlanError("Choose one of your organisation's priorities")


@transaction.atomic
def action_create(
    *,
    organisation: Organisation,
    by: StaffMember,
    source: str,
    title: str,
    owner: StaffMember | None,
    due_on: datetime.date | None,
    priority: Priority | None = None,
    detail: str = "",
    review: ExternalReview | None = None,
    decided_by: str = "",
    decided_on: datetime.date | None = None,
) -> PlanAction:
    """An action entered in the plan: an inspection's recommendation (with its review), a
    board decision (with the board and the date) or the plan's own."""
    _require(
        by.user,
        "governance.manage_plan",
        organisation,
        "Only the QA service and senior leaders add actions to the plan",
    )
    if source not in PlanAction.ENTERED_SOURCES:
        raise PlanError("Actions from audits, observations and the rest arrive from their source")
    if source == Source.INSPECTION and (
        review is None or review.organisation_id != organisation.pk
    ):
        raise PlanError("Choose the external review the recommendation comes from")
    if source == Source.BOARD and not (decided_by and decided_on):
        raise PlanError("Say which board made the decision, and when")
    _check_people(organisation.pk, owner, priority)
    action = PlanAction(
        organisation=organisation,
        source=source,
        title=title,
        detail=detail,
        owner=owner,
        due_on=due_on,
        priority=priority,
        review=review if source == Source.INSPECTION else None,
        decided_by=decided_by if source == Source.BOARD else "",
        decided_on=decided_on if source == Source.BOARD else None,
        raised_on=timezone.localdate(),
        created_by=by,
    )
    action.full_clean()
    action.save()
    if owner is not None and owner != by:
        notify(
            recipient=owner,
            kind=Notification.Kind.ASSIGNMENT,
            subject=f"An improvement plan action for you: {title[:80]}",
            body=f"Due {due_on:%-d %B %Y}." if due_on else "",
            url=action.get_absolute_url(),
            key=f"plan-action-assigned:{action.pk}:{owner.pk}",
        )
    return action


def _locked(action: PlanAction, revision: int | None) -> PlanAction:
    current = PlanAction.objects.select_for_update(of=("self",)).get(pk=action.pk)
    if revision is not None and current.revision != revision:
        raise PlanConflict(current)
    return current


@transaction.atomic
def action_edit(
    *,
    action: PlanAction,
    by: StaffMember,
    revision: int,
    priority: Priority | None,
    title: str | None = None,
    owner: StaffMember | None = None,
    due_on: datetime.date | None = None,
    detail: str | None = None,
) -> PlanAction:
    """Put an action under a priority; for an entered action, change its title, owner,
    due date and detail too (a gathered one changes at its source). Refused with a
    Conflict when someone saved it since `revision` was read."""
    _require(
        by.user,
        "governance.manage_plan",
        action,
        "Only the QA service and senior leaders change the plan",
    )
    current = _locked(action, revision)
    _check_people(current.organisation_id, owner, priority)
    current.priority = priority
    if not current.is_gathered:
        if title is not None:
            current.title = title
        current.owner, current.due_on = owner, due_on
        if detail is not None:
            current.detail = detail
    current.revision += 1
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def update_add(
    *,
    action: PlanAction,
    by: StaffMember,
    text: str,
    rag: str,
    status: str = "",
) -> PlanUpdate:
    """A progress update with the writer's RAG; for an action the plan keeps the status
    of, the update may also move it on (in progress, completed, withdrawn)."""
    _require(
        by.user,
        "governance.update_action",
        action,
        "Only the action's owner, its priority's lead, the QA service and senior leaders "
        "write updates",
    )
    current = _locked(action, None)
    if not current.is_open and status not in ("", Status.IN_PROGRESS):
        raise PlanError("This action is closed")
    if status:
        if current.closes_in_source and status == Status.COMPLETED:
            raise PlanError("Mark this action done where it was raised; the plan follows it")
        if status not in (Status.IN_PROGRESS, Status.COMPLETED, Status.WITHDRAWN):
            raise PlanError("Choose in progress, completed or withdrawn")
        current.status = status
        current.completed_on = timezone.localdate() if status == Status.COMPLETED else None
    elif current.status == Status.NOT_STARTED:
        current.status = Status.IN_PROGRESS
    current.rag = rag
    current.revision += 1
    current.full_clean()
    current.save()
    update = PlanUpdate(
        action=current, organisation_id=current.organisation_id, text=text, rag=rag, written_by=by
    )
    update.full_clean()
    update.save()
    return update


@transaction.atomic
def evidence_add(
    *,
    action: PlanAction,
    by: StaffMember,
    kind: str,
    summary: str,
    re_audit: ReAudit | None = None,
    indicator: str = "",
    before_month: datetime.date | None = None,
    after_month: datetime.date | None = None,
    feedback: Any = None,
) -> ImpactEvidence:
    """Link a piece of evidence of impact to an action: a finished re-audit of its own,
    an indicator's change (its organisation-wide values in two months, read from the
    nightly figures and kept as they were when linked), or a piece of feedback."""
    _require(
        by.user,
        "governance.manage_plan",
        action,
        "Only the QA service and senior leaders record evidence of impact",
    )
    if kind == ImpactEvidence.Kind.RE_AUDIT:
        if re_audit is None or not (
            re_audit.action_id == action.pk
            or (re_audit.priority_id is not None and re_audit.priority_id == action.priority_id)
        ):
            raise PlanError("Choose one of this action's re-audits, or its priority's")
        if not comparison(re_audit=re_audit).finished:
            raise PlanError("The re-audit is not finished yet")
    before = after = url = ""
    if kind == ImpactEvidence.Kind.INDICATOR:
        before, after, url = _indicator_change(action, indicator, before_month, after_month)
    if kind == ImpactEvidence.Kind.FEEDBACK and (
        feedback is None or feedback.organisation_id != action.organisation_id
    ):
        raise PlanError("Choose a piece of your organisation's feedback")
    if kind == ImpactEvidence.Kind.RE_AUDIT:
        url = f"{action.get_absolute_url()}#re-audits"
    if kind == ImpactEvidence.Kind.FEEDBACK and feedback is not None:
        url = feedback.get_absolute_url()
    evidence = ImpactEvidence(
        action=action,
        organisation_id=action.organisation_id,
        kind=kind,
        summary=summary,
        re_audit=re_audit if kind == ImpactEvidence.Kind.RE_AUDIT else None,
        indicator=indicator if kind == ImpactEvidence.Kind.INDICATOR else "",
        before=before,
        after=after,
        feedback=feedback if kind == ImpactEvidence.Kind.FEEDBACK else None,
        url=url,
        added_by=by,
    )
    evidence.full_clean()
    evidence.save()
    return evidence


def _indicator_change(
    action: PlanAction,
    slug: str,
    before_month: datetime.date | None,
    after_month: datetime.date | None,
) -> tuple[str, str, str]:
    """An indicator's organisation-wide value in two months, as the evidence keeps them."""
    indicator = indicator_selectors.CATALOGUE.get(slug)
    if indicator is None or before_month is None or after_month is None:
        raise PlanError("Choose the indicator and the two months to compare")
    if not before_month < after_month:
        raise PlanError("The month before must come before the month after")
    values = {
        row.month: row.value
        for row in indicator_selectors.indicator_values_of(
            [slug],
            organisation_ids=[action.organisation_id],
            first=before_month,
            last=after_month,
        ).filter(month__in=[before_month, after_month])
    }
    shown = []
    for month in (before_month, after_month):
        if values.get(month) is None:
            raise PlanError(f"There is no value of {indicator.name} for {month:%B %Y}")
        shown.append(f"{indicator.format(values[month])} in {month:%B %Y}")
    url = reverse("governance:board_measure", kwargs={"measure": slug})
    return shown[0], shown[1], url


@transaction.atomic
def impact_mark(*, action: PlanAction, by: StaffMember) -> PlanAction:
    """Mark an action "impact evidenced": only once it is completed and has evidence."""
    _require(
        by.user,
        "governance.manage_plan",
        action,
        "Only the QA service and senior leaders mark impact as evidenced",
    )
    current = _locked(action, None)
    if current.status != Status.COMPLETED:
        raise PlanError("Only a completed action can be marked as having evidenced impact")
    if not current.evidence.exists():
        raise PlanError(
            "Link a piece of evidence of impact first: a re-audit, an indicator change or feedback"
        )
    current.status = Status.IMPACT_EVIDENCED
    current.impact_evidenced_on = timezone.localdate()
    current.revision += 1
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def re_audit_request(
    *,
    by: StaffMember,
    mode: str,
    due_on: datetime.date,
    action: PlanAction | None = None,
    priority: Priority | None = None,
) -> ReAudit:
    """Ask for a re-audit of an action or of a whole priority: the same cases audited
    again with the current version of the same tool, each by its original auditor; or a
    fresh dip sample, proposed to the thematic planner with the same tool."""
    subject: PlanAction | Priority | None = action or priority
    if subject is None or (action is not None and priority is not None):
        raise PlanError("Ask for a re-audit of an action or of a priority")
    _require(
        by.user,
        "governance.manage_plan",
        subject,
        "Only the QA service and senior leaders ask for re-audits",
    )
    if due_on <= timezone.localdate():
        raise PlanError("The re-audit's due date must be in the future")
    if action is not None:
        originals, title = original_audits(action=action), action.title
    else:
        assert priority is not None  # one of the two, checked above
        originals, title = priority_audits(priority=priority), priority.title
    re_audit = ReAudit(
        organisation_id=subject.organisation_id,
        action=action,
        priority=priority,
        mode=mode,
        due_on=due_on,
        requested_by=by,
    )
    if mode == ReAudit.Mode.SAME_CASES:
        if not originals:
            raise PlanError("There are no audited cases to audit again: ask for a dip sample")
        re_audit.save()
        for original in originals:
            _repeat(re_audit, original, due_on)
        return re_audit
    if mode != ReAudit.Mode.DIP_SAMPLE:
        raise PlanError("Choose the same cases or a fresh dip sample")
    tool = audit_selectors.current_tool(tool=originals[0].tool) if originals else None
    theme = theme_services.theme_propose(
        organisation=subject.organisation,
        proposed_by=by,
        title=f"Re-audit: {title}"[:160],
        question=f"Has practice changed since this was raised? {title}",
        source="audit",
        source_detail="Improvement plan re-audit",
        month=month_start(due_on),
        tool=tool,
    )
    re_audit.theme_id = theme.pk
    re_audit.save()
    return re_audit


def _repeat(re_audit: ReAudit, original: Any, due_on: datetime.date) -> None:
    """Audit an original's case again with its tool's current version, by its auditor."""
    tool = audit_selectors.current_tool(tool=original.tool)
    if tool is None:
        raise PlanError(f"The audit tool {original.tool.name} has no published version")
    try:
        repeat = audit_create(
            case=original.case,
            tool=tool,
            auditor=original.auditor,
            due_on=due_on,
            audit_type=original.audit_type,
        )
    except AuditStateError as error:
        raise PlanError(str(error)) from error
    ReAuditCase.objects.create(
        re_audit=re_audit,
        organisation_id=re_audit.organisation_id,
        case=original.case,
        original=original,
        repeat=repeat,
    )


def progress_by_organisation(
    *, organisation_ids: Iterable[int], today: datetime.date
) -> dict[int, dict[str, int]]:
    """Each organisation's plan in counts (open, overdue, completed and impact evidenced in
    the last twelve months): one aggregate query, for the regional view's scorecards."""
    since = add_months(today, -12)
    rows = (
        PlanAction.objects.filter(organisation_id__in=list(organisation_ids))
        .values("organisation_id")
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN)),
            overdue=Count("pk", filter=Q(status__in=OPEN, due_on__lt=today)),
            completed=Count("pk", filter=Q(status__in=CLOSED, completed_on__gte=since)),
            impact=Count("pk", filter=Q(impact_evidenced_on__gte=since)),
        )
        .order_by()
    )
    return {
        row["organisation_id"]: {
            "open": row["open"],
            "overdue": row["overdue"],
            "completed": row["completed"],
            "impact": row["impact"],
        }
        for row in rows
    }


# Reports: monthly and quarterly


def quarterly_of(
    *, organisation_id: int, first: datetime.date, last: datetime.date
) -> list[QuarterRow]:
    """The plan's quarterly figures by priority (as `quarterly` counts them) for a
    report, which reads the whole organisation's plan with no user: three queries."""
    return _quarter_rows(
        PlanAction.objects.filter(organisation_id=organisation_id),
        list(Priority.objects.filter(organisation_id=organisation_id)),
        first,
        last,
    )


def same_case_re_audits_of(
    *, organisation_id: int, first: datetime.date, last: datetime.date
) -> list[dict[str, Any]]:
    """Re-audits of the same cases due from `first` to `last`: each with how many of its
    cases' original audits and of their repeats stand good or better (`standing_grade`),
    in one query."""
    pairs = (
        ReAuditCase.objects.filter(
            organisation_id=organisation_id,
            re_audit__mode=ReAudit.Mode.SAME_CASES,
            re_audit__due_on__gte=first,
            re_audit__due_on__lte=last,
        )
        .values(
            "re_audit_id",
            "re_audit__due_on",
            "re_audit__action_id",
            "re_audit__action__title",
            "re_audit__priority__title",
            "original__status",
            "original__overall_grade",
            "original__moderated_grade",
            "repeat__status",
            "repeat__overall_grade",
            "repeat__moderated_grade",
        )
        .order_by("re_audit__due_on", "re_audit_id", "pk")
    )
    found: dict[int, dict[str, Any]] = {}
    for values in pairs:
        pair: dict[str, Any] = dict(values)
        row = found.setdefault(
            pair["re_audit_id"],
            {
                "pk": pair["re_audit_id"],
                "due_on": pair["re_audit__due_on"],
                "action_id": pair["re_audit__action_id"],
                "title": pair["re_audit__action__title"] or pair["re_audit__priority__title"],
                "cases": 0,
                "before": [],
                "after": [],
            },
        )
        row["cases"] += 1
        for side, prefix in (("before", "original__"), ("after", "repeat__")):
            audit = SimpleNamespace(
                status=pair[f"{prefix}status"],
                overall_grade=pair[f"{prefix}overall_grade"],
                moderated_grade=pair[f"{prefix}moderated_grade"],
            )
            row[side].append(audit)
    result = []
    for row in found.values():
        before, after = _good_share(row.pop("before")), _good_share(row.pop("after"))
        result.append({**row, "before": before, "after": after})
    return result
