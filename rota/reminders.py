"""Reminders and escalations: who is told, each night, about work due soon or overdue, and
the QA escalation list.

Each organisation's QARules say how many days before something is due its owner is
reminded (`reminder_days`) and when overdue work is escalated (`escalation_days` late); an
organisation without a QARules row gets the model's defaults.

- Open work due within `reminder_days`, or overdue, earns its owner one reminder a day.
- Open work more than `escalation_days` overdue is escalated, once, to the line manager
  of the person it is with, and shows on the QA escalation list until it is done.
- Management oversight falls due `reminder_days` after the audit is submitted; from then
  the line manager is reminded daily, and `escalation_days` later it is escalated to
  their own line manager.

Where the work comes from: `core.registry.reminder_sources`, functions that each take
`(*, organisation_id, rules, day)` and yield `Message`s (see cases/notifications.py). A
message's key makes it idempotent: include the day for a daily reminder, leave it out for
a once-only escalation. Each app registers its own from its AppConfig.ready():

    registry.reminder_sources.register(observation_reminders)

Messages say what is due and where to find it, never a child's or adopter's name nor an
action's free-text description (which may hold one): they are e-mailed.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.db.models import Case as Choose
from django.db.models import CharField, DateField, Q, QuerySet, Value, When
from django.db.models.functions import Cast, TruncDate
from django.urls import reverse
from django.utils import timezone

from audits import selectors as audit_selectors
from audits.selectors import Audit, AuditAction
from cases.models import Case, Notification, Organisation, StaffMember
from cases.notifications import Message, notify_many, when_due
from cases.querysets import staff_of
from core import registry
from core.batches import batched, in_batches
from rota.models import QARules

if TYPE_CHECKING:
    from core.types import AnyUser

BATCH_SIZE = 500
# An escalation_list row: (due on, kind, primary key).
Row = tuple[datetime.date, str, int]


@dataclass(frozen=True)
class ReminderRules:
    reminder_days: int
    escalation_days: int


DEFAULT_RULES = ReminderRules(
    reminder_days=QARules._meta.get_field("reminder_days").default,
    escalation_days=QARules._meta.get_field("escalation_days").default,
)


class ReminderSource(Protocol):
    def __call__(
        self, *, organisation_id: int, rules: ReminderRules, day: datetime.date
    ) -> Iterable[Message]: ...


def rules_by_organisation(
    organisation_ids: Iterable[int] | None = None,
) -> dict[int, ReminderRules]:
    """Each organisation's reminder rules (the defaults where it has no QARules), in one query."""
    organisations = Organisation.objects.all()
    if organisation_ids is not None:
        organisations = organisations.filter(pk__in=list(organisation_ids))
    rows = organisations.values_list("pk", "qa_rules__reminder_days", "qa_rules__escalation_days")
    return {
        pk: ReminderRules(
            reminder_days=DEFAULT_RULES.reminder_days if reminder is None else reminder,
            escalation_days=DEFAULT_RULES.escalation_days if escalation is None else escalation,
        )
        for pk, reminder, escalation in rows
    }


def _action_url(action: AuditAction) -> str:
    return (
        f"{reverse('audits:audit_detail', kwargs={'audit_pk': action.audit_id})}#action-{action.pk}"
    )


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


# The sources for audits and their actions.


def audit_reminders(
    *, organisation_id: int, rules: ReminderRules, day: datetime.date
) -> Iterator[Message]:
    """Open audits due within the reminder window or overdue: the auditor, daily."""
    audits = audit_selectors.open_audits(organisation_id=organisation_id).filter(
        due_on__lte=day + datetime.timedelta(days=rules.reminder_days)
    )
    for audit in in_batches(audits.select_related("auditor", "tool")):
        yield Message(
            recipient=audit.auditor,
            kind=Notification.Kind.REMINDER,
            subject=f"Your {audit.tool.name} audit {when_due(audit.due_on, day)}",
            url=audit.get_absolute_url(),
            key=f"audit:{audit.pk}:reminder:{day.isoformat()}",
        )


def oversight_reminders(
    *, organisation_id: int, rules: ReminderRules, day: datetime.date
) -> Iterator[Message]:
    """Audits waiting more than the reminder days for oversight: the line manager, daily."""
    cutoff = _start_of(day - datetime.timedelta(days=rules.reminder_days))
    waiting = audit_selectors.audits_awaiting_oversight(organisation_id=organisation_id).filter(
        submitted_at__lt=cutoff
    )
    for audit in in_batches(waiting.select_related("line_manager", "tool")):
        waited = (day - timezone.localdate(audit.submitted_at)).days
        yield Message(
            recipient=audit.line_manager,
            kind=Notification.Kind.REMINDER,
            subject=f"A {audit.tool.name} audit has waited {waited} days for your oversight",
            url=audit.get_absolute_url(),
            key=f"audit:{audit.pk}:oversight-reminder:{day.isoformat()}",
        )


def action_reminders(
    *, organisation_id: int, rules: ReminderRules, day: datetime.date
) -> Iterator[Message]:
    """Open audit actions due within the reminder window or overdue: the owner, daily."""
    actions = audit_selectors.open_actions(organisation_id=organisation_id).filter(
        due_on__lte=day + datetime.timedelta(days=rules.reminder_days)
    )
    for action in in_batches(actions.select_related("owner")):
        yield Message(
            recipient=action.owner,
            kind=Notification.Kind.REMINDER,
            subject=f"Your audit action {when_due(action.due_on, day)}",
            url=_action_url(action),
            key=f"action:{action.pk}:reminder:{day.isoformat()}",
        )


def _escalation_cutoff(rules: ReminderRules, day: datetime.date) -> datetime.date:
    """Work due before this day is more than `escalation_days` overdue on `day`."""
    return day - datetime.timedelta(days=rules.escalation_days)


def audit_escalations(
    *, organisation_id: int, rules: ReminderRules, day: datetime.date
) -> Iterator[Message]:
    """Open audits more than the escalation days overdue: the auditor's line manager, once."""
    audits = audit_selectors.open_audits(organisation_id=organisation_id).filter(
        due_on__lt=_escalation_cutoff(rules, day)
    )
    for audit in in_batches(
        audits.select_related("auditor__user", "auditor__line_manager", "tool")
    ):
        yield Message(
            recipient=audit.auditor.line_manager,
            kind=Notification.Kind.ESCALATION,
            subject=(
                f"Escalation: {audit.auditor.display_name}'s {audit.tool.name} audit "
                f"{when_due(audit.due_on, day)}"
            ),
            url=audit.get_absolute_url(),
            key=f"audit:{audit.pk}:escalation",
        )


def _oversight_escalation_cutoff(rules: ReminderRules, day: datetime.date) -> datetime.datetime:
    """Audits submitted before this moment have had their oversight more than
    `escalation_days` overdue on `day`."""
    return _start_of(day - datetime.timedelta(days=rules.reminder_days + rules.escalation_days))


def oversight_escalations(
    *, organisation_id: int, rules: ReminderRules, day: datetime.date
) -> Iterator[Message]:
    """Oversight more than the escalation days overdue: the line manager's own line
    manager, once."""
    waiting = audit_selectors.audits_awaiting_oversight(organisation_id=organisation_id).filter(
        submitted_at__lt=_oversight_escalation_cutoff(rules, day)
    )
    for audit in in_batches(
        waiting.select_related("line_manager__user", "line_manager__line_manager", "tool")
    ):
        line_manager = audit.line_manager
        if line_manager is None:
            continue  # (never: only audits with a line manager wait for oversight)
        due_on = oversight_due_on(audit, rules)
        yield Message(
            recipient=line_manager.line_manager,
            kind=Notification.Kind.ESCALATION,
            subject=(
                f"Escalation: {line_manager.display_name}'s oversight of a "
                f"{audit.tool.name} audit {when_due(due_on, day)}"
            ),
            url=audit.get_absolute_url(),
            key=f"audit:{audit.pk}:oversight-escalation",
        )


def oversight_due_on(audit: Audit, rules: ReminderRules) -> datetime.date:
    """The day the line manager's oversight of a submitted audit falls due."""
    submitted_on = timezone.localdate(audit.submitted_at)
    return submitted_on + datetime.timedelta(days=rules.reminder_days)


def action_escalations(
    *, organisation_id: int, rules: ReminderRules, day: datetime.date
) -> Iterator[Message]:
    """Open actions more than the escalation days overdue: the owner's line manager, once."""
    actions = audit_selectors.open_actions(organisation_id=organisation_id).filter(
        due_on__lt=_escalation_cutoff(rules, day)
    )
    for action in in_batches(actions.select_related("owner__user", "owner__line_manager")):
        yield Message(
            recipient=action.owner.line_manager,
            kind=Notification.Kind.ESCALATION,
            subject=(
                f"Escalation: {action.owner.display_name}'s audit action "
                f"{when_due(action.due_on, day)}"
            ),
            url=_action_url(action),
            key=f"action:{action.pk}:escalation",
        )


AUDIT_SOURCES: tuple[ReminderSource, ...] = (
    audit_reminders,
    oversight_reminders,
    action_reminders,
    audit_escalations,
    oversight_escalations,
    action_escalations,
)


def reminders_send(
    *, day: datetime.date, sources: Iterable[ReminderSource] | None = None
) -> dict[str, int]:
    """Send the day's reminders and escalations for every organisation; return how many
    were new. Idempotent: a second run on the same day sends nothing more."""
    counts = {"reminders": 0, "escalations": 0}
    sources = list(registry.reminder_sources if sources is None else sources)
    for organisation_id, rules in rules_by_organisation().items():
        messages = itertools.chain.from_iterable(
            source(organisation_id=organisation_id, rules=rules, day=day) for source in sources
        )
        for batch in batched(messages, BATCH_SIZE):
            for notification in notify_many(batch):
                if notification.kind == Notification.Kind.ESCALATION:
                    counts["escalations"] += 1
                else:
                    counts["reminders"] += 1
    return counts


# The QA escalation list.


@dataclass(frozen=True)
class EscalatedItem:
    kind: str
    title: str
    reference: str
    # Whose reference it is: the access log names the child or adopter it shows. None
    # for a supervision audit, which is of a member of staff.
    case: Case | None
    url: str
    due_on: datetime.date
    days_overdue: int
    person: StaffMember
    line_manager: StaffMember | None


def escalation_rules(*, user: AnyUser) -> dict[int, ReminderRules]:
    """The rules of the organisations whose escalations the user may see."""
    if user.is_superuser:
        return rules_by_organisation()
    staff = staff_of(user)
    if staff is None:
        return {}
    return rules_by_organisation([staff.organisation_id])


def _organisations_by(rules: dict[int, ReminderRules], days: str) -> dict[int, list[int]]:
    """The organisations grouped by one of their rules' numbers of days."""
    grouped: dict[int, list[int]] = {}
    for organisation_id, organisation_rules in rules.items():
        grouped.setdefault(getattr(organisation_rules, days), []).append(organisation_id)
    return grouped


def _escalated(rules: dict[int, ReminderRules], today: datetime.date, field: str = "due_on") -> Q:
    """Work more than its organisation's escalation days overdue on `today`, by the date
    in `field`."""
    condition = Q(pk__in=[])
    for days, organisations in _organisations_by(rules, "escalation_days").items():
        condition |= Q(
            organisation_id__in=organisations,
            **{f"{field}__lt": today - datetime.timedelta(days=days)},
        )
    return condition


def _oversight_due(rules: dict[int, ReminderRules]) -> Choose:
    """`oversight_due_on` in the database: the day of submission (London time) plus the
    organisation's reminder days."""
    by_days = _organisations_by(rules, "reminder_days")
    submitted_on = TruncDate("submitted_at")
    return Choose(
        *(
            When(
                organisation_id__in=organisations,
                then=Cast(submitted_on + datetime.timedelta(days=days), DateField()),
            )
            for days, organisations in by_days.items()
        ),
        default=Cast(submitted_on, DateField()),
        output_field=DateField(),
    )


def escalation_list(
    *, user: AnyUser, today: datetime.date, rules: dict[int, ReminderRules] | None = None
) -> QuerySet[Audit, Row]:
    """(due_on, kind, pk) of every escalated open audit, management oversight and action
    the user may see, oldest first, as one query to page through; `escalated_items` loads
    a page of them.
    `rules`: from `escalation_rules`, when the caller has them already."""
    if rules is None:
        rules = escalation_rules(user=user)
    overdue = _escalated(rules, today)
    kind = CharField()
    audits = (
        audit_selectors.open_audits(user=user)
        .filter(overdue)
        .annotate(item_kind=Value("audit", output_field=kind))
        .values_list("due_on", "item_kind", "pk")
        .order_by()
    )
    oversights = (
        audit_selectors.audits_awaiting_oversight(user=user)
        .annotate(oversight_due=_oversight_due(rules))
        .filter(_escalated(rules, today, field="oversight_due"))
        .annotate(item_kind=Value("oversight", output_field=kind))
        .values_list("oversight_due", "item_kind", "pk")
        .order_by()
    )
    actions = (
        audit_selectors.open_actions(user=user)
        .filter(overdue)
        .annotate(item_kind=Value("action", output_field=kind))
        .values_list("due_on", "item_kind", "pk")
        .order_by()
    )
    return audits.union(oversights, actions, all=True).order_by("due_on", "item_kind", "pk")


def _reference(case: Case | None) -> str:
    if case is None:
        return "Supervision audit"
    subject = case.child if case.child_id else case.adopter
    return subject.reference if subject else ""


def escalated_items(rows: Iterable[Row], *, today: datetime.date) -> list[EscalatedItem]:
    """A page of `escalation_list` rows, each with who it is with and their line manager,
    in three queries. Oversight is with the audit's line manager."""
    rows = list(rows)
    wanted: dict[str, list[int]] = {"audit": [], "oversight": [], "action": []}
    for _due_on, kind, pk in rows:
        wanted[kind].append(pk)
    audits = audit_selectors.audits_by_id(wanted["audit"]).select_related(
        "tool", "case__child", "case__adopter", "auditor__user", "auditor__line_manager__user"
    )
    oversights = audit_selectors.audits_by_id(wanted["oversight"]).select_related(
        "tool",
        "case__child",
        "case__adopter",
        "line_manager__user",
        "line_manager__line_manager__user",
    )
    due = {(kind, pk): due_on for due_on, kind, pk in rows}
    actions = audit_selectors.actions_by_id(wanted["action"]).select_related(
        "audit__case__child",
        "audit__case__adopter",
        "owner__user",
        "owner__line_manager__user",
    )
    loaded: dict[tuple[str, int], EscalatedItem] = {}
    for audit in audits:
        loaded["audit", audit.pk] = _item(
            "Audit",
            audit.tool.name,
            audit.case,
            audit.get_absolute_url(),
            audit.due_on,
            audit.auditor,
            today,
        )
    for audit in oversights:
        if audit.line_manager is None:
            continue  # (never: only audits with a line manager wait for oversight)
        loaded["oversight", audit.pk] = _item(
            "Oversight",
            f"{audit.tool.name} audit: management oversight",
            audit.case,
            audit.get_absolute_url(),
            due["oversight", audit.pk],
            audit.line_manager,
            today,
        )
    for action in actions:
        loaded["action", action.pk] = _item(
            "Action",
            action.description,
            action.audit.case,
            _action_url(action),
            action.due_on,
            action.owner,
            today,
        )
    return [loaded[kind, pk] for _due_on, kind, pk in rows if (kind, pk) in loaded]


def _item(
    kind: str,
    title: str,
    case: Case | None,
    url: str,
    due_on: datetime.date,
    person: StaffMember,
    today: datetime.date,
) -> EscalatedItem:
    return EscalatedItem(
        kind=kind,
        title=title,
        reference=_reference(case),
        case=case,
        url=url,
        due_on=due_on,
        days_overdue=(today - due_on).days,
        person=person,
        line_manager=person.line_manager,
    )
