"""A year of demo questionnaires for the regional adoption agency, run by `load_demo`.

The demo writes journey events in bulk, as the import does, so no questionnaire is
raised as they are written: this loader runs the nightly sweep over the last year
instead (seed 000, "Voice and Influence": the view after panel, the exit questionnaire,
the adoption support questionnaire and the preparation training evaluation). Most older
questionnaires came back, online or on paper, some were closed without an answer; the
last few weeks' still wait.

Idempotent: an organisation that has questionnaires is left alone. Seeded and dated
from today: two loads on the same day agree.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from cases.demo import names
from cases.models import Organisation
from feedback.models.questionnaires import (
    Questionnaire,
    QuestionnaireAnswer,
    QuestionnaireKind,
    questions_of,
)
from feedback.questionnaires import questionnaires_raise

SEED = "questionnaires"
DAYS = 365
# Questionnaires raised more recently than this still wait for an answer.
WAITING_DAYS = 21

COMMENTS = {
    QuestionnaireKind.AFTER_PANEL: (
        "We were nervous but the chair put us at ease straight away.",
        "We waited a long time outside before going in, which made us more anxious.",
        "The questions were fair and it felt like a conversation, not a test.",
        "It would have helped to know who everyone around the table was beforehand.",
        "",
    ),
    QuestionnaireKind.EXIT: (
        "Our social worker was brilliant from start to finish.",
        "Introductions felt rushed and we would have liked more time with the foster carers.",
        "The preparation groups were the best part: we still see two of the other couples.",
        "Support after placement dropped off once the order was made.",
        "We did not always know what was happening during matching.",
        "",
    ),
    QuestionnaireKind.ADOPTION_SUPPORT: (
        "The therapeutic parenting course changed things for us.",
        "We waited months for the assessment of support needs.",
        "Our worker listened and never judged us.",
        "",
    ),
    QuestionnaireKind.PREPARATION: (
        "Hearing from adopters who had been through it was the most useful part.",
        "Too much to take in on the last day.",
        "The session on attachment and trauma was excellent.",
        "",
    ),
}
# How each kind tends to score (a weight for 1, 2, 3, 4, 5).
WEIGHTS = {
    QuestionnaireKind.AFTER_PANEL: (1, 2, 6, 14, 12),
    QuestionnaireKind.EXIT: (1, 3, 7, 12, 9),
    QuestionnaireKind.ADOPTION_SUPPORT: (2, 4, 7, 10, 7),
    QuestionnaireKind.PREPARATION: (1, 1, 5, 13, 14),
}


def _outcome(rng: random.Random, questionnaire: Questionnaire, today: datetime.date) -> None:
    age = (today - questionnaire.raised_on).days
    if age < WAITING_DAYS:
        return
    roll = rng.random()
    if roll < 0.7:
        questionnaire.status = Questionnaire.Status.ANSWERED
        back = min(rng.randint(3, 20), age)
        questionnaire.answered_on = questionnaire.raised_on + datetime.timedelta(days=back)
        questionnaire.channel = (
            Questionnaire.Channel.LINK if rng.random() < 0.75 else Questionnaire.Channel.PAPER
        )
        questionnaire.comments = rng.choice(COMMENTS[QuestionnaireKind(questionnaire.kind)])
    elif roll < 0.85 or age > 60:
        questionnaire.status = Questionnaire.Status.CLOSED
        questionnaire.closed_on = questionnaire.raised_on + datetime.timedelta(days=min(42, age))


def _answers(rng: random.Random, questionnaire: Questionnaire) -> list[QuestionnaireAnswer]:
    weights = WEIGHTS[QuestionnaireKind(questionnaire.kind)]
    return [
        QuestionnaireAnswer(
            organisation_id=questionnaire.organisation_id,
            questionnaire=questionnaire,
            question=question.key,
            score=rng.choices((1, 2, 3, 4, 5), weights=weights)[0],
        )
        for question in questions_of(questionnaire.kind)
    ]


def _load_organisation(org: Organisation, today: datetime.date) -> str:
    if Questionnaire.objects.filter(organisation=org).exists():
        return f"{org.name}: questionnaires already loaded"
    rng = random.Random(f"{SEED}:{org.slug}")
    with transaction.atomic():
        questionnaires_raise(organisation_id=org.pk, day=today, days=DAYS, tell=False)
        raised = list(Questionnaire.objects.filter(organisation=org).order_by("raised_on", "pk"))
        answers: list[QuestionnaireAnswer] = []
        for questionnaire in raised:
            _outcome(rng, questionnaire, today)
            if questionnaire.status == Questionnaire.Status.ANSWERED:
                answers.extend(_answers(rng, questionnaire))
        Questionnaire.objects.bulk_update(
            raised, ["status", "answered_on", "channel", "comments", "closed_on"], batch_size=500
        )
        QuestionnaireAnswer.objects.bulk_create(answers, batch_size=1000)
    answered = sum(1 for q in raised if q.status == Questionnaire.Status.ANSWERED)
    return f"{org.name}: {len(raised)} questionnaires ({answered} answered)"


def load(*, stdout: Any, size: str) -> None:
    """Add a year of questionnaires to the demo region's adoption agency."""
    today = timezone.localdate()
    organisations = Organisation.objects.filter(
        region__slug=names.REGION_SLUG, kind=Organisation.Kind.ADOPTION_AGENCY
    ).order_by("pk")
    for org in organisations:
        stdout.write(_load_organisation(org, today) + "\n")
