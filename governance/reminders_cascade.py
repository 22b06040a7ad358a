"""Reminders and escalations for the Performance and Outcomes cascade above the team,
registered with `core.registry.reminder_sources` and sent by the nightly job with the
organisation's QA rules (`reminder_days`, `escalation_days`).

For each of the last two months whose returns exist, each level whose summary is not
written yet:
- within `reminder_days` of its meeting (`returns.meeting_on`), or after it: the people
  at that level (a service's service managers), once;
- more than `escalation_days` after the meeting: the level above (the chief executive's
  goes to QA), once.

Messages say whose summary is due and when, never what anyone wrote.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Protocol

from cases.models import Notification, Service, StaffMember
from cases.notifications import Message, when_due
from cases.roles import Role
from core.months import add_months, month_start
from governance import cascade, returns
from governance.cascade_levels import UPPER_LEVELS, Level
from governance.models import CascadeSummary, ExceptionsReturn, ServiceSummary


class Rules(Protocol):
    reminder_days: int
    escalation_days: int


def _months(organisation_id: int, day: datetime.date) -> list[datetime.date]:
    this = month_start(day)
    wanted = [add_months(this, -1), add_months(this, -2)]
    return sorted(
        set(
            ExceptionsReturn.objects.filter(
                organisation_id=organisation_id, month__in=wanted
            ).values_list("month", flat=True)
        )
    )


def _state(meeting: datetime.date, day: datetime.date, rules: Rules) -> str:
    if day > meeting + datetime.timedelta(days=rules.escalation_days):
        return "escalation"
    if day >= meeting - datetime.timedelta(days=rules.reminder_days):
        return "reminder"
    return ""


def _messages(
    people: Iterable[StaffMember], *, state: str, subject: str, url: str, key: str
) -> Iterator[Message]:
    kind = Notification.Kind.ESCALATION if state == "escalation" else Notification.Kind.REMINDER
    prefix = "Escalation: " if state == "escalation" else ""
    for person in people:
        yield Message(
            recipient=person,
            kind=kind,
            subject=f"{prefix}{subject}",
            url=url,
            key=f"{key}:{state}:{person.pk}",
        )


def _above(organisation_id: int, level: int) -> list[StaffMember]:
    if level >= Level.CHIEF_EXECUTIVE:
        return list(
            StaffMember.objects.filter(
                organisation_id=organisation_id, role=Role.QA, user__is_active=True
            ).select_related("user")
        )
    return list(cascade.people_at(organisation_id, level + 1))


def _service_level(
    organisation_id: int, month: datetime.date, day: datetime.date, rules: Rules
) -> Iterator[Message]:
    meeting = returns.meeting_on(month, Level.SERVICE)
    state = _state(meeting, day, rules)
    if not state:
        return
    service_ids = set(
        ExceptionsReturn.objects.filter(organisation_id=organisation_id, month=month).values_list(
            "service_id", flat=True
        )
    )
    written = set(
        ServiceSummary.objects.filter(organisation_id=organisation_id, month=month)
        .exclude(commentary="")
        .values_list("service_id", flat=True)
    )
    waiting = Service.objects.filter(pk__in=service_ids - written).order_by("pk")
    managers: dict[int, list[StaffMember]] = {}
    for manager in StaffMember.objects.filter(
        role=Role.SERVICE_MANAGER, service__in=waiting, user__is_active=True
    ).select_related("user"):
        assert manager.service_id is not None
        managers.setdefault(manager.service_id, []).append(manager)
    heads = _above(organisation_id, Level.SERVICE) if state == "escalation" else []
    for service in waiting:
        yield from _messages(
            heads if state == "escalation" else managers.get(service.pk, []),
            state=state,
            subject=(
                f"{service.name}'s summary of the performance exceptions returns for "
                f"{month:%B %Y} {when_due(meeting, day)}"
            ),
            url=ServiceSummary(service_id=service.pk, month=month).get_absolute_url(),
            key=f"service-summary:{service.pk}:{month:%Y-%m}",
        )


def _upper_levels(
    organisation_id: int, month: datetime.date, day: datetime.date, rules: Rules
) -> Iterator[Message]:
    written = set(
        CascadeSummary.objects.filter(organisation_id=organisation_id, month=month)
        .exclude(commentary="")
        .values_list("level", flat=True)
    )
    for level in UPPER_LEVELS:
        meeting = returns.meeting_on(month, level)
        state = _state(meeting, day, rules)
        if level in written or not state:
            continue
        people = (
            _above(organisation_id, level)
            if state == "escalation"
            else cascade.people_at(organisation_id, level)
        )
        yield from _messages(
            people,
            state=state,
            subject=(
                f"The {Level(level).label.lower()} summary of the performance exceptions "
                f"returns for {month:%B %Y} {when_due(meeting, day)}"
            ),
            url=CascadeSummary(level=level, month=month).get_absolute_url(),
            key=f"cascade-summary:{organisation_id}:{level}:{month:%Y-%m}",
        )


def cascade_reminders(
    *, organisation_id: int, rules: Rules, day: datetime.date
) -> Iterator[Message]:
    """Reminders and escalations of every level above the team (one source: the states
    are worked out together)."""
    for month in _months(organisation_id, day):
        yield from _service_level(organisation_id, month, day, rules)
        yield from _upper_levels(organisation_id, month, day, rules)


SOURCES = (cascade_reminders,)
