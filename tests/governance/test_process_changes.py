"""Process changes: the dates from which a measure's SPC limits are recalculated."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError

from governance.board_settings import process_changes_by_measure, process_changes_for
from governance.models import ProcessChange
from tests.factories import OrganisationFactory, ProcessChangeFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db


def test_process_changes_for_one_measure_oldest_first():
    organisation = OrganisationFactory()
    later = ProcessChangeFactory(organisation=organisation, changed_on=datetime.date(2025, 9, 3))
    earlier = ProcessChangeFactory(organisation=organisation, changed_on=datetime.date(2025, 2, 1))
    ProcessChangeFactory(organisation=organisation, measure="audits-good")
    ProcessChangeFactory(changed_on=datetime.date(2025, 6, 1))  # another organisation's
    assert process_changes_for(organisation.pk, "visits-on-time") == (
        earlier.changed_on,
        later.changed_on,
    )


def test_process_changes_of_several_measures_in_one_query(django_assert_num_queries):
    organisation = OrganisationFactory()
    later = ProcessChangeFactory(organisation=organisation, changed_on=datetime.date(2025, 9, 3))
    earlier = ProcessChangeFactory(organisation=organisation, changed_on=datetime.date(2025, 2, 1))
    other = ProcessChangeFactory(organisation=organisation, measure="audits-good")
    ProcessChangeFactory(changed_on=datetime.date(2025, 6, 1))  # another organisation's
    with django_assert_num_queries(1):
        found = process_changes_by_measure(
            organisation.pk, ["visits-on-time", "audits-good", "rota-compliance"]
        )
    assert found == {
        "visits-on-time": (earlier.changed_on, later.changed_on),
        "audits-good": (other.changed_on,),
        "rota-compliance": (),
    }


def test_no_process_changes():
    assert process_changes_for(OrganisationFactory().pk, "visits-on-time") == ()


def test_one_change_per_measure_and_day():
    change = ProcessChangeFactory()
    with pytest.raises(IntegrityError):
        ProcessChangeFactory(organisation=change.organisation, changed_on=change.changed_on)


def test_qa_and_senior_leaders_see_their_own_organisations_changes_only():
    change = ProcessChangeFactory()
    ProcessChangeFactory()
    qa = StaffMemberFactory(qa=True, team__organisation=change.organisation)
    leader = StaffMemberFactory(senior_leader=True, team__organisation=change.organisation)
    practitioner = StaffMemberFactory(team__organisation=change.organisation)
    assert list(ProcessChange.objects.visible_to(qa.user)) == [change]
    assert list(ProcessChange.objects.visible_to(leader.user)) == [change]
    assert not ProcessChange.objects.visible_to(practitioner.user).exists()
