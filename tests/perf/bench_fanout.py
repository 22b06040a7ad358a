"""Time the nightly recompute and data-quality run fanned out over Celery workers in
separate processes, at each concurrency given (not part of the suite).

    mkdir -p /tmp/qa-fan && cp /tmp/qa-large/db.sqlite3 /tmp/qa-fan/source.sqlite3
    QAPORTAL_RUN_DIR=/tmp/qa-fan .venv/bin/python tests/perf/bench_fanout.py \\
        --source /tmp/qa-fan/source.sqlite3 --concurrency 1 2

Before each run the database is copied afresh from `--source` into the run folder, so
every run does the same work; a worker (`celery -A qaportal worker --concurrency N`, the
filesystem broker by default) is started, the entry task queued, and the time taken until
every organisation's task has succeeded is printed with each organisation's own time.
The time includes the broker's polling (about a second). SQLite lets one writer in at a
time, and one large organisation bounds the whole run however many workers there are.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qaportal.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import Organisation  # noqa: E402
from performance import tasks  # noqa: E402

JOBS = {
    "indicators_recompute": tasks.indicators_recompute_task,
    "data_quality_run": tasks.data_quality_run_task,
}


def fresh_run_folder(source: Path) -> None:
    connection.close()
    run = Path(settings.RUN_DIR)
    for name in ("broker", "broker-processed", "broker-control", "locks"):
        shutil.rmtree(run / name, ignore_errors=True)
        (run / name).mkdir(parents=True)
    for suffix in ("", "-wal", "-shm"):
        (run / f"db.sqlite3{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, run / "db.sqlite3")


def bench(job: str, concurrency: int, source: Path, day: str) -> None:
    fresh_run_folder(source)
    organisations = Organisation.objects.count()
    log = Path(settings.RUN_DIR) / f"bench-{job}-{concurrency}.log"
    command = [sys.executable, "-m", "celery", "-A", "qaportal", "worker", "--loglevel=INFO"]
    command += [f"--concurrency={concurrency}", f"-n=bench{concurrency}@%h", "--without-mingle"]
    with open(log, "w") as output:
        worker = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    try:
        while "ready." not in log.read_text():
            time.sleep(0.2)
        started = time.monotonic()
        JOBS[job].delay(day)
        done = re.compile(rf"{job}_organisation_task\[[^]]+\] succeeded in ([0-9.]+)s: (.*)")
        while len(found := done.findall(log.read_text())) < organisations:
            if "raised unexpected" in log.read_text():
                raise SystemExit(f"A task failed: see {log}")
            time.sleep(0.2)
        took = time.monotonic() - started
    finally:
        worker.terminate()
        worker.wait()
    print(f"{job}, concurrency {concurrency}: {took:.1f} s for {organisations} organisations")
    for seconds, result in found:
        print(f"  {float(seconds):6.2f} s  {result[:120]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--job", choices=sorted(JOBS), nargs="+", default=sorted(JOBS))
    parser.add_argument("--day", default=timezone.localdate().isoformat())
    args = parser.parse_args()
    for job in args.job:
        for concurrency in args.concurrency:
            bench(job, concurrency, args.source, args.day)


if __name__ == "__main__":
    main()
