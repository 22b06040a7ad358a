"""The regional view: the partner councils side by side (views only: reads in
governance.regional). Aggregates alone, so no access note: nothing here names a child or
an adopter."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cases.permissions import require_perm
from governance import board, regional
from governance.forms.board import RangeForm

VIEW_REGIONAL = "governance.view_regional"


@require_GET
def regional_page(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW_REGIONAL)
    organisations = regional.partner_organisations(request.user)
    today = timezone.localdate()
    context = {
        "scorecards": regional.scorecards(organisations=organisations, today=today),
        "windows": regional.WINDOWS,
        "month_label": board.month_label(regional.latest_complete(today)),
        "measures": [(m, regional.measure_url(m)) for m in board.MEASURES.values()],
    }
    return render(request, "governance/regional/regional.html", context)


@require_GET
def regional_measure(request: HttpRequest, regional_measure: str) -> HttpResponse:
    require_perm(request, VIEW_REGIONAL)
    measure = board.measure_of(regional_measure)
    if measure is None:
        raise Http404("No such measure")
    organisations = regional.partner_organisations(request.user)
    form = RangeForm(request.GET or None)
    months = form.months_shown()
    today = timezone.localdate()
    context = {
        "measure": measure,
        "charts": regional.small_multiples(
            measure, organisations=organisations, today=today, months=months
        ),
        "months": months,
        "form": form,
        "measures": [(m, regional.measure_url(m)) for m in board.MEASURES.values()],
    }
    return render(request, "governance/regional/measure.html", context)
