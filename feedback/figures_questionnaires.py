"""Questionnaire scores: the average score of each question and of each kind of
questionnaire by half-year (April to September, October to March, as the six-monthly
Journey of the Child and Adopter report reads them), with how many answers and
questionnaires are behind each. Sums and counts are database aggregates over the
questionnaires the reader sees; the averages are worked out from them here, to one
decimal place, halves rounded up."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When

from core.months import add_months
from feedback.models.questionnaires import (
    QUESTIONS,
    Questionnaire,
    QuestionnaireAnswer,
    QuestionnaireKind,
)

if TYPE_CHECKING:
    from core.types import AnyUser

# How many half-years the scores page shows, this one last.
HALVES = 4


def half_start(day: datetime.date) -> datetime.date:
    """The first day of the half-year `day` is in (1 April or 1 October)."""
    if 4 <= day.month <= 9:
        return datetime.date(day.year, 4, 1)
    if day.month >= 10:
        return datetime.date(day.year, 10, 1)
    return datetime.date(day.year - 1, 10, 1)


def half_end(start: datetime.date) -> datetime.date:
    return add_months(start, 6) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Half:
    start: datetime.date

    @property
    def end(self) -> datetime.date:
        return half_end(self.start)

    @property
    def key(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        return f"{self.start:%B %Y} to {self.end:%B %Y}"


def halves_to(today: datetime.date, count: int = HALVES) -> list[Half]:
    """The `count` half-years up to the one `today` is in, oldest first."""
    last = half_start(today)
    return [Half(add_months(last, -6 * n)) for n in range(count - 1, -1, -1)]


def parse_half(key: str) -> Half | None:
    """The half-year a key ("2026-04", "2026-10") names, or None."""
    try:
        start = datetime.date.fromisoformat(f"{key}-01")
    except (TypeError, ValueError):
        return None
    return Half(start) if start.month in (4, 10) else None


def average(total: int, answers: int) -> Decimal | None:
    """total / answers to one decimal place, halves rounded up; None with no answers."""
    if answers == 0:
        return None
    return (Decimal(total) / Decimal(answers)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Score:
    total: int = 0
    answers: int = 0

    @property
    def average(self) -> Decimal | None:
        return average(self.total, self.answers)

    def __add__(self, other: Score) -> Score:
        return Score(self.total + other.total, self.answers + other.answers)


@dataclass
class QuestionScores:
    key: str
    text: str
    by_half: list[Score]


@dataclass
class KindScores:
    kind: str
    label: str
    questions: list[QuestionScores]
    # Every answer of the kind, and how many questionnaires were answered, by half-year.
    overall: list[Score]
    answered: list[int]

    @property
    def has_answers(self) -> bool:
        return any(self.answered)


@dataclass
class ScoreFigures:
    halves: list[Half]
    kinds: list[KindScores] = field(default_factory=list)

    def columns(self) -> list[tuple[Half, int]]:
        return [(half, index) for index, half in enumerate(self.halves)]


def _half_of(halves: list[Half], field_name: str) -> Case:
    """Which of `halves` (its index) a date field falls in, found in the database."""
    return Case(
        *(
            When(
                **{f"{field_name}__gte": half.start, f"{field_name}__lte": half.end}, then=Value(i)
            )
            for i, half in enumerate(halves)
        ),
        default=Value(-1),
        output_field=IntegerField(),
    )


def score_figures(*, user: AnyUser, today: datetime.date, count: int = HALVES) -> ScoreFigures:
    """The scores of the questionnaires answered in the last `count` half-years that the
    user sees: two grouped queries, whatever the number of questionnaires."""
    halves = halves_to(today, count)
    answered = Q(questionnaire__status=Questionnaire.Status.ANSWERED) & Q(
        questionnaire__answered_on__gte=halves[0].start,
        questionnaire__answered_on__lte=halves[-1].end,
    )
    rows = (
        QuestionnaireAnswer.objects.visible_to(user)
        .filter(answered)
        .annotate(half=_half_of(halves, "questionnaire__answered_on"))
        .values("half", "questionnaire__kind", "question")
        .annotate(total=Sum("score"), answers=Count("pk"))
        .order_by()
    )
    scores: dict[tuple[str, str, int], Score] = {
        (row["questionnaire__kind"], row["question"], row["half"]): Score(
            row["total"], row["answers"]
        )
        for row in rows
    }
    counted = (
        Questionnaire.objects.visible_to(user)
        .filter(
            status=Questionnaire.Status.ANSWERED,
            answered_on__gte=halves[0].start,
            answered_on__lte=halves[-1].end,
        )
        .annotate(half=_half_of(halves, "answered_on"))
        .values("half", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    answered_count = {(row["kind"], row["half"]): row["n"] for row in counted}
    figures = ScoreFigures(halves=halves)
    for kind in QuestionnaireKind:
        figures.kinds.append(_kind_scores(kind, len(halves), scores, answered_count))
    return figures


def _kind_scores(
    kind: QuestionnaireKind,
    n_halves: int,
    scores: dict[tuple[str, str, int], Score],
    answered: dict[tuple[str, int], int],
) -> KindScores:
    questions = [
        QuestionScores(
            key=q.key,
            text=q.text,
            by_half=[scores.get((kind.value, q.key, i), Score()) for i in range(n_halves)],
        )
        for q in QUESTIONS[kind]
    ]
    overall = [_sum(q.by_half[i] for q in questions) for i in range(n_halves)]
    return KindScores(
        kind=kind.value,
        label=kind.label,
        questions=questions,
        overall=overall,
        answered=[answered.get((kind.value, i), 0) for i in range(n_halves)],
    )


def _sum(scores: Iterable[Score]) -> Score:
    result = Score()
    for score in scores:
        result = result + score
    return result


def chart_rows(scores: Iterable[tuple[str, Score]]) -> list[tuple[str, float, str]]:
    """Rows for the bar chart tag: (label, average, words), an empty bar for no answers."""
    rows = []
    for label, score in scores:
        value = score.average
        words = (
            f"{value} out of 5 ({score.answers} answer{'s' if score.answers != 1 else ''})"
            if value is not None
            else "No answers"
        )
        rows.append((label, float(value or 0), words))
    return rows
