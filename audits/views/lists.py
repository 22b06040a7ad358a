"""Audit lists: everyone's own audits and actions, and the filtered list with its figures
and spreadsheet for QA and managers."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audits import selectors
from audits.export import CONTENT_TYPE, audits_workbook, export_filename
from audits.figures import audit_figures, given_grade
from audits.filters import AuditFilter
from audits.models import GRADE_COLOURS, Audit
from cases.access import access_note
from cases.listing import NOT_FILTERS, filter_form_helper, selected_filters, stable_order
from cases.models import AccessLog
from cases.permissions import require_perm
from core import prepared

PAGE_SIZE = 25
# "Finished audits" grows for ever; the page shows the newest.
FINISHED_SHOWN = 25

# Query parameters that shape the page, not the set of audits.


def _filterset(request: HttpRequest) -> AuditFilter:
    filterset = AuditFilter(
        request.GET or None,
        queryset=selectors.audit_list(user=request.user),
        user=request.user,
    )
    return filter_form_helper(filterset)


def _shaped(audits: list[Audit], today: datetime.date) -> list[Audit]:
    """Give each audit what its table row shows: tags and the grade once it counts."""
    for audit in audits:
        audit.grade_label = given_grade(audit)
        audit.grade_colour = GRADE_COLOURS.get(audit.grade_label, "")
        audit.is_overdue = audit.is_editable and audit.due_on < today
    return audits


def _export_query(request: HttpRequest) -> str:
    params = request.GET.copy()
    for key in NOT_FILTERS:
        params.pop(key, None)
    return params.urlencode()


@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "audits.view_audit_list")
    filterset = _filterset(request)
    if set(request.GET) <= {"page"}:
        # The list as it opens, the commonest view: its count, page and figures are
        # compiled once for the reader (`core.prepared`).
        listed: Any = prepared.Listing(selectors.audits_listed, request.user)
        figures = selectors.listed_figures(user=request.user)
    else:
        audits = filterset.valid_qs()
        listed = selectors.listed_rows(stable_order(audits))
        figures = audit_figures(audits)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _shaped(list(page.object_list), timezone.localdate())
    access_note(request, cases=[audit.case for audit in page.object_list if audit.case])
    context = {
        "filter": filterset,
        "page_obj": page,
        "current_sort": filterset.current_sort,
        "selected_filters": selected_filters(filterset),
        "figures": figures,
        "export_query": _export_query(request),
    }
    if request.htmx:
        return render(request, "audits/partials/list_results_swap.html", context)
    return render(request, "audits/lists/audit_list.html", context)


@require_GET
def audit_export(request: HttpRequest) -> HttpResponse:
    require_perm(request, "audits.view_audit_list")
    audits = stable_order(_filterset(request).valid_qs())
    response = HttpResponse(audits_workbook(audits), content_type=CONTENT_TYPE)
    # One entry listing every child and adopter in the file, read in one query.
    access_note(
        request,
        cases=selectors.audited_cases(audits=audits),
        action=AccessLog.Action.DOWNLOADED,
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename()}"'
    return response


@require_GET
def my_audits(request: HttpRequest) -> HttpResponse:
    """What the signed-in person has to do, or has done, in audits; any signed-in person
    may open it, and sees only the audits that name them."""
    today = timezone.localdate()
    mine = selectors.my_audits(user=request.user)

    def rows(name: str, limit: int | None = None) -> list[Audit]:
        audits = mine.get(name)
        if audits is None:
            return []
        return _shaped(list(audits[:limit] if limit else audits), today)

    finished = rows("finished", limit=FINISHED_SHOWN + 1)
    context = {
        "to_complete": rows("to_complete"),
        "to_reflect": rows("to_reflect"),
        "to_oversee": rows("to_oversee"),
        "to_acknowledge": rows("to_acknowledge"),
        "finished": finished[:FINISHED_SHOWN],
        "more_finished": len(finished) > FINISHED_SHOWN,
        "finished_shown": FINISHED_SHOWN,
        "actions": list(selectors.my_actions(user=request.user)),
        "can_start": request.user.has_perm("audits.start_audit"),
    }
    tables = ("to_complete", "to_reflect", "to_oversee", "to_acknowledge", "finished")
    cases = [audit.case for name in tables for audit in context[name] if audit.case]
    access_note(request, cases=cases + [a.audit.case for a in context["actions"] if a.audit.case])
    return render(request, "audits/lists/my_audits.html", context)
