"""Celery tasks: thin adapters that call this app's services under a job lock."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from core.scheduling import parse_day, run_job
from core.tasks import QATask
from governance import plan, reports, services


@shared_task(name="governance.tasks.exceptions_returns_create_task", base=QATask)
def exceptions_returns_create_task(day: str | None = None) -> dict[str, Any]:
    return run_job("exceptions_returns_create", services.exceptions_returns_create, parse_day(day))


@shared_task(name="governance.tasks.monthly_report_build_task", base=QATask)
def monthly_report_build_task(day: str | None = None) -> dict[str, Any]:
    return run_job("monthly_report_build", services.monthly_report_build, parse_day(day))


@shared_task(name="governance.tasks.quarterly_report_build_task", base=QATask)
def quarterly_report_build_task(day: str | None = None) -> dict[str, Any]:
    return run_job("quarterly_report_build", services.quarterly_report_build, parse_day(day))


@shared_task(name="governance.tasks.journey_report_build_task", base=QATask)
def journey_report_build_task(day: str | None = None) -> dict[str, Any]:
    return run_job("journey_report_build", services.journey_report_build, parse_day(day))


@shared_task(name="governance.tasks.annual_report_build_task", base=QATask)
def annual_report_build_task(day: str | None = None) -> dict[str, Any]:
    return run_job("annual_report_build", services.annual_report_build, parse_day(day))


@shared_task(name="governance.tasks.plan_gather_task", base=QATask)
def plan_gather_task(day: str | None = None) -> dict[str, Any]:
    return run_job("plan_gather", plan.plan_gather, parse_day(day))


# Scheduled reports: one report's generation (queued by governance.reports).


@shared_task(name="governance.tasks.report_generate_task", base=QATask)
def report_generate_task(report_pk: int) -> str:
    return reports.report_generate(report_pk=report_pk)
