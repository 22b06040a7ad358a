"""The audit list as an Excel workbook: one row per audit, written row by row."""

from __future__ import annotations

import datetime
from io import BytesIO
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from audits.figures import GRADED_STATUSES, given_grade
from audits.models import Audit
from cases.models import StaffMember

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "dd/mm/yyyy"
ROWS_PER_FETCH = 2000

# (heading, column width in characters)
COLUMNS = (
    ("Audit ID", 10),
    ("Child or adopter", 28),
    ("Child or adopter ID", 20),
    ("Case team", 22),
    ("Service", 26),
    ("Audit tool", 30),
    ("Tool version", 12),
    ("Audit type", 34),
    ("Auditor", 24),
    ("Practitioner", 24),
    ("Due date", 12),
    ("Status", 13),
    ("Overall grade", 30),
    ("Good or better", 15),
    ("Submitted date", 15),
    ("Theme", 32),
)


def export_filename(today: datetime.date | None = None) -> str:
    return f"audits-{(today or timezone.localdate()).isoformat()}.xlsx"


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str) and value.startswith("="):
        # Text typed into the portal stays text: never a formula Excel would run.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def _good_or_better(audit: Audit) -> str:
    if audit.status not in GRADED_STATUSES:
        return ""
    return "Yes" if audit.is_good_or_better else "No"


def _submitted_on(audit: Audit) -> datetime.date | None:
    # Excel has no time zones: the date it was in London.
    return timezone.localdate(audit.submitted_at) if audit.submitted_at else None


def _subject(audit: Audit) -> list[Any]:
    """Name, ID, team and service of what was audited: a case's child or adopters, or
    (a supervision audit) the supervisee, who has no ID."""
    case = audit.case
    if case is None:
        staff = audit.supervisee
        assert staff is not None
        name = f"Supervision of {staff.display_name}"
        return [name, "", staff.team.name if staff.team else "", _service_name(staff)]
    subject = case.child if case.child_id else case.adopter
    subject_name = case.child.full_name if case.child_id else case.adopter.household_name
    return [subject_name, subject.reference, case.team.name, case.service.name]


def _service_name(staff: StaffMember) -> str:
    if staff.service is not None:
        return staff.service.name
    return staff.team.service.name if staff.team else ""


def _row(audit: Audit) -> list[Any]:
    return [
        audit.pk,
        *_subject(audit),
        audit.tool.name,
        audit.tool.version,
        audit.get_audit_type_display(),
        audit.auditor.display_name,
        audit.practitioner.display_name if audit.practitioner else "",
        audit.due_on,
        audit.get_status_display(),
        given_grade(audit),
        _good_or_better(audit),
        _submitted_on(audit),
        audit.theme,
    ]


def audits_workbook(audits: QuerySet[Audit]) -> bytes:
    """An .xlsx of the audits, in the order given, with a bold header row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Audits")
    for index, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for heading, _ in COLUMNS:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for audit in audits.select_related(
        "case__service", "supervisee__service", "supervisee__team__service"
    ).iterator(chunk_size=ROWS_PER_FETCH):
        sheet.append([_cell(sheet, value) for value in _row(audit)])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
