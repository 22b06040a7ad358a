"""360-degree feedback on a manager's supervision: open a round, answer it once,
anonymously (see audits/models/feedback.py for what is kept)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from audits.models import (
    FEEDBACK_QUESTIONS,
    FEEDBACK_THRESHOLD,
    Agreement,
    SupervisionFeedbackReceipt,
    SupervisionFeedbackResponse,
    SupervisionFeedbackRound,
    receipt_token,
)
from audits.rules import asks_about_supervision, is_supervisee, may
from cases.models import Notification, StaffMember
from cases.notifications import Message, notify_many


class FeedbackError(Exception):
    """The round or the person does not allow this; the message says why, for the page."""


def supervisees_of(manager: StaffMember) -> list[StaffMember]:
    return list(StaffMember.objects.filter(line_manager=manager).select_related("user"))


@transaction.atomic
def feedback_round_open(
    *, manager: StaffMember, by: StaffMember, closes_on: datetime.date
) -> SupervisionFeedbackRound:
    """Ask the manager's supervisees about their supervision, each by a notification."""
    if not asks_about_supervision(by.user, manager):
        raise FeedbackError(
            "Only the QA service or their own line manager can ask for feedback on "
            f"{manager.display_name}'s supervision"
        )
    if closes_on <= timezone.localdate():
        raise FeedbackError("The closing date must be in the future")
    supervisees = supervisees_of(manager)
    if len(supervisees) < FEEDBACK_THRESHOLD:
        raise FeedbackError(
            f"{manager.display_name} supervises {len(supervisees)} people: answers are shown "
            f"only once {FEEDBACK_THRESHOLD} have answered, so ask when they supervise more"
        )
    if SupervisionFeedbackRound.objects.filter(
        manager=manager, closes_on__gte=timezone.localdate()
    ).exists():
        raise FeedbackError(f"A round on {manager.display_name}'s supervision is already open")
    feedback = SupervisionFeedbackRound.objects.create(
        organisation_id=manager.organisation_id,
        manager=manager,
        opened_by=by,
        closes_on=closes_on,
        invited=len(supervisees),
    )
    url = reverse("audits:feedback_answer", kwargs={"round_pk": feedback.pk})
    notify_many(
        Message(
            recipient=person,
            kind=Notification.Kind.ASSIGNMENT,
            subject=f"Tell us about your supervision with {manager.display_name}",
            body=(
                "Four short questions, answered anonymously: nobody sees who answered or "
                f"what one person said. Open until {date_format(closes_on, 'j F Y')}."
            ),
            url=url,
            key=f"feedback:{feedback.pk}:invite:{person.pk}",
        )
        for person in supervisees
    )
    return feedback


def has_answered(*, feedback: SupervisionFeedbackRound, staff: StaffMember) -> bool:
    token = receipt_token(feedback, staff)
    return SupervisionFeedbackReceipt.objects.filter(round=feedback, token=token).exists()


@transaction.atomic
def feedback_answer(
    *,
    feedback: SupervisionFeedbackRound,
    by: StaffMember,
    answers: dict[str, int],
    comment: str = "",
) -> None:
    """Record one supervisee's answers, once. Returns nothing: not even the caller gets
    a handle on the response."""
    if not may(by.user, "audits.answer_feedback", feedback):
        if not is_supervisee(by.user, feedback):
            raise FeedbackError("Only the people this manager supervises can answer")
        raise FeedbackError("This questionnaire has closed")
    fields = [name for name, _ in FEEDBACK_QUESTIONS]
    if set(answers) != set(fields) or any(v not in Agreement.values for v in answers.values()):
        raise FeedbackError("Answer every question")
    try:
        with transaction.atomic():
            SupervisionFeedbackReceipt.objects.create(
                round=feedback, token=receipt_token(feedback, by)
            )
    except IntegrityError as error:
        raise FeedbackError("You have already answered this questionnaire") from error
    response = SupervisionFeedbackResponse(round=feedback, comment=comment.strip(), **answers)
    response.full_clean()
    response.save(force_insert=True)
