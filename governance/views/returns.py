"""The Performance Exceptions returns' pages: the list, a return (its frozen figures, the
team manager's narrative, the service manager's commentary), and the service manager's
month: their teams' returns side by side with their own summary. Figures only, never a
child's details (so no access log)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cases.permissions import require_perm, require_staff
from governance import returns
from governance.forms.returns import NarrativeForm, ReviewForm, SummaryForm
from governance.models import ExceptionsReturn
from governance.rules import may


def _month(value: str | None) -> datetime.date | None:
    """A "YYYY-MM" query value as the month's first day; None when absent or garbage."""
    if not value or len(value) != 7:
        return None
    try:
        return datetime.date.fromisoformat(f"{value}-01")
    except ValueError:
        return None


def _return(request: HttpRequest, return_pk: int) -> ExceptionsReturn:
    require_perm(request, "governance.view_returns")
    return get_object_or_404(returns.returns(user=request.user), pk=return_pk)


@require_http_methods(["GET"])
def return_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "governance.view_returns")
    require_staff(request)
    month = _month(request.GET.get("month"))
    status = request.GET.get("status", "")
    status = status if status in ExceptionsReturn.Status.values else ""
    rows = returns.return_list(user=request.user, month=month, status=status)
    page = Paginator(rows, returns.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/returns/list.html",
        {
            "page_obj": page,
            "months": returns.months_of(user=request.user),
            "month": month,
            "status": status,
            "statuses": ExceptionsReturn.Status.choices,
            "may_summarise": may(request.user, "governance.view_return_summary", None),
        },
    )


def _detail(
    request: HttpRequest,
    ret: ExceptionsReturn,
    *,
    status: int = 200,
    narrative_form: NarrativeForm | None = None,
    review_form: ReviewForm | None = None,
    conflict: str = "",
) -> HttpResponse:
    can_write = may(request.user, "governance.write_return", ret)
    can_review = may(request.user, "governance.review_return", ret)
    if can_write and narrative_form is None:
        narrative_form = NarrativeForm(
            initial={"revision": ret.revision, **{name: text for name, _, text in ret.narrative()}}
        )
    if can_review and review_form is None:
        review_form = ReviewForm(initial={"revision": ret.revision, "commentary": ret.commentary})
    return render(
        request,
        "governance/returns/detail.html",
        {
            "ret": ret,
            "snapshot": ret.snapshot,
            "can_write": can_write,
            "can_review": can_review,
            "narrative_form": narrative_form if can_write else None,
            "review_form": review_form if can_review else None,
            "conflict": conflict,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def return_detail(request: HttpRequest, return_pk: int) -> HttpResponse:
    ret = _return(request, return_pk)
    if request.method == "GET":
        return _detail(request, ret)
    staff = require_staff(request)
    if not may(request.user, "governance.write_return", ret):
        raise PermissionDenied
    submitting = "submit" in request.POST
    form = NarrativeForm(request.POST, submitting=submitting)
    if not form.is_valid():
        return _detail(request, ret, status=400, narrative_form=form)
    try:
        saved = returns.return_save(
            ret=ret,
            by=staff,
            data=form.cleaned_data,
            revision=form.cleaned_data["revision"],
            submit=submitting,
        )
    except returns.ReturnConflict as conflict:
        fresh = conflict.current
        assert isinstance(fresh, ExceptionsReturn)
        # Keep the editor's text, with the revision they now have to beat.
        data = request.POST.copy()
        data["revision"] = str(fresh.revision)
        form = NarrativeForm(data, submitting=submitting)
        form.is_valid()
        form.add_error(None, str(conflict))
        return _detail(request, fresh, status=409, narrative_form=form, conflict=str(conflict))
    except returns.ReturnError as error:
        form.add_error(None, str(error))
        return _detail(request, ret, status=400, narrative_form=form)
    if submitting:
        messages.success(request, "Your return is submitted to your service manager")
    else:
        messages.success(request, "Your return is saved: you can come back to it later")
    return redirect(saved)


@require_POST
def return_review(request: HttpRequest, return_pk: int) -> HttpResponse:
    ret = _return(request, return_pk)
    staff = require_staff(request)
    if not may(request.user, "governance.review_return", ret):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _detail(request, ret, status=400, review_form=form)
    try:
        saved = returns.return_review(
            ret=ret,
            by=staff,
            commentary=form.cleaned_data["commentary"],
            revision=form.cleaned_data["revision"],
        )
    except returns.ReturnError as error:
        form.add_error(None, str(error))
        return _detail(request, ret, status=409, review_form=form)
    messages.success(request, "Your commentary is saved and the return is marked reviewed")
    return redirect(saved)


@require_http_methods(["GET", "POST"])
def return_summary(request: HttpRequest) -> HttpResponse:
    require_perm(request, "governance.view_return_summary")
    staff = require_staff(request)
    services = returns.summary_services(user=request.user)
    month = _month(request.GET.get("month"))
    months = returns.months_of(user=request.user)
    if month is None:
        month = months[0] if months else None
    service_pk = request.GET.get("service", "")
    service = (
        services.filter(pk=int(service_pk)).first()
        if service_pk.isdigit() and len(service_pk) < 10
        else services.first()
    )
    if service is None and service_pk:
        raise Http404
    context: dict[str, Any] = {
        "services": services,
        "service": service,
        "months": months,
        "month": month,
        "rows": [],
        "summary": None,
        "form": None,
    }
    if service is not None and month is not None:
        summary = returns.service_summary(user=request.user, service=service, month=month)
        context["rows"] = returns.service_returns(user=request.user, service=service, month=month)
        context["summary"] = summary
        if may(request.user, "governance.write_service_summary", service_as_owner(service)):
            revision = summary.revision if summary is not None else 1
            initial = {"revision": revision, "commentary": summary.commentary if summary else ""}
            form = (
                SummaryForm(request.POST)
                if request.method == "POST"
                else SummaryForm(initial=initial)
            )
            context["form"] = form
            if request.method == "POST":
                if form.is_valid():
                    try:
                        returns.summary_save(
                            service=service,
                            month=month,
                            by=staff,
                            commentary=form.cleaned_data["commentary"],
                            revision=form.cleaned_data["revision"],
                        )
                    except returns.ReturnConflict as conflict:
                        form.add_error(None, str(conflict))
                        return render(
                            request, "governance/returns/summary.html", context, status=409
                        )
                    messages.success(request, "Your summary is saved")
                    url = reverse("governance:return_summary")
                    return redirect(f"{url}?service={service.pk}&month={month:%Y-%m}")
                return render(request, "governance/returns/summary.html", context, status=400)
    if request.method == "POST":
        raise PermissionDenied
    return render(request, "governance/returns/summary.html", context)


class _Owner:
    """What the summary rule reads: the service and its organisation."""

    def __init__(self, organisation_id: int, service_id: int) -> None:
        self.organisation_id = organisation_id
        self.service_id = service_id


def service_as_owner(service: Any) -> _Owner:
    return _Owner(service.organisation_id, service.pk)
