"""Reads of case data. Every function starts from `visible_to(user)`."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import (
    BooleanField,
    Count,
    F,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as DbCase
from django.db.models.functions import Coalesce

from cases.listing import stable_order
from cases.models import (
    AccessLog,
    Adopter,
    Case,
    Child,
    JourneyEvent,
    Organisation,
    Service,
    StaffMember,
)
from cases.querysets import CaseQuerySet, staff_of
from core import prepared
from core.dates import working_days_between

if TYPE_CHECKING:
    from core.types import AnyUser

# The names an access log entry shows of each kind before "and N more".
ACCESS_LOG_NAMES = 10

# Recording is expected within two working days of the event (seed 000).
RECORDING_WORKING_DAYS = 2

# How many visits due the home page lists; the figure beside it links to them all.
VISITS_DUE_SHOWN = 20


def case_list(*, user: AnyUser) -> QuerySet[Case]:
    """Cases the user may see, with what the case list shows loaded in the same query.
    No annotations: the list's count then reads the case table alone (a sort by name
    orders by `CASE_SORTS`, which the count leaves out)."""
    return Case.objects.visible_to(user).select_related(
        "child", "adopter", "team", "service", "allocated_worker__user"
    )


def cases_listed(user: AnyUser) -> QuerySet[Case]:
    """The case list as it opens (no filter, no search): every case the user sees, in
    the list's order. A `core.prepared` build (its count and pages compile once per
    reader)."""
    return stable_order(case_list(user=user))


# The case list's sorts by a name: a child's family then given name, or the adopters'
# household name; the allocated worker's last name.
CASE_SORTS = {
    "subject": (
        Coalesce(F("child__family_name"), F("adopter__household_name"), output_field=None),
        Coalesce(F("child__given_name"), Value("")),
    ),
    "worker": (Coalesce(F("allocated_worker__user__last_name"), Value(""), output_field=None),),
}


def case_by_reference(*, user: AnyUser, reference: str) -> Case | None:
    """The case of the child or adopter with this ID that the user may see (the newest
    open one first), or None: a record typed in by staff names only a case they may see."""
    reference = reference.strip()
    if not reference:
        return None
    return (
        Case.objects.visible_to(user)
        .filter(Q(child__reference__iexact=reference) | Q(adopter__reference__iexact=reference))
        .select_related("child", "adopter")
        .order_by("status", "-opened_on", "-pk")
        .first()
    )


def child_records(*, user: AnyUser) -> QuerySet[Child]:
    """The children whose record the user may open (the view looks one up, or 404s)."""
    return Child.objects.visible_to(user).select_related("organisation")


def adopter_records(*, user: AnyUser) -> QuerySet[Adopter]:
    return Adopter.objects.visible_to(user).select_related("organisation")


def subject_cases(*, subject: Child | Adopter) -> QuerySet[Case]:
    """Every case of a subject: a visible subject's whole history is part of their record."""
    field = "child" if isinstance(subject, Child) else "adopter"
    return (
        Case.objects.filter(**{field: subject})
        .select_related("service", "team", "allocated_worker__user")
        .order_by("-opened_on", "-pk")
    )


@dataclass(frozen=True)
class TimelineEntry:
    event: JourneyEvent
    recorded_late: bool
    not_seen_alone: bool
    seen_not_recorded: bool


def subject_timeline(*, subject: Child | Adopter) -> list[TimelineEntry]:
    """The journey of a child or adopter across all their cases, newest first."""
    field = "case__child" if isinstance(subject, Child) else "case__adopter"
    events = (
        JourneyEvent.objects.filter(**{field: subject})
        .select_related("recorded_by__user", "case__team")
        .order_by("-occurred_on", "-pk")
    )
    return [
        TimelineEntry(
            event=event,
            recorded_late=recorded_late(event),
            not_seen_alone=event.kind == JourneyEvent.Kind.VISIT and event.seen_alone is False,
            seen_not_recorded=event.kind == JourneyEvent.Kind.VISIT
            and (event.seen is None or event.seen_alone is None),
        )
        for event in events
    ]


# The journey can be read whole, as its milestones only, or as its visits only.
ROUTINE_KINDS = frozenset(
    {JourneyEvent.Kind.VISIT, JourneyEvent.Kind.SUPERVISION, JourneyEvent.Kind.REVIEW}
)
TIMELINE_VIEWS = {
    "all": ("All events", lambda kind: True),
    "milestones": ("Milestones", lambda kind: kind not in ROUTINE_KINDS),
    "visits": ("Visits", lambda kind: kind == JourneyEvent.Kind.VISIT),
}


def timeline_view(
    *, timeline: list[TimelineEntry], view: str
) -> tuple[list[TimelineEntry], list[dict[str, Any]], str]:
    """The entries one view shows, and each view's label and count (unknown views: all)."""
    if view not in TIMELINE_VIEWS:
        view = "all"
    views = []
    for key, (label, keep) in TIMELINE_VIEWS.items():
        count = sum(1 for entry in timeline if keep(entry.event.kind))
        views.append({"key": key, "label": f"{label} ({count})", "active": key == view})
    keep = TIMELINE_VIEWS[view][1]
    return [entry for entry in timeline if keep(entry.event.kind)], views, view


def recorded_late(event: JourneyEvent) -> bool:
    """Recorded more than two working days after it happened."""
    if (event.recorded_on - event.occurred_on).days <= RECORDING_WORKING_DAYS:
        return False
    return working_days_between(event.occurred_on, event.recorded_on) > RECORDING_WORKING_DAYS


def _listed(through: type[Model]) -> Coalesce:
    """How many rows of an M2M through table name the outer entry."""
    count = (
        through._default_manager.filter(accesslog_id=OuterRef("pk"))
        .order_by()
        .values("accesslog_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(count, output_field=IntegerField()), 0)


def access_log_list(*, user: AnyUser) -> QuerySet[AccessLog]:
    """The entries the user may read, each with how many children and adopters it lists
    and the first ACCESS_LOG_NAMES of each (an export lists thousands): a fixed number of
    queries per page."""
    return (
        AccessLog.objects.visible_to(user)
        .select_related("user")
        .annotate(
            child_count=_listed(AccessLog.children.through),
            adopter_count=_listed(AccessLog.adopters.through),
        )
        .prefetch_related(
            Prefetch(
                "children",
                queryset=Child.objects.order_by("family_name", "given_name", "pk")[
                    :ACCESS_LOG_NAMES
                ],
                to_attr="children_shown",
            )
        )
        .prefetch_related(
            Prefetch(
                "adopters",
                queryset=Adopter.objects.order_by("household_name", "pk")[:ACCESS_LOG_NAMES],
                to_attr="adopters_shown",
            ),
        )
    )


def _visit_within(today: datetime.date, days: int) -> Q:
    """Cases whose next visit falls on or before `today + days` (the stored due date:
    `Case.next_visit_due_on`, empty for a case with no visits due)."""
    return Q(next_visit_due_on__lte=today + datetime.timedelta(days=days))


def visits_due(*, cases: CaseQuerySet, today: datetime.date) -> CaseQuerySet:
    """Open cases in visiting services whose next visit is due within a week, or is late,
    soonest first. The due date is the last visit (or, with none, the day the case
    opened) plus the service's visiting interval, kept on the case by
    `cases.services.visit_dates_refresh`."""
    return (
        cases.filter(_visit_within(today, 7))
        .annotate(
            visit_due_on=F("next_visit_due_on"),
            visit_overdue=DbCase(
                When(_visit_within(today, -1), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .select_related("child", "adopter", "team", "service", "allocated_worker__user")
        .order_by("next_visit_due_on", "pk")
    )


def visits_overdue(*, cases: CaseQuerySet, today: datetime.date) -> CaseQuerySet:
    """The cases of `visits_due` whose visit is already late (due before today): the home
    page's figure and the case list's "visit overdue" filter."""
    return visits_due(cases=cases, today=today).filter(_visit_within(today, -1))


def visit_counts(*, cases: CaseQuerySet, today: datetime.date) -> dict[str, int]:
    """How many cases `visits_due` and `visits_overdue` list, counted in one query."""
    queryset, wanted = _visit_counting(cases, today)
    return queryset.aggregate(**wanted)


def _visit_counting(
    cases: CaseQuerySet, today: datetime.date
) -> tuple[CaseQuerySet, dict[str, Count]]:
    return cases.filter(_visit_within(today, 7)), {
        "due": Count("pk"),
        "overdue": Count("pk", filter=_visit_within(today, -1)),
    }


# The case list's filter on statutory visits (cases/filters.py): each its selector.
VISIT_FILTERS = {"due": visits_due, "overdue": visits_overdue}


def caseloads(
    *, user: AnyUser, team_id: int | None = None, service_id: int | None = None
) -> list[StaffMember]:
    """Open cases per worker in a team or service (counted in the database)."""
    return prepared.rows(_caseloads, user, team_id, service_id)


def _caseloads(user: AnyUser, team_id: int | None, service_id: int | None) -> QuerySet[StaffMember]:
    staff = StaffMember.objects.visible_to(user).filter(role=StaffMember.Role.PRACTITIONER)
    if team_id:
        staff = staff.filter(team_id=team_id)
    if service_id:
        staff = staff.filter(team__service_id=service_id)
    return (
        staff.select_related("user", "team")
        # What the home page's caseload table shows of each worker, and nothing more.
        .only(*StaffMember.name_columns(), "team__name")
        .annotate(open_cases=Count("cases", filter=Q(cases__status=Case.Status.OPEN)))
        .order_by("-open_cases", "user__last_name")
    )


def my_work(*, user: AnyUser, today: datetime.date) -> dict[str, Any]:
    """What the signed-in person's home page shows: their work and what is due. Each
    query is compiled once for the reader and the day (`core.prepared`)."""
    staff = staff_of(user)
    if staff is None:
        return {"kind": "none"}
    role = staff.role
    if role == StaffMember.Role.REGIONAL_LEAD:
        return {"kind": "regional", "organisations": regional_summary(user=user)}
    if role == StaffMember.Role.PRACTITIONER:
        return {
            "kind": "practitioner",
            "cases": prepared.rows(_my_cases_shown, user),
            "open_case_count": prepared.aggregate(_my_case_count, user)["cases"],
            "visits_due": prepared.rows(_visits_due_shown, user, today),
            "visits_due_count": prepared.aggregate(_visits_counted, user, today)["due"],
        }
    summary = organisation_summary(user=user)
    work: dict[str, Any] = {"kind": "manager", "summary": summary}
    if role == StaffMember.Role.BUSINESS_SUPPORT:
        # Their data-quality figures come from the data-quality pages' own selector
        # (qaportal/views.py), so the home page and the issue list count the same thing.
        work["kind"] = "business_support"
    if role in (StaffMember.Role.TEAM_MANAGER, StaffMember.Role.SERVICE_MANAGER):
        work["caseloads"] = caseloads(
            user=user,
            team_id=staff.team_id if role == StaffMember.Role.TEAM_MANAGER else None,
            service_id=staff.service_id if role == StaffMember.Role.SERVICE_MANAGER else None,
        )
    work["visits_due"] = prepared.rows(_visits_due_shown, user, today)
    counts = prepared.aggregate(_visits_counted, user, today)
    work["visits_due_count"] = counts["due"]
    work["visits_overdue_count"] = counts["overdue"]
    return work


def _home_cases(user: AnyUser) -> CaseQuerySet:
    """The cases a home page's figures are of: a practitioner's own open cases, everyone
    else's all they see."""
    visible = Case.objects.visible_to(user)
    staff = staff_of(user)
    if staff is not None and staff.role == StaffMember.Role.PRACTITIONER:
        return visible.open().filter(allocated_worker=staff)
    return visible


# What a case's row on the home page shows (templates/home.html and
# partials/visits_due.html: the child's or household's name, linking to their record,
# the service, the stage, the last visit and the worker) and the access log reads of it,
# and nothing more: not every column of every joined model, which PostgreSQL sends and
# the driver decodes for every row. tests/cases/test_home.py bounds the home page's
# queries with rows of every kind, so a column a row reads but this leaves out (one
# query per row) fails it.
HOME_CASE_COLUMNS = (
    "organisation_id",
    "journey_stage",
    "last_visit_on",
    "child__given_name",
    "child__family_name",
    "adopter__household_name",
    "service__name",
)


def _my_cases_shown(user: AnyUser) -> CaseQuerySet:
    return (
        _home_cases(user)
        .select_related("child", "adopter", "service")
        .only(*HOME_CASE_COLUMNS)
        .order_by("-opened_on")[:50]
    )


def _my_case_count(user: AnyUser) -> tuple[CaseQuerySet, dict[str, Count]]:
    return _home_cases(user), {"cases": Count("*")}


def _visits_due_shown(user: AnyUser, today: datetime.date) -> CaseQuerySet:
    shown = visits_due(cases=_home_cases(user), today=today)
    return (
        shown.select_related(None)
        .select_related("child", "adopter", "service", "allocated_worker__user")
        .only(*HOME_CASE_COLUMNS, *StaffMember.name_columns("allocated_worker__"))
    )[:VISITS_DUE_SHOWN]


def _visits_counted(user: AnyUser, today: datetime.date) -> tuple[CaseQuerySet, dict[str, Count]]:
    return _visit_counting(_home_cases(user), today)


def organisation_summary(*, user: AnyUser) -> dict[str, Any]:
    """Open cases by service, and the unallocated ones, of all the cases `user` sees,
    counted in the database."""
    by_service = prepared.rows(_open_by_service, user)
    return {
        "by_service": by_service,
        "open_cases": sum(row["open_cases"] for row in by_service),
        "unallocated": sum(row["unallocated"] for row in by_service),
    }


def _open_by_service(user: AnyUser) -> QuerySet[Any, Any]:
    return (
        Case.objects.visible_to(user)
        .open()
        .values("service_id", "service__name")
        .annotate(
            # Of the status every case has, which the index holds (not the id).
            open_cases=Count("*"),
            unallocated=Count("status", filter=Q(allocated_worker__isnull=True)),
        )
        .order_by("service__name")
    )


def regional_summary(*, user: AnyUser) -> list[Mapping[str, Any]]:
    """Aggregates for each organisation in the regional lead's region: counts, no records.

    Counted from the open cases alone, off the index that holds each one's service,
    stage, child and adopter (`case_org_status_summary`): never a join of every case
    the region ever had."""
    staff = staff_of(user)
    if staff is None:
        return []
    organisations = list(
        Organisation.objects.filter(region_id=staff.organisation.region_id)
        .order_by("name")
        .values("id", "name", "kind")
    )
    ids = [organisation["id"] for organisation in organisations]
    looked_after = list(
        Service.objects.filter(organisation_id__in=ids, kind=Service.Kind.LOOKED_AFTER).values_list(
            "pk", flat=True
        )
    )
    counts: dict[int, Mapping[str, Any]] = {
        row["organisation_id"]: row
        for row in Case.objects.filter(organisation_id__in=ids, status=Case.Status.OPEN)
        .values("organisation_id")
        .annotate(
            # Counts of columns the index holds (a child, an adopter, the status every
            # case has), not of the id, which it does not hold on PostgreSQL.
            open_child_cases=Count("child"),
            open_adopter_cases=Count("adopter"),
            looked_after=Count("status", filter=Q(service_id__in=looked_after)),
            approved_waiting=Count("status", filter=Q(journey_stage="approved")),
        )
        .order_by()
    }
    none = dict.fromkeys(
        ("open_child_cases", "open_adopter_cases", "looked_after", "approved_waiting"), 0
    )
    return [
        {
            "name": organisation["name"],
            "kind": organisation["kind"],
            **{key: counts.get(organisation["id"], none)[key] for key in none},
        }
        for organisation in organisations
    ]
