"""Boards and their meetings (seeds 001, 003 4.6-4.9 and 5.2, 000): reads and writes.

QA and senior leaders keep the boards (name, kind, how often they meet, chair and
members) and schedule meetings. A meeting's agenda links the reports, the months of
Performance Exceptions returns and the improvement plan priorities it reviews; publishing
the agenda tells the members and the chair, and the nightly reminders tell them again a
few working days before the meeting (`meeting_reminders`). When it has been held, QA, a
senior leader or the chair records the minutes and the decisions: a decision with an
owner and a due date becomes an action in the improvement plan (`plan.action_create`,
source "board decision"), which links back to the meeting.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from cases.models import Notification, StaffMember, Team
from cases.notifications import Message, notify_many
from cases.roles import Role
from core.dates import add_working_days
from core.months import add_months, month_start
from governance import plan
from governance.models import (
    AgendaItem,
    Board,
    Decision,
    Meeting,
    PlanAction,
    Priority,
    Report,
)
from governance.rules import may

if TYPE_CHECKING:
    from core.types import AnyUser

# Members are reminded of a planned meeting this many working days before it.
REMIND_WORKING_DAYS = 3
MAX_AGENDA_ITEMS = 40


class BoardError(Exception):
    """A change refused, with the message to show."""


class MeetingConflict(BoardError):
    """Someone saved the meeting after the editor opened it: nothing was overwritten."""

    def __init__(self, current: Meeting) -> None:
        who = current.saved_by.display_name if current.saved_by is not None else "Someone else"
        super().__init__(
            f"{who} changed this meeting after you opened it. Nothing has been saved: "
            "your changes are kept below; check theirs, then save again."
        )
        self.current = current


# Reads.


def boards(*, user: AnyUser) -> QuerySet[Board]:
    return Board.objects.visible_to(user).select_related("chair__user")


def board_list(*, user: AnyUser, today: datetime.date) -> QuerySet[Board]:
    """Boards with their member count, active first."""
    return (
        boards(user=user)
        .annotate(
            member_count=Count("members", distinct=True),
            upcoming=Count(
                "meetings",
                filter=Q(meetings__date__gte=today, meetings__status=Meeting.Status.PLANNED),
                distinct=True,
            ),
        )
        .order_by("-active", "name", "pk")
    )


def board_members(*, board: Board) -> QuerySet[StaffMember]:
    return board.members.select_related("user", "team").order_by(
        "user__last_name", "user__first_name", "pk"
    )


def board_meetings(*, board: Board) -> QuerySet[Meeting]:
    return Meeting.objects.filter(board=board).annotate(item_count=Count("items"))


@dataclass(frozen=True)
class BoardMeetings:
    upcoming: list[Meeting]
    past: list[Meeting]


def meetings_of(*, board: Board, today: datetime.date) -> BoardMeetings:
    rows = list(board_meetings(board=board).order_by("date", "pk"))
    upcoming = [m for m in rows if m.date >= today and m.status == Meeting.Status.PLANNED]
    past = [m for m in reversed(rows) if m not in upcoming]
    return BoardMeetings(upcoming=upcoming, past=past)


def board_reports(*, user: AnyUser, board: Board) -> QuerySet[Report]:
    """The published reports the board received, of those the reader may read."""
    return (
        Report.objects.visible_to(user)
        .filter(boards=board, status=Report.Status.PUBLISHED)
        .order_by("-published_at", "-pk")
    )


def staff_choices(
    *, organisation_id: int, team_id: int | None = None, role: str = ""
) -> QuerySet[StaffMember]:
    """The organisation's staff, narrowed by team and role (a board's member list)."""
    rows = StaffMember.objects.filter(organisation_id=organisation_id, user__is_active=True)
    if team_id is not None:
        rows = rows.filter(team_id=team_id)
    if role:
        rows = rows.filter(role=role)
    return rows.select_related("user", "team").order_by("user__last_name", "user__first_name")


def member_choices(
    *, organisation_id: int, board: Board | None, team_id: int | None = None, role: str = ""
) -> QuerySet[StaffMember]:
    """The staff listed to tick as members: those the filter finds, and the board's
    current members whatever the filter (so narrowing the list never drops anyone)."""
    everyone = staff_choices(organisation_id=organisation_id)
    if team_id is None and not role:
        return everyone
    current = Q(pk__in=board.members.values("pk")) if board is not None else Q(pk__in=[])
    narrowed = Q(team_id=team_id) if team_id is not None else Q()
    if role:
        narrowed &= Q(role=role)
    return everyone.filter(narrowed | current)


def current_member_pks(*, board: Board | None) -> list[int]:
    return list(board.members.values_list("pk", flat=True)) if board is not None else []


def team_choices(*, organisation_id: int) -> QuerySet[Team]:
    return Team.objects.filter(organisation_id=organisation_id).order_by("name")


def meetings(*, user: AnyUser) -> QuerySet[Meeting]:
    return Meeting.objects.visible_to(user).select_related("board__chair__user", "saved_by__user")


def agenda(*, meeting: Meeting) -> QuerySet[AgendaItem]:
    return meeting.items.select_related("presenter__user", "report", "priority")


def decisions(*, meeting: Meeting) -> QuerySet[Decision]:
    return meeting.decisions.select_related("owner__user", "plan_action")


def readable_reports(*, user: AnyUser, pks: Iterable[int]) -> set[int]:
    """Which of these reports the reader may open (an agenda shows the others unlinked)."""
    wanted = [pk for pk in pks if pk]
    if not wanted:
        return set()
    return set(Report.objects.visible_to(user).filter(pk__in=wanted).values_list("pk", flat=True))


def report_choices(*, user: AnyUser) -> QuerySet[Report]:
    """The reports an agenda item may link to: those the editor may read, newest first."""
    return Report.objects.visible_to(user).exclude(status=Report.Status.FAILED)


def priority_choices(*, organisation_id: int) -> QuerySet[Priority]:
    return Priority.objects.filter(organisation_id=organisation_id).order_by("position", "pk")


def agenda_months(*, today: datetime.date) -> list[datetime.date]:
    """The months an agenda item may review the returns of: this month and the twelve
    before it, newest first."""
    start = month_start(today)
    return [add_months(start, -n) for n in range(13)]


def returns_url(month: datetime.date) -> str:
    return f"{reverse('governance:return_summary')}?month={month:%Y-%m}"


# Writes.


def _require(user: AnyUser, perm: str, obj: object, message: str) -> None:
    if not may(user, perm, obj):
        raise BoardError(message)


def _check_staff(organisation_id: int, people: Iterable[StaffMember | None], what: str) -> None:
    if any(p is not None and p.organisation_id != organisation_id for p in people):
        raise BoardError(f"Choose {what} from your organisation's staff")


@transaction.atomic
def board_save(
    *,
    organisation_id: int,
    by: StaffMember,
    name: str,
    kind: str,
    frequency: str,
    purpose: str = "",
    chair: StaffMember | None = None,
    members: Iterable[StaffMember] = (),
    active: bool = True,
    board: Board | None = None,
) -> Board:
    """Create a board, or change one (`board`)."""
    target = board if board is not None else Board(organisation_id=organisation_id)
    _require(
        by.user,
        "governance.manage_boards",
        target,
        "Only the QA service and senior leaders keep the boards",
    )
    members = list(members)
    _check_staff(target.organisation_id, [chair], "the chair")
    _check_staff(target.organisation_id, members, "members")
    clash = Board.objects.filter(organisation_id=target.organisation_id, name__iexact=name)
    if board is not None:
        clash = clash.exclude(pk=board.pk)
    if clash.exists():
        raise BoardError("There is already a board with that name")
    target.name, target.kind, target.frequency = name, kind, frequency
    target.purpose, target.chair, target.active = purpose, chair, active
    target.full_clean(validate_constraints=False)
    target.save()
    target.members.set(members)
    return target


@transaction.atomic
def meeting_create(
    *,
    board: Board,
    by: StaffMember,
    date: datetime.date,
    time: datetime.time | None = None,
    place: str = "",
) -> Meeting:
    _require(
        by.user,
        "governance.manage_boards",
        board,
        "Only the QA service and senior leaders schedule meetings",
    )
    meeting = Meeting(
        organisation_id=board.organisation_id,
        board=board,
        date=date,
        time=time,
        place=place,
        created_by=by,
        saved_by=by,
    )
    meeting.full_clean()
    meeting.save()
    return meeting


def _locked(meeting: Meeting, by: StaffMember, revision: int) -> Meeting:
    _require(
        by.user,
        "governance.edit_meeting",
        meeting,
        "Only the QA service, senior leaders and the board's chair change a meeting",
    )
    current = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("board", "saved_by__user")
        .get(pk=meeting.pk)
    )
    if current.revision != revision:
        raise MeetingConflict(current)
    return current


def _saved(meeting: Meeting, by: StaffMember) -> Meeting:
    meeting.revision += 1
    meeting.saved_by = by
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_edit(
    *,
    meeting: Meeting,
    by: StaffMember,
    revision: int,
    date: datetime.date,
    time: datetime.time | None,
    place: str,
    status: str,
) -> Meeting:
    current = _locked(meeting, by, revision)
    if status not in Meeting.Status.values:
        raise BoardError("Choose whether the meeting is planned, held or cancelled")
    current.date, current.time, current.place, current.status = date, time, place, status
    return _saved(current, by)


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    by: StaffMember,
    revision: int,
    title: str,
    presenter: StaffMember | None = None,
    notes: str = "",
    report: Report | None = None,
    returns_month: datetime.date | None = None,
    priority: Priority | None = None,
) -> Meeting:
    current = _locked(meeting, by, revision)
    _check_staff(current.organisation_id, [presenter], "a presenter")
    if report is not None and report.pk not in readable_reports(user=by.user, pks=[report.pk]):
        raise BoardError("Choose one of your organisation's reports")
    if priority is not None and priority.organisation_id != current.organisation_id:
        raise BoardError("Choose one of your organisation's improvement priorities")
    count = current.items.count()
    if count >= MAX_AGENDA_ITEMS:
        raise BoardError(f"An agenda has at most {MAX_AGENDA_ITEMS} items")
    item = AgendaItem(
        organisation_id=current.organisation_id,
        meeting=current,
        order=count + 1,
        title=title,
        presenter=presenter,
        notes=notes,
        report=report,
        returns_month=returns_month.replace(day=1) if returns_month else None,
        priority=priority,
    )
    item.full_clean()
    item.save()
    return _saved(current, by)


def _renumber(items: list[AgendaItem]) -> None:
    for position, item in enumerate(items, start=1):
        item.order = position
    AgendaItem.objects.bulk_update(items, ["order"])


@transaction.atomic
def agenda_item_remove(
    *, meeting: Meeting, by: StaffMember, revision: int, item_pk: int
) -> Meeting:
    current = _locked(meeting, by, revision)
    deleted, _ = current.items.filter(pk=item_pk).delete()
    if not deleted:
        raise BoardError("That item is no longer on the agenda")
    _renumber(list(current.items.order_by("order", "pk")))
    return _saved(current, by)


@transaction.atomic
def agenda_item_move(
    *, meeting: Meeting, by: StaffMember, revision: int, item_pk: int, up: bool
) -> Meeting:
    """Move an item one place up (or down) the agenda."""
    current = _locked(meeting, by, revision)
    items = list(current.items.order_by("order", "pk"))
    index = next((i for i, item in enumerate(items) if item.pk == item_pk), None)
    if index is None:
        raise BoardError("That item is no longer on the agenda")
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    _renumber(items)
    return _saved(current, by)


def _people_of(board: Board) -> list[StaffMember]:
    people = {m.pk: m for m in board.members.filter(user__is_active=True).select_related("user")}
    if board.chair is not None and board.chair.pk not in people:
        people[board.chair.pk] = board.chair
    return list(people.values())


@transaction.atomic
def agenda_publish(*, meeting: Meeting, by: StaffMember, revision: int) -> Meeting:
    """Send the agenda to the board's members and chair (once each: publishing again
    after a change tells nobody twice)."""
    current = _locked(meeting, by, revision)
    if current.status != Meeting.Status.PLANNED:
        raise BoardError("Only a planned meeting's agenda can be published")
    if not current.items.exists():
        raise BoardError("Add at least one item to the agenda before you publish it")
    current.agenda_published_at = current.agenda_published_at or timezone.now()
    saved = _saved(current, by)
    board = current.board
    url = current.get_absolute_url()
    notify_many(
        Message(
            recipient=person,
            kind=Notification.Kind.INFORMATION,
            subject=f"The agenda for {board.name} on {current.date:%-d %B %Y}",
            url=url,
            key=f"meeting-agenda:{current.pk}:{person.pk}",
        )
        for person in _people_of(board)
    )
    return saved


@transaction.atomic
def minutes_record(*, meeting: Meeting, by: StaffMember, revision: int, minutes: str) -> Meeting:
    """Record the minutes; the meeting is then held."""
    current = _locked(meeting, by, revision)
    if current.status == Meeting.Status.CANCELLED:
        raise BoardError("A cancelled meeting has no minutes")
    if current.date > timezone.localdate():
        raise BoardError("Record the minutes on or after the day of the meeting")
    current.minutes = minutes
    current.status = Meeting.Status.HELD
    return _saved(current, by)


@transaction.atomic
def decision_record(
    *,
    meeting: Meeting,
    by: StaffMember,
    text: str,
    owner: StaffMember | None = None,
    due_on: datetime.date | None = None,
    priority: Priority | None = None,
) -> Decision:
    """A decision of a held meeting; with an owner and a due date it becomes an action in
    the improvement plan, linked back to the meeting."""
    _require(
        by.user,
        "governance.edit_meeting",
        meeting,
        "Only the QA service, senior leaders and the board's chair record decisions",
    )
    if meeting.status != Meeting.Status.HELD:
        raise BoardError("Record the minutes first: decisions belong to a meeting that was held")
    _check_staff(meeting.organisation_id, [owner], "an owner")
    if (owner is None) != (due_on is None):
        raise BoardError("Give the decision both an owner and a due date, or neither")
    decision = Decision(
        organisation_id=meeting.organisation_id,
        meeting=meeting,
        text=text,
        owner=owner,
        due_on=due_on,
        recorded_by=by,
    )
    decision.full_clean()
    if owner is not None:
        board = meeting.board
        try:
            action = plan.action_create(
                organisation=board.organisation,
                by=by,
                source=PlanAction.Source.BOARD,
                title=text[:200],
                detail=text if len(text) > 200 else "",
                owner=owner,
                due_on=due_on,
                priority=priority,
                decided_by=board.name,
                decided_on=meeting.date,
            )
        except plan.PlanError as error:
            raise BoardError(str(error)) from error
        PlanAction.objects.filter(pk=action.pk).update(source_url=meeting.get_absolute_url())
        decision.plan_action = action
    decision.save()
    return decision


# Reminders (core.registry.reminder_sources, sent by the nightly job).


class Rules(Protocol):
    reminder_days: int
    escalation_days: int


def meeting_reminders(
    *, organisation_id: int, rules: Rules, day: datetime.date
) -> Iterator[Message]:
    """A planned meeting with a published agenda, within `REMIND_WORKING_DAYS` working
    days: its members and chair, once."""
    horizon = add_working_days(day, REMIND_WORKING_DAYS)
    due = (
        Meeting.objects.filter(
            organisation_id=organisation_id,
            status=Meeting.Status.PLANNED,
            agenda_published_at__isnull=False,
            date__gt=day,
            date__lte=horizon,
        )
        .select_related("board__chair__user")
        .order_by("date", "pk")
    )
    for meeting in due:
        for person in _people_of(meeting.board):
            yield Message(
                recipient=person,
                kind=Notification.Kind.REMINDER,
                subject=(
                    f"{meeting.board.name} meets on {meeting.date:%A %-d %B %Y}"
                    f"{f' at {meeting.time:%H:%M}' if meeting.time else ''}"
                ),
                url=meeting.get_absolute_url(),
                key=f"meeting-reminder:{meeting.pk}:{person.pk}",
            )


SOURCES = (meeting_reminders,)

ROLE_CHOICES = [(role.value, role.label) for role in Role]
