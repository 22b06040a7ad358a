"""The base of the commands that run a nightly per-organisation job by hand."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser

from core.scheduling import JobCommand
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

    def run(self, day: datetime.date, options: dict[str, Any]) -> dict[str, Any]:
        organisation_id = options.get("organisation")
        if organisation_id is not None and not organisation_ids(organisation_id):
            raise CommandError(f"There is no organisation with id {organisation_id}")
        result = type(self).service(day=day, organisation_id=organisation_id)
        if result.get("failed"):
            self.stdout.write(f"{self.job_name}: {result}")
            raise CommandError(f"{self.job_name} failed for organisations {result['failed']}")
        return result
