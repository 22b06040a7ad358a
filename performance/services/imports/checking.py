"""Checking a file: its headings, then each row's cells against the layout's columns.

Problems are collected, never raised: the person who uploaded the file sees every one
(up to MAX_PROBLEMS) in one report rather than one at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from performance.services.imports.columns import Invalid
from performance.services.imports.layouts import Layout
from performance.services.imports.reading import FileProblem, Table

MAX_PROBLEMS = 1000
VALUE_LENGTH = 200


def _text(value: Any) -> str:
    """As the file has it, except NUL, which no database text column may hold."""
    return str(value).replace("\x00", "\\x00")


class TooManyProblems(Exception):
    """Checking stops here: the report already holds MAX_PROBLEMS problems."""


@dataclass
class Problem:
    file: str
    row: int | None
    column: str
    value: str
    message: str


@dataclass
class Problems:
    items: list[Problem] = field(default_factory=list)
    limit: int = MAX_PROBLEMS

    def add(
        self,
        file: str,
        row: int | None,
        message: str,
        column: str = "",
        value: Any = "",
        *,
        last: bool = False,
    ) -> None:
        """Add a problem; `last` for one that ends checking (it may pass the limit)."""
        if len(self.items) >= self.limit and not last:
            raise TooManyProblems
        shown = _text(value)
        if len(shown) > VALUE_LENGTH:
            shown = shown[: VALUE_LENGTH - 1] + "…"
        self.items.append(Problem(_text(file), row, _text(column), shown, _text(message)))

    def stopped(self, file: str, row: int | None) -> None:
        """Say that checking stopped, past the limit (the one problem allowed past it)."""
        self.items.append(
            Problem(
                file,
                row,
                "",
                "",
                f"Checking stopped after {self.limit:,} problems. Put these right and "
                "upload the file again to see any more",
            )
        )

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)


Row = tuple[int, list[Any]]  # (row number, values in the layout's column order)


class Checker:
    """One file: matches its headings to the layout, then yields each row's parsed values
    (None for an empty cell or a column the file leaves out). A row with a problem in a
    cell is reported and not yielded."""

    def __init__(
        self,
        table: Table,
        layout: Layout,
        file: str,
        problems: Problems,
        tick: Callable[[int], None] = lambda count: None,
        unique: str | None = None,
    ) -> None:
        self.table = table
        self.layout = layout
        self.file = file
        self.problems = problems
        self.tick = tick
        self.present: set[str] = set()
        self.positions: list[tuple[int, int]] = []  # (cell index, column index)
        self.rows_read = 0
        # `unique`: what the first column is ("child ID"), when no two rows may share it.
        self.unique = unique
        self.seen: dict[Any, int] = {}

    def check_headings(self, other_layouts: Sequence[Layout] = ()) -> bool:
        """Report missing and unexpected headings; True when the rows can be read."""
        by_name = {column.name.lower(): i for i, column in enumerate(self.layout.columns)}
        seen: dict[str, int] = {}
        unexpected = []
        for cell_index, heading in enumerate(self.table.headings):
            key = heading.strip().lower()
            if not key:
                continue  # Spreadsheets often end rows with empty, unnamed columns.
            if key in seen:
                self._heading_problem(heading, f"The column {heading} appears more than once")
                continue
            seen[key] = cell_index
            if key in by_name:
                self.positions.append((cell_index, by_name[key]))
                self.present.add(self.layout.columns[by_name[key]].name)
            else:
                unexpected.append(heading)
        missing = [name for name in self.layout.required if name not in self.present]
        for name in missing:
            self._heading_problem(name, f"The column {name} is missing. {self._expected()}")
        for heading in unexpected:
            self._heading_problem(heading, self._unexpected_message(heading))
        if missing or unexpected:
            self._guess_layout(other_layouts)
        return not missing and not unexpected and not self.problems

    def _expected(self) -> str:
        return f"The {self.layout.title.lower()} file has the columns: " + ", ".join(
            self.layout.names
        )

    def _unexpected_message(self, heading: str) -> str:
        if len(self.table.headings) == 1 and any(sep in heading for sep in ";\t|"):
            return (
                "The columns are not separated by commas. Save the file as "
                "'CSV UTF-8 (comma delimited)' and upload it again"
            )
        return (
            f"The column {heading} is not one we expect: check its spelling against the "
            f"template, or remove it. {self._expected()}"
        )

    def _guess_layout(self, other_layouts: Sequence[Layout]) -> None:
        headings = {h.strip().lower() for h in self.table.headings if h.strip()}
        for other in other_layouts:
            names = {name.lower() for name in other.required}
            if names and names <= headings:
                self.problems.add(
                    self.file,
                    None,
                    f"These are the headings of a {other.title.lower()} file. Choose the "
                    f"kind of file that matches it, or upload the {self.layout.title.lower()} "
                    "file",
                )
                return

    def _heading_problem(self, heading: str, message: str) -> None:
        self.problems.add(self.file, 1, message, column=heading, value=heading)

    def rows(self) -> Iterator[Row]:
        try:
            yield from self._rows()
        except FileProblem as error:
            error.file = self.file
            raise

    def _rows(self) -> Iterator[Row]:
        columns = self.layout.columns
        required = [(i, column) for i, column in enumerate(columns) if column.required]
        for number, cells in self.table.rows:
            self.rows_read += 1
            self.tick(self.rows_read)
            values, failed = self._parse(number, cells)
            missing = [c for i, c in required if values[i] is None and i not in failed]
            for column in missing:
                self.problems.add(self.file, number, f"Enter {column.label}", column.name)
            repeated = self.unique is not None and self._repeated(number, values, cells)
            if not failed and not missing and not repeated:
                yield number, values

    def _parse(self, number: int, cells: list[Any]) -> tuple[list[Any], set[int]]:
        """The row's values in column order, and the columns whose cell is wrong."""
        columns = self.layout.columns
        values: list[Any] = [None] * len(columns)
        failed: set[int] = set()
        count = len(cells)
        for cell_index, column_index in self.positions:
            raw = cells[cell_index] if cell_index < count else ""
            if raw == "":
                continue
            try:
                values[column_index] = columns[column_index].parse(raw)
            except Invalid as error:
                failed.add(column_index)
                column = columns[column_index]
                self.problems.add(self.file, number, str(error), column.name, raw)
        return values, failed

    def _repeated(self, number: int, values: list[Any], cells: list[Any]) -> bool:
        """Whether the row's ID (its first column) was on an earlier row, whether or not
        that row had problems of its own."""
        key = values[0]
        if key is None:
            index = next((c for c, column in self.positions if column == 0), None)
            key = cells[index] if index is not None and index < len(cells) else ""
        if key == "":
            return False
        first = self.seen.setdefault(key, number)
        if first == number:
            return False
        column = self.layout.columns[0].name
        self.problems.add(
            self.file,
            number,
            f"The {self.unique} {key} is also on row {first}: each must be on one row only",
            column,
            key,
        )
        return True
