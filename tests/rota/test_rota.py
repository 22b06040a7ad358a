"""The rota's rules, proved over random organisations (hypothesis), and the monthly
opening of slots on the first working day (time-machine)."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audits.models import Audit, AuditType
from audits.services.tools import question_add, section_add, tool_create, tool_publish
from cases.models import Service, StaffMember
from rota import services as rota_services
from rota.models import Activity, QARules, RotaSlot
from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    ServiceFactory,
    StaffMemberFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

START = datetime.date(2027, 1, 1)


def _world(*, teams: int, cases_per_team: int, managers_per_team: int, audited: int = 0):
    organisation = OrganisationFactory()
    service = ServiceFactory(organisation=organisation, kind=Service.Kind.LOOKED_AFTER)
    qa = StaffMemberFactory(team=None, service=None, organisation=organisation, qa=True)
    tool = tool_create(
        organisation=organisation,
        name="Review",
        created_by=qa,
        audit_types=[AuditType.REGULAR],
        service_kinds=[service.kind],
    )
    question_add(section=section_add(tool=tool, title="Review"), text="How good?", kind="grade")
    tool = tool_publish(tool=tool, by=qa)
    for t in range(teams):
        team = TeamFactory(service=service, name=f"Team {t}")
        workers = [StaffMemberFactory(team=team) for _ in range(2)]
        for _ in range(managers_per_team):
            StaffMemberFactory(team=team, team_manager=True)
        for n in range(cases_per_team):
            case = CaseFactory(team=team, allocated_worker=workers[n % 2])
            if n < audited:
                Audit.objects.create(
                    organisation=organisation,
                    case=case,
                    tool=tool,
                    auditor=workers[0],
                    due_on=START - relativedelta(months=3),
                )
    return organisation, qa


def _set_rules(organisation, **rules):
    QARules.objects.update_or_create(organisation=organisation, defaults=rules)


RULES = st.fixed_dictionaries(
    {
        "paused_months": st.lists(st.integers(1, 12), max_size=4, unique=True),
        "activities": st.lists(
            st.sampled_from(Activity.values), min_size=1, max_size=3, unique=True
        ),
        "quota_period": st.sampled_from(["month", "quarter"]),
        "quota": st.integers(1, 3),
    }
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rules=RULES,
    teams=st.integers(1, 3),
    managers=st.integers(1, 2),
    cases=st.integers(0, 12),
    audited=st.integers(0, 4),
)
def test_the_rota_keeps_its_rules_for_any_organisation(db, rules, teams, managers, cases, audited):
    organisation, qa = _world(
        teams=teams, cases_per_team=cases, managers_per_team=managers, audited=min(audited, cases)
    )
    _set_rules(organisation, eligible_tiers=[1], **rules)
    refused = None
    try:
        rota = rota_services.rota_generate(organisation=organisation, starts_on=START, by=qa)
    except rota_services.RotaError as error:
        refused = error
    if refused is not None:
        # Refused only for a reason a person can act on, and then nothing is written.
        assert "practice reviews" in str(refused)
        assert not RotaSlot.objects.filter(organisation=organisation).exists()
        return
    slots = list(rota.slots.all())
    paused = set(rules["paused_months"])
    active = [START + relativedelta(months=n) for n in range(12)]
    active = [m for m in active if m.month not in paused]
    by_manager = defaultdict(list)
    for slot in slots:
        by_manager[slot.manager_id].append(slot)
        # Never in a paused month.
        assert slot.month.month not in paused
        assert slot.month.day == 1
    managers_expected = StaffMember.objects.filter(organisation=organisation, tier=1).count()
    assert len(by_manager) == managers_expected
    for manager_slots in by_manager.values():
        per_month = Counter(s.month for s in manager_slots)
        if rules["quota_period"] == "month":
            # Quota held exactly, every active month.
            assert set(per_month) == set(active)
            assert set(per_month.values()) == {rules["quota"]}
        else:
            for block in range(4):
                first = START + relativedelta(months=3 * block)
                months = [m for m in active if first <= m < first + relativedelta(months=3)]
                in_block = sum(per_month[m] for m in months)
                assert in_block == (rules["quota"] if months else 0)
                # Spread evenly: months of a block differ by at most one slot.
                if months:
                    loads = [per_month[m] for m in months]
                    assert max(loads) - min(loads) <= 1
        # Fair spread of activities: the counts differ by at most one.
        activity_counts = Counter(s.activity for s in manager_slots)
        counts = [activity_counts[a] for a in rules["activities"]]
        assert max(counts) - min(counts) <= 1
    picked = [s.case_id for s in slots if s.case_id]
    # No case picked twice, and none audited in the 12 months before its slot.
    assert len(picked) == len(set(picked))
    for slot in slots:
        if slot.case_id:
            assert slot.activity == Activity.PRACTICE_REVIEW
            assert not Audit.objects.filter(
                case_id=slot.case_id, due_on__gte=slot.month - relativedelta(months=12)
            ).exists()
            assert slot.pick_reason


def test_picks_spread_across_teams_and_workers(db):
    organisation, qa = _world(teams=3, cases_per_team=6, managers_per_team=0)
    head = StaffMemberFactory(
        team=None, service=None, organisation=organisation, senior_leader=True
    )
    _set_rules(organisation, eligible_tiers=[3], activities=["practice_review"])
    rota = rota_services.rota_generate(organisation=organisation, starts_on=START, by=qa)
    slots = list(rota.slots.filter(manager=head).select_related("case"))
    teams = Counter(s.case.team_id for s in slots[:9])
    assert sorted(teams.values()) == [3, 3, 3]
    workers = Counter(s.case.allocated_worker_id for s in slots[:6])
    assert max(workers.values()) - min(workers.values()) <= 1


def test_no_eligible_managers_is_refused_and_nothing_is_written(db):
    organisation, qa = _world(teams=1, cases_per_team=3, managers_per_team=0)
    with pytest.raises(rota_services.RotaError, match="No managers are eligible"):
        rota_services.rota_generate(organisation=organisation, starts_on=START, by=qa)
    assert not organisation.rotas.exists()


def test_overlapping_years_are_refused(db):
    organisation, qa = _world(teams=1, cases_per_team=12, managers_per_team=1)
    rota_services.rota_generate(organisation=organisation, starts_on=START, by=qa)
    with pytest.raises(rota_services.RotaError, match="already covers"):
        rota_services.rota_generate(
            organisation=organisation, starts_on=START + relativedelta(months=6), by=qa
        )
    assert organisation.rotas.count() == 1


def test_rules_that_cannot_be_met_are_refused(db):
    organisation, qa = _world(teams=1, cases_per_team=3, managers_per_team=1)
    for bad, message in (
        ({"paused_months": list(range(1, 13))}, "Leave at least one month"),
        ({"activities": []}, "Choose at least one QA activity"),
        ({"quota": 99}, "Enter a quota from 1 to 5"),
    ):
        arguments = {
            "paused_months": [8, 12],
            "activities": ["practice_review"],
            "eligible_tiers": [1],
            "quota_period": "month",
            "quota": 1,
            "reminder_days": 7,
            "escalation_days": 14,
            **bad,
        }
        with pytest.raises(rota_services.RotaError, match=message):
            rota_services.rules_update(organisation=organisation, by=qa, **arguments)


def test_a_practice_review_quota_with_no_cases_is_refused(db):
    organisation, qa = _world(teams=1, cases_per_team=0, managers_per_team=1)
    _set_rules(organisation, activities=["practice_review"])
    with pytest.raises(rota_services.RotaError, match="needs"):
        rota_services.rota_generate(organisation=organisation, starts_on=START, by=qa)
    assert not organisation.rotas.exists()


def _rota(**rules):
    organisation, qa = _world(teams=2, cases_per_team=12, managers_per_team=1)
    _set_rules(organisation, **rules)
    return rota_services.rota_generate(organisation=organisation, starts_on=START, by=qa), qa


@pytest.mark.parametrize(
    ("day", "opens"),
    [
        ("2027-01-01", False),  # New Year's Day: a bank holiday
        ("2027-01-04", True),  # the first working day of January 2027
        ("2027-01-05", False),
        ("2027-08-02", False),  # August is paused
        ("2027-12-01", False),  # December is paused
        ("2027-05-03", False),  # Early May bank holiday
        ("2027-05-04", True),
    ],
)
def test_the_month_opens_on_its_first_working_day_only(day, opens):
    import time_machine
    from django.core.management import call_command

    rota, _ = _rota(activities=["practice_review"])
    moment = datetime.datetime.fromisoformat(f"{day}T06:00:00+00:00")
    with time_machine.travel(moment, tick=False):
        call_command("rota_open_month")
    month = datetime.date.fromisoformat(day).replace(day=1)
    opened = rota.slots.filter(month=month, status=RotaSlot.Status.OPEN)
    assert opened.exists() is opens
    if opens:
        assert opened.count() == rota.slots.filter(month=month).count()
        assert all(slot.audit_id for slot in opened)


def test_opening_the_month_twice_creates_nothing_twice(django_capture_on_commit_callbacks):
    import time_machine
    from django.core.management import call_command

    rota, _ = _rota(activities=["practice_review"])
    moment = datetime.datetime(2027, 2, 1, 6, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
        call_command("rota_open_month")
        audits = Audit.objects.count()
        call_command("rota_open_month")
        call_command("rota_open_month", "--date", "2027-02-01")
    assert Audit.objects.count() == audits
    assert audits == rota.slots.filter(month=datetime.date(2027, 2, 1)).count()
    # Each manager was told once, and e-mailed once, however often the job ran.
    from django.core import mail

    from cases.models import Notification

    told = Notification.objects.filter(key__startswith="slot:", key__endswith=":opened")
    assert told.count() == audits
    subject = "Your practice review for February 2027"
    assert [m.subject for m in mail.outbox].count(subject) == audits


def test_changes_to_a_slot_are_recorded_with_their_reason():
    rota, qa = _rota(activities=["practice_review"])
    slot = rota.slots.filter(month=START).first()
    other = (
        StaffMember.objects.filter(organisation=rota.organisation, tier=1)
        .exclude(pk=slot.manager_id)
        .first()
    )
    rota_services.slot_reassign(slot=slot, manager=other, by=qa, reason="On leave")
    rota_services.slot_defer(
        slot=slot, to_month=START + relativedelta(months=2), by=qa, reason="Court week"
    )
    reasons = [h.history_change_reason for h in slot.history.order_by("history_date")]
    assert reasons[-2:] == [
        f"Reassigned to {other.display_name}: On leave",
        "Deferred to March 2027: Court week",
    ]
    with pytest.raises(rota_services.RotaError, match="paused month"):
        rota_services.slot_defer(
            slot=slot, to_month=datetime.date(2027, 8, 1), by=qa, reason="Holiday"
        )
    with pytest.raises(rota_services.RotaError, match="Enter the reason"):
        rota_services.slot_skip(slot=slot, by=qa, reason=" ")
