from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from cases.querysets import staff_of
from qaportal.navigation import nav_items


def page_shell(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs on every page: the service, the person, the navigation."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "service_name": settings.SERVICE_NAME,
        "phase": settings.PHASE,
        "staff": staff_of(user) if signed_in else None,
        "nav_items": nav_items(request) if signed_in else [],
    }
