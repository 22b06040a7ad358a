"""Complaints: working-day deadlines across bank holidays, extension limits, outcomes per
point, escalation, closing, actions, compliments shared, reminders, and who sees what."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from cases.models import Notification
from core.dates import is_working_day
from feedback import complaints
from feedback.complaints import ComplaintError
from feedback.models.complaints import Complaint, ComplaintAction, Compliment, Outcome, Stage
from feedback.reminders_complaints import SOURCES, action_escalations, stage_reminders
from tests.factories import (
    CaseFactory,
    ComplaintActionFactory,
    ComplaintFactory,
    ComplimentFactory,
    StaffMemberFactory,
    TeamFactory,
)

# 10:00 London time on Friday 18 December 2026: Christmas Day is a Friday, Boxing Day a
# Saturday (so Monday 28 December is the substitute bank holiday), New Year's Day a Friday.
RECEIVED = datetime.date(2026, 12, 18)
FRIDAY_18_DEC = datetime.datetime(2026, 12, 18, 10, tzinfo=datetime.UTC)


@pytest.fixture
def customer_care(db):
    team = TeamFactory()
    return StaffMemberFactory(
        organisation=team.organisation, team=None, service=None, business_support=True
    )


def _complaint(by, *, received_on=RECEIVED, points=("Calls not returned.", "Report wrong.")):
    case = CaseFactory(organisation=by.organisation, team=TeamFactory(organisation=by.organisation))
    return complaints.complaint_create(
        by=by,
        received_on=received_on,
        complainant_type="parent",
        case=case,
        summary="Nobody returned my calls and the report was wrong.",
        points=list(points),
    )


def _stage(complaint, number=None):
    number = number or complaint.current_stage
    return complaint.stages.get(stage=number)


def _all(outcome, complaint):
    return {p.pk: outcome for p in complaint.points.all()}


# Deadlines.


def test_the_bank_holidays_of_christmas_2026_are_the_ones_the_deadlines_skip():
    for day in (25, 28):
        assert not is_working_day(datetime.date(2026, 12, day))
    assert not is_working_day(datetime.date(2027, 1, 1))
    assert is_working_day(datetime.date(2026, 12, 29))


@time_machine.travel(FRIDAY_18_DEC, tick=False)
def test_stage_1_received_before_christmas_is_due_after_new_year(customer_care):
    complaint = _complaint(customer_care)
    stage = _stage(complaint)
    # 21-24 Dec (4), 29-31 Dec (3), 4-6 Jan (3): 25, 26, 27, 28 Dec and 1 Jan skipped.
    assert stage.started_on == RECEIVED
    assert stage.due_on == datetime.date(2027, 1, 6)
    assert complaint.reference == "CMP-2026-0001"
    assert complaint.team == complaint.case.team
    assert complaint.service == complaint.case.service


@time_machine.travel(FRIDAY_18_DEC, tick=False)
def test_stage_1_may_be_extended_to_20_working_days_and_no_further(customer_care):
    complaint = _complaint(customer_care)
    latest = datetime.date(2027, 1, 20)
    with pytest.raises(ComplaintError, match="20 working days at most.*20 January 2027"):
        complaints.stage_extend(
            complaint=complaint,
            by=customer_care,
            extended_due_on=latest + datetime.timedelta(days=1),
            reason="Waiting for the school",
        )
    assert _stage(complaint).extended_due_on is None
    stage = complaints.stage_extend(
        complaint=complaint, by=customer_care, extended_due_on=latest, reason="Waiting"
    )
    assert stage.extended_due_on == latest
    assert stage.effective_due_on == latest


@time_machine.travel(FRIDAY_18_DEC, tick=False)
def test_an_extension_must_be_later_than_the_due_date_and_say_why(customer_care):
    complaint = _complaint(customer_care)
    with pytest.raises(ComplaintError, match="after 6 January 2027"):
        complaints.stage_extend(
            complaint=complaint,
            by=customer_care,
            extended_due_on=datetime.date(2027, 1, 6),
            reason="Waiting",
        )
    with pytest.raises(ComplaintError, match="reason"):
        complaints.stage_extend(
            complaint=complaint,
            by=customer_care,
            extended_due_on=datetime.date(2027, 1, 8),
            reason=" ",
        )


def _respond(complaint, by, on, outcome=Outcome.UPHELD):
    with time_machine.travel(datetime.datetime.combine(on, datetime.time(12), datetime.UTC)):
        return complaints.stage_respond(
            complaint=complaint,
            by=by,
            responded_on=on,
            outcomes=_all(outcome, complaint),
            response="Apology given.",
        )


@time_machine.travel(FRIDAY_18_DEC, tick=False)
def test_escalation_starts_stage_2_on_the_day_asked_due_25_working_days_later(customer_care):
    complaint = _complaint(customer_care)
    _respond(complaint, customer_care, datetime.date(2027, 1, 5))
    with time_machine.travel(datetime.datetime(2027, 1, 8, 12, tzinfo=datetime.UTC)):
        stage = complaints.complaint_escalate(
            complaint=complaint, by=customer_care, requested_on=datetime.date(2027, 1, 8)
        )
    complaint.refresh_from_db()
    assert complaint.current_stage == Stage.INVESTIGATION
    assert stage.started_on == datetime.date(2027, 1, 8)
    # 25 working days from Friday 8 January 2027: no bank holiday until Good Friday.
    assert stage.due_on == datetime.date(2027, 2, 12)
    assert complaints.stage_latest_extension(2, stage.started_on) == datetime.date(2027, 4, 13)


@time_machine.travel(FRIDAY_18_DEC, tick=False)
def test_stage_2_extension_skips_easter_and_stops_at_65_working_days(customer_care):
    complaint = _complaint(customer_care)
    _respond(complaint, customer_care, datetime.date(2027, 1, 5))
    with time_machine.travel(datetime.datetime(2027, 1, 8, 12, tzinfo=datetime.UTC)):
        complaints.complaint_escalate(
            complaint=complaint, by=customer_care, requested_on=datetime.date(2027, 1, 8)
        )
        # 65 working days: Good Friday (26 March) and Easter Monday (29 March) skipped.
        with pytest.raises(ComplaintError, match="65 working days at most.*13 April 2027"):
            complaints.stage_extend(
                complaint=complaint,
                by=customer_care,
                extended_due_on=datetime.date(2027, 4, 14),
                reason="Independent person unavailable",
            )
        complaints.stage_extend(
            complaint=complaint,
            by=customer_care,
            extended_due_on=datetime.date(2027, 4, 13),
            reason="Independent person unavailable",
        )


@time_machine.travel(FRIDAY_18_DEC, tick=False)
def test_stage_3_is_due_30_working_days_from_the_request_and_cannot_be_extended(customer_care):
    complaint = _complaint(customer_care)
    _respond(complaint, customer_care, datetime.date(2027, 1, 5))
    with time_machine.travel(datetime.datetime(2027, 1, 8, 12, tzinfo=datetime.UTC)):
        complaints.complaint_escalate(
            complaint=complaint, by=customer_care, requested_on=datetime.date(2027, 1, 8)
        )
    _respond(complaint, customer_care, datetime.date(2027, 2, 10), Outcome.PARTLY_UPHELD)
    with time_machine.travel(datetime.datetime(2027, 2, 15, 12, tzinfo=datetime.UTC)):
        stage = complaints.complaint_escalate(
            complaint=complaint, by=customer_care, requested_on=datetime.date(2027, 2, 15)
        )
        # Good Friday (26 March) and Easter Monday (29 March) 2027 skipped.
        assert stage.due_on == datetime.date(2027, 3, 31)
        with pytest.raises(ComplaintError, match="Stage 3 cannot be extended"):
            complaints.stage_extend(
                complaint=complaint,
                by=customer_care,
                extended_due_on=datetime.date(2027, 4, 1),
                reason="Panel",
            )
    _respond(complaint, customer_care, datetime.date(2027, 3, 25), Outcome.NOT_UPHELD)
    with (
        time_machine.travel(datetime.datetime(2027, 3, 26, 12, tzinfo=datetime.UTC)),
        pytest.raises(ComplaintError, match="last stage"),
    ):
        complaints.complaint_escalate(
            complaint=complaint, by=customer_care, requested_on=datetime.date(2027, 3, 26)
        )


# Outcomes, escalation and closing refused at the wrong time.


@time_machine.travel(FRIDAY_18_DEC, tick=False)
def test_each_point_gets_its_own_outcome_at_each_stage(customer_care):
    complaint = _complaint(customer_care)
    first, second = complaint.points.all()
    with time_machine.travel(datetime.datetime(2027, 1, 5, 12, tzinfo=datetime.UTC)):
        complaints.stage_respond(
            complaint=complaint,
            by=customer_care,
            responded_on=datetime.date(2027, 1, 5),
            outcomes={first.pk: Outcome.UPHELD, second.pk: Outcome.NOT_UPHELD},
        )
        complaints.complaint_escalate(
            complaint=complaint, by=customer_care, requested_on=datetime.date(2027, 1, 5)
        )
    _respond(complaint, customer_care, datetime.date(2027, 1, 20), Outcome.PARTLY_UPHELD)
    view = complaints.complaint_view(complaint=complaint, today=datetime.date(2027, 1, 21))
    rows = {p.number: [o.outcome for o in outcomes] for p, outcomes in view.point_rows}
    assert rows == {1: ["upheld", "partly_upheld"], 2: ["not_upheld", "partly_upheld"]}


@time_machine.travel(FRIDAY_18_DEC, tick=False)
def test_a_response_without_every_points_outcome_writes_nothing(customer_care):
    complaint = _complaint(customer_care)
    first = complaint.points.first()
    with pytest.raises(ComplaintError, match="Choose an outcome for point 2"):
        complaints.stage_respond(
            complaint=complaint,
            by=customer_care,
            responded_on=RECEIVED,
            outcomes={first.pk: Outcome.UPHELD},
        )
    stage = _stage(complaint)
    assert stage.responded_on is None
    assert not stage.outcomes.exists()


@time_machine.travel(FRIDAY_18_DEC, tick=False)
def test_a_stage_is_responded_to_once(customer_care):
    complaint = _complaint(customer_care)
    complaints.stage_respond(
        complaint=complaint,
        by=customer_care,
        responded_on=RECEIVED,
        outcomes=_all(Outcome.UPHELD, complaint),
    )
    with pytest.raises(ComplaintError, match="already been responded"):
        complaints.stage_respond(
            complaint=complaint,
            by=customer_care,
            responded_on=RECEIVED,
            outcomes=_all(Outcome.NOT_UPHELD, complaint),
        )


@time_machine.travel(FRIDAY_18_DEC, tick=False)
def test_escalating_or_closing_before_the_response_is_refused(customer_care):
    complaint = _complaint(customer_care)
    with pytest.raises(ComplaintError, match="before escalating"):
        complaints.complaint_escalate(complaint=complaint, by=customer_care, requested_on=RECEIVED)
    with pytest.raises(ComplaintError, match="before closing"):
        complaints.complaint_close(complaint=complaint, by=customer_care, closed_on=RECEIVED)
    complaint.refresh_from_db()
    assert complaint.current_stage == 1
    assert complaint.is_open


@time_machine.travel(FRIDAY_18_DEC, tick=False)
def test_close_after_the_response(customer_care):
    complaint = _complaint(customer_care)
    complaints.stage_respond(
        complaint=complaint,
        by=customer_care,
        responded_on=RECEIVED,
        outcomes=_all(Outcome.UPHELD, complaint),
    )
    complaints.complaint_close(complaint=complaint, by=customer_care, closed_on=RECEIVED)
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CLOSED
    assert complaint.closed_on == RECEIVED


def test_only_customer_care_records_complaints(db):
    manager = StaffMemberFactory(team_manager=True)
    with pytest.raises(ComplaintError, match="customer care"):
        _complaint(manager, received_on=datetime.date(2026, 1, 5))
    assert not Complaint.objects.exists()


def test_a_complaint_about_another_organisations_case_is_refused(customer_care):
    other_case = CaseFactory()
    with pytest.raises(ComplaintError, match="own organisation"):
        complaints.complaint_create(
            by=customer_care,
            received_on=datetime.date(2026, 1, 5),
            complainant_type="child",
            case=other_case,
            summary="x",
            points=["x"],
        )


# Actions and reminders.


@time_machine.travel(FRIDAY_18_DEC, tick=False)
def test_an_action_is_tracked_for_its_owner(customer_care):
    complaint = _complaint(customer_care)
    owner = StaffMemberFactory(team=complaint.team, team_manager=True)
    action = complaints.complaint_action_add(
        complaint=complaint,
        by=customer_care,
        description="Name a contact",
        owner=owner,
        due_on=datetime.date(2027, 1, 29),
    )
    items = complaints.complaint_action_items(user=owner.user)
    assert [(i.title, i.due_on, i.url) for i in items] == [
        ("Name a contact", datetime.date(2027, 1, 29), action.get_absolute_url())
    ]
    assert Notification.objects.filter(recipient=owner, key__contains="assigned").count() == 1
    complaints.complaint_action_complete(action=action, by=owner)
    assert complaints.complaint_action_items(user=owner.user) == []


class _Rules:
    reminder_days = 3
    escalation_days = 7


def _send(org_id, day):
    from cases.notifications import notify_many

    messages = [
        m for source in SOURCES for m in source(organisation_id=org_id, rules=_Rules(), day=day)
    ]
    return notify_many(messages)


def test_overdue_actions_are_reminded_once_a_day_and_escalated_once(db):
    manager = StaffMemberFactory(team_manager=True)
    action = ComplaintActionFactory(due_on=datetime.date(2027, 1, 4))
    action.owner.line_manager = manager
    action.owner.save()
    org = action.organisation_id
    first = _send(org, datetime.date(2027, 1, 6))
    assert [n.kind for n in first] == ["reminder"]
    assert _send(org, datetime.date(2027, 1, 6)) == []
    day = datetime.date(2027, 1, 12)
    later = _send(org, day)
    assert sorted(n.kind for n in later) == ["escalation", "reminder"]
    assert _send(org, day) == []
    escalations = list(action_escalations(organisation_id=org, rules=_Rules(), day=day))
    assert escalations[0].recipient == manager
    ComplaintAction.objects.filter(pk=action.pk).update(status="done", done_on=day)
    assert _send(org, datetime.date(2027, 1, 13)) == []


def test_stages_due_soon_remind_their_officer(db):
    officer = StaffMemberFactory(team_manager=True)
    complaint = ComplaintFactory(received_on=datetime.date(2027, 1, 4))
    complaint.stages.update(officer=officer)
    stage = complaint.stages.get()
    day = stage.due_on - datetime.timedelta(days=2)
    messages = list(
        stage_reminders(organisation_id=complaint.organisation_id, rules=_Rules(), day=day)
    )
    assert [m.recipient for m in messages] == [officer]
    assert complaint.reference in messages[0].subject
    early = stage.due_on - datetime.timedelta(days=10)
    assert not list(
        stage_reminders(organisation_id=complaint.organisation_id, rules=_Rules(), day=early)
    )


# Compliments.


def test_a_compliment_is_shared_with_the_worker_and_their_team_manager(customer_care):
    worker = StaffMemberFactory(team=TeamFactory(organisation=customer_care.organisation))
    manager = StaffMemberFactory(team=worker.team, team_manager=True)
    compliment = complaints.compliment_record(
        by=customer_care,
        received_on=datetime.date(2026, 1, 5),
        from_type="parent",
        worker=worker,
        what_they_said="She listened.",
    )
    assert compliment.team == worker.team
    told = set(
        Notification.objects.filter(key=f"compliment:{compliment.pk}:shared").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {worker.pk, manager.pk}


# Who sees what.


@pytest.fixture
def world(db):
    complaint = ComplaintFactory()
    case = complaint.case
    worker = StaffMemberFactory(team=case.team)
    case.allocated_worker = worker
    case.save()
    return complaint, worker


def _sees(person, complaint):
    return Complaint.objects.visible_to(person.user).filter(pk=complaint.pk).exists()


def test_the_team_the_worker_and_the_organisation_see_the_complaint(world):
    complaint, worker = world
    org = complaint.organisation
    insiders = [
        worker,
        StaffMemberFactory(team=complaint.team, team_manager=True),
        StaffMemberFactory(
            team=None, service=complaint.service, organisation=org, service_manager=True
        ),
        StaffMemberFactory(team=None, service=None, organisation=org, qa=True),
        StaffMemberFactory(team=None, service=None, organisation=org, senior_leader=True),
        StaffMemberFactory(team=None, service=None, organisation=org, business_support=True),
    ]
    for person in insiders:
        assert _sees(person, complaint), person.role


def test_another_team_another_organisation_and_regional_leads_cannot_see_it(world):
    complaint, _ = world
    org = complaint.organisation
    outsiders = [
        StaffMemberFactory(team=complaint.team),  # a colleague, not allocated
        StaffMemberFactory(team=TeamFactory(organisation=org), team_manager=True),
        StaffMemberFactory(team_manager=True),
        StaffMemberFactory(qa=True),
        StaffMemberFactory(senior_leader=True),
        StaffMemberFactory(team=None, service=None, organisation=org, regional_lead=True),
    ]
    for person in outsiders:
        assert not _sees(person, complaint), person.role
        assert not complaints.complaint_list(user=person.user).filter(pk=complaint.pk).exists()


def test_compliments_are_seen_by_the_worker_their_managers_and_the_organisation(db):
    compliment = ComplimentFactory()
    org = compliment.organisation
    seen = Compliment.objects.visible_to
    assert seen(compliment.worker.user).exists()
    assert seen(StaffMemberFactory(team=compliment.team, team_manager=True).user).exists()
    assert seen(
        StaffMemberFactory(team=None, service=None, organisation=org, business_support=True).user
    ).exists()
    assert not seen(StaffMemberFactory(team=compliment.team).user).exists()
    assert not seen(StaffMemberFactory(qa=True).user).exists()
    assert not seen(
        StaffMemberFactory(team=None, service=None, organisation=org, regional_lead=True).user
    ).exists()
