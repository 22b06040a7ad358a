"""Helpers for the case-data import tests: an organisation with business support, and
uploading a file and running its import as the Celery task would."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from cases.models import Service, StaffMember, Team
from performance.models import ImportRun
from performance.services.imports import import_run_create, import_run_process
from tests.factories import OrganisationFactory, ServiceFactory, StaffMemberFactory, TeamFactory

FIXTURES = Path(__file__).parent / "fixtures"
SSDA903 = FIXTURES / "ssda903"


@dataclass
class Council:
    staff: StaffMember  # business support
    team: Team  # a looked-after team
    other_team: Team  # a child protection team

    @property
    def organisation_id(self) -> int:
        return self.staff.organisation_id


def make_council(name: str = "Importshire") -> Council:
    organisation = OrganisationFactory(name=f"{name} Council", slug=name.lower())
    lac = ServiceFactory(
        organisation=organisation, name="Looked after", kind=Service.Kind.LOOKED_AFTER
    )
    cp = ServiceFactory(
        organisation=organisation, name="Child protection", kind=Service.Kind.CHILD_PROTECTION
    )
    team = TeamFactory(service=lac, name="Looked after 1")
    other = TeamFactory(service=cp, name="Child protection 1")
    staff = StaffMemberFactory(
        user__username=f"{name.lower()}.support",
        organisation=organisation,
        team=None,
        service=None,
        business_support=True,
    )
    return Council(staff=staff, team=team, other_team=other)


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "file.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def run_import(
    council: Council,
    kind: str,
    content: bytes,
    name: str = "file.csv",
    *,
    episodes: bytes | None = None,
    episodes_name: str = "episodes.csv",
    collection_year: int | None = None,
) -> ImportRun:
    """Upload and import, as the view and the task would (on_commit does not fire inside a
    test's transaction, so the task's service is called here)."""
    run = import_run_create(
        uploaded_by=council.staff,
        kind=kind,
        upload=upload(content, name),
        second_upload=upload(episodes, episodes_name) if episodes is not None else None,
        team=council.team if kind == ImportRun.Kind.SSDA903 else None,
        collection_year=collection_year,
    )
    import_run_process(run_pk=run.pk)
    run.refresh_from_db()
    return run


def problems_of(run: ImportRun) -> list[tuple[int | None, str, str, str]]:
    return [(p.row, p.column, p.value, p.message) for p in run.problems.order_by("pk")]


def messages_of(run: ImportRun) -> str:
    return "\n".join(p.message for p in run.problems.order_by("pk"))


def ssda903_files() -> tuple[bytes, bytes]:
    return (SSDA903 / "header.csv").read_bytes(), (SSDA903 / "episodes.csv").read_bytes()
