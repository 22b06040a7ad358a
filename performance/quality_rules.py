"""The data-quality rule catalogue: each rule a small query that returns the records
breaking it, as `Finding`s (one per record, with the case it belongs to).

`data_quality_run_organisation` (performance/services/quality.py) syncs `CATALOGUE` to
`DataQualityRule` rows and calls each rule's `find` once a night for each organisation,
which sees only that organisation's records. A rule runs a fixed
number of queries whatever the data size; what the database cannot say portably
(working days with bank holidays, calendar months) is checked in Python on the rows the
query returns, never with a query per record.

Rules about events look back over a window (`RECENT`) so years of history do not flood
the list; `find` also re-checks the records of the rule's current issues (`keep`),
wherever they fall, so an issue closes only when its record is put right.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils.formats import date_format

from cases.models import Case, JourneyEvent, JourneyStage
from core.dates import add_working_days

Kind = JourneyEvent.Kind
# Event rules raise issues for events of the last three months.
RECENT = relativedelta(months=3)
RECORDING_WORKING_DAYS = 2
ALLOCATION_WORKING_DAYS = 1
STAGE_ONE = relativedelta(months=2)
# A child in one of these stages of an open case is looked after (care leavers are not).
IN_CARE_STAGES = (
    JourneyStage.LOOKED_AFTER,
    JourneyStage.EARLY_TRACKING,
    JourneyStage.PLACEMENT_ORDER,
    JourneyStage.LINKED,
    JourneyStage.MATCHED,
    JourneyStage.PLACED,
)
CASE_FIELDS = ("case_id", "case__organisation_id", "case__team_id", "case__allocated_worker_id")


@dataclass(frozen=True, slots=True)
class Finding:
    """One record breaking one rule: `key` names the record within the rule."""

    key: str
    organisation_id: int
    case_id: int
    team_id: int
    assigned_to_id: int | None
    detail: str
    event_id: int | None = None


def day_text(day: datetime.date) -> str:
    return date_format(day, "j F Y")


@lru_cache(maxsize=4096)
def recording_deadline(occurred_on: datetime.date) -> datetime.date:
    """The last day an event can be recorded on time: two working days after it occurred."""
    return add_working_days(occurred_on, RECORDING_WORKING_DAYS)


def _event_finding(row: dict[str, Any], detail: str) -> Finding:
    return Finding(
        key=f"event:{row['pk']}",
        organisation_id=row["case__organisation_id"],
        case_id=row["case_id"],
        team_id=row["case__team_id"],
        assigned_to_id=row["case__allocated_worker_id"],
        detail=detail[:300],
        event_id=row["pk"],
    )


def _case_finding(row: dict[str, Any], key: str, detail: str) -> Finding:
    return Finding(
        key=key,
        organisation_id=row["organisation_id"],
        case_id=row["pk"],
        team_id=row["team_id"],
        assigned_to_id=row["allocated_worker_id"],
        detail=detail[:300],
    )


class Rule:
    slug = ""
    name = ""
    description = ""
    how_to_fix = ""

    def find(
        self, *, day: datetime.date, keep: QuerySet, organisation_id: int | None = None
    ) -> list[Finding]:
        """The records of organisation `organisation_id` (None: every organisation) breaking
        the rule on `day`. `keep` holds the rule's current issues (of that organisation):
        their records are checked too, whether or not they are still recent."""
        raise NotImplementedError


def _events(organisation_id: int | None) -> QuerySet:
    events = JourneyEvent.objects.all()
    if organisation_id is not None:
        events = events.filter(case__organisation_id=organisation_id)
    return events


def _cases(organisation_id: int | None) -> QuerySet:
    cases = Case.objects.all()
    if organisation_id is not None:
        cases = cases.filter(organisation_id=organisation_id)
    return cases


def _recent_or_kept(field: str, day: datetime.date, keep: QuerySet) -> Q:
    return Q(**{f"{field}__gt": day - RECENT, f"{field}__lte": day}) | Q(
        pk__in=keep.filter(event__isnull=False).values("event_id")
    )


class LateRecording(Rule):
    slug = "late-recording"
    name = "Event recorded late"
    description = (
        "An event was recorded more than two working days after it happened. Weekends and "
        "bank holidays in England are not counted. Events recorded in the last three "
        "months are checked."
    )
    how_to_fix = (
        "If the date it happened or the date it was recorded was entered wrongly, correct "
        "it on the case record and the issue closes itself after the nightly check. If the "
        "dates are right, talk to the worker about recording within two working days, then "
        "mark the issue won't fix and say why."
    )

    def find(
        self, *, day: datetime.date, keep: QuerySet, organisation_id: int | None = None
    ) -> list[Finding]:
        rows = (
            _events(organisation_id)
            .filter(_recent_or_kept("recorded_on", day, keep))
            .filter(recorded_on__gt=F("occurred_on"))
            .values("pk", "kind", "occurred_on", "recorded_on", *CASE_FIELDS)
        )
        labels = dict(Kind.choices)
        found = []
        for row in rows.iterator(chunk_size=2000):
            deadline = recording_deadline(row["occurred_on"])
            if row["recorded_on"] <= deadline:
                continue
            detail = (
                f"{labels.get(row['kind'], row['kind'])} on {day_text(row['occurred_on'])} "
                f"was recorded on {day_text(row['recorded_on'])}; it was due by "
                f"{day_text(deadline)}"
            )
            found.append(_event_finding(row, detail))
        return found


class VisitSeenNotRecorded(Rule):
    slug = "visit-seen-not-recorded"
    name = "Visit without seen or seen alone"
    description = (
        "A visit does not say whether the child was seen, or says they were seen but not "
        "whether they were seen alone. Visits of the last three months are checked."
    )
    how_to_fix = (
        "Ask the worker who visited, then record on the visit whether the child was seen "
        "and whether they were seen alone."
    )

    def find(
        self, *, day: datetime.date, keep: QuerySet, organisation_id: int | None = None
    ) -> list[Finding]:
        rows = (
            _events(organisation_id)
            .filter(kind=Kind.VISIT)
            .filter(_recent_or_kept("occurred_on", day, keep))
            .filter(Q(seen__isnull=True) | Q(seen=True, seen_alone__isnull=True))
            .values("pk", "occurred_on", "seen", *CASE_FIELDS)
        )
        found = []
        for row in rows.iterator(chunk_size=2000):
            missing = "whether the child was seen" if row["seen"] is None else "seen alone"
            detail = f"Visit on {day_text(row['occurred_on'])} does not record {missing}"
            found.append(_event_finding(row, detail))
        return found


# (the later event, the event it cannot come before, how the later one reads)
ORDER_PAIRS = (
    (Kind.PLACEMENT_STARTED, Kind.BECAME_LOOKED_AFTER, "the child became looked after"),
    (Kind.ASSESSMENT_COMPLETED, Kind.ASSESSMENT_STARTED, "the assessment started"),
    (Kind.S47_COMPLETED, Kind.S47_STARTED, "the section 47 enquiry started"),
    (Kind.CP_PLAN_ENDED, Kind.CP_PLAN_STARTED, "the child protection plan started"),
    (Kind.CEASED_LOOKED_AFTER, Kind.BECAME_LOOKED_AFTER, "the child became looked after"),
    (Kind.STAGE_ONE_COMPLETED, Kind.STAGE_ONE_STARTED, "stage one started"),
    (Kind.STAGE_TWO_COMPLETED, Kind.STAGE_TWO_STARTED, "stage two started"),
)


class DatesOutOfOrder(Rule):
    slug = "dates-out-of-order"
    name = "Dates out of order"
    description = (
        "On an open case, an event is dated before the event it must follow: for example "
        "a placement that started before the child became looked after, or an assessment "
        "completed before it started."
    )
    how_to_fix = (
        "Check both dates against the case file and correct whichever is wrong on the case "
        "record. The issue closes itself after the nightly check."
    )

    def find(
        self, *, day: datetime.date, keep: QuerySet, organisation_id: int | None = None
    ) -> list[Finding]:
        labels = dict(Kind.choices)
        scope = Q(case__status=Case.Status.OPEN) | Q(
            pk__in=keep.filter(event__isnull=False).values("event_id")
        )
        found = []
        for later, earlier, follows in ORDER_PAIRS:
            first_earlier = (
                JourneyEvent.objects.filter(case_id=OuterRef("case_id"), kind=earlier)
                .order_by("occurred_on")
                .values("occurred_on")[:1]
            )
            rows = (
                _events(organisation_id)
                .filter(scope, kind=later)
                .annotate(first_earlier=Subquery(first_earlier))
                .filter(first_earlier__gt=F("occurred_on"))
                .values("pk", "occurred_on", "first_earlier", *CASE_FIELDS)
            )
            for row in rows:
                detail = (
                    f"{labels[later]} on {day_text(row['occurred_on'])}, before {follows} "
                    f"on {day_text(row['first_earlier'])}"
                )
                found.append(_event_finding(row, detail))
        return found


class UnallocatedCase(Rule):
    slug = "open-case-unallocated"
    name = "Open case with no allocated worker"
    description = (
        "A case has been open for more than one working day without an allocated worker. "
        "Weekends and bank holidays in England are not counted."
    )
    how_to_fix = (
        "Ask the team manager to allocate a worker and record the allocation on the case. "
        "The issue closes itself after the nightly check."
    )

    def find(
        self, *, day: datetime.date, keep: QuerySet, organisation_id: int | None = None
    ) -> list[Finding]:
        rows = (
            _cases(organisation_id)
            .filter(status=Case.Status.OPEN, allocated_worker__isnull=True, opened_on__lt=day)
            .values("pk", "opened_on", "organisation_id", "team_id", "allocated_worker_id")
        )
        found = []
        for row in rows:
            if add_working_days(row["opened_on"], ALLOCATION_WORKING_DAYS) >= day:
                continue
            detail = f"Open since {day_text(row['opened_on'])} with no allocated worker"
            found.append(_case_finding(row, f"case:{row['pk']}", detail))
        return found


class StageOneOverdue(Rule):
    slug = "adopter-stage-one-overdue"
    name = "Adopter stage one past two months"
    description = (
        "An adopter household's stage one started more than two months ago, is not "
        "recorded as completed and has had no review since it started."
    )
    how_to_fix = (
        "If stage one has finished, record the stage one completed event (or the household's "
        "withdrawal) with its date. If it is still running, record the review of why it is "
        "taking longer than two months."
    )
    # Any of these on the case since stage one started answers the rule.
    ANSWERS = (
        Kind.STAGE_ONE_COMPLETED,
        Kind.STAGE_TWO_STARTED,
        Kind.WITHDRAWN,
        Kind.REVIEW,
        Kind.CASE_CLOSED,
    )

    def find(
        self, *, day: datetime.date, keep: QuerySet, organisation_id: int | None = None
    ) -> list[Finding]:
        since_start = JourneyEvent.objects.filter(
            case_id=OuterRef("case_id"), occurred_on__gte=OuterRef("occurred_on")
        )
        answered = since_start.filter(kind__in=self.ANSWERS)
        restarted = since_start.filter(kind=Kind.STAGE_ONE_STARTED).exclude(pk=OuterRef("pk"))
        # Months differ in length: the query is generous, the check below exact.
        rows = (
            _events(organisation_id)
            .filter(
                kind=Kind.STAGE_ONE_STARTED,
                case__status=Case.Status.OPEN,
                case__adopter__isnull=False,
                occurred_on__lt=day - datetime.timedelta(days=58),
            )
            .exclude(Exists(answered))
            .exclude(Exists(restarted))
            .values("pk", "occurred_on", *CASE_FIELDS)
        )
        found = []
        for row in rows:
            if row["occurred_on"] + STAGE_ONE >= day:
                continue
            days = (day - row["occurred_on"]).days
            detail = (
                f"Stage one started on {day_text(row['occurred_on'])}, {days} days ago, and "
                "is not completed, with no review since"
            )
            found.append(_event_finding(row, detail))
        return found


def _one_case_per_child(rows: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    """Rows ordered by child, newest case first: the first row of each child."""
    seen: set[int] = set()
    for row in rows:
        if row["child_id"] not in seen:
            seen.add(row["child_id"])
            yield row


CHILD_CASE_FIELDS = (
    "pk",
    "child_id",
    "organisation_id",
    "team_id",
    "allocated_worker_id",
)


class MissingEthnicity(Rule):
    slug = "child-missing-ethnicity"
    name = "Child's ethnicity not recorded"
    description = "A child with an open case has no ethnicity recorded."
    how_to_fix = (
        "Ask the child or family, or check the referral and assessment, then record the "
        "child's ethnicity. Use 'Refused' or 'Information not yet obtained' when that is "
        "the answer."
    )

    def find(
        self, *, day: datetime.date, keep: QuerySet, organisation_id: int | None = None
    ) -> list[Finding]:
        rows = (
            _cases(organisation_id)
            .filter(status=Case.Status.OPEN, child__isnull=False, child__ethnicity="")
            .order_by("child_id", "-opened_on", "-pk")
            .values(*CHILD_CASE_FIELDS)
        )
        return [
            _case_finding(row, f"child:{row['child_id']}", "Ethnicity is not recorded")
            for row in _one_case_per_child(rows)
        ]


class MissingLegalStatus(Rule):
    slug = "looked-after-missing-legal-status"
    name = "Looked-after child's legal status not recorded"
    description = (
        "A child whose open case is at the looked-after stage, or later in care (early "
        "tracking, placement order, linked, matched or placed), has no legal status."
    )
    how_to_fix = (
        "Check the court order or the section 20 agreement on the case file and record the "
        "child's legal status."
    )

    def find(
        self, *, day: datetime.date, keep: QuerySet, organisation_id: int | None = None
    ) -> list[Finding]:
        stages = dict(JourneyStage.choices)
        rows = (
            _cases(organisation_id)
            .filter(
                status=Case.Status.OPEN,
                child__isnull=False,
                child__legal_status="",
                journey_stage__in=IN_CARE_STAGES,
            )
            .order_by("child_id", "-opened_on", "-pk")
            .values(*CHILD_CASE_FIELDS, "journey_stage")
        )
        return [
            _case_finding(
                row,
                f"child:{row['child_id']}",
                f"No legal status recorded; the case is at the "
                f"{stages[row['journey_stage']].lower()} stage",
            )
            for row in _one_case_per_child(rows)
        ]


CATALOGUE: tuple[Rule, ...] = (
    LateRecording(),
    VisitSeenNotRecorded(),
    DatesOutOfOrder(),
    UnallocatedCase(),
    StageOneOverdue(),
    MissingEthnicity(),
    MissingLegalStatus(),
)
RULES_BY_SLUG = {rule.slug: rule for rule in CATALOGUE}
