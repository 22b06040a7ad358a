"""Complaint and compliment pages: the complaints list and its filters, recording a
complaint, the complaint with its stages timeline, a stage's response with an outcome for
each point, an extension, escalation, closing, learning and actions; the timeliness
figures; the compliments list, recording one, and one compliment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import access_note
from cases.permissions import require_perm, require_staff
from core.redirects import redirect_next
from feedback import complaints
from feedback.figures_complaints import complaint_timeliness
from feedback.forms.complaints import (
    ActionForm,
    CloseForm,
    ComplaintFilterForm,
    ComplaintForm,
    ComplimentForm,
    EscalateForm,
    ExtendForm,
    LearningForm,
    PointForm,
    RespondForm,
)
from feedback.models.complaints import TIMESCALES, Complaint, Stage
from feedback.rules import cares_for_complaints, may

PAGE_SIZE = 25


def _complaint(request: HttpRequest, complaint_pk: int) -> Complaint:
    return get_object_or_404(
        complaints.with_stages(complaints.complaint_records(user=request.user)), pk=complaint_pk
    )


def _page(
    request: HttpRequest, complaint: Complaint, template: str, **context: Any
) -> HttpResponse:
    """A page of one complaint; one about a case names its child or adopter, so it is
    written to the access log."""
    if complaint.case_id is not None:
        access_note(request, cases=[complaint.case])
    form = context.get("form")
    status = 400 if form is not None and form.errors else 200
    return render(request, template, {"complaint": complaint, **context}, status=status)


# Why customer care cannot take a step now (they may, once the complaint is there).
NOT_NOW = {
    "feedback.respond_to_complaint": "This stage has already been responded to",
    "feedback.extend_complaint_stage": (
        "Only a stage 1 or 2 waiting for its response can be extended"
    ),
    "feedback.escalate_complaint": (
        "Record this stage's response before escalating; stage 3 is the last stage"
    ),
    "feedback.close_complaint": "Record this stage's response before closing the complaint",
    "feedback.add_complaint_point": "Points are added to open complaints only",
}


def _refusal(request: HttpRequest, perm: str, complaint: Complaint) -> HttpResponse | None:
    """None when the user may take the step now; back to the complaint, saying why, for
    customer care when it is not the time for it; 403 for anyone else."""
    if may(request.user, perm, complaint):
        return None
    if not cares_for_complaints(request.user, complaint):
        raise PermissionDenied
    messages.error(request, NOT_NOW.get(perm, "That cannot be done now"))
    return redirect(complaint.get_absolute_url())


# The list.


@require_http_methods(["GET"])
def complaint_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "feedback.view_complaints")
    today = timezone.localdate()
    values = ComplaintFilterForm(request.GET or None).values()
    found = complaints.complaint_list(user=request.user, today=today, **values)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = [(c, complaints.current_clock(c, today)) for c in page]
    access_note(request, cases=[c.case for c in page if c.case_id is not None])
    return render(
        request,
        "feedback/complaints/complaint_list.html",
        {
            "form": ComplaintFilterForm(initial=values),
            "page_obj": page,
            "rows": shown,
            "can_record": request.user.has_perm("feedback.record_complaint"),
            "can_see_figures": request.user.has_perm("feedback.view_complaint_figures"),
        },
    )


@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "feedback.record_complaint")
    staff = require_staff(request)
    org = staff.organisation_id
    form = ComplaintForm(
        request.POST or None,
        teams=complaints.team_choices(organisation_id=org),
        services=complaints.service_choices(organisation_id=org),
        officers=complaints.staff_choices(organisation_id=org),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = None
        if data["case_reference"]:
            case = complaints.case_by_reference(user=request.user, reference=data["case_reference"])
            if case is None:
                form.add_error("case_reference", "No case you can see has that ID")
        if not form.errors:
            try:
                complaint = complaints.complaint_create(
                    by=staff,
                    received_on=data["received_on"],
                    complainant_type=data["complainant_type"],
                    complainant_name=data["complainant_name"],
                    case=case,
                    team=data["team"],
                    service=data["service"],
                    summary=data["summary"],
                    points=form.point_lines(),
                    officer=data["officer"],
                )
            except complaints.ComplaintError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Complaint {complaint.reference} recorded")
                return redirect(complaint.get_absolute_url())
    status = 400 if form.errors else 200
    return render(request, "feedback/complaints/complaint_new.html", {"form": form}, status=status)


# One complaint.


@require_http_methods(["GET"])
def complaint_detail(request: HttpRequest, complaint_pk: int) -> HttpResponse:
    complaint = _complaint(request, complaint_pk)
    view = complaints.complaint_view(complaint=complaint)
    user = request.user
    for action in view.actions:
        action.can_complete = may(user, "feedback.complete_complaint_action", action)
    return _page(
        request,
        complaint,
        "feedback/complaints/complaint_detail.html",
        view=view,
        can_respond=may(user, "feedback.respond_to_complaint", complaint),
        can_extend=may(user, "feedback.extend_complaint_stage", complaint),
        can_escalate=may(user, "feedback.escalate_complaint", complaint),
        can_close=may(user, "feedback.close_complaint", complaint),
        can_learn=may(user, "feedback.edit_complaint_learning", complaint),
        can_add_point=may(user, "feedback.add_complaint_point", complaint),
        can_add_action=may(user, "feedback.add_complaint_action", complaint),
    )


def _form_step(
    request: HttpRequest,
    complaint: Complaint,
    form: Form,
    template: str,
    write: Any,
    done: str,
    anchor: str = "",
    **context: Any,
) -> HttpResponse:
    """A form page of a complaint: on a valid POST, `write(form)` (a service), then back
    to the complaint with `done`; a refusal shows as the form's error, nothing written."""
    if request.method == "POST" and form.is_valid():
        try:
            write(form)
        except complaints.ComplaintError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect(complaint.get_absolute_url() + anchor)
    return _page(request, complaint, template, form=form, **context)


@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, complaint_pk: int) -> HttpResponse:
    complaint = _complaint(request, complaint_pk)
    if refused := _refusal(request, "feedback.respond_to_complaint", complaint):
        return refused
    view = complaints.complaint_view(complaint=complaint)
    form = RespondForm(request.POST or None, points=view.points)
    stage = view.current
    return _form_step(
        request,
        complaint,
        form,
        "feedback/complaints/respond.html",
        lambda f: complaints.stage_respond(
            complaint=complaint,
            by=require_staff(request),
            responded_on=f.cleaned_data["responded_on"],
            outcomes=f.outcomes(),
            response=f.cleaned_data["response"],
        ),
        f"Stage {complaint.current_stage} response recorded",
        "#stages",
        clock=stage,
    )


@require_http_methods(["GET", "POST"])
def extend(request: HttpRequest, complaint_pk: int) -> HttpResponse:
    complaint = _complaint(request, complaint_pk)
    if refused := _refusal(request, "feedback.extend_complaint_stage", complaint):
        return refused
    clock = complaints.current_clock(complaint, timezone.localdate())
    return _form_step(
        request,
        complaint,
        ExtendForm(request.POST or None),
        "feedback/complaints/extend.html",
        lambda f: complaints.stage_extend(
            complaint=complaint,
            by=require_staff(request),
            extended_due_on=f.cleaned_data["extended_due_on"],
            reason=f.cleaned_data["reason"],
        ),
        f"Stage {complaint.current_stage} extended",
        "#stages",
        clock=clock,
        most=TIMESCALES[complaint.current_stage][1],
    )


@require_http_methods(["GET", "POST"])
def escalate(request: HttpRequest, complaint_pk: int) -> HttpResponse:
    complaint = _complaint(request, complaint_pk)
    if refused := _refusal(request, "feedback.escalate_complaint", complaint):
        return refused
    next_stage = Stage(complaint.current_stage + 1)
    form = EscalateForm(
        request.POST or None,
        officers=complaints.staff_choices(organisation_id=complaint.organisation_id),
        stage=next_stage,
    )
    return _form_step(
        request,
        complaint,
        form,
        "feedback/complaints/escalate.html",
        lambda f: complaints.complaint_escalate(
            complaint=complaint,
            by=require_staff(request),
            requested_on=f.cleaned_data["requested_on"],
            officer=f.cleaned_data["officer"],
        ),
        f"Complaint escalated to stage {next_stage.value}",
        "#stages",
        next_stage=next_stage,
        timescale=TIMESCALES[next_stage][0],
    )


@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, complaint_pk: int) -> HttpResponse:
    complaint = _complaint(request, complaint_pk)
    if refused := _refusal(request, "feedback.close_complaint", complaint):
        return refused
    return _form_step(
        request,
        complaint,
        CloseForm(request.POST or None),
        "feedback/complaints/close.html",
        lambda f: complaints.complaint_close(
            complaint=complaint, by=require_staff(request), closed_on=f.cleaned_data["closed_on"]
        ),
        "Complaint closed",
    )


@require_http_methods(["GET", "POST"])
def learning(request: HttpRequest, complaint_pk: int) -> HttpResponse:
    complaint = _complaint(request, complaint_pk)
    if refused := _refusal(request, "feedback.edit_complaint_learning", complaint):
        return refused
    return _form_step(
        request,
        complaint,
        LearningForm(request.POST or None, initial={"learning": complaint.learning}),
        "feedback/complaints/learning.html",
        lambda f: complaints.complaint_learning_save(
            complaint=complaint, by=require_staff(request), learning=f.cleaned_data["learning"]
        ),
        "Learning saved",
        "#learning",
    )


@require_http_methods(["GET", "POST"])
def point_new(request: HttpRequest, complaint_pk: int) -> HttpResponse:
    complaint = _complaint(request, complaint_pk)
    if refused := _refusal(request, "feedback.add_complaint_point", complaint):
        return refused
    return _form_step(
        request,
        complaint,
        PointForm(request.POST or None),
        "feedback/complaints/point_new.html",
        lambda f: complaints.complaint_point_add(
            complaint=complaint, by=require_staff(request), text=f.cleaned_data["text"]
        ),
        "Point of complaint added",
        "#points",
    )


@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, complaint_pk: int) -> HttpResponse:
    complaint = _complaint(request, complaint_pk)
    if refused := _refusal(request, "feedback.add_complaint_action", complaint):
        return refused
    form = ActionForm(
        request.POST or None,
        owners=complaints.staff_choices(organisation_id=complaint.organisation_id),
    )
    return _form_step(
        request,
        complaint,
        form,
        "feedback/complaints/action_new.html",
        lambda f: complaints.complaint_action_add(
            complaint=complaint, by=require_staff(request), **f.cleaned_data
        ),
        "Action added",
        "#actions",
    )


@require_POST
def action_done(request: HttpRequest, complaint_action_pk: int) -> HttpResponse:
    action = get_object_or_404(complaints.action_records(user=request.user), pk=complaint_action_pk)
    try:
        complaints.complaint_action_complete(action=action, by=require_staff(request))
    except complaints.ComplaintError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Action marked as done")
    return redirect_next(request, action.get_absolute_url())


# Figures.


@require_http_methods(["GET"])
def complaint_figures(request: HttpRequest) -> HttpResponse:
    require_perm(request, "feedback.view_complaint_figures")
    today = timezone.localdate()
    figures = complaint_timeliness(
        complaints.complaint_list(user=request.user, today=today), today=today
    )
    return render(request, "feedback/complaints/figures.html", {"figures": figures})


# Compliments.


@require_http_methods(["GET"])
def compliment_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "feedback.view_compliments")
    found = complaints.compliment_records(user=request.user)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/complaints/compliment_list.html",
        {
            "page_obj": page,
            "can_record": request.user.has_perm("feedback.record_compliment"),
        },
    )


@require_http_methods(["GET", "POST"])
def compliment_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "feedback.record_compliment")
    staff = require_staff(request)
    org = staff.organisation_id
    form = ComplimentForm(
        request.POST or None,
        workers=complaints.staff_choices(organisation_id=org),
        teams=complaints.team_choices(organisation_id=org),
    )
    if request.method == "POST" and form.is_valid():
        try:
            compliment = complaints.compliment_record(by=staff, **form.cleaned_data)
        except complaints.ComplaintError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Compliment recorded and shared")
            return redirect(compliment.get_absolute_url())
    status = 400 if form.errors else 200
    return render(request, "feedback/complaints/compliment_new.html", {"form": form}, status=status)


@require_http_methods(["GET"])
def compliment_detail(request: HttpRequest, compliment_pk: int) -> HttpResponse:
    compliment = get_object_or_404(
        complaints.compliment_records(user=request.user), pk=compliment_pk
    )
    return render(request, "feedback/complaints/compliment_detail.html", {"compliment": compliment})
