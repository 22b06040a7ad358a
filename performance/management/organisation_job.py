"""The base of the commands that run a nightly per-organisation job by hand."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from core.scheduling import JobCommand, parse_day
from performance.services.organisations import organisation_ids


class OrganisationJobCommand(JobCommand):
    """Runs every organisation in this process, each under its own lock (the lock the
    nightly task for that organisation takes), or only the one given."""

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--organisation",
            type=int,
            help="Run for this organisation only (its id). Default: every organisation.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = parse_day(options.get("date"))
        except ValueError as error:
            raise CommandError("Enter the date as YYYY-MM-DD, for example 2026-12-01") from error
        organisation_id = options.get("organisation")
        if organisation_id is not None and not organisation_ids(organisation_id):
            raise CommandError(f"There is no organisation with id {organisation_id}")
        day = day or timezone.localdate()
        result = type(self).service(day=day, organisation_id=organisation_id)
        self.stdout.write(f"{self.job_name}: {result}")
        if result.get("failed"):
            raise CommandError(f"{self.job_name} failed for organisations {result['failed']}")
