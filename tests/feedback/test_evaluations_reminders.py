"""Reminders and escalations for adoption panel evaluations, through the nightly job.

The panel met on Friday 6 November 2026. The members' forms are due five working days
later (Friday 13 November), the chair's collated copy ten (Friday 20 November); an unsent
copy is escalated to the QA service five working days after that (Friday 27 November).
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from cases.models import Notification
from core import registry
from feedback import evaluations
from feedback.reminders_evaluations import SOURCES
from rota import reminders
from tests.factories import (
    OrganisationFactory,
    PanelItemFactory,
    PanelMeetingFactory,
    PanelMemberFactory,
    StaffMemberFactory,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
HELD_ON = datetime.date(2026, 11, 6)
FORMS_DUE = datetime.date(2026, 11, 13)
COPY_DUE = datetime.date(2026, 11, 20)
ESCALATED_ON = datetime.date(2026, 11, 27)


def run(day: datetime.date) -> list[Notification]:
    """The nightly job at 2am on `day`, with this feature's sources; the notifications
    it made."""
    before = set(Notification.objects.values_list("pk", flat=True))
    with time_machine.travel(
        datetime.datetime.combine(day, datetime.time(2), tzinfo=LONDON), tick=False
    ):
        reminders.reminders_send(day=timezone.localdate(), sources=SOURCES)
    return list(
        Notification.objects.exclude(pk__in=before).select_related("recipient").order_by("pk")
    )


@pytest.fixture
def panel():
    """The meeting (chair and two members), its item, one member's form done, and the
    organisation's QA service (two people) and business support."""
    meeting = PanelMeetingFactory(held_on=HELD_ON)
    org = meeting.organisation
    done, missing = PanelMemberFactory(organisation=org), PanelMemberFactory(organisation=org)
    meeting.members.set([done, missing])
    item = PanelItemFactory(meeting=meeting)
    evaluations.panel_evaluation_save(item=item, by=done, report=3, presentation=3, analysis=3)
    qa = [StaffMemberFactory(team=None, service=None, organisation=org, qa=True) for _ in range(2)]
    StaffMemberFactory(team=None, service=None, organisation=org, business_support=True)
    Notification.objects.all().delete()
    return meeting, item, done, missing, qa


def test_the_sources_are_registered():
    for source in SOURCES:
        assert source in registry.reminder_sources


def test_members_are_reminded_daily_from_the_day_their_form_is_due(panel):
    meeting, item, done, missing, qa = panel
    assert run(FORMS_DUE - datetime.timedelta(days=1)) == []
    told = run(FORMS_DUE)
    assert {n.recipient for n in told} == {meeting.chair, missing}
    assert {n.kind for n in told} == {Notification.Kind.REMINDER}
    assert all("is due today" in n.subject for n in told)
    assert all(n.url.endswith(f"/items/{item.pk}/evaluate/") for n in told)
    # Running the job again the same night sends nothing new.
    assert run(FORMS_DUE) == []
    # The weekend passes; Monday, another reminder each, saying how late.
    monday = run(datetime.date(2026, 11, 16))
    assert {n.recipient for n in monday} == {meeting.chair, missing}
    assert all("is 3 days overdue (due 13 November 2026)" in n.subject for n in monday)


def test_a_member_who_evaluates_is_no_longer_reminded(panel):
    meeting, item, done, missing, qa = panel
    evaluations.panel_evaluation_save(item=item, by=missing, report=2, presentation=2, analysis=2)
    told = run(FORMS_DUE)
    assert [n.recipient for n in told] == [meeting.chair]


def test_the_chair_is_reminded_once_the_copy_is_past_its_deadline(panel):
    meeting, item, done, missing, qa = panel
    evaluations.panel_evaluation_save(item=item, by=missing, report=2, presentation=2, analysis=2)
    evaluations.panel_evaluation_save(
        item=item, by=meeting.chair, report=2, presentation=2, analysis=2
    )
    assert run(COPY_DUE) == []
    monday = datetime.date(2026, 11, 23)
    [reminder] = run(monday)
    assert reminder.recipient == meeting.chair
    assert reminder.kind == Notification.Kind.REMINDER
    assert "collated feedback" in reminder.subject
    assert "is 3 days overdue (due 20 November 2026)" in reminder.subject
    assert reminder.url.endswith(f"/items/{item.pk}/collate/")
    assert run(monday) == []
    assert [n.recipient for n in run(monday + datetime.timedelta(days=1))] == [meeting.chair]


def test_an_unsent_copy_is_escalated_once_to_the_qa_service(panel):
    meeting, item, done, missing, qa = panel
    day_before = run(ESCALATED_ON - datetime.timedelta(days=1))
    assert Notification.Kind.ESCALATION not in {n.kind for n in day_before}
    told = run(ESCALATED_ON)
    escalations = [n for n in told if n.kind == Notification.Kind.ESCALATION]
    assert {n.recipient for n in escalations} == set(qa)
    assert all(meeting.chair.display_name in n.subject for n in escalations)
    assert all("is 7 days overdue" in n.subject for n in escalations)
    # Reminders go on daily; the escalation is not repeated.
    later = run(ESCALATED_ON + datetime.timedelta(days=3))
    assert Notification.Kind.ESCALATION not in {n.kind for n in later}
    assert meeting.chair in {n.recipient for n in later}


def test_nothing_is_sent_once_the_chair_has_sent_the_copy(panel):
    meeting, item, done, missing, qa = panel
    evaluations.panel_item_send(item=item, by=meeting.chair, summary="Well presented.")
    Notification.objects.all().delete()
    assert run(ESCALATED_ON) == []


def test_messages_never_name_the_adopters(panel):
    meeting, item, done, missing, qa = panel
    adopter = item.case.adopter
    # A surname no member of staff can draw (the chair's could be the household's).
    adopter.household_name = "Quillfeather"
    adopter.save(update_fields=["household_name"])
    sent = run(ESCALATED_ON)
    assert sent
    for notification in sent:
        assert adopter.reference not in notification.subject
        assert adopter.household_name not in notification.subject


def test_each_organisation_is_told_of_its_own_panel_only(panel):
    meeting, item, done, missing, qa = panel
    elsewhere = OrganisationFactory()
    their_qa = StaffMemberFactory(team=None, service=None, organisation=elsewhere, qa=True)
    told = run(ESCALATED_ON)
    assert their_qa not in {n.recipient for n in told}
    assert {n.organisation_id for n in told} == {meeting.organisation_id}


def test_the_sources_read_in_a_fixed_number_of_queries(panel, django_assert_max_num_queries):
    meeting, item, done, missing, qa = panel
    for _ in range(5):
        PanelItemFactory(meeting=meeting)
    org = meeting.organisation_id

    class Rules:
        reminder_days = 7
        escalation_days = 14

    with django_assert_max_num_queries(5):
        messages = [
            m
            for source in SOURCES
            for m in source(organisation_id=org, rules=Rules(), day=ESCALATED_ON)
        ]
    # Six items: the chair and one member missing on the first, both members and the chair
    # on the five others; the chair reminded of six copies; two QA told of six.
    assert len(messages) == 2 + 5 * 3 + 6 + 6 * 2
    # A night with nothing due costs one query.
    with django_assert_max_num_queries(1):
        assert list(SOURCES[0](organisation_id=org, rules=Rules(), day=HELD_ON)) == []
