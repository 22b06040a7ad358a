"""Views: the indicator catalogue, indicator pages and Key Performance Questions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cases.permissions import require_perm


def indicator_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "performance.view_indicators")
    return render(request, "performance/indicators/list.html", {})
