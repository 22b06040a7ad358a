"""Reminders and escalations for the Performance Exceptions returns, registered with
`core.registry.reminder_sources` and sent by the nightly job with the organisation's QA
rules (`reminder_days`, `escalation_days`).

- An open return due within `reminder_days`, or overdue: the team's manager(s), daily.
- One more than `escalation_days` overdue: each team manager's line manager, once.

Messages say which team's return is due and when, never what it says.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Protocol

from django.db.models import QuerySet

from cases.models import Notification, StaffMember
from cases.notifications import Message, when_due
from cases.roles import Role
from core.batches import batched, in_batches
from governance.models import ExceptionsReturn


class Rules(Protocol):
    reminder_days: int
    escalation_days: int


def _open(organisation_id: int) -> QuerySet[ExceptionsReturn]:
    return ExceptionsReturn.objects.filter(
        organisation_id=organisation_id, status=ExceptionsReturn.Status.OPEN
    ).select_related("team")


def _managers(team_ids: set[int]) -> dict[int, list[StaffMember]]:
    found: dict[int, list[StaffMember]] = {}
    rows = StaffMember.objects.filter(
        role=Role.TEAM_MANAGER, team_id__in=team_ids, user__is_active=True
    ).select_related("user", "line_manager")
    for manager in rows:
        assert manager.team_id is not None  # the query asks for a team
        found.setdefault(manager.team_id, []).append(manager)
    return found


def return_reminders(
    *, organisation_id: int, rules: Rules, day: datetime.date
) -> Iterator[Message]:
    due = _open(organisation_id).filter(
        due_on__lte=day + datetime.timedelta(days=rules.reminder_days)
    )
    for batch in batched(in_batches(due), 200):
        managers = _managers({ret.team_id for ret in batch})
        for ret in batch:
            for manager in managers.get(ret.team_id, []):
                yield Message(
                    recipient=manager,
                    kind=Notification.Kind.REMINDER,
                    subject=(
                        f"{ret.team.name}'s performance exceptions return for "
                        f"{ret.month:%B %Y} {when_due(ret.due_on, day)}"
                    ),
                    url=ret.get_absolute_url(),
                    key=f"exceptions-return:{ret.pk}:reminder:{manager.pk}:{day.isoformat()}",
                )


def return_escalations(
    *, organisation_id: int, rules: Rules, day: datetime.date
) -> Iterator[Message]:
    late = _open(organisation_id).filter(
        due_on__lt=day - datetime.timedelta(days=rules.escalation_days)
    )
    for batch in batched(in_batches(late), 200):
        managers = _managers({ret.team_id for ret in batch})
        for ret in batch:
            for manager in managers.get(ret.team_id, []):
                yield Message(
                    recipient=manager.line_manager,
                    kind=Notification.Kind.ESCALATION,
                    subject=(
                        f"Escalation: {ret.team.name}'s performance exceptions return for "
                        f"{ret.month:%B %Y} {when_due(ret.due_on, day)}"
                    ),
                    url=ret.get_absolute_url(),
                    key=f"exceptions-return:{ret.pk}:escalation:{manager.pk}",
                )


SOURCES = (return_reminders, return_escalations)
