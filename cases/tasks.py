"""Celery tasks of the case model: thin adapters that call its services."""

from __future__ import annotations

from celery import shared_task

from cases import notifications
from core.tasks import QATask


@shared_task(name="cases.tasks.notification_email_send_task", base=QATask)
def notification_email_send_task(notification_pk: int) -> bool:
    """E-mail one notification (queued when it is created; retried if the mail server is
    away, and sent at most once whatever happens)."""
    return notifications.notification_email_send(notification_pk=notification_pk)
