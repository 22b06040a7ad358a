"""The QA rota pages: generating a rota, the QA rules, the rota grid, a slot and its
changes, and the compliance figures. The rules of the rota itself are proved in
test_rota.py; these tests prove the pages use the services and show their refusals."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit, AuditType
from audits.services.tools import question_add, section_add, tool_create, tool_publish
from cases.models import Case, Service, StaffMember, Team
from rota import services as rota_services
from rota.models import Activity, QARules, Rota, RotaSlot
from rota.selectors import GridFilters, rota_compliance, rota_grid, rules_read
from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    ServiceFactory,
    StaffMemberFactory,
    TeamFactory,
)
from tests.pages import page_text

pytestmark = pytest.mark.django_db

OBSERVATIONS_ONLY = [Activity.PRACTICE_OBSERVATION, Activity.THEMATIC_REVIEW]


@dataclass
class World:
    organisation: object
    service: Service
    qa: StaffMember
    teams: list[Team] = field(default_factory=list)
    managers: list[StaffMember] = field(default_factory=list)
    workers: list[StaffMember] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)


def _world(
    *, teams: int = 2, managers_per_team: int = 1, cases_per_team: int = 4, **rules
) -> World:
    organisation = OrganisationFactory()
    service = ServiceFactory(
        organisation=organisation, name="Children looked after", kind=Service.Kind.LOOKED_AFTER
    )
    qa = StaffMemberFactory(team=None, service=None, organisation=organisation, qa=True)
    world = World(organisation, service, qa)
    for t in range(teams):
        team = TeamFactory(service=service, name=f"Team {t + 1}")
        world.teams.append(team)
        worker = StaffMemberFactory(team=team)
        world.workers.append(worker)
        for _ in range(managers_per_team):
            world.managers.append(StaffMemberFactory(team=team, team_manager=True))
        for _ in range(cases_per_team):
            world.cases.append(CaseFactory(team=team, allocated_worker=worker))
    if rules:
        QARules.objects.update_or_create(organisation=organisation, defaults=rules)
    return world


def _next_month() -> datetime.date:
    return timezone.localdate().replace(day=1) + relativedelta(months=1)


def _rota(world: World, starts_on: datetime.date | None = None) -> Rota:
    return rota_services.rota_generate(
        organisation=world.organisation, starts_on=starts_on or _next_month(), by=world.qa
    )


def _login(client, staff: StaffMember) -> None:
    client.force_login(staff.user)


# Generating a rota.


def test_qa_generates_a_rota_from_the_page(client):
    world = _world()
    _login(client, world.qa)
    response = client.post(reverse("rota:rota_list"), {"starts_on": _next_month().isoformat()})
    rota = Rota.objects.get(organisation=world.organisation)
    assert response.status_code == 302
    assert response["Location"] == rota.get_absolute_url()
    assert rota.starts_on == _next_month()
    assert rota.created_by == world.qa
    assert rota.slots.count() > 0
    page = client.get(response["Location"])
    assert "slots for 2 managers" in page_text(page)


def test_the_generate_form_offers_this_month_and_the_next_twelve(client):
    world = _world()
    _login(client, world.qa)
    body = page_text(client.get(reverse("rota:rota_list")))
    first = timezone.localdate().replace(day=1)
    for n in range(13):
        assert f'value="{(first + relativedelta(months=n)).isoformat()}"' in body
    assert f'value="{(first + relativedelta(months=13)).isoformat()}"' not in body


def test_no_eligible_managers_shows_the_reason_and_writes_nothing(client):
    world = _world(eligible_tiers=[4])
    _login(client, world.qa)
    response = client.post(reverse("rota:rota_list"), {"starts_on": _next_month().isoformat()})
    assert response.status_code == 400
    body = page_text(response)
    assert "govuk-error-summary" in body
    assert "No managers are eligible for the rota" in body
    assert not Rota.objects.exists()
    assert not RotaSlot.objects.exists()


def test_an_overlapping_year_shows_the_reason_and_writes_nothing(client):
    world = _world()
    rota = _rota(world)
    slots = RotaSlot.objects.count()
    _login(client, world.qa)
    later = (_next_month() + relativedelta(months=3)).isoformat()
    response = client.post(reverse("rota:rota_list"), {"starts_on": later})
    assert response.status_code == 400
    assert "already covers" in page_text(response)
    assert list(Rota.objects.all()) == [rota]
    assert RotaSlot.objects.count() == slots


def test_a_month_not_in_the_list_is_refused(client):
    world = _world()
    _login(client, world.qa)
    response = client.post(reverse("rota:rota_list"), {"starts_on": "2001-01-01"})
    assert response.status_code == 400
    assert "Select the first month of the rota from the list" in page_text(response)
    assert not Rota.objects.exists()


def test_managers_read_the_rota_list_but_cannot_generate(client):
    world = _world()
    _rota(world)
    manager = world.managers[0]
    _login(client, manager)
    page = client.get(reverse("rota:rota_list"))
    assert page.status_code == 200
    assert "Generate a rota" not in page_text(page)
    response = client.post(reverse("rota:rota_list"), {"starts_on": _next_month().isoformat()})
    assert response.status_code == 403


def test_the_rota_list_counts_each_rotas_slots(client):
    world = _world(activities=OBSERVATIONS_ONLY)
    rota = _rota(world)
    first = rota.slots.order_by("pk").first()
    RotaSlot.objects.filter(pk=first.pk).update(status=RotaSlot.Status.DONE)
    _login(client, world.qa)
    response = client.get(reverse("rota:rota_list"))
    listed = response.context["rotas"]
    assert [r.pk for r in listed] == [rota.pk]
    assert listed[0].slot_count == rota.slots.count()
    assert listed[0].done == 1
    assert listed[0].planned == rota.slots.count() - 1


# The QA rules.


def _rules_post(**changes) -> dict:
    data = {
        "paused_months": ["8", "12"],
        "activities": [Activity.PRACTICE_REVIEW, Activity.PRACTICE_OBSERVATION],
        "eligible_tiers": ["1", "2"],
        "quota_period": "quarter",
        "quota": "3",
        "reminder_days": "5",
        "escalation_days": "10",
    }
    data.update(changes)
    return data


def test_qa_edits_the_rules(client):
    world = _world()
    _login(client, world.qa)
    response = client.post(reverse("rota:rota_rules"), _rules_post())
    assert response.status_code == 302
    rules = QARules.objects.get(organisation=world.organisation)
    assert rules.paused_months == [8, 12]
    assert rules.activities == [Activity.PRACTICE_REVIEW, Activity.PRACTICE_OBSERVATION]
    assert rules.eligible_tiers == [1, 2]
    assert (rules.quota_period, rules.quota) == ("quarter", 3)
    assert (rules.reminder_days, rules.escalation_days) == (5, 10)
    assert rules.updated_by == world.qa
    page = client.get(response["Location"])
    assert "QA rules saved" in page_text(page)


@pytest.mark.parametrize(
    ("changes", "message", "field_id"),
    [
        (
            {"paused_months": [str(m) for m in range(1, 13)]},
            "Leave at least one month",
            "id_paused_months",
        ),
        ({"activities": []}, "Choose at least one QA activity", "id_activities"),
        ({"eligible_tiers": []}, "Choose at least one tier of manager", "id_eligible_tiers"),
        ({"quota": "16"}, "Enter a quota from 1 to 15", "id_quota"),
        ({"quota_period": "month", "quota": "6"}, "Enter a quota from 1 to 5", "id_quota"),
        ({"quota": "lots"}, "The quota must be a whole number, like 1", "id_quota"),
        ({"quota": ""}, "Enter the quota", "id_quota"),
        (
            {"escalation_days": "0"},
            "Escalation days must be a whole number from 1 to 365",
            "id_escalation_days",
        ),
        ({"eligible_tiers": ["0"]}, "Select tiers of manager from the list", "id_eligible_tiers"),
    ],
)
def test_rules_that_cannot_be_saved_show_why_and_change_nothing(client, changes, message, field_id):
    world = _world()
    _login(client, world.qa)
    response = client.post(reverse("rota:rota_rules"), _rules_post(**changes))
    assert response.status_code == 400
    body = page_text(response)
    assert "govuk-error-summary" in body
    assert message in body
    # The summary's link goes to the field the problem is with.
    assert f'href="#{field_id}' in body
    assert not QARules.objects.filter(organisation=world.organisation).exists()


def test_the_rules_form_shows_the_tiers_by_name(client):
    world = _world()
    _login(client, world.qa)
    body = page_text(client.get(reverse("rota:rota_rules")))
    for label in ("Team manager", "Service manager", "Head of service", "Director"):
        assert label in body
    assert "Not a manager" not in body
    assert "August" in body
    assert "December" in body


def test_managers_read_the_rules_but_cannot_change_them(client):
    world = _world()
    _login(client, world.managers[0])
    page = client.get(reverse("rota:rota_rules"))
    assert page.status_code == 200
    body = page_text(page)
    assert "Only the QA service can change the rules" in body
    assert "August, December" in body
    assert "<form" not in body.split('id="main-content"')[1]
    assert client.post(reverse("rota:rota_rules"), _rules_post()).status_code == 403


# The rota grid.


def test_the_rota_shows_a_row_per_manager_and_a_column_per_month(client):
    world = _world(activities=OBSERVATIONS_ONLY)
    rota = _rota(world, starts_on=datetime.date(2030, 1, 1))
    _login(client, world.qa)
    response = client.get(rota.get_absolute_url())
    grid = response.context["grid"]
    assert [row.manager for row in grid.rows] == sorted(
        world.managers, key=lambda m: (m.user.last_name, m.user.first_name, m.pk)
    )
    assert len(grid.months) == 12
    paused = [m.month.month for m in grid.months if m.paused]
    assert paused == [8, 12]
    for row in grid.rows:
        assert [len(c.slots) for c in row.cells] == [0 if c.month.paused else 1 for c in row.cells]
    body = page_text(response)
    assert 'scope="col"' in body
    assert 'scope="row"' in body
    assert "app-table-wrapper" in body
    assert "app-width-container--wide" in body


def test_the_rota_filters_by_team_activity_and_status(client):
    world = _world(activities=OBSERVATIONS_ONLY)
    rota = _rota(world)
    _login(client, world.qa)
    team = world.teams[1]
    response = client.get(rota.get_absolute_url(), {"team": team.pk})
    assert [row.manager.team_id for row in response.context["grid"].rows] == [team.pk]
    response = client.get(rota.get_absolute_url(), {"activity": Activity.THEMATIC_REVIEW})
    slots = [s for row in response.context["grid"].rows for c in row.cells for s in c.slots]
    assert slots
    assert {s.activity for s in slots} == {Activity.THEMATIC_REVIEW}
    one = rota.slots.order_by("pk").first()
    RotaSlot.objects.filter(pk=one.pk).update(status=RotaSlot.Status.SKIPPED)
    response = client.get(rota.get_absolute_url(), {"status": "skipped"})
    slots = [s for row in response.context["grid"].rows for c in row.cells for s in c.slots]
    assert [s.pk for s in slots] == [one.pk]


def test_filters_that_are_not_in_the_lists_are_ignored(client):
    world = _world(activities=OBSERVATIONS_ONLY)
    rota = _rota(world)
    _login(client, world.qa)
    response = client.get(
        rota.get_absolute_url(), {"team": "9" * 30, "status": "maybe", "service": "x"}
    )
    assert response.status_code == 200
    assert response.context["grid"].slot_count == rota.slots.count()


@pytest.mark.parametrize("managers_per_team", [1, 10])
def test_the_rota_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, managers_per_team
):
    """5 managers or 50: the same queries."""
    world = _world(teams=5, managers_per_team=managers_per_team, activities=OBSERVATIONS_ONLY)
    rota = _rota(world)
    assert rota.slots.values("manager").distinct().count() == 5 * managers_per_team
    _login(client, world.qa)
    with django_assert_max_num_queries(12):
        response = client.get(rota.get_absolute_url(), {"activity": Activity.THEMATIC_REVIEW})
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("rota:rota_compliance", args=[rota.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("rota:rota_list")).status_code == 200


# One slot and its changes.


def _review_slot(rota: Rota) -> RotaSlot:
    return (
        rota.slots.filter(activity=Activity.PRACTICE_REVIEW, case__isnull=False)
        .order_by("month", "pk")
        .first()
    )


def _change(client, slot: RotaSlot, action: str, **fields):
    data = {"action": action, **{f"{action}-{name}": value for name, value in fields.items()}}
    return client.post(reverse("rota:slot_change", args=[slot.pk]), data)


def _reasons(slot: RotaSlot) -> list[str]:
    return [h.history_change_reason for h in slot.history.order_by("history_date", "pk")]


def test_qa_swaps_the_case_and_the_history_keeps_the_reason(client):
    world = _world()
    rota = _rota(world)
    slot = _review_slot(rota)
    used = set(rota.slots.values_list("case_id", flat=True))
    other = next(c for c in world.cases if c.pk not in used)
    _login(client, world.qa)
    response = _change(
        client, slot, "swap", reference=other.child.reference.lower(), reason="Court next week"
    )
    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.case == other
    assert _reasons(slot)[-1] == "Case changed: Court next week"
    assert slot.history.latest().history_user == world.qa.user
    body = page_text(client.get(slot.get_absolute_url()))
    assert "Case changed: Court next week" in body
    assert world.qa.display_name in body
    assert other.child.reference in body


def test_qa_reassigns_defers_and_skips_with_reasons_shown_on_the_slot(client):
    world = _world()
    rota = _rota(world)
    slot = _review_slot(rota)
    other = next(m for m in world.managers if m.pk != slot.manager_id)
    # A name the page must escape, and the reason must still read right.
    other.user.last_name = "O'Brien"
    other.user.save()
    later = slot.month + relativedelta(months=2)
    while later.month in (8, 12):
        later += relativedelta(months=1)
    _login(client, world.qa)
    assert _change(client, slot, "reassign", manager=other.pk, reason="On leave").status_code == 302
    assert (
        _change(client, slot, "defer", to_month=later.isoformat(), reason="Court week").status_code
        == 302
    )
    assert _change(client, slot, "skip", reason="Long-term sick leave").status_code == 302
    slot.refresh_from_db()
    assert (slot.manager, slot.month, slot.status) == (other, later, RotaSlot.Status.SKIPPED)
    assert _reasons(slot)[-3:] == [
        f"Reassigned to {other.display_name}: On leave",
        f"Deferred to {later:%B %Y}: Court week",
        "Skipped: Long-term sick leave",
    ]
    body = page_text(client.get(slot.get_absolute_url()))
    for reason in _reasons(slot)[-3:]:
        assert reason in body
    assert "Planned when the rota was generated" in body
    # A skipped slot cannot be changed any more.
    assert "Change the slot" not in body


@pytest.mark.parametrize(
    ("action", "fields", "message"),
    [
        ("skip", {"reason": ""}, "Enter the reason for the change"),
        ("reassign", {"manager": "", "reason": "Leave"}, "Select the manager to take the slot"),
        ("defer", {"to_month": "2001-01-01", "reason": "Leave"}, "Select a month from the list"),
        (
            "swap",
            {"reference": "NO-SUCH-ID", "reason": "Leave"},
            "No open case of this organisation has that ID",
        ),
    ],
)
def test_a_change_that_cannot_be_made_shows_why_and_writes_nothing(client, action, fields, message):
    world = _world()
    rota = _rota(world)
    slot = _review_slot(rota)
    before = (slot.manager_id, slot.month, slot.status, slot.case_id, slot.history.count())
    _login(client, world.qa)
    response = _change(client, slot, action, **fields)
    assert response.status_code == 400
    body = page_text(response)
    assert "govuk-error-summary" in body
    assert message in body
    slot.refresh_from_db()
    assert (slot.manager_id, slot.month, slot.status, slot.case_id, slot.history.count()) == before


def test_a_case_already_in_the_rota_is_refused_with_the_services_message(client):
    world = _world()
    rota = _rota(world)
    slot, taken = list(
        rota.slots.filter(activity=Activity.PRACTICE_REVIEW, case__isnull=False).order_by("pk")[:2]
    )
    _login(client, world.qa)
    response = _change(
        client, slot, "swap", reference=taken.case.child.reference, reason="Court next week"
    )
    assert response.status_code == 400
    assert "That case is already in this rota" in page_text(response)
    slot.refresh_from_db()
    assert slot.case_id != taken.case_id


def test_an_opened_slot_cannot_be_changed(client):
    world = _world()
    rota = _rota(world)
    slot = _review_slot(rota)
    RotaSlot.objects.filter(pk=slot.pk).update(status=RotaSlot.Status.OPEN)
    other = next(m for m in world.managers if m.pk != slot.manager_id)
    _login(client, world.qa)
    assert "Change the slot" not in page_text(client.get(slot.get_absolute_url()))
    response = _change(client, slot, "reassign", manager=other.pk, reason="On leave")
    assert response.status_code == 400
    assert "Only a slot that has not opened yet can be changed" in page_text(response)
    slot.refresh_from_db()
    assert slot.manager_id != other.pk


def test_the_defer_list_offers_later_unpaused_months_only(client):
    world = _world()
    rota = _rota(world, starts_on=datetime.date(2030, 1, 1))
    slot = rota.slots.filter(month=datetime.date(2030, 6, 1)).order_by("pk").first()
    _login(client, world.qa)
    form = client.get(slot.get_absolute_url()).context["forms"]["defer"]
    offered = [value for value, _ in form.fields["to_month"].choices if value]
    assert offered == ["2030-07-01", "2030-09-01", "2030-10-01", "2030-11-01"]


def test_a_manager_sees_no_child_details_for_a_case_outside_their_caseload(client):
    world = _world()
    rota = _rota(world)
    slot = _review_slot(rota)
    # Names no member of staff can share, so their absence from the page means something.
    child = slot.case.child
    child.given_name, child.family_name = "Quillonette", "Zarbrecht"
    child.save()
    outsider = next(m for m in world.managers if m.team_id != slot.case.team_id)
    _login(client, outsider)
    response = client.get(slot.get_absolute_url())
    assert response.status_code == 200
    body = page_text(response)
    assert "You cannot open it" in body
    assert child.reference not in body
    assert "Zarbrecht" not in body
    assert "Quillonette" not in body
    assert "Change the slot" not in body


def test_the_slots_own_manager_can_open_its_case(client):
    world = _world()
    rota = _rota(world)
    slot = _review_slot(rota)
    _login(client, slot.manager)
    assert slot.case.child.reference in page_text(client.get(slot.get_absolute_url()))


# Who may see what.


def _pages(rota: Rota, slot: RotaSlot) -> list[str]:
    return [
        reverse("rota:rota_list"),
        reverse("rota:rota_rules"),
        rota.get_absolute_url(),
        reverse("rota:rota_compliance", args=[rota.pk]),
        slot.get_absolute_url(),
    ]


def test_practitioners_are_refused_every_rota_page(client):
    world = _world()
    rota = _rota(world)
    slot = _review_slot(rota)
    _login(client, world.workers[0])
    for url in _pages(rota, slot):
        assert client.get(url).status_code == 403, url
    assert _change(client, slot, "skip", reason="Leave").status_code == 403


def test_another_organisations_rota_is_not_found(client):
    world = _world()
    rota = _rota(world)
    slot = _review_slot(rota)
    elsewhere = _world()
    _login(client, elsewhere.qa)
    for url in _pages(rota, slot)[2:]:
        assert client.get(url).status_code == 404, url
    assert _change(client, slot, "skip", reason="Leave").status_code == 404
    slot.refresh_from_db()
    assert slot.status == RotaSlot.Status.PLANNED
    assert rota.pk not in [r.pk for r in client.get(reverse("rota:rota_list")).context["rotas"]]


def test_managers_cannot_change_slots(client):
    world = _world()
    rota = _rota(world)
    slot = _review_slot(rota)
    _login(client, slot.manager)
    assert _change(client, slot, "skip", reason="Leave").status_code == 403
    slot.refresh_from_db()
    assert slot.status == RotaSlot.Status.PLANNED


# Compliance.

TODAY = datetime.datetime(2027, 3, 15, 12, tzinfo=datetime.UTC)
JAN, FEB, MAR, APR = (datetime.date(2027, m, 1) for m in (1, 2, 3, 4))


def _audit(world: World, tool, status: str) -> Audit:
    return Audit.objects.create(
        organisation=world.organisation,
        case=world.cases[0],
        tool=tool,
        auditor=world.managers[0],
        due_on=JAN,
        audit_type=AuditType.REGULAR,
        status=status,
        overall_grade="" if status in Audit.EDITABLE else "good",
    )


def _known_rota() -> tuple[World, Rota]:
    """Two managers (Team 1: A, Team 2: B), one observation a month from January 2027;
    on 15 March 2027:

    A: January audit submitted (done), February done, March audit in progress (in
       progress), April skipped, six planned.
    B: January opened with no audit (overdue), February done, March audit final (done),
       seven planned.
    """
    world = _world(activities=[Activity.PRACTICE_OBSERVATION])
    rota = _rota(world, starts_on=JAN)
    tool = tool_create(
        organisation=world.organisation,
        name="Review",
        created_by=world.qa,
        audit_types=[AuditType.REGULAR],
    )
    question_add(section=section_add(tool=tool, title="Review"), text="How good?", kind="grade")
    tool = tool_publish(tool=tool, by=world.qa)
    a, b = world.managers
    opened = RotaSlot.Status.OPEN

    def set_slot(manager: StaffMember, month: datetime.date, **values) -> None:
        assert RotaSlot.objects.filter(rota=rota, manager=manager, month=month).update(**values)

    set_slot(a, JAN, status=opened, audit=_audit(world, tool, Audit.Status.SUBMITTED))
    set_slot(a, FEB, status=RotaSlot.Status.DONE)
    set_slot(a, MAR, status=opened, audit=_audit(world, tool, Audit.Status.IN_PROGRESS))
    set_slot(a, APR, status=RotaSlot.Status.SKIPPED)
    set_slot(b, JAN, status=opened)
    set_slot(b, FEB, status=RotaSlot.Status.DONE)
    set_slot(b, MAR, status=opened, audit=_audit(world, tool, Audit.Status.FINAL))
    return world, rota


def _counts(tally) -> tuple:
    return (
        tally.done,
        tally.in_progress,
        tally.overdue,
        tally.planned,
        tally.skipped,
        tally.due,
        tally.percent_done,
    )


def test_compliance_counts_known_slots():
    world, rota = _known_rota()
    a, b = world.managers
    with time_machine.travel(TODAY, tick=False):
        figures = rota_compliance(
            rota=rota, rules=rules_read(world.organisation), today=timezone.localdate()
        )
    by_manager = {t.label: _counts(t) for t in figures.by_manager}
    assert by_manager == {
        a.display_name: (2, 1, 0, 6, 1, 3, 67),
        b.display_name: (2, 0, 1, 7, 0, 3, 67),
    }
    assert {t.label: _counts(t) for t in figures.by_team} == {
        "Team 1": (2, 1, 0, 6, 1, 3, 67),
        "Team 2": (2, 0, 1, 7, 0, 3, 67),
    }
    assert [(t.label, _counts(t)) for t in figures.by_service] == [
        ("Children looked after", (4, 1, 1, 13, 1, 6, 67))
    ]
    months = {t.label: _counts(t) for t in figures.by_month}
    assert months["January 2027"] == (1, 0, 1, 0, 0, 2, 50)
    assert months["February 2027"] == (2, 0, 0, 0, 0, 2, 100)
    assert months["March 2027"] == (1, 1, 0, 0, 0, 2, 50)
    assert months["April 2027"] == (0, 0, 0, 1, 1, 0, None)
    assert months["August 2027"] == (0, 0, 0, 0, 0, 0, None)
    assert _counts(figures.totals) == (4, 1, 1, 13, 1, 6, 67)
    assert figures.totals.total == rota.slots.count() == 20
    chart = dict((label, shown) for label, _, shown in figures.chart_rows)
    assert chart["January 2027"] == "50% (1 of 2)"
    assert chart["February 2027"] == "100% (2 of 2)"
    assert chart["April 2027"] == "Not due yet"
    assert chart["August 2027"] == "Paused"


def test_the_rota_grid_shows_the_same_states():
    world, rota = _known_rota()
    a, b = world.managers
    with time_machine.travel(TODAY, tick=False):
        grid = rota_grid(
            rota=rota,
            rules=rules_read(world.organisation),
            today=timezone.localdate(),
            filters=GridFilters(),
        )
    states = {
        (row.manager.pk, cell.month.month): cell.slots[0].state
        for row in grid.rows
        for cell in row.cells
        if cell.slots
    }
    assert [states[(a.pk, m)] for m in (JAN, FEB, MAR, APR)] == [
        "done",
        "done",
        "in_progress",
        "skipped",
    ]
    assert [states[(b.pk, m)] for m in (JAN, FEB, MAR, APR)] == [
        "overdue",
        "done",
        "done",
        "planned",
    ]


def test_the_compliance_page_shows_a_chart_and_tables(client):
    world, rota = _known_rota()
    with time_machine.travel(TODAY, tick=False):
        _login(client, world.managers[0])
        response = client.get(reverse("rota:rota_compliance", args=[rota.pk]))
    assert response.status_code == 200
    body = page_text(response)
    assert "<strong>67%</strong> of the slots due so far are done (4 of 6)" in body
    assert 'role="img"' in body  # the bar chart
    assert "50% (1 of 2)" in body
    for caption in ("Slots by month", "Slots by manager", "Slots by team"):
        assert caption in body
