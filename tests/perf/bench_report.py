"""Time building the quarterly Quality of Practice report and the monthly QA report for
the largest organisation of the current database (not part of the suite): the issue's
budget is for the quarterly report on `load_demo --size large`.

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
from governance.report_builders import MONTHLY, QUARTERLY, builder, period_for  # noqa: E402


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
    for kind in (QUARTERLY, MONTHLY):
        period = period_for(kind, day)
        build = builder(kind)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            content = build(largest, period)
        took = time.perf_counter() - started
        size = len(json.dumps(content.to_json()))
        print(
            f"  {kind:9} {period.label:28} {took:6.2f} s  {len(queries):3} queries  "
            f"{len(content.sections)} sections  {size:,} bytes of JSON"
        )


if __name__ == "__main__":
    main()
