from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet
from django.http import HttpRequest

from core import prepared

if TYPE_CHECKING:
    from django.db.models import Model

    from core.types import AnyUser, User


class PasswordBackend(ModelBackend):
    """Checks usernames and passwords only: permissions come from `rules` (cases/rules.py).

    Without this, every refused permission check would also query Django's permission
    tables, on every page (the navigation checks several).
    """

    def _get_permissions(self, user_obj: AnyUser, obj: Model | None, from_name: str) -> set[str]:
        return set()

    def get_user(self, user_id: Any) -> User | None:
        """The signed-in user of each request, read with their member of staff and its
        organisation, team and service: every page's header, scoping and rules read
        them, one query each otherwise. The query is compiled once for each user
        (`core.prepared`)."""
        found = prepared.rows(_signed_in, None, user_id)
        if not found:
            return None
        user = found[0]
        return user if self.user_can_authenticate(user) else None


def _signed_in(user: None, user_id: Any) -> QuerySet[User]:
    return (
        get_user_model()
        ._default_manager.select_related("staff__organisation", "staff__team", "staff__service")
        .filter(pk=user_id)[:1]
    )


def client_address(request: HttpRequest) -> str | None:
    """The address a request came from, for sign-in lock-outs (AXES_CLIENT_IP_CALLABLE).

    Behind `QAPORTAL_TRUSTED_PROXY_COUNT` reverse proxies, each appends the address it
    was reached from to X-Forwarded-For, so the client is that many entries from the
    right; anything further left was written by the client and is ignored. With no
    trusted proxy the header is ignored altogether (a client could forge it to dodge a
    lock-out) and the socket's address is used.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = settings.QAPORTAL_TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < trusted:
        return remote  # the proxies did not say: fall back rather than guess
    candidate = forwarded[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
