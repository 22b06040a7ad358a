import datetime
import os
import subprocess
import sys
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from core.scheduling import JobAlreadyRunning, is_first_working_day, job_lock, run_job
from qaportal.celery import app, ping


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


def test_a_worker_starts_on_a_fresh_run_folder(tmp_path):
    """The embedded set-up's filesystem broker needs folders: the settings make them."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qaportal.settings.dev",
        "QAPORTAL_RUN_DIR": str(tmp_path / "run"),
    }
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "REDIS_URL"):
        env.pop(name, None)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "qaportal",
            "worker",
            "--pool",
            "solo",
            "-l",
            "info",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = worker.stdout.readline()
            if not line:
                break
            output.append(line)
            if " ready." in line:
                break
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
    text = "".join(output)
    assert " ready." in text, text[-3000:]
    assert "FileNotFoundError" not in text
