"""Feedback, themes and "you said, we did": reads and writes.

Feedback comes in two ways: staff record what someone said (a conversation, an audit, a
participation group, a partner's e-mail), or a child, parent or adopter writes it
themselves through a one-use link made from their case (the `feedback` link purpose,
registered in apps.py). Reads start from `visible_to(user)`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from cases import notifications
from cases.models import Case, FamilyLink, Organisation, Service, StaffMember, Team
from cases.roles import Role
from core.types import AnyUser
from feedback.models import (
    Channel,
    Feedback,
    FeedbackTheme,
    Source,
    YouSaidWeDid,
    sentiment_of,
)

LINK_PURPOSE = "feedback"


class FeedbackError(Exception):
    """A change that cannot be made as asked; the message says why, for the page."""


# Reads.


def feedback_list(*, user: AnyUser) -> QuerySet[Feedback]:
    return Feedback.objects.visible_to(user).select_related(
        "case__child", "case__adopter", "team", "service"
    )


@dataclass(frozen=True)
class FeedbackFilter:
    """What a list or a figure's drill-down narrows feedback to (every part optional)."""

    source: str = ""
    sentiment: str = ""
    channel: str = ""
    journey_stage: str = ""
    service_id: int | None = None
    team_id: int | None = None
    theme_id: int | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None
    responded: bool | None = None

    def apply(self, feedback: QuerySet[Feedback]) -> QuerySet[Feedback]:
        plain = {
            "source": self.source,
            "sentiment": self.sentiment,
            "channel": self.channel,
            "journey_stage": self.journey_stage,
            "service_id": self.service_id,
            "team_id": self.team_id,
        }
        feedback = feedback.filter(**{k: v for k, v in plain.items() if v})
        if self.theme_id:
            feedback = feedback.filter(themes__id=self.theme_id)
        if self.since:
            feedback = feedback.filter(received_on__gte=self.since)
        if self.until:
            feedback = feedback.filter(received_on__lte=self.until)
        if self.responded is not None:
            feedback = feedback.filter(responded_on__isnull=not self.responded)
        return feedback


def feedback_filtered(*, user: AnyUser, narrow: FeedbackFilter) -> QuerySet[Feedback]:
    return narrow.apply(feedback_list(user=user)).prefetch_related("themes")


def case_feedback(*, user: AnyUser, case_ids: list[int]) -> QuerySet[Feedback]:
    """The feedback about a child's or adopter's cases the user may see, for their record."""
    return feedback_list(user=user).filter(case_id__in=case_ids).prefetch_related("themes")


def awaiting_response(*, user: AnyUser) -> QuerySet[Feedback]:
    """Feedback the user may answer that has no response yet, oldest first."""
    return feedback_list(user=user).filter(responded_on__isnull=True).order_by("received_on", "pk")


def theme_list(*, user: AnyUser) -> QuerySet[FeedbackTheme]:
    return FeedbackTheme.objects.visible_to(user)


def theme_choices(*, organisation_id: int) -> QuerySet[FeedbackTheme]:
    return FeedbackTheme.objects.filter(organisation_id=organisation_id, active=True)


def service_choices(*, organisation_id: int) -> QuerySet[Service]:
    return Service.objects.filter(organisation_id=organisation_id).order_by("name")


def team_choices(*, organisation_id: int) -> QuerySet[Team]:
    return Team.objects.filter(organisation_id=organisation_id).order_by("name")


def you_said_list(*, user: AnyUser) -> QuerySet[YouSaidWeDid]:
    return YouSaidWeDid.objects.visible_to(user).select_related("theme")


def you_said_published(*, organisation: Organisation) -> QuerySet[YouSaidWeDid]:
    """What the organisation's page for families shows: published entries, newest first."""
    return YouSaidWeDid.objects.filter(
        organisation=organisation, published_on__isnull=False
    ).select_related("theme")


def organisation_by_slug(slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first()


def feedback_links(*, user: AnyUser, case: Case) -> QuerySet[FamilyLink]:
    return FamilyLink.objects.visible_to(user).filter(case=case, purpose=LINK_PURPOSE)


# Writes.


@dataclass(frozen=True)
class FeedbackDetails:
    """What staff record of one piece of feedback."""

    source: str
    channel: str
    received_on: datetime.date
    said: str
    sentiment: str
    person_name: str = ""
    case: Case | None = None
    team: Team | None = None
    service: Service | None = None
    journey_stage: str = ""
    rating: int | None = None
    themes: tuple[FeedbackTheme, ...] = ()


def feedback_record(
    *, organisation_id: int, recorded_by: StaffMember | None, details: FeedbackDetails
) -> Feedback:
    """Record feedback; a case fills in its team, service and journey stage where they
    were left out."""
    case = details.case
    if case is not None and case.organisation_id != organisation_id:
        raise FeedbackError("The case belongs to another organisation.")
    for theme in details.themes:
        if theme.organisation_id != organisation_id:
            raise FeedbackError("Choose themes of your own organisation.")
    with transaction.atomic():
        feedback = Feedback.objects.create(
            organisation_id=organisation_id,
            source=details.source,
            person_name=details.person_name.strip(),
            case=case,
            team=details.team or (case.team if case else None),
            service=details.service or (case.service if case else None),
            journey_stage=details.journey_stage or (case.journey_stage if case else ""),
            channel=details.channel,
            received_on=details.received_on,
            said=details.said.strip(),
            sentiment=details.sentiment,
            rating=details.rating,
            recorded_by=recorded_by,
        )
        feedback.themes.set(details.themes)
    return feedback


def feedback_respond(
    *, feedback: Feedback, by: StaffMember | None, response: str, responded_on: datetime.date
) -> Feedback:
    response = response.strip()
    if not response:
        raise FeedbackError("Enter the response you gave")
    feedback.response = response
    feedback.responded_on = responded_on
    feedback.responded_by = by
    feedback.save(update_fields=["response", "responded_on", "responded_by"])
    return feedback


def feedback_set_themes(*, feedback: Feedback, themes: list[FeedbackTheme]) -> None:
    if any(theme.organisation_id != feedback.organisation_id for theme in themes):
        raise FeedbackError("Choose themes of your own organisation.")
    feedback.themes.set(themes)


def theme_save(
    *,
    organisation_id: int,
    name: str,
    description: str = "",
    active: bool = True,
    theme: FeedbackTheme | None = None,
) -> FeedbackTheme:
    name = name.strip()
    clash = FeedbackTheme.objects.filter(organisation_id=organisation_id, name__iexact=name)
    if theme is not None:
        clash = clash.exclude(pk=theme.pk)
    if clash.exists():
        raise FeedbackError("There is already a theme with that name")
    theme = theme or FeedbackTheme(organisation_id=organisation_id)
    theme.name, theme.description, theme.active = name, description.strip(), active
    theme.save()
    return theme


def you_said_save(
    *,
    organisation_id: int,
    by: StaffMember | None,
    you_said: str,
    we_did: str,
    theme: FeedbackTheme | None,
    feedback: list[Feedback],
    entry: YouSaidWeDid | None = None,
) -> YouSaidWeDid:
    if theme is not None and theme.organisation_id != organisation_id:
        raise FeedbackError("Choose a theme of your own organisation.")
    if any(f.organisation_id != organisation_id for f in feedback):
        raise FeedbackError("Choose feedback of your own organisation.")
    with transaction.atomic():
        if entry is None:
            entry = YouSaidWeDid(organisation_id=organisation_id, created_by=by)
        entry.you_said, entry.we_did, entry.theme = you_said.strip(), we_did.strip(), theme
        entry.save()
        entry.feedback.add(*feedback)
    return entry


def you_said_publish(*, entry: YouSaidWeDid, publish: bool, day: datetime.date) -> YouSaidWeDid:
    entry.published_on = day if publish else None
    entry.save(update_fields=["published_on"])
    return entry


# The family's own way in: the `feedback` link purpose.

AUDIENCE_SOURCE: dict[str, str] = {FamilyLink.Audience.CHILD: Source.CHILD}


def feedback_from_link(*, link: FamilyLink, answers: dict[str, Any]) -> Feedback:
    """Store what a family wrote through a one-use link (in the transaction that uses the
    link up), and tell the case's worker and team manager."""
    case = link.case
    rating = int(answers["rating"])
    source = AUDIENCE_SOURCE.get(link.audience) or answers.get("who") or Source.PARENT
    feedback = Feedback.objects.create(
        organisation_id=link.organisation_id,
        source=source,
        person_name=(answers.get("name") or "").strip()[:120],
        case=case,
        team_id=case.team_id,
        service_id=case.service_id,
        journey_stage=case.journey_stage,
        channel=Channel.LINK,
        received_on=timezone.localdate(),
        said=_said(answers),
        sentiment=sentiment_of(rating),
        rating=rating,
        link=link,
    )
    url = reverse("feedback:feedback_detail", kwargs={"feedback_pk": feedback.pk})
    recipients = set(
        StaffMember.objects.filter(team_id=case.team_id, role=Role.TEAM_MANAGER).values_list(
            "pk", flat=True
        )
    )
    if case.allocated_worker_id is not None:
        recipients.add(case.allocated_worker_id)
    for staff in StaffMember.objects.filter(pk__in=recipients):
        notifications.notify(
            recipient=staff,
            kind="information",
            subject="New feedback from a family",
            url=url,
            key=f"feedback:{feedback.pk}:new",
            body="Someone answered a one-use feedback link. Read it and record your response.",
        )
    return feedback


def _said(answers: dict[str, Any]) -> str:
    parts = []
    good = (answers.get("good") or "").strip()
    better = (answers.get("better") or "").strip()
    if good:
        parts.append(good)
    if better:
        parts.append(f"Could be better: {better}")
    return "\n\n".join(parts)
