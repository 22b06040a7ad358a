"""The one base for every Celery task: late acknowledgement, time limits, and retries of
transient errors with backoff.

A task is a thin adapter (load by id, call a service); services are idempotent, so a
task that is retried, or redelivered after its worker died, does its work once.
"""

from __future__ import annotations

import smtplib

from celery import Task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError


class TransientError(Exception):
    """Raised by a service for a failure worth trying again (a mail server away)."""


# Errors that pass: the database restarting or busy (a SQLite lock), the broker away,
# a network blip, a mail server refusing for now. Anything else is a bug: no retry.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    BrokerOperationalError,
    ConnectionError,
    TimeoutError,
    smtplib.SMTPException,
    TransientError,
)


class QATask(Task):
    """Base of every task (`@shared_task(base=QATask, name=...)`)."""

    acks_late = True
    reject_on_worker_lost = True
    soft_time_limit = 60 * 30
    time_limit = 60 * 35
    autoretry_for = TRANSIENT_ERRORS
    max_retries = 5
    retry_backoff = 30  # seconds, doubling: 30, 60, 120, 240, 480
    retry_backoff_max = 60 * 15
    retry_jitter = True
