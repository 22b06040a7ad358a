"""Dispute resolution pages: the list of challenges, raising one from a child's case, a
challenge with its stage timeline, responding, escalating, closing, marking an agreed
action done, the figures, and the organisation's timescales."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import access_note
from cases.permissions import require_perm, require_staff
from cases.querysets import staff_of
from core.months import add_months, month_start
from feedback import disputes, figures_disputes
from feedback.forms.disputes import (
    EscalateForm,
    FilterForm,
    RaiseForm,
    ResolveForm,
    RespondForm,
    TimescalesForm,
)
from feedback.models import Challenge, next_stage
from feedback.rules import may

PAGE_SIZE = 25
FILTER_MONTHS = 13


def _challenge(request: HttpRequest, challenge_pk: int) -> Challenge:
    return get_object_or_404(disputes.challenge_records(user=request.user), pk=challenge_pk)


def _page(
    request: HttpRequest,
    challenge: Challenge,
    template: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    """A page of one challenge: it names the child, so it is written to the access log."""
    access_note(request, cases=[challenge.case])
    return render(request, template, {"challenge": challenge, **context}, status=status)


@require_http_methods(["GET"])
def challenge_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "feedback.view_challenges")
    today = timezone.localdate()
    months = [add_months(month_start(today), -n) for n in range(FILTER_MONTHS)]
    form = FilterForm(
        request.GET or None,
        services=disputes.service_choices(user=request.user),
        months=months,
    )
    challenges = disputes.challenge_list(user=request.user, filters=form.filters(), today=today)
    page = Paginator(challenges, PAGE_SIZE).get_page(request.GET.get("page"))
    access_note(request, cases=[challenge.case for challenge in page.object_list])
    return render(
        request,
        "feedback/disputes/challenge_list.html",
        {
            "form": form,
            "page_obj": page,
            "today": today,
            "can_see_figures": request.user.has_perm("feedback.view_challenge_figures"),
            "can_set_timescales": request.user.has_perm("feedback.set_dispute_timescales"),
        },
    )


@require_http_methods(["GET", "POST"])
def challenge_new(request: HttpRequest, challenge_case_pk: int) -> HttpResponse:
    require_perm(request, "feedback.raise_challenge")
    case = disputes.case_for_challenge(user=request.user, case_pk=challenge_case_pk)
    if case is None:
        raise Http404
    staff = require_staff(request)
    form = RaiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            challenge = disputes.challenge_raise(
                by=staff,
                case=case,
                themes=form.cleaned_data["themes"],
                description=form.cleaned_data["description"],
                stage=form.cleaned_data["stage"],
            )
        except disputes.ChallengeStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Challenge raised")
            return redirect(challenge.get_absolute_url())
    access_note(request, cases=[case])
    status = 400 if form.errors else 200
    timescales = disputes.timescales_for(organisation_id=case.organisation_id)
    return render(
        request,
        "feedback/disputes/challenge_new.html",
        {"form": form, "case": case, "timescales": timescales},
        status=status,
    )


def _flags(request: HttpRequest, challenge: Challenge) -> dict[str, Any]:
    user = request.user
    going_to = next_stage(challenge.stage) if challenge.is_open else None
    return {
        "can_respond": may(user, "feedback.respond_challenge", challenge),
        "can_escalate": may(user, "feedback.escalate_challenge", challenge),
        "can_resolve": may(user, "feedback.resolve_challenge", challenge),
        "next_stage_label": going_to.label if going_to else "",
    }


@require_http_methods(["GET"])
def challenge_detail(request: HttpRequest, challenge_pk: int) -> HttpResponse:
    challenge = _challenge(request, challenge_pk)
    timeline = disputes.challenge_timeline(challenge=challenge)
    me = staff_of(request.user)
    for action in timeline.actions:
        action.can_complete = may(request.user, "feedback.complete_challenge_action", action)
    context = {"timeline": timeline, "today": timezone.localdate(), "me": me}
    context.update(_flags(request, challenge))
    return _page(request, challenge, "feedback/disputes/challenge_detail.html", context)


@require_http_methods(["GET", "POST"])
def challenge_respond(request: HttpRequest, challenge_pk: int) -> HttpResponse:
    challenge = _challenge(request, challenge_pk)
    if not may(request.user, "feedback.respond_challenge", challenge):
        raise PermissionDenied
    staff = require_staff(request)
    form = RespondForm(
        request.POST or None, owners=disputes.action_owner_choices(challenge=challenge)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            disputes.challenge_respond(
                challenge=challenge,
                by=staff,
                response=data["response"],
                action_description=data.get("action_description", ""),
                action_owner=data.get("action_owner"),
                action_due_on=data.get("action_due_on"),
            )
        except disputes.ChallengeStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Response sent")
            return redirect(challenge.get_absolute_url())
    timeline = disputes.challenge_timeline(challenge=challenge)
    status = 400 if form.errors else 200
    return _page(
        request,
        challenge,
        "feedback/disputes/challenge_respond.html",
        {"form": form, "timeline": timeline},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def challenge_escalate(request: HttpRequest, challenge_pk: int) -> HttpResponse:
    challenge = _challenge(request, challenge_pk)
    if not may(request.user, "feedback.escalate_challenge", challenge):
        raise PermissionDenied
    staff = require_staff(request)
    form = EscalateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            stage = disputes.challenge_escalate(
                challenge=challenge, by=staff, reason=form.cleaned_data["reason"]
            )
        except disputes.ChallengeStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Challenge escalated to {stage.get_stage_display().lower()}")
            return redirect(challenge.get_absolute_url())
    status = 400 if form.errors else 200
    return _page(
        request,
        challenge,
        "feedback/disputes/challenge_form.html",
        {
            "form": form,
            "heading": f"Escalate to {_flags(request, challenge)['next_stage_label'].lower()}",
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def challenge_resolve(request: HttpRequest, challenge_pk: int) -> HttpResponse:
    challenge = _challenge(request, challenge_pk)
    if not may(request.user, "feedback.resolve_challenge", challenge):
        raise PermissionDenied
    staff = require_staff(request)
    form = ResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            disputes.challenge_resolve(
                challenge=challenge, by=staff, outcome=form.cleaned_data["outcome"]
            )
        except disputes.ChallengeStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Challenge closed")
            return redirect(challenge.get_absolute_url())
    status = 400 if form.errors else 200
    return _page(
        request,
        challenge,
        "feedback/disputes/challenge_form.html",
        {"form": form, "heading": "Close the challenge"},
        status=status,
    )


@require_POST
def challenge_action_complete(request: HttpRequest, challenge_action_pk: int) -> HttpResponse:
    action = get_object_or_404(
        disputes.challenge_action_records(user=request.user), pk=challenge_action_pk
    )
    if not may(request.user, "feedback.complete_challenge_action", action):
        raise PermissionDenied
    disputes.challenge_action_complete(action=action, by=require_staff(request))
    messages.success(request, "Action marked as done")
    return redirect(action.get_absolute_url())


@require_http_methods(["GET"])
def dispute_figures(request: HttpRequest) -> HttpResponse:
    require_perm(request, "feedback.view_challenge_figures")
    today = timezone.localdate()
    figures = figures_disputes.dispute_figures(user=request.user, today=today)
    return render(request, "feedback/disputes/figures.html", {"figures": figures, "today": today})


@require_http_methods(["GET", "POST"])
def dispute_timescales(request: HttpRequest) -> HttpResponse:
    require_perm(request, "feedback.set_dispute_timescales")
    staff = require_staff(request)
    current = disputes.timescales_for(organisation_id=staff.organisation_id)
    form = TimescalesForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            disputes.dispute_timescales_set(
                organisation=staff.organisation, by=staff, days=form.cleaned_data
            )
        except disputes.ChallengeStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Timescales saved")
            return redirect("feedback:dispute_timescales")
    status = 400 if form.errors else 200
    return render(request, "feedback/disputes/timescales.html", {"form": form}, status=status)


def record_challenges_panel(
    request: HttpRequest, subject: Any, cases: list
) -> tuple[str, dict] | None:
    """The challenges about the child's cases that the reader may see, and a way for an
    independent chair to raise one (on the record's cases they may see)."""
    challenges = list(disputes.case_challenges(user=request.user, case_ids=[c.pk for c in cases]))
    can_raise = request.user.has_perm("feedback.raise_challenge")
    child_cases = [case for case in cases if case.child_id is not None] if can_raise else []
    if not challenges and not child_cases:
        return None
    # The record's page notes the child already; noted again here so the panel's own
    # lines are covered wherever it is shown.
    access_note(request, cases=[*cases])
    return "feedback/disputes/record_panel.html", {
        "record_challenges": challenges,
        "raise_on_cases": child_cases,
    }
