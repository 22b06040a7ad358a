"""Demo data of the performance app, loaded by `manage.py load_demo` after the case data:
indicator values worked out from the demo case records, a few targets, benchmarks marked
as demo reference data, an alert rule for each council, and the data-quality issues.

Idempotent: a second run changes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cases.models import Organisation, StaffMember
from performance.indicators import CATALOGUE
from performance.models import AlertRule, Benchmark, Target
from performance.services.indicators import indicators_recompute

# (indicator, target, (England, statistical neighbours, outstanding councils)). The
# benchmarks are demo reference data, not published figures: their source says so.
REFERENCE = [
    ("re-referrals-12-months", 20.0, (22.4, 21.0, 17.5)),
    ("assessments-45-days", 85.0, (82.0, 84.0, 90.0)),
    ("icpc-15-days", 80.0, (78.0, 76.0, 88.0)),
    ("visits-in-timescale", 90.0, (None, None, None)),
    ("children-seen-alone", 80.0, (None, None, None)),
    ("three-plus-placements", 10.0, (10.0, 10.5, 8.0)),
    ("care-proceedings-26-weeks", 60.0, (45.0, 40.0, 55.0)),
    ("recorded-within-2-days", 90.0, (None, None, None)),
    ("supervision-in-timescale", 90.0, (None, None, None)),
    ("stage-one-2-months", 80.0, (None, None, None)),
]
DEMO_SOURCE = "Demo reference data: not a published figure"
BENCHMARK_KINDS = (Benchmark.Kind.ENGLAND, Benchmark.Kind.NEIGHBOURS, Benchmark.Kind.OUTSTANDING)


def _reference(organisation: Organisation, qa: StaffMember | None, today: datetime.date) -> None:
    starts_on = datetime.date(today.year - (1 if today.month < 4 else 0), 4, 1)
    period = f"{starts_on.year - 1}-{str(starts_on.year)[2:]}"
    for slug, target, comparators in REFERENCE:
        assert slug in CATALOGUE, slug
        Target.objects.get_or_create(
            organisation=organisation,
            indicator=slug,
            starts_on=starts_on,
            defaults={"value": target, "set_by": qa, "note": "Set for the demo"},
        )
        for kind, value in zip(BENCHMARK_KINDS, comparators, strict=True):
            if value is not None:
                Benchmark.objects.get_or_create(
                    organisation=organisation,
                    indicator=slug,
                    kind=kind,
                    period=period,
                    defaults={"value": value, "source": DEMO_SOURCE},
                )
    if qa is not None and organisation.kind != Organisation.Kind.ADOPTION_AGENCY:
        AlertRule.objects.get_or_create(
            organisation=organisation,
            indicator="visits-in-timescale",
            defaults={"threshold": 90.0, "created_by": qa},
        )


def load(*, stdout: Any, size: str) -> None:
    today = timezone.localdate()
    for organisation in Organisation.objects.order_by("name"):
        qa = StaffMember.objects.filter(organisation=organisation, role="qa").first()
        _reference(organisation, qa, today)
    result = indicators_recompute(day=today)
    stdout.write(
        f"Indicators: {result['created']:,} values new, {result['updated']:,} changed, "
        f"{result['proposals']} focused audits proposed ({result['seconds']} s)"
    )
    from performance.demo_quality import load as load_quality

    load_quality(today)
