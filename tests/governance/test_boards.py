"""Boards and their meetings: who keeps and reads them, the board's form (members from
the organisation's staff only), scheduling, the agenda (order, conflicts, publishing
tells the members once), minutes, decisions becoming improvement plan actions linked
back to the meeting, the reminder a few working days before, and the pages' query
bounds."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import Notification
from core.months import add_months, month_start
from governance import boards
from governance.models import AgendaItem, Board, Decision, Meeting, PlanAction
from governance.rules import may
from rota.services import rules_for
from tests.factories import MeetingFactory, StaffMemberFactory
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

MARCH_1 = datetime.date(2027, 3, 1)  # a Monday


def _at(day: datetime.date) -> time_machine.travel:
    return time_machine.travel(
        timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))), tick=False
    )


def _meeting(scenario, day: datetime.date, **kwargs) -> Meeting:
    return MeetingFactory(board=scenario.board_record, date=day, **kwargs)


# Rules and scoping.


def test_qa_and_senior_leaders_keep_boards_and_the_chair_edits_its_meetings(scenario):
    board, meeting, people = scenario.board_record, scenario.meeting, scenario.people
    for key in ("qa", "senior_leader"):
        assert may(people[key].user, "governance.manage_boards", board)
        assert may(people[key].user, "governance.edit_meeting", meeting)
    for key in ("practitioner", "team_manager", "business_support", "other_org_qa"):
        assert not may(people[key].user, "governance.manage_boards", board)
    board.chair = people["team_manager"]
    board.save()
    meeting.refresh_from_db()
    assert may(people["team_manager"].user, "governance.edit_meeting", meeting)
    assert not may(people["practitioner"].user, "governance.edit_meeting", meeting)
    assert not may(people["other_org_qa"].user, "governance.edit_meeting", meeting)


def test_the_header_lists_boards_for_the_organisations_staff(scenario):
    people = scenario.people
    for key in ("qa", "senior_leader", "team_manager", "practitioner", "business_support"):
        assert people[key].user.has_perm("governance.view_boards"), key
    assert not people["regional_lead"].user.has_perm("governance.view_boards")


def test_another_organisations_staff_get_404_and_a_practitioner_cannot_edit(client, scenario):
    board, meeting = scenario.board_record, scenario.meeting
    client.force_login(scenario.people["other_org_qa"].user)
    for url in (
        board.get_absolute_url(),
        reverse("governance:board_edit", args=[board.pk]),
        meeting.get_absolute_url(),
        reverse("governance:meeting_agenda", args=[meeting.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert "Practice Improvement Board" not in visible_text(
        client.get(reverse("governance:board_list"))
    )
    client.force_login(scenario.people["practitioner"].user)
    assert client.get(board.get_absolute_url()).status_code == 200
    assert client.get(reverse("governance:board_edit", args=[board.pk])).status_code == 403
    response = client.post(
        reverse("governance:meeting_agenda", args=[meeting.pk]),
        {"action": "add", "title": "Sneaky", "revision": meeting.revision},
    )
    assert response.status_code == 403
    assert not AgendaItem.objects.exists()


# The board's form.


def _board_data(scenario, **overrides) -> dict:
    data = {
        "name": "Quality Improvement Board",
        "kind": "quality_improvement",
        "frequency": "quarterly",
        "purpose": "Receives the quarterly report.",
        "chair": scenario.people["senior_leader"].pk,
        "members": [scenario.people["qa"].pk, scenario.people["team_manager"].pk],
        "active": "on",
    }
    data.update(overrides)
    return data


def test_qa_creates_a_board_with_members_of_its_own_staff(client, scenario):
    client.force_login(scenario.people["qa"].user)
    response = client.post(reverse("governance:board_create"), _board_data(scenario))
    board = Board.objects.get(name="Quality Improvement Board")
    assert response.status_code == 302
    assert response["Location"] == board.get_absolute_url()
    assert set(board.members.all()) == {scenario.people["qa"], scenario.people["team_manager"]}
    assert board.chair == scenario.people["senior_leader"]
    page = visible_text(client.get(board.get_absolute_url()))
    assert "Quality Improvement Board" in page
    assert scenario.people["team_manager"].display_name in page


def test_a_member_from_another_organisation_is_refused_and_nothing_written(client, scenario):
    client.force_login(scenario.people["qa"].user)
    data = _board_data(scenario, members=[scenario.people["other_org_qa"].pk])
    response = client.post(reverse("governance:board_create"), data)
    assert response.status_code == 400
    assert "Choose members from your organisation&#x27;s staff" in response.content.decode()
    assert not Board.objects.filter(name="Quality Improvement Board").exists()


def test_a_board_needs_a_name_and_a_unique_one(client, scenario):
    boards_before = Board.objects.count()
    client.force_login(scenario.people["qa"].user)
    response = client.post(reverse("governance:board_create"), _board_data(scenario, name=""))
    assert response.status_code == 400
    assert "Enter the board" in visible_text(response)
    response = client.post(
        reverse("governance:board_create"), _board_data(scenario, name="practice improvement board")
    )
    assert response.status_code == 400
    assert "There is already a board with that name" in visible_text(response)
    assert Board.objects.count() == boards_before


def test_filtering_the_staff_keeps_the_current_members(client, scenario):
    board = scenario.board_record
    client.force_login(scenario.people["qa"].user)
    t2 = scenario.people["other_team_manager"].team
    response = client.get(
        reverse("governance:board_edit", args=[board.pk]), {"team": t2.pk, "role": ""}
    )
    page = " ".join(response.content.decode().split())

    def listed(key):
        return 'class="govuk-checkboxes__input" id="id_members_' in page and re.search(
            rf'name="members"[^>]*value="{scenario.people[key].pk}"', page
        )

    assert listed("other_team_manager")
    assert listed("team_manager")  # a member: still listed
    assert not listed("colleague")  # T1, not a member
    # Garbage filters show everyone rather than fail.
    response = client.get(
        reverse("governance:board_edit", args=[board.pk]), {"team": "x", "role": "<b>"}
    )
    assert response.status_code == 200


# Meetings and the agenda.


def test_scheduling_needs_a_date(client, scenario):
    client.force_login(scenario.people["qa"].user)
    url = reverse("governance:meeting_create", args=[scenario.board_record.pk])
    response = client.post(url, {"place": "Room 1"})
    assert response.status_code == 400
    assert "Enter the date of the meeting" in visible_text(response)
    response = client.post(url, {"date_0": "31", "date_1": "2", "date_2": "2027", "time": "25:99"})
    assert response.status_code == 400
    assert Meeting.objects.count() == 1  # the scenario's


def test_the_agenda_links_reports_returns_and_priorities_in_order(client, scenario):
    meeting, qa = scenario.meeting, scenario.people["qa"]
    client.force_login(qa.user)
    url = reverse("governance:meeting_agenda", args=[meeting.pk])
    last_month = add_months(month_start(timezone.localdate()), -1)
    for title, extra in (
        ("Exceptions returns", {"returns_month": f"{last_month:%Y-%m}"}),
        ("Care planning", {"priority": scenario.plan_priority.pk}),
    ):
        meeting.refresh_from_db()
        data = {"action": "add", "title": title, "revision": meeting.revision, **extra}
        assert client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    first, second = meeting.items.order_by("order")
    # Move the priority first.
    client.post(url, {"action": "up", "item": second.pk, "revision": meeting.revision})
    assert [i.title for i in meeting.items.order_by("order")] == [
        "Care planning",
        "Exceptions returns",
    ]
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("governance:return_summary") + f"?month={last_month:%Y-%m}" in page
    assert scenario.plan_priority.get_absolute_url() in page
    assert page.index("Care planning") < page.index("Exceptions returns")


def test_a_presenter_not_on_the_staff_is_refused(client, scenario):
    meeting = scenario.meeting
    client.force_login(scenario.people["qa"].user)
    data = {
        "action": "add",
        "title": "Item",
        "presenter": scenario.people["other_org_manager"].pk,
        "revision": meeting.revision,
    }
    response = client.post(reverse("governance:meeting_agenda", args=[meeting.pk]), data)
    assert response.status_code == 400
    assert "Choose a presenter from your organisation" in visible_text(response)
    assert not AgendaItem.objects.exists()


def test_a_second_editor_gets_a_conflict_and_keeps_their_text(client, scenario):
    meeting, qa = scenario.meeting, scenario.people["qa"]
    stale = meeting.revision
    boards.agenda_item_add(
        meeting=meeting, by=scenario.people["senior_leader"], revision=stale, title="First"
    )
    client.force_login(qa.user)
    response = client.post(
        reverse("governance:meeting_agenda", args=[meeting.pk]),
        {"action": "add", "title": "My late item", "revision": stale},
    )
    assert response.status_code == 409
    assert "changed this meeting after you opened it" in visible_text(response)
    assert 'value="My late item"' in response.content.decode()
    assert list(meeting.items.values_list("title", flat=True)) == ["First"]


def test_publishing_the_agenda_tells_the_members_and_chair_once(client, scenario):
    meeting, qa = scenario.meeting, scenario.people["qa"]
    meeting = boards.agenda_item_add(
        meeting=meeting, by=qa, revision=meeting.revision, title="Plan"
    )
    client.force_login(qa.user)
    url = reverse("governance:meeting_agenda", args=[meeting.pk])
    assert client.post(url, {"action": "publish", "revision": meeting.revision}).status_code == 302
    meeting.refresh_from_db()
    assert client.post(url, {"action": "publish", "revision": meeting.revision}).status_code == 302
    told = Notification.objects.filter(key__startswith=f"meeting-agenda:{meeting.pk}:")
    assert sorted(n.recipient.user.username for n in told) == [
        "qa",
        "senior_leader",
        "team_manager",
    ]
    assert meeting.get_absolute_url() in {n.url for n in told}


def test_an_empty_agenda_is_not_published(client, scenario):
    meeting = scenario.meeting
    client.force_login(scenario.people["qa"].user)
    response = client.post(
        reverse("governance:meeting_agenda", args=[meeting.pk]),
        {"action": "publish", "revision": meeting.revision},
    )
    assert response.status_code == 400
    assert "Add at least one item" in visible_text(response)
    assert not Notification.objects.exists()


# Minutes and decisions.


def _held(scenario) -> Meeting:
    meeting = _meeting(scenario, timezone.localdate() - datetime.timedelta(days=1))
    return boards.minutes_record(
        meeting=meeting, by=scenario.people["qa"], revision=meeting.revision, minutes="Met."
    )


def test_a_decision_with_an_owner_and_due_date_becomes_a_plan_action(client, scenario):
    meeting = _held(scenario)
    owner = scenario.people["service_manager"]
    client.force_login(scenario.people["senior_leader"].user)
    response = client.post(
        reverse("governance:meeting_decision", args=[meeting.pk]),
        {
            "text": "Re-audit care plans",
            "owner": owner.pk,
            "due_on_0": "1",
            "due_on_1": "6",
            "due_on_2": "2030",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    action = decision.plan_action
    assert action.source == PlanAction.Source.BOARD
    assert action.decided_by == "Practice Improvement Board"
    assert action.decided_on == meeting.date
    assert action.owner == owner
    assert action.due_on == datetime.date(2030, 6, 1)
    assert action.source_url == meeting.get_absolute_url()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert action.get_absolute_url() in page
    # It is in the plan.
    assert "Re-audit care plans" in visible_text(client.get(reverse("governance:action_list")))


def test_a_decision_without_a_due_date_is_refused_and_nothing_written(client, scenario):
    meeting = _held(scenario)
    client.force_login(scenario.people["qa"].user)
    response = client.post(
        reverse("governance:meeting_decision", args=[meeting.pk]),
        {"text": "Half a decision", "owner": scenario.people["team_manager"].pk},
    )
    assert response.status_code == 400
    assert "both an owner and a due date" in visible_text(response)
    assert not Decision.objects.exists()
    assert not PlanAction.objects.filter(title="Half a decision").exists()


def test_decisions_wait_for_the_meeting_to_be_held(scenario):
    with pytest.raises(boards.BoardError, match="Record the minutes first"):
        boards.decision_record(meeting=scenario.meeting, by=scenario.people["qa"], text="Too soon")
    with pytest.raises(boards.BoardError, match="on or after the day"):
        boards.minutes_record(
            meeting=scenario.meeting, by=scenario.people["qa"], revision=1, minutes="Too soon"
        )


def test_minutes_saved_by_two_people_conflict(client, scenario):
    meeting = _held(scenario)
    client.force_login(scenario.people["senior_leader"].user)
    response = client.post(
        reverse("governance:meeting_minutes", args=[meeting.pk]),
        {"minutes": "My version", "revision": meeting.revision - 1},
    )
    assert response.status_code == 409
    assert "My version" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "Met."


# Reminders.


def test_members_are_reminded_three_working_days_before_once(scenario):
    # Friday 5 March 2027: three working days before is Tuesday 2 March.
    meeting = _meeting(scenario, datetime.date(2027, 3, 5))
    meeting.agenda_published_at = timezone.now()
    meeting.save()
    rules = rules_for(scenario.board_record.organisation)
    org = scenario.board_record.organisation_id

    def reminded(day):
        return [
            m
            for m in boards.meeting_reminders(organisation_id=org, rules=rules, day=day)
            if m.key.startswith(f"meeting-reminder:{meeting.pk}:")
        ]

    with _at(MARCH_1):
        assert not reminded(MARCH_1)
    with _at(datetime.date(2027, 3, 2)):
        messages = reminded(datetime.date(2027, 3, 2))
    assert {m.recipient.user.username for m in messages} == {"qa", "senior_leader", "team_manager"}
    assert "Friday 5 March 2027" in messages[0].subject
    # The key is the same on later days: the nightly job sends it once.
    assert {m.key for m in reminded(datetime.date(2027, 3, 3))} == {m.key for m in messages}
    assert not reminded(datetime.date(2027, 3, 5))


# Query bounds.


def test_the_pages_run_a_bounded_number_of_queries(client, scenario, django_assert_max_num_queries):
    qa = scenario.people["qa"]
    board = scenario.board_record
    for n in range(12):
        board.members.add(StaffMemberFactory(team=scenario.case.team))
        MeetingFactory(board=board, date=MARCH_1 + datetime.timedelta(days=14 * n))
    meeting = scenario.meeting
    for n in range(8):
        meeting = boards.agenda_item_add(
            meeting=meeting,
            by=qa,
            revision=meeting.revision,
            title=f"Item {n}",
            presenter=qa,
            priority=scenario.plan_priority,
            returns_month=MARCH_1,
        )
    held = _held(scenario)
    for n in range(5):
        boards.decision_record(
            meeting=held,
            by=qa,
            text=f"Decision {n}",
            owner=qa,
            due_on=datetime.date(2030, 1, n + 1),
        )
    client.force_login(qa.user)
    for url in (
        reverse("governance:board_list"),
        board.get_absolute_url(),
        reverse("governance:board_edit", args=[board.pk]),
        reverse("governance:meeting_create", args=[board.pk]),
        meeting.get_absolute_url(),
        held.get_absolute_url(),
        reverse("governance:meeting_agenda", args=[meeting.pk]),
        reverse("governance:meeting_edit", args=[meeting.pk]),
    ):
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200, url
