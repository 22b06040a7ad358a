"""Reads for the thematic review planner (the QA manager's monthly spotlights).

Every theme is read through `ThematicReview.objects.visible_to(user)`: the themes of the
user's own organisation. The dip sample preview picks cases fairly (see `sample_preview`), and
`theme_summary` gives the figures the monthly and quarterly reports quote.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from audits.selectors import (
    GOOD_OR_BETTER,
    GRADED_STATUSES,
    Audit,
    GradeDistribution,
    audit_list,
    audit_status_counts,
    audits_by_id,
    grade_distribution,
)
from cases.models import Case, StaffMember
from core.figures import percent
from core.months import add_months, month_start
from core.registry import ImprovementItem
from themes.models import ThematicReview, ThemeAudit

if TYPE_CHECKING:
    from core.types import AnyUser, User

Status = ThematicReview.Status

PLANNER_MONTHS = 12
# A case audited more recently than this is picked for a dip sample only when too few
# others are left: the seed documents ask for cases not already looked at.
RECENTLY_AUDITED_DAYS = 365
SAMPLE_SIZE_MAX = 50


# Months: a theme's month is the first day of that month.


def next_months(today: datetime.date, count: int = PLANNER_MONTHS) -> list[datetime.date]:
    """This month and the ones after it: `count` months in all."""
    first = month_start(today)
    return [add_months(first, n) for n in range(count)]


def month_label(month: datetime.date | None) -> str:
    return date_format(month, "F Y") if month else ""


# Themes.


def theme_list(*, user: AnyUser) -> QuerySet[ThematicReview]:
    """Themes with their tool, proposer and how many audits their sample has."""
    return (
        ThematicReview.objects.visible_to(user)
        .select_related("tool", "proposed_by__user")
        .annotate(sampled=Count("audits"))
    )


def theme_records(*, user: AnyUser) -> QuerySet[ThematicReview]:
    """The themes whose page the user may open (the view looks one up, or 404s)."""
    return ThematicReview.objects.visible_to(user).select_related(
        "tool", "proposed_by__user", "organisation"
    )


def themes_in_month(*, theme: ThematicReview) -> QuerySet[ThematicReview]:
    """Other themes scheduled (or written up) for the same month as this one."""
    if theme.month is None:
        return ThematicReview.objects.none()
    return (
        ThematicReview.objects.filter(
            organisation_id=theme.organisation_id,
            month=theme.month,
            status__in=(Status.SCHEDULED, Status.COMPLETE),
        )
        .exclude(pk=theme.pk)
        .order_by("title")
    )


# The planner page.


@dataclass
class PlannerMonth:
    month: datetime.date
    # Scheduled or written up for this month; one a month is the norm.
    themes: list[ThematicReview] = field(default_factory=list)
    # Proposed or agreed with this month suggested.
    suggested: list[ThematicReview] = field(default_factory=list)

    @property
    def label(self) -> str:
        return month_label(self.month)

    @property
    def crowded(self) -> bool:
        return len(self.themes) > 1


@dataclass
class ThemeGroup:
    status: str
    label: str
    themes: list[ThematicReview]


@dataclass
class Planner:
    groups: list[ThemeGroup]
    months: list[PlannerMonth]

    @property
    def total(self) -> int:
        return sum(len(group.themes) for group in self.groups)

    @property
    def crowded_months(self) -> list[PlannerMonth]:
        return [month for month in self.months if month.crowded]


def _group_order(status: str, theme: ThematicReview) -> tuple:
    """Scheduled soonest first; written up and declined newest first; the rest by month."""
    month = theme.month or datetime.date.max
    created = -theme.created_at.timestamp()
    if status in (Status.COMPLETE, Status.DECLINED):
        newest = -(theme.month or datetime.date.min).toordinal()
        return (newest, created, -theme.pk)
    return (month, created, -theme.pk)


def theme_planner(*, user: AnyUser, today: datetime.date) -> Planner:
    """The organisation's themes by status, and the next 12 months: in one query."""
    themes = list(theme_list(user=user))
    by_status: dict[str, list[ThematicReview]] = {status: [] for status in Status.values}
    for theme in themes:
        by_status.setdefault(theme.status, []).append(theme)
    groups = []
    for status, label in Status.choices:
        members = sorted(by_status[status], key=partial(_group_order, status))
        groups.append(ThemeGroup(status=status, label=str(label), themes=members))
    months = {month: PlannerMonth(month=month) for month in next_months(today)}
    for theme in sorted(themes, key=lambda t: (t.title.casefold(), t.pk)):
        slot = months.get(theme.month) if theme.month else None
        if slot is None:
            continue
        if theme.status in (Status.SCHEDULED, Status.COMPLETE):
            slot.themes.append(theme)
        elif theme.status in (Status.PROPOSED, Status.AGREED):
            slot.suggested.append(theme)
    return Planner(groups=groups, months=list(months.values()))


# Who changed the status, and when.


class _StatusRecord(Protocol):
    """A theme's history record (simple-history's model): the theme's fields as they
    were, and who changed them."""

    status: str
    month: datetime.date | None
    findings: str
    source_detail: str
    history_user: User | None


@dataclass(frozen=True)
class StatusChange:
    when: datetime.datetime
    who: str
    status: str
    label: str
    note: str


def _who(record: _StatusRecord) -> str:
    user = record.history_user
    return (user.get_full_name() or user.get_username()) if user else "The system"


def _note(record: _StatusRecord) -> str:
    if record.status == Status.SCHEDULED and record.month:
        return f"For {month_label(record.month)}"
    if record.status == Status.DECLINED:
        lines = [line for line in record.findings.splitlines() if line.startswith("Declined:")]
        return lines[-1] if lines else ""
    if record.status == Status.PROPOSED and record.source_detail:
        return record.source_detail
    return ""


def theme_history(*, theme: ThematicReview) -> list[StatusChange]:
    """Each change of status, newest first, from simple-history's records (one query)."""
    records = theme.history.select_related("history_user").order_by("history_date", "history_id")
    labels = dict(Status.choices)
    changes = []
    previous = None
    for record in records:
        if previous is None or record.status != previous.status:
            changes.append(
                StatusChange(
                    when=record.history_date,
                    who=_who(record),
                    status=record.status,
                    label=str(labels.get(record.status, record.status)),
                    note=_note(record),
                )
            )
        previous = record
    return changes[::-1]


# The sample: the audits done for the theme.


def theme_sample(*, user: AnyUser, theme: ThematicReview) -> QuerySet[Audit]:
    """The theme's audits that the user may open (a team manager: their own team's)."""
    return (
        audit_list(user=user)
        .filter(theme_link__theme=theme)
        .select_related("case__service")
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class ThemeSummary:
    """What the sample found, for the findings write-up and the QA reports."""

    sampled: int
    # (status label, audits) for every audit status, in the order audits move through.
    by_status: list[tuple[str, int]]
    grades: GradeDistribution

    @property
    def graded(self) -> int:
        return self.grades.total

    @property
    def good_or_better(self) -> int:
        return self.grades.good_or_better

    @property
    def good_or_better_percent(self) -> int | None:
        return self.grades.good_or_better_percent

    @property
    def not_yet_graded(self) -> int:
        return self.sampled - self.graded

    @property
    def status_chart_rows(self) -> list[tuple[str, int, str]]:
        return [
            (label, count, f"{count} ({percent(count, self.sampled)}%)" if self.sampled else "0")
            for label, count in self.by_status
        ]


def theme_summary(theme: ThematicReview) -> ThemeSummary:
    """Counts of the theme's audits by status and by grade (two queries).

    A grade counts once its audit has been submitted, as in the audit list's figures.
    """
    audits = audits_by_id(theme.audit_links.values("audit_id"))
    by_status = audit_status_counts(audits)
    return ThemeSummary(
        sampled=sum(count for _label, count in by_status),
        by_status=by_status,
        grades=grade_distribution(audits),
    )


# The dip sample: a fair pick of open cases.


@dataclass
class Pick:
    case: Case
    reasons: list[str]
    auditor: StaffMember | None
    last_audited: datetime.date | None

    @property
    def reason(self) -> str:
        """Why it was picked, as one sentence: "Never audited; the first case picked..."."""
        text = "; ".join(self.reasons)
        return f"{text[:1].upper()}{text[1:]}." if text else ""


@dataclass(frozen=True)
class _Candidate:
    pk: int
    team_id: int
    worker_id: int | None
    last_audited: datetime.datetime | None
    recent: bool
    order: int

    @property
    def worker_key(self) -> tuple[str, int]:
        # Unallocated cases share a turn per team, as if one worker held them.
        if self.worker_id is None:
            return ("team", self.team_id)
        return ("worker", self.worker_id)


def sample_candidates(*, theme: ThematicReview) -> QuerySet[Case]:
    """Open cases of the theme's organisation not yet in its sample; when the tool is
    for some services only, cases of those services."""
    cases = Case.objects.filter(
        organisation_id=theme.organisation_id, status=Case.Status.OPEN
    ).exclude(audits__theme_link__theme=theme)
    if theme.tool is not None and theme.tool.service_kinds:
        cases = cases.filter(service__kind__in=theme.tool.service_kinds)
    return cases


def _candidates(theme: ThematicReview, now: datetime.datetime) -> list[_Candidate]:
    since = now - datetime.timedelta(days=RECENTLY_AUDITED_DAYS)
    rows = (
        sample_candidates(theme=theme)
        .order_by("pk")
        .values("pk", "team_id", "allocated_worker_id")
        .annotate(last=Max("audits__created_at"))
    )
    candidates = [
        _Candidate(
            pk=row["pk"],
            team_id=row["team_id"],
            worker_id=row["allocated_worker_id"],
            last_audited=row["last"],
            recent=row["last"] is not None and row["last"] >= since,
            order=0,
        )
        for row in rows
    ]
    # Ties are broken at random, but the same way each time the page is opened.
    random.Random(f"theme-sample:{theme.pk}").shuffle(candidates)
    return [
        _Candidate(c.pk, c.team_id, c.worker_id, c.last_audited, c.recent, order)
        for order, c in enumerate(candidates)
    ]


def fair_pick(candidates: list[_Candidate], size: int) -> list[tuple[_Candidate, int, int]]:
    """Up to `size` candidates, each with its turn in its team and with its worker.

    Cases not audited recently come first. Among them, the team with fewest picks so far
    goes next, then the worker with fewest; ties go to the earlier shuffled order.
    """
    queues: dict[tuple[str, int], list[_Candidate]] = {}
    for candidate in sorted(candidates, key=lambda c: (c.recent, c.order)):
        queues.setdefault(candidate.worker_key, []).append(candidate)
    heads = {key: 0 for key in queues}
    team_turns: Counter[int] = Counter()
    worker_turns: Counter[tuple[str, int]] = Counter()
    picked: list[tuple[_Candidate, int, int]] = []

    def turn(key: tuple[str, int]) -> tuple:
        head = queues[key][heads[key]]
        return (head.recent, team_turns[head.team_id], worker_turns[key], head.order)

    while len(picked) < size and heads:
        key = min(heads, key=turn)
        candidate = queues[key][heads[key]]
        heads[key] += 1
        if heads[key] == len(queues[key]):
            del heads[key]
        team_turns[candidate.team_id] += 1
        worker_turns[key] += 1
        picked.append((candidate, team_turns[candidate.team_id], worker_turns[key]))
    return picked


def _ordinal(n: int) -> str:
    words = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}
    return words.get(n, f"{n}th")


def _reasons(candidate: _Candidate, team_turn: int, worker_turn: int) -> list[str]:
    reasons = []
    if candidate.last_audited is None:
        reasons.append("never audited")
    else:
        last = date_format(timezone.localtime(candidate.last_audited), "j F Y")
        if candidate.recent:
            reasons.append(
                f"last audited {last}, but too few cases not audited in the last 12 months "
                "were left"
            )
        else:
            reasons.append(f"not audited in the last 12 months (last audited {last})")
    reasons.append(f"the {_ordinal(team_turn)} case picked from its team")
    if candidate.worker_id is None:
        reasons.append("not allocated to a worker")
    else:
        reasons.append(f"the {_ordinal(worker_turn)} picked for its worker")
    return reasons


def sample_places(*, theme: ThematicReview) -> int:
    """How many more cases the sample needs to reach the theme's sample size."""
    return max(0, theme.sample_size - theme.audits.count())


def sample_cases(*, user: AnyUser, theme: ThematicReview, ids: list[int]) -> dict[int, Case]:
    """The cases posted for a theme's dip sample, by id: only open cases of the theme's
    organisation that the user may see (a missing id means one was not)."""
    return (
        Case.objects.visible_to(user)
        .open()
        .filter(organisation_id=theme.organisation_id, pk__in=ids)
        .select_related("child", "adopter", "team", "allocated_worker__user")
        .in_bulk()
    )


def sample_preview(
    *, theme: ThematicReview, size: int, now: datetime.datetime | None = None
) -> list[Pick]:
    """A fair pick of `size` open cases for the theme's dip sample, with why each was
    picked and who would audit it (the case's team manager by default)."""
    if size <= 0:
        return []
    picked = fair_pick(_candidates(theme, now or timezone.now()), size)
    cases = Case.objects.select_related(
        "child", "adopter", "team", "service", "allocated_worker__user"
    ).in_bulk([candidate.pk for candidate, _, _ in picked])
    managers = team_managers(
        organisation_id=theme.organisation_id,
        team_ids={candidate.team_id for candidate, _, _ in picked},
    )
    picks = []
    for candidate, team_turn, worker_turn in picked:
        case = cases[candidate.pk]
        last = candidate.last_audited
        picks.append(
            Pick(
                case=case,
                reasons=_reasons(candidate, team_turn, worker_turn),
                auditor=managers.get(case.team_id),
                last_audited=timezone.localtime(last).date() if last else None,
            )
        )
    return picks


def team_managers(*, organisation_id: int, team_ids: set[int]) -> dict[int, StaffMember]:
    """The team manager of each team (the longest-standing one when there are two)."""
    managers = (
        StaffMember.objects.filter(
            organisation_id=organisation_id,
            role=StaffMember.Role.TEAM_MANAGER,
            team_id__in=team_ids,
        )
        .select_related("user", "team")
        .order_by("-pk")
    )
    return {manager.team_id: manager for manager in managers if manager.team_id is not None}


def sample_auditors(*, theme: ThematicReview) -> QuerySet[StaffMember]:
    """Who may audit a case of the sample: the organisation's managers and its QA."""
    return (
        StaffMember.objects.filter(organisation_id=theme.organisation_id)
        .filter(Q(tier__gte=StaffMember.Tier.TEAM) | Q(role=StaffMember.Role.QA))
        .exclude(role=StaffMember.Role.REGIONAL_LEAD)
        .select_related("user", "team")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def improvement_items(*, organisation_id: int) -> Iterator[ImprovementItem]:
    """For `core.registry.improvement_sources`: each thematic review whose findings are
    written up, as learning to act on (the plan keeps its status)."""
    rows = ThematicReview.objects.filter(
        organisation_id=organisation_id, status=ThematicReview.Status.COMPLETE
    ).values("pk", "title", "month", "created_at", owner_id=F("proposed_by_id"))
    for row in rows.iterator(chunk_size=500):
        yield ImprovementItem(
            key=f"thematic-review:{row['pk']}",
            source="thematic",
            title=f"Act on the findings of the thematic review: {row['title']}",
            url=reverse("themes:theme_detail", kwargs={"theme_pk": row["pk"]}),
            raised_on=row["month"] or timezone.localdate(row["created_at"]),
            owner_id=row["owner_id"],
            closes_in_source=False,
        )


def theme_audit_pks(*, organisation_id: int, theme_pks: Iterable[int]) -> list[int]:
    """The audits of these thematic reviews' dip samples."""
    return list(
        ThemeAudit.objects.filter(
            theme_id__in=list(theme_pks), theme__organisation_id=organisation_id
        ).values_list("audit_id", flat=True)
    )


def open_themes(*, user: AnyUser) -> QuerySet[ThematicReview]:
    """Thematic reviews still under way (agreed or scheduled), soonest first: the
    board's open reviews."""
    return (
        ThematicReview.objects.visible_to(user)
        .filter(status__in=(ThematicReview.Status.AGREED, ThematicReview.Status.SCHEDULED))
        .order_by("month", "pk")
    )


# Reports: monthly and quarterly


def themes_reported_of(
    *, organisation_id: int, first: datetime.date, last: datetime.date
) -> list[dict[str, Any]]:
    """For the QA reports (governance): the thematic reviews of the months `first` to
    `last` (dates inclusive) and those whose findings were written up then, each with
    the day it was first written up (from its history) and its dip sample's counts.
    Three queries whatever the number of themes."""
    completed = (
        ThematicReview.history.filter(status=Status.COMPLETE)
        .values("id")
        .annotate(first_complete=Min("history_date"))
        .order_by()
    )
    themes = ThematicReview.objects.filter(organisation_id=organisation_id)
    first_done: dict[int, datetime.date] = {
        row["id"]: timezone.localdate(row["first_complete"])
        for row in completed.filter(id__in=themes.values("pk"))
    }
    done_in = [pk for pk, day in first_done.items() if first <= day <= last]
    found: list[dict[str, Any]] = [
        dict(row)
        for row in themes.filter(
            Q(month__gte=month_start(first), month__lte=last) | Q(pk__in=done_in)
        )
        .exclude(status=Status.DECLINED)
        .values("pk", "title", "status", "month")
        .order_by("month", "title", "pk")
    ]
    graded = Q(audit__status__in=GRADED_STATUSES) & ~Q(audit__overall_grade="")
    counts: dict[int, dict[str, Any]] = {
        row["theme_id"]: dict(row)
        for row in ThemeAudit.objects.filter(theme_id__in=[t["pk"] for t in found])
        .values("theme_id")
        .annotate(
            sampled=Count("pk"),
            graded=Count("pk", filter=graded),
            good=Count("pk", filter=graded & Q(audit__overall_grade__in=GOOD_OR_BETTER)),
        )
        .order_by()
    }
    labels = dict(Status.choices)
    for theme in found:
        row = counts.get(theme["pk"], {})
        theme["status_label"] = str(labels.get(theme["status"], theme["status"]))
        theme["completed_on"] = first_done.get(theme["pk"])
        theme["sampled"] = row.get("sampled", 0)
        theme["graded"] = row.get("graded", 0)
        theme["good_or_better"] = row.get("good", 0)
    return found
