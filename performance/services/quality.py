"""Running the data-quality rules and following up their issues.

`data_quality_run_organisation` (nightly, one Celery task per organisation) syncs the rule
catalogue, raises an issue for each of the organisation's records newly breaking a rule,
keeps the open ones' team, assignee and detail up to date, closes those whose record is
put right (fixed) and reopens resolved ones whose record is still wrong. It touches only
that organisation's records and issues. Each rule costs a fixed number of queries plus
one per batch of changed issues; a second run the same day changes nothing.
`data_quality_run` (`manage.py data_quality_run`, the demo) runs every organisation in
one process, each under its own lock, and adds up their counts.

Follow-up (business support and the QA service of the issue's organisation): add a
note, chase the allocated worker, mark resolved, mark won't fix with a reason. Every
change of status checks the revision the person started from, so when two people act on
one issue at once the second is told what happened instead of overwriting it.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format

from cases.models import Notification, StaffMember
from cases.notifications import notify
from core.batches import batched
from performance.models import DataQualityIssue, DataQualityNote, DataQualityRule
from performance.quality_rules import CATALOGUE, Finding, Rule
from performance.services.organisations import run_for_each_organisation

Status = DataQualityIssue.Status
NoteKind = DataQualityNote.Kind
BATCH = 500
FOLLOW_UP_ROLES = (StaffMember.Role.BUSINESS_SUPPORT, StaffMember.Role.QA)
REFRESHED_FIELDS = ("organisation_id", "case_id", "event_id", "team_id", "assigned_to_id", "detail")
LOADED_FIELDS = (
    "pk",
    "key",
    "status",
    "organisation",
    "case",
    "event",
    "team",
    "assigned_to",
    "detail",
)
FIXED_TEXT = "The nightly check found the record put right, so the issue closed itself."
REOPENED_TEXT = "The nightly check still finds this record wrong, so the issue was reopened."


class IssueActionError(Exception):
    """The issue's state does not allow this; the message says why, for the page."""


class IssueConflict(IssueActionError):
    """Someone else changed the issue since the person opened it."""


# --- The nightly run ------------------------------------------------------------------


def data_quality_rules_sync(catalogue: Iterable[Rule] = CATALOGUE) -> dict[str, DataQualityRule]:
    """Make the rule rows match the catalogue in code; return them by slug."""
    rules = list(catalogue)
    existing = {row.slug: row for row in DataQualityRule.objects.all()}
    create, update = [], []
    for position, rule in enumerate(rules):
        values = {
            "name": rule.name,
            "description": rule.description,
            "how_to_fix": rule.how_to_fix,
            "position": position,
            "active": True,
        }
        row = existing.get(rule.slug)
        if row is None:
            create.append(DataQualityRule(slug=rule.slug, **values))
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            update.append(row)
    if create:
        # Organisations' runs in parallel may sync at once: the slug is unique.
        DataQualityRule.objects.bulk_create(create, ignore_conflicts=True)
    if update:
        DataQualityRule.objects.bulk_update(
            update, ["name", "description", "how_to_fix", "position", "active"]
        )
    slugs = [rule.slug for rule in rules]
    DataQualityRule.objects.filter(active=True).exclude(slug__in=slugs).update(active=False)
    return {row.slug: row for row in DataQualityRule.objects.filter(slug__in=slugs)}


JOB = "data_quality_run"
COUNTS = ("raised", "refreshed", "fixed", "reopened", "open")


def data_quality_run_organisation(*, organisation_id: int, day: datetime.date) -> dict[str, Any]:
    """Run every rule over one organisation's records; return what changed, counted."""
    rows = data_quality_rules_sync()
    counts: Counter[str] = Counter()
    for rule in CATALOGUE:
        counts.update(
            _run_rule(rule=rule, row=rows[rule.slug], day=day, organisation_id=organisation_id)
        )
    open_now = DataQualityIssue.objects.current().filter(organisation_id=organisation_id).count()
    return {
        "day": day.isoformat(),
        "organisation": organisation_id,
        "rules": len(CATALOGUE),
        "raised": counts["raised"],
        "refreshed": counts["refreshed"],
        "fixed": counts["fixed"],
        "reopened": counts["reopened"],
        "open": open_now,
    }


def data_quality_run(*, day: datetime.date, organisation_id: int | None = None) -> dict[str, Any]:
    """Run every rule for every organisation (or only `organisation_id`) in this process,
    each under its own lock; return the organisations' counts added up."""
    data_quality_rules_sync()
    totals = run_for_each_organisation(
        JOB,
        data_quality_run_organisation,
        day=day,
        added=COUNTS,
        organisation_id=organisation_id,
    )
    return {"day": day.isoformat(), "rules": len(CATALOGUE), **totals}


def _run_rule(
    *, rule: Rule, row: DataQualityRule, day: datetime.date, organisation_id: int | None
) -> Counter[str]:
    """Bring one rule's issues in line with the records breaking it, for one organisation
    (None: every organisation at once)."""
    current = DataQualityIssue.objects.filter(
        rule=row, status__in=DataQualityIssue.CURRENT_STATUSES
    )
    if organisation_id is not None:
        current = current.filter(organisation_id=organisation_id)
    # Read before the writes' transaction, so organisations run side by side even where
    # the database lets one writer in at a time (SQLite).
    found = {
        finding.key: finding
        for finding in rule.find(day=day, keep=current, organisation_id=organisation_id)
    }
    with transaction.atomic():
        # Locked, so a person acting on one of them waits for the run instead of racing it.
        issues = {issue.key: issue for issue in current.select_for_update().only(*LOADED_FIELDS)}
        counts: Counter[str] = Counter()
        counts["raised"] = _raise(row, [f for key, f in found.items() if key not in issues], day)
        gone = [i.pk for key, i in issues.items() if key not in found and i.is_active]
        counts["fixed"] = _close_fixed(gone, day)
        wrong_again = [
            i.pk for key, i in issues.items() if key in found and i.status == Status.RESOLVED
        ]
        counts["reopened"] = _reopen(wrong_again)
        counts["refreshed"] = _refresh(
            [(issue, found[key]) for key, issue in issues.items() if key in found]
        )
    return counts


def _raise(row: DataQualityRule, findings: list[Finding], day: datetime.date) -> int:
    issues = [
        DataQualityIssue(
            rule=row,
            key=f.key,
            organisation_id=f.organisation_id,
            case_id=f.case_id,
            event_id=f.event_id,
            team_id=f.team_id,
            assigned_to_id=f.assigned_to_id,
            detail=f.detail,
            raised_on=day,
        )
        for f in findings
    ]
    # The partial unique constraint is the real guard against a second issue per record.
    DataQualityIssue.objects.bulk_create(issues, batch_size=BATCH, ignore_conflicts=True)
    return len(issues)


def _system_notes(issue_pks: list[int], kind: str, text: str) -> None:
    now = timezone.now()
    DataQualityNote.objects.bulk_create(
        [DataQualityNote(issue_id=pk, kind=kind, text=text, created_at=now) for pk in issue_pks],
        batch_size=BATCH,
    )


def _close_fixed(issue_pks: list[int], day: datetime.date) -> int:
    for batch in batched(issue_pks, BATCH):
        DataQualityIssue.objects.filter(
            pk__in=batch, status__in=DataQualityIssue.ACTIVE_STATUSES
        ).update(status=Status.FIXED, closed_on=day, closed_by=None, revision=F("revision") + 1)
    _system_notes(issue_pks, NoteKind.FIXED, FIXED_TEXT)
    return len(issue_pks)


def _reopen(issue_pks: list[int]) -> int:
    for batch in batched(issue_pks, BATCH):
        DataQualityIssue.objects.filter(pk__in=batch, status=Status.RESOLVED).update(
            status=Status.OPEN, closed_on=None, closed_by=None, revision=F("revision") + 1
        )
    _system_notes(issue_pks, NoteKind.REOPENED, REOPENED_TEXT)
    return len(issue_pks)


def _refresh(pairs: list[tuple[DataQualityIssue, Finding]]) -> int:
    """Bring the issue's case, team, assignee and detail in line with its record."""
    changed = []
    for issue, finding in pairs:
        if any(getattr(issue, name) != getattr(finding, name) for name in REFRESHED_FIELDS):
            for name in REFRESHED_FIELDS:
                setattr(issue, name, getattr(finding, name))
            changed.append(issue)
    if changed:
        DataQualityIssue.objects.bulk_update(changed, list(REFRESHED_FIELDS), batch_size=BATCH)
    return len(changed)


# --- Follow-up ------------------------------------------------------------------------


def may_follow_up(*, staff: StaffMember | None, issue: DataQualityIssue) -> bool:
    """Business support and the QA service of the issue's organisation follow it up."""
    return (
        staff is not None
        and staff.role in FOLLOW_UP_ROLES
        and staff.organisation_id == issue.organisation_id
    )


def _check_actor(issue: DataQualityIssue, by: StaffMember) -> None:
    if not may_follow_up(staff=by, issue=issue):
        raise IssueActionError(
            "Only business support or the QA service of this organisation can follow up "
            "data-quality issues"
        )


def _locked(issue: DataQualityIssue) -> DataQualityIssue:
    return DataQualityIssue.objects.select_for_update().get(pk=issue.pk)


def _when(moment: datetime.datetime) -> str:
    moment = timezone.localtime(moment)
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{moment.hour % 12 or 12}:{moment.minute:02d}{suffix} on {date_format(moment, 'j F Y')}"


CHANGE_PHRASES: dict[str, str] = {
    NoteKind.CHASE: "chased this issue",
    NoteKind.RESOLVED: "marked this issue resolved",
    NoteKind.WONT_FIX: "marked this issue won't fix",
    NoteKind.FIXED: "found the record put right and closed this issue",
    NoteKind.REOPENED: "reopened this issue",
}


def _conflict_message(issue: DataQualityIssue) -> str:
    last = (
        issue.notes.exclude(kind=NoteKind.NOTE)
        .select_related("author__user")
        .order_by("-created_at", "-pk")
        .first()
    )
    if last is None:
        return "This issue changed while you were working on it. Check its trail and try again"
    who = last.author.display_name if last.author else "The nightly data-quality check"
    return (
        f"{who} {CHANGE_PHRASES[last.kind]} at {_when(last.created_at)}, while you were "
        f"working on it. It is now {issue.get_status_display().lower()}. Your text has been "
        "kept: check the trail, then submit again if it still applies"
    )


def _locked_for_change(
    issue: DataQualityIssue, by: StaffMember, base_revision: int
) -> DataQualityIssue:
    _check_actor(issue, by)
    locked = _locked(issue)
    if locked.revision != base_revision:
        raise IssueConflict(_conflict_message(locked))
    if not locked.is_active:
        raise IssueActionError(
            f"This issue is {locked.get_status_display().lower()}, so it cannot be changed. "
            "Add a note instead"
        )
    return locked


def _note(issue: DataQualityIssue, by: StaffMember | None, kind: str, text: str) -> DataQualityNote:
    note = DataQualityNote(issue=issue, kind=kind, text=text.strip(), author=by)
    note.full_clean()
    note.save()
    return note


def _save_change(issue: DataQualityIssue, fields: list[str]) -> None:
    issue.revision += 1
    issue.full_clean(validate_unique=False, validate_constraints=False)
    issue.save(update_fields=[*fields, "revision"])


@transaction.atomic
def issue_note_add(*, issue: DataQualityIssue, by: StaffMember, text: str) -> DataQualityNote:
    """A note on the trail. Notes never conflict: two at once are both kept."""
    _check_actor(issue, by)
    if not text.strip():
        raise IssueActionError("Enter a note")
    return _note(_locked(issue), by, NoteKind.NOTE, text)


@dataclass(frozen=True)
class ChaseResult:
    issue: DataQualityIssue
    recipient: StaffMember
    sent: bool


def chase_recipient(issue: DataQualityIssue) -> StaffMember | None:
    """The case's allocated worker; for a case with none, its team's manager."""
    worker = issue.case.allocated_worker
    if worker is not None:
        return worker
    return (
        StaffMember.objects.filter(team_id=issue.case.team_id, role=StaffMember.Role.TEAM_MANAGER)
        .select_related("user")
        .order_by("pk")
        .first()
    )


def _chase_text(issue: DataQualityIssue, message: str) -> str:
    parts = [
        f"A record on your caseload needs correcting: {issue.rule.name.lower()}.",
        issue.rule.how_to_fix,
    ]
    if message:
        parts.append(f"Message from business support: {message}")
    return "\n\n".join(parts)


@transaction.atomic
def issue_chase(
    *,
    issue: DataQualityIssue,
    by: StaffMember,
    base_revision: int,
    message: str = "",
    day: datetime.date | None = None,
) -> ChaseResult:
    """Remind the allocated worker (or the team manager) to put the record right. One
    reminder per issue a day: a second chase the same day is noted but sends nothing."""
    day = day or timezone.localdate()
    locked = _locked_for_change(issue, by, base_revision)
    recipient = chase_recipient(locked)
    if recipient is None:
        raise IssueActionError(
            "There is nobody to chase: the case has no allocated worker and its team has no "
            "manager. Add a note instead"
        )
    key = f"data-quality:{locked.pk}:chase:{day.isoformat()}"
    already = Notification.objects.filter(recipient=recipient, key=key).exists()
    message = message.strip()
    notify(
        recipient=recipient,
        kind=Notification.Kind.REMINDER,
        subject=f"Data quality: {locked.rule.name}",
        url=locked.get_absolute_url(),
        key=key,
        body=_chase_text(locked, message),
    )
    sent = f"Reminder sent to {recipient.display_name}."
    if already:
        sent = (
            f"{recipient.display_name} was already reminded today, so no second message was sent."
        )
    _note(locked, by, NoteKind.CHASE, f"{sent}\n{message}" if message else sent)
    locked.status = Status.CHASED
    locked.last_chased_on = day
    if recipient.pk == locked.case.allocated_worker_id:
        locked.assigned_to = recipient
    _save_change(locked, ["status", "last_chased_on", "assigned_to"])
    return ChaseResult(issue=locked, recipient=recipient, sent=not already)


@transaction.atomic
def issue_resolve(
    *,
    issue: DataQualityIssue,
    by: StaffMember,
    base_revision: int,
    text: str = "",
    day: datetime.date | None = None,
) -> DataQualityIssue:
    """The record has been put right. If the nightly check still finds it wrong, the
    issue reopens."""
    locked = _locked_for_change(issue, by, base_revision)
    _note(locked, by, NoteKind.RESOLVED, text)
    locked.status = Status.RESOLVED
    locked.closed_on = day or timezone.localdate()
    locked.closed_by = by
    _save_change(locked, ["status", "closed_on", "closed_by"])
    return locked


@transaction.atomic
def issue_wont_fix(
    *,
    issue: DataQualityIssue,
    by: StaffMember,
    base_revision: int,
    reason: str,
    day: datetime.date | None = None,
) -> DataQualityIssue:
    """The record will stay as it is, for the reason given; the run leaves it closed."""
    reason = reason.strip()
    if not reason:
        raise IssueActionError("Enter why this will not be fixed")
    locked = _locked_for_change(issue, by, base_revision)
    _note(locked, by, NoteKind.WONT_FIX, reason)
    locked.status = Status.WONT_FIX
    locked.reason = reason
    locked.closed_on = day or timezone.localdate()
    locked.closed_by = by
    _save_change(locked, ["status", "reason", "closed_on", "closed_by"])
    return locked
