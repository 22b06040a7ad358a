"""Learning briefs, the seven-minute briefings (seed 001): reads and writes.

QA writes a brief (autosaved as a draft), often from a thematic review's findings
(`review_findings`), and publishes it to the whole organisation or to chosen services and
teams: every member of staff in the audience is told, once. Staff read the briefs
addressed to them; opening one records the first reading (`brief_read`), and QA and
senior leaders see how many of the audience have read it, team by team (`reads_by_team`,
counted in the database).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cases.models import Notification, Service, StaffMember, Team
from cases.notifications import Message, notify_many
from governance.models import BRIEF_FIELDS, BriefRead, LearningBrief, Report
from governance.rules import may
from themes import selectors as theme_selectors

if TYPE_CHECKING:
    from core.types import AnyUser

PAGE_SIZE = 20
TEXT_FIELDS = ("title", *(name for name, _ in BRIEF_FIELDS), "source_text")


class BriefError(Exception):
    """A change refused, with the message to show."""


class BriefConflict(BriefError):
    """Someone saved the brief after the editor opened it: nothing was overwritten."""

    def __init__(self, current: LearningBrief) -> None:
        who = current.saved_by.display_name if current.saved_by is not None else "Someone else"
        super().__init__(
            f"{who} saved this brief after you opened it. Nothing has been saved: your text "
            "is kept below; check their changes, then save again."
        )
        self.current = current


# Reads.


def briefs(*, user: AnyUser) -> QuerySet[LearningBrief]:
    return LearningBrief.objects.visible_to(user).select_related(
        "published_by__user", "saved_by__user", "review", "report"
    )


def published_briefs(*, user: AnyUser) -> QuerySet[LearningBrief]:
    """The published briefs the reader sees (for staff: those addressed to them), newest
    first."""
    return (
        LearningBrief.objects.visible_to(user)
        .filter(status=LearningBrief.Status.PUBLISHED)
        .select_related("published_by__user")
        .order_by("-published_at", "-pk")
    )


def draft_briefs(*, user: AnyUser) -> QuerySet[LearningBrief]:
    return (
        LearningBrief.objects.visible_to(user)
        .filter(status=LearningBrief.Status.DRAFT)
        .select_related("saved_by__user")
        .order_by("-created_at", "-pk")
    )


def read_brief_pks(*, staff: StaffMember | None, pks: Iterable[int]) -> set[int]:
    if staff is None:
        return set()
    return set(
        BriefRead.objects.filter(staff=staff, brief_id__in=list(pks)).values_list(
            "brief_id", flat=True
        )
    )


def audience_filter(brief: LearningBrief) -> Q:
    """The staff a brief is addressed to (a filter on StaffMember)."""
    mine = Q(organisation_id=brief.organisation_id, user__is_active=True)
    if brief.whole_organisation:
        return mine
    service_ids = LearningBrief.services.through.objects.filter(learningbrief_id=brief.pk).values(
        "service_id"
    )
    team_ids = LearningBrief.teams.through.objects.filter(learningbrief_id=brief.pk).values(
        "team_id"
    )
    return mine & (
        Q(team_id__in=team_ids)
        | Q(service_id__in=service_ids)
        | Q(team__service_id__in=service_ids)
    )


def audience(brief: LearningBrief) -> QuerySet[StaffMember]:
    return StaffMember.objects.filter(audience_filter(brief))


@dataclass(frozen=True)
class TeamReads:
    team: str
    audience: int
    read: int

    @property
    def percent(self) -> int:
        return round(100 * self.read / self.audience) if self.audience else 0


def reads_by_team(*, brief: LearningBrief) -> list[TeamReads]:
    """How many of the audience have read the brief, team by team (one query; staff with
    no team count under "No team")."""
    has_read = Exists(BriefRead.objects.filter(brief_id=brief.pk, staff_id=OuterRef("pk")))
    rows = (
        audience(brief)
        .values("team__name")
        .annotate(total=Count("pk"), read=Count("pk", filter=Q(has_read)))
        .order_by("team__name")
    )
    return [
        TeamReads(team=row["team__name"] or "No team", audience=row["total"], read=row["read"])
        for row in rows
    ]


def review_findings(*, user: AnyUser, review_pk: int) -> Any | None:
    """A thematic review the user may see (None otherwise), to start a brief from."""
    return theme_selectors.theme_records(user=user).filter(pk=review_pk).first()


def review_choices(*, user: AnyUser) -> QuerySet[Any]:
    return theme_selectors.theme_records(user=user).order_by("-month", "-pk")


def report_choices(*, user: AnyUser) -> QuerySet[Report]:
    return Report.objects.visible_to(user).filter(status=Report.Status.PUBLISHED)


def service_choices(*, organisation_id: int) -> QuerySet[Service]:
    return Service.objects.filter(organisation_id=organisation_id).order_by("name")


def team_choices(*, organisation_id: int) -> QuerySet[Team]:
    return Team.objects.filter(organisation_id=organisation_id).order_by("name")


# Writes.


def _require_writer(by: StaffMember, brief: object) -> None:
    if not may(by.user, "governance.write_briefs", brief):
        raise BriefError("Only the QA service writes learning briefs")


def _check_sources(brief: LearningBrief, by: StaffMember) -> None:
    if (
        brief.review_id is not None
        and review_findings(user=by.user, review_pk=brief.review_id) is None
    ):
        raise BriefError("Choose one of your organisation's thematic reviews")
    if brief.report_id is not None and not (
        Report.objects.visible_to(by.user).filter(pk=brief.report_id).exists()
    ):
        raise BriefError("Choose one of your organisation's reports")


def _check_audience(
    organisation_id: int, services: Iterable[Service], teams: Iterable[Team]
) -> None:
    if any(s.organisation_id != organisation_id for s in services) or any(
        t.organisation_id != organisation_id for t in teams
    ):
        raise BriefError("Choose your organisation's services and teams")


@transaction.atomic
def brief_create(
    *,
    organisation_id: int,
    by: StaffMember,
    data: Mapping[str, Any],
    services: Iterable[Service] = (),
    teams: Iterable[Team] = (),
) -> LearningBrief:
    """A new draft brief."""
    brief = LearningBrief(organisation_id=organisation_id, created_by=by, saved_by=by)
    _require_writer(by, brief)
    return _write(brief, by, data, list(services), list(teams))


def _write(
    brief: LearningBrief,
    by: StaffMember,
    data: Mapping[str, Any],
    services: list[Service],
    teams: list[Team],
) -> LearningBrief:
    for name in TEXT_FIELDS:
        if name in data:
            setattr(brief, name, data[name] or "")
    if "review" in data:
        brief.review_id = data["review"].pk if data["review"] is not None else None
    if "report" in data:
        brief.report = data["report"]
    if "whole_organisation" in data:
        brief.whole_organisation = bool(data["whole_organisation"])
    _check_sources(brief, by)
    _check_audience(brief.organisation_id, services, teams)
    if not brief.whole_organisation and not (services or teams):
        raise BriefError("Choose at least one service or team, or the whole organisation")
    brief.saved_by, brief.saved_at = by, timezone.now()
    brief.full_clean()
    brief.save()
    brief.services.set([] if brief.whole_organisation else services)
    brief.teams.set([] if brief.whole_organisation else teams)
    return brief


@transaction.atomic
def brief_save(
    *,
    brief: LearningBrief,
    by: StaffMember,
    revision: int,
    data: Mapping[str, Any],
    services: Iterable[Service] = (),
    teams: Iterable[Team] = (),
) -> LearningBrief:
    """Save a draft (the autosave and the save button). Refused with a conflict when
    someone saved it since `revision` was read; a published brief no longer changes."""
    _require_writer(by, brief)
    current = (
        LearningBrief.objects.select_for_update(of=("self",))
        .select_related("saved_by__user")
        .get(pk=brief.pk)
    )
    if current.is_published:
        raise BriefError("This brief has been published: it can no longer be changed")
    if current.revision != revision:
        raise BriefConflict(current)
    current.revision += 1
    return _write(current, by, data, list(services), list(teams))


def _missing(brief: LearningBrief) -> list[str]:
    return [label for name, label in BRIEF_FIELDS if not getattr(brief, name).strip()]


@transaction.atomic
def brief_publish(*, brief: LearningBrief, by: StaffMember, revision: int) -> LearningBrief:
    """Publish a draft and tell every member of staff in its audience, once each."""
    _require_writer(by, brief)
    current = LearningBrief.objects.select_for_update(of=("self",)).get(pk=brief.pk)
    if current.is_published:
        raise BriefError("This brief has already been published")
    if current.revision != revision:
        raise BriefConflict(current)
    missing = _missing(current)
    if missing:
        raise BriefError(f"Write \u201c{missing[0]}\u201d before you publish the brief")
    current.status = LearningBrief.Status.PUBLISHED
    current.published_at, current.published_by = timezone.now(), by
    current.revision += 1
    current.full_clean()
    current.save()
    url = current.get_absolute_url()
    notify_many(
        Message(
            recipient=person,
            kind=Notification.Kind.INFORMATION,
            subject=f"A seven-minute briefing for you: {current.title[:120]}",
            url=url,
            key=f"learning-brief:{current.pk}:{person.pk}",
        )
        for person in audience(current).select_related("user")
    )
    return current


def brief_read(*, brief: LearningBrief, staff: StaffMember | None) -> bool:
    """Record a member of staff's first reading of a published brief addressed to them;
    whether it was new."""
    if staff is None or not brief.is_published:
        return False
    if BriefRead.objects.filter(brief=brief, staff=staff).exists():
        return False
    if not audience(brief).filter(pk=staff.pk).exists():
        return False
    try:
        with transaction.atomic():
            BriefRead.objects.create(
                organisation_id=brief.organisation_id, brief=brief, staff=staff
            )
    except IntegrityError:
        return False
    return True
