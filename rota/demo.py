"""Demo rota for the demo region, run by `load_demo` after the audits' demo (registered
from RotaConfig.ready): a year's rota from this month in every organisation, planned (not
opened). Idempotent: an organisation that has a rota keeps it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cases.demo import names
from cases.models import Organisation
from rota.models import Activity, QARules
from rota.services import RotaError, rota_generate


def load(*, stdout: Any, size: str) -> None:
    """Plan a rota for every organisation of the demo region."""
    today = timezone.localdate()
    organisations = Organisation.objects.filter(region__slug=names.REGION_SLUG).order_by("pk")
    for org in organisations:
        stdout.write(_ensure_rota(org, today) + "\n")


def _ensure_rota(org: Organisation, today: datetime.date) -> str:
    """A year's rota from this month, planned (not opened): the adoption agency's rules
    are 5 audits per manager a quarter (seed 000); the councils keep the defaults."""
    if org.rotas.exists():
        return f"{org.name}: rota already planned"
    if org.kind == Organisation.Kind.ADOPTION_AGENCY:
        QARules.objects.update_or_create(
            organisation=org,
            defaults={
                "quota_period": "quarter",
                "quota": 5,
                "activities": [Activity.PRACTICE_REVIEW],
            },
        )
    try:
        rota = rota_generate(organisation=org, starts_on=today.replace(day=1), by=None)
    except RotaError as refused:
        return f"{org.name}: no rota ({refused})"
    return f"{org.name}: rota of {rota.slots.count()} slots from {rota.starts_on:%B %Y}"
