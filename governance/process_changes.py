"""Reads and writes of the page where QA keeps an organisation's process changes (the
dates from which the board recalculates a measure's SPC limits)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from cases.models import Organisation, StaffMember
from governance.models import ProcessChange

if TYPE_CHECKING:
    from core.types import AnyUser

ALREADY_RECORDED = "A change to this measure is already recorded on that day"


def process_change_list(*, user: AnyUser, organisation: Organisation) -> QuerySet[ProcessChange]:
    return (
        ProcessChange.objects.visible_to(user)
        .filter(organisation=organisation)
        .select_related("recorded_by__user")
        .order_by("measure", "changed_on", "pk")
    )


@transaction.atomic
def process_change_create(
    *,
    organisation: Organisation,
    measure: str,
    changed_on: datetime.date,
    reason: str,
    recorded_by: StaffMember,
) -> ProcessChange:
    if ProcessChange.objects.filter(
        organisation=organisation, measure=measure, changed_on=changed_on
    ).exists():
        raise ValidationError(ALREADY_RECORDED)
    change = ProcessChange(
        organisation=organisation,
        measure=measure,
        changed_on=changed_on,
        reason=reason,
        recorded_by=recorded_by,
    )
    change.full_clean()
    change.save()
    return change


@transaction.atomic
def process_change_delete(*, change: ProcessChange) -> None:
    change.delete()
