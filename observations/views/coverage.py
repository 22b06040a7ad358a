"""Observation figures and coverage: the page (charts with the same figures in tables
beside them) and the records behind each figure (the practitioners not observed, the
managers behind); the observation figures link to the observation list, filtered."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cases.permissions import require_perm
from observations import selectors
from observations.forms import CoverageFilterForm

PAGE_SIZE = 50


@require_http_methods(["GET"])
def coverage(request: HttpRequest) -> HttpResponse:
    require_perm(request, "observations.view_coverage")
    today = timezone.localdate()
    return render(
        request,
        "observations/coverage.html",
        {
            "coverage": selectors.coverage_figures(user=request.user, day=today),
            "figures": selectors.observation_figures(user=request.user, today=today),
        },
    )


def _people(request: HttpRequest, *, managers: bool) -> HttpResponse:
    require_perm(request, "observations.view_coverage")
    today = timezone.localdate()
    form = CoverageFilterForm(request.GET or None)
    missing = bool(form.value("missing"))
    people = selectors.coverage_people(
        user=request.user,
        day=today,
        managers=managers,
        team=form.value("team"),
        service=form.value("service"),
        only_missing=missing,
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    area = ""
    if page.object_list and (form.value("team") or form.value("service")):
        first = page.object_list[0]
        area = first.team.name if form.value("team") and first.team else first.service_label
    return render(
        request,
        "observations/coverage_people.html",
        {
            "page_obj": page,
            "managers": managers,
            "missing": missing,
            "area": area,
            "observed_since": selectors.figures.observed_since(today),
            "up_to_date_since": selectors.figures.up_to_date_since(today),
        },
    )


@require_http_methods(["GET"])
def coverage_practitioners(request: HttpRequest) -> HttpResponse:
    return _people(request, managers=False)


@require_http_methods(["GET"])
def coverage_managers(request: HttpRequest) -> HttpResponse:
    return _people(request, managers=True)
