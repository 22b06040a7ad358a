"""Data-quality issues for the demo region: `load(today)` runs the nightly check over the
demo case data (which records late recording, visits without "seen", early placements,
unallocated cases, missing ethnicity and legal status on purpose, see cases/demo) and,
the first time, gives the issues a history and the first council some follow-up.

The first time only (no issue exists yet):
- each issue's raised date is set to the night after its record went wrong (an event's
  recording, a case's opening), at most a year back, so the trend and "oldest first"
  list look like months of nightly runs rather than one;
- business support of the first council chases, notes, resolves (after correcting the
  record) and marks won't fix a few issues, through the same services the pages use.

Later loads only run the check again for `today`, which changes nothing on the same day.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from cases.demo import names
from cases.models import Child, StaffMember
from core.dates import add_working_days
from performance.models import DataQualityIssue
from performance.services import quality as services

FIRST_COUNCIL = names.COUNCILS[0][1]
HISTORY = datetime.timedelta(days=365)
BATCH = 1000
CHASED = 6
NOTED = 3


def load(today: datetime.date | None = None, *, stdout: Any = None, **_: Any) -> dict[str, Any]:
    """Run the data-quality check for the demo; the first time, add history and follow-up."""
    today = today or timezone.localdate()
    first_time = not DataQualityIssue.objects.exists()
    result = services.data_quality_run(day=today)
    if first_time:
        _backdate(today)
        _follow_up(today)
    write: Callable[[str], Any] = getattr(stdout, "write", None) or (lambda line: None)
    write(
        f"Data quality: {result['open']:,} open issues "
        f"({result['raised']:,} raised, {result['fixed']:,} fixed)."
    )
    return result


def _raised_on(issue: DataQualityIssue, today: datetime.date) -> datetime.date:
    if issue.event_id:
        raised = issue.event.recorded_on + datetime.timedelta(days=1)
    else:
        raised = add_working_days(issue.case.opened_on, 2)
    return min(today, max(raised, today - HISTORY))


@transaction.atomic
def _backdate(today: datetime.date) -> None:
    issues = list(
        DataQualityIssue.objects.select_related("event", "case").only(
            "pk", "raised_on", "event__recorded_on", "case__opened_on"
        )
    )
    for issue in issues:
        issue.raised_on = _raised_on(issue, today)
    DataQualityIssue.objects.bulk_update(issues, ["raised_on"], batch_size=BATCH)


def _follow_up(today: datetime.date) -> None:
    support = (
        StaffMember.objects.filter(
            organisation__slug=FIRST_COUNCIL, role=StaffMember.Role.BUSINESS_SUPPORT
        )
        .order_by("pk")
        .first()
    )
    if support is None:
        return
    waiting = DataQualityIssue.objects.current().filter(organisation=support.organisation)
    allocated = list(
        waiting.filter(assigned_to__isnull=False).order_by("raised_on", "pk")[: CHASED + NOTED]
    )
    for issue in allocated[:CHASED]:
        services.issue_chase(
            issue=issue,
            by=support,
            base_revision=issue.revision,
            message="Please put this right by the end of the week.",
            day=today,
        )
    for issue in allocated[CHASED:]:
        services.issue_note_add(
            issue=issue, by=support, text="Raised with the team manager at the weekly huddle."
        )
    _resolve_one(waiting, support, today)
    _wont_fix_one(waiting, support, today)


def _resolve_one(waiting: Any, support: StaffMember, today: datetime.date) -> None:
    issue = waiting.filter(rule__slug="child-missing-ethnicity").order_by("pk").first()
    if issue is None:
        return
    # The record is put right first, so the nightly check leaves it resolved.
    Child.objects.filter(pk=issue.case.child_id).update(ethnicity=Child.Ethnicity.NOBT)
    services.issue_resolve(
        issue=issue,
        by=support,
        base_revision=issue.revision,
        text="Recorded as 'information not yet obtained' until the family is asked.",
        day=today,
    )


def _wont_fix_one(waiting: Any, support: StaffMember, today: datetime.date) -> None:
    issue = waiting.filter(rule__slug="late-recording").order_by("pk").first()
    if issue is None:
        return
    services.issue_wont_fix(
        issue=issue,
        by=support,
        base_revision=issue.revision,
        reason="The dates are right: the worker was off sick. Discussed in supervision.",
        day=today,
    )
