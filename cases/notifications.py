"""Notifications: a message to one person, counted in the header, listed on their
notifications page and e-mailed to them once.

Services: `notify` (one message), `notify_many` (a batch, as the nightly reminders send
them), `notification_email_send` and `notifications_mark_read`. Selectors: `unread_count`
and `notifications_for`, both of the signed-in person's own notifications only.

Sending is idempotent: a notification is unique per recipient and `key`, so a job that
runs twice, or two workers racing, create it once and e-mail it once.
"""

from __future__ import annotations

import datetime
import functools
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from cases.models import Notification, StaffMember
from cases.querysets import staff_of
from core import prepared
from core.tasks import TransientError

if TYPE_CHECKING:
    from core.types import AnyUser

logger = logging.getLogger(__name__)

SUBJECT_LENGTH = Notification._meta.get_field("subject").max_length
URL_LENGTH = Notification._meta.get_field("url").max_length


@dataclass(frozen=True)
class Message:
    """A notification to send. `recipient` may be None (say, nobody's line manager is
    recorded): then there is nobody to tell and nothing is sent."""

    recipient: StaffMember | None
    kind: str
    subject: str
    url: str
    key: str
    body: str = ""


def notify(
    *,
    recipient: StaffMember | None,
    kind: str,
    subject: str,
    url: str,
    key: str,
    body: str = "",
) -> Notification | None:
    """Notify `recipient` once per `key` and e-mail them when it is new. A second call
    with the same key returns the first notification and sends nothing; None when there
    is no recipient."""
    if recipient is None:
        return None
    message = Message(recipient=recipient, kind=kind, subject=subject, url=url, key=key, body=body)
    notification, _ = _notification_get_or_create(recipient, message)
    return notification


def notify_many(messages: Iterable[Message]) -> list[Notification]:
    """Send a batch of messages; return the notifications that are new. Keys already
    sent are found in one query, so a repeat run of a nightly job costs one query a batch."""
    wanted = [(m.recipient, m) for m in messages if m.recipient is not None]
    if not wanted:
        return []
    existing = set(
        Notification.objects.filter(
            recipient_id__in={r.pk for r, _ in wanted}, key__in={m.key for _, m in wanted}
        ).values_list("recipient_id", "key")
    )
    created = []
    for recipient, message in wanted:
        if (recipient.pk, message.key) in existing:
            continue
        existing.add((recipient.pk, message.key))
        notification, is_new = _notification_get_or_create(recipient, message)
        if is_new:
            created.append(notification)
    return created


def _notification_get_or_create(
    recipient: StaffMember, message: Message
) -> tuple[Notification, bool]:
    found = Notification.objects.filter(recipient=recipient, key=message.key).first()
    if found is not None:
        return found, False
    notification = Notification(
        organisation_id=recipient.organisation_id,
        recipient=recipient,
        kind=message.kind,
        subject=message.subject[:SUBJECT_LENGTH],
        body=message.body,
        url=message.url[:URL_LENGTH],
        key=message.key,
    )
    # The unique (recipient, key) constraint is the real check: the insert below.
    notification.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        # Another run created it between the look-up above and this insert.
        return Notification.objects.get(recipient=recipient, key=message.key), False
    transaction.on_commit(functools.partial(_queue_email, notification.pk))
    return notification, True


def _queue_email(notification_pk: int) -> None:
    """E-mail through the worker, never inside the web request: a slow or absent mail
    server must not hold up or fail the page."""
    from cases.tasks import notification_email_send_task

    try:
        notification_email_send_task.delay(notification_pk)
    except Exception:
        # The notification is saved and on the person's page; only the e-mail is lost.
        logger.exception("Could not queue the e-mail of notification %s", notification_pk)


def _email_text(notification: Notification) -> str:
    # Case detail stays in the portal: the e-mail says what to do and where, never who.
    link = notification.url
    if link.startswith("/"):
        link = getattr(settings, "QAPORTAL_SITE_URL", "").rstrip("/") + link
    parts = [notification.subject, notification.body, f"Open it in {settings.SERVICE_NAME}:"]
    return "\n\n".join(part for part in parts if part) + f"\n{link}\n"


def notification_email_send(*, notification_pk: int) -> bool:
    """E-mail a notification to its recipient, at most once; True when it went. Raises
    TransientError when the mail server failed, so the task tries again later."""
    notification = (
        Notification.objects.select_related("recipient__user").filter(pk=notification_pk).first()
    )
    if notification is None or notification.emailed_at is not None:
        return False
    user = notification.recipient.user
    if not user.email or not user.is_active:
        return False
    # Claim the notification before sending, so two workers never both send it.
    claimed = Notification.objects.filter(pk=notification_pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    try:
        send_mail(
            subject=notification.subject,
            message=_email_text(notification),
            from_email=None,
            recipient_list=[user.email],
        )
    except (smtplib.SMTPException, OSError) as error:
        # Leave it unsent (emailed_at empty): it is still on the person's page, and the
        # task tries again.
        Notification.objects.filter(pk=notification_pk).update(emailed_at=None)
        logger.warning("Could not e-mail notification %s: %s", notification_pk, error)
        raise TransientError(f"mail server: {error}") from error
    return True


def notifications_mark_read(*, user: AnyUser, up_to_pk: int | None = None) -> int:
    """Mark the person's unread notifications read (only up to `up_to_pk`, the newest they
    were shown, when given); return how many."""
    staff = staff_of(user)
    if staff is None:
        return 0
    unread = Notification.objects.filter(recipient_id=staff.pk, read_at__isnull=True)
    if up_to_pk is not None:
        unread = unread.filter(pk__lte=up_to_pk)
    return unread.update(read_at=timezone.now())


def unread_count(user: AnyUser) -> int:
    """On every page (the header's count): compiled once for the reader."""
    if staff_of(user) is None:
        return 0
    return prepared.aggregate(_unread, user)["unread"]


def _unread(user: AnyUser) -> tuple[QuerySet[Notification], dict[str, Count]]:
    staff = staff_of(user)
    assert staff is not None
    unread = Notification.objects.filter(recipient_id=staff.pk, read_at__isnull=True)
    return unread, {"unread": Count("*")}


def notifications_for(user: AnyUser) -> QuerySet[Notification]:
    """The person's own notifications, newest first."""
    staff = staff_of(user)
    if staff is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=staff.pk).order_by("-created_at", "-pk")


def when_due(due_on: datetime.date, day: datetime.date) -> str:
    """How a reminder words a due date on `day`: "is 3 days overdue (due 2 March 2027)",
    "is due today" or "is due on 9 March 2027"."""
    late = (day - due_on).days
    shown = date_format(due_on, "j F Y")
    if late > 0:
        return f"is {late} day{'s' if late != 1 else ''} overdue (due {shown})"
    if late == 0:
        return "is due today"
    return f"is due on {shown}"
