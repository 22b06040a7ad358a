"""The panel administrator's pages: setting up a meeting and adding the items presented,
the services behind them, who may use them, and their answers to bad input."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from cases.models import Service, StaffMember
from feedback import evaluations
from feedback.models import PanelEvaluation, PanelItem, PanelMeeting
from tests.factories import (
    AdopterFactory,
    CaseFactory,
    OrganisationFactory,
    PanelItemFactory,
    PanelMeetingFactory,
    PanelMemberFactory,
    StaffMemberFactory,
    TeamFactory,
)
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

HELD_ON = datetime.date(2026, 11, 6)


@pytest.fixture(autouse=True)
def _today():
    """The pages check dates against today: 18 November 2026."""
    with time_machine.travel(datetime.datetime(2026, 11, 18, 12, tzinfo=datetime.UTC)):
        yield


def _org_wide(org, role: str) -> StaffMember:
    return StaffMemberFactory(team=None, service=None, organisation=org, role=role)


@pytest.fixture
def org():
    return OrganisationFactory()


@pytest.fixture
def admin(org):
    """The panel administrator: business support of the organisation."""
    return _org_wide(org, "business_support")


@pytest.fixture
def panel_members(org):
    return [PanelMemberFactory(organisation=org) for _ in range(3)]


@pytest.fixture
def adoption_case(org):
    """An adopter household's case, allocated, in a team with a manager, in a service
    with a manager."""
    team = TeamFactory(service__organisation=org, service__kind=Service.Kind.ADOPTION_RECRUITMENT)
    worker = StaffMemberFactory(team=team)
    StaffMemberFactory(team=team, team_manager=True)
    StaffMemberFactory(team=None, organisation=org, service=team.service, service_manager=True)
    return CaseFactory(
        team=team,
        child=None,
        adopter=AdopterFactory(organisation=org),
        allocated_worker=worker,
    )


@pytest.fixture
def meeting(org, panel_members):
    return PanelMeetingFactory(
        organisation=org, chair=panel_members[0], held_on=HELD_ON, members=panel_members[1:]
    )


def _login(client, staff: StaffMember) -> None:
    client.force_login(staff.user)


def _meeting_post(chair, members, held_on=HELD_ON) -> dict:
    return {
        "held_on_0": str(held_on.day),
        "held_on_1": str(held_on.month),
        "held_on_2": str(held_on.year),
        "chair": str(chair.pk),
        "members": [str(m.pk) for m in members],
    }


# Setting up a meeting.


@pytest.mark.parametrize("role", ["qa", "business_support"])
def test_the_panel_administrator_sets_up_a_meeting(client, org, panel_members, role):
    _login(client, _org_wide(org, role))
    listing = client.get(reverse("feedback:panel_meeting_list")).content.decode()
    assert reverse("feedback:panel_meeting_new") in listing
    chair, *others = panel_members
    response = client.post(
        reverse("feedback:panel_meeting_new"), _meeting_post(chair, [chair, *others])
    )
    meeting = PanelMeeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert (meeting.organisation, meeting.held_on, meeting.chair) == (org, HELD_ON, chair)
    # The chair ticked among the members sits once, as chair.
    assert set(meeting.members.all()) == set(others)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("feedback:panel_item_new", kwargs={"panel_meeting_pk": meeting.pk}) in page


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        (
            {"held_on_0": "", "held_on_1": "", "held_on_2": "", "chair": "", "members": []},
            [
                "Enter the date of the panel",
                "Choose the panel member who chairs the panel",
                "Select the members sitting on the panel",
            ],
        ),
        ({"held_on_0": "31", "held_on_1": "2"}, ["Enter a real date, for example 27 3 2027"]),
        ({"held_on_2": "2031"}, ["Enter a date within a year of today"]),
        ({"chair": "999999"}, ["Choose the panel member who chairs the panel"]),
        ({"members": ["abc"]}, ["Select the members sitting from the list"]),
    ],
)
def test_a_meeting_with_bad_input_is_refused_and_nothing_is_written(
    client, admin, panel_members, changes, messages
):
    _login(client, admin)
    data = {**_meeting_post(panel_members[0], panel_members[1:]), **changes}
    response = client.post(reverse("feedback:panel_meeting_new"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    for message in messages:
        assert message in body
    assert not PanelMeeting.objects.exists()


def test_a_meeting_needs_a_member_besides_the_chair(client, admin, panel_members):
    _login(client, admin)
    chair = panel_members[0]
    response = client.post(reverse("feedback:panel_meeting_new"), _meeting_post(chair, [chair]))
    assert response.status_code == 400
    assert "Select at least one member sitting besides the chair" in response.content.decode()
    assert not PanelMeeting.objects.exists()


def test_panel_members_of_another_organisation_cannot_be_chosen(client, admin, panel_members):
    stranger = PanelMemberFactory(organisation=OrganisationFactory())
    _login(client, admin)
    response = client.get(reverse("feedback:panel_meeting_new"))
    assert stranger.display_name not in visible_text(response)
    response = client.post(
        reverse("feedback:panel_meeting_new"), _meeting_post(stranger, panel_members)
    )
    assert response.status_code == 400
    assert not PanelMeeting.objects.exists()


@pytest.mark.parametrize(
    "role", ["panel_member", "senior_leader", "decision_maker", "practitioner", "regional_lead"]
)
def test_only_the_panel_administrator_sets_up_meetings(client, org, panel_members, role):
    if role == "practitioner":
        person = StaffMemberFactory(team=TeamFactory(service__organisation=org))
    else:
        person = _org_wide(org, role)
    _login(client, person)
    url = reverse("feedback:panel_meeting_new")
    assert client.get(url).status_code == 403
    assert client.post(url, _meeting_post(panel_members[0], panel_members[1:])).status_code == 403
    assert not PanelMeeting.objects.exists()
    if role != "practitioner" and role != "regional_lead":
        listing = client.get(reverse("feedback:panel_meeting_list")).content.decode()
        assert url not in listing


def test_the_service_refuses_a_meeting_set_up_by_anyone_else(org, panel_members):
    chair, *others = panel_members
    with pytest.raises(evaluations.PanelStateError):
        evaluations.panel_meeting_create(
            organisation_id=org.pk, held_on=HELD_ON, chair=chair, members=others, by=chair
        )
    other_admin = _org_wide(OrganisationFactory(), "qa")
    with pytest.raises(evaluations.PanelStateError):
        evaluations.panel_meeting_create(
            organisation_id=org.pk, held_on=HELD_ON, chair=chair, members=others, by=other_admin
        )
    assert not PanelMeeting.objects.exists()


def test_the_new_meeting_page_has_bounded_queries(
    client, admin, panel_members, django_assert_max_num_queries
):
    for _ in range(10):
        PanelMemberFactory(organisation=admin.organisation)
    _login(client, admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("feedback:panel_meeting_new"))
    assert response.status_code == 200


# Adding an item.


def _item_url(meeting: PanelMeeting) -> str:
    return reverse("feedback:panel_item_new", kwargs={"panel_meeting_pk": meeting.pk})


def _item_post(case, kind="approval", **extra) -> dict:
    reference = case.adopter.reference if case.adopter_id else case.child.reference
    return {"case_reference": reference, "kind": kind, **extra}


def test_an_item_takes_the_cases_worker_and_team_manager_by_default(
    client, admin, meeting, adoption_case
):
    _login(client, admin)
    response = client.post(
        _item_url(meeting),
        _item_post(adoption_case, case_reference=adoption_case.adopter.reference.lower()),
    )
    item = PanelItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{meeting.get_absolute_url()}#item-{item.pk}"
    assert item.case == adoption_case
    assert item.kind == PanelItem.Kind.APPROVAL
    assert item.social_worker == adoption_case.allocated_worker
    assert item.team_manager.team == adoption_case.team
    assert item.team_manager.role == "team_manager"
    assert item.service_manager.service == adoption_case.service
    assert item.to_service_manager is False


def test_the_social_worker_and_manager_can_be_chosen_and_the_service_manager_copied(
    client, admin, meeting, adoption_case
):
    other_team = TeamFactory(service=adoption_case.service)
    worker = StaffMemberFactory(team=other_team)
    manager = StaffMemberFactory(team=other_team, team_manager=True)
    _login(client, admin)
    response = client.post(
        _item_url(meeting),
        _item_post(
            adoption_case,
            social_worker=str(worker.pk),
            team_manager=str(manager.pk),
            to_service_manager="on",
        ),
    )
    assert response.status_code == 302
    item = PanelItem.objects.get()
    assert (item.social_worker, item.team_manager) == (worker, manager)
    assert item.to_service_manager is True
    # The chair's collation offers the copy to the service manager, already ticked.
    _login(client, meeting.chair)
    collate = reverse("feedback:panel_item_collate", kwargs={"panel_item_pk": item.pk})
    body = client.get(collate).content.decode()
    assert 'name="to_service_manager"' in body
    assert "checked" in body.split('name="to_service_manager"')[1].split(">")[0]


@pytest.mark.parametrize(
    ("data", "field_messages"),
    [
        (
            {"case_reference": "", "kind": ""},
            ["Enter the child&#x27;s or adopter&#x27;s ID", "Choose what the panel considers"],
        ),
        ({"kind": "adoption"}, ["Choose what the panel considers"]),
        ({"case_reference": "NOBODY1"}, ["No case you can see has that ID"]),
        ({"social_worker": "999999"}, ["Choose someone from the list"]),
        ({"case_reference": "X" * 41}, ["Enter an ID of 40 characters or fewer"]),
    ],
)
def test_an_item_with_bad_input_is_refused_and_nothing_is_written(
    client, admin, meeting, adoption_case, data, field_messages
):
    _login(client, admin)
    response = client.post(_item_url(meeting), {**_item_post(adoption_case), **data})
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    for message in field_messages:
        assert message in body
    assert not PanelItem.objects.exists()


def test_a_case_of_another_organisation_is_not_found(client, admin, meeting):
    elsewhere = PanelItemFactory().case
    _login(client, admin)
    response = client.post(_item_url(meeting), _item_post(elsewhere))
    assert response.status_code == 400
    assert "No case you can see has that ID" in response.content.decode()
    assert PanelItem.objects.filter(meeting=meeting).count() == 0


def test_a_case_without_an_allocated_worker_needs_one_chosen(client, admin, meeting, adoption_case):
    adoption_case.allocated_worker = None
    adoption_case.save()
    _login(client, admin)
    response = client.post(_item_url(meeting), _item_post(adoption_case))
    assert response.status_code == 400
    assert "The case has no allocated worker" in response.content.decode()
    assert not PanelItem.objects.exists()


def test_a_copy_for_a_service_manager_nobody_is_cannot_be_ticked(
    client, admin, meeting, adoption_case
):
    StaffMember.objects.filter(role="service_manager").delete()
    _login(client, admin)
    response = client.post(_item_url(meeting), _item_post(adoption_case, to_service_manager="on"))
    assert response.status_code == 400
    assert "No service manager is recorded for the case" in response.content.decode()
    assert not PanelItem.objects.exists()


def test_the_same_case_and_kind_is_added_once(client, admin, meeting, adoption_case):
    _login(client, admin)
    assert client.post(_item_url(meeting), _item_post(adoption_case)).status_code == 302
    response = client.post(_item_url(meeting), _item_post(adoption_case))
    assert response.status_code == 400
    assert "already on the meeting" in response.content.decode()
    assert PanelItem.objects.count() == 1


def test_a_plan_needs_a_childs_case(client, admin, meeting, adoption_case):
    _login(client, admin)
    response = client.post(_item_url(meeting), _item_post(adoption_case, kind="plan"))
    assert response.status_code == 400
    assert "choose the child&#x27;s case" in response.content.decode()
    assert not PanelItem.objects.exists()


def test_another_organisations_meeting_is_not_found(client, meeting, adoption_case):
    other = _org_wide(OrganisationFactory(), "qa")
    _login(client, other)
    assert client.get(_item_url(meeting)).status_code == 404
    assert client.post(_item_url(meeting), _item_post(adoption_case)).status_code == 404
    assert not PanelItem.objects.exists()


@pytest.mark.parametrize("who", ["chair", "member", "senior_leader", "decision_maker"])
def test_only_the_panel_administrator_adds_items(client, org, meeting, adoption_case, who):
    person = {
        "chair": meeting.chair,
        "member": meeting.members.first(),
    }.get(who) or _org_wide(org, who)
    _login(client, person)
    assert client.get(_item_url(meeting)).status_code == 403
    assert client.post(_item_url(meeting), _item_post(adoption_case)).status_code == 403
    assert "Add an item" not in client.get(meeting.get_absolute_url()).content.decode()
    assert not PanelItem.objects.exists()


def test_the_service_refuses_an_item_the_adder_may_not_add_or_see(
    org, meeting, adoption_case, admin
):
    people = evaluations.item_people(case=adoption_case)
    add = {
        "meeting": meeting,
        "case": adoption_case,
        "kind": "approval",
        "social_worker": people.social_worker,
        "team_manager": people.team_manager,
    }
    with pytest.raises(evaluations.PanelStateError):
        evaluations.panel_item_add(**add, by=meeting.chair)
    with pytest.raises(evaluations.PanelStateError):
        evaluations.panel_item_add(**add, to_service_manager=True, by=admin)
    assert not PanelItem.objects.exists()
    item = evaluations.panel_item_add(**add, by=admin)
    assert item.meeting == meeting


def test_the_new_item_page_has_bounded_queries(
    client, admin, meeting, adoption_case, django_assert_max_num_queries
):
    for _ in range(10):
        StaffMemberFactory(team=adoption_case.team)
    _login(client, admin)
    with django_assert_max_num_queries(12):
        response = client.get(_item_url(meeting))
    assert response.status_code == 200
    with django_assert_max_num_queries(30):
        response = client.post(_item_url(meeting), _item_post(adoption_case))
    assert response.status_code == 302


# The panel administrator reads the whole panel (seed 000: the administrator keeps the
# copies of the evaluation sheets and evaluates them six-monthly and annually).


def test_the_panel_administrator_reads_the_meetings_forms_and_summaries(
    client, admin, meeting, adoption_case
):
    item = PanelItemFactory(meeting=meeting, case=adoption_case)
    form = evaluations.panel_evaluation_save(
        item=item, by=meeting.chair, report=3, presentation=3, analysis=3
    )
    assert set(PanelMeeting.objects.visible_to(admin.user)) == {meeting}
    assert set(PanelItem.objects.visible_to(admin.user)) == {item}
    assert set(PanelEvaluation.objects.visible_to(admin.user)) == {form}
    _login(client, admin)
    collate = reverse("feedback:panel_item_collate", kwargs={"panel_item_pk": item.pk})
    assert client.get(collate).status_code == 200
    assert client.get(reverse("feedback:panel_summaries")).status_code == 200
    # Reading is not chairing: the administrator cannot send the chair's copy.
    assert client.post(collate, {"summary": "Not mine to send"}).status_code == 403
