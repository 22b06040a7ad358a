"""Following up a data-quality issue: notes, chasing the allocated worker (once a day),
resolved, won't fix with a reason, and two people acting on one issue at once."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable

import pytest
import time_machine
from django.db import connection

from cases.models import Notification
from performance.models import DataQualityIssue, DataQualityNote
from performance.services.quality import (
    IssueActionError,
    IssueConflict,
    issue_chase,
    issue_note_add,
    issue_resolve,
    issue_wont_fix,
)
from tests.factories import (
    CaseFactory,
    DataQualityIssueFactory,
    StaffMemberFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

Status = DataQualityIssue.Status
Kind = DataQualityNote.Kind
MONDAY = datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.UTC)


@pytest.fixture
def team():
    return TeamFactory()


@pytest.fixture
def worker(team):
    return StaffMemberFactory(team=team)


@pytest.fixture
def issue(team, worker):
    return DataQualityIssueFactory(case=CaseFactory(team=team, allocated_worker=worker))


def _org_wide(team, **role):
    return StaffMemberFactory(team=None, service=None, organisation=team.organisation, **role)


@pytest.fixture
def support(team):
    return _org_wide(team, business_support=True)


@pytest.fixture
def qa(team):
    return _org_wide(team, qa=True)


def test_business_support_adds_a_note(issue, support):
    note = issue_note_add(issue=issue, by=support, text="  Left a message for the worker.  ")
    assert (note.kind, note.author, note.text) == (
        Kind.NOTE,
        support,
        "Left a message for the worker.",
    )
    issue.refresh_from_db()
    assert (issue.status, issue.revision) == (Status.OPEN, 0)


def test_an_empty_note_is_refused(issue, support):
    with pytest.raises(IssueActionError, match="Enter a note"):
        issue_note_add(issue=issue, by=support, text="   ")


@pytest.mark.parametrize("role", ["practitioner", "team_manager", "senior_leader", "other_org"])
def test_only_business_support_and_qa_of_the_organisation_follow_up(issue, team, worker, role):
    people = {
        "practitioner": worker,
        "team_manager": StaffMemberFactory(team=team, team_manager=True),
        "senior_leader": _org_wide(team, senior_leader=True),
        "other_org": StaffMemberFactory(
            team=None, service=None, business_support=True, organisation=TeamFactory().organisation
        ),
    }
    with pytest.raises(IssueActionError, match="Only business support"):
        issue_note_add(issue=issue, by=people[role], text="Hello")
    with pytest.raises(IssueActionError, match="Only business support"):
        issue_resolve(issue=issue, by=people[role], base_revision=0)
    assert not issue.notes.exists()


def test_chase_reminds_the_allocated_worker_once_a_day(issue, support, worker):
    with time_machine.travel(MONDAY, tick=False):
        first = issue_chase(issue=issue, by=support, base_revision=0, message="By Friday please")
        again = issue_chase(issue=issue, by=support, base_revision=first.issue.revision)
    assert (first.recipient, first.sent) == (worker, True)
    assert (again.recipient, again.sent) == (worker, False)
    notification = Notification.objects.get()
    assert notification.recipient == worker
    assert notification.key == f"data-quality:{issue.pk}:chase:2026-11-23"
    assert notification.url == issue.get_absolute_url()
    assert "By Friday please" in notification.body
    issue.refresh_from_db()
    assert (issue.status, issue.last_chased_on) == (Status.CHASED, datetime.date(2026, 11, 23))
    texts = list(issue.notes.values_list("kind", "text"))
    assert texts[0] == (Kind.CHASE, f"Reminder sent to {worker.display_name}.\nBy Friday please")
    assert "already reminded today" in texts[1][1]


def test_a_chase_the_next_day_sends_another_reminder(issue, support):
    with time_machine.travel(MONDAY, tick=False):
        first = issue_chase(issue=issue, by=support, base_revision=0)
    with time_machine.travel(MONDAY + datetime.timedelta(days=1), tick=False):
        second = issue_chase(issue=issue, by=support, base_revision=first.issue.revision)
    assert second.sent
    assert Notification.objects.count() == 2


def test_chasing_an_unallocated_case_reminds_the_team_manager(team, support):
    manager = StaffMemberFactory(team=team, team_manager=True)
    issue = DataQualityIssueFactory(case=CaseFactory(team=team, allocated_worker=None))
    result = issue_chase(issue=issue, by=support, base_revision=0)
    assert result.recipient == manager
    assert Notification.objects.get().recipient == manager


def test_chasing_with_nobody_to_chase_is_refused(team, support):
    issue = DataQualityIssueFactory(case=CaseFactory(team=team, allocated_worker=None))
    with pytest.raises(IssueActionError, match="nobody to chase"):
        issue_chase(issue=issue, by=support, base_revision=0)
    assert not Notification.objects.exists()
    issue.refresh_from_db()
    assert issue.status == Status.OPEN


def test_resolve(issue, qa):
    with time_machine.travel(MONDAY, tick=False):
        issue_resolve(issue=issue, by=qa, base_revision=0, text="Ethnicity recorded")
    issue.refresh_from_db()
    assert (issue.status, issue.closed_on, issue.closed_by) == (
        Status.RESOLVED,
        datetime.date(2026, 11, 23),
        qa,
    )
    assert list(issue.notes.values_list("kind", "text")) == [(Kind.RESOLVED, "Ethnicity recorded")]


def test_wont_fix_needs_a_reason(issue, support):
    with pytest.raises(IssueActionError, match="Enter why"):
        issue_wont_fix(issue=issue, by=support, base_revision=0, reason="  ")
    issue_wont_fix(issue=issue, by=support, base_revision=0, reason="The family refused")
    issue.refresh_from_db()
    assert (issue.status, issue.reason, issue.closed_by) == (
        Status.WONT_FIX,
        "The family refused",
        support,
    )
    assert issue.notes.get().kind == Kind.WONT_FIX


def test_a_closed_issue_takes_notes_but_no_other_change(issue, support):
    issue_resolve(issue=issue, by=support, base_revision=0)
    issue.refresh_from_db()
    with pytest.raises(IssueActionError, match="is resolved"):
        issue_chase(issue=issue, by=support, base_revision=issue.revision)
    issue_note_add(issue=issue, by=support, text="Checked again: fine")
    assert issue.notes.count() == 2


def test_the_second_of_two_people_acting_at_once_is_told_and_nothing_is_lost(issue, team, support):
    colleague = _org_wide(team, business_support=True)
    opened_at = issue.revision  # both opened the page at this revision
    issue_resolve(issue=issue, by=support, base_revision=opened_at, text="Fixed it")
    with pytest.raises(IssueConflict) as refused:
        issue_wont_fix(issue=issue, by=colleague, base_revision=opened_at, reason="Refused")
    message = str(refused.value)
    assert f"{support.display_name} marked this issue resolved at " in message
    assert "It is now resolved" in message
    issue.refresh_from_db()
    # The first change stands, whole; the second changed nothing.
    assert (issue.status, issue.closed_by, issue.reason) == (Status.RESOLVED, support, "")
    assert list(issue.notes.values_list("author", "text")) == [(support.pk, "Fixed it")]


def test_two_chases_at_once_send_one_reminder(issue, team, support):
    colleague = _org_wide(team, business_support=True)
    issue_chase(issue=issue, by=support, base_revision=0)
    with pytest.raises(IssueConflict):
        issue_chase(issue=issue, by=colleague, base_revision=0)
    assert Notification.objects.count() == 1
    assert issue.notes.count() == 1


def test_notes_from_two_people_at_once_are_both_kept(issue, team, support):
    colleague = _org_wide(team, business_support=True)
    issue_note_add(issue=issue, by=support, text="One")
    issue_note_add(issue=issue, by=colleague, text="Two")
    assert list(issue.notes.values_list("text", flat=True)) == ["One", "Two"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_people_at_the_same_moment_one_wins_and_the_other_is_told(issue, team, support):
    """Two requests at once, each in its own connection: the row lock makes the second
    wait for the first, then see the new revision and refuse."""
    colleague = _org_wide(team, business_support=True)
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def act(name: str, change: Callable[[], object]) -> None:
        try:
            start.wait()
            change()
            outcomes[name] = "done"
        except IssueConflict:
            outcomes[name] = "conflict"
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=act,
            args=("resolve", lambda: issue_resolve(issue=issue, by=support, base_revision=0)),
        ),
        threading.Thread(
            target=act,
            args=(
                "wont_fix",
                lambda: issue_wont_fix(issue=issue, by=colleague, base_revision=0, reason="No"),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["conflict", "done"]
    issue.refresh_from_db()
    assert issue.revision == 1
    assert issue.notes.count() == 1
    winner = next(name for name, outcome in outcomes.items() if outcome == "done")
    assert issue.status == {"resolve": Status.RESOLVED, "wont_fix": Status.WONT_FIX}[winner]
