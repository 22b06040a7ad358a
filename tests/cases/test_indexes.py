"""The indexes the pages' figures rely on are in the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def _index_columns(table: str) -> list[list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [c["columns"] for c in constraints.values() if c["index"] and not c["primary_key"]]


def test_a_cases_service_and_team_can_be_read_by_its_id_from_an_index():
    # Figures by service that join rows to their case read these two columns alone
    # (e.g. feedback's disputes by service, feedback.figures_disputes).
    assert ["id", "service_id", "team_id"] in _index_columns("cases_case")


def test_the_board_counts_audit_grades_by_month_off_one_index():
    # governance.figures.audit_grades: graded audits by month submitted, split by status,
    # grade and the service and team kept on the audit; the index holds every column the
    # count reads.
    assert [
        "organisation_id",
        "submitted_at",
        "status",
        "overall_grade",
        "service_id",
        "team_id",
    ] in _index_columns("audits_audit")
