"""Time the nightly indicator recompute against the current database (not part of the
suite). The target: under 30 seconds for `load_demo --size large`.

    QAPORTAL_RUN_DIR=/tmp/qa-large .venv/bin/python manage.py load_demo --size large
    QAPORTAL_RUN_DIR=/tmp/qa-large .venv/bin/python tests/perf/bench_recompute.py

Runs the recompute twice: the first run writes every value that changed, the second
shows what an ordinary night costs when little has changed. Prints each indicator's
time on the largest organisation, then the totals.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qaportal.settings.dev")
os.environ["DJANGO_DEBUG"] = "false"

import django

django.setup()

from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import JourneyEvent, Organisation  # noqa: E402
from performance.indicators import CATALOGUE  # noqa: E402
from performance.indicators.source import Source  # noqa: E402
from performance.models import IndicatorValue  # noqa: E402
from performance.services.indicators import (  # noqa: E402
    indicators_recompute,
    values_for,
    window_for,
)


def per_indicator(day: datetime.date) -> None:
    largest = (
        Organisation.objects.annotate(events=Count("journey_events")).order_by("-events").first()
    )
    print(f"Per indicator, {largest} ({largest.events:,} events):")
    source = Source(window_for(largest.pk, day))
    for slug, indicator in CATALOGUE.items():
        started = time.monotonic()
        values = values_for(indicator, source)
        print(f"  {slug:<34} {time.monotonic() - started:6.2f} s  {len(values):>6} values")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--day", type=datetime.date.fromisoformat, default=timezone.localdate())
    parser.add_argument("--per-indicator", action="store_true")
    args = parser.parse_args()
    events, organisations = JourneyEvent.objects.count(), Organisation.objects.count()
    print(f"{events:,} journey events in {organisations} organisations")
    if args.per_indicator:
        per_indicator(args.day)
    for run in ("first", "second"):
        started = time.monotonic()
        result = indicators_recompute(day=args.day)
        print(f"{run} run: {time.monotonic() - started:.1f} s  {result}")
    print(f"{IndicatorValue.objects.count():,} indicator values stored")


if __name__ == "__main__":
    main()
