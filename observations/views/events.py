"""Practice focused days and practice weeks: the list, planning and changing one (the QA
service), the summary for the senior management team, visits and their guided
conversation notes, observations assigned to the leaders, findings and actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cases.permissions import require_perm, require_staff
from core.redirects import redirect_next
from observations import events
from observations.forms import (
    EventActionForm,
    EventForm,
    EventObservationForm,
    FindingForm,
    VisitForm,
    VisitNotesForm,
)
from observations.models import PracticeEvent
from observations.rules import may


def _event(request: HttpRequest, event_pk: int) -> PracticeEvent:
    return get_object_or_404(events.event_records(user=request.user), pk=event_pk)


def _form_page(request: HttpRequest, template: str, form: Form, **context: Any) -> HttpResponse:
    status = 400 if form.errors else 200
    return render(request, template, {"form": form, **context}, status=status)


@require_http_methods(["GET"])
def event_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "observations.view_practice_events")
    return render(
        request,
        "observations/events/event_list.html",
        {
            "events": list(events.event_list(user=request.user)[:100]),
            "can_plan": request.user.has_perm("observations.plan_practice_events"),
        },
    )


def _event_form(request: HttpRequest, organisation_id: int, **kwargs: Any) -> EventForm:
    return EventForm(
        request.POST or None,
        teams=events.team_choices(organisation_id=organisation_id),
        services=events.service_choices(organisation_id=organisation_id),
        leaders=events.leader_choices(organisation_id=organisation_id),
        **kwargs,
    )


def _event_values(form: EventForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "kind": data["kind"],
        "title": data["title"],
        "starts_on": data["starts_on"],
        "ends_on": data["ends_on"],
        "purpose": data.get("purpose") or "",
        "teams": list(data["teams"]),
        "services": list(data["services"]),
        "leaders": list(data["leaders"]),
    }


@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "observations.plan_practice_events")
    staff = require_staff(request)
    form = _event_form(request, staff.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            event = events.event_create(by=staff, **_event_values(form))
        except events.EventStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{event.title} planned")
            return redirect(event.get_absolute_url())
    return _form_page(request, "observations/events/event_form.html", form, event=None)


@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = _event(request, event_pk)
    if not may(request.user, "observations.edit_practice_event", event):
        raise PermissionDenied
    initial = {
        "kind": event.kind,
        "title": event.title,
        "starts_on": event.starts_on,
        "ends_on": event.ends_on,
        "purpose": event.purpose,
        "teams": list(event.teams.values_list("pk", flat=True)),
        "services": list(event.services.values_list("pk", flat=True)),
        "leaders": list(event.leaders.values_list("pk", flat=True)),
    }
    form = _event_form(request, event.organisation_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            events.event_update(event=event, by=require_staff(request), **_event_values(form))
        except events.EventStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Event saved")
            return redirect(event.get_absolute_url())
    return _form_page(request, "observations/events/event_form.html", form, event=event)


@require_http_methods(["GET"])
def event_detail(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = _event(request, event_pk)
    summary = events.event_summary(event=event)
    for action in summary.actions:
        action.can_complete = may(request.user, "observations.complete_event_action", action)
    user = request.user
    return render(
        request,
        "observations/events/event_detail.html",
        {
            "event": event,
            "summary": summary,
            "can_edit": may(user, "observations.edit_practice_event", event),
            "can_find": may(user, "observations.add_event_finding", event),
            "can_act": may(user, "observations.add_event_action", event),
        },
    )


@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = _event(request, event_pk)
    if not may(request.user, "observations.edit_practice_event", event):
        raise PermissionDenied
    form = VisitForm(
        request.POST or None,
        leaders=event.leaders.select_related("user").order_by("user__last_name"),
        teams=events.team_choices(organisation_id=event.organisation_id).filter(
            pk__in=events.covered_team_ids(event)
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            events.visit_assign(event=event, by=require_staff(request), **form.cleaned_data)
        except events.EventStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Visit assigned")
            return redirect(f"{event.get_absolute_url()}#visits")
    return _form_page(request, "observations/events/visit_new.html", form, event=event)


@require_http_methods(["GET", "POST"])
def visit_detail(request: HttpRequest, visit_pk: int) -> HttpResponse:
    visit = get_object_or_404(events.visit_records(user=request.user), pk=visit_pk)
    editable = may(request.user, "observations.record_visit", visit)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    form = VisitNotesForm(request.POST or None, initial={"notes": visit.notes})
    if request.method == "POST" and form.is_valid():
        try:
            events.visit_notes_save(
                visit=visit, by=require_staff(request), notes=form.cleaned_data["notes"]
            )
        except events.EventStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Visit notes saved")
            return redirect(f"{visit.event.get_absolute_url()}#visits")
    return _form_page(
        request,
        "observations/events/visit_detail.html",
        form,
        visit=visit,
        event=visit.event,
        editable=editable,
    )


@require_http_methods(["GET", "POST"])
def observation_new(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = _event(request, event_pk)
    if not may(request.user, "observations.edit_practice_event", event):
        raise PermissionDenied
    form = EventObservationForm(
        request.POST or None,
        leaders=event.leaders.select_related("user").order_by("user__last_name"),
        practitioners=events.practitioner_choices(event=event),
    )
    if request.method == "POST" and form.is_valid():
        try:
            events.observation_assign(event=event, by=require_staff(request), **form.cleaned_data)
        except events.EventStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Observation assigned")
            return redirect(f"{event.get_absolute_url()}#observations")
    return _form_page(request, "observations/events/observation_new.html", form, event=event)


@require_http_methods(["GET", "POST"])
def finding_new(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = _event(request, event_pk)
    if not may(request.user, "observations.add_event_finding", event):
        raise PermissionDenied
    form = FindingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            events.finding_add(event=event, by=require_staff(request), **form.cleaned_data)
        except events.EventStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Finding recorded")
            return redirect(f"{event.get_absolute_url()}#findings")
    return _form_page(request, "observations/events/finding_new.html", form, event=event)


@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = _event(request, event_pk)
    if not may(request.user, "observations.add_event_action", event):
        raise PermissionDenied
    form = EventActionForm(request.POST or None, owners=events.owner_choices(event=event))
    if request.method == "POST" and form.is_valid():
        try:
            events.event_action_add(event=event, by=require_staff(request), **form.cleaned_data)
        except events.EventStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Action added")
            return redirect(f"{event.get_absolute_url()}#actions")
    return _form_page(request, "observations/events/action_new.html", form, event=event)


@require_POST
def action_done(request: HttpRequest, event_action_pk: int) -> HttpResponse:
    action = get_object_or_404(events.event_action_records(user=request.user), pk=event_action_pk)
    try:
        events.event_action_complete(action=action, by=require_staff(request))
    except events.EventStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Action marked as done")
    return redirect_next(request, action.get_absolute_url())
