"""An upper level's month in the Performance and Outcomes cascade (heads of service,
senior management team, chief executive): the summaries of the levels below, every
service's summary with its teams' returns side by side, and the level's own summary
(autosaved) with the actions raised on it. Figures and managers' words only, never a
child's details (so no access log)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cases.permissions import require_perm, require_staff
from governance import cascade, returns
from governance.cascade_levels import SLUGS, Level
from governance.forms.returns import ReturnActionForm, SummaryForm
from governance.models import CascadeSummary
from governance.rules import may
from governance.views.returns import (
    _month,
    action_raise_page,
    action_rows,
    autosave_status,
    cascade_links,
    is_htmx,
    signed_out,
)

TEMPLATE = "governance/returns/cascade.html"


@require_http_methods(["GET", "POST"])
def return_cascade(request: HttpRequest, cascade_level: str) -> HttpResponse:
    if (refused := signed_out(request)) is not None:
        return refused
    require_perm(request, "governance.view_returns")
    staff = require_staff(request)
    level = SLUGS.get(cascade_level)
    if level is None:
        raise Http404
    if not may(request.user, "governance.view_cascade", int(level)):
        raise PermissionDenied
    months = returns.months_of(user=request.user)
    month = _month(request.GET.get("month")) or (months[0] if months else None)
    context: dict[str, Any] = {
        "level": level,
        "level_label": Level(level).label,
        "months": months,
        "month": month,
        "page": None,
        "form": None,
        "action_form": None,
        "cascade_links": cascade_links(request),
    }
    if month is None:
        if request.method == "POST":
            raise PermissionDenied
        return render(request, TEMPLATE, context)
    page = cascade.cascade_month(user=request.user, level=level, month=month)
    stub = page.summary or CascadeSummary(
        organisation_id=staff.organisation_id,
        month=month,
        level=level,
        meeting_on=page.meeting_on,
    )
    _fill(request, context, page, stub)
    if request.method == "GET":
        return render(request, TEMPLATE, context)
    if not may(request.user, "governance.write_cascade_summary", int(level)):
        raise PermissionDenied
    if "raise_action" in request.POST:
        return _raise(request, context, stub)
    return _save(request, context, stub)


def _fill(request: HttpRequest, context: dict[str, Any], page: Any, stub: CascadeSummary) -> None:
    context["page"] = page
    context["summary"] = page.summary
    context["storage_key"] = f"qaportal:cascade:{page.level}:{page.month:%Y-%m}"
    mine = page.actions.get(("upper", page.summary.pk), []) if page.summary else []
    context["actions"] = action_rows(request, mine)
    for block in page.services:
        block.actions = page.actions.get(("service", block.summary.pk), []) if block.summary else []
        for ret in block.returns:
            ret.raised = page.actions.get(("return", ret.pk), [])
    if may(request.user, "governance.write_cascade_summary", int(page.level)):
        summary = page.summary
        context["form"] = SummaryForm(
            initial={
                "revision": summary.revision if summary else 1,
                "commentary": summary.commentary if summary else "",
            },
            label=f"The {Level(page.level).label.lower()} summary",
        )
        context["action_form"] = ReturnActionForm(owners=cascade.owner_choices(stub))


def _url(stub: CascadeSummary) -> str:
    return stub.get_absolute_url()


def _save(request: HttpRequest, context: dict[str, Any], stub: CascadeSummary) -> HttpResponse:
    label = f"The {Level(stub.level).label.lower()} summary"
    form = context["form"] = SummaryForm(request.POST, label=label)
    if not form.is_valid():
        if is_htmx(request):
            return autosave_status(request, state="invalid", form=form)
        return render(request, TEMPLATE, context, status=400)
    try:
        saved = cascade.summary_save(
            organisation_id=stub.organisation_id,
            month=stub.month,
            level=stub.level,
            by=require_staff(request),
            commentary=form.cleaned_data["commentary"],
            revision=form.cleaned_data["revision"],
        )
    except returns.ReturnConflict as conflict:
        if is_htmx(request):
            return autosave_status(request, state="conflict")
        data = request.POST.copy()
        data["revision"] = str(conflict.current.revision)
        form = context["form"] = SummaryForm(data, label=label)
        form.is_valid()
        form.add_error(None, str(conflict))
        return render(request, TEMPLATE, context, status=409)
    if is_htmx(request):
        return autosave_status(request, state="saved", revision=saved.revision)
    messages.success(request, "Your summary is saved")
    return redirect(_url(stub))


def _raise(request: HttpRequest, context: dict[str, Any], stub: CascadeSummary) -> HttpResponse:
    return action_raise_page(request, context, stub, _url(stub), TEMPLATE)
