"""360-degree feedback on a manager's supervision (seed 002, 2.5): the rounds, opening
one, the anonymous questionnaire, and the results, as aggregates only and only once
enough have answered."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audits import selectors
from audits.forms.feedback import FeedbackAnswerForm, OpenFeedbackRoundForm
from audits.models import SupervisionFeedbackRound
from audits.rules import is_supervisee, may
from audits.services import feedback as services
from cases.querysets import staff_of


def _round(request: HttpRequest, round_pk: int) -> SupervisionFeedbackRound:
    return get_object_or_404(selectors.feedback_round_records(user=request.user), pk=round_pk)


@require_http_methods(["GET"])
def feedback_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("audits.view_feedback_list"):
        raise PermissionDenied
    today = timezone.localdate()
    rounds = [
        r
        for r in selectors.feedback_round_list(user=request.user)
        if may(request.user, "audits.view_feedback_results", r)
    ]
    return render(
        request,
        "audits/feedback/list.html",
        {
            "rounds": rounds,
            "to_answer": selectors.feedback_rounds_to_answer(user=request.user),
            "can_open": request.user.has_perm("audits.open_feedback_round"),
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
def feedback_new(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    if staff is None or not request.user.has_perm("audits.open_feedback_round"):
        raise PermissionDenied
    form = OpenFeedbackRoundForm(
        request.POST or None, managers=selectors.feedback_manager_choices(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            feedback = services.feedback_round_open(
                manager=form.cleaned_data["manager"],
                by=staff,
                closes_on=form.cleaned_data["closes_on"],
            )
        except services.FeedbackError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Feedback round opened: each supervisee has been asked")
            return redirect(feedback.get_absolute_url())
    return render(request, "audits/feedback/new.html", {"form": form})


@require_http_methods(["GET"])
def feedback_detail(request: HttpRequest, round_pk: int) -> HttpResponse:
    feedback = _round(request, round_pk)
    if not may(request.user, "audits.view_feedback_results", feedback):
        raise PermissionDenied
    return render(
        request,
        "audits/feedback/detail.html",
        {
            "feedback": feedback,
            "results": selectors.feedback_results(feedback=feedback),
            "threshold": selectors.FEEDBACK_THRESHOLD,
            "is_open": feedback.is_open_on(timezone.localdate()),
        },
    )


@require_http_methods(["GET", "POST"])
def feedback_answer(request: HttpRequest, round_pk: int) -> HttpResponse:
    feedback = _round(request, round_pk)
    staff = staff_of(request.user)
    if staff is None or not may(request.user, "audits.answer_feedback", feedback):
        # A supervisee who follows the link after the closing date is told so.
        if staff is not None and is_supervisee(request.user, feedback):
            return render(request, "audits/feedback/closed.html", {"feedback": feedback})
        raise PermissionDenied
    if services.has_answered(feedback=feedback, staff=staff):
        return render(request, "audits/feedback/answered.html", {"feedback": feedback})
    form = FeedbackAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_answer(
                feedback=feedback,
                by=staff,
                answers=form.answers(),
                comment=form.cleaned_data["comment"],
            )
        except services.FeedbackError as error:
            form.add_error(None, str(error))
        else:
            return render(request, "audits/feedback/answered.html", {"feedback": feedback})
    return render(request, "audits/feedback/answer.html", {"feedback": feedback, "form": form})
