"""What every scheduled job shares: a lock against overlapping runs, the day it runs for,
and the management command that runs the same code by hand.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import logging
import threading
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from core.dates import first_working_day_of_month

logger = logging.getLogger(__name__)


class JobAlreadyRunning(Exception):
    pass


# Locks this process holds: PostgreSQL advisory locks are re-entrant within a session,
# so a second run started from the same process would otherwise be let in.
_held: set[str] = set()
_held_guard = threading.Lock()


@contextlib.contextmanager
def job_lock(name: str) -> Iterator[None]:
    """Hold a lock named `name` for the job, or raise JobAlreadyRunning.

    PostgreSQL: a session advisory lock, so it works across machines. SQLite (the embedded
    set-up, one machine by definition): an exclusive lock on a file in the run folder.
    """
    with _held_guard:
        if name in _held:
            raise JobAlreadyRunning(name)
        _held.add(name)
    try:
        with _database_lock(name):
            yield
    finally:
        with _held_guard:
            _held.discard(name)


@contextlib.contextmanager
def _database_lock(name: str) -> Iterator[None]:
    if connection.vendor == "postgresql":
        key = zlib.crc32(name.encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            if not cursor.fetchone()[0]:
                raise JobAlreadyRunning(name)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    folder = settings.RUN_DIR / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise JobAlreadyRunning(name) from error
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def is_first_working_day(day: datetime.date) -> bool:
    return day == first_working_day_of_month(day.year, day.month)


def run_job(
    name: str, service: Callable[..., dict[str, Any]], day: datetime.date | None = None
) -> dict[str, Any]:
    """Run a scheduled service for `day` (default today) under its lock."""
    day = day or timezone.localdate()
    try:
        with job_lock(name):
            result = service(day=day)
    except JobAlreadyRunning:
        logger.info("%s is already running; this run is skipped", name)
        return {"skipped": "already running"}
    logger.info("%s for %s: %s", name, day.isoformat(), result)
    return result


def parse_day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


class JobCommand(BaseCommand):
    """A management command that runs a scheduled job by hand, through the same code."""

    job_name = ""
    service: Callable[..., dict[str, Any]]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="Run as if today were this day (YYYY-MM-DD). Default: today."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = parse_day(options.get("date"))
        except ValueError as error:
            raise CommandError("Enter the date as YYYY-MM-DD, for example 2026-12-01") from error
        result = self.run(day or timezone.localdate(), options)
        self.stdout.write(f"{self.job_name}: {result}")

    def run(self, day: datetime.date, options: dict[str, Any]) -> dict[str, Any]:
        """Run the job for `day` under its lock; a subclass may run it otherwise."""
        return run_job(self.job_name, type(self).service, day)
