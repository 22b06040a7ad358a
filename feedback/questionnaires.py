"""Questionnaires raised by journey events: reads and writes.

A journey event raises a questionnaire once (`questionnaire_raise_for`): a panel on an
adopter's case the prospective adopter's view after panel, an adoption order on an
adopter's case the exit questionnaire, the close of an adoption support case the adoption
support questionnaire, and the end of stage one (where the preparation groups sit) the
preparation training evaluation. Events saved one by one raise theirs as they are saved
(feedback/signals.py); the import and the demo write events in bulk, without signals, so
the nightly sweep (`questionnaires_raise`) raises whatever is missing for the last 90
days. The unique (event, kind) constraint makes both safe to run together and again.

Staff make a one-use link for the family (cases/links.py, purpose "questionnaire"); the
family's answers come back through it, or staff enter a paper copy's. Reads start from
`visible_to(user)`; writes ask the rules in feedback/rules.py.
"""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Window
from django.utils import timezone

from cases import links
from cases.models import (
    Case,
    FamilyLink,
    JourneyEvent,
    Notification,
    Organisation,
    Service,
    StaffMember,
)
from cases.notifications import notify
from cases.querysets import staff_of
from feedback.figures_questionnaires import Half
from feedback.models.questionnaires import Questionnaire, QuestionnaireAnswer, questions_of
from feedback.rules import may

if TYPE_CHECKING:
    from core.types import AnyUser
    from feedback.forms.questionnaires import QuestionnaireAnswersForm

logger = logging.getLogger(__name__)

LINK_PURPOSE = "questionnaire"
JOB = "questionnaires_raise"
# How far back the nightly sweep looks for events that raised nothing.
SWEEP_DAYS = 90

Kind = Questionnaire.Kind
# The events that raise a questionnaire, and which, for an adopter's case; the close of
# a case raises one only in an adoption support service (any subject).
ADOPTER_EVENTS = {
    JourneyEvent.Kind.PANEL: Kind.AFTER_PANEL,
    JourneyEvent.Kind.ADOPTION_ORDER: Kind.EXIT,
    JourneyEvent.Kind.STAGE_ONE_COMPLETED: Kind.PREPARATION,
}
RAISING_EVENTS = (*ADOPTER_EVENTS, JourneyEvent.Kind.CASE_CLOSED)

# Headings the family sees: nothing of the record, only what the questionnaire is about.
TITLES = {
    Kind.AFTER_PANEL: "Your experience of the adoption panel",
    Kind.EXIT: "Your adoption journey",
    Kind.ADOPTION_SUPPORT: "The adoption support you received",
    Kind.PREPARATION: "The adoption preparation training",
}
INTROS = {
    Kind.AFTER_PANEL: "You recently came to the adoption panel. Tell us how it was for you, "
    "so we can make panel better for the people who come after you.",
    Kind.EXIT: "Congratulations on your adoption order. Looking back over your adoption "
    "journey, tell us where we did well and where we could do better.",
    Kind.ADOPTION_SUPPORT: "Our work with your family has finished. Tell us how the support "
    "was for you, so we can improve it for other families.",
    Kind.PREPARATION: "You have finished the preparation training. Tell us what you thought "
    "of it, so we can keep improving it.",
}


class QuestionnaireStateError(Exception):
    """Refused: the message says why, for the page."""


def _check(by: StaffMember, perm: str, obj: object, message: str) -> None:
    if not may(by.user, perm, obj):
        raise QuestionnaireStateError(message)


# Reads.


def questionnaire_records(*, user: AnyUser) -> QuerySet[Questionnaire]:
    return Questionnaire.objects.visible_to(user).select_related(
        "case__adopter", "case__child", "case__team", "case__allocated_worker__user", "event"
    )


def questionnaire_list(
    *, user: AnyUser, kind: str = "", status: str = "", half: Half | None = None
) -> QuerySet[Questionnaire]:
    """The questionnaires the user sees, newest raised first, filtered."""
    questionnaires = Questionnaire.objects.visible_to(user)
    if kind:
        questionnaires = questionnaires.filter(kind=kind)
    if status:
        questionnaires = questionnaires.filter(status=status)
    if half is not None:
        questionnaires = questionnaires.filter(
            answered_on__gte=half.start, answered_on__lte=half.end
        )
    return questionnaires.select_related("case__adopter", "case__child", "case__team").order_by(
        "-raised_on", "-pk"
    )


def questionnaires_to_send(*, user: AnyUser) -> QuerySet[Questionnaire]:
    """The questionnaires of the user's own cases (they are the allocated worker) waiting
    to be sent: raised, with no link made for them yet; oldest raised first, each with
    `total` (how many in all, so a slice of it is one query)."""
    staff = staff_of(user)
    if staff is None:
        return Questionnaire.objects.none()
    made = FamilyLink.objects.filter(purpose=LINK_PURPOSE, target_id=OuterRef("pk"))
    return (
        Questionnaire.objects.visible_to(user)
        .filter(case__allocated_worker=staff, status=Questionnaire.Status.WAITING)
        .filter(~Exists(made))
        .select_related("case__adopter", "case__child")
        .annotate(total=Window(Count("pk")))
        .order_by("raised_on", "pk")
    )


def case_questionnaires(*, user: AnyUser, case_ids: list[int]) -> QuerySet[Questionnaire]:
    """The questionnaires of these cases the user sees (the record panel)."""
    return (
        Questionnaire.objects.visible_to(user)
        .filter(case_id__in=case_ids)
        .select_related("event")
        .order_by("-raised_on", "-pk")
    )


def questionnaire_answers(*, questionnaire: Questionnaire) -> list[dict[str, Any]]:
    """The questions in order, each with its score and the words for it (None if not
    answered)."""
    scores = dict(questionnaire.answers.values_list("question", "score"))
    words = dict(QuestionnaireAnswer._meta.get_field("score").choices or [])
    return [
        {
            "text": q.text,
            "score": scores.get(q.key),
            "words": words.get(scores.get(q.key), ""),
        }
        for q in questions_of(questionnaire.kind)
    ]


def questionnaire_links(*, user: AnyUser, questionnaire: Questionnaire) -> QuerySet[FamilyLink]:
    return links.links_for(
        user=user, case=questionnaire.case, purpose=LINK_PURPOSE, target_id=questionnaire.pk
    )


# Raising.


def kind_for(event: JourneyEvent, case: Case, service_kind: str) -> str | None:
    """The kind of questionnaire `event` raises on `case`, or None."""
    if case.adopter_id is not None and event.kind in ADOPTER_EVENTS:
        return ADOPTER_EVENTS[JourneyEvent.Kind(event.kind)]
    if event.kind == JourneyEvent.Kind.CASE_CLOSED and service_kind == (
        Service.Kind.ADOPTION_SUPPORT
    ):
        return Kind.ADOPTION_SUPPORT
    return None


def questionnaire_raise_for(
    *, event: JourneyEvent, raised_on: datetime.date | None = None, tell: bool = True
) -> Questionnaire | None:
    """Raise the questionnaire `event` calls for, once: the existing one when it was
    raised already, None when the event raises none. A new one is told to the case's
    allocated worker (unless `tell` is False: the demo's past questionnaires)."""
    if event.kind not in RAISING_EVENTS:
        return None
    case = Case.objects.select_related("service", "allocated_worker").get(pk=event.case_id)
    kind = kind_for(event, case, case.service.kind)
    if kind is None:
        return None
    existing = Questionnaire.objects.filter(event=event, kind=kind).first()
    if existing is not None:
        return existing
    questionnaire = Questionnaire(
        organisation_id=case.organisation_id,
        case=case,
        kind=kind,
        event=event,
        raised_on=raised_on or timezone.localdate(),
    )
    questionnaire.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            questionnaire.save()
    except IntegrityError:
        # Raised meanwhile by the other path (the signal or the nightly sweep).
        return Questionnaire.objects.get(event=event, kind=kind)
    if tell:
        _tell_worker(questionnaire, case)
    return questionnaire


def _tell_worker(questionnaire: Questionnaire, case: Case) -> None:
    kind = questionnaire.get_kind_display()
    notify(
        recipient=case.allocated_worker,
        kind=Notification.Kind.ASSIGNMENT,
        subject=f"A questionnaire is waiting to be sent: {kind} ({case.subject.reference})",
        body="Make a one-use link for the family, or enter their answers from a paper copy.",
        url=questionnaire.get_absolute_url(),
        key=f"questionnaire:{questionnaire.pk}:raised",
    )


def questionnaires_raise(
    *, organisation_id: int, day: datetime.date, days: int = SWEEP_DAYS, tell: bool = True
) -> dict[str, int]:
    """Raise every missing questionnaire for the organisation's events of the `days` up to
    `day` (idempotent: a second run raises nothing)."""
    since = day - datetime.timedelta(days=days)
    raised = Questionnaire.objects.filter(event=OuterRef("pk"))
    raising = Q(kind__in=list(ADOPTER_EVENTS), case__adopter__isnull=False) | Q(
        kind=JourneyEvent.Kind.CASE_CLOSED, case__service__kind=Service.Kind.ADOPTION_SUPPORT
    )
    events = (
        JourneyEvent.objects.filter(
            raising, organisation_id=organisation_id, occurred_on__gte=since, occurred_on__lte=day
        )
        .filter(~Exists(raised))
        .order_by("occurred_on", "pk")
    )
    count = 0
    for event in events.iterator(chunk_size=500):
        raised_on = min(day, event.recorded_on)
        if questionnaire_raise_for(event=event, raised_on=raised_on, tell=tell) is not None:
            count += 1
    return {"raised": count}


def questionnaires_raise_everywhere(*, day: datetime.date) -> dict[str, Any]:
    """The nightly job: every organisation's sweep for `day`."""
    total = 0
    organisations = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    for organisation_id in organisations:
        total += questionnaires_raise(organisation_id=organisation_id, day=day)["raised"]
    return {"day": day.isoformat(), "organisations": len(organisations), "raised": total}


# Sending and answering.


def _locked(questionnaire: Questionnaire) -> Questionnaire:
    """The questionnaire as it is now, its row locked until the transaction ends."""
    return (
        Questionnaire.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=questionnaire.pk)
    )


@transaction.atomic
def questionnaire_link_make(
    *, questionnaire: Questionnaire, by: StaffMember, days: int, recipient: str = ""
) -> links.NewLink:
    """A one-use link for the family to answer the questionnaire; its address is in the
    result, once."""
    locked = _locked(questionnaire)
    _check(by, "feedback.send_questionnaire", locked, _not_now(locked))
    try:
        return links.family_link_create(
            case=locked.case,
            purpose=LINK_PURPOSE,
            created_by=by,
            days=days,
            audience=FamilyLink.Audience.ADULT,
            recipient=recipient,
            target_id=questionnaire.pk,
        )
    except links.LinkError as error:
        raise QuestionnaireStateError(str(error)) from error


@transaction.atomic
def questionnaire_link_withdraw(
    *, questionnaire: Questionnaire, by: StaffMember, link_id: int
) -> FamilyLink:
    questionnaire = _locked(questionnaire)
    _check(by, "feedback.send_questionnaire", questionnaire, _not_now(questionnaire))
    link = FamilyLink.objects.filter(
        pk=link_id, purpose=LINK_PURPOSE, target_id=questionnaire.pk, case=questionnaire.case
    ).first()
    if link is None:
        raise QuestionnaireStateError("That link is not one of this questionnaire's")
    try:
        return links.family_link_withdraw(link=link)
    except links.LinkError as error:
        raise QuestionnaireStateError(str(error)) from error


def _not_now(questionnaire: Questionnaire) -> str:
    if not questionnaire.is_waiting:
        return f"This questionnaire is {questionnaire.get_status_display().lower()}"
    return "You cannot send this questionnaire"


def _withdraw_open_links(questionnaire: Questionnaire, keep: int | None = None) -> None:
    """Stop the questionnaire's other links from opening (all but `keep`, being used)."""
    others = FamilyLink.objects.filter(
        purpose=LINK_PURPOSE,
        target_id=questionnaire.pk,
        case_id=questionnaire.case_id,
        used_at__isnull=True,
        withdrawn_at__isnull=True,
    )
    if keep is not None:
        others = others.exclude(pk=keep)
    others.update(withdrawn_at=timezone.now())


def _store_answers(
    questionnaire: Questionnaire,
    *,
    scores: dict[str, int],
    comments: str,
    channel: str,
    answered_on: datetime.date,
    entered_by: StaffMember | None,
) -> Questionnaire:
    expected = {q.key for q in questions_of(questionnaire.kind)}
    if set(scores) != expected or any(not 1 <= s <= 5 for s in scores.values()):
        raise QuestionnaireStateError("Answer every question with a score from 1 to 5")
    QuestionnaireAnswer.objects.bulk_create(
        QuestionnaireAnswer(
            organisation_id=questionnaire.organisation_id,
            questionnaire=questionnaire,
            question=key,
            score=score,
        )
        for key, score in scores.items()
    )
    questionnaire.status = Questionnaire.Status.ANSWERED
    questionnaire.answered_on = answered_on
    questionnaire.comments = comments.strip()
    questionnaire.channel = channel
    questionnaire.entered_by = entered_by
    questionnaire.full_clean(validate_unique=False, validate_constraints=False)
    questionnaire.save(update_fields=["status", "answered_on", "comments", "channel", "entered_by"])
    return questionnaire


@transaction.atomic
def questionnaire_answer_paper(
    *,
    questionnaire: Questionnaire,
    by: StaffMember,
    scores: dict[str, int],
    comments: str,
    answered_on: datetime.date,
) -> Questionnaire:
    """Store a paper copy's answers; the family's open links stop working."""
    locked = _locked(questionnaire)
    _check(by, "feedback.send_questionnaire", locked, _not_now(locked))
    _store_answers(
        locked,
        scores=scores,
        comments=comments,
        channel=Questionnaire.Channel.PAPER,
        answered_on=answered_on,
        entered_by=by,
    )
    _withdraw_open_links(locked)
    return locked


@transaction.atomic
def questionnaire_close(
    *, questionnaire: Questionnaire, by: StaffMember, day: datetime.date | None = None
) -> Questionnaire:
    """Close a questionnaire that will not be answered; its open links stop working."""
    locked = _locked(questionnaire)
    _check(by, "feedback.send_questionnaire", locked, _not_now(locked))
    locked.status = Questionnaire.Status.CLOSED
    locked.closed_on = day or timezone.localdate()
    locked.save(update_fields=["status", "closed_on"])
    _withdraw_open_links(locked)
    return locked


# The one-use link's purpose (core.registry.link_purposes): what the family sees and
# where their answers go. No page it renders names the family or the case.


def _linked(link: FamilyLink, *, lock: bool = False) -> Questionnaire:
    """The questionnaire a link answers (its row locked with `lock`)."""
    if link.target_id is None:
        raise Questionnaire.DoesNotExist("A questionnaire link names its questionnaire")
    found = Questionnaire.objects.select_for_update() if lock else Questionnaire.objects.all()
    return found.get(pk=link.target_id, case_id=link.case_id)


def link_form(link: FamilyLink, data: Any) -> QuestionnaireAnswersForm:
    from feedback.forms.questionnaires import QuestionnaireAnswersForm

    kind = _linked(link).kind
    return QuestionnaireAnswersForm(data, kind=kind, intro=INTROS[Kind(kind)])


def link_save(link: FamilyLink, form: QuestionnaireAnswersForm) -> None:
    """Store the family's answers (inside the transaction that uses the link up). One
    answered meanwhile on paper keeps its paper answers."""
    questionnaire = _linked(link, lock=True)
    if not questionnaire.is_waiting:
        logger.info("Questionnaire %s was answered meanwhile: link not kept", questionnaire.pk)
        return
    _store_answers(
        questionnaire,
        scores=form.scores(),
        comments=form.cleaned_data.get("comments") or "",
        channel=Questionnaire.Channel.LINK,
        answered_on=timezone.localdate(),
        entered_by=None,
    )
    _withdraw_open_links(questionnaire, keep=link.pk)


def link_title(link: FamilyLink) -> str:
    return TITLES[Kind(_linked(link).kind)]
