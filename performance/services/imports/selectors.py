"""Reading import runs for the pages: scoped to the reader, a fixed number of queries."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import Case as Choose
from django.db.models import QuerySet, Value, When

from cases.models import Organisation, StaffMember, Team
from performance.models import ImportProblem, ImportRun
from performance.services.imports.progress import read_progress_file

if TYPE_CHECKING:
    from core.types import AnyUser

REPORT_COLUMNS = ("file", "row", "column", "value", "what is wrong")
# A spreadsheet runs a cell starting with one of these as a formula: keep it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def import_run_list(*, user: AnyUser) -> QuerySet[ImportRun]:
    return ImportRun.objects.visible_to(user).select_related("uploaded_by__user", "team")


def import_run_records(*, user: AnyUser) -> QuerySet[ImportRun]:
    """The runs whose page the reader may open: their organisation's."""
    return ImportRun.objects.visible_to(user).select_related("uploaded_by__user", "team")


def import_problems(*, run: ImportRun) -> QuerySet[ImportProblem]:
    return run.problems.order_by("pk")


def import_teams(*, organisation: Organisation) -> QuerySet[Team]:
    """Teams that can take imported looked-after cases: the organisation's, with those of
    its looked-after services first."""
    looked_after_first = Choose(When(service__kind="looked_after", then=Value(0)), default=Value(1))
    return (
        Team.objects.filter(organisation=organisation)
        .select_related("service")
        .order_by(looked_after_first, "name")
    )


def import_staff(*, organisation_id: int) -> QuerySet[StaffMember]:
    """The staff the cases file's worker column can name, with their staff references."""
    return (
        StaffMember.objects.filter(organisation_id=organisation_id)
        .select_related("user", "team")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def import_progress(*, run: ImportRun) -> dict[str, Any]:
    """How far the run has got: rows done out of the total, and the phase in words."""
    done = run.rows_done
    if run.status == ImportRun.Status.APPLYING:
        done = max(done, read_progress_file(run.pk) or 0)
    total = max(run.rows_total, done)
    percent = int(done * 100 / total) if total else 0
    return {"done": done, "total": total, "percent": percent, "phase": run.get_status_display()}


def _safe(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def import_report_lines(*, run: ImportRun) -> Iterator[str]:
    """The problems as CSV, one line at a time (for a streaming download)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: list[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_safe(v) for v in values])
        return buffer.getvalue()

    yield "\ufeff" + line(list(REPORT_COLUMNS))  # a BOM, so Excel reads it as UTF-8
    for problem in import_problems(run=run).iterator(chunk_size=1000):
        row = problem.row if problem.row is not None else ""
        yield line([problem.file, row, problem.column, problem.value, problem.message])
