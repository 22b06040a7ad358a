from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    """Checks usernames and passwords only: permissions come from `rules` (cases/rules.py).

    Without this, every refused permission check would also query Django's permission
    tables, on every page (the navigation checks several).
    """

    def _get_permissions(self, user_obj: Any, obj: Any, from_name: str) -> set[str]:
        return set()
