"""The checks a view makes before anything else: the user holds the permission, or is a
member of staff."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from cases.models import StaffMember
from cases.querysets import staff_of


def require_perm(request: HttpRequest, perm: str) -> None:
    """403 unless the signed-in user holds `perm` (a rule in some app's rules.py)."""
    if not request.user.has_perm(perm):
        raise PermissionDenied


def require_staff(request: HttpRequest) -> StaffMember:
    """The member of staff acting; 403 for an account without a staff record (it may
    read nothing and change nothing)."""
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied
    return staff
