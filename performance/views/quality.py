"""Data quality: the dashboard (open issues by team and rule, the trend, and the filtered
issue list, oldest first) and an issue's page with its follow-up trail and forms.

Anyone who may read data quality sees the issues on the cases they may see; business
support and the QA service of the issue's organisation follow them up, always through
performance/services/quality.py. An issue outside the person's scope is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_POST

from cases.access import access_note
from cases.listing import filter_form_helper, selected_filters, stable_order
from cases.permissions import require_perm
from cases.querysets import staff_of
from core import prepared
from core.components import Link, Tag
from performance import selectors_quality as selectors
from performance.forms_quality import FORMS, FollowUpForm, IssueFilter
from performance.models import DataQualityIssue
from performance.services import quality as services

VIEW = "performance.view_data_quality"
FOLLOW_UP = "performance.follow_up_data_quality"
PAGE_SIZE = 25
DASHBOARD_TEMPLATE = "performance/quality/dashboard.html"
ISSUE_TEMPLATE = "performance/quality/issue.html"
NIGHTLY_CHECK = "Nightly data-quality check"
# The forms for an issue still waiting for someone; a closed issue takes notes only.
ACTIVE_ACTIONS = ("note", "chase", "resolve", "wont_fix")


# The dashboard.


@require_GET
def quality_dashboard(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW)
    today = timezone.localdate()
    filterset = filter_form_helper(
        IssueFilter(
            request.GET or None,
            queryset=selectors.issue_list(user=request.user),
            user=request.user,
        )
    )
    counts = selectors.open_counts(user=request.user)
    listed: Any = (
        # The list as it opens, the commonest view: its page compiled once for the reader
        # (`core.prepared`), and its count the figures' (the same open and chased issues).
        prepared.Listing(selectors.issues_listed, request.user, count=counts.total)
        if set(request.GET) <= {"page"}
        else selectors.listed_rows(stable_order(filterset.valid_qs()))
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    access_note(request, cases=[issue.case for issue in page.object_list])
    trend = selectors.open_trend(user=request.user, today=today)
    context = {
        "filter": filterset,
        "page_obj": page,
        "current_sort": filterset.current_sort,
        "selected_filters": selected_filters(filterset),
        "by_team": counts.by_team,
        "by_rule": counts.by_rule,
        "open_total": counts.total,
        "trend": trend,
        "trend_rows": [(m.label, m.count, f"{m.count:,}") for m in trend],
    }
    return render(request, DASHBOARD_TEMPLATE, context)


# One issue.


def _subject_link(issue: DataQualityIssue) -> Link:
    subject = issue.case.subject
    kind = "Child" if issue.case.child_id else "Adopter household"
    return Link(
        str(subject),
        subject.get_absolute_url(),
        f"{kind} record, {issue.case.service.name} case, {issue.case.team.name}",
    )


def _event_value(issue: DataQualityIssue) -> Link | None:
    event = issue.event
    if event is None:
        return None
    return Link(
        event.get_kind_display(),
        f"{issue.case.subject.get_absolute_url()}#event-{event.pk}",
        f"Happened on {date_format(event.occurred_on, 'j F Y')}, "
        f"recorded on {date_format(event.recorded_on, 'j F Y')}",
    )


def _status_tag(issue: DataQualityIssue) -> Tag:
    return Tag(issue.get_status_display(), issue.status_colour)


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


def _timeline(issue: DataQualityIssue) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = [
        {
            "id": f"raised-{issue.pk}",
            "title": "Issue raised",
            "byline": NIGHTLY_CHECK,
            "date": issue.raised_on,
            "description": issue.detail,
        }
    ]
    for note in selectors.issue_notes(issue=issue):
        items.append(
            {
                "id": f"note-{note.pk}",
                "title": note.get_kind_display(),
                "byline": note.author.display_name if note.author else NIGHTLY_CHECK,
                "date": note.created_at,
                "description": note.text,
            }
        )
    return items


def _action_url(issue: DataQualityIssue, action: str) -> str:
    name = {
        "note": "quality_issue_note",
        "chase": "quality_issue_chase",
        "resolve": "quality_issue_resolve",
        "wont_fix": "quality_issue_wont_fix",
    }[action]
    return reverse(f"performance:{name}", kwargs={"issue_pk": issue.pk})


def _may_follow_up(request: HttpRequest, issue: DataQualityIssue) -> bool:
    return request.user.has_perm(FOLLOW_UP) and services.may_follow_up(
        staff=staff_of(request.user), issue=issue
    )


def _forms(
    issue: DataQualityIssue, posted: FollowUpForm | None, carried_text: str
) -> dict[str, FollowUpForm]:
    actions = ACTIVE_ACTIONS if issue.is_active else ("note",)
    forms = {}
    for action in actions:
        if posted is not None and posted.action == action:
            forms[action] = posted
            continue
        initial = {"text": carried_text} if action == "note" and carried_text else {}
        forms[action] = FORMS[action](
            url=_action_url(issue, action), revision=issue.revision, initial=initial
        )
    return forms


def _errors(posted: FollowUpForm | None, forms: dict[str, FollowUpForm]) -> list:
    """The error summary's (link, message) pairs; a refused form no longer on the page
    (the issue closed meanwhile) points at the note box, which holds the person's text."""
    if posted is None or not posted.errors:
        return []
    target = posted if posted.action in forms else forms["note"]
    href = f"#{target['text'].id_for_label}"
    return [(href, message) for messages_ in posted.errors.values() for message in messages_]


def _issue_context(
    request: HttpRequest, issue: DataQualityIssue, posted: FollowUpForm | None = None
) -> dict[str, Any]:
    # The issue's page, and the same page shown again with a follow-up form's errors.
    access_note(request, cases=[issue.case])
    can_follow_up = _may_follow_up(request, issue)
    carried = posted.data.get(posted.add_prefix("text"), "") if posted is not None else ""
    forms = _forms(issue, posted, carried) if can_follow_up else {}
    recipient = services.chase_recipient(issue) if "chase" in forms else None
    if recipient is None:
        # Nobody to chase: the page says so instead of showing the form.
        forms.pop("chase", None)
    return {
        "issue": issue,
        "rule": issue.rule,
        "rows": _issue_rows(issue),
        "timeline": _timeline(issue),
        "can_follow_up": can_follow_up,
        "forms": forms,
        "posted": posted,
        "errors": _errors(posted, forms),
        "chase_recipient": recipient,
    }


@require_GET
def quality_issue(request: HttpRequest, issue_pk: int) -> HttpResponse:
    require_perm(request, VIEW)
    issue = get_object_or_404(selectors.issue_records(user=request.user), pk=issue_pk)
    return render(request, ISSUE_TEMPLATE, _issue_context(request, issue))


# Follow-up: each form posts to its own address and comes back to the issue's page.


def _apply(action: str, form: FollowUpForm, issue: DataQualityIssue, staff: Any) -> str:
    """Call the service for the form; return the message for the page."""
    common = {"issue": issue, "by": staff}
    if action == "note":
        services.issue_note_add(**common, text=form.entered)
        return "Note added"
    changing = {**common, "base_revision": form.base_revision}
    if action == "chase":
        result = services.issue_chase(**changing, message=form.entered)
        name = result.recipient.display_name
        if result.sent:
            return f"Reminder sent to {name}"
        return f"{name} was already reminded today, so no second reminder was sent"
    if action == "resolve":
        services.issue_resolve(**changing, text=form.entered)
        return "Issue marked resolved"
    services.issue_wont_fix(**changing, reason=form.entered)
    return "Issue marked won't fix"


def _follow_up(request: HttpRequest, issue_pk: int, action: str) -> HttpResponse:
    require_perm(request, FOLLOW_UP)
    issue = get_object_or_404(selectors.issue_records(user=request.user), pk=issue_pk)
    staff = staff_of(request.user)
    if not services.may_follow_up(staff=staff, issue=issue):
        raise PermissionDenied
    form = FORMS[action](request.POST, url=_action_url(issue, action), revision=issue.revision)
    status = 400
    if form.is_valid():
        try:
            done = _apply(action, form, issue, staff)
        except services.IssueConflict as error:
            form.add_error(None, str(error))
            status = 409
        except services.IssueActionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect(issue.get_absolute_url())
    issue = get_object_or_404(selectors.issue_records(user=request.user), pk=issue_pk)
    if status == 409:
        form.with_revision(issue.revision)
    return render(request, ISSUE_TEMPLATE, _issue_context(request, issue, form), status=status)


@require_POST
def quality_issue_note(request: HttpRequest, issue_pk: int) -> HttpResponse:
    return _follow_up(request, issue_pk, "note")


@require_POST
def quality_issue_chase(request: HttpRequest, issue_pk: int) -> HttpResponse:
    return _follow_up(request, issue_pk, "chase")


@require_POST
def quality_issue_resolve(request: HttpRequest, issue_pk: int) -> HttpResponse:
    return _follow_up(request, issue_pk, "resolve")


@require_POST
def quality_issue_wont_fix(request: HttpRequest, issue_pk: int) -> HttpResponse:
    return _follow_up(request, issue_pk, "wont_fix")
