"""Load the demo region: `manage.py load_demo [--size small|large] [--children N]`."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from cases.demo import load_demo, summary
from core import registry


class Command(BaseCommand):
    help = (
        "Load a fictional region (three councils and a regional adoption agency) with two "
        "years of case history. Idempotent: only what is missing is created. --size large "
        "scales the first council to 20,000 children for benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=["small", "large"], default="small")
        parser.add_argument(
            "--children",
            type=int,
            default=None,
            help="Children in the first council (default: 170 small, 20,000 large).",
        )
        parser.add_argument(
            "--councils",
            type=int,
            default=3,
            help="Councils in the region (3 to 23, default 3): the ones past the third "
            "are small councils for showing the nightly jobs spread over several workers.",
        )

    def handle(
        self, *args: Any, size: str, children: int | None, councils: int, **options: Any
    ) -> None:
        if not 3 <= councils <= 23:
            raise CommandError("--councils must be between 3 and 23")
        started = time.monotonic()
        loaded = load_demo(
            size=size, first_council_children=children, councils=councils, out=self.stdout.write
        )
        refresh_statistics()
        self.load_other_apps(size)
        refresh_statistics()
        if not loaded:
            return
        for row in summary():
            self.stdout.write(
                f"{row['name']}: {row['staff']} staff, {row['children']:,} children, "
                f"{row['adopters']} adopters, {row['cases']:,} cases "
                f"({row['open_cases']:,} open), {row['events']:,} events"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded in {time.monotonic() - started:.1f}s. "
                "Sign in as qa.manager, team.manager, practitioner, senior.leader, "
                "business.support, regional.lead or other.manager with the password qaportal-demo."
            )
        )

    def load_other_apps(self, size: str) -> None:
        """Each app's own demo data, from the loaders the apps register (in INSTALLED_APPS
        order) in core.registry, so cases never imports the other apps."""
        for load in registry.demo_loaders:
            load(stdout=self.stdout, size=size)


def refresh_statistics() -> None:
    """On PostgreSQL, ANALYZE after bulk loading: without fresh statistics the planner
    may pick a plan fit for empty tables, and a query of a few hundred rows then ran for
    minutes. ANALYZE works inside a transaction and sees that transaction's own rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
