"""Import runs: taking an upload, then checking it whole and writing it all or nothing.

`import_run_create` stores the file(s) and queues the run; the Celery task calls
`import_run_process`, which checks every row of every file first. A file with any
problem is refused with its report and nothing is written. A clean file is written in
one transaction: an error part-way rolls everything back, and the run says so.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import logging
import time
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from cases.models import StaffMember, Team
from core.scheduling import JobAlreadyRunning, job_lock
from performance.models import ImportProblem, ImportRun
from performance.services.imports import ours, ssda903
from performance.services.imports.checking import Checker, Problems, TooManyProblems
from performance.services.imports.columns import Dates
from performance.services.imports.layouts import LAYOUTS
from performance.services.imports.plan import Plan
from performance.services.imports.progress import Progress
from performance.services.imports.reading import FileProblem, open_table
from performance.services.imports.writing import Writer

logger = logging.getLogger(__name__)

Kind = ImportRun.Kind
Status = ImportRun.Status
# The layouts of the file(s) each kind of import takes, in upload order.
FILES: dict[str, tuple[str, ...]] = {
    Kind.CHILDREN: ("children",),
    Kind.CASES: ("cases",),
    Kind.EVENTS: ("events",),
    Kind.SSDA903: ("ssda903_header", "ssda903_episodes"),
}
# Files whose first column no two rows may share, and what it is called in messages.
UNIQUE = {
    "children": "child ID",
    "cases": "case ID",
    "events": "event ID",
    "ssda903_header": "child (CHILD)",
}
UNEXPECTED = (
    "The import stopped because of an unexpected error, so nothing was imported. Upload "
    "the file again; if it happens again, tell your QA portal support team (import {pk})"
)
NOT_STARTED = (
    "The import could not be started, so nothing was imported. Upload the file again; if "
    "it happens again, tell your QA portal support team"
)
REFUSED = "The file has problems, so nothing was imported. Put them right and upload it again"
UNCHANGED = "No changes: everything in the file is already in the portal"


def lock_name(organisation_id: int) -> str:
    """One import at a time per organisation: two at once could both create a child."""
    return f"case_data_import_{organisation_id}"


# Taking an upload.


def _digest(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _display_name(upload: UploadedFile) -> str:
    name = PurePath(upload.name or "upload").name.replace("\x00", "")
    return name[-255:] or "upload"


@transaction.atomic
def import_run_create(
    *,
    uploaded_by: StaffMember,
    kind: str,
    upload: UploadedFile,
    second_upload: UploadedFile | None = None,
    team: Team | None = None,
    collection_year: int | None = None,
) -> ImportRun:
    """Store the upload for the uploader's organisation and queue the run. SSDA903:
    `collection_year` (2024 for 2024-25) when the uploader states it."""
    organisation = uploaded_by.organisation
    if kind == Kind.SSDA903:
        if second_upload is None:
            raise ValidationError("Choose the SSDA903 episodes file")
        if team is None or team.organisation_id != organisation.pk:
            raise ValidationError("Choose the team for new looked-after cases")
    else:
        second_upload, team, collection_year = None, None, None
    uploads = [u for u in (upload, second_upload) if u is not None]
    digests = [_digest(u) for u in uploads]
    # Two files (SSDA903): the digest of their digests, in upload order.
    if len(digests) == 1:
        sha256 = digests[0]
    else:
        sha256 = hashlib.sha256("".join(digests).encode()).hexdigest()
    run = ImportRun(
        organisation=organisation,
        uploaded_by=uploaded_by,
        kind=kind,
        team=team,
        collection_year=collection_year,
        file_name=_display_name(upload),
        second_file_name=_display_name(second_upload) if second_upload else "",
        sha256=sha256,
    )
    run.file.save(run.file_name, upload, save=False)
    if second_upload is not None:
        run.second_file.save(run.second_file_name, second_upload, save=False)
    run.full_clean()
    run.save()
    transaction.on_commit(lambda: _queue(run.pk))
    return run


def _queue(run_pk: int) -> None:
    from performance.tasks import import_run_process_task

    try:
        import_run_process_task.delay(run_pk)
    except Exception:
        # The upload is saved; say it did not start rather than leave it waiting.
        logger.exception("Could not queue case-data import %s", run_pk)
        import_run_fail(run_pk=run_pk, message=NOT_STARTED)
        _discard_files(run_pk)


# Processing a run.


def import_run_process(*, run_pk: int) -> dict[str, Any]:
    """Check and apply a queued run (the Celery task's service). Idempotent: a run that
    has finished is left alone, and one caught part-way (a worker lost) starts again."""
    run = ImportRun.objects.select_related("team", "uploaded_by__user").filter(pk=run_pk).first()
    if run is None or not run.in_progress:
        return {"skipped": "not waiting to be imported"}
    with job_lock(lock_name(run.organisation_id)):
        return _process(run)


_RUNNING = (Status.VALIDATING, Status.APPLYING)


def import_run_fail(
    *, run_pk: int, message: str, statuses: tuple[str, ...] = ImportRun.IN_PROGRESS
) -> None:
    """End a run as failed, if it is still in one of `statuses`."""
    ImportRun.objects.filter(pk=run_pk, status__in=statuses).update(
        status=Status.FAILED, message=message, finished_at=timezone.now()
    )


# Ending work a crash left unfinished.

STOPPED = (
    "The import stopped part-way because the server running it was restarted, so nothing "
    "was imported. Upload the file again"
)
NEVER_STARTED = (
    "The import waited a day without starting, so nothing was imported. Upload the file "
    "again; if it happens again, tell your QA portal support team (import {pk})"
)
# A queued run is sent again if it has waited longer than a run can wait for another
# import's lock (the task's retries: about 30 minutes), and given up after a day.
REQUEUE_AFTER = datetime.timedelta(hours=1)
GIVE_UP_AFTER = datetime.timedelta(days=1)


def import_runs_sweep(*, day: datetime.date | None = None) -> dict[str, Any]:
    """End or restart the runs a lost worker left behind (at worker start-up and nightly).

    A run that is checking or saving holds its organisation's import lock (a PostgreSQL
    session lock or a file lock, both let go when the process dies). So if the lock can
    be taken, no one is working on it: the run ends as failed, and its upload (children's
    details) is deleted. Nothing of it was saved: the changes are one transaction.
    A queued run whose task message was lost is queued again; after a day it is failed.
    Idempotent: a second sweep finds nothing to do.
    """
    now = timezone.now()
    ended: list[int] = []
    busy: list[int] = []
    requeued: list[int] = []
    running = ImportRun.objects.filter(status__in=(Status.VALIDATING, Status.APPLYING)).values_list(
        "pk", "organisation_id"
    )
    for run_pk, organisation_id in running:
        try:
            with job_lock(lock_name(organisation_id)):
                import_run_fail(run_pk=run_pk, message=STOPPED, statuses=_RUNNING)
        except JobAlreadyRunning:
            busy.append(run_pk)  # a worker is on it now
            continue
        _discard_files(run_pk)
        ended.append(run_pk)
    queued = ImportRun.objects.filter(status=Status.QUEUED, created_at__lt=now - REQUEUE_AFTER)
    for run_pk, created_at in queued.values_list("pk", "created_at"):
        if created_at < now - GIVE_UP_AFTER:
            import_run_fail(run_pk=run_pk, message=NEVER_STARTED.format(pk=run_pk))
            _discard_files(run_pk)
            ended.append(run_pk)
        else:
            # Safe if the first message is still on its way: a run is processed once.
            _queue(run_pk)
            requeued.append(run_pk)
    if ended or requeued:
        logger.warning("Import runs ended: %s; queued again: %s", ended, requeued)
    return {"ended": ended, "requeued": requeued, "busy": busy}


def _process(run: ImportRun) -> dict[str, Any]:
    run.problems.all().delete()
    # A run caught part-way (its worker lost) starts again from nothing.
    ImportRun.objects.filter(pk=run.pk).update(
        started_at=timezone.now(),
        message="",
        details={},
        created_count=0,
        updated_count=0,
        unchanged_count=0,
        problem_count=0,
    )
    progress = Progress(run.pk)
    timings: dict[str, float] = {}
    try:
        started = time.monotonic()
        plan, problems, rows = _check(run, progress)
        timings["checking"] = round(time.monotonic() - started, 2)
        if plan is None:
            return _refuse(run, problems, rows)
        started = time.monotonic()
        _apply(run, plan, progress, rows)
        timings["saving"] = round(time.monotonic() - started, 2)
        return _finish(run, plan, rows, timings)
    except Exception:
        logger.exception("Case-data import %s failed; nothing was written", run.pk)
        import_run_fail(run_pk=run.pk, message=UNEXPECTED.format(pk=run.pk))
        return {"failed": run.pk}
    finally:
        progress.close()
        _discard_files(run.pk)


def _discard_files(run_pk: int) -> None:
    """Delete a finished run's uploaded file(s): they hold children's personal details,
    and once the run is over its records, counts and problems are all in the database.
    The run keeps the file names and their SHA-256."""
    run = ImportRun.objects.filter(pk=run_pk).exclude(status__in=ImportRun.IN_PROGRESS).first()
    if run is None:
        return
    for stored in (run.file, run.second_file):
        # A file field is true when it has a name.
        if stored and stored.name:
            try:
                stored.storage.delete(stored.name)
            except OSError:
                logger.exception("Could not delete the upload of case-data import %s", run_pk)
                return
    ImportRun.objects.filter(pk=run_pk).update(file="", second_file="")


def _check(run: ImportRun, progress: Progress) -> tuple[Plan | None, Problems, int]:
    """Read and check every row of every file: (plan or None, problems, rows read)."""
    problems = Problems()
    checkers: list[Checker] = []
    plan = None
    with contextlib.ExitStack() as stack:
        try:
            checkers = _open(run, stack, problems, progress)
            plan = _plan(run, checkers, problems) if not problems else None
            if not problems:
                _refuse_empty(checkers, problems)
        except FileProblem as error:
            problems.add(error.file, error.row, error.message, last=True)
        except TooManyProblems:
            problems.stopped(problems.items[-1].file, None)
    rows = sum(checker.rows_read for checker in checkers)
    return (None if problems else plan), problems, rows


def _refuse_empty(checkers: list[Checker], problems: Problems) -> None:
    for checker in checkers:
        if not checker.rows_read:
            problems.add(
                checker.file,
                None,
                "The file has its column headings but no rows under them. Check you "
                "exported the right file",
            )


def _files(run: ImportRun) -> list[tuple[str, Any, str]]:
    files = [(run.file, run.file_name), (run.second_file, run.second_file_name)]
    return [(key, f, name) for key, (f, name) in zip(FILES[run.kind], files, strict=False)]


def _open(
    run: ImportRun, stack: contextlib.ExitStack, problems: Problems, progress: Progress
) -> list[Checker]:
    dates = Dates(timezone.localdate())
    layouts = {key: make(dates) for key, make in LAYOUTS.items()}
    tables = []
    for key, field_file, name in _files(run):
        stored = stack.enter_context(field_file.storage.open(field_file.name, "rb"))
        try:
            # The storage's own file object: Django's File wrapper iterates lines slowly.
            table = stack.enter_context(open_table(getattr(stored, "file", stored), name))
        except FileProblem as error:
            problems.add(name, error.row, error.message)
            continue
        tables.append((key, table, name))
    progress.start(Status.VALIDATING, sum(table.rows_estimate for _, table, _ in tables))
    checkers = []
    done_before = 0
    for key, table, name in tables:
        others = [layout for other, layout in layouts.items() if other != key]
        unique = UNIQUE.get(key)
        tick = _ticker(progress, done_before)
        checker = Checker(table, layouts[key], name, problems, tick, unique=unique)
        checker.check_headings(others)
        checkers.append(checker)
        done_before += table.rows_estimate
    return checkers


def _ticker(progress: Progress, offset: int) -> Any:
    return lambda done: progress.tick(offset + done)


def _plan(run: ImportRun, checkers: list[Checker], problems: Problems) -> Plan | None:
    sources = [ours.Source(c, run.organisation_id, problems) for c in checkers]
    if run.kind != Kind.SSDA903:
        checked = ours.CHECKS[run.kind](sources[0])
        return None if problems else checked
    # import_run_create refuses an SSDA903 return without the team for new cases.
    assert run.team is not None
    plan, year = ssda903.check_return(
        sources[0],
        sources[1],
        team=run.team,
        stated_year=run.collection_year,
        today=timezone.localdate(),
    )
    # Kept on a refused run too, so its page says which year's codes it was checked against.
    ImportRun.objects.filter(pk=run.pk).update(details={"collection_year": year.details()})
    return plan


def _apply(run: ImportRun, plan: Plan, progress: Progress, rows: int) -> None:
    writes = plan.writes
    if not writes:
        return
    progress.start(Status.APPLYING, rows)
    user = run.uploaded_by.user if run.uploaded_by else None
    writer = Writer(
        organisation_id=run.organisation_id,
        user=user,
        reason=f"Imported from {run.file_names} (import {run.pk})"[:100],
        tick=lambda done: progress.tick(done * rows // writes),
    )
    with transaction.atomic():
        writer.write(plan)


def _finish(run: ImportRun, plan: Plan, rows: int, timings: dict[str, float]) -> dict[str, Any]:
    totals = plan.totals()
    status = Status.APPLIED if plan.writes else Status.UNCHANGED
    ImportRun.objects.filter(pk=run.pk).update(
        status=status,
        rows_total=rows,
        rows_done=rows,
        created_count=totals["created"],
        updated_count=totals["updated"],
        unchanged_count=totals["unchanged"],
        details={**plan.summary(), "seconds": timings},
        message="" if plan.writes else UNCHANGED,
        finished_at=timezone.now(),
    )
    return {"run": run.pk, "status": str(status), **totals}


def _refuse(run: ImportRun, problems: Problems, rows: int) -> dict[str, Any]:
    with transaction.atomic():
        ImportProblem.objects.bulk_create(
            [
                ImportProblem(
                    run_id=run.pk,
                    file=p.file[:255],
                    row=p.row,
                    column=p.column[:80],
                    value=p.value,
                    message=p.message[:500],
                )
                for p in problems.items
            ],
            batch_size=500,
        )
        ImportRun.objects.filter(pk=run.pk).update(
            status=Status.FAILED,
            rows_done=rows,
            problem_count=len(problems),
            message=REFUSED,
            finished_at=timezone.now(),
        )
    return {"run": run.pk, "status": str(Status.FAILED), "problems": len(problems)}
