"""Questionnaires raised by journey events (seed 000, "Voice and Influence"): the
prospective adopter's view after panel, the exit questionnaire once the adoption order is
granted, the adoption support questionnaire when the work closes, and the evaluation of
the preparation training. Each is raised once per event and answered through a one-use
link (cases.FamilyLink) or entered by staff from a paper copy; every answer is a score
from 1 to 5 kept on its own row, so the scores add up in the database."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, JourneyEvent, Organisation, StaffMember
from feedback.querysets import QuestionnaireAnswerQuerySet, QuestionnaireQuerySet


class QuestionnaireKind(models.TextChoices):
    AFTER_PANEL = "after_panel", "After panel"
    EXIT = "exit", "Exit questionnaire"
    ADOPTION_SUPPORT = "adoption_support", "Adoption support"
    PREPARATION = "preparation", "Preparation training evaluation"


@dataclass(frozen=True)
class Question:
    key: str
    text: str


# The questions of each kind, in the order they are asked: fixed, so answers keep their
# meaning from one year to the next. Keys are stored with each answer: never rename one.
QUESTIONS: dict[str, tuple[Question, ...]] = {
    QuestionnaireKind.AFTER_PANEL: (
        Question("prepared", "How prepared you felt for coming to panel"),
        Question("welcome", "How you were welcomed by the panel"),
        Question("questions", "How clear the panel's questions were"),
        Question("outcome", "How you were told the outcome"),
    ),
    QuestionnaireKind.EXIT: (
        Question("information", "The information you were given before approval"),
        Question("preparation", "The preparation training"),
        Question("assessment", "Your assessment"),
        Question("panel", "The adoption panel"),
        Question("matching", "Matching you with your child"),
        Question("introductions", "Introductions"),
        Question("support", "Support after your child came home"),
        Question("overall", "Your adoption journey overall"),
    ),
    QuestionnaireKind.ADOPTION_SUPPORT: (
        Question("speed", "How quickly help came"),
        Question("helped", "How much the support helped your family"),
        Question("listened", "How well you were listened to"),
        Question("overall", "The adoption support service overall"),
    ),
    QuestionnaireKind.PREPARATION: (
        Question("content", "What the training covered"),
        Question("presenters", "The presenters"),
        Question("useful", "How useful it was for what comes next"),
        Question("overall", "The preparation training overall"),
    ),
}

# The scale every question is answered on, best last (GOV.UK radios list it best first).
SCORE_CHOICES = [
    (5, "Very good"),
    (4, "Good"),
    (3, "Neither good nor poor"),
    (2, "Poor"),
    (1, "Very poor"),
]
SCORE_WORDS = dict(SCORE_CHOICES)


def questions_of(kind: str) -> tuple[Question, ...]:
    return QUESTIONS[kind]


def question_text(kind: str, key: str) -> str:
    return next((q.text for q in QUESTIONS[kind] if q.key == key), key)


class Questionnaire(models.Model):
    """One questionnaire for one family, raised by one journey event: waiting to be sent
    and answered, answered (by a one-use link or from a paper copy), or closed without an
    answer."""

    Kind = QuestionnaireKind

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for an answer"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed without an answer"

    class Channel(models.TextChoices):
        LINK = "link", "Online, through a one-use link"
        PAPER = "paper", "Paper copy, entered by staff"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="questionnaires"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="questionnaires")
    kind = models.CharField(max_length=20, choices=QuestionnaireKind.choices)
    # The event that raised it; kept (and so are the answers) if the event is removed.
    event = models.ForeignKey(
        JourneyEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questionnaires",
    )
    raised_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    answered_on = models.DateField(null=True, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices, blank=True)
    # What they wrote, in their own words.
    comments = models.TextField(blank=True)
    entered_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-pk"]
        constraints = [
            # Raised once per event: the signal and the nightly sweep may both try.
            models.UniqueConstraint(fields=["event", "kind"], name="questionnaire_once_per_event"),
            models.CheckConstraint(
                condition=(
                    Q(status="answered", answered_on__isnull=False)
                    | (~Q(status="answered") & Q(answered_on__isnull=True))
                ),
                name="questionnaire_answered_iff_answered_on",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_on__isnull=False)
                | (~Q(status="closed") & Q(closed_on__isnull=True)),
                name="questionnaire_closed_iff_closed_on",
            ),
        ]
        indexes = [
            # The list's default order, for an organisation-wide reader.
            models.Index(
                fields=["organisation", "-raised_on", "-id"], name="questionnaire_org_newest"
            ),
            models.Index(fields=["organisation", "kind", "answered_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} raised {self.raised_on:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("feedback:questionnaire_detail", kwargs={"questionnaire_pk": self.pk})

    @property
    def questions(self) -> tuple[Question, ...]:
        return QUESTIONS[self.kind]

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.WAITING

    @property
    def status_colour(self) -> str:
        return {
            self.Status.WAITING: "yellow",
            self.Status.ANSWERED: "green",
            self.Status.CLOSED: "grey",
        }[self.Status(self.status)]


class QuestionnaireAnswer(models.Model):
    """One question's score (1 very poor to 5 very good) on one questionnaire."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="questionnaire_answers"
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.CharField(max_length=20)
    score = models.PositiveSmallIntegerField(choices=SCORE_CHOICES)

    objects = QuestionnaireAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["questionnaire", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "question"], name="questionnaire_answer_once"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="questionnaire_score_on_the_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.score}"
