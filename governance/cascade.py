"""The Performance and Outcomes cascade above the service (seed 003, 4.6-4.9): reads and
writes.

Each month's returns go up in turn: the service managers summarise their teams'
returns (`ServiceSummary`, in returns.py); the heads of service read every service's
summary with its teams' returns side by side and write theirs; the senior management
team reads that and everything below; the chief executive reads the senior management
team's summary and everything below. Each level writes before its meeting
(`returns.meeting_on`), and writing it tells the level above. Any level raises actions
(`ReturnAction`) on what it writes, and the team manager on their return; the
improvement plan gathers them (`improvement_items`) and they keep their link back.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from cases.models import Notification, StaffMember
from cases.notifications import Message, notify_many
from cases.querysets import staff_of
from cases.roles import Role
from core.improvement import improvement_rows
from core.registry import ImprovementItem
from governance import returns
from governance.cascade_levels import (
    CHIEF_EXECUTIVE_TITLE,
    HEAD_OF_SERVICE_TIER,
    UPPER_LEVELS,
    Level,
    staff_level,
)
from governance.models import (
    CascadeSummary,
    ExceptionsReturn,
    PlanAction,
    ReturnAction,
    ServiceSummary,
)

if TYPE_CHECKING:
    from core.types import AnyUser

TITLE_LENGTH = 300
Parent = ExceptionsReturn | ServiceSummary | CascadeSummary


# Who is at each level.


def people_at(organisation_id: int, level: int) -> QuerySet[StaffMember]:
    """The active staff who write at an upper `level` of the organisation."""
    senior = StaffMember.objects.filter(
        organisation_id=organisation_id, role=Role.SENIOR_LEADER, user__is_active=True
    ).select_related("user")
    chief = Q(job_title__istartswith=CHIEF_EXECUTIVE_TITLE)
    if level == Level.HEAD_OF_SERVICE:
        return returns.heads_of_service(organisation_id)
    if level == Level.SENIOR_MANAGEMENT:
        return senior.filter(tier__gt=HEAD_OF_SERVICE_TIER).exclude(chief)
    if level == Level.CHIEF_EXECUTIVE:
        return senior.filter(chief)
    return StaffMember.objects.none()


# Writes.


def summary_save(
    *,
    organisation_id: int,
    month: datetime.date,
    level: int,
    by: StaffMember,
    commentary: str,
    revision: int,
) -> CascadeSummary:
    """Write `level`'s commentary on `month` (the level above hears of it once)."""
    if level not in UPPER_LEVELS:
        raise returns.ReturnError("There is no such level")
    with transaction.atomic():
        summary = _summary_row(organisation_id, month, level)
        summary = CascadeSummary.objects.select_for_update(of=("self",)).get(pk=summary.pk)
        if summary.revision != revision:
            raise returns.ReturnConflict(summary)
        summary.commentary = commentary.strip()
        summary.written_by = by
        summary.written_at = timezone.now()
        summary.revision += 1
        summary.save()
        if summary.commentary:
            _tell_the_level_above(summary)
    return summary


def _summary_row(organisation_id: int, month: datetime.date, level: int) -> CascadeSummary:
    summary, _ = CascadeSummary.objects.get_or_create(
        organisation_id=organisation_id,
        month=month,
        level=level,
        defaults={"meeting_on": returns.meeting_on(month, level)},
    )
    return summary


def _tell_the_level_above(summary: CascadeSummary) -> None:
    above = summary.level + 1
    if above > Level.CHIEF_EXECUTIVE:
        return
    label = Level(summary.level).label
    notify_many(
        Message(
            recipient=person,
            kind=Notification.Kind.INFORMATION,
            subject=(
                f"The {label.lower()} summary of the performance exceptions returns for "
                f"{summary.month:%B %Y} is written"
            ),
            url=summary.get_absolute_url(),
            key=f"cascade-summary:{summary.pk}:written:{person.pk}",
        )
        for person in people_at(summary.organisation_id, above)
    )


def owner_choices(parent: Parent) -> QuerySet[StaffMember]:
    """Who an action raised on `parent` may go to: a return's team (its manager too); a
    service summary's service (its teams' staff and managers); anyone of the
    organisation for an upper level."""
    staff = StaffMember.objects.filter(
        organisation_id=parent.organisation_id, user__is_active=True
    ).select_related("user")
    if isinstance(parent, ExceptionsReturn):
        staff = staff.filter(team_id=parent.team_id)
    elif isinstance(parent, ServiceSummary):
        staff = staff.filter(
            Q(service_id=parent.service_id) | Q(team__service_id=parent.service_id)
        )
    return staff.order_by("user__first_name", "user__last_name", "pk")


def action_raise(
    *,
    parent: Parent,
    by: StaffMember,
    title: str,
    owner: StaffMember,
    due_on: datetime.date,
) -> ReturnAction:
    """Raise an action on a return or a summary (a summary not yet saved is made with
    it); the improvement plan gathers it."""
    title = title.strip()
    if not title:
        raise returns.ReturnError("Enter what the action is")
    if len(title) > TITLE_LENGTH:
        raise returns.ReturnError(f"Describe the action in {TITLE_LENGTH} characters or fewer")
    if owner.pk != by.pk and not owner_choices(parent).filter(pk=owner.pk).exists():
        raise returns.ReturnError("Choose an owner from the list")
    if due_on < timezone.localdate():
        raise returns.ReturnError("The due date must be today or in the future")
    with transaction.atomic():
        parent = _persisted(parent)
        action = ReturnAction(
            organisation_id=parent.organisation_id,
            title=title,
            owner=owner,
            due_on=due_on,
            raised_by=by,
        )
        if isinstance(parent, ExceptionsReturn):
            action.exceptions_return = parent
        elif isinstance(parent, ServiceSummary):
            action.service_summary = parent
        else:
            action.cascade_summary = parent
        action.full_clean()
        action.save()
    return action


def action_complete(*, action: ReturnAction, by: StaffMember) -> ReturnAction:
    """Mark an action done today (the plan follows at its next gather)."""
    with transaction.atomic():
        current = ReturnAction.objects.select_for_update(of=("self",)).get(pk=action.pk)
        if current.status == ReturnAction.Status.DONE:
            raise returns.ReturnError("This action is already done")
        current.status = ReturnAction.Status.DONE
        current.completed_on = timezone.localdate()
        current.save(update_fields=["status", "completed_on"])
    return current


def _persisted(parent: Parent) -> Parent:
    """A summary not written yet is made (empty) when the first action is raised on it."""
    if parent.pk is not None:
        return parent
    if isinstance(parent, ServiceSummary):
        summary, _ = ServiceSummary.objects.get_or_create(
            service_id=parent.service_id,
            month=parent.month,
            defaults={"organisation_id": parent.organisation_id},
        )
        return summary
    assert isinstance(parent, CascadeSummary)
    return _summary_row(parent.organisation_id, parent.month, parent.level)


# The improvement plan's source.


def _parent_url(row: dict[str, Any]) -> str:
    if row["return_id"] is not None:
        return ExceptionsReturn(pk=row["return_id"]).get_absolute_url()
    if row["service_id"] is not None:
        return ServiceSummary(service_id=row["service_id"], month=row["month"]).get_absolute_url()
    return CascadeSummary(level=row["level"], month=row["upper_month"]).get_absolute_url()


def improvement_items(*, organisation_id: int) -> Iterator[ImprovementItem]:
    """For `core.registry.improvement_sources`: every action raised in the cascade, open
    or done, linked back to the return or summary it was raised on."""
    rows = (
        ReturnAction.objects.filter(organisation_id=organisation_id)
        .order_by("pk")
        .values(
            "pk",
            "title",
            "owner_id",
            "due_on",
            raised=F("created_at"),
            done_on=F("completed_on"),
            return_id=F("exceptions_return_id"),
            service_id=F("service_summary__service_id"),
            month=F("service_summary__month"),
            level=F("cascade_summary__level"),
            upper_month=F("cascade_summary__month"),
        )
    )
    yield from improvement_rows(
        rows, source=PlanAction.Source.EXCEPTIONS_RETURN, key="return-action", url=_parent_url
    )


# Reads.


def actions_of(*, user: AnyUser, parents: list[Parent]) -> dict[tuple[str, int], list[Any]]:
    """The visible actions raised on each of `parents`, keyed ("return"|"service"|
    "upper", pk): one query whatever their number."""
    ids: dict[str, list[int]] = {"return": [], "service": [], "upper": []}
    for parent in parents:
        ids[_kind(parent)].append(parent.pk)
    rows = (
        ReturnAction.objects.visible_to(user)
        .filter(
            Q(exceptions_return_id__in=ids["return"])
            | Q(service_summary_id__in=ids["service"])
            | Q(cascade_summary_id__in=ids["upper"])
        )
        .select_related("owner__user")
        .order_by("due_on", "pk")
    )
    found: dict[tuple[str, int], list[Any]] = {}
    for action in rows:
        if action.exceptions_return_id is not None:
            key = ("return", action.exceptions_return_id)
        elif action.service_summary_id is not None:
            key = ("service", action.service_summary_id)
        else:
            assert action.cascade_summary_id is not None
            key = ("upper", action.cascade_summary_id)
        found.setdefault(key, []).append(action)
    return found


def _kind(parent: Parent) -> str:
    if isinstance(parent, ExceptionsReturn):
        return "return"
    if isinstance(parent, ServiceSummary):
        return "service"
    return "upper"


def action(*, user: AnyUser, pk: int) -> ReturnAction | None:
    return (
        ReturnAction.objects.visible_to(user)
        .select_related("exceptions_return", "service_summary", "cascade_summary")
        .filter(pk=pk)
        .first()
    )


@dataclass
class ServiceBlock:
    """A service's month: its summary (or None) and its teams' returns."""

    service: Any
    summary: ServiceSummary | None
    returns: list[ExceptionsReturn] = field(default_factory=list)
    actions: list[Any] = field(default_factory=list)


@dataclass
class CascadeMonth:
    level: int
    month: datetime.date
    meeting_on: datetime.date
    summary: CascadeSummary | None
    below: list[CascadeSummary]
    services: list[ServiceBlock]
    actions: dict[tuple[str, int], list[Any]]


def cascade_month(*, user: AnyUser, level: int, month: datetime.date) -> CascadeMonth:
    """What `level` reads for `month`: the upper summaries below it, every service's
    summary with its teams' returns side by side, and its own summary."""
    staff = staff_of(user)
    organisation_id = staff.organisation_id if staff is not None else 0
    uppers = list(
        CascadeSummary.objects.visible_to(user)
        .filter(organisation_id=organisation_id, month=month, level__lte=level)
        .select_related("written_by__user")
        .order_by("-level")
    )
    own = next((s for s in uppers if s.level == level), None)
    below = [s for s in uppers if s.level < level]
    summaries = {
        s.service_id: s
        for s in ServiceSummary.objects.visible_to(user)
        .filter(organisation_id=organisation_id, month=month)
        .select_related("written_by__user")
    }
    blocks: dict[int, ServiceBlock] = {}
    for ret in (
        returns.returns(user=user).filter(month=month).order_by("service__name", "team__name")
    ):
        block = blocks.get(ret.service_id)
        if block is None:
            block = blocks[ret.service_id] = ServiceBlock(
                ret.service, summaries.get(ret.service_id)
            )
        block.returns.append(ret)
    parents: list[Parent] = [*uppers, *summaries.values()]
    for block in blocks.values():
        parents.extend(block.returns)
    return CascadeMonth(
        level=level,
        month=month,
        meeting_on=returns.meeting_on(month, level),
        summary=own,
        below=below,
        services=list(blocks.values()),
        actions=actions_of(user=user, parents=parents),
    )


@dataclass
class LevelCount:
    label: str
    due_on: datetime.date
    done: int
    expected: int
    detail: str = ""


def level_counts(*, organisation_id: int, month: datetime.date) -> list[LevelCount]:
    """For QA: how far the month's cascade has got, level by level."""
    rets = ExceptionsReturn.objects.filter(organisation_id=organisation_id, month=month)
    counts = rets.aggregate(
        total=Count("pk"),
        submitted=Count("pk", filter=~Q(status=ExceptionsReturn.Status.OPEN)),
        reviewed=Count("pk", filter=Q(status=ExceptionsReturn.Status.REVIEWED)),
        services=Count("service_id", distinct=True),
    )
    services_written = (
        ServiceSummary.objects.filter(organisation_id=organisation_id, month=month)
        .exclude(commentary="")
        .filter(service_id__in=rets.values("service_id"))
        .count()
    )
    written = set(
        CascadeSummary.objects.filter(organisation_id=organisation_id, month=month)
        .exclude(commentary="")
        .values_list("level", flat=True)
    )
    rows = [
        LevelCount(
            "Team returns submitted",
            returns.meeting_on(month, Level.TEAM),
            counts["submitted"],
            counts["total"],
            f"{counts['reviewed']} reviewed by their service manager",
        ),
        LevelCount(
            "Service summaries written",
            returns.meeting_on(month, Level.SERVICE),
            services_written,
            counts["services"],
        ),
    ]
    for level in UPPER_LEVELS:
        rows.append(
            LevelCount(
                f"{Level(level).label} summary written",
                returns.meeting_on(month, level),
                int(level in written),
                1,
            )
        )
    return rows


def writes_at(user: AnyUser) -> int | None:
    return staff_level(staff_of(user))
