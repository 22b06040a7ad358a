"""Questionnaire pages: the list, one questionnaire (its case and event, the one-use
links made for the family, and the answers once they come back), entering a paper
copy's answers, closing one without an answer, and the scores by half-year."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import access_note
from cases.links import NewLink
from cases.models import StaffMember
from cases.permissions import require_perm, require_staff
from feedback import questionnaires
from feedback.figures_questionnaires import chart_rows, halves_to, parse_half, score_figures
from feedback.forms.questionnaires import (
    LinkForm,
    PaperAnswersForm,
    QuestionnaireFilterForm,
    WithdrawLinkForm,
)
from feedback.models.questionnaires import Questionnaire
from feedback.rules import may

PAGE_SIZE = 25


def _questionnaire(request: HttpRequest, questionnaire_pk: int) -> Questionnaire:
    return get_object_or_404(
        questionnaires.questionnaire_records(user=request.user), pk=questionnaire_pk
    )


def _sender(request: HttpRequest, questionnaire: Questionnaire) -> StaffMember:
    if not may(request.user, "feedback.send_questionnaire", questionnaire):
        raise PermissionDenied
    return require_staff(request)


@require_http_methods(["GET"])
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "feedback.view_questionnaires")
    halves = halves_to(timezone.localdate())
    form = QuestionnaireFilterForm(request.GET or None, halves=halves)
    found = questionnaires.questionnaire_list(
        user=request.user,
        kind=form.selected("kind"),
        status=form.selected("status"),
        half=form.selected_half(),
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    access_note(request, cases=[q.case for q in page.object_list])
    return render(
        request,
        "feedback/questionnaires/questionnaire_list.html",
        {"form": form, "page_obj": page},
    )


def _detail(
    request: HttpRequest,
    questionnaire: Questionnaire,
    *,
    link_form: LinkForm | None = None,
    new_link: NewLink | None = None,
    status: int = 200,
) -> HttpResponse:
    access_note(request, cases=[questionnaire.case])
    can_send = may(request.user, "feedback.send_questionnaire", questionnaire)
    return render(
        request,
        "feedback/questionnaires/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "answers": questionnaires.questionnaire_answers(questionnaire=questionnaire),
            "links": list(
                questionnaires.questionnaire_links(user=request.user, questionnaire=questionnaire)
            ),
            "can_send": can_send,
            "link_form": link_form or (LinkForm() if can_send else None),
            "new_link": new_link,
        },
        status=status,
    )


@require_http_methods(["GET"])
def questionnaire_detail(request: HttpRequest, questionnaire_pk: int) -> HttpResponse:
    return _detail(request, _questionnaire(request, questionnaire_pk))


@require_POST
def link_new(request: HttpRequest, questionnaire_pk: int) -> HttpResponse:
    """Make a link and show it, once, on the page this answers with (never in an address
    or a message kept for the next page)."""
    questionnaire = _questionnaire(request, questionnaire_pk)
    staff = _sender(request, questionnaire)
    form = LinkForm(request.POST)
    if form.is_valid():
        try:
            made = questionnaires.questionnaire_link_make(
                questionnaire=questionnaire,
                by=staff,
                days=form.cleaned_data["days"],
                recipient=form.cleaned_data["recipient"],
            )
        except questionnaires.QuestionnaireStateError as error:
            form.add_error(None, str(error))
        else:
            return _detail(request, questionnaire, new_link=made)
    return _detail(request, questionnaire, link_form=form, status=400)


@require_POST
def link_withdraw(request: HttpRequest, questionnaire_pk: int) -> HttpResponse:
    questionnaire = _questionnaire(request, questionnaire_pk)
    staff = _sender(request, questionnaire)
    form = WithdrawLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a link to withdraw")
        return redirect(f"{questionnaire.get_absolute_url()}#links")
    try:
        questionnaires.questionnaire_link_withdraw(
            questionnaire=questionnaire, by=staff, link_id=form.cleaned_data["link"]
        )
    except questionnaires.QuestionnaireStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Link withdrawn: it no longer opens")
    return redirect(f"{questionnaire.get_absolute_url()}#links")


@require_http_methods(["GET", "POST"])
def paper_answers(request: HttpRequest, questionnaire_pk: int) -> HttpResponse:
    questionnaire = _questionnaire(request, questionnaire_pk)
    staff = _sender(request, questionnaire)
    form = PaperAnswersForm(request.POST or None, kind=questionnaire.kind)
    if request.method == "POST" and form.is_valid():
        try:
            questionnaires.questionnaire_answer_paper(
                questionnaire=questionnaire,
                by=staff,
                scores=form.scores(),
                comments=form.cleaned_data["comments"],
                answered_on=form.cleaned_data["answered_on"],
            )
        except questionnaires.QuestionnaireStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Answers saved")
            return redirect(f"{questionnaire.get_absolute_url()}#answers")
    access_note(request, cases=[questionnaire.case])
    return render(
        request,
        "feedback/questionnaires/paper.html",
        {"questionnaire": questionnaire, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def close(request: HttpRequest, questionnaire_pk: int) -> HttpResponse:
    questionnaire = _questionnaire(request, questionnaire_pk)
    staff = _sender(request, questionnaire)
    try:
        questionnaires.questionnaire_close(questionnaire=questionnaire, by=staff)
    except questionnaires.QuestionnaireStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Questionnaire closed without an answer")
    return redirect(questionnaire.get_absolute_url())


@require_http_methods(["GET"])
def scores(request: HttpRequest) -> HttpResponse:
    require_perm(request, "feedback.view_questionnaire_scores")
    figures = score_figures(user=request.user, today=timezone.localdate())
    chosen = parse_half(request.GET.get("half", "")) or figures.halves[-1]
    if chosen not in figures.halves:
        chosen = figures.halves[-1]
    index = figures.halves.index(chosen)
    kinds: list[dict[str, Any]] = [
        {
            "scores": kind,
            "chart": chart_rows((q.text, q.by_half[index]) for q in kind.questions),
            "columns": [
                {
                    "half": half,
                    "overall": kind.overall[i],
                    "answered": kind.answered[i],
                }
                for i, half in enumerate(figures.halves)
            ],
            "rows": [
                {"text": q.text, "cells": list(zip(figures.halves, q.by_half, strict=True))}
                for q in kind.questions
            ],
        }
        for kind in figures.kinds
    ]
    return render(
        request,
        "feedback/questionnaires/scores.html",
        {
            "figures": figures,
            "chosen": chosen,
            "kinds": kinds,
            "overall_chart": chart_rows((k.label, k.overall[index]) for k in figures.kinds),
            "overall_rows": [
                {"kind": k, "score": k.overall[index], "answered": k.answered[index]}
                for k in figures.kinds
            ],
        },
    )
