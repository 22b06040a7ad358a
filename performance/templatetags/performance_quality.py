"""Display helpers for a data-quality issue's page: `{% load performance_quality %}`.

- `{% issue_summary issue %}`: the issue as a GOV.UK summary list: its record (a link,
  with the case's service and team), what is wrong, the rule, the event, the allocated
  worker, the status tag and its dates.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.html import format_html

from core.templatetags.govuk import summary_list
from performance.models import DataQualityIssue
from performance.quality_rules import NIGHTLY_CHECK

register = template.Library()


@register.inclusion_tag("components/summary_list.html")
def issue_summary(issue: DataQualityIssue) -> dict[str, Any]:
    return summary_list(_issue_rows(issue))


def _subject_link(issue: DataQualityIssue) -> Any:
    subject = issue.case.subject
    kind = "Child" if issue.case.child_id else "Adopter household"
    return format_html(
        '<a class="govuk-link" href="{}">{}</a><span class="app-secondary-text">{} record, '
        "{} case, {}</span>",
        subject.get_absolute_url(),
        str(subject),
        kind,
        issue.case.service.name,
        issue.case.team.name,
    )


def _event_value(issue: DataQualityIssue) -> Any:
    event = issue.event
    if event is None:
        return None
    return format_html(
        '<a class="govuk-link" href="{}">{}</a><span class="app-secondary-text">Happened on {}, '
        "recorded on {}</span>",
        f"{issue.case.subject.get_absolute_url()}#event-{event.pk}",
        event.get_kind_display(),
        date_format(event.occurred_on, "j F Y"),
        date_format(event.recorded_on, "j F Y"),
    )


def _status_tag(issue: DataQualityIssue) -> Any:
    return render_to_string(
        "components/tag.html",
        {"text": issue.get_status_display(), "colour": issue.status_colour, "classes": ""},
    )


def _issue_rows(issue: DataQualityIssue) -> list[tuple[str, Any]]:
    worker = issue.case.allocated_worker
    rows: list[tuple[str, Any]] = [
        ("Record", _subject_link(issue)),
        ("What is wrong", issue.detail),
        ("Rule", issue.rule.name),
    ]
    if issue.event_id:
        rows.append(("Event", _event_value(issue)))
    rows += [
        ("Allocated worker", worker.display_name if worker else "No allocated worker"),
        ("Status", _status_tag(issue)),
        ("Raised on", date_format(issue.raised_on, "j F Y")),
    ]
    if issue.last_chased_on:
        rows.append(("Last chased", date_format(issue.last_chased_on, "j F Y")))
    if issue.closed_on:
        by = issue.closed_by.display_name if issue.closed_by else NIGHTLY_CHECK
        rows.append(("Closed", f"{date_format(issue.closed_on, 'j F Y')} by {by}"))
    if issue.reason:
        rows.append(("Why it will not be fixed", issue.reason))
    return rows
