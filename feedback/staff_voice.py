"""Staff surveys and health checks: importing a year's results from a CSV file, and
reading them as aggregates.

The file: a heading row, then one row per person who answered. The first column is the
team (its name as the portal shows it), then one column per question, each answer a whole
number on the agreement scale (1 strongly disagree, 5 strongly agree; blank if the
question was not answered), and optionally a last column headed "comment". The import is
all or nothing: any problem in any row and nothing is written; the report lists every
problem by row (as a spreadsheet numbers them: the headings are row 1) and column, as the
case-data import does.

The results never show a response, only aggregates: per question, how many answered, the
share who agree (4 or 5) and the average, for each team where at least
`MIN_ANSWERS` people answered (fewer, and the team's figures are not shown), and for the
whole of what the reader may see (their organisation, or their service).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Avg, Count, Q, QuerySet

from cases.models import StaffMember, Team
from cases.querysets import staff_of
from cases.roles import Role
from core.figures import percent
from feedback.models import (
    AGREES_FROM,
    SCALE_MAX,
    SCALE_MIN,
    StaffSurvey,
    SurveyAnswer,
    SurveyKind,
    SurveyQuestion,
    SurveyResponse,
)
from feedback.querysets import SURVEY_ORGANISATION_READERS

if TYPE_CHECKING:
    from core.types import AnyUser

# A team's (or a question's) figures are shown only where at least this many answered,
# so no one person's answers can be worked out.
MIN_ANSWERS = 5
MAX_ROWS = 20_000
MAX_PROBLEMS_SHOWN = 200
TEAM_HEADINGS = frozenset({"team", "team code", "team name"})
COMMENT_HEADING = "comment"
QUESTION_LENGTH: int = SurveyQuestion._meta.get_field("text").max_length or 300
COMMENT_LENGTH = 5000
UTF8_BOM = "\ufeff"


class SurveyImportError(Exception):
    """Refused before any row was read: the message says why."""


# Reads.


def survey_list(*, user: AnyUser) -> QuerySet[StaffSurvey]:
    return StaffSurvey.objects.visible_to(user).select_related("imported_by__user")


def survey_records(*, user: AnyUser) -> QuerySet[StaffSurvey]:
    return StaffSurvey.objects.visible_to(user)


@dataclass(frozen=True)
class Cell:
    """One question's answers in one group (a team, or everyone the reader may see)."""

    answered: int
    agree: int
    average: float | None

    @property
    def shown(self) -> bool:
        return self.answered >= MIN_ANSWERS

    @property
    def agree_percent(self) -> int | None:
        return percent(self.agree, self.answered) if self.shown else None

    @property
    def average_shown(self) -> str:
        return f"{self.average:.1f}" if self.shown and self.average is not None else ""


EMPTY = Cell(answered=0, agree=0, average=None)


@dataclass(frozen=True)
class GroupRow:
    label: str
    respondents: int
    cells: list[Cell]
    # Hidden although enough answered: otherwise the total less the teams shown would
    # give away the answers of a team where fewer answered.
    withheld: bool = False

    @property
    def shown(self) -> bool:
        return self.respondents >= MIN_ANSWERS and not self.withheld


@dataclass
class SurveyResults:
    survey: StaffSurvey
    questions: list[SurveyQuestion]
    # Everyone the reader may see (the organisation, or a service), or None for a reader
    # of one team only.
    total: GroupRow | None
    total_label: str
    teams: list[GroupRow] = field(default_factory=list)

    @property
    def shown_teams(self) -> list[GroupRow]:
        return [team for team in self.teams if team.shown]

    @property
    def suppressed_teams(self) -> list[GroupRow]:
        return [team for team in self.teams if not team.shown]

    @property
    def chart_pairs(self) -> list[tuple[SurveyQuestion, Cell]]:
        group = self.chart_group
        return list(zip(self.questions, group.cells, strict=True)) if group else []

    @property
    def chart_group(self) -> GroupRow | None:
        """The group the chart shows: the total, or the reader's one team."""
        if self.total is not None:
            return self.total
        return self.teams[0] if len(self.teams) == 1 else None

    @property
    def chart_rows(self) -> list[tuple[str, int, str]]:
        group = self.chart_group
        if group is None or not group.shown:
            return []
        rows = []
        for question, cell in zip(self.questions, group.cells, strict=True):
            value = cell.agree_percent
            rows.append(
                (
                    question.text,
                    value or 0,
                    "Fewer than 5 answered" if value is None else f"{value}% agree",
                )
            )
        return rows


def _cells(
    grouped: Mapping[tuple[int, int], Mapping[str, Any]], key: int, questions: list[SurveyQuestion]
) -> list[Cell]:
    cells = []
    for question in questions:
        row = grouped.get((key, question.pk))
        cells.append(
            EMPTY
            if row is None
            else Cell(answered=row["answered"], agree=row["agree"], average=row["average"])
        )
    return cells


def _total_label(user: AnyUser, survey: StaffSurvey) -> tuple[bool, str]:
    """Whether the reader sees a total row, and what it is of."""
    if user.is_superuser:
        return True, f"All of {survey.organisation.name}"
    staff = staff_of(user)
    if staff is None:
        return False, ""
    if staff.role in SURVEY_ORGANISATION_READERS:
        return True, f"All of {survey.organisation.name}"
    if staff.role == Role.SERVICE_MANAGER and staff.service is not None:
        return True, f"All of {staff.service.name}"
    return False, ""


def survey_results(*, user: AnyUser, survey: StaffSurvey) -> SurveyResults:
    """The aggregates of a survey already reached through `visible_to`, over the answers
    the reader may see, in four queries whatever the number of teams."""
    questions = list(survey.questions.order_by("position"))
    answers = SurveyAnswer.objects.visible_to(user).filter(survey=survey)
    measures = {
        "answered": Count("pk"),
        "agree": Count("pk", filter=Q(value__gte=AGREES_FROM)),
        "average": Avg("value"),
    }
    by_team = {
        (row["team_id"], row["question_id"]): row
        for row in answers.values("team_id", "question_id").annotate(**measures).order_by()
    }
    respondents = {
        row["team_id"]: row["people"]
        for row in answers.values("team_id")
        .annotate(people=Count("response_id", distinct=True))
        .order_by()
    }
    teams = Team.objects.filter(pk__in=list(respondents)).order_by("name", "pk")
    team_rows = [
        GroupRow(
            label=team.name,
            respondents=respondents[team.pk],
            cells=_cells(by_team, team.pk, questions),
        )
        for team in teams
    ]
    has_total, label = _total_label(user, survey)
    if has_total:
        team_rows = withhold_to_protect(team_rows)
    total = None
    if has_total:
        overall = {
            (0, row["question_id"]): row
            for row in answers.values("question_id").annotate(**measures).order_by()
        }
        total = GroupRow(
            label=label,
            respondents=sum(respondents.values()),
            cells=_cells(overall, 0, questions),
        )
    return SurveyResults(
        survey=survey, questions=questions, total=total, total_label=label, teams=team_rows
    )


def withhold_to_protect(rows: list[GroupRow]) -> list[GroupRow]:
    """Where the teams too small to show have fewer than `MIN_ANSWERS` people between
    them, the total less the teams shown would give their answers away: withhold the
    smallest teams shown as well until the teams not shown have at least that many."""
    hidden = sum(row.respondents for row in rows if not row.shown)
    if hidden == 0 or hidden >= MIN_ANSWERS:
        return rows
    withheld: set[int] = set()
    for index, row in sorted(
        ((i, r) for i, r in enumerate(rows) if r.shown), key=lambda item: item[1].respondents
    ):
        withheld.add(index)
        hidden += row.respondents
        if hidden >= MIN_ANSWERS:
            break
    return [
        GroupRow(row.label, row.respondents, row.cells, withheld=True) if i in withheld else row
        for i, row in enumerate(rows)
    ]


# The import.


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    """What an import found: every problem (nothing written if any), or the survey made."""

    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    survey: StaffSurvey | None = None

    @property
    def shown_problems(self) -> list[Problem]:
        return self.problems[:MAX_PROBLEMS_SHOWN]

    @property
    def rows_with_problems(self) -> int:
        return len({problem.row for problem in self.problems if problem.row})


@dataclass
class _Row:
    team: Team
    answers: list[int | None]
    comment: str


def _lines(handle: IO[bytes]) -> list[str]:
    raw = handle.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SurveyImportError(
            f"The file is not UTF-8 text: line {line} has characters that cannot be read. "
            "Save it as 'CSV UTF-8 (comma delimited)' and upload it again"
        ) from None
    return text.removeprefix(UTF8_BOM).splitlines()


def _headings(first: list[str]) -> tuple[list[str], bool]:
    """The question headings, and whether the last column is the comment."""
    cells = [cell.strip() for cell in first]
    if not cells or cells[0].lower() not in TEAM_HEADINGS:
        raise SurveyImportError("The first column must be headed 'team'")
    has_comment = len(cells) > 1 and cells[-1].lower() == COMMENT_HEADING
    questions = cells[1:-1] if has_comment else cells[1:]
    if not questions:
        raise SurveyImportError("The file has no question columns after the team column")
    if any(not text for text in questions):
        raise SurveyImportError("Every question column needs a heading: the question's text")
    if any(len(text) > QUESTION_LENGTH for text in questions):
        raise SurveyImportError(f"Question headings must be {QUESTION_LENGTH} characters or fewer")
    if len({text.lower() for text in questions}) != len(questions):
        raise SurveyImportError("Two question columns have the same heading")
    return questions, has_comment


def _answer(cell: str, row: int, column: str, problems: list[Problem]) -> int | None:
    value = cell.strip()
    if not value:
        return None
    if value.isdigit() and SCALE_MIN <= int(value) <= SCALE_MAX:
        return int(value)
    problems.append(
        Problem(row, column, f"'{value[:20]}' is not an answer from {SCALE_MIN} to {SCALE_MAX}")
    )
    return None


def _read_rows(
    reader: Iterator[list[str]], questions: list[str], has_comment: bool, teams: dict[str, Team]
) -> tuple[list[_Row], list[Problem], int]:
    width = len(questions) + 1 + (1 if has_comment else 0)
    rows: list[_Row] = []
    problems: list[Problem] = []
    seen = 0
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        seen += 1
        if seen > MAX_ROWS:
            problems.append(Problem(number, "", f"The file has more than {MAX_ROWS:,} rows"))
            break
        if len(cells) > width:
            problems.append(Problem(number, "", f"The row has {len(cells)} cells, not {width}"))
            continue
        cells = cells + [""] * (width - len(cells))
        team = teams.get(cells[0].strip().lower())
        if team is None:
            shown = cells[0].strip()[:60]
            problems.append(
                Problem(
                    number,
                    "team",
                    f"'{shown}' is not one of your teams" if shown else "Enter the team",
                )
            )
        answers = [
            _answer(cell, number, question, problems)
            for cell, question in zip(cells[1 : 1 + len(questions)], questions, strict=True)
        ]
        comment = cells[-1].strip() if has_comment else ""
        if len(comment) > COMMENT_LENGTH:
            problems.append(
                Problem(
                    number,
                    COMMENT_HEADING,
                    f"The comment is longer than {COMMENT_LENGTH:,} characters",
                )
            )
        if all(answer is None for answer in answers) and not any(p.row == number for p in problems):
            problems.append(Problem(number, "", "The row has no answers"))
        if team is not None:
            rows.append(_Row(team=team, answers=answers, comment=comment))
    return rows, problems, seen


def survey_import(
    *, by: StaffMember, kind: str, year: int, upload: IO[bytes], file_name: str = ""
) -> ImportReport:
    """Check the whole file, then write it all in one transaction, or nothing at all."""
    if not by.user.has_perm("feedback.import_staff_survey"):
        raise SurveyImportError("Only the QA service and business support import survey results")
    if kind not in SurveyKind.values:
        raise SurveyImportError("Choose the kind of survey")
    organisation = by.organisation
    if StaffSurvey.objects.filter(organisation=organisation, kind=kind, year=year).exists():
        raise SurveyImportError(
            f"The {SurveyKind(kind).label.lower()} for {year} has already been imported"
        )
    reader = csv.reader(io.StringIO("\n".join(_lines(upload))))
    try:
        first = next(reader, None)
        if first is None or not any(cell.strip() for cell in first):
            raise SurveyImportError(
                "The file is empty: the first row must hold the column headings"
            )
        questions, has_comment = _headings(first)
        teams = {
            team.name.strip().lower(): team
            for team in Team.objects.filter(organisation=organisation)
        }
        rows, problems, seen = _read_rows(reader, questions, has_comment, teams)
    except csv.Error as error:
        raise SurveyImportError(f"The file cannot be read as CSV: {error}") from None
    report = ImportReport(rows=seen, problems=problems)
    if not seen and not problems:
        report.problems.append(Problem(0, "", "The file has headings but no answers"))
    if report.problems:
        return report
    report.survey = _write(
        by=by, kind=kind, year=year, questions=questions, rows=rows, file_name=file_name
    )
    return report


@transaction.atomic
def _write(
    *,
    by: StaffMember,
    kind: str,
    year: int,
    questions: list[str],
    rows: list[_Row],
    file_name: str,
) -> StaffSurvey:
    organisation_id = by.organisation_id
    survey = StaffSurvey(
        organisation_id=organisation_id,
        kind=kind,
        year=year,
        imported_by=by,
        file_name=file_name[:200],
        responses_count=len(rows),
    )
    survey.full_clean()
    survey.save()
    made = SurveyQuestion.objects.bulk_create(
        SurveyQuestion(survey=survey, position=index, text=text)
        for index, text in enumerate(questions, start=1)
    )
    responses = SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                organisation_id=organisation_id, survey=survey, team=row.team, comment=row.comment
            )
            for row in rows
        ],
        batch_size=500,
    )
    SurveyAnswer.objects.bulk_create(
        (
            SurveyAnswer(
                organisation_id=organisation_id,
                survey=survey,
                team=row.team,
                response=response,
                question=question,
                value=value,
            )
            for row, response in zip(rows, responses, strict=True)
            for question, value in zip(made, row.answers, strict=True)
            if value is not None
        ),
        batch_size=1000,
    )
    return survey
