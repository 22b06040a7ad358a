"""A report as an Excel workbook (openpyxl, as audits/export.py): a cover sheet (title,
organisation, period, version, generated), then one sheet per table, numbers written as
numbers. Drawn from the report's frozen content."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from governance import reports
from governance.models import Report

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_NAME_LENGTH = 31
# Characters Excel refuses in a sheet's name.
_NOT_IN_NAMES = re.compile(r"[\[\]:*?/\\]")
BOLD = Font(bold=True)


def sheet_name(wanted: str, taken: set[str]) -> str:
    """`wanted` as a sheet name Excel takes: no []:*?/\\, at most 31 characters, not
    empty, no leading or trailing apostrophe, and unique (case aside) in the workbook."""
    base = _NOT_IN_NAMES.sub(" ", wanted).strip().strip("'").strip() or "Table"
    base = re.sub(r"\s+", " ", base)
    name = base[:SHEET_NAME_LENGTH].strip()
    n = 1
    while name.lower() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: SHEET_NAME_LENGTH - len(suffix)].strip() + suffix
    taken.add(name.lower())
    return name


def _value(cell: Any, numeric: bool) -> Any:
    if isinstance(cell, str):
        if numeric:
            try:
                return float(cell.replace(",", "")) if "." in cell else int(cell.replace(",", ""))
            except ValueError:
                pass
    return cell


def _as_text(sheet: Any) -> None:
    """The last row's text stays text: never a formula Excel would run."""
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def report_workbook_bytes(report: Report) -> bytes:
    content = reports.content_of(report)
    if content is None:
        raise reports.ReportError("This report has not been generated yet")
    book = Workbook()
    cover = book.active
    assert cover is not None
    taken = {"cover"}
    cover.title = "Cover"
    generated = timezone.localtime(report.generated_at) if report.generated_at else None
    rows: list[tuple[str, Any]] = [
        ("Report", content.title),
        ("Organisation", report.organisation.name),
        ("Period", report.period_label),
        ("From", report.period_start),
        ("To", report.period_end),
        ("Version", report.version),
        ("Status", report.get_status_display()),
        ("Generated", generated.replace(tzinfo=None) if generated else ""),
    ]
    for label, value in rows:
        cover.append([label, value])
        _as_text(cover)
        cover.cell(row=cover.max_row, column=1).font = BOLD
    for row in (4, 5):
        cover.cell(row=row, column=2).number_format = "dd/mm/yyyy"
    cover.cell(row=8, column=2).number_format = "dd/mm/yyyy hh:mm"
    cover.append([])
    cover.append(["Sheet", "Section", "Table"])
    header_row = cover.max_row
    for column in range(1, 4):
        cover.cell(row=header_row, column=column).font = BOLD
    cover.column_dimensions["A"].width = 34
    cover.column_dimensions["B"].width = 40
    cover.column_dimensions["C"].width = 50
    for section in content.sections:
        for table in section.tables:
            name = sheet_name(table.caption, taken)
            cover.append([name, section.title, table.caption])
            _as_text(cover)
            sheet = book.create_sheet(name)
            sheet.append([table.caption])
            _as_text(sheet)
            sheet.cell(row=1, column=1).font = BOLD
            sheet.append(list(table.columns))
            _as_text(sheet)
            for column in range(1, len(table.columns) + 1):
                sheet.cell(row=2, column=column).font = BOLD
            numeric = set(table.numeric)
            for cells in table.rows:
                sheet.append([_value(cell, i in numeric) for i, cell in enumerate(cells)])
                _as_text(sheet)
            sheet.freeze_panes = "A3"
            for index in range(len(table.columns)):
                letter = sheet.cell(row=2, column=index + 1).column_letter
                sheet.column_dimensions[letter].width = 14 if index in numeric else 36
    out = BytesIO()
    book.save(out)
    return out.getvalue()
