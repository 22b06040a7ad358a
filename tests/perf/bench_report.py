"""Time building every kind of report for the largest organisation of the current
database (not part of the suite), against a budget: each report within BUDGET_SECONDS
on `load_demo --size large` (a worker builds it while the page shows progress; the
nightly recompute has the same budget).

    QAPORTAL_RUN_DIR=/tmp/qa-large .venv/bin/python manage.py load_demo --size large
    QAPORTAL_RUN_DIR=/tmp/qa-large .venv/bin/python tests/perf/bench_report.py

Prints each report's time and query count (the builders read aggregates: the count does
not grow with the records), and the size of the content stored as JSON.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qaportal.settings.dev")
os.environ["DJANGO_DEBUG"] = "false"

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import Organisation  # noqa: E402
from governance.report_builders import KINDS, builder, period_for  # noqa: E402

BUDGET_SECONDS = 30.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--date", help="the day the reports are generated on (YYYY-MM-DD)")
    args = parser.parse_args()
    day = datetime.date.fromisoformat(args.date) if args.date else timezone.localdate()
    largest = (
        Organisation.objects.annotate(case_count=Count("cases")).order_by("-case_count").first()
    )
    if largest is None:
        print("No organisations: load the demo first.")
        return
    print(f"{largest} ({largest.case_count:,} cases), generated on {day:%-d %B %Y}:")
    over = 0
    for kind in KINDS:
        period = period_for(kind, day)
        build = builder(kind)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            content = build(largest, period)
        took = time.perf_counter() - started
        size = len(json.dumps(content.to_json()))
        verdict = "within budget" if took <= BUDGET_SECONDS else "OVER BUDGET"
        over += took > BUDGET_SECONDS
        print(
            f"  {kind:15} {period.label:28} {took:6.2f} s  {len(queries):3} queries  "
            f"{len(content.sections)} sections  {size:,} bytes of JSON  {verdict}"
        )
    print(
        f"Budget {BUDGET_SECONDS:.0f} s a report: {'all within' if not over else f'{over} over'}."
    )


if __name__ == "__main__":
    main()
