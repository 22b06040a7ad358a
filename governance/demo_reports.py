"""The demo's reports: for each demo organisation, last month's monthly QA report and last
quarter's Quality of Practice report, generated on the spot when their builders exist,
the quarterly one published to the organisation's "Quality Improvement Board" (the
boards themselves are the boards demo's). Idempotent: a report already there is kept."""

from __future__ import annotations

from importlib.util import find_spec
from typing import Any

from django.utils import timezone

from cases.demo import names
from cases.models import Organisation, StaffMember
from cases.roles import Role
from governance import report_builders, reports
from governance.models import Board, Report

BOARD_NAME = "Quality Improvement Board"


def _has_builder(kind: str) -> bool:
    try:
        return find_spec(report_builders.KINDS[kind][1]) is not None
    except ModuleNotFoundError:
        return False


def _generate(organisation: Organisation, kind: str) -> tuple[Report, bool]:
    """The report of `kind` for the latest period, generated now (not by a worker), and
    whether it is new."""
    period = report_builders.period_for(kind, timezone.localdate())
    report = (
        Report.objects.filter(organisation=organisation, kind=kind, period_start=period.start)
        .order_by("-version")
        .first()
    )
    if report is None:
        report = Report.objects.create(
            organisation=organisation,
            kind=kind,
            period_start=period.start,
            period_end=period.end,
            period_label=period.label,
        )
    if report.status != Report.Status.QUEUED:
        return report, False
    reports.report_generate(report_pk=report.pk)
    report.refresh_from_db()
    return report, True


def load(*, stdout: Any, size: str) -> None:
    kinds = [
        kind for kind in (report_builders.MONTHLY, report_builders.QUARTERLY) if _has_builder(kind)
    ]
    if not kinds:
        stdout.write("Reports: no report builders yet, none generated")
        return
    made = published = 0
    organisations = Organisation.objects.filter(region__slug=names.REGION_SLUG).order_by("pk")
    for organisation in organisations:
        for kind in kinds:
            report, fresh = _generate(organisation, kind)
            if not fresh or report.status != Report.Status.DRAFT:
                continue
            made += 1
            board = Board.objects.filter(
                organisation=organisation, name=BOARD_NAME, active=True
            ).first()
            qa = (
                StaffMember.objects.filter(organisation=organisation, role=Role.QA)
                .order_by("pk")
                .first()
            )
            if kind == report_builders.QUARTERLY and board is not None and qa is not None:
                reports.report_publish(report=report, by=qa, boards=[board])
                published += 1
    stdout.write(f"Reports: {made} generated, {published} published to a board")
