"""The one check a view makes before anything else: the user holds the permission."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def require_perm(request: HttpRequest, perm: str) -> None:
    """403 unless the signed-in user holds `perm` (a rule in some app's rules.py)."""
    if not request.user.has_perm(perm):
        raise PermissionDenied
