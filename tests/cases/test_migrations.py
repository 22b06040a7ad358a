"""The migration that stores each case's visit dates fills them for the cases already
there, as the running code keeps them."""

import datetime

import pytest

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
