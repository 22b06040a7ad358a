"""Drive the main pages through gunicorn at 1 and 20 concurrent users (not part of the suite).

    QAPORTAL_RUN_DIR=/tmp/qa-large .venv/bin/python manage.py load_demo --size large
    QAPORTAL_RUN_DIR=/tmp/qa-large .venv/bin/python tests/perf/bench_load.py \
        [--seconds 10] [--rounds 3] [--users 1 20] [--workers 2] \
        [--json large.json] [--compare small.json]

For PostgreSQL, set DATABASE_URL as well (the run folder still holds media and locks).

It starts gunicorn with the production settings on 127.0.0.1 (a free port, `--workers`
sync workers), signs in as the demo roles through the real sign-in form, then for each
main page and each level of concurrency drives the page for `--seconds` seconds from that
many threads, each with its own session. The sign-in page is driven the same way in the
same run: every page's p50 is printed beside its ratio to the sign-in page's p50, so the
figures travel between machines. The seconds are spent in `--rounds` turns through all
the pages, so a spell when the machine runs slower (a shared host) falls on every page
and the sign-in page alike, not on the few that happened to be driven then. Each page's
query count comes from one request through Django's test client in this process.
`--json` keeps the results; `--compare` prints each page's p50 against a previous run's
(e.g. the large set against the small one).
Requests go to 127.0.0.1 only, and the server stops with the script.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qaportal.settings.dev")
os.environ["DJANGO_DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cases.models import Case, JourneyEvent, StaffMember  # noqa: E402

PASSWORD = "qaportal-demo"
SIGN_IN = "/accounts/login/"
# The main pages of each role, as the issue on page speed names them.
PAGES: dict[str, list[str]] = {
    "qa.manager": [
        "/",
        "/cases/",
        "/audits/",
        "/performance/indicators/visits-in-timescale/records/",
        "/performance/data-quality/",
        "/performance/",
        "/plan/",
        "/plan/actions/",
    ],
    "senior.leader": ["/", "/board/", "/board/audit-grades/"],
    "team.manager": ["/", "/cases/"],
    "business.support": ["/", "/performance/data-quality/"],
    "regional.lead": ["/", "/regional/"],
}


@dataclass
class Result:
    page: str
    user: str
    queries: int = 0
    levels: dict[str, dict[str, float]] = field(default_factory=dict)


class Session:
    """One signed-in browser: its cookies, sent as a TLS proxy would pass them on."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict[str, str] | None = None):
        connection_ = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        origin = f"https://127.0.0.1:{self.port}"
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "127.0.0.1",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        data = None
        if body is not None:
            data = urlencode(body)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": origin + path,
            }
        connection_.request(method, path, body=data, headers=headers)
        response = connection_.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection_.close()
        return response.status, content

    def sign_in(self, username: str) -> None:
        status, content = self.request("GET", SIGN_IN)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or token is None:
            raise SystemExit(f"the sign-in page answered {status}")
        fields = {
            "csrfmiddlewaretoken": token.group(1).decode(),
            "username": username,
            "password": PASSWORD,
        }
        status, _ = self.request("POST", SIGN_IN, fields)
        if status != 302:
            raise SystemExit(f"{username} could not sign in (status {status})")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "qaportal.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        # Persistent database connections, as .env.example sets them for production.
        "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "60"),
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "qaportal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = Session(port).request("GET", "/healthz")
            if status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit("gunicorn did not answer within a minute")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def drive(sessions: list[Session], path: str, seconds: float) -> list[float]:
    """Each session requests the page again and again until time is up; the time each
    request took, in seconds."""
    timings: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def user(session: Session) -> None:
        while time.monotonic() < deadline:
            start = time.perf_counter()
            status, _ = session.request("GET", path)
            elapsed = time.perf_counter() - start
            with lock:
                if status == 200:
                    timings.append(elapsed)
                else:
                    failures.append(status)

    threads = [threading.Thread(target=user, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"{path} answered {sorted(set(failures))} {len(failures)} times")
    return timings


def summary(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    return {
        "p50": statistics.median(ordered) * 1000,
        "p95": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000,
        "requests": len(ordered),
    }


def queries_for(username: str, path: str) -> int:
    client = Client()
    client.force_login(StaffMember.objects.get(user__username=username).user)
    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    if status != 200:
        raise SystemExit(f"{username} got {status} from {path}")
    return len(captured.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10, help="per page and level")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="drive every page in turn this many times, seconds/rounds each time",
    )
    parser.add_argument("--users", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--compare", type=Path, help="a previous run's --json, e.g. small")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver"]
    database = settings.DATABASES["default"]
    print(f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
    print(f"cases {Case.objects.count():,}, journey events {JourneyEvent.objects.count():,}")
    print(f"gunicorn: {args.workers} sync workers; {os.cpu_count()} CPUs")

    results = [Result(page=SIGN_IN, user="(signed out)")]
    results += [Result(page=p, user=u, queries=queries_for(u, p)) for u in PAGES for p in PAGES[u]]
    port = free_port()
    server = start_server(port, args.workers)
    try:
        for users in args.users:
            sessions = {name: [] for name in PAGES}
            for name in PAGES:
                for _ in range(users):
                    session = Session(port)
                    session.sign_in(name)
                    sessions[name].append(session)
            signed_out = [Session(port) for _ in range(users)]
            # In rounds, every page (the sign-in page too) a share of the time in each: a
            # machine that slows down or speeds up for a while does so for all of them,
            # so the ratios to the sign-in page hold.
            timings: list[list[float]] = [[] for _ in results]
            for _ in range(args.rounds):
                for result, taken in zip(results, timings, strict=True):
                    pool = signed_out if result.page == SIGN_IN else sessions[result.user]
                    taken += drive(pool, result.page, args.seconds / args.rounds)
            for result, taken in zip(results, timings, strict=True):
                result.levels[str(users)] = summary(taken)
    finally:
        stop_server(server)
    report(results, args.users, args.compare)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2))


def report(results: list[Result], levels: list[int], compare: Path | None) -> None:
    before = {}
    if compare:
        before = {(r["user"], r["page"]): r for r in json.loads(compare.read_text())}
    heading = f"{'user':<17}{'page':<54}{'queries':>8}"
    for users in levels:
        heading += f"{f'{users}u p50':>10}{'p95':>7}{'x in':>6}"
        if before:
            heading += f"{'x prev':>7}"
    print(heading)
    sign_in = results[0].levels
    for result in results:
        line = f"{result.user:<17}{result.page[:53]:<54}{result.queries:>8}"
        for users in levels:
            level = result.levels[str(users)]
            ratio = level["p50"] / sign_in[str(users)]["p50"]
            line += f"{level['p50']:>10.0f}{level['p95']:>7.0f}{ratio:>6.1f}"
            if before:
                previous = before.get((result.user, result.page), {}).get("levels", {})
                old = previous.get(str(users), {}).get("p50")
                line += f"{level['p50'] / old:>7.1f}" if old else f"{'-':>7}"
        print(line)


if __name__ == "__main__":
    main()
