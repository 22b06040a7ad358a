import datetime

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from qaportal.celery import app, ping
from qaportal.scheduling import JobAlreadyRunning, is_first_working_day, job_lock, run_job


def test_every_scheduled_task_is_registered():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-06-01", True),  # a Monday
        ("2026-08-01", False),  # a Saturday
        ("2026-08-03", True),  # the Monday after
        ("2027-01-01", False),  # New Year's Day
        ("2027-01-04", True),
        ("2027-05-03", False),  # Early May bank holiday
        ("2027-05-04", True),
    ],
)
def test_first_working_day_counts_weekends_and_bank_holidays(day, expected):
    assert is_first_working_day(datetime.date.fromisoformat(day)) is expected


@pytest.mark.django_db
def test_a_job_is_skipped_while_another_run_holds_its_lock():
    with job_lock("monthly_report_build"):
        with pytest.raises(JobAlreadyRunning):
            with job_lock("monthly_report_build"):
                pass
        result = run_job("monthly_report_build", lambda day: {"ran": True})
    assert result == {"skipped": "already running"}


def test_a_task_travels_through_the_real_broker_to_a_worker():
    """Not eager: the message goes through the configured broker (Redis when CI=true)."""
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            assert ping.delay().get(timeout=30) == "pong"
    finally:
        app.conf.task_always_eager = True
