"""Time a million-row journey-events import (not part of the suite).

    export QAPORTAL_RUN_DIR=/tmp/qa-bench      # a throwaway database: this adds a million rows
    .venv/bin/python manage.py migrate --noinput && .venv/bin/python manage.py load_demo
    .venv/bin/python tests/perf/bench_import.py [--rows 1000000] [--cases 2000]

For the demo council that business.support belongs to, it writes a cases file for
existing demo children and imports it, then writes a journey-events file of --rows rows
over those cases and imports it through the same service the Celery task calls
(import_run_process): streamed checking of every row, then one transaction of batched
inserts. It prints the time to check and to save, then imports the same file again,
which must change nothing. The target is under two minutes for the first import.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qaportal.settings.dev")
os.environ["DJANGO_DEBUG"] = "false"

import django

django.setup()

from django.core.files import File  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import Child, JourneyEvent, StaffMember, Team  # noqa: E402
from performance import tasks  # noqa: E402
from performance.models import ImportRun  # noqa: E402
from performance.services.imports import import_run_create, import_run_process  # noqa: E402

KINDS = ("visit", "review", "supervision", "placement_started", "assessment_completed")
PLACEMENTS = ("foster", "kinship", "residential")
LIMIT_SECONDS = 120


def write_cases(path: Path, staff: StaffMember, prefix: str, count: int) -> list[str]:
    children = list(
        Child.objects.filter(organisation=staff.organisation).values_list("reference", flat=True)
    )
    teams = list(
        Team.objects.filter(organisation=staff.organisation).values_list("name", flat=True)
    )
    refs = []
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["case_id", "child_id", "team", "opened_on", "closed_on", "journey_stage"])
        for n in range(count):
            ref = f"{prefix}-C{n:06d}"
            refs.append(ref)
            writer.writerow(
                [
                    ref,
                    children[n % len(children)],
                    teams[n % len(teams)],
                    "2022-01-01",
                    "",
                    "looked_after",
                ]
            )
    return refs


def write_events(path: Path, cases: list[str], prefix: str, rows: int) -> None:
    rng = random.Random(903)
    today = timezone.localdate()
    start = datetime.date(2022, 1, 1)
    span = (today - start).days - 10
    days = [(start + datetime.timedelta(days=d)).isoformat() for d in range(span + 10)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "event_id",
                "case_id",
                "kind",
                "occurred_on",
                "recorded_on",
                "seen",
                "seen_alone",
                "placement_type",
                "outcome",
            ]
        )
        for n in range(rows):
            kind = KINDS[n % len(KINDS)]
            occurred = rng.randrange(span)
            visit = kind == "visit"
            writer.writerow(
                [
                    f"{prefix}-E{n:07d}",
                    cases[rng.randrange(len(cases))],
                    kind,
                    days[occurred],
                    days[occurred + rng.randrange(6)],
                    "yes" if visit else "",
                    ("yes" if n % 3 else "no") if visit else "",
                    PLACEMENTS[n % 3] if kind == "placement_started" else "",
                    "",
                ]
            )


def timed_import(staff: StaffMember, kind: str, path: Path) -> ImportRun:
    started = time.monotonic()
    with path.open("rb") as handle:
        run = import_run_create(uploaded_by=staff, kind=kind, upload=File(handle, name=path.name))
    import_run_process(run_pk=run.pk)
    run.refresh_from_db()
    seconds = run.details.get("seconds", {})
    print(
        f"  {run.get_kind_display()}: {run.get_status_display()} in "
        f"{time.monotonic() - started:.1f}s (checking {seconds.get('checking', 0):.1f}s, "
        f"saving {seconds.get('saving', 0):.1f}s): {run.created_count:,} created, "
        f"{run.updated_count:,} updated, {run.unchanged_count:,} unchanged, "
        f"{run.problem_count} problems"
    )
    if run.problem_count:
        for problem in run.problems.all()[:10]:
            print(f"    row {problem.row} {problem.column}: {problem.message}")
    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--username", default="business.support")
    parser.add_argument("--no-reimport", action="store_true")
    args = parser.parse_args()
    # The service queues the Celery task when its transaction commits; here the import
    # is run in this process instead, so nothing is sent to a broker.
    tasks.import_run_process_task.delay = lambda *a, **k: None

    staff = StaffMember.objects.select_related("organisation").get(user__username=args.username)
    prefix = f"BENCH{int(time.time())}"
    print(
        f"{connection.vendor}: {staff.organisation} ({JourneyEvent.objects.count():,} journey "
        f"events in the database)"
    )
    with tempfile.TemporaryDirectory() as folder:
        cases_path = Path(folder) / "bench-cases.csv"
        events_path = Path(folder) / "bench-events.csv"
        cases = write_cases(cases_path, staff, prefix, args.cases)
        started = time.monotonic()
        write_events(events_path, cases, prefix, args.rows)
        size = events_path.stat().st_size / 1024 / 1024
        print(f"Wrote {args.rows:,} events ({size:.0f} MB) in {time.monotonic() - started:.1f}s")
        timed_import(staff, ImportRun.Kind.CASES, cases_path)
        run = timed_import(staff, ImportRun.Kind.EVENTS, events_path)
        total = sum(run.details.get("seconds", {}).values())
        verdict = "under" if total < LIMIT_SECONDS else "OVER"
        print(f"Checking + saving {args.rows:,} rows: {total:.1f}s ({verdict} {LIMIT_SECONDS}s)")
        if not args.no_reimport:
            print("The same file again (must change nothing):")
            timed_import(staff, ImportRun.Kind.EVENTS, events_path)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
