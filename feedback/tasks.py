"""Celery tasks of the feedback app: thin adapters that call its services under a job
lock. One section per kind of record."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from core.scheduling import parse_day, run_job
from core.tasks import QATask
from feedback import questionnaires

# Questionnaires raised by journey events.


@shared_task(name="feedback.tasks.questionnaires_raise_task", base=QATask)
def questionnaires_raise_task(day: str | None = None) -> dict[str, Any]:
    """Raise the questionnaires that events written in bulk (the import) did not."""
    return run_job(
        questionnaires.JOB, questionnaires.questionnaires_raise_everywhere, parse_day(day)
    )
