"""Reads for the data-quality pages: issues as the person may see them (always through
`DataQualityIssue.objects.visible_to`, which scopes by the issue's case), the counts by
team and rule, and the trend of open issues. Counts are made in the database."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Min, Q, QuerySet
from django.urls import reverse

from cases.listing import stable_order
from cases.models import StaffMember, Team
from core import prepared
from core.months import month_ends_to
from core.registry import ImprovementItem
from performance.models import DataQualityIssue, DataQualityNote, DataQualityRule

if TYPE_CHECKING:
    from core.types import AnyUser

TREND_MONTHS = 6


def issue_list(*, user: AnyUser) -> QuerySet[DataQualityIssue]:
    return DataQualityIssue.objects.visible_to(user).select_related(
        "rule", "team", "assigned_to__user", "case__child", "case__adopter"
    )


# What a row of the issue list shows (performance/quality/partials/issue_table.html) and
# the access log reads of its case, and nothing more: not every column of every joined
# model, which PostgreSQL sends and the driver decodes for every row.
# tests/performance/test_quality.py bounds the dashboard's queries with issues of children
# and of adopters, assigned and not, so a column a row reads but this leaves out (one
# query per row) fails it.
LISTED_COLUMNS = (
    "status",
    "raised_on",
    "detail",
    "rule__name",
    "team__name",
    *StaffMember.name_columns("assigned_to__"),
    "case__organisation_id",
    "case__child__given_name",
    "case__child__family_name",
    "case__child__reference",
    "case__adopter__household_name",
    "case__adopter__reference",
)


def listed_rows(issues: QuerySet[DataQualityIssue]) -> QuerySet[DataQualityIssue]:
    """`issues` reading what the issue list's rows show (`LISTED_COLUMNS`)."""
    return issues.only(*LISTED_COLUMNS)


def issues_listed(user: AnyUser) -> QuerySet[DataQualityIssue]:
    """The dashboard's list as it opens (no filter): the open and chased issues the
    user sees, in the list's order, reading what its rows show. A `core.prepared` build
    (its count and pages compile once per reader)."""
    return listed_rows(
        stable_order(issue_list(user=user).filter(status__in=DataQualityIssue.ACTIVE_STATUSES))
    )


def issue_records(*, user: AnyUser) -> QuerySet[DataQualityIssue]:
    """The issues whose page the person may open (the view looks one up, or 404s)."""
    return DataQualityIssue.objects.visible_to(user).select_related(
        "rule",
        "team",
        "organisation",
        "assigned_to__user",
        "closed_by__user",
        "event",
        "case__child",
        "case__adopter",
        "case__service",
        "case__team",
        "case__allocated_worker__user",
    )


def issue_notes(*, issue: DataQualityIssue) -> QuerySet[DataQualityNote]:
    return issue.notes.select_related("author__user").order_by("created_at", "pk")


def _rows(values: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [dict(row) for row in values]


class OpenCounts:
    """Open and chased issues per team (most first) and per rule (in the catalogue's
    order), each row a dict with the team's or rule's id and name, its `count` and how
    many of those are `chased`; `total` is every open or chased issue. Each side's names
    are read when it is first asked for."""

    def __init__(
        self, teams: dict[int | None, dict[str, int]], rules: dict[int, dict[str, int]]
    ) -> None:
        self._teams = teams
        self._rules = rules
        self.total = sum(row["count"] for row in rules.values())

    @cached_property
    def by_team(self) -> list[dict[str, Any]]:
        return _by_team(self._teams)

    @cached_property
    def by_rule(self) -> list[dict[str, Any]]:
        return _by_rule(self._rules)


def open_counts(*, user: AnyUser) -> OpenCounts:
    """The open (and chased) issues `user` sees, by team and by rule: one query of
    (team, rule, status) counts, read from the (organisation, status, team, rule) index
    alone (no join, no sort of the issues); each side's names after."""
    teams: dict[int | None, dict[str, int]] = {}
    rules: dict[int, dict[str, int]] = {}
    for team_id, rule_id, status, n in prepared.rows(_open_count_rows, user):
        chased = n if status == DataQualityIssue.Status.CHASED else 0
        for counts, key in ((teams, team_id), (rules, rule_id)):
            row = counts.setdefault(key, {"count": 0, "chased": 0})
            row["count"] += n
            row["chased"] += chased
    return OpenCounts(teams, rules)


def _open_count_rows(user: AnyUser) -> QuerySet[Any, tuple[Any, ...]]:
    return (
        DataQualityIssue.objects.visible_to(user)
        .current()
        .values_list("team_id", "rule_id", "status")
        # Of the status every issue has, which the index holds (not the id): PostgreSQL
        # then reads the index alone.
        .annotate(n=Count("status"))
        .order_by()
    )


def _by_team(counts: dict[int | None, dict[str, int]]) -> list[dict[str, Any]]:
    names = dict(
        Team.objects.filter(pk__in=[pk for pk in counts if pk is not None]).values_list(
            "pk", "name"
        )
    )
    rows = [
        {"team_id": pk, "team__name": names.get(pk) if pk else None, **row}
        for pk, row in counts.items()
    ]
    return sorted(rows, key=lambda row: (-row["count"], row["team__name"] or ""))


def _by_rule(counts: dict[int, dict[str, int]]) -> list[dict[str, Any]]:
    rules = DataQualityRule.objects.filter(pk__in=list(counts)).values_list(
        "pk", "name", "position"
    )
    rows = [
        {"rule_id": pk, "rule__name": name, "rule__position": position, **counts[pk]}
        for pk, name, position in rules
    ]
    return sorted(rows, key=lambda row: (row["rule__position"], row["rule__name"]))


@dataclass(frozen=True)
class TrendMonth:
    label: str
    on: datetime.date
    count: int


def open_trend(
    *, user: AnyUser, today: datetime.date, months: int = TREND_MONTHS
) -> list[TrendMonth]:
    """How many issues were open at the end of each recent month (this month: today),
    oldest first. An issue counts from the day it was raised until the day it closed."""
    ends = month_ends_to(today, months)
    counts = prepared.aggregate(_trend_counts, user, tuple(ends))
    trend = []
    for index, end in enumerate(ends):
        label = f"{end:%B %Y}" + (" (today)" if end == today else "")
        trend.append(TrendMonth(label=label, on=end, count=counts[f"m{index}"]))
    return trend


def _trend_counts(
    user: AnyUser, ends: tuple[datetime.date, ...]
) -> tuple[QuerySet[DataQualityIssue], dict[str, Count]]:
    # Issues closed before the first month's end count for none of them: left unread.
    issues = DataQualityIssue.objects.visible_to(user).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=ends[0])
    )
    return issues, {
        f"m{index}": Count(
            "pk",
            filter=Q(raised_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end)),
        )
        for index, end in enumerate(ends)
    }


def improvement_items(*, organisation_id: int) -> Iterator[ImprovementItem]:
    """For `core.registry.improvement_sources`: each data-quality rule with records still
    to put right is a theme for the improvement plan (no single owner; it closes when the
    rule has nothing open, which the plan notices when the item is no longer offered)."""
    rows = (
        DataQualityIssue.objects.filter(
            organisation_id=organisation_id, status__in=DataQualityIssue.ACTIVE_STATUSES
        )
        .values("rule_id", "rule__slug", "rule__name")
        .annotate(open=Count("pk"), first=Min("raised_on"))
        .order_by("rule__position", "rule_id")
    )
    dashboard = reverse("performance:quality_dashboard")
    for row in rows:
        yield ImprovementItem(
            key=f"data-quality:{row['rule__slug']}",
            source="data_quality",
            title=f"Data quality: {row['rule__name']} ({row['open']} records to put right)",
            url=f"{dashboard}?rule={row['rule_id']}",
            raised_on=row["first"],
        )


def open_issue_count_of(*, organisation_id: int, team_id: int) -> dict[str, int]:
    """For the exceptions returns (governance): a team's data-quality issues still waiting
    for someone (open, and of those chased), in one query."""
    return DataQualityIssue.objects.filter(
        organisation_id=organisation_id,
        team_id=team_id,
        status__in=DataQualityIssue.ACTIVE_STATUSES,
    ).aggregate(open=Count("pk"), chased=Count("pk", filter=Q(status="chased")))


# Reports: monthly and quarterly (governance), for a caller that scopes by organisation
# itself.


def issue_figures_of(
    *, organisation_id: int, first: datetime.date, last: datetime.date
) -> list[dict[str, Any]]:
    """Each rule's data-quality issues over `first` to `last` (dates inclusive): open at
    `last` (raised by then and not closed by then, as the open trend counts them), raised
    in the period, and put right in it (resolved or fixed; "won't fix" apart), in the
    catalogue's order, rules with none of these left out. One query."""
    open_at_end = Q(raised_on__lte=last) & (Q(closed_on__isnull=True) | Q(closed_on__gt=last))
    closed_in = Q(closed_on__gte=first, closed_on__lte=last)
    put_right = (DataQualityIssue.Status.RESOLVED, DataQualityIssue.Status.FIXED)
    rows = (
        DataQualityIssue.objects.filter(organisation_id=organisation_id)
        .filter(open_at_end | Q(raised_on__gte=first, raised_on__lte=last) | closed_in)
        .values("rule_id", "rule__name", "rule__position")
        .annotate(
            open_at_end=Count("pk", filter=open_at_end),
            raised=Count("pk", filter=Q(raised_on__gte=first, raised_on__lte=last)),
            resolved=Count("pk", filter=closed_in & Q(status__in=put_right)),
            wont_fix=Count("pk", filter=closed_in & Q(status=DataQualityIssue.Status.WONT_FIX)),
        )
        .order_by("rule__position", "rule__name")
    )
    return _rows(rows)
