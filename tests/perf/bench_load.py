"""Drive the main pages through gunicorn at 1 and 20 concurrent users (not part of the suite).

    QAPORTAL_RUN_DIR=/tmp/qa-large .venv/bin/python manage.py load_demo --size large
    QAPORTAL_RUN_DIR=/tmp/qa-large .venv/bin/python tests/perf/bench_load.py \
        [--seconds 10] [--rounds 3] [--users 1 20] [--workers 2] \
        [--json large.json] [--compare small.json] [--beside /tmp/qa-small]

For PostgreSQL, set DATABASE_URL as well (the run folder still holds media and locks).

It starts gunicorn with the production settings on 127.0.0.1 (a free port, `--workers`
sync workers), signs in as the demo roles through the real sign-in form, then for each
main page and each level of concurrency drives the page for `--seconds` seconds from that
many threads, each with its own session. The sign-in page is driven the same way in the
same run: every page's p50 is printed beside its ratio to the sign-in page's p50, so the
figures travel between machines ("x in"), and beside its ratio to the sign-in page driven
just before it, for a quarter of the page's time, in every round ("x pair"): on a shared
host whose speed drifts within a round, the pair is measured at the same speed. The
seconds are spent in `--rounds` turns through all the pages, so a spell when the machine
runs slower (a shared host) falls on every page and the sign-in page alike, not on the
few that happened to be driven then. Each page's query count comes from one request
through Django's test client in this process.
`--json` keeps the results; `--compare` prints each page's p50 against a previous run's
(e.g. the large set against the small one). `--beside RUN_DIR` (with
`--beside-database-url` for PostgreSQL) serves a second set from a second gunicorn and
drives its pages in the same rounds, page by page in turn with this set's, and prints
this set's p50 over that one's: on a shared host whose speed drifts between runs, the
large set against the small one is only comparable measured side by side.
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
    "team.manager": ["/", "/cases/", "/audits/"],
    "business.support": ["/", "/performance/data-quality/"],
    "regional.lead": ["/", "/regional/"],
}


@dataclass
class Result:
    page: str
    user: str
    queries: int | None = None  # counted on this run's own set only
    levels: dict[str, dict[str, float]] = field(default_factory=dict)


class Session:
    """One signed-in browser: its cookies, sent as a TLS proxy would pass them on."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
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


def start_server(port: int, workers: int, data: dict[str, str] | None = None) -> subprocess.Popen:
    """gunicorn on `port`; `data` replaces the run folder and database (the --beside set:
    no DATABASE_URL there means that folder's SQLite database)."""
    base = dict(os.environ)
    if data is not None:
        base.pop("DATABASE_URL", None)
        base |= data
    env = base | {
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
    parser.add_argument(
        "--beside",
        type=Path,
        help="another run folder (e.g. the small set), served and driven in the same rounds",
    )
    parser.add_argument(
        "--beside-database-url", help="the --beside set's database (default: its SQLite)"
    )
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver"]
    database = settings.DATABASES["default"]
    print(f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
    print(f"cases {Case.objects.count():,}, journey events {JourneyEvent.objects.count():,}")
    print(f"gunicorn: {args.workers} sync workers; {os.cpu_count()} CPUs")

    results = [Result(page=SIGN_IN, user="(signed out)", queries=0)]
    results += [Result(page=p, user=u, queries=queries_for(u, p)) for u in PAGES for p in PAGES[u]]
    targets = [Target(free_port(), results)]
    if args.beside:
        data = {"QAPORTAL_RUN_DIR": str(args.beside)}
        if args.beside_database_url:
            data["DATABASE_URL"] = args.beside_database_url
        print(f"beside: {args.beside_database_url or args.beside / 'db.sqlite3'}")
        beside = [Result(page=r.page, user=r.user) for r in results]
        targets.append(Target(free_port(), beside, data))
    servers = []
    try:
        for target in targets:
            servers.append(start_server(target.port, args.workers, target.data))
        for users in args.users:
            drive_rounds(targets, users, args.rounds, args.seconds)
    finally:
        for server in servers:
            stop_server(server)
    if args.beside:
        print("The --beside set, driven in the same rounds:")
        report(targets[1].results, args.users, None)
        print("This set, with its p50 against the --beside set's in the same run (x beside):")
        report(results, args.users, _by_page([asdict(r) for r in targets[1].results]), "x beside")
    else:
        before = _by_page(json.loads(args.compare.read_text())) if args.compare else {}
        report(results, args.users, before, "x prev")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2))
        if args.beside:
            path = args.json.with_name(args.json.stem + "-beside" + args.json.suffix)
            path.write_text(json.dumps([asdict(r) for r in targets[1].results], indent=2))


@dataclass
class Target:
    """A server and the results of its pages: this run's set, or the --beside set."""

    port: int
    results: list[Result]
    data: dict[str, str] | None = None


def _sessions(target: Target, users: int) -> dict[str, list[Session]]:
    """`users` signed-in sessions of each demo role on the target, and as many signed
    out (under "")."""
    sessions: dict[str, list[Session]] = {name: [] for name in PAGES}
    for name in PAGES:
        for _ in range(users):
            session = Session(target.port)
            session.sign_in(name)
            sessions[name].append(session)
    sessions[""] = [Session(target.port) for _ in range(users)]
    return sessions


def drive_rounds(targets: list[Target], users: int, rounds: int, seconds: float) -> None:
    """Every page of every target at `users` concurrent users, in rounds. In each round
    every page (the sign-in page too) gets a share of the time, each target's in turn,
    the first target first in one round and last in the next: a machine that slows down
    or speeds up for a while does so for all of them, so the ratios to the sign-in page,
    and between the targets, hold."""
    pools = [_sessions(target, users) for target in targets]
    timings: list[list[list[float]]] = [[[] for _ in target.results] for target in targets]
    # The sign-in page driven again just before each page, for a quarter of its time: each
    # page's multiple of the sign-in page measured beside it ("x pair"), which a drift of
    # the machine's speed between one part of a round and another cannot move.
    paired: list[list[list[float]]] = [[[] for _ in target.results] for target in targets]
    for turn in range(rounds):
        for index, result in enumerate(targets[0].results):
            order = list(range(len(targets)))
            for t in order if turn % 2 == 0 else order[::-1]:
                if result.page == SIGN_IN:
                    timings[t][index] += drive(pools[t][""], SIGN_IN, seconds / rounds)
                    continue
                paired[t][index] += drive(pools[t][""], SIGN_IN, seconds / rounds / 4)
                timings[t][index] += drive(pools[t][result.user], result.page, seconds / rounds)
    for target, taken_by_page, beside in zip(targets, timings, paired, strict=True):
        for result, taken, sign_in in zip(target.results, taken_by_page, beside, strict=True):
            level = summary(taken)
            if sign_in:
                level["sign_in_beside_p50"] = summary(sign_in)["p50"]
            result.levels[str(users)] = level


def _by_page(rows: list[dict]) -> dict[tuple[str, str], dict]:
    return {(r["user"], r["page"]): r for r in rows}


def report(
    results: list[Result],
    levels: list[int],
    before: dict[tuple[str, str], dict] | None,
    label: str = "",
) -> None:
    """A line a page: p50, p95 and the p50's multiple of the sign-in page's at each level,
    and, given `before` (another run's or set's results), this p50 over that one's."""
    heading = f"{'user':<17}{'page':<54}{'queries':>8}"
    for users in levels:
        heading += f"{f'{users}u p50':>10}{'p95':>7}{'x in':>6}{'x pair':>7}"
        if before:
            heading += f"{label:>9}"
    print(heading)
    sign_in = results[0].levels
    for result in results:
        queries = "-" if result.queries is None else str(result.queries)
        line = f"{result.user:<17}{result.page[:53]:<54}{queries:>8}"
        for users in levels:
            level = result.levels[str(users)]
            ratio = level["p50"] / sign_in[str(users)]["p50"]
            beside = level.get("sign_in_beside_p50")
            pair = f"{level['p50'] / beside:>7.1f}" if beside else f"{'-':>7}"
            line += f"{level['p50']:>10.0f}{level['p95']:>7.0f}{ratio:>6.1f}{pair}"
            if before:
                previous = before.get((result.user, result.page), {}).get("levels", {})
                old = previous.get(str(users), {}).get("p50")
                line += f"{level['p50'] / old:>9.1f}" if old else f"{'-':>9}"
        print(line)


if __name__ == "__main__":
    main()
