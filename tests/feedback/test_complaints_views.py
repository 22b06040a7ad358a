"""Complaint and compliment pages: bounded queries, clear messages for bad input with
nothing written, steps refused at the wrong time, the panel on the child's record."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from feedback.models.complaints import Complaint, ComplaintStage, Compliment, PointOutcome
from tests.factories import (
    ComplaintFactory,
    ComplimentFactory,
    StaffMemberFactory,
)

NOW = datetime.datetime(2027, 1, 12, 10, tzinfo=datetime.UTC)


@pytest.fixture
def care(db):
    complaint = ComplaintFactory(received_on=datetime.date(2027, 1, 4))
    person = StaffMemberFactory(
        team=None, service=None, organisation=complaint.organisation, business_support=True
    )
    return person, complaint


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


@time_machine.travel(NOW, tick=False)
def test_the_complaint_list_reads_a_fixed_number_of_queries(
    client, care, django_assert_max_num_queries
):
    person, complaint = care
    for _ in range(12):
        ComplaintFactory(case__team=complaint.team, received_on=datetime.date(2027, 1, 5))
    client.force_login(person.user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("feedback:complaint_list"))
    assert response.status_code == 200
    assert "13 complaints" in response.content.decode()
    with django_assert_max_num_queries(14):
        response = client.get(reverse("feedback:complaint_list"), {"stage": "1", "overdue": "on"})
    assert response.status_code == 200


@time_machine.travel(NOW, tick=False)
def test_the_compliment_list_reads_a_fixed_number_of_queries(
    client, db, django_assert_max_num_queries
):
    compliment = ComplimentFactory()
    for _ in range(10):
        ComplimentFactory(worker__team=compliment.team)
    manager = StaffMemberFactory(team=compliment.team, team_manager=True)
    client.force_login(manager.user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("feedback:compliment_list"))
    assert "11 compliments" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_figures_page_reads_a_fixed_number_of_queries(
    client, care, django_assert_max_num_queries
):
    person, _ = care
    client.force_login(person.user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("feedback:complaint_figures"))
    assert response.status_code == 200
    assert "<svg" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_new_complaint_with_mistakes_says_what_to_fix_and_writes_nothing(client, care):
    person, _ = care
    client.force_login(person.user)
    before = Complaint.objects.count()
    response = client.post(
        reverse("feedback:complaint_new"),
        {
            **_date("received_on", datetime.date(2027, 2, 1)),
            "complainant_type": "nobody",
            "case_reference": "NO-SUCH-ID",
            "summary": "",
            "points": "\n\n",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    for message in (
        "The date received must be today or in the past",
        "Choose who is complaining",
        "Enter the complaint in the complainant&#x27;s words",
        "Enter at least one point of complaint",
    ):
        assert message in body, message
    assert Complaint.objects.count() == before


@time_machine.travel(NOW, tick=False)
def test_a_case_id_nobody_can_see_is_refused(client, care):
    person, _ = care
    client.force_login(person.user)
    other = ComplaintFactory()  # another organisation's case
    response = client.post(
        reverse("feedback:complaint_new"),
        {
            **_date("received_on", datetime.date(2027, 1, 11)),
            "complainant_type": "parent",
            "case_reference": other.case.child.reference,
            "summary": "x",
            "points": "one",
        },
    )
    assert response.status_code == 400
    assert "No case you can see has that ID" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_recording_a_complaint_about_a_case(client, care):
    person, complaint = care
    client.force_login(person.user)
    response = client.post(
        reverse("feedback:complaint_new"),
        {
            **_date("received_on", datetime.date(2027, 1, 11)),
            "complainant_type": "carer",
            "case_reference": complaint.case.child.reference,
            "summary": "The contact was cancelled.",
            "points": "Contact cancelled\nNot told why",
        },
    )
    created = Complaint.objects.exclude(pk=complaint.pk).get()
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()
    assert created.points.count() == 2
    assert created.stages.get().due_on == datetime.date(2027, 1, 25)


@time_machine.travel(NOW, tick=False)
def test_a_response_missing_an_outcome_writes_nothing(client, care):
    person, complaint = care
    client.force_login(person.user)
    url = reverse("feedback:complaint_respond", kwargs={"complaint_pk": complaint.pk})
    response = client.post(url, _date("responded_on", datetime.date(2027, 1, 11)))
    assert response.status_code == 400
    assert "Choose an outcome for point 1" in response.content.decode()
    assert ComplaintStage.objects.get(complaint=complaint).responded_on is None
    assert not PointOutcome.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_an_extension_beyond_the_limit_says_the_latest_date(client, care):
    person, complaint = care
    client.force_login(person.user)
    url = reverse("feedback:complaint_extend", kwargs={"complaint_pk": complaint.pk})
    response = client.post(
        url, {**_date("extended_due_on", datetime.date(2027, 3, 1)), "reason": "Waiting"}
    )
    assert response.status_code == 400
    assert "choose a date on or before 1 February 2027" in response.content.decode()
    assert ComplaintStage.objects.get(complaint=complaint).extended_due_on is None


@time_machine.travel(NOW, tick=False)
def test_escalating_before_the_response_goes_back_with_the_reason(client, care):
    person, complaint = care
    client.force_login(person.user)
    url = reverse("feedback:complaint_escalate", kwargs={"complaint_pk": complaint.pk})
    response = client.get(url, follow=True)
    assert "Record this stage&#x27;s response before escalating" in response.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).current_stage == 1


@time_machine.travel(NOW, tick=False)
def test_a_manager_reads_the_complaint_but_cannot_respond(client, care):
    _, complaint = care
    manager = StaffMemberFactory(team=complaint.team, team_manager=True)
    client.force_login(manager.user)
    detail = client.get(complaint.get_absolute_url())
    assert detail.status_code == 200
    assert "Record the stage 1 response" not in detail.content.decode()
    url = reverse("feedback:complaint_respond", kwargs={"complaint_pk": complaint.pk})
    assert client.get(url).status_code == 403


@time_machine.travel(NOW, tick=False)
def test_the_childs_record_lists_complaints_about_the_case(client, care):
    person, complaint = care
    client.force_login(person.user)
    response = client.get(complaint.case.child.get_absolute_url())
    assert complaint.reference in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_compliment_needs_a_worker_or_a_team(client, care):
    person, _ = care
    client.force_login(person.user)
    response = client.post(
        reverse("feedback:compliment_new"),
        {
            **_date("received_on", datetime.date(2027, 1, 11)),
            "from_type": "parent",
            "what_they_said": "Thank you",
        },
    )
    assert response.status_code == 400
    assert "Choose the worker or the team the compliment is about" in response.content.decode()
    assert not Compliment.objects.exists()
