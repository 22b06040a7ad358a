"""Practice observation pages: the list, starting one, the observation itself, whom /
where / when, the observer's record and the practitioner's reflection (both autosaved,
with conflicts shown side by side), asking for the reflection, submitting, QA moderation
and actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import access_note
from cases.models import StaffMember
from cases.permissions import require_perm, require_staff
from core.autosave import SaveResult
from core.autosave_views import autosave_answer, signed_out_answer
from core.months import add_months, month_end, month_start
from core.redirects import redirect_next
from observations import selectors, services
from observations.forms import (
    ActionForm,
    DetailsForm,
    ListFilterForm,
    ModerationForm,
    RecordForm,
    ReflectionForm,
)
from observations.models import Observation
from observations.rules import is_observer, may, moderates

PAGE_SIZE = 25
# The list's month filter offers this many months, this one first.
FILTER_MONTHS = 13


def _observation(request: HttpRequest, observation_pk: int) -> Observation:
    return get_object_or_404(selectors.observation_records(user=request.user), pk=observation_pk)


def _page(
    request: HttpRequest,
    observation: Observation,
    template: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    """A page of one observation; those that name its case's child or adopter are
    written to the access log."""
    if observation.case_id is not None:
        access_note(request, cases=[observation.case])
    return render(request, template, {"observation": observation, **context}, status=status)


# The list.


@require_http_methods(["GET"])
def observation_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "observations.view_observations")
    today = timezone.localdate()
    months = [add_months(month_start(today), -n) for n in range(FILTER_MONTHS)]
    form = ListFilterForm(request.GET or None, months=months)
    observations = selectors.observation_list_filtered(
        user=request.user,
        status=form.selected_status(),
        month=form.selected_month(),
        grade=form.selected("grade"),
        setting=form.selected("setting"),
    )
    page = Paginator(observations, PAGE_SIZE).get_page(request.GET.get("page"))
    mine = selectors.my_observations(user=request.user)
    return render(
        request,
        "observations/observation_list.html",
        {
            "form": form,
            "page_obj": page,
            "to_complete": list(mine["to_complete"]) if mine else [],
            "to_reflect": list(mine["to_reflect"]) if mine else [],
            "can_start": request.user.has_perm("observations.start_observation"),
        },
    )


@require_http_methods(["GET", "POST"])
def observation_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "observations.start_observation")
    staff = require_staff(request)
    form = DetailsForm(
        request.POST or None,
        practitioners=selectors.practitioner_choices(user=request.user, observer=staff),
    )
    if request.method == "POST" and form.is_valid():
        case = _case_of(request, form)
        if case is not False:
            try:
                observation = services.observation_create(
                    observer=staff,
                    due_on=month_end(timezone.localdate()),
                    practitioner=form.cleaned_data["practitioner"],
                    setting=form.cleaned_data["setting"],
                    observed_on=form.cleaned_data["observed_on"],
                    case=case,
                )
            except services.ObservationStateError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Observation started. Record what you saw.")
                return redirect(
                    reverse("observations:record", kwargs={"observation_pk": observation.pk})
                )
    status = 400 if form.errors else 200
    return render(request, "observations/observation_new.html", {"form": form}, status=status)


def _case_of(request: HttpRequest, form: DetailsForm) -> Any:
    """The case named by the form's ID, None when none was given, or False (with the
    error on the form) when the user can see no case with that ID."""
    reference = form.cleaned_data.get("case_reference", "").strip()
    if not reference:
        return None
    case = selectors.case_by_reference(user=request.user, reference=reference)
    if case is None:
        form.add_error("case_reference", "No case you can see has that ID")
        return False
    return case


# One observation.


def _actions(request: HttpRequest, observation: Observation) -> list[Any]:
    actions = selectors.observation_actions(observation=observation)
    for action in actions:
        action.can_complete = may(request.user, "observations.complete_action", action)
    return actions


def _flags(request: HttpRequest, observation: Observation) -> dict[str, bool]:
    user = request.user
    return {
        "can_edit": may(user, "observations.edit_observation", observation),
        "can_ask": may(user, "observations.ask_for_reflection", observation),
        "can_reflect": may(user, "observations.reflect", observation),
        "can_submit": may(user, "observations.submit_observation", observation),
        "can_moderate": may(user, "observations.moderate_observation", observation),
        "can_add_action": may(user, "observations.add_action", observation),
    }


@require_http_methods(["GET"])
def observation_detail(request: HttpRequest, observation_pk: int) -> HttpResponse:
    observation = _observation(request, observation_pk)
    context: dict[str, Any] = {"actions": _actions(request, observation)}
    context.update(_flags(request, observation))
    return _page(request, observation, "observations/observation_detail.html", context)


@require_http_methods(["GET", "POST"])
def details(request: HttpRequest, observation_pk: int) -> HttpResponse:
    observation = _observation(request, observation_pk)
    staff = require_staff(request)
    if not may(request.user, "observations.edit_observation", observation):
        raise PermissionDenied
    initial = {
        "practitioner": observation.practitioner_id,
        "setting": observation.setting,
        "observed_on": observation.observed_on,
        "case_reference": observation.case.subject.reference if observation.case else "",
    }
    form = DetailsForm(
        request.POST or None,
        initial=initial,
        practitioners=selectors.practitioner_choices(user=request.user, observer=staff),
    )
    if request.method == "POST" and form.is_valid():
        case = _case_of(request, form)
        if case is not False:
            try:
                services.observation_details_save(
                    observation=observation,
                    by=staff,
                    practitioner=form.cleaned_data["practitioner"],
                    setting=form.cleaned_data["setting"],
                    observed_on=form.cleaned_data["observed_on"],
                    case=case,
                )
            except services.ObservationStateError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Details saved")
                return redirect(observation.get_absolute_url())
    status = 400 if form.errors else 200
    return _page(request, observation, "observations/details.html", {"form": form}, status=status)


# The autosaved parts: the observer's record and the practitioner's reflection.


def _autosave_status(request: HttpRequest, *, state: str, **context: Any) -> HttpResponse:
    return autosave_answer(
        request, "observations/partials/autosave_status.html", state=state, **context
    )


def _signed_out(request: HttpRequest) -> HttpResponse | None:
    return signed_out_answer(request, "observations/partials/autosave_status.html")


@dataclass(frozen=True)
class _Part:
    """One autosaved part of an observation: the observer's record or the practitioner's
    reflection. Both go through `_autosaved`, the same save, conflict and status flow."""

    name: str
    form_class: type[forms.Form]
    permission: str
    saved_message: str


RECORD = _Part("record", RecordForm, "observations.edit_observation", "Observation saved")
REFLECTION = _Part(
    "reflection", ReflectionForm, "observations.reflect", "Your reflection has been saved"
)


def _autosaved(
    request: HttpRequest,
    observation_pk: int,
    part: _Part,
    initial: Callable[[Observation], dict[str, Any]],
    save: Callable[[Observation, StaffMember, int, dict[str, Any]], SaveResult],
) -> HttpResponse:
    """GET shows the part (read-only to whoever may not edit it); POST (autosave with
    htmx, or "Save") saves it: the status partial for htmx, else the page again with the
    errors (400) or the conflicts side by side (409), or back to the observation."""
    if (refused := _signed_out(request)) is not None:
        return refused
    observation = _observation(request, observation_pk)
    editable = may(request.user, part.permission, observation)
    if request.method == "GET":
        form = part.form_class(initial=initial(observation), disabled=not editable)
        return _render_part(request, observation, part, form, editable)
    if not editable:
        raise PermissionDenied
    form = part.form_class(request.POST)
    if not form.is_valid():
        if request.htmx:
            return _autosave_status(request, state="invalid", form=form)
        return _render_part(request, observation, part, form, editable, status=400)
    try:
        result = save(
            observation,
            require_staff(request),
            form.cleaned_data.get("revision") or 0,
            form.cleaned_data,
        )
    except services.ObservationStateError as error:
        if request.htmx:
            return _autosave_status(request, state="refused", message=str(error))
        messages.error(request, str(error))
        return redirect(observation.get_absolute_url())
    if request.htmx:
        state = "conflict" if result.conflicts else "saved"
        return _autosave_status(request, state=state, result=result)
    if result.conflicts:
        data = request.POST.copy()
        data["revision"] = str(result.conflicts[0].their_revision)
        form = part.form_class(data)
        form.is_valid()
        return _render_part(
            request, observation, part, form, editable, status=409, conflicts=result.conflicts
        )
    messages.success(request, part.saved_message)
    return redirect(observation.get_absolute_url())


def _render_part(
    request: HttpRequest,
    observation: Observation,
    part: _Part,
    form: forms.Form,
    editable: bool,
    status: int = 200,
    conflicts: list[Any] | None = None,
) -> HttpResponse:
    return render(
        request,
        f"observations/{part.name}.html",
        {
            "observation": observation,
            "form": form,
            "editable": editable,
            "conflicts": conflicts or [],
            "conflicts_by_others": [c for c in conflicts or [] if not c.by_you],
            "storage_key": f"qaportal:observation:{observation.pk}:{part.name}",
        },
        status=status,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, observation_pk: int) -> HttpResponse:
    """The observer's record. Autosave posts here with htmx; so does "Save"."""

    def save(
        observation: Observation, by: StaffMember, revision: int, data: dict[str, Any]
    ) -> SaveResult:
        values = {name: data.get(name) or "" for name in services.RECORD_FIELDS}
        return services.observation_save(
            observation=observation, by=by, base_revision=revision, values=values
        )

    return _autosaved(request, observation_pk, RECORD, RecordForm.initial_for, save)


@login_not_required
@require_http_methods(["GET", "POST"])
def reflection(request: HttpRequest, observation_pk: int) -> HttpResponse:
    """The practitioner's reflection, autosaved like the record."""

    def initial(observation: Observation) -> dict[str, Any]:
        return {"reflection": observation.reflection, "revision": observation.reflection_revision}

    def save(
        observation: Observation, by: StaffMember, revision: int, data: dict[str, Any]
    ) -> SaveResult:
        return services.reflection_save(
            observation=observation,
            by=by,
            base_revision=revision,
            text=data.get("reflection") or "",
        )

    return _autosaved(request, observation_pk, REFLECTION, initial, save)


# Handing it on.


@require_POST
def ask_for_reflection(request: HttpRequest, observation_pk: int) -> HttpResponse:
    observation = _observation(request, observation_pk)
    staff = require_staff(request)
    if not is_observer(request.user, observation):
        raise PermissionDenied
    try:
        observation = services.observation_ask_for_reflection(observation=observation, by=staff)
    except services.ObservationStateError as error:
        messages.error(request, str(error))
    else:
        name = observation.practitioner.display_name if observation.practitioner else ""
        messages.success(request, f"{name} has been asked for their reflection")
    return redirect(observation.get_absolute_url())


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, observation_pk: int) -> HttpResponse:
    observation = _observation(request, observation_pk)
    staff = require_staff(request)
    if not is_observer(request.user, observation):
        raise PermissionDenied
    if not may(request.user, "observations.submit_observation", observation):
        return redirect(observation.get_absolute_url())
    errors = services.submission_errors(observation)
    if request.method == "POST":
        try:
            services.observation_submit(observation=observation, by=staff)
        except services.ObservationIncomplete as refused:
            errors = refused.errors
        except services.ObservationStateError as error:
            messages.error(request, str(error))
            return redirect(observation.get_absolute_url())
        else:
            messages.success(request, "Observation submitted to the QA service")
            return redirect(observation.get_absolute_url())
    tried = request.method == "POST"
    return _page(
        request,
        observation,
        "observations/submit.html",
        {"errors": errors, "tried": tried},
        status=400 if errors and tried else 200,
    )


@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest, observation_pk: int) -> HttpResponse:
    observation = _observation(request, observation_pk)
    staff = require_staff(request)
    if not moderates(request.user, observation):
        raise PermissionDenied
    if not may(request.user, "observations.moderate_observation", observation):
        return redirect(observation.get_absolute_url())
    form = ModerationForm(request.POST or None, observation=observation)
    if request.method == "POST" and form.is_valid():
        try:
            services.observation_moderate(
                observation=observation,
                by=staff,
                agrees=form.cleaned_data["agrees"],
                grade=form.cleaned_data.get("grade") or "",
                feedback=form.cleaned_data["feedback"],
            )
        except services.ObservationStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Moderation recorded. The observer can read your feedback.")
            return redirect(observation.get_absolute_url())
    status = 400 if form.errors else 200
    return _page(request, observation, "observations/moderate.html", {"form": form}, status=status)


# Actions.


@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, observation_pk: int) -> HttpResponse:
    observation = _observation(request, observation_pk)
    staff = require_staff(request)
    if not may(request.user, "observations.add_action", observation):
        raise PermissionDenied
    form = ActionForm(
        request.POST or None,
        owners=selectors.owner_choices(observation=observation),
        observation=observation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_add(
                observation=observation,
                description=form.cleaned_data["description"],
                owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
                by=staff,
            )
        except services.ObservationStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Action added")
            return redirect(f"{observation.get_absolute_url()}#actions")
    status = 400 if form.errors else 200
    return render(
        request,
        "observations/action_new.html",
        {"observation": observation, "form": form},
        status=status,
    )


@require_POST
def action_done(request: HttpRequest, observation_action_pk: int) -> HttpResponse:
    action = get_object_or_404(
        selectors.action_records(user=request.user), pk=observation_action_pk
    )
    staff = require_staff(request)
    try:
        services.action_complete(action=action, by=staff, note=request.POST.get("note", "")[:2000])
    except services.ObservationStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Action marked as done")
    return redirect_next(request, action.get_absolute_url())
