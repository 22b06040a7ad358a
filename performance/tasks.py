"""Celery tasks: thin adapters that call this app's services under a job lock."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from core.scheduling import JobAlreadyRunning, parse_day, run_job
from core.tasks import QATask
from performance import services
from performance.models import ImportRun
from performance.services import imports


@shared_task(name="performance.tasks.indicators_recompute_task", base=QATask)
def indicators_recompute_task(day: str | None = None) -> dict[str, Any]:
    return run_job("indicators_recompute", services.indicators_recompute, parse_day(day))


@shared_task(name="performance.tasks.data_quality_run_task", base=QATask)
def data_quality_run_task(day: str | None = None) -> dict[str, Any]:
    return run_job("data_quality_run", services.data_quality_run, parse_day(day))


# Case-data import: one run at a time per organisation (the service's lock); a run that
# finds the lock taken waits for the other to finish.
IMPORT_RETRY_SECONDS = 15
IMPORT_MAX_RETRIES = 120


@shared_task(
    name="performance.tasks.import_run_process_task",
    bind=True,
    base=QATask,
    max_retries=IMPORT_MAX_RETRIES,
    retry_backoff=False,
)
def import_run_process_task(self: Any, run_pk: int) -> dict[str, Any]:
    try:
        return imports.import_run_process(run_pk=run_pk)
    except JobAlreadyRunning as error:
        if self.request.retries >= IMPORT_MAX_RETRIES:
            # Only if no other delivery of this task has started it meanwhile.
            imports.import_run_fail(
                run_pk=run_pk,
                statuses=(ImportRun.Status.QUEUED,),
                message="Another import for your organisation ran for too long, so this one "
                "did not start. Nothing was imported: upload the file again",
            )
            return {"failed": run_pk}
        raise self.retry(exc=error, countdown=IMPORT_RETRY_SECONDS) from error


@shared_task(name="performance.tasks.import_runs_sweep_task", base=QATask)
def import_runs_sweep_task(day: str | None = None) -> dict[str, Any]:
    return run_job("import_runs_sweep", imports.import_runs_sweep, parse_day(day))
