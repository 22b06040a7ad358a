"""The home page reads each row it lists in the query that lists it: a column a row
shows that the query leaves out (`.only()`) would cost a query per row."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import AdopterCaseFactory, CaseFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    """Visits fall due by the calendar: a fixed day, never today's."""
    with time_machine.travel(datetime.datetime(2026, 11, 18, 10, tzinfo=datetime.UTC), tick=False):
        yield


def _cases(scenario, count: int) -> list:
    """`count` open cases of each kind in the scenario's team, each with a visit due or
    late and a last visit: children's and adopters', the practitioner's, a colleague's and
    nobody's."""
    today = timezone.localdate()
    team = scenario.case.team
    workers = [scenario.people["practitioner"], StaffMemberFactory(team=team), None]
    made = []
    for n in range(count):
        for factory in (CaseFactory, AdopterCaseFactory):
            made.append(
                factory(
                    team=team,
                    service=team.service,
                    allocated_worker=workers[n % 3],
                    last_visit_on=today - datetime.timedelta(days=40 + n),
                    next_visit_due_on=today + datetime.timedelta(days=n % 9 - 3),
                )
            )
    return made


def _home_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("role", ["practitioner", "team_manager", "service_manager", "qa"])
def test_the_home_page_reads_as_many_queries_for_many_rows_as_for_few(client, scenario, role):
    client.force_login(scenario.people[role].user)
    few = _cases(scenario, 2)
    before, body = _home_queries(client)
    many = _cases(scenario, 10)
    after, body = _home_queries(client)
    assert after == before
    # Rows of each kind are listed: a child's name and a household's.
    shown = [case for case in few + many if case.subject.get_absolute_url() in body]
    assert any(case.child_id for case in shown)
    assert any(case.adopter_id for case in shown)
