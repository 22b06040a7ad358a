"""Adoption panel evaluations: the meetings (list and detail), a member's form on an item,
the chair's collation and sending, the collated copy the social worker reads, and the
six-monthly and annual summaries with the items behind each figure."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cases.access import access_note
from cases.models import StaffMember
from cases.permissions import require_perm
from cases.querysets import staff_of
from feedback import evaluations
from feedback import figures_evaluations as figures
from feedback.forms.evaluations import PanelCollationForm, PanelEvaluationForm
from feedback.models import PanelItem
from feedback.rules import may


def _staff(request: HttpRequest) -> StaffMember:
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied
    return staff


def _item(request: HttpRequest, panel_item_pk: int) -> tuple[PanelItem, bool]:
    """The item, and whether the reader may see its case (then the page names its child
    or adopter, and notes them for the access log)."""
    item = get_object_or_404(evaluations.item_records(user=request.user), pk=panel_item_pk)
    names_case = bool(evaluations.visible_case_ids(user=request.user, case_ids={item.case_id}))
    if names_case:
        access_note(request, cases=[item.case])
    return item, names_case


def _form_page(request: HttpRequest, template: str, form: Form, **context: Any) -> HttpResponse:
    status = 400 if form.errors else 200
    return render(request, template, {"form": form, **context}, status=status)


@require_http_methods(["GET"])
def panel_meeting_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "feedback.view_panel_meetings")
    return render(
        request,
        "feedback/evaluations/meeting_list.html",
        {
            "meetings": list(evaluations.meeting_list(user=request.user)[:100]),
            "to_evaluate": list(evaluations.items_to_evaluate(user=request.user)[:50]),
        },
    )


@require_http_methods(["GET"])
def panel_meeting_detail(request: HttpRequest, panel_meeting_pk: int) -> HttpResponse:
    meeting = get_object_or_404(evaluations.meeting_records(user=request.user), pk=panel_meeting_pk)
    detail = evaluations.meeting_detail(meeting=meeting, user=request.user)
    access_note(request, cases=detail.cases)
    me = staff_of(request.user)
    return render(
        request,
        "feedback/evaluations/meeting_detail.html",
        {
            "meeting": meeting,
            "detail": detail,
            "is_chair": me is not None and meeting.chair_id == me.pk,
            "sits": me is not None and any(m.pk == me.pk for m in detail.sitting),
        },
    )


@require_http_methods(["GET", "POST"])
def panel_item_evaluate(request: HttpRequest, panel_item_pk: int) -> HttpResponse:
    item, names_case = _item(request, panel_item_pk)
    if not may(request.user, "feedback.evaluate_panel_item", item):
        if item.is_sent and may(request.user, "feedback.read_panel_feedback", item):
            messages.info(request, "The chair has sent the panel's feedback on this item")
            return redirect(item.get_absolute_url())
        raise PermissionDenied
    staff = _staff(request)
    existing = evaluations.evaluation_of(item=item, member=staff)
    initial = {}
    if existing is not None:
        initial = {
            "report": existing.report,
            "presentation": existing.presentation,
            "analysis": existing.analysis,
            "comments": existing.comments,
        }
    form = PanelEvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            evaluations.panel_evaluation_save(item=item, by=staff, **form.cleaned_data)
        except evaluations.PanelStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Evaluation saved")
            return redirect(f"{item.meeting.get_absolute_url()}#item-{item.pk}")
    return _form_page(
        request,
        "feedback/evaluations/evaluate.html",
        form,
        item=item,
        names_case=names_case,
        existing=existing,
    )


@require_http_methods(["GET", "POST"])
def panel_item_collate(request: HttpRequest, panel_item_pk: int) -> HttpResponse:
    item, names_case = _item(request, panel_item_pk)
    if not may(request.user, "feedback.view_panel_collation", item):
        raise PermissionDenied
    can_send = may(request.user, "feedback.collate_panel_item", item)
    if request.method == "POST" and not can_send:
        raise PermissionDenied
    manager = item.service_manager.display_name if item.service_manager else None
    form = PanelCollationForm(request.POST or None, service_manager=manager)
    if request.method == "POST" and form.is_valid():
        try:
            evaluations.panel_item_send(
                item=item,
                by=_staff(request),
                summary=form.cleaned_data["summary"],
                to_service_manager=bool(form.cleaned_data.get("to_service_manager")),
            )
        except evaluations.PanelStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Feedback sent to the social worker and team manager")
            return redirect(item.get_absolute_url())
    return _form_page(
        request,
        "feedback/evaluations/collate.html",
        form,
        item=item,
        names_case=names_case,
        collation=evaluations.item_collation(item=item),
        can_send=can_send,
    )


@require_http_methods(["GET"])
def panel_item_feedback(request: HttpRequest, panel_item_pk: int) -> HttpResponse:
    """The chair's collated copy, as the social worker and their managers read it."""
    item, names_case = _item(request, panel_item_pk)
    if not may(request.user, "feedback.read_panel_feedback", item):
        raise PermissionDenied
    return render(
        request,
        "feedback/evaluations/feedback.html",
        {
            "item": item,
            "names_case": names_case,
            "averages": evaluations.item_collation(item=item).averages,
            "can_collate": may(request.user, "feedback.view_panel_collation", item),
        },
    )


@require_http_methods(["GET"])
def panel_summaries(request: HttpRequest) -> HttpResponse:
    require_perm(request, "feedback.view_panel_summaries")
    found = evaluations.summaries(user=request.user, today=timezone.localdate())
    return render(
        request,
        "feedback/evaluations/summaries.html",
        {
            "summaries": found,
            "questions": figures.QUESTIONS,
            "half_year_chart": figures.chart_rows(found.half_years),
            "year_chart": figures.chart_rows(found.years),
            "top": figures.TOP_OF_SCALE,
        },
    )


@require_http_methods(["GET"])
def panel_summary_items(request: HttpRequest) -> HttpResponse:
    """The items behind a period's figures (`?period=2026`, `2026-1` or `2026-2`)."""
    require_perm(request, "feedback.view_panel_summaries")
    period = figures.period_by_key(request.GET.get("period", ""))
    if period is None:
        period = figures.years(timezone.localdate(), 1)[0]
    items = list(evaluations.period_items(user=request.user, period=period)[:200])
    seen = evaluations.visible_case_ids(user=request.user, case_ids={i.case_id for i in items})
    access_note(request, cases=[i.case for i in items if i.case_id in seen])
    rows = [
        {
            "item": i,
            "names_case": i.case_id in seen,
            "averages": [
                figures.one_decimal(getattr(i, f"avg_{q.value}")) for q in figures.QUESTIONS
            ],
        }
        for i in items
    ]
    return render(
        request,
        "feedback/evaluations/summary_items.html",
        {"period": period, "rows": rows, "questions": figures.QUESTIONS},
    )
