"""Every task shares one base: late acknowledgement, time limits, and retries of
transient errors (a database or mail server away) with backoff; other errors are bugs."""

from __future__ import annotations

import smtplib

import pytest
from celery import shared_task
from django.db import OperationalError

from cases.models import Notification
from cases.notifications import notify
from core.tasks import QATask
from qaportal.celery import app
from tests.factories import StaffMemberFactory

CALLS: list[str] = []


@shared_task(name="tests.flaky_task", base=QATask, retry_backoff=False, default_retry_delay=0)
def flaky_task(failures: int, error: str) -> str:
    CALLS.append(error)
    if len(CALLS) <= failures:
        raise {"db": OperationalError, "bug": ValueError}[error]("failed")
    return "done"


@pytest.fixture(autouse=True)
def _fresh_calls():
    CALLS.clear()


@pytest.fixture
def retrying():
    """Eager tasks retry in place only when errors are not propagated at once."""
    before = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = before


def test_every_task_of_the_project_has_the_one_base():
    app.loader.import_default_modules()
    ours = {
        name: task
        for name, task in app.tasks.items()
        if name.split(".")[0] in {"cases", "audits", "performance", "governance"}
    }
    assert ours, "no tasks found"
    for name, task in ours.items():
        assert isinstance(task, QATask), name
        assert task.acks_late, name
        assert task.autoretry_for, name


def test_a_transient_database_error_is_retried_until_it_passes(retrying):
    assert flaky_task.apply(args=(2, "db")).get() == "done"
    assert len(CALLS) == 3


def test_a_bug_is_not_retried(retrying):
    with pytest.raises(ValueError, match="failed"):
        flaky_task.apply(args=(1, "bug")).get()
    assert len(CALLS) == 1


def test_retries_stop_after_the_limit(retrying):
    with pytest.raises(OperationalError):
        flaky_task.apply(args=(99, "db")).get()
    assert len(CALLS) == QATask.max_retries + 1


class _RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("mail server away")


@pytest.mark.django_db
def test_mail_goes_through_a_task_after_commit(django_capture_on_commit_callbacks, mailoutbox):
    person = StaffMemberFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = notify(
            recipient=person, kind="reminder", subject="Due", url="/audits/", key="k1"
        )
    assert mailoutbox == []  # nothing is sent inside the request's transaction
    assert [c.func.__name__ for c in callbacks] == ["_queue_email"]
    callbacks[0]()
    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None


@pytest.mark.django_db
def test_a_mail_server_away_leaves_the_notification_unsent_and_the_page_working(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}._RefusingBackend"
    person = StaffMemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            recipient=person, kind="reminder", subject="Due", url="/audits/", key="k2"
        )
    notification.refresh_from_db()
    assert notification.emailed_at is None  # still unsent: a later retry may send it
    assert Notification.objects.filter(pk=notification.pk).exists()
