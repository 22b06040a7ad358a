"""Type aliases for annotations only: import them under `if TYPE_CHECKING:`."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User

# Whoever a request is from: `request.user`, signed in or not.
AnyUser: TypeAlias = User | AnonymousUser

__all__ = ["AnyUser", "User"]
