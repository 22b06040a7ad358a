"""360-degree feedback on a manager's supervision (seed 002, 2.5): short anonymous
questionnaires answered by the people they supervise.

A round asks one manager's supervisees. Each answers once: a receipt keeps a keyed hash
of (round, person) so a second answer is refused, and nothing else. A response keeps the
answers and nothing of who gave them or when: its key is random, so not even the order
of answering survives, and it has no history table. Results are shown only as
aggregates, and only once the round has closed with at least FEEDBACK_THRESHOLD
answers: results that changed while it was open would show each new answer as the
difference between two readings.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from audits.querysets import FeedbackRoundQuerySet
from cases.models import Organisation, StaffMember

# Fewer answers than this could be told apart: nothing is shown until there are five.
FEEDBACK_THRESHOLD = 5


class Agreement(models.IntegerChoices):
    STRONGLY_AGREE = 5, "Strongly agree"
    AGREE = 4, "Agree"
    NEITHER = 3, "Neither agree nor disagree"
    DISAGREE = 2, "Disagree"
    STRONGLY_DISAGREE = 1, "Strongly disagree"


# (field, statement) of each question, in the order asked.
FEEDBACK_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("regular", "My supervision happens regularly and is rarely cancelled or moved"),
    ("reflective", "Supervision helps me reflect on my practice and on the children I work with"),
    ("clear", "Decisions and directions from supervision are clear and recorded"),
    ("supportive", "Supervision supports my wellbeing and my development"),
)


class SupervisionFeedbackRound(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="supervision_feedback_rounds"
    )
    # Whose supervision the round asks about.
    manager = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="supervision_feedback_rounds"
    )
    opened_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closes_on = models.DateField()
    # How many supervisees were asked when it opened.
    invited = models.PositiveSmallIntegerField(default=0)

    objects = FeedbackRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "manager"])]

    def __str__(self) -> str:
        return f"Feedback on {self.manager}'s supervision, closing {self.closes_on:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("audits:feedback_detail", kwargs={"round_pk": self.pk})

    def is_open_on(self, day: datetime.date) -> bool:
        return day <= self.closes_on


class SupervisionFeedbackReceipt(models.Model):
    """That someone answered a round: a keyed hash of the round and the person, which no
    page shows and which cannot be turned back into the person."""

    round = models.ForeignKey(
        SupervisionFeedbackRound, on_delete=models.CASCADE, related_name="receipts"
    )
    token = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "token"], name="feedback_answered_once")
        ]

    def __str__(self) -> str:
        return "An answer was given"


def _agreement(question: tuple[str, str]) -> models.PositiveSmallIntegerField:
    _, statement = question
    return models.PositiveSmallIntegerField(statement, choices=Agreement.choices)


class SupervisionFeedbackResponse(models.Model):
    """One supervisee's answers, with nothing of who gave them or when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        SupervisionFeedbackRound, on_delete=models.CASCADE, related_name="responses"
    )
    regular = _agreement(FEEDBACK_QUESTIONS[0])
    reflective = _agreement(FEEDBACK_QUESTIONS[1])
    clear = _agreement(FEEDBACK_QUESTIONS[2])
    supportive = _agreement(FEEDBACK_QUESTIONS[3])
    comment = models.TextField("what would make your supervision better", blank=True)

    class Meta:
        # The random key: answers are never in the order they were given.
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    regular__range=(1, 5),
                    reflective__range=(1, 5),
                    clear__range=(1, 5),
                    supportive__range=(1, 5),
                ),
                name="feedback_answers_on_the_scale",
            )
        ]

    def __str__(self) -> str:
        return "An anonymous answer"


def receipt_token(feedback: SupervisionFeedbackRound, staff: StaffMember) -> str:
    """The receipt of `staff` answering `feedback`: keyed with the secret key, so the
    database alone cannot be worked back to the person."""
    message = f"supervision-feedback:{feedback.pk}:{staff.pk}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
