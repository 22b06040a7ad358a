"""Reading and checking the two files of the return: its children, their episodes, the
order of each child's episodes and the codes the collection year uses."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from cases.models import Child
from performance.services.imports import codes
from performance.services.imports.ours import Found, Source

GENDERS = {
    "1": Child.Gender.MALE,
    "2": Child.Gender.FEMALE,
    "M": Child.Gender.MALE,
    "F": Child.Gender.FEMALE,
    "U": Child.Gender.UNKNOWN,
}


def day_text(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass
class HeaderChild:
    row: int
    sex: str
    born: datetime.date
    ethnicity: str

    @property
    def gender(self) -> str:
        return GENDERS[self.sex]


@dataclass
class Episode:
    row: int
    start: datetime.date
    rne: str
    legal_status: str
    place: str
    end: datetime.date | None
    rec: str | None
    change_reason: str | None

    @property
    def ceases(self) -> bool:
        return self.end is not None and self.rec != codes.CONTINUES


@dataclass(frozen=True)
class CollectionYear:
    """The year the return is for, which sets the code lists it is checked against."""

    year: int
    stated: bool  # chosen on the upload form, or worked out from the file
    latest: datetime.date | None = None  # the file's latest DECOM or DEC

    @property
    def name(self) -> str:
        return codes.year_name(self.year)

    @property
    def start(self) -> datetime.date:
        return codes.year_start(self.year)

    @property
    def end(self) -> datetime.date:
        return codes.year_end(self.year)

    def describe(self) -> str:
        if self.stated:
            return f"{self.name}, as chosen on the upload form"
        if self.latest is None:
            return f"{self.name}, the current collection year (the file has no dates)"
        return f"{self.name}, the year of the file's latest date ({day_text(self.latest)})"

    def details(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "name": self.name,
            "stated": self.stated,
            "latest": self.latest.isoformat() if self.latest else None,
        }


# Reading the two files.


def read_header(source: Source) -> dict[str, HeaderChild]:
    children = {}
    for number, values in source.checker.rows():
        reference, sex, born, ethnicity, *_ = values
        children[reference] = HeaderChild(number, sex, born, ethnicity)
    return children


def episode_problems(values: list[Any], header: HeaderChild | None, known: bool) -> list[Found]:
    child, start, *_, end, rec, _, _, _, _ = values
    found: list[Found] = []
    if header is None and not known:
        found.append(
            (
                "CHILD",
                child,
                "This child is not in the header file, nor already in the "
                "portal. Add the child to the header file",
            )
        )
    if end is not None and rec is None:
        found.append(("REC", "", "Enter REC, the reason the episode ceased, as DEC is given"))
    if rec is not None and end is None:
        found.append(("DEC", "", "Enter DEC, the date the episode ceased, as REC is given"))
    if end is not None and end < start:
        found.append(
            (
                "DEC",
                day_text(end),
                f"The episode ends before it starts (DECOM {day_text(start)}): "
                "DEC must be the same as or after DECOM",
            )
        )
    if header is not None and start < header.born:
        found.append(
            (
                "DECOM",
                day_text(start),
                "The episode starts before the child's date of birth "
                f"(DOB {day_text(header.born)} in the header file)",
            )
        )
    return found


def read_episodes(
    source: Source, header: dict[str, HeaderChild], known: set[str]
) -> dict[str, list[Episode]]:
    by_child: dict[str, list[Episode]] = {}
    starts: dict[tuple[str, datetime.date], int] = {}
    for number, values in source.checker.rows():
        child, start, rne, legal_status, _, place, _, end, rec, change_reason, *_ = values
        first = starts.setdefault((child, start), number)
        found = episode_problems(values, header.get(child), child in known)
        if first != number:
            found.append(
                (
                    "DECOM",
                    day_text(start),
                    f"The child {child} has another episode starting "
                    f"on this day, on row {first}: each episode must start on its own day",
                )
            )
        if not source.report(number, found):
            continue
        episode = Episode(number, start, rne, legal_status, place, end, rec, change_reason)
        by_child.setdefault(child, []).append(episode)
    for episodes in by_child.values():
        episodes.sort(key=lambda e: e.start)
    return by_child


# The collection year and its codes.


def collection_year(
    stated: int | None, by_child: dict[str, list[Episode]], today: datetime.date
) -> CollectionYear:
    """The year chosen on the form, or else the year of the file's latest DECOM or DEC
    (a return holds episodes up to the end of its year, and carried-over ones before)."""
    days = [day for eps in by_child.values() for e in eps for day in (e.start, e.end) if day]
    latest = max(days, default=None)
    if stated is not None:
        return CollectionYear(stated, True, latest)
    return CollectionYear(codes.year_of(latest or today), False, latest)


def _code_problem(column: str, code: str, year: CollectionYear) -> Found | None:
    if codes.in_use(column, code, year.year):
        return None
    note = codes.years_note(column, code)
    instead = codes.INSTEAD.get((column, code))
    use = f": use {instead}" if instead else ""
    return (
        column,
        code,
        f"{column} {code} is used {note}, not in {year.name}{use}. This return is taken as "
        f"{year.describe()}; if it is for another year, choose that year on the upload form",
    )


def check_codes(
    header_source: Source,
    episodes_source: Source,
    header: dict[str, HeaderChild],
    by_child: dict[str, list[Episode]],
    year: CollectionYear,
) -> None:
    """Report codes the collection year does not use (withdrawn, or not yet in use), and
    dates after the end of a year chosen on the form."""
    for child in header.values():
        found = _code_problem("SEX", child.sex, year)
        if found:
            header_source.report(child.row, [found])
    for episodes in by_child.values():
        for episode in episodes:
            problems = [
                problem
                for problem in (
                    _code_problem("PLACE", episode.place, year),
                    episode.rec and _code_problem("REC", episode.rec, year),
                )
                if problem
            ]
            problems += _after_the_year(episode, year)
            episodes_source.report(episode.row, problems)


def _after_the_year(episode: Episode, year: CollectionYear) -> list[Found]:
    found: list[Found] = []
    for column, day in (("DECOM", episode.start), ("DEC", episode.end)):
        if day is not None and day > year.end:
            found.append(
                (
                    column,
                    day_text(day),
                    f"This date is after the end of the {year.name} collection year "
                    f"({day_text(year.end)}), the year chosen on the upload form: check the "
                    "date, or choose the year the return is for",
                )
            )
    return found


# The order of a child's episodes.


def pair_problem(previous: Episode, episode: Episode) -> Found | None:
    """What is wrong with `episode` following `previous`, if anything."""
    if previous.end is None:
        return (
            "DEC",
            "",
            f"The episode starting {day_text(previous.start)} has no DEC, but the "
            f"child has a later episode starting {day_text(episode.start)}: give the earlier "
            "episode its DEC and REC",
        )
    if episode.start < previous.end:
        return (
            "DECOM",
            day_text(episode.start),
            "This episode starts before the child's previous "
            f"episode ended (DEC {day_text(previous.end)})",
        )
    if not previous.ceases and episode.start != previous.end:
        return (
            "DECOM",
            day_text(episode.start),
            f"The previous episode ended on "
            f"{day_text(previous.end)} with REC X1 (a new episode the same day), so this "
            "episode must start on that day",
        )
    if not previous.ceases and episode.rne == codes.STARTED:
        return (
            "RNE",
            episode.rne,
            "RNE is S (started to be looked after), but the previous "
            "episode runs into this one (REC X1): use L, P, T, B or U",
        )
    if previous.ceases and episode.rne != codes.STARTED:
        return (
            "RNE",
            episode.rne,
            f"The previous episode ended the period of care (REC "
            f"{previous.rec} on {day_text(previous.end)}), so this episode starts a new one: "
            "RNE must be S",
        )
    return None


def check_order(source: Source, by_child: dict[str, list[Episode]]) -> None:
    for episodes in by_child.values():
        for previous, episode in pairwise(episodes):
            found = pair_problem(previous, episode)
            if found:
                row = previous.row if found[0] == "DEC" else episode.row
                source.report(row, [found])
        last = episodes[-1]
        if last.end is not None and not last.ceases:
            source.report(
                last.row,
                [
                    (
                        "REC",
                        last.rec,
                        f"REC is X1 (a new episode starts the same day), but the "
                        f"child has no episode starting on {day_text(last.end)}",
                    )
                ],
            )
