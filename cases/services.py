"""Writes to case data."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cases.models import AccessLog, Adopter, Child


@transaction.atomic
def access_log_record(*, user: Any, subject: Child | Adopter, path: str) -> AccessLog:
    """Note that `user` opened the record of `subject`.

    Every value comes from objects already loaded, so there is nothing to validate: no
    full_clean(), which would cost a query per foreign key on every record view.
    """
    return AccessLog.objects.create(
        organisation_id=subject.organisation_id,
        user=user,
        child=subject if isinstance(subject, Child) else None,
        adopter=subject if isinstance(subject, Adopter) else None,
        path=path[:300],
    )
