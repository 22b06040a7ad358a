"""Celery tasks: thin adapters that call this app's services under a job lock."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from performance import services
from qaportal.scheduling import parse_day, run_job

TASK_OPTIONS = {
    "acks_late": True,
    "soft_time_limit": 60 * 30,
    "max_retries": 3,
    "retry_backoff": True,
}


@shared_task(name="performance.tasks.indicators_recompute_task", **TASK_OPTIONS)
def indicators_recompute_task(day: str | None = None) -> dict[str, Any]:
    return run_job("indicators_recompute", services.indicators_recompute, parse_day(day))


@shared_task(name="performance.tasks.data_quality_run_task", **TASK_OPTIONS)
def data_quality_run_task(day: str | None = None) -> dict[str, Any]:
    return run_job("data_quality_run", services.data_quality_run, parse_day(day))
