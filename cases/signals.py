"""Keeps each case's stored visit dates (`Case.last_visit_on`, `Case.next_visit_due_on`)
current when a case or one of its journey events is saved or deleted one by one. Bulk
writes (the import, the demo) call `cases.services.visit_dates_refresh` themselves."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from cases.models import Case, JourneyEvent
from cases.services import visit_dates_refresh


@receiver(post_save, sender=Case, dispatch_uid="case-visit-dates")
def case_saved(sender: type[Case], instance: Case, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        visit_dates_refresh(cases=Case.objects.filter(pk=instance.pk))


@receiver(post_save, sender=JourneyEvent, dispatch_uid="event-saved-visit-dates")
@receiver(post_delete, sender=JourneyEvent, dispatch_uid="event-deleted-visit-dates")
def event_changed(sender: type[JourneyEvent], instance: JourneyEvent, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        visit_dates_refresh(cases=Case.objects.filter(pk=instance.case_id))
