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
    # The board's figures by service and team join audits to their cases for these two
    # columns alone (governance.board.service_charts, figures.proportion_by_service_month).
    assert ["id", "service_id", "team_id"] in _index_columns("cases_case")


def test_the_board_counts_audit_grades_by_month_off_one_index():
    # governance.figures.audit_grades: graded audits by month submitted, split by status,
    # grade, case and supervisee; the index holds every column the count reads.
    assert [
        "organisation_id",
        "submitted_at",
        "status",
        "overall_grade",
        "case_id",
        "supervisee_id",
    ] in _index_columns("audits_audit")
