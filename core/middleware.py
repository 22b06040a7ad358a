"""Middleware of the project's own."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Tell browsers and proxies to keep no copy of any page or download.

    Pages and files carry children's details, and managers work at shared desks: the
    back button or a proxy must not show them to the next person. Static files are served
    by WhiteNoise before this runs, so they stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


class SiteLanguageMiddleware:
    """Make the site's one language and time zone (settings.LANGUAGE_CODE, TIME_ZONE)
    the active ones for the request.

    Nothing else is ever active, so this changes no text or time: Django falls back to
    the same settings when none is. But the fall-back is found by a failed look-up, an
    exception caught, every time a template or form asks for the language (some 400
    times on a home page), where an active one is read straight off.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        translation.activate(settings.LANGUAGE_CODE)
        timezone.activate(timezone.get_default_timezone())
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
            translation.deactivate()
