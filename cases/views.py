"""Case pages: the home page ("my work"), the case list, a child's or adopter's record,
the access log, and the public pages a one-use family link opens."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cases import links, selectors
from cases import notifications as notification_services
from cases.access import access_note
from cases.filters import AccessLogFilter, CaseFilter
from cases.listing import filter_form_helper, selected_filters, stable_order
from cases.models import AccessLog, Adopter, Child, FamilyLink
from cases.panels import home_cards, open_actions, record_panels
from cases.permissions import require_perm
from cases.querysets import staff_of
from core import prepared, registry

PAGE_SIZE = 25


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """My work: what is assigned to the signed-in person and what is due, with the cards
    other apps register (their own work for this person)."""
    today = timezone.localdate()
    work = selectors.my_work(user=request.user, today=today)
    cards, card_cases = home_cards(request, staff_of(request.user), today)
    access_note(request, cases=[*work.get("cases", []), *work.get("visits_due", []), *card_cases])
    return render(request, "home.html", {"work": work, "cards": cards, "today": today})


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "cases.view_case_records")
    filterset = CaseFilter(
        request.GET or None, queryset=selectors.case_list(user=request.user), user=request.user
    )
    filter_form_helper(filterset)
    cases: Any = (
        # The list as it opens, the commonest view: its count and page compiled once
        # for the reader (`core.prepared`).
        prepared.Listing(selectors.cases_listed, request.user)
        if set(request.GET) <= {"page"}
        else stable_order(filterset.valid_qs())
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    # Every page of the list shows names and IDs, so every page is logged, not only a
    # search: a list filtered by team or worker and paged through shows as much as one
    # searched by a child's ID. The search says which it was.
    access_note(
        request,
        cases=page.object_list,
        action=AccessLog.Action.SEARCHED if filterset.searched else AccessLog.Action.VIEWED,
    )
    context = {
        "filter": filterset,
        "page_obj": page,
        "current_sort": filterset.current_sort,
        "selected_filters": selected_filters(filterset),
    }
    template = "cases/partials/case_results_swap.html" if request.htmx else "cases/case_list.html"
    return render(request, template, context)


def _record_page(request: HttpRequest, subject: Child | Adopter, template: str) -> HttpResponse:
    access_note(request, subjects=[subject])
    timeline, views, _ = selectors.timeline_view(
        timeline=selectors.subject_timeline(subject=subject),
        view=request.GET.get("events", "all"),
    )
    for view in views:
        view["url"] = f"?events={view['key']}#journey"
    cases = list(selectors.subject_cases(subject=subject))
    context = {
        "subject": subject,
        "cases": cases,
        "panels": record_panels(request, subject, cases),
        "timeline": timeline,
        "timeline_views": views,
        "can_read_access_log": request.user.has_perm("cases.view_accesslog"),
    }
    return render(request, template, context)


@require_GET
def child_detail(request: HttpRequest, child_pk: int) -> HttpResponse:
    child = get_object_or_404(selectors.child_records(user=request.user), pk=child_pk)
    return _record_page(request, child, "cases/child_detail.html")


@require_GET
def adopter_detail(request: HttpRequest, adopter_pk: int) -> HttpResponse:
    adopter = get_object_or_404(selectors.adopter_records(user=request.user), pk=adopter_pk)
    return _record_page(request, adopter, "cases/adopter_detail.html")


@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    require_perm(request, "cases.view_accesslog")
    filterset = AccessLogFilter(
        request.GET or None,
        queryset=selectors.access_log_list(user=request.user),
        user=request.user,
    )
    filter_form_helper(filterset)
    page = Paginator(filterset.valid_qs(), 50).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.names = [*entry.children_shown, *entry.adopters_shown]
        entry.more = entry.child_count + entry.adopter_count - len(entry.names)
    return render(request, "cases/access_log.html", {"filter": filterset, "page_obj": page})


@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    """The signed-in person's notifications, newest first. Opening the page does not mark
    them read; "Mark all as read" (a POST here) does."""
    if request.method == "POST":
        up_to = request.POST.get("up_to", "")
        marked = notification_services.notifications_mark_read(
            user=request.user, up_to_pk=int(up_to) if up_to.isdigit() else None
        )
        if marked:
            messages.success(request, "Your notifications are marked as read")
        return redirect("cases:notifications")
    page = Paginator(notification_services.notifications_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # "Mark all as read" marks what the person was shown, not one that arrived since.
    newest = max((n.pk for n in page.object_list), default=None) if page.number == 1 else None
    return render(request, "cases/notifications.html", {"page_obj": page, "newest_pk": newest})


@require_GET
def my_actions(request: HttpRequest) -> HttpResponse:
    """The signed-in person's open actions from every app, together, soonest due first;
    any signed-in person may open it and sees only the actions they own."""
    today = timezone.localdate()
    items = open_actions(request)
    access_note(request, cases=[case for item in items for case in item.cases])
    return render(request, "cases/my_actions.html", {"items": items, "today": today})


# One-use family links: the pages a child, parent or adopter opens without an account.
# They show nothing of the record, and a link that does not open (used, expired,
# withdrawn, guessed) gets one plain answer that says nothing more.


def _link_not_valid(request: HttpRequest, status: int = 404) -> HttpResponse:
    return render(request, "cases/public/link_not_valid.html", status=status)


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@login_not_required
@require_http_methods(["GET", "POST"])
def family_link(request: HttpRequest, token: str) -> HttpResponse:
    address = _client_address(request)
    if request.method == "POST":
        if not links.allow_request(address):
            return _link_not_valid(request, status=429)
        answer = links.family_link_answer(token=token, data=request.POST)
        if answer.link is None:
            links.allow_request(address, invalid=True)
            return _link_not_valid(request)
        if answer.saved:
            return redirect("family_link_thanks")
        link, form = answer.link, answer.form
    else:
        opened = links.family_link_open(token)
        if not links.allow_request(address, invalid=opened is None):
            return _link_not_valid(request, status=429)
        if opened is None:
            return _link_not_valid(request)
        link, form = opened, links.family_link_form(opened)
    purpose = registry.link_purpose(link.purpose)
    assert purpose is not None
    context = {
        "form": form,
        "title": purpose.title(link),
        "audience": link.audience,
        "child_friendly": link.audience == FamilyLink.Audience.CHILD,
        "organisation_name": link.organisation.name,
    }
    return render(request, purpose.template, context)


@login_not_required
@require_GET
def family_link_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/public/thanks.html")
