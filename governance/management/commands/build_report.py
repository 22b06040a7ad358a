"""Generate one kind of report by hand: for every organisation (or one), for the period
the day falls after, the same way the schedule and QA's button do. Without --regenerate
a report already made for that period is kept (nothing new); with it, the next version.

    manage.py build_report --kind quarterly --day 2027-01-04 [--organisation council-a]
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cases.models import Organisation
from governance import report_builders, reports


class Command(BaseCommand):
    help = "Generate a report of one kind for every organisation (or one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", required=True, choices=list(report_builders.KINDS))
        parser.add_argument(
            "--day", help="Generate as if on this day (YYYY-MM-DD). Default: today."
        )
        parser.add_argument("--organisation", help="The organisation's slug. Default: all.")
        parser.add_argument(
            "--regenerate", action="store_true", help="Make the next version if one exists."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = (
                datetime.date.fromisoformat(options["day"])
                if options.get("day")
                else timezone.localdate()
            )
        except ValueError as error:
            raise CommandError("Enter the day as YYYY-MM-DD, for example 2027-01-04") from error
        organisations = Organisation.objects.order_by("pk")
        if options.get("organisation"):
            organisations = organisations.filter(slug=options["organisation"])
            if not organisations.exists():
                raise CommandError(f"No organisation {options['organisation']!r}")
        reports.reports_fail_stale()
        made = []
        for organisation in organisations:
            report = reports.report_request(
                organisation, options["kind"], day, regenerate=options["regenerate"]
            )
            if report is not None:
                made.append(report)
        period = report_builders.period_for(options["kind"], day)
        self.stdout.write(
            f"build_report {options['kind']} for {period.label}: {len(made)} queued"
            + "".join(f"\n  {r.organisation.name}: version {r.version}" for r in made)
        )
