"""Notifications: sent once per key, e-mailed once, counted in the header, listed on the
person's own page and marked read only when they ask."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from cases.context_processors import page_shell
from cases.models import Notification
from cases.notifications import (
    Message,
    notifications_for,
    notify,
    notify_many,
    unread_count,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def send(person, key: str = "audit:1:reminder:2026-03-02", **fields) -> Notification | None:
    values = {
        "recipient": person,
        "kind": Notification.Kind.REMINDER,
        "subject": "Your audit is due today",
        "url": "/audits/mine/",
        "key": key,
    }
    values.update(fields)
    return notify(**values)


def test_notify_sends_one_notification_per_key(scenario):
    person = scenario.people["practitioner"]
    first = send(person)
    again = send(person, subject="Something else")
    assert again == first
    assert Notification.objects.filter(recipient=person).count() == 1
    assert first.organisation_id == person.organisation_id


def test_the_same_key_reaches_each_person_once(scenario):
    send(scenario.people["practitioner"])
    send(scenario.people["team_manager"])
    assert Notification.objects.count() == 2


def test_notify_without_a_recipient_sends_nothing(scenario):
    assert send(None) is None
    assert Notification.objects.count() == 0


def test_a_new_notification_is_emailed_once_after_commit(
    scenario, django_capture_on_commit_callbacks
):
    person = scenario.people["practitioner"]
    with django_capture_on_commit_callbacks(execute=True):
        notification = send(person)
        send(person)
        assert mail.outbox == []
    [email] = mail.outbox
    assert email.to == [person.user.email]
    assert email.subject == "Your audit is due today"
    assert "/audits/mine/" in email.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_people_without_an_email_address_are_not_emailed(
    scenario, django_capture_on_commit_callbacks
):
    person = scenario.people["practitioner"]
    person.user.email = ""
    person.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification = send(person)
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.emailed_at is None


def test_notify_many_returns_only_the_new_notifications(scenario):
    person = scenario.people["practitioner"]
    send(person, key="a")

    def message(key):
        return Message(recipient=person, kind="reminder", subject="Due", url="/", key=key)

    created = notify_many([message("a"), message("b"), message("b"), message("c")])
    assert sorted(n.key for n in created) == ["b", "c"]
    assert Notification.objects.filter(recipient=person).count() == 3


def test_the_selectors_see_only_the_persons_own_notifications(scenario):
    mine = send(scenario.people["practitioner"], key="mine")
    send(scenario.people["colleague"], key="theirs")
    user = scenario.people["practitioner"].user
    assert list(notifications_for(user)) == [mine]
    assert unread_count(user) == 1


# The page


def test_the_notifications_page_lists_only_my_notifications(client, scenario):
    send(scenario.people["practitioner"], key="mine", subject="Mine to read")
    send(scenario.people["colleague"], key="theirs", subject="Someone else's")
    client.force_login(scenario.people["practitioner"].user)
    response = client.get(reverse("cases:notifications"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mine to read" in body
    assert "Someone else" not in body
    assert 'href="/audits/mine/"' in body
    assert "New" in body


def test_the_notifications_page_lists_the_newest_first(client, scenario):
    person = scenario.people["practitioner"]
    older = send(person, key="older")
    newer = send(person, key="newer")
    client.force_login(person.user)
    response = client.get(reverse("cases:notifications"))
    assert list(response.context["page_obj"].object_list) == [newer, older]


def test_opening_the_page_does_not_mark_notifications_read(client, scenario):
    person = scenario.people["practitioner"]
    notification = send(person)
    client.force_login(person.user)
    client.get(reverse("cases:notifications"))
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_as_read_marks_only_my_notifications(client, scenario):
    mine = send(scenario.people["practitioner"], key="mine")
    theirs = send(scenario.people["colleague"], key="theirs")
    client.force_login(scenario.people["practitioner"].user)
    response = client.post(reverse("cases:notifications"), {"up_to": mine.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:notifications")
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert theirs.read_at is None
    page = client.get(reverse("cases:notifications")).content.decode()
    assert "Your notifications are marked as read" in page
    assert "Mark all as read</button>" not in page


def test_mark_all_as_read_leaves_one_that_arrived_after_the_page_was_shown(client, scenario):
    person = scenario.people["practitioner"]
    shown = send(person, key="shown")
    arrived_since = send(person, key="arrived-since")
    client.force_login(person.user)
    client.post(reverse("cases:notifications"), {"up_to": shown.pk})
    arrived_since.refresh_from_db()
    assert arrived_since.read_at is None


def test_the_notifications_page_is_paginated_with_a_fixed_number_of_queries(
    client, scenario, django_assert_max_num_queries
):
    person = scenario.people["practitioner"]
    for index in range(60):
        send(person, key=f"n{index}")
    client.force_login(person.user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("cases:notifications"), {"page": "2"})
    assert len(response.context["page_obj"].object_list) == 25


def test_someone_who_is_not_staff_sees_an_empty_page(client, scenario):
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(reverse("cases:notifications"))
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0


# The header


def test_the_header_shows_my_unread_count(client, scenario):
    person = scenario.people["practitioner"]
    send(person, key="one")
    send(person, key="two")
    read = send(person, key="three")
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    send(scenario.people["colleague"], key="theirs")
    client.force_login(person.user)
    body = client.get(reverse("home")).content.decode()
    assert 'Notifications (2<span class="govuk-visually-hidden"> unread</span>)' in body


def test_the_header_count_is_one_query_and_only_when_shown(scenario, django_assert_num_queries):
    person = scenario.people["practitioner"]
    send(person)
    request = RequestFactory().get("/")
    request.user = person.user
    request.user.staff  # noqa: B018 - loaded as the authentication middleware's user is
    with django_assert_num_queries(0):
        context = page_shell(request)
    with django_assert_num_queries(1):
        assert context["notification_count"] == 1


def test_people_who_are_not_staff_cost_no_count_query(django_assert_num_queries, scenario):
    request = RequestFactory().get("/")
    request.user = UserFactory(is_superuser=True)
    with django_assert_num_queries(1):  # looking for their StaffMember
        context = page_shell(request)
    assert context["notification_count"] == 0


@pytest.mark.django_db
def test_emailed_links_start_with_the_sites_address(settings, django_capture_on_commit_callbacks):
    from tests.factories import StaffMemberFactory

    settings.QAPORTAL_SITE_URL = "https://qa.example.org/"
    person = StaffMemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient=person,
            kind="reminder",
            subject="Audit due",
            url="/audits/1/",
            key="test:link",
        )
    assert "https://qa.example.org/audits/1/" in mail.outbox[-1].body
