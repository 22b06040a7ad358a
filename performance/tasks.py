"""Celery tasks: thin adapters that call this app's services under a job lock."""

from __future__ import annotations

import datetime
from typing import Any

from celery import shared_task
from django.utils import timezone

from core.scheduling import JobAlreadyRunning, parse_day, run_job
from core.tasks import QATask
from performance.models import ImportRun
from performance.services import imports, indicators, quality
from performance.services.organisations import organisation_ids, run_for_organisation

# The nightly jobs fan out: the entry task (the beat schedule's) queues one task per
# organisation, for the same day, and each runs under that organisation's own lock, so
# more workers finish sooner and one organisation's failure leaves the others be.


def _dispatch(task: Any, day: datetime.date) -> dict[str, Any]:
    organisations = organisation_ids()
    for organisation_id in organisations:
        task.delay(organisation_id, day.isoformat())
    return {"day": day.isoformat(), "queued": len(organisations)}


def _today_or(day: str | None) -> datetime.date:
    return parse_day(day) or timezone.localdate()


@shared_task(name="performance.tasks.indicators_recompute_task", base=QATask)
def indicators_recompute_task(day: str | None = None) -> dict[str, Any]:
    """Queue each organisation's recompute (and its alert rules) for `day`."""
    return run_job(
        indicators.JOB,
        lambda *, day: _dispatch(indicators_recompute_organisation_task, day),
        _today_or(day),
    )


@shared_task(name="performance.tasks.indicators_recompute_organisation_task", base=QATask)
def indicators_recompute_organisation_task(organisation_id: int, day: str) -> dict[str, Any]:
    return run_for_organisation(
        indicators.JOB,
        indicators.indicators_recompute_organisation,
        organisation_id=organisation_id,
        day=_today_or(day),
    )


@shared_task(name="performance.tasks.data_quality_run_task", base=QATask)
def data_quality_run_task(day: str | None = None) -> dict[str, Any]:
    """Sync the rule catalogue once, then queue each organisation's run for `day`."""

    def dispatch(*, day: datetime.date) -> dict[str, Any]:
        quality.data_quality_rules_sync()
        return _dispatch(data_quality_run_organisation_task, day)

    return run_job(quality.JOB, dispatch, _today_or(day))


@shared_task(name="performance.tasks.data_quality_run_organisation_task", base=QATask)
def data_quality_run_organisation_task(organisation_id: int, day: str) -> dict[str, Any]:
    return run_for_organisation(
        quality.JOB,
        quality.data_quality_run_organisation,
        organisation_id=organisation_id,
        day=_today_or(day),
    )


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
