"""Who changed what on an audit, from django-simple-history's records.

Consecutive versions of each row are compared in Python (three queries in all), rather
than with simple-history's prev_record, which costs a query per change.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from audits.models import Audit, ToolQuestion

AUDIT_FIELDS = {
    "status": "Status",
    "overall_grade": "Overall grade",
    "grade_rationale": "Why this grade",
    "strengths": "Strengths",
    "improvements": "Areas for improvement",
    "oversight": "Management oversight",
    "acknowledgement": "Practitioner's acknowledgement",
    "due_on": "Due date",
    "auditor_id": "Auditor",
}
ACTION_FIELDS = {
    "description": "What needs to be done",
    "owner_id": "Who",
    "due_on": "By when",
    "status": "Status",
    "done_note": "Note",
}
MAX_CHANGES = 500


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
    return (user.get_full_name() or user.get_username()) if user else "The system"


def _diffs(records: list[Any], fields: dict[str, str], what: Any) -> list[Change]:
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
                    changes.append(
                        Change(
                            record.history_date,
                            _who(record),
                            what(record),
                            label,
                            "" if old is None else str(old),
                            "" if new is None else str(new),
                        )
                    )
            previous = record
    return changes


def audit_changes(*, audit: Audit) -> list[Change]:
    """Every change to the audit, its answers and its actions, newest first."""
    questions = {q.pk: q.text for q in ToolQuestion.objects.filter(section__tool_id=audit.tool_id)}
    audit_rows = list(audit.history.select_related("history_user"))
    answer_rows = list(
        audit.answers.model.history.filter(audit_id=audit.pk).select_related("history_user")
    )
    action_rows = list(
        audit.actions.model.history.filter(audit_id=audit.pk).select_related("history_user")
    )
    changes = (
        _diffs(audit_rows, AUDIT_FIELDS, lambda r: "Audit")
        + _diffs(
            answer_rows,
            {"value": "Answer"},
            lambda r: f"Answer to “{questions.get(r.question_id, 'a removed question')}”",
        )
        + _diffs(action_rows, ACTION_FIELDS, lambda r: f"Action: {r.description[:60]}")
    )
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:MAX_CHANGES]
