"""Celery tasks: thin adapters that call this app's services under a job lock."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from core.scheduling import parse_day, run_job
from core.tasks import QATask
from rota import services


@shared_task(name="rota.tasks.reminders_send_task", base=QATask)
def reminders_send_task(day: str | None = None) -> dict[str, Any]:
    return run_job("reminders_send", services.reminders_send, parse_day(day))


@shared_task(name="rota.tasks.rota_open_month_task", base=QATask)
def rota_open_month_task(day: str | None = None) -> dict[str, Any]:
    return run_job("rota_open_month", services.rota_open_month, parse_day(day))
