"""The Performance Exceptions returns' pages: the list (with, for QA and senior leaders,
how far the month's cascade has got), a return (its frozen figures, the team manager's
narrative, autosaved, the actions raised on it, the service manager's commentary), and
the service manager's month: their teams' returns side by side with their own summary
(autosaved) and its actions. Figures only, never a child's details (so no access log).
The levels above the service are in views/cascade.py."""

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
from core.autosave_views import autosave_answer, signed_out_answer
from governance import cascade, returns
from governance.forms.returns import NarrativeForm, ReturnActionForm, ReviewForm, SummaryForm
from governance.models import ExceptionsReturn, ServiceSummary
from governance.rules import may

AUTOSAVE_TEMPLATE = "governance/returns/partials/autosave_status.html"


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


# Autosave: the narrative and each level's commentary save as the writer types.


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request (django-htmx's middleware sets `request.htmx`): an autosave."""
    return bool(getattr(request, "htmx", False))


def autosave_status(request: HttpRequest, *, state: str, **context: Any) -> HttpResponse:
    """The autosave answer: a status line, and the new revision out of band."""
    return autosave_answer(request, AUTOSAVE_TEMPLATE, state=state, **context)


def signed_out(request: HttpRequest) -> HttpResponse | None:
    """Autosave after the session has ended: say so (the text stays in the browser)."""
    return signed_out_answer(request, AUTOSAVE_TEMPLATE)


@require_http_methods(["GET"])
def return_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "governance.view_returns")
    staff = require_staff(request)
    month = _month(request.GET.get("month"))
    status = request.GET.get("status", "")
    status = status if status in ExceptionsReturn.Status.values else ""
    rows = returns.return_list(user=request.user, month=month, status=status)
    page = Paginator(rows, returns.PAGE_SIZE).get_page(request.GET.get("page"))
    months = returns.months_of(user=request.user)
    counted = month or (months[0] if months else None)
    level_counts = (
        cascade.level_counts(organisation_id=staff.organisation_id, month=counted)
        if counted is not None and may(request.user, "governance.view_cascade", 3)
        else []
    )
    return render(
        request,
        "governance/returns/list.html",
        {
            "page_obj": page,
            "months": months,
            "month": month,
            "status": status,
            "statuses": ExceptionsReturn.Status.choices,
            "may_summarise": may(request.user, "governance.view_return_summary", None),
            "counted_month": counted,
            "level_counts": level_counts,
            "cascade_links": cascade_links(request),
        },
    )


def cascade_links(request: HttpRequest) -> list[tuple[str, str]]:
    """(label, url) of each upper level's page the user may open."""
    from governance.cascade_levels import SLUG_OF, UPPER_LEVELS, Level

    return [
        (
            Level(level).label,
            reverse("governance:return_cascade", kwargs={"cascade_level": SLUG_OF[level]}),
        )
        for level in UPPER_LEVELS
        if may(request.user, "governance.view_cascade", int(level))
    ]


def action_rows(request: HttpRequest, actions: list[Any]) -> list[tuple[Any, bool]]:
    """Each action with whether the user may mark it done."""
    return [
        (action, may(request.user, "governance.complete_return_action", action))
        for action in actions
    ]


def _detail(
    request: HttpRequest,
    ret: ExceptionsReturn,
    *,
    status: int = 200,
    narrative_form: NarrativeForm | None = None,
    review_form: ReviewForm | None = None,
    action_form: ReturnActionForm | None = None,
    conflict: str = "",
) -> HttpResponse:
    can_write = may(request.user, "governance.write_return", ret)
    can_review = may(request.user, "governance.review_return", ret)
    can_raise = may(request.user, "governance.raise_return_action", ret)
    if can_write and narrative_form is None:
        narrative_form = NarrativeForm(
            initial={"revision": ret.revision, **{name: text for name, _, text in ret.narrative()}}
        )
    if can_review and review_form is None:
        review_form = ReviewForm(initial={"revision": ret.revision, "commentary": ret.commentary})
    if can_raise and action_form is None:
        action_form = ReturnActionForm(owners=cascade.owner_choices(ret))
    actions = cascade.actions_of(user=request.user, parents=[ret]).get(("return", ret.pk), [])
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
            "action_form": action_form if can_raise else None,
            "actions": action_rows(request, actions),
            "conflict": conflict,
            "storage_key": f"qaportal:exceptions-return:{ret.pk}",
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def return_detail(request: HttpRequest, return_pk: int) -> HttpResponse:
    if (refused := signed_out(request)) is not None:
        return refused
    ret = _return(request, return_pk)
    if request.method == "GET":
        return _detail(request, ret)
    staff = require_staff(request)
    if not may(request.user, "governance.write_return", ret):
        if is_htmx(request):
            return autosave_status(request, state="refused", message="the return is submitted")
        raise PermissionDenied
    return _save_narrative(request, ret, staff)


def _save_narrative(request: HttpRequest, ret: ExceptionsReturn, staff: Any) -> HttpResponse:
    """Save (autosave with htmx) or submit the narrative."""
    submitting = "submit" in request.POST
    form = NarrativeForm(request.POST, submitting=submitting)
    if not form.is_valid():
        if is_htmx(request):
            return autosave_status(request, state="invalid", form=form)
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
        if is_htmx(request):
            return autosave_status(request, state="conflict")
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
        if is_htmx(request):
            return autosave_status(request, state="refused", message=str(error))
        form.add_error(None, str(error))
        return _detail(request, ret, status=400, narrative_form=form)
    if is_htmx(request):
        return autosave_status(request, state="saved", revision=saved.revision)
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


@require_POST
def return_action_raise(request: HttpRequest, return_pk: int) -> HttpResponse:
    """The team manager raises an action on their team's return."""
    ret = _return(request, return_pk)
    staff = require_staff(request)
    if not may(request.user, "governance.raise_return_action", ret):
        raise PermissionDenied
    form = ReturnActionForm(request.POST, owners=cascade.owner_choices(ret))
    if form.is_valid():
        try:
            cascade.action_raise(parent=ret, by=staff, **form.cleaned_data)
        except returns.ReturnError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your action is raised: it goes into the improvement plan")
            return redirect(f"{ret.get_absolute_url()}#actions")
    return _detail(request, ret, status=400, action_form=form)


@require_POST
def return_action_complete(request: HttpRequest, return_action_pk: int) -> HttpResponse:
    """Whoever raised or owns an action marks it done (an owner who reads no returns is
    sent to the plan's actions, where theirs is listed)."""
    staff = require_staff(request)
    action = cascade.action(user=request.user, pk=return_action_pk)
    if action is None:
        raise Http404
    if not may(request.user, "governance.complete_return_action", action):
        raise PermissionDenied
    try:
        cascade.action_complete(action=action, by=staff)
    except returns.ReturnError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"\u201c{action.title}\u201d is marked done")
    parent = action.exceptions_return or action.service_summary or action.cascade_summary
    assert parent is not None
    if not may(request.user, "governance.view_returns", None):
        return redirect("governance:action_list")
    return redirect(f"{parent.get_absolute_url()}#actions")


# The service manager's month.


def _summary_context(
    request: HttpRequest,
    service: Any,
    month: datetime.date,
    summary: ServiceSummary | None,
) -> dict[str, Any]:
    rows = returns.service_returns(user=request.user, service=service, month=month)
    parents: list[Any] = [*rows, *([summary] if summary else [])]
    found = cascade.actions_of(user=request.user, parents=parents)
    for ret in rows:
        ret.raised = found.get(("return", ret.pk), [])  # type: ignore[attr-defined]
    actions = found.get(("service", summary.pk), []) if summary else []
    return {"rows": rows, "summary": summary, "actions": action_rows(request, actions)}


@require_http_methods(["GET", "POST"])
def return_summary(request: HttpRequest) -> HttpResponse:
    if (refused := signed_out(request)) is not None:
        return refused
    require_perm(request, "governance.view_return_summary")
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
        "action_form": None,
        "actions": [],
    }
    if service is None or month is None:
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "governance/returns/summary.html", context)
    return _service_month(request, context, service, month)


def _service_month(
    request: HttpRequest, context: dict[str, Any], service: Any, month: datetime.date
) -> HttpResponse:
    summary = returns.service_summary(user=request.user, service=service, month=month)
    context.update(_summary_context(request, service, month, summary))
    context["storage_key"] = f"qaportal:service-summary:{service.pk}:{month:%Y-%m}"
    owner = service_as_owner(service)
    writes = may(request.user, "governance.write_service_summary", owner)
    if writes:
        revision = summary.revision if summary is not None else 1
        initial = {"revision": revision, "commentary": summary.commentary if summary else ""}
        context["form"] = SummaryForm(initial=initial)
        context["action_form"] = ReturnActionForm(
            owners=cascade.owner_choices(_summary_stub(service, month))
        )
    if request.method == "GET":
        return render(request, "governance/returns/summary.html", context)
    if not writes:
        raise PermissionDenied
    url = f"{reverse('governance:return_summary')}?service={service.pk}&month={month:%Y-%m}"
    if "raise_action" in request.POST:
        return _raise_on_service_summary(request, context, service, month, url)
    return _save_service_summary(request, context, service, month, url)


def _summary_stub(service: Any, month: datetime.date) -> ServiceSummary:
    return ServiceSummary(organisation_id=service.organisation_id, service=service, month=month)


def _save_service_summary(
    request: HttpRequest, context: dict[str, Any], service: Any, month: datetime.date, url: str
) -> HttpResponse:
    form = context["form"] = SummaryForm(request.POST)
    if not form.is_valid():
        if is_htmx(request):
            return autosave_status(request, state="invalid", form=form)
        return render(request, "governance/returns/summary.html", context, status=400)
    try:
        saved = returns.summary_save(
            service=service,
            month=month,
            by=require_staff(request),
            commentary=form.cleaned_data["commentary"],
            revision=form.cleaned_data["revision"],
        )
    except returns.ReturnConflict as conflict:
        if is_htmx(request):
            return autosave_status(request, state="conflict")
        data = request.POST.copy()
        data["revision"] = str(conflict.current.revision)
        form = context["form"] = SummaryForm(data)
        form.is_valid()
        form.add_error(None, str(conflict))
        return render(request, "governance/returns/summary.html", context, status=409)
    if is_htmx(request):
        return autosave_status(request, state="saved", revision=saved.revision)
    messages.success(request, "Your summary is saved")
    return redirect(url)


def _raise_on_service_summary(
    request: HttpRequest, context: dict[str, Any], service: Any, month: datetime.date, url: str
) -> HttpResponse:
    stub = _summary_stub(service, month)
    return action_raise_page(request, context, stub, url, "governance/returns/summary.html")


def action_raise_page(
    request: HttpRequest, context: dict[str, Any], parent: Any, url: str, template: str
) -> HttpResponse:
    """Raise an action on a summary of the cascade (`parent`) from its page's form: back
    to the page's actions when it is raised, else the page again with the form's errors."""
    form = context["action_form"] = ReturnActionForm(
        request.POST, owners=cascade.owner_choices(parent)
    )
    if form.is_valid():
        try:
            cascade.action_raise(parent=parent, by=require_staff(request), **form.cleaned_data)
        except returns.ReturnError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your action is raised: it goes into the improvement plan")
            return redirect(f"{url}#actions")
    return render(request, template, context, status=400)


class _Owner:
    """What the summary rule reads: the service and its organisation."""

    def __init__(self, organisation_id: int, service_id: int) -> None:
        self.organisation_id = organisation_id
        self.service_id = service_id


def service_as_owner(service: Any) -> _Owner:
    return _Owner(service.organisation_id, service.pk)
