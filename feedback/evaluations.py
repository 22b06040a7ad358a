"""Adoption panel evaluations: reads and writes.

Reads start from `visible_to(user)`; writes are `<entity>_<verb>` services, keyword-only,
in one transaction each (a refused write changes nothing), asking the rules in
feedback/rules.py. The views import this module; other apps would reach it through
feedback.selectors and feedback.services.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Avg, Count, FloatField, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from cases.models import Case, Notification, StaffMember
from cases.notifications import notify
from cases.querysets import staff_of
from cases.roles import Role
from core.dates import add_working_days
from core.registry import ActionItem
from feedback import figures_evaluations as figures
from feedback.models import PanelEvaluation, PanelItem, PanelMeeting
from feedback.rules import may, sits_on

if TYPE_CHECKING:
    from core.types import AnyUser


# When the forms and the chair's copy are due, in working days after the panel: soon
# enough for the feedback to reach the social worker while the case is fresh.
EVALUATE_WITHIN = 5
SEND_WITHIN = 10


class PanelStateError(Exception):
    """Refused: the message says why, for the page."""


# Reads.


def meeting_list(*, user: AnyUser) -> QuerySet[PanelMeeting]:
    """The meetings the user sits on or reads, newest first, with their counts."""
    return (
        PanelMeeting.objects.visible_to(user)
        .select_related("chair__user")
        .annotate(
            n_items=Count("items", distinct=True),
            n_sent=Count("items", filter=Q(items__sent_on__isnull=False), distinct=True),
        )
        .order_by("-held_on", "-pk")
    )


def meeting_records(*, user: AnyUser) -> QuerySet[PanelMeeting]:
    return PanelMeeting.objects.visible_to(user).select_related("chair__user")


def item_records(*, user: AnyUser) -> QuerySet[PanelItem]:
    return PanelItem.objects.visible_to(user).select_related(
        "meeting__chair__user",
        "case__child",
        "case__adopter",
        "social_worker__user",
        "team_manager__user",
        "service_manager__user",
    )


def visible_case_ids(*, user: AnyUser, case_ids: set[int]) -> set[int]:
    """Which of these cases the user may see: an item names its child or adopter only to
    readers of the case."""
    if not case_ids:
        return set()
    return set(Case.objects.visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True))


@dataclass
class ItemRow:
    item: PanelItem
    evaluated_by: list[StaffMember]
    waiting_for: list[StaffMember]
    # Whether the reader may see the case (and so its child or adopter named).
    names_case: bool
    mine_done: bool = False


@dataclass
class MeetingDetail:
    meeting: PanelMeeting
    sitting: list[StaffMember]
    rows: list[ItemRow]

    @property
    def cases(self) -> list[Case]:
        return [row.item.case for row in self.rows if row.names_case]


def meeting_detail(*, meeting: PanelMeeting, user: AnyUser) -> MeetingDetail:
    """A meeting already reached through `visible_to`: its items, who has evaluated each
    and who not yet, in a fixed number of queries."""
    members = list(meeting.members.select_related("user").order_by("user__last_name"))
    sitting = [meeting.chair, *[m for m in members if m.pk != meeting.chair_id]]
    items = list(
        meeting.items.select_related(
            "case__child", "case__adopter", "social_worker__user", "team_manager__user"
        ).order_by("pk")
    )
    done: dict[int, set[int]] = defaultdict(set)
    for item_id, member_id in PanelEvaluation.objects.filter(item__meeting=meeting).values_list(
        "item_id", "member_id"
    ):
        done[item_id].add(member_id)
    seen = visible_case_ids(user=user, case_ids={i.case_id for i in items})
    me = staff_of(user)
    rows = [
        ItemRow(
            item=item,
            evaluated_by=[m for m in sitting if m.pk in done[item.pk]],
            waiting_for=[m for m in sitting if m.pk not in done[item.pk]],
            names_case=item.case_id in seen,
            mine_done=me is not None and me.pk in done[item.pk],
        )
        for item in items
    ]
    return MeetingDetail(meeting=meeting, sitting=sitting, rows=rows)


def evaluation_of(*, item: PanelItem, member: StaffMember) -> PanelEvaluation | None:
    return PanelEvaluation.objects.filter(item=item, member=member).first()


@dataclass
class Collation:
    item: PanelItem
    evaluations: list[PanelEvaluation]
    averages: dict[str, Decimal | None]
    waiting_for: list[StaffMember] = field(default_factory=list)

    @property
    def rows(self) -> list[dict[str, object]]:
        """One row per question: each member's rating in sitting order, and the average."""
        return [
            {
                "question": q,
                "ratings": [e.rating(q.value) for e in self.evaluations],
                "average": self.averages.get(q.value),
            }
            for q in figures.QUESTIONS
        ]


def item_collation(*, item: PanelItem) -> Collation:
    """The members' forms on an item side by side, and each question's average (a
    database aggregate)."""
    evaluations = list(
        item.evaluations.select_related("member__user").order_by(
            "member__user__last_name", "member__pk"
        )
    )
    averages = item.evaluations.aggregate(
        **{q.value: Avg(q.value, output_field=FloatField()) for q in figures.QUESTIONS}
    )
    meeting = item.meeting
    sitting = [meeting.chair, *meeting.members.select_related("user")]
    done = {e.member_id for e in evaluations}
    return Collation(
        item=item,
        evaluations=evaluations,
        averages={k: figures.one_decimal(v) for k, v in averages.items()},
        waiting_for=[m for m in dict.fromkeys(sitting) if m.pk not in done],
    )


def feedback_for(*, user: AnyUser) -> QuerySet[PanelItem]:
    """Collated copies sent to the user (as social worker, team manager or service
    manager), newest first: for the home page's list of links, so each with its meeting
    only (the full record's six joins cost more to build than to run)."""
    staff = staff_of(user)
    if staff is None:
        return PanelItem.objects.none()
    mine = (
        Q(social_worker=staff)
        | Q(team_manager=staff)
        | Q(service_manager=staff, to_service_manager=True)
    )
    return (
        PanelItem.objects.visible_to(user)
        .select_related("meeting")
        .filter(mine, sent_on__isnull=False)
        .order_by("-sent_on", "-pk")
    )


def items_to_evaluate(*, user: AnyUser) -> QuerySet[PanelItem]:
    """Items of meetings the user sits on, not yet sent, that they have not evaluated."""
    staff = staff_of(user)
    if staff is None or staff.role != Role.PANEL_MEMBER:
        return PanelItem.objects.none()
    sits = Q(meeting__chair=staff) | Q(meeting__members=staff)
    return (
        PanelItem.objects.visible_to(user)
        .filter(sits, sent_on__isnull=True)
        .exclude(evaluations__member=staff)
        .distinct()
        .select_related("meeting")
        .order_by("meeting__held_on", "pk")
    )


def panel_action_items(*, user: AnyUser) -> list[ActionItem]:
    """For `core.registry.action_sources`: the member's forms still to complete, and the
    chair's copies still to send. They name the kind of item and the panel, no child."""
    staff = staff_of(user)
    if staff is None or staff.role != Role.PANEL_MEMBER:
        return []
    actions = [
        ActionItem(
            title=f"Evaluate: {item.get_kind_display()}",
            source=str(item.meeting),
            owner=staff.display_name,
            due_on=add_working_days(item.meeting.held_on, EVALUATE_WITHIN),
            url=reverse("feedback:panel_item_evaluate", kwargs={"panel_item_pk": item.pk}),
        )
        for item in items_to_evaluate(user=user)
    ]
    to_send = (
        PanelItem.objects.visible_to(user)
        .filter(meeting__chair=staff, sent_on__isnull=True)
        .select_related("meeting")
        .order_by("meeting__held_on", "pk")
    )
    actions += [
        ActionItem(
            title=f"Collate and send the feedback: {item.get_kind_display()}",
            source=str(item.meeting),
            owner=staff.display_name,
            due_on=add_working_days(item.meeting.held_on, SEND_WITHIN),
            url=reverse("feedback:panel_item_collate", kwargs={"panel_item_pk": item.pk}),
        )
        for item in to_send
    ]
    return actions


def case_panel_items(*, user: AnyUser, case_ids: list[int]) -> QuerySet[PanelItem]:
    """The panel items about these cases that the user may see."""
    return (
        PanelItem.objects.visible_to(user)
        .filter(case_id__in=case_ids)
        .select_related("meeting", "social_worker__user")
        .order_by("-meeting__held_on", "-pk")
    )


def panel_member_choices(*, organisation_id: int) -> QuerySet[StaffMember]:
    """The organisation's adoption panel members: who may chair or sit on a meeting."""
    return (
        StaffMember.objects.filter(
            organisation_id=organisation_id, role=Role.PANEL_MEMBER, user__is_active=True
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def presenter_choices(*, organisation_id: int) -> QuerySet[StaffMember]:
    """Who may present an item: the organisation's social workers and their managers."""
    return (
        StaffMember.objects.filter(
            organisation_id=organisation_id,
            role__in=[Role.PRACTITIONER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER],
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def team_manager_choices(*, organisation_id: int) -> QuerySet[StaffMember]:
    return presenter_choices(organisation_id=organisation_id).filter(role=Role.TEAM_MANAGER)


@dataclass
class ItemPeople:
    """Who an item on a case is presented by and fed back to, unless chosen otherwise:
    the case's allocated worker, the manager of its team and of its service."""

    social_worker: StaffMember | None
    team_manager: StaffMember | None
    service_manager: StaffMember | None


def item_people(*, case: Case) -> ItemPeople:
    def manager(**where: object) -> StaffMember | None:
        return (
            StaffMember.objects.filter(
                organisation_id=case.organisation_id, user__is_active=True, **where
            )
            .select_related("user")
            .order_by("pk")
            .first()
        )

    worker = case.allocated_worker
    return ItemPeople(
        social_worker=worker if worker is not None and worker.user.is_active else None,
        team_manager=manager(role=Role.TEAM_MANAGER, team_id=case.team_id),
        service_manager=manager(role=Role.SERVICE_MANAGER, service_id=case.service_id),
    )


@dataclass
class Summaries:
    half_years: list[figures.PeriodScores]
    years: list[figures.PeriodScores]


def summaries(*, user: AnyUser, today: datetime.date) -> Summaries:
    """Six-monthly and annual averages of the forms on the items the user may see."""
    evaluations = PanelEvaluation.objects.filter(item__in=PanelItem.objects.visible_to(user))
    return Summaries(
        half_years=figures.period_scores(evaluations, figures.half_years(today)),
        years=figures.period_scores(evaluations, figures.years(today)),
    )


def period_items(*, user: AnyUser, period: figures.Period) -> QuerySet[PanelItem]:
    """The items behind a period's figures: those of its meetings with at least one
    form, with their own averages."""
    items = (
        item_records(user=user)
        .filter(
            meeting__held_on__gte=period.starts_on,
            meeting__held_on__lte=period.ends_on,
            evaluations__isnull=False,
        )
        .distinct()
        .order_by("meeting__held_on", "pk")
    )
    return figures.item_scores(items)


# Reminders (feedback/reminders_evaluations.py): the items whose forms or copy are due.


@dataclass
class DueItem:
    item: PanelItem
    # The members' forms are due, then the chair's copy (both after the panel).
    forms_due_on: datetime.date
    copy_due_on: datetime.date
    # The members sitting (the chair first) whose form on the item is missing.
    missing: list[StaffMember]


def unsent_items_due(*, organisation_id: int, by_day: datetime.date) -> list[DueItem]:
    """The organisation's items whose copy is not yet sent and whose members' forms fell
    due on or before `by_day`, each with who sitting has not evaluated it. One query when
    nothing is due, four otherwise, whatever the number of items."""
    unsent = PanelItem.objects.filter(
        organisation_id=organisation_id, sent_on__isnull=True, meeting__held_on__lte=by_day
    )
    held = unsent.values_list("meeting__held_on", flat=True).distinct().order_by()
    due = {
        held_on: (
            add_working_days(held_on, EVALUATE_WITHIN),
            add_working_days(held_on, SEND_WITHIN),
        )
        for held_on in held
    }
    dates = [held_on for held_on, (forms_due, _) in due.items() if forms_due <= by_day]
    if not dates:
        return []
    items = list(
        unsent.filter(meeting__held_on__in=dates)
        .select_related("meeting__chair__user")
        .prefetch_related(
            Prefetch("meeting__members", queryset=StaffMember.objects.select_related("user"))
        )
        .order_by("meeting__held_on", "pk")
    )
    done = set(
        PanelEvaluation.objects.filter(item__in=[i.pk for i in items]).values_list(
            "item_id", "member_id"
        )
    )
    rows = []
    for item in items:
        meeting = item.meeting
        sitting = dict.fromkeys([meeting.chair, *meeting.members.all()])
        forms_due, copy_due = due[meeting.held_on]
        rows.append(
            DueItem(
                item=item,
                forms_due_on=forms_due,
                copy_due_on=copy_due,
                missing=[m for m in sitting if (item.pk, m.pk) not in done],
            )
        )
    return rows


def qa_service(*, organisation_id: int) -> list[StaffMember]:
    """The organisation's QA service, told when a chair's copy is well overdue."""
    return list(
        StaffMember.objects.filter(
            organisation_id=organisation_id, role=Role.QA, user__is_active=True
        )
        .select_related("user")
        .order_by("pk")
    )


# Writes.


def _check(by: StaffMember, perm: str, obj: object, message: str) -> None:
    if not may(by.user, perm, obj):
        raise PanelStateError(message)


@transaction.atomic
def panel_meeting_create(
    *,
    organisation_id: int,
    held_on: datetime.date,
    chair: StaffMember,
    members: list[StaffMember],
    by: StaffMember | None = None,
) -> PanelMeeting:
    """A meeting of the organisation's adoption panel, chaired by one of its members;
    with `by`, set up by the organisation's panel administrator."""
    if by is not None and (
        by.organisation_id != organisation_id
        or not may(by.user, "feedback.add_panel_meeting", None)
    ):
        raise PanelStateError("Only the organisation's panel administrator sets up its meetings")
    for person in (chair, *members):
        if person.organisation_id != organisation_id or person.role != Role.PANEL_MEMBER:
            raise PanelStateError("Choose adoption panel members of the organisation")
    meeting = PanelMeeting(organisation_id=organisation_id, held_on=held_on, chair=chair)
    meeting.full_clean()
    meeting.save()
    meeting.members.set([m for m in members if m.pk != chair.pk])
    return meeting


@transaction.atomic
def panel_item_add(
    *,
    meeting: PanelMeeting,
    case: Case,
    kind: str,
    social_worker: StaffMember,
    team_manager: StaffMember,
    service_manager: StaffMember | None = None,
    to_service_manager: bool = False,
    by: StaffMember | None = None,
) -> PanelItem:
    """A case presented at the meeting, by its social worker, with their team manager
    (and service manager) to hear the panel's feedback; `to_service_manager` marks that
    the service manager should have a copy (the chair may change it when sending). With
    `by`, added by the organisation's panel administrator, who must see the case."""
    if by is not None:
        _check(
            by,
            "feedback.add_panel_item",
            meeting,
            "Only the organisation's panel administrator adds items to its meetings",
        )
        if not visible_case_ids(user=by.user, case_ids={case.pk}):
            raise PanelStateError("No case you can see has that ID")
    if to_service_manager and service_manager is None:
        raise PanelStateError("No service manager is recorded for the case's service")
    people = [social_worker, team_manager, *([service_manager] if service_manager else [])]
    if case.organisation_id != meeting.organisation_id or any(
        p.organisation_id != meeting.organisation_id for p in people
    ):
        raise PanelStateError("Choose a case and staff of the panel's organisation")
    if kind == PanelItem.Kind.APPROVAL and case.adopter_id is None:
        raise PanelStateError("An approval is of prospective adopters: choose their case")
    if kind == PanelItem.Kind.PLAN and case.child_id is None:
        raise PanelStateError("A plan for adoption is a child's: choose the child's case")
    if meeting.items.filter(case=case, kind=kind).exists():
        raise PanelStateError("This case is already on the meeting's agenda for that")
    item = PanelItem(
        organisation_id=meeting.organisation_id,
        meeting=meeting,
        case=case,
        kind=kind,
        social_worker=social_worker,
        team_manager=team_manager,
        service_manager=service_manager,
        to_service_manager=to_service_manager,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def panel_evaluation_save(
    *,
    item: PanelItem,
    by: StaffMember,
    report: int,
    presentation: int,
    analysis: int,
    comments: str = "",
) -> PanelEvaluation:
    """A member's form on an item: made, or changed until the chair sends the copy."""
    item = (
        PanelItem.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=item.pk)
    )
    if not sits_on(by.user, item.meeting):
        raise PanelStateError("Only the members sitting on the panel can evaluate its items")
    _check(by, "feedback.evaluate_panel_item", item, "The chair has already sent the feedback")
    evaluation = evaluation_of(item=item, member=by) or PanelEvaluation(
        organisation_id=item.organisation_id, item=item, member=by
    )
    evaluation.report, evaluation.presentation, evaluation.analysis = (
        report,
        presentation,
        analysis,
    )
    evaluation.comments = comments
    evaluation.submitted_at = timezone.now()
    evaluation.full_clean(validate_unique=False, validate_constraints=False)
    evaluation.save()
    return evaluation


@transaction.atomic
def panel_item_send(
    *, item: PanelItem, by: StaffMember, summary: str, to_service_manager: bool = False
) -> PanelItem:
    """The chair's collated copy, sent to the social worker and team manager (and the
    service manager when marked): each is told once."""
    item = (
        PanelItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "service_manager")
        .get(pk=item.pk)
    )
    if not chairs(by, item):
        raise PanelStateError("Only the panel's chair can send its feedback")
    _check(by, "feedback.collate_panel_item", item, "The feedback has already been sent")
    if not summary.strip():
        raise PanelStateError("Enter the collated feedback")
    if to_service_manager and item.service_manager_id is None:
        raise PanelStateError("No service manager is recorded for this item")
    if not item.evaluations.exists():
        raise PanelStateError("No member has evaluated this item yet")
    item.summary = summary.strip()
    item.to_service_manager = to_service_manager
    item.sent_on = timezone.localdate()
    item.sent_by = by
    item.full_clean()
    item.save(update_fields=["summary", "to_service_manager", "sent_on", "sent_by"])
    held = date_format(item.meeting.held_on, "j F Y")
    recipients: list[StaffMember | None] = [item.social_worker, item.team_manager]
    if to_service_manager:
        recipients.append(item.service_manager)
    for recipient in dict.fromkeys(recipients):
        notify(
            recipient=recipient,
            kind=Notification.Kind.INFORMATION,
            subject=f"Adoption panel feedback from the panel of {held}",
            body="The panel chair has sent the panel's collated feedback on an item "
            "presented to the panel.",
            url=item.get_absolute_url(),
            key=f"panel-item:{item.pk}:feedback",
        )
    return item


def chairs(by: StaffMember, item: PanelItem) -> bool:
    return item.meeting.chair_id == by.pk
