"""Time the main pages against the current database (not part of the suite).

    QAPORTAL_RUN_DIR=/tmp/qa-large .venv/bin/python manage.py load_demo --size large
    QAPORTAL_RUN_DIR=/tmp/qa-large .venv/bin/python tests/perf/bench_pages.py [--runs 20]

Signs in as each demo login through Django's test client (the whole request: middleware,
scoping, templates) and prints, per page, the median and slowest time and the number
of queries.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qaportal.settings.dev")
os.environ["DJANGO_DEBUG"] = "false"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import Case, Child, JourneyEvent, StaffMember, Team  # noqa: E402


def pages(username: str) -> list[str]:
    staff = StaffMember.objects.get(user__username=username)
    visible = Child.objects.visible_to(staff.user)
    child = visible.order_by("pk").first()
    busiest = (
        Case.objects.visible_to(staff.user)
        .exclude(child=None)
        .order_by("-pk")
        .values_list("child_id", flat=True)
        .first()
    )
    urls = [
        "/",
        "/cases/",
        "/cases/?status=open&sort=worker",
        "/cases/?sort=-subject&page=50",
        "/cases/?q=smith",
        f"/cases/?team={staff.team_id or ''}&stage=looked_after",
    ]
    if child:
        urls.append(child.get_absolute_url())
    if busiest:
        urls.append(f"/children/{busiest}/")
    return urls + performance_pages(staff) + governance_pages(staff)


def governance_pages(staff: StaffMember) -> list[str]:
    """The board, a measure with its drill-down, the improvement plan and the regional
    view, as far as the person may open them."""
    from governance.models import PlanAction

    user, urls = staff.user, []
    if user.has_perm("governance.view_board"):
        today = timezone.localdate()
        month = (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
        urls += [
            "/board/",
            "/board/audit-grades/",
            f"/board/audit-grades/{month}/",
            "/board/visits-in-timescale/",
        ]
    if user.has_perm("governance.view_plan"):
        urls += ["/plan/", "/plan/actions/?view=all", "/plan/quarterly/"]
        action = PlanAction.objects.visible_to(user).order_by("pk").first()
        if action:
            urls.append(action.get_absolute_url())
    if user.has_perm("governance.view_regional"):
        urls.append("/regional/")
    return urls


def performance_pages(staff: StaffMember) -> list[str]:
    """The performance pages the person may open: the catalogue, an indicator at each
    level, the records behind the organisation's figure, a KPQ, data quality, imports."""
    user, urls = staff.user, []
    if user.has_perm("performance.view_indicators"):
        team = Team.objects.filter(organisation=staff.organisation).order_by("pk").first()
        indicator = "/performance/indicators/visits-in-timescale/"
        urls += [
            "/performance/",
            indicator,
            f"{indicator}?service={team.service_id}",
            f"{indicator}?team={team.pk}",
            f"{indicator}records/",
            "/performance/indicators/recorded-within-2-days/records/",
            "/performance/questions/5/",
        ]
    if user.has_perm("performance.view_data_quality"):
        urls += ["/performance/data-quality/", "/performance/data-quality/?sort=team"]
    if user.has_perm("performance.view_import_runs"):
        urls.append("/performance/imports/")
    return urls


def measure(client: Client, url: str, runs: int) -> tuple[float, float, int, int]:
    timings = []
    queries = 0
    status = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        queries = len(ctx.captured_queries)
        status = response.status_code
    return statistics.median(timings), max(timings), queries, status


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--users",
        nargs="*",
        default=[
            "qa.manager",
            "team.manager",
            "practitioner",
            "senior.leader",
            "business.support",
            "regional.lead",
        ],
    )
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver"]
    print(f"database: {settings.DATABASES['default']['NAME']}")
    print(
        f"children {Child.objects.count():,}, cases {Case.objects.count():,}, "
        f"journey events {JourneyEvent.objects.count():,}"
    )
    print(f"{'user':<14}{'page':<48}{'median ms':>10}{'max ms':>9}{'queries':>9}{'status':>7}")
    for username in args.users:
        client = Client()
        client.force_login(StaffMember.objects.get(user__username=username).user)
        for url in pages(username):
            median, worst, queries, status = measure(client, url, args.runs)
            print(
                f"{username:<14}{url[:47]:<48}{median * 1000:>10.0f}{worst * 1000:>9.0f}"
                f"{queries:>9}{status:>7}"
            )


if __name__ == "__main__":
    main()
