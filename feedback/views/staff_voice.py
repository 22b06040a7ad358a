"""Staff survey and health check pages: the surveys, importing a year's results (checked
whole: rejected with a report by row, or imported), and a survey's results as aggregates
by team, suppressed where fewer than five people answered."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from cases.permissions import require_perm
from cases.querysets import staff_of
from feedback import staff_voice
from feedback.forms.staff_voice import SurveyUploadForm


@require_http_methods(["GET"])
def survey_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "feedback.view_staff_surveys")
    return render(
        request,
        "feedback/staff_voice/survey_list.html",
        {
            "surveys": list(staff_voice.survey_list(user=request.user)),
            "can_import": request.user.has_perm("feedback.import_staff_survey"),
            "min_answers": staff_voice.MIN_ANSWERS,
        },
    )


@require_http_methods(["GET", "POST"])
def survey_import(request: HttpRequest) -> HttpResponse:
    require_perm(request, "feedback.import_staff_survey")
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied
    form = SurveyUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = staff_voice.survey_import(
                by=staff,
                kind=form.cleaned_data["kind"],
                year=form.cleaned_data["year"],
                upload=upload,
                file_name=upload.name,
            )
        except staff_voice.SurveyImportError as error:
            form.add_error("file", str(error))
        else:
            if report.survey is not None:
                messages.success(
                    request,
                    f"{report.survey} imported: {report.survey.responses_count} responses",
                )
                return redirect(report.survey.get_absolute_url())
    status = 400 if form.errors or report is not None else 200
    return render(
        request,
        "feedback/staff_voice/survey_import.html",
        {"form": form, "report": report, "max_rows": staff_voice.MAX_ROWS},
        status=status,
    )


@require_http_methods(["GET"])
def survey_results(request: HttpRequest, survey_pk: int) -> HttpResponse:
    require_perm(request, "feedback.view_staff_surveys")
    survey = get_object_or_404(staff_voice.survey_records(user=request.user), pk=survey_pk)
    results = staff_voice.survey_results(user=request.user, survey=survey)
    return render(
        request,
        "feedback/staff_voice/survey_results.html",
        {"survey": survey, "results": results, "min_answers": staff_voice.MIN_ANSWERS},
    )
