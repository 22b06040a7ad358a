"""Who changed what on an audit, from django-simple-history's records.

Consecutive versions of each row are compared in Python (three queries in all), rather
than with simple-history's prev_record, which costs a query per change.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.utils.formats import date_format

from audits.models import Audit, AuditAction, Grade, ToolQuestion
from cases.models import StaffMember

AUDIT_FIELDS = {
    "status": "Status",
    "overall_grade": "Overall grade",
    "grade_rationale": "Why this grade",
    "strengths": "Strengths",
    "improvements": "Areas for improvement",
    "moderated_grade": "Moderator's grade",
    "moderation_feedback": "Feedback to the auditor",
    "oversight_agrees": "Manager agrees with the grade",
    "oversight_grade": "Grade the manager would give",
    "oversight": "Management oversight",
    "acknowledgement": "Practitioner's acknowledgement",
    "due_on": "Due date",
    "auditor_id": "Auditor",
    "line_manager_id": "Management oversight by",
}
ACTION_FIELDS = {
    "description": "What needs to be done",
    "owner_id": "Who",
    "due_on": "By when",
    "status": "Status",
    "done_note": "Note",
}
MAX_CHANGES = 500
STAFF_FIELDS = ("auditor_id", "line_manager_id", "owner_id")
GRADES = dict(Grade.choices)
# How each field's stored value reads: its label, not its code.
LABELS: dict[str, dict[Any, str]] = {
    "overall_grade": GRADES,
    "moderated_grade": GRADES,
    "oversight_grade": GRADES,
    "oversight_agrees": {True: "Yes", False: "No"},
}


@dataclass(frozen=True)
class Change:
    when: datetime.datetime
    who: str
    what: str
    field: str
    old: str
    new: str


def _who(record: Any) -> str:
    user = record.history_user
    if user is None and getattr(record, "family_link_id", None):
        return "The family, through a one-use link"
    return (user.get_full_name() or user.get_username()) if user else "The system"


def _shown(value: Any, labels: dict[Any, str] | None) -> str:
    """A stored value as the pages show it: a label for a code, a name for a person's id,
    a date in words."""
    if value is None:
        return ""
    if labels is not None:
        return str(labels.get(value, value))
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    return str(value)


def _diffs(
    records: list[Any],
    fields: dict[str, str],
    what: Any,
    labels: dict[str, dict[Any, str]] | None = None,
) -> list[Change]:
    """`labels` maps a field to {stored value: label}; a callable per record for answers,
    whose labels depend on the question."""
    labels = labels or {}
    changes = []
    key = lambda r: r.id  # noqa: E731 - the row the versions belong to
    for _, versions in groupby(sorted(records, key=lambda r: (r.id, r.history_date)), key=key):
        previous = None
        for record in versions:
            for name, label in fields.items():
                new = getattr(record, name)
                old = getattr(previous, name) if previous else None
                if previous is None and new in ("", None):
                    continue
                if previous is None or old != new:
                    shown = labels.get(name)
                    if callable(shown):
                        shown = shown(record)
                    changes.append(
                        Change(
                            record.history_date,
                            _who(record),
                            what(record),
                            label,
                            _shown(old, shown),
                            _shown(new, shown),
                        )
                    )
            previous = record
    return changes


def audit_changes(*, audit: Audit) -> list[Change]:
    """Every change to the audit, its answers and its actions, newest first, with labels
    ("In progress", "Good", a person's name) rather than the codes stored."""
    questions = {q.pk: q for q in ToolQuestion.objects.filter(section__tool_id=audit.tool_id)}
    audit_rows = list(audit.history.select_related("history_user"))
    answer_rows = list(
        audit.answers.model.history.filter(audit_id=audit.pk).select_related("history_user")
    )
    action_rows = list(
        audit.actions.model.history.filter(audit_id=audit.pk).select_related("history_user")
    )
    people = _names(audit_rows + action_rows)
    audit_labels = {**LABELS, "status": dict(Audit.Status.choices)}
    action_labels = {"status": dict(AuditAction.Status.choices)}
    for name in STAFF_FIELDS:
        audit_labels[name] = action_labels[name] = people

    def question_text(record: Any) -> str:
        question = questions.get(record.question_id)
        return question.text if question else "a removed question"

    def answer_labels(record: Any) -> dict[Any, str] | None:
        question = questions.get(record.question_id)
        return dict(question.options) if question and question.options else None

    changes = (
        _diffs(audit_rows, AUDIT_FIELDS, lambda r: "Audit", audit_labels)
        + _diffs(
            answer_rows,
            {"value": "Answer"},
            lambda r: f"Answer to “{question_text(r)}”",
            {"value": answer_labels},
        )
        + _diffs(
            action_rows, ACTION_FIELDS, lambda r: f"Action: {r.description[:60]}", action_labels
        )
    )
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:MAX_CHANGES]


def _names(records: list[Any]) -> dict[Any, str]:
    """{staff id: name} for every person the records name, in one query."""
    ids = {getattr(r, name, None) for r in records for name in STAFF_FIELDS} - {None}
    people = StaffMember.objects.filter(pk__in=ids).select_related("user")
    return {person.pk: person.display_name for person in people}
