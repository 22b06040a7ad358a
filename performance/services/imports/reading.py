"""Reading an uploaded file as a stream of rows, whatever it was saved as.

CSV files are read line by line (UTF-8, with or without a byte-order mark) and Excel
workbooks with openpyxl in read-only mode, so a million-row file never sits in memory.
What the file is comes from its first bytes, not its name. Anything that stops the file
being read at all is a FileProblem: its message is shown to the person who uploaded it.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 (.xls) and other Office binary files
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SAVE_AS_CSV = "Save it as 'CSV UTF-8 (comma delimited)' and upload it again"
# An .xlsx is a zip of XML files. openpyxl holds shared strings and each cell's text in
# memory, so a small file that unzips to gigabytes (a "zip bomb") would exhaust the
# worker. zipfile never reads past an entry's declared size, so checking the declared
# sizes before openpyxl opens the workbook is enough. A council's largest real workbook
# (20,000 rows) unzips to tens of megabytes and compresses about 10 to 1.
XLSX_MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
XLSX_MAX_RATIO = 100  # unzipped : zipped, for any entry of a megabyte or more
XLSX_MAX_ENTRIES = 10_000
TOO_BIG = (
    "The workbook unzips to more than {limit} MB, which is larger than any real case-data "
    "file: it may be damaged or built to attack the service. Save the sheet as CSV UTF-8 "
    "and upload that instead"
)
# The csv module's default limit on one cell is 128 KB; no column we take is near that.
csv.field_size_limit(1024 * 1024)


class FileProblem(Exception):
    """The file cannot be read; `row` is where reading stopped, when known."""

    def __init__(self, message: str, row: int | None = None, file: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.file = file  # set by whoever knows which file it was


@dataclass
class Table:
    headings: list[str]
    rows: Iterator[tuple[int, list[Any]]]  # (row number as a spreadsheet shows it, cells)
    rows_estimate: int


@contextlib.contextmanager
def open_table(handle: IO[bytes], name: str) -> Iterator[Table]:
    """The file's headings and a stream of its non-blank rows."""
    start = handle.read(8)
    handle.seek(0)
    if not start:
        raise FileProblem("The file is empty")
    if start.startswith(ZIP_MAGIC):
        with _xlsx_table(handle) as table:
            yield table
        return
    if start.startswith(OLE_MAGIC):
        raise FileProblem(
            "This is an Excel 97-2003 (.xls) file, which cannot be read. Save it as an "
            "Excel workbook (.xlsx) or as CSV UTF-8 and upload it again"
        )
    if name.lower().endswith(".xlsx"):
        raise FileProblem(
            "The file is called .xlsx but is not a real Excel workbook. Open it in Excel "
            "and save it as an Excel workbook (.xlsx), or save it as CSV UTF-8"
        )
    if start.startswith(UTF16_BOMS):
        raise FileProblem(f"The file is saved as UTF-16 text, not UTF-8. {SAVE_AS_CSV}")
    yield _csv_table(handle)


# CSV


def _count_lines(handle: IO[bytes]) -> int:
    lines = 0
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        lines += chunk.count(b"\n")
    handle.seek(0)
    return lines


def _decoded_lines(handle: IO[bytes]) -> Iterator[str]:
    """Each line as text, so a byte that is not UTF-8 is reported on its own line."""
    for number, raw in enumerate(handle, start=1):
        if number == 1 and raw.startswith(UTF8_BOM):
            raw = raw[len(UTF8_BOM) :]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            raise FileProblem(
                f"The file is not UTF-8 text: line {number} has characters that cannot be "
                f"read (often £, é or curly quotes saved by Excel as 'CSV'). {SAVE_AS_CSV}",
                row=number,
            ) from None


def _csv_table(handle: IO[bytes]) -> Table:
    estimate = max(_count_lines(handle) - 1, 0)
    reader = csv.reader(_decoded_lines(handle))
    try:
        first = next(reader, None)
    except csv.Error as error:
        raise FileProblem(f"The file cannot be read as CSV: {error}", row=1) from None
    if first is None or not any(cell.strip() for cell in first):
        raise FileProblem("The file is empty: the first row must hold the column headings")
    return Table(
        headings=[cell.strip() for cell in first],
        rows=_csv_rows(reader),
        rows_estimate=estimate,
    )


def _csv_rows(reader: Any) -> Iterator[tuple[int, list[Any]]]:
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FileProblem(
                f"The file cannot be read as CSV after line {reader.line_num}: {error}",
                row=reader.line_num + 1,
            ) from None
        cells = [cell.strip() for cell in cells]
        if any(cells):
            yield reader.line_num, cells


# Excel


@contextlib.contextmanager
def _xlsx_table(handle: IO[bytes]) -> Iterator[Table]:
    from openpyxl import load_workbook

    _check_unzipped_sizes(handle)
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
    except Exception:  # any failure to open it means it is not a workbook we can read
        raise FileProblem(
            "The file is not a real Excel workbook (.xlsx), or it is damaged. Open it in "
            "Excel and save it again, or save it as CSV UTF-8"
        ) from None
    try:
        headings = [_cell(value) for value in first or ()]
        if not any(isinstance(h, str) and h for h in headings):
            raise FileProblem(
                "The first sheet is empty: its first row must hold the column headings"
            )
        yield Table(
            headings=[str(h) for h in headings],
            rows=_xlsx_rows(rows),
            rows_estimate=max((sheet.max_row or 1) - 1, 0),
        )
    finally:
        workbook.close()


def _check_unzipped_sizes(handle: IO[bytes]) -> None:
    """Refuse a workbook that would unzip to far more than any real one."""
    try:
        with zipfile.ZipFile(handle) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not readable as a zip: load_workbook reports it as damaged
    finally:
        handle.seek(0)
    limit_mb = XLSX_MAX_UNZIPPED_BYTES // (1024 * 1024)
    if len(entries) > XLSX_MAX_ENTRIES:
        raise FileProblem(TOO_BIG.format(limit=limit_mb))
    if sum(entry.file_size for entry in entries) > XLSX_MAX_UNZIPPED_BYTES:
        raise FileProblem(TOO_BIG.format(limit=limit_mb))
    for entry in entries:
        big = entry.file_size >= 1024 * 1024
        if big and entry.file_size > XLSX_MAX_RATIO * max(entry.compress_size, 1):
            raise FileProblem(
                f"Part of the workbook ({entry.filename}) unzips to "
                f"{entry.file_size // (1024 * 1024)} MB from "
                f"{max(entry.compress_size // 1024, 1)} KB, far more than a real "
                "spreadsheet: it may be damaged or built to attack the service. Save the "
                "sheet as CSV UTF-8 and upload that instead"
            )


def _xlsx_rows(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, list[Any]]]:
    number = 1
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception:  # a damaged sheet fails part-way through
            raise FileProblem(
                f"The workbook is damaged after row {number}. Open it in Excel and save it "
                "again, or save it as CSV UTF-8",
                row=number + 1,
            ) from None
        number += 1
        cells = [_cell(value) for value in values]
        if any(cell != "" for cell in cells):
            yield number, cells


def _cell(value: Any) -> Any:
    """An Excel cell as the text a CSV would hold, except dates, which stay dates."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
