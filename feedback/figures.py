"""The numbers behind the feedback figures: counts, sentiment and themes, by month, by who
gave it, by service and by stage of the journey. Each is one database aggregate over the
feedback the reader sees (`visible_to`), and each figure's link lists the same rows with
`feedback.voices.FeedbackFilter`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.http import urlencode

from cases.models import JourneyStage
from core.figures import percent
from core.months import add_months, month_end, month_start
from feedback.models import Feedback, Sentiment, Source


@dataclass(frozen=True)
class SentimentCount:
    """Feedback in one group (a month, a source, a service, a stage, a theme), by
    sentiment. `key` is what the list's filter takes for the group."""

    key: Any
    label: str
    positive: int = 0
    mixed: int = 0
    negative: int = 0
    # The list's query string for the group's rows (without the period).
    query: str = ""

    @property
    def total(self) -> int:
        return self.positive + self.mixed + self.negative

    @property
    def positive_percent(self) -> int | None:
        return percent(self.positive, self.total)


def _sentiment_counts() -> dict[str, Count]:
    return {
        "positive": Count("pk", filter=Q(sentiment=Sentiment.POSITIVE)),
        "mixed": Count("pk", filter=Q(sentiment=Sentiment.MIXED)),
        "negative": Count("pk", filter=Q(sentiment=Sentiment.NEGATIVE)),
    }


def _grouped(
    feedback: QuerySet[Feedback],
    by: str,
    labels: dict[Any, str],
    *,
    param: str,
    keep_order: bool = True,
) -> list[SentimentCount]:
    rows = {row[by]: row for row in feedback.order_by().values(by).annotate(**_sentiment_counts())}
    keys: Iterable[Any] = labels if keep_order else rows
    counts = []
    for key in keys:
        row = rows.get(key)
        if row is None:
            continue
        counts.append(
            SentimentCount(
                key=key,
                label=labels.get(key, "Not recorded"),
                positive=row["positive"],
                mixed=row["mixed"],
                negative=row["negative"],
                query=urlencode({param: key}) if key not in (None, "") else "",
            )
        )
    if None in rows and None not in labels:
        row = rows[None]
        counts.append(
            SentimentCount(None, "Not recorded", row["positive"], row["mixed"], row["negative"])
        )
    return counts


@dataclass(frozen=True)
class FeedbackFigures:
    # The list's query string for the figures' period.
    period_query: str
    since: datetime.date
    until: datetime.date
    months: list[SentimentCount]
    by_source: list[SentimentCount]
    by_service: list[SentimentCount]
    by_stage: list[SentimentCount]
    by_theme: list[SentimentCount]
    total: SentimentCount
    awaiting_response: int

    @property
    def month_chart_rows(self) -> list[tuple[str, int, str]]:
        return [(m.label, m.total, f"{m.total} ({m.positive} positive)") for m in self.months]

    @property
    def theme_chart_rows(self) -> list[tuple[str, int, str]]:
        return [(t.label, t.total, str(t.total)) for t in self.by_theme]


def month_count(
    feedback: QuerySet[Feedback], since: datetime.date, months: int
) -> list[SentimentCount]:
    """Feedback received in each month from `since`, by sentiment (every month shown, empty
    ones as nought), in one query."""
    rows: dict[Any, dict[str, Any]] = {
        row["month"]: dict(row)
        for row in feedback.filter(received_on__gte=since)
        .order_by()
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(**_sentiment_counts())
    }
    counts = []
    for n in range(months):
        month = add_months(since, n)
        row: dict[str, Any] = rows.get(month) or rows.get(_as_datetime_key(rows, month)) or {}
        counts.append(
            SentimentCount(
                key=month,
                label=f"{month:%B %Y}",
                positive=row.get("positive", 0),
                mixed=row.get("mixed", 0),
                negative=row.get("negative", 0),
                query=urlencode(
                    {"since": month.isoformat(), "until": month_end(month).isoformat()}
                ),
            )
        )
    return counts


def _as_datetime_key(rows: dict[Any, Any], month: datetime.date) -> Any:
    # Some backends hand TruncMonth of a date back as a datetime.
    for key in rows:
        if isinstance(key, datetime.datetime) and key.date() == month:
            return key
    return None


def theme_count(feedback: QuerySet[Feedback]) -> list[SentimentCount]:
    """Feedback tagged with each theme, most first, by sentiment (one query)."""
    through = Feedback.themes.through
    rows = (
        through.objects.filter(feedback__in=feedback.order_by().values("pk"))
        .values("feedbacktheme_id", "feedbacktheme__name")
        .annotate(
            positive=Count("pk", filter=Q(feedback__sentiment=Sentiment.POSITIVE)),
            mixed=Count("pk", filter=Q(feedback__sentiment=Sentiment.MIXED)),
            negative=Count("pk", filter=Q(feedback__sentiment=Sentiment.NEGATIVE)),
        )
    )
    counts = [
        SentimentCount(
            key=row["feedbacktheme_id"],
            label=row["feedbacktheme__name"],
            positive=row["positive"],
            mixed=row["mixed"],
            negative=row["negative"],
            query=urlencode({"theme": row["feedbacktheme_id"]}),
        )
        for row in rows
    ]
    return sorted(counts, key=lambda c: (-c.total, c.label))


def feedback_figures(
    feedback: QuerySet[Feedback],
    *,
    today: datetime.date,
    months: int = 12,
    service_names: dict[int, str],
) -> FeedbackFigures:
    """The figures page: the last `months` whole and part months up to `today`."""
    since = add_months(month_start(today), -(months - 1))
    period = feedback.filter(received_on__gte=since, received_on__lte=today)
    total = period.order_by().aggregate(**_sentiment_counts())
    return FeedbackFigures(
        period_query=urlencode({"since": since.isoformat(), "until": today.isoformat()}),
        since=since,
        until=today,
        months=month_count(period, since, months),
        by_source=_grouped(period, "source", dict(Source.choices), param="source"),
        by_service=_grouped(period, "service_id", service_names, param="service"),
        by_stage=_grouped(
            period, "journey_stage", dict(JourneyStage.choices), param="journey_stage"
        ),
        by_theme=theme_count(period),
        total=SentimentCount("all", "All feedback", **total),
        awaiting_response=period.filter(responded_on__isnull=True).count(),
    )
