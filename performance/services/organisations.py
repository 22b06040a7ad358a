"""Running a nightly job one organisation at a time.

Each organisation's part of a job runs under its own lock (`organisation_lock_name`), so
two deliveries of the same organisation's task never run together while different
organisations run side by side on different workers. The Celery tasks run one
organisation each; the management commands (and the demo loader) loop over them in one
process through `run_for_each_organisation`, which adds up what each reports.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from typing import Any

from cases.models import Organisation
from core.scheduling import JobAlreadyRunning, job_lock

logger = logging.getLogger(__name__)

OrganisationService = Callable[..., dict[str, Any]]


def organisation_lock_name(job: str, organisation_id: int) -> str:
    return f"{job}_{organisation_id}"


def organisation_ids(only: int | None = None) -> list[int]:
    """Every organisation's id in order, or just `only` if it exists."""
    organisations = Organisation.objects.order_by("pk")
    if only is not None:
        organisations = organisations.filter(pk=only)
    return list(organisations.values_list("pk", flat=True))


def run_for_organisation(
    job: str, service: OrganisationService, *, organisation_id: int, day: datetime.date
) -> dict[str, Any]:
    """Run `service` for one organisation under its lock. A run that finds the lock taken
    is skipped: the run holding it does the same work. Errors propagate (a task retries
    the transient ones)."""
    try:
        with job_lock(organisation_lock_name(job, organisation_id)):
            result = service(organisation_id=organisation_id, day=day)
    except JobAlreadyRunning:
        logger.info("%s for organisation %s is already running; skipped", job, organisation_id)
        return {"organisation": organisation_id, "skipped": "already running"}
    logger.info("%s for organisation %s on %s: %s", job, organisation_id, day, result)
    return result


def run_for_each_organisation(
    job: str,
    service: OrganisationService,
    *,
    day: datetime.date,
    added: Iterable[str],
    organisation_id: int | None = None,
) -> dict[str, Any]:
    """Run `service` for every organisation (or only `organisation_id`) in this process,
    each under its own lock; return the counts named in `added`, summed. One
    organisation's failure is logged and the others still run."""
    added = tuple(added)
    totals: dict[str, Any] = dict.fromkeys(added, 0)
    done, skipped, failed = 0, [], []
    for organisation in organisation_ids(organisation_id):
        try:
            result = run_for_organisation(job, service, organisation_id=organisation, day=day)
        except Exception:
            logger.exception("%s for organisation %s failed", job, organisation)
            failed.append(organisation)
            continue
        if "skipped" in result:
            skipped.append(organisation)
            continue
        done += 1
        for name in added:
            totals[name] += result[name]
    totals["organisations"] = done
    if skipped:
        totals["skipped"] = skipped
    if failed:
        totals["failed"] = failed
    return totals
