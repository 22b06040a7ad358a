"""The columns of an import file: what each holds, and the parser that checks a cell.

A parser takes the cell (a stripped string, or a date from an Excel cell) and returns
the value to store, or raises Invalid with a message that says what is wrong in words a
person can act on. Parsers are called for every cell of a million-row file, so they do
as little as they can: dates are cached, codes are one dictionary look-up.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

Parser = Callable[[Any], Any]

EARLIEST = datetime.date(1900, 1, 1)
DATE_EXAMPLE = "31/03/2024 or 2024-03-31"


class Invalid(Exception):
    """A cell's value is wrong; the message says what is wrong and how to put it right."""


@dataclass(frozen=True)
class Column:
    name: str
    label: str  # "the child ID": used in messages ("Enter the child ID")
    parse: Parser
    required: bool = False
    hint: str = ""  # what the column holds, for the guide
    codes: tuple[tuple[str, str], ...] = ()  # (code, meaning), for the guide
    example: str = ""


def text(max_length: int) -> Parser:
    def parse(value: Any) -> str:
        value = str(value)
        if len(value) > max_length:
            raise Invalid(f"Enter {max_length} characters or fewer")
        if "\x00" in value:
            raise Invalid("Remove the hidden NUL character from this cell")
        return value

    return parse


def code(choices: Iterable[tuple[str, Any]], what: str, *, upper: bool = True) -> Parser:
    """A value from a code list. `choices` maps each accepted spelling to what is stored;
    matching ignores case."""
    accepted = {(key.upper() if upper else key.lower()): value for key, value in choices}
    examples = ", ".join(list(dict.fromkeys(k for k, _ in choices))[:4])

    def parse(value: Any) -> Any:
        key = str(value).upper() if upper else str(value).lower()
        try:
            return accepted[key]
        except KeyError:
            raise Invalid(
                f"This is not a known {what} code. Use one of the codes in the guide, "
                f"like {examples}"
            ) from None

    return parse


YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


def yes_no(value: Any) -> bool:
    word = str(value).lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise Invalid("Enter yes or no, or leave it empty when it was not recorded")


class Dates:
    """Parses dates (31/03/2024, 2024-03-31, or an Excel date), refusing future dates.

    One instance per import: it remembers each spelling it has parsed, because a large
    file repeats the same few thousand dates."""

    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self.cache: dict[str, datetime.date] = {}

    def __call__(self, value: Any) -> datetime.date:
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return self._check(value)
        day = self.cache.get(value)
        if day is None:
            day = self._check(self._parse(value))
            self.cache[value] = day
        return day

    def _check(self, day: datetime.date) -> datetime.date:
        if day > self.today:
            raise Invalid(
                f"The date is in the future: enter a date on or before today "
                f"({self.today:%d/%m/%Y})"
            )
        if day < EARLIEST:
            raise Invalid("Enter a date after 1 January 1900")
        return day

    @staticmethod
    def _parse(value: str) -> datetime.date:
        # "2024-03-31 00:00:00" is what some systems export for a date.
        if len(value) > 10 and value[10] in " T":
            value = value[:10]
        try:
            if "/" in value:
                day, month, year = value.split("/")
                if len(year) != 4:
                    raise ValueError(value)
                return datetime.date(int(year), int(month), int(day))
            if len(value) == 10:
                return datetime.date.fromisoformat(value)
        except ValueError:
            pass
        raise Invalid(f"Enter a real date, like {DATE_EXAMPLE}")
