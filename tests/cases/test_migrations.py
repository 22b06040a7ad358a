"""The migration that stores each case's visit dates fills them for the cases already
there, as the running code keeps them."""

import datetime

import pytest

from tests.audits.test_migrations import _world

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("cases", "0006_event_last_of_kind_index")]
AFTER = [("cases", "0007_stored_visit_dates")]


def test_existing_cases_get_their_last_visit_and_next_visit_due(migrator):
    old = migrator.apply_initial_migration(BEFORE)
    visited, *_ = _world(old)
    Case = old.apps.get_model("cases", "Case")
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
