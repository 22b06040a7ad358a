"""Data migrations of the cases app: the one that stores each case's visit dates fills
them for the cases already there, as the running code keeps them; the access log's move
to one entry per response carries each entry's subject over and back."""

import datetime

import pytest

from tests import testdb

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("cases", "0006_event_last_of_kind_index")]
AFTER = [("cases", "0007_stored_visit_dates")]


def test_existing_cases_get_their_last_visit_and_next_visit_due(migrator):
    old = migrator.apply_initial_migration(BEFORE)
    model = old.apps.get_model
    org = model("cases", "Organisation").objects.create(
        region=model("cases", "Region").objects.create(name="R", slug="r"),
        name="Council",
        slug="council",
        kind="council",
    )
    service = model("cases", "Service").objects.create(
        organisation=org, name="Children looked after", kind="looked_after"
    )
    team = model("cases", "Team").objects.create(organisation=org, service=service, name="T1")
    child = model("cases", "Child").objects.create(
        organisation=org,
        reference="C1",
        given_name="A",
        family_name="B",
        date_of_birth=datetime.date(2015, 1, 1),
    )
    Case = model("cases", "Case")
    visited = Case.objects.create(
        organisation=org,
        service=service,
        team=team,
        child=child,
        opened_on=datetime.date(2025, 1, 1),
    )
    never_visited = Case.objects.create(
        organisation_id=visited.organisation_id,
        service_id=visited.service_id,
        team_id=visited.team_id,
        child_id=visited.child_id,
        opened_on=datetime.date(2025, 6, 1),
    )
    closed = Case.objects.create(
        organisation_id=visited.organisation_id,
        service_id=visited.service_id,
        team_id=visited.team_id,
        child_id=visited.child_id,
        opened_on=datetime.date(2025, 1, 1),
        status="closed",
        closed_on=datetime.date(2025, 3, 1),
    )
    events = old.apps.get_model("cases", "JourneyEvent").objects
    for case, day, kind in [
        (visited, datetime.date(2025, 2, 1), "visit"),
        (visited, datetime.date(2025, 3, 1), "visit"),
        (visited, datetime.date(2025, 4, 1), "review"),
        (closed, datetime.date(2025, 2, 1), "visit"),
    ]:
        events.create(
            organisation_id=case.organisation_id,
            case=case,
            kind=kind,
            occurred_on=day,
            recorded_on=day,
        )

    new = migrator.apply_tested_migration(AFTER)
    stored = dict(
        (pk, (last, due))
        for pk, last, due in new.apps.get_model("cases", "Case").objects.values_list(
            "pk", "last_visit_on", "next_visit_due_on"
        )
    )
    # Looked after: every 42 days, from the last visit or, with none, the opening.
    assert stored == {
        visited.pk: (datetime.date(2025, 3, 1), datetime.date(2025, 4, 12)),
        never_visited.pk: (None, datetime.date(2025, 7, 13)),
        closed.pk: (datetime.date(2025, 2, 1), None),
    }


# The migration to one entry per response


@pytest.mark.django_db(transaction=True)
def test_the_migration_carries_each_entrys_subject_over_and_back():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("cases", "0003_source_refs")]
    after = [("cases", "0004_access_log_per_response")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        region = old.get_model("cases", "Region").objects.create(name="R", slug="r")
        organisation = old.get_model("cases", "Organisation").objects.create(
            region=region, name="O", slug="o", kind="council"
        )
        user = old.get_model("auth", "User").objects.create(username="reader")
        child = old.get_model("cases", "Child").objects.create(
            organisation=organisation, reference="C1", given_name="A", family_name="B"
        )
        adopter = old.get_model("cases", "Adopter").objects.create(
            organisation=organisation, reference="A1", household_name="H", household="single"
        )
        OldLog = old.get_model("cases", "AccessLog")
        common = {"organisation": organisation, "user": user, "path": "/x/"}
        OldLog.objects.create(child=child, **common)
        OldLog.objects.create(adopter=adopter, **common)

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        NewLog = new.get_model("cases", "AccessLog")
        entries = NewLog.objects.order_by("pk")
        assert [list(e.children.values_list("reference", flat=True)) for e in entries] == [
            ["C1"],
            [],
        ]
        assert [list(e.adopters.values_list("reference", flat=True)) for e in entries] == [
            [],
            ["A1"],
        ]
        assert {e.action for e in entries} == {"viewed"}
        both = NewLog.objects.create(organisation_id=organisation.pk, user_id=user.pk, path="/y/")
        both.children.add(child.pk)
        both.adopters.add(adopter.pk)
        NewLog.objects.create(organisation_id=organisation.pk, user_id=user.pk, path="/none/")

        executor = MigrationExecutor(connection)
        executor.migrate(before)
        back = executor.loader.project_state(before).apps.get_model("cases", "AccessLog")
        rows = back.objects.values_list("path", "child_id", "adopter_id")
        assert sorted(rows, key=str) == sorted(
            [
                ("/x/", child.pk, None),
                ("/x/", None, adopter.pk),
                ("/y/", child.pk, None),
                ("/y/", None, adopter.pk),
            ],
            key=str,
        )
    finally:
        # The migrated schema back: a copy of the kept one (tests/testdb.py), or migrated.
        if not testdb.reset_schema(connection.alias):
            executor = MigrationExecutor(connection)
            executor.migrate(executor.loader.graph.leaf_nodes())
