"""QA's page of process changes: list, add and delete, for its own organisation only."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from governance.models import ProcessChange
from tests.factories import OrganisationFactory, ProcessChangeFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db

LIST = "governance:process_changes"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(
        datetime.datetime(2026, 12, 6, 10, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


def _staff(organisation, **role):
    return StaffMemberFactory(team=None, service=None, organisation=organisation, **role)


def _post(measure="audit-grades", day=(1, 6, 2026), reason="A new audit tool."):
    return {
        "measure": measure,
        "changed_on_0": day[0],
        "changed_on_1": day[1],
        "changed_on_2": day[2],
        "reason": reason,
    }


def test_qa_records_a_process_change(client):
    qa = _staff(OrganisationFactory(), qa=True)
    client.force_login(qa.user)
    response = client.post(reverse(LIST), _post())
    assert response.status_code == 302
    change = ProcessChange.objects.get()
    assert (change.organisation, change.measure, change.changed_on, change.recorded_by) == (
        qa.organisation,
        "audit-grades",
        datetime.date(2026, 6, 1),
        qa,
    )


def test_the_same_change_twice_is_refused_in_govuk_words(client):
    qa = _staff(OrganisationFactory(), qa=True)
    ProcessChangeFactory(
        organisation=qa.organisation, measure="audit-grades", changed_on=datetime.date(2026, 6, 1)
    )
    client.force_login(qa.user)
    response = client.post(reverse(LIST), _post())
    assert response.status_code == 200
    assert "already recorded on that day" in response.content.decode()
    assert ProcessChange.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_post(measure="nothing"), "Select a valid choice"),
        (_post(day=(1, 1, 2027)), "must be today or earlier"),
        (_post(reason=""), "Enter what changed"),
    ],
)
def test_a_mistake_is_shown(client, data, message):
    client.force_login(_staff(OrganisationFactory(), qa=True).user)
    response = client.post(reverse(LIST), data)
    assert message in response.content.decode()
    assert not ProcessChange.objects.exists()


def test_the_list_shows_only_the_organisations_own_changes(client, django_assert_max_num_queries):
    qa = _staff(OrganisationFactory(), qa=True)
    for n in range(1, 6):
        ProcessChangeFactory(
            organisation=qa.organisation,
            measure="audit-grades",
            changed_on=datetime.date(2026, n, 1),
            reason=f"Ours {n}",
        )
    ProcessChangeFactory(reason="Theirs")
    client.force_login(qa.user)
    with django_assert_max_num_queries(12):
        body = client.get(reverse(LIST)).content.decode()
    assert "Ours 5" in body
    assert "Theirs" not in body


def test_qa_deletes_a_change_after_confirming(client):
    qa = _staff(OrganisationFactory(), qa=True)
    change = ProcessChangeFactory(organisation=qa.organisation, measure="audit-grades")
    client.force_login(qa.user)
    url = reverse("governance:process_change_delete", args=[change.pk])
    assert "Delete this process change?" in client.get(url).content.decode()
    assert ProcessChange.objects.exists()
    assert client.post(url).status_code == 302
    assert not ProcessChange.objects.exists()


def test_another_organisations_change_is_not_found(client):
    qa = _staff(OrganisationFactory(), qa=True)
    theirs = ProcessChangeFactory()
    client.force_login(qa.user)
    url = reverse("governance:process_change_delete", args=[theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert ProcessChange.objects.exists()


@pytest.mark.parametrize("role", ["senior_leader", "regional_lead", "business_support"])
def test_only_qa_keeps_the_changes(client, role):
    organisation = OrganisationFactory()
    change = ProcessChangeFactory(organisation=organisation)
    client.force_login(_staff(organisation, **{role: True}).user)
    assert client.get(reverse(LIST)).status_code == 403
    assert client.post(reverse(LIST), _post()).status_code == 403
    url = reverse("governance:process_change_delete", args=[change.pk])
    assert client.post(url).status_code in (403, 404)
    assert ProcessChange.objects.count() == 1
