"""Reads of the feedback app, and its public interface for reading: other apps (governance)
import this module and `feedback.services`, nothing else of feedback.

Each starts from `visible_to(user)`; a row the user may not see is simply not there.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from core.improvement import action_values, improvement_rows
from core.registry import ImprovementItem
from feedback.complaints import (
    late_filter,
    on_time_filter,
    open_in_time_filter,
    overdue_filter,
)
from feedback.figures import SentimentCount as SentimentCount
from feedback.figures import theme_count
from feedback.figures_evaluations import one_decimal
from feedback.figures_questionnaires import average as questionnaire_average
from feedback.models.complaints import (
    Complaint,
    ComplaintAction,
    ComplaintStage,
    Compliment,
    PointOutcome,
)
from feedback.models.complaints import Outcome as Outcome
from feedback.models.complaints import Stage as Stage
from feedback.models.disputes import ChallengeAction
from feedback.models.evaluations import PanelEvaluation
from feedback.models.questionnaires import Questionnaire, QuestionnaireAnswer
from feedback.models.questionnaires import QuestionnaireKind as QuestionnaireKind
from feedback.models.voices import RATING_CHOICES as RATING_CHOICES
from feedback.models.voices import Feedback, YouSaidWeDid
from feedback.models.voices import Sentiment as Sentiment
from feedback.models.voices import Source as Source
from feedback.voices import feedback_list

if TYPE_CHECKING:
    from core.types import AnyUser


def improvement_items(*, organisation_id: int) -> Iterator[ImprovementItem]:
    """For `core.registry.improvement_sources`: the learning actions from complaints, the
    actions agreed in dispute resolution, and each "you said, we did" (a change already
    made because of what people said: done when it was recorded)."""
    yield from improvement_rows(
        action_values(
            ComplaintAction.objects.filter(organisation_id=organisation_id),
            parent="complaint_id",
            case="complaint__case_id",
        ),
        source="complaint",
        key="complaint-action",
        url=lambda row: (
            reverse("feedback:complaint_detail", kwargs={"complaint_pk": row["parent_id"]})
            + "#actions"
        ),
    )
    yield from improvement_rows(
        action_values(
            ChallengeAction.objects.filter(organisation_id=organisation_id),
            parent="challenge_id",
            raised="stage__raised_on",
            case="challenge__case_id",
        ),
        source="dispute",
        key="challenge-action",
        url=lambda row: (
            reverse("feedback:challenge_detail", kwargs={"challenge_pk": row["parent_id"]})
            + f"#action-{row['pk']}"
        ),
    )
    yield from _you_said_items(organisation_id)


def _you_said_items(organisation_id: int) -> Iterator[ImprovementItem]:
    rows = YouSaidWeDid.objects.filter(organisation_id=organisation_id).values(
        "pk", "you_said", "we_did", "created_at", "created_by_id"
    )
    for row in rows.iterator(chunk_size=500):
        day = timezone.localdate(row["created_at"])
        yield ImprovementItem(
            key=f"you-said-we-did:{row['pk']}",
            source="feedback",
            title=f"You said: {row['you_said'][:110]} We did: {row['we_did'][:150]}",
            url=reverse("feedback:you_said_detail", kwargs={"you_said_pk": row["pk"]}),
            raised_on=day,
            owner_id=row["created_by_id"],
            done_on=day,
        )


def feedback_for_evidence(*, user: AnyUser, limit: int = 60) -> QuerySet[Feedback]:
    """The most recent feedback the user may see, to link as evidence of impact."""
    recent = Feedback.objects.visible_to(user).order_by("-received_on", "-pk")
    keys = list(recent.values_list("pk", flat=True)[:limit])
    return Feedback.objects.filter(pk__in=keys).order_by("-received_on", "-pk")


def frequent_themes(
    *, user: AnyUser, since: datetime.date, until: datetime.date, limit: int = 5
) -> list[SentimentCount]:
    """The themes the user's visible feedback received in the period was tagged with
    most, most first (one query): the board's "what families tell us"."""
    period = feedback_list(user=user).filter(received_on__gte=since, received_on__lte=until)
    return theme_count(period)[:limit]


def complaints_received_by_stage(
    *, organisation_id: int, team_id: int, first: datetime.date, last: datetime.date
) -> dict[int, int]:
    """For the exceptions returns (governance): complaints about a team received from
    `first` to `last` (dates inclusive), counted by their current stage, in one query."""
    rows = (
        Complaint.objects.filter(
            organisation_id=organisation_id,
            team_id=team_id,
            received_on__gte=first,
            received_on__lte=last,
        )
        .values("current_stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["current_stage"]: row["n"] for row in rows}


# Reports: monthly and quarterly (governance), for a caller that scopes by organisation
# itself. Dates are inclusive; each function is one query.

FEEDBACK_GROUPS = ("source", "sentiment", "journey_stage", "rating")


def feedback_count_by_of(
    *, organisation_id: int, first: datetime.date, last: datetime.date, by: str
) -> dict[object, int]:
    """Feedback received from `first` to `last`, counted by one of FEEDBACK_GROUPS."""
    if by not in FEEDBACK_GROUPS:
        raise ValueError(by)
    rows = (
        Feedback.objects.filter(
            organisation_id=organisation_id, received_on__gte=first, received_on__lte=last
        )
        .values(by)
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row[by]: row["n"] for row in rows}


def compliments_received_of(
    *, organisation_id: int, first: datetime.date, last: datetime.date
) -> int:
    return Compliment.objects.filter(
        organisation_id=organisation_id, received_on__gte=first, received_on__lte=last
    ).count()


def complaints_received_of(
    *, organisation_id: int, first: datetime.date, last: datetime.date
) -> int:
    return Complaint.objects.filter(
        organisation_id=organisation_id, received_on__gte=first, received_on__lte=last
    ).count()


def complaint_stages_of(
    *, organisation_id: int, first: datetime.date, last: datetime.date, today: datetime.date
) -> dict[int, dict[str, int]]:
    """Each complaint stage started from `first` to `last`: how many started, were
    responded to within their timescale (an agreed extension counts) or late, and are
    still waiting (overdue or within time) as of `today`, as the complaints figures
    count them."""
    rows = (
        ComplaintStage.objects.filter(
            organisation_id=organisation_id, started_on__gte=first, started_on__lte=last
        )
        .values("stage")
        .annotate(
            started=Count("pk"),
            on_time=Count("pk", filter=on_time_filter(today)),
            late=Count("pk", filter=late_filter(today)),
            overdue=Count("pk", filter=overdue_filter(today)),
            open=Count("pk", filter=open_in_time_filter(today)),
        )
        .order_by()
    )
    return {row.pop("stage"): row for row in rows}


def complaint_outcomes_of(
    *, organisation_id: int, first: datetime.date, last: datetime.date
) -> dict[tuple[int, str], int]:
    """Points of complaint decided at each stage whose response was given from `first` to
    `last`, counted by (stage, outcome)."""
    rows = (
        PointOutcome.objects.filter(
            organisation_id=organisation_id,
            stage__responded_on__gte=first,
            stage__responded_on__lte=last,
        )
        .values("stage__stage", "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(row["stage__stage"], row["outcome"]): row["n"] for row in rows}


# Reports: journey, annual and self-evaluation (governance.report_builders); the choices
# their tables name are re-exported above. Each counts
# one organisation's records of a period (`first` to `last`, both included), in one or
# two aggregate queries; the averages are worked as the feedback pages work them.


def _sentiments() -> dict[str, Count]:
    return {
        "total": Count("pk"),
        "positive": Count("pk", filter=Q(sentiment=Sentiment.POSITIVE)),
        "mixed": Count("pk", filter=Q(sentiment=Sentiment.MIXED)),
        "negative": Count("pk", filter=Q(sentiment=Sentiment.NEGATIVE)),
    }


def feedback_by_source_and_stage(
    *, organisation_id: int, first: datetime.date, last: datetime.date
) -> list[dict[str, Any]]:
    """Feedback received in the period by who gave it and the stage of the journey it was
    about ("" where none was recorded), with its sentiment counts."""
    rows = (
        Feedback.objects.filter(
            organisation_id=organisation_id, received_on__gte=first, received_on__lte=last
        )
        .values("source", "journey_stage")
        .annotate(**_sentiments())
        .order_by()
    )
    return [dict(row) for row in rows]


def face_scale_counts(
    *, organisation_id: int, first: datetime.date, last: datetime.date
) -> dict[int, int]:
    """How many answered each face of the scale (5 really happy to 1 really unhappy)."""
    rows = (
        Feedback.objects.filter(
            organisation_id=organisation_id,
            received_on__gte=first,
            received_on__lte=last,
            rating__isnull=False,
        )
        .values("rating")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["rating"]: row["n"] for row in rows if row["rating"] is not None}


def questionnaire_scores_of(
    *, organisation_id: int, first: datetime.date, last: datetime.date
) -> dict[str, dict[str, Any]]:
    """Questionnaires answered in the period by kind: how many, and the average score of
    all their answers (one decimal place, as the scores page shows it)."""
    answered = Questionnaire.objects.filter(
        organisation_id=organisation_id,
        status=Questionnaire.Status.ANSWERED,
        answered_on__gte=first,
        answered_on__lte=last,
    )
    counts = {
        row["kind"]: row["n"] for row in answered.values("kind").annotate(n=Count("pk")).order_by()
    }
    scores = {
        row["questionnaire__kind"]: row
        for row in QuestionnaireAnswer.objects.filter(questionnaire__in=answered.values("pk"))
        .values("questionnaire__kind")
        .annotate(answers=Count("pk"), total=Sum("score"))
        .order_by()
    }
    result = {}
    for kind, count in counts.items():
        row: dict[str, Any] = dict(scores.get(kind, {}))
        result[kind] = {
            "answered": count,
            "answers": row.get("answers", 0),
            "average": questionnaire_average(row.get("total") or 0, row.get("answers", 0)),
        }
    return result


def panel_evaluations_of(
    *, organisation_id: int, first: datetime.date, last: datetime.date
) -> dict[str, Any]:
    """The evaluation forms panel members completed on items at panels held in the period:
    how many forms, on how many items, and the average rating of each question."""
    row = PanelEvaluation.objects.filter(
        organisation_id=organisation_id,
        item__meeting__held_on__gte=first,
        item__meeting__held_on__lte=last,
    ).aggregate(
        forms=Count("pk"),
        items=Count("item", distinct=True),
        report=Avg("report"),
        presentation=Avg("presentation"),
        analysis=Avg("analysis"),
    )
    return {
        "forms": row["forms"],
        "items": row["items"],
        **{q: one_decimal(row[q]) for q in ("report", "presentation", "analysis")},
    }


def complaints_and_compliments_of(
    *, organisation_id: int, first: datetime.date, last: datetime.date
) -> dict[str, int]:
    """Complaints received and closed, and compliments received, in the period."""
    complaints = Complaint.objects.filter(organisation_id=organisation_id).aggregate(
        received=Count("pk", filter=Q(received_on__gte=first, received_on__lte=last)),
        closed=Count("pk", filter=Q(closed_on__gte=first, closed_on__lte=last)),
    )
    compliments = Compliment.objects.filter(
        organisation_id=organisation_id, received_on__gte=first, received_on__lte=last
    ).count()
    return {**complaints, "compliments": compliments}
