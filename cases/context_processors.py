"""What the base layout needs on every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cases.notifications import unread_count
from cases.querysets import staff_of
from core.navigation import navigation_for


def page_shell(request: HttpRequest) -> dict[str, Any]:
    """The service, the person, the navigation (grouped, from every app's registered
    entries) and their unread notification count."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    staff = staff_of(user) if signed_in else None
    return {
        "service_name": settings.SERVICE_NAME,
        "phase": settings.PHASE,
        "staff": staff,
        "nav": SimpleLazyObject(lambda: navigation_of(request)) if signed_in else _NO_NAV,
        "notification_count": notification_count(user, staff),
    }


_NO_NAV: dict[str, Any] = {"items": [], "sub_items": []}


def navigation_of(request: HttpRequest) -> dict[str, Any]:
    """The request's navigation, worked out once: a page that renders partials with the
    request (the home page's cards) runs this processor for each of them, and the
    partials never show it."""
    nav = getattr(request, "_qaportal_navigation", None)
    if nav is None:
        nav = navigation_for(request)
        request._qaportal_navigation = nav  # type: ignore[attr-defined]
    return nav


def notification_count(user: Any, staff: Any) -> Any:
    """Unread notifications of `staff`: one COUNT, run only when a template shows it (htmx
    partials do not), and 0 without a query for people who are not staff."""
    if staff is None:
        return 0
    return SimpleLazyObject(lambda: unread_count(user))
