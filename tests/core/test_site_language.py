"""core.middleware.SiteLanguageMiddleware: the site's language and time zone are the
active ones while a request runs, and nothing is left active after it."""

from __future__ import annotations

import zoneinfo

from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.translation import trans_real

from core.middleware import SiteLanguageMiddleware


def test_the_language_and_zone_are_active_in_the_request_only(settings):
    seen = {}

    def view(request):
        seen["language"] = getattr(trans_real._active, "value", None)
        seen["zone"] = timezone.get_current_timezone()
        return HttpResponse("ok")

    translation.deactivate()
    response = SiteLanguageMiddleware(view)(RequestFactory().get("/"))
    assert response.status_code == 200
    assert seen["language"] is not None
    assert seen["language"].language() == settings.LANGUAGE_CODE
    assert seen["zone"] == zoneinfo.ZoneInfo(settings.TIME_ZONE)
    assert getattr(trans_real._active, "value", None) is None


def test_nothing_is_left_active_when_the_view_fails():
    def view(request):
        raise ValueError("boom")

    translation.deactivate()
    try:
        SiteLanguageMiddleware(view)(RequestFactory().get("/"))
    except ValueError:
        pass
    assert getattr(trans_real._active, "value", None) is None
