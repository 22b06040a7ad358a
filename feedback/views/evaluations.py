"""Adoption panel evaluations: the meetings (list and detail), the panel administrator's
pages setting up a meeting and its items, a member's form on an item,
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
from cases.permissions import require_perm, require_staff
from cases.querysets import staff_of
from cases.selectors import case_by_reference
from feedback import evaluations
from feedback import figures_evaluations as figures
from feedback.forms.evaluations import (
    PanelCollationForm,
    PanelEvaluationForm,
    PanelItemForm,
    PanelMeetingForm,
)
from feedback.models import PanelItem, PanelMeeting
from feedback.rules import may


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
            "can_add": may(request.user, "feedback.add_panel_meeting", None),
        },
    )


@require_http_methods(["GET", "POST"])
def panel_meeting_new(request: HttpRequest) -> HttpResponse:
    """The panel administrator sets up a meeting: its date, chair and members sitting."""
    require_perm(request, "feedback.add_panel_meeting")
    staff = require_staff(request)
    members = evaluations.panel_member_choices(organisation_id=staff.organisation_id)
    form = PanelMeetingForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = evaluations.panel_meeting_create(
                organisation_id=staff.organisation_id,
                held_on=form.cleaned_data["held_on"],
                chair=form.cleaned_data["chair"],
                members=form.cleaned_data["members"],
                by=staff,
            )
        except evaluations.PanelStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Panel meeting set up: add the items presented")
            return redirect(meeting)
    return _form_page(
        request,
        "feedback/evaluations/meeting_new.html",
        form,
        has_members=form.people != {},
    )


def _add_item(
    request: HttpRequest, form: PanelItemForm, meeting: PanelMeeting, *, by: StaffMember
) -> PanelItem | None:
    """The item from a valid form, or None with the form's errors saying why."""
    data = form.cleaned_data
    case = case_by_reference(user=request.user, reference=data["case_reference"])
    if case is None:
        form.add_error("case_reference", "No case you can see has that ID")
        return None
    people = evaluations.item_people(case=case)
    worker = data["social_worker"] or people.social_worker
    manager = data["team_manager"] or people.team_manager
    if worker is None:
        form.add_error(
            "social_worker", "The case has no allocated worker: choose the social worker presenting"
        )
    if manager is None:
        form.add_error("team_manager", "Nobody manages the case's team: choose the team manager")
    if data["to_service_manager"] and people.service_manager is None:
        form.add_error(
            "to_service_manager",
            "No service manager is recorded for the case's service: leave this unticked",
        )
    if worker is None or manager is None or form.errors:
        return None
    try:
        return evaluations.panel_item_add(
            meeting=meeting,
            case=case,
            kind=data["kind"],
            social_worker=worker,
            team_manager=manager,
            service_manager=people.service_manager,
            to_service_manager=data["to_service_manager"],
            by=by,
        )
    except evaluations.PanelStateError as error:
        form.add_error(None, str(error))
        return None


@require_http_methods(["GET", "POST"])
def panel_item_new(request: HttpRequest, panel_meeting_pk: int) -> HttpResponse:
    """The panel administrator adds an item: a case they may see, by its child's or
    adopter's ID, and who presents it (the case's own worker and team manager unless
    chosen)."""
    meeting = get_object_or_404(evaluations.meeting_records(user=request.user), pk=panel_meeting_pk)
    if not may(request.user, "feedback.add_panel_item", meeting):
        raise PermissionDenied
    staff = require_staff(request)
    org = meeting.organisation_id
    form = PanelItemForm(
        request.POST or None,
        presenters=evaluations.presenter_choices(organisation_id=org),
        team_managers=evaluations.team_manager_choices(organisation_id=org),
    )
    if request.method == "POST" and form.is_valid():
        item = _add_item(request, form, meeting, by=staff)
        if item is not None:
            messages.success(request, f"Item added: {item.get_kind_display()}")
            return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")
    return _form_page(request, "feedback/evaluations/item_new.html", form, meeting=meeting)


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
            "can_add": may(request.user, "feedback.add_panel_item", meeting),
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
    staff = require_staff(request)
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
    form = PanelCollationForm(
        request.POST or None,
        service_manager=manager,
        to_service_manager=item.to_service_manager,
    )
    if request.method == "POST" and form.is_valid():
        try:
            evaluations.panel_item_send(
                item=item,
                by=require_staff(request),
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
