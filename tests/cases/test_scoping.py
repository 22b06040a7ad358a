"""visible_to: each role sees its own scope and nothing beyond it."""

import pytest

from cases.models import AccessLog, Adopter, Case, Child, JourneyEvent, Service, StaffMember, Team
from cases.services import Subject, access_log_write
from tests.factories import CaseFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Child, Case, JourneyEvent])
def test_child_data_is_visible_to_insiders_only(scenario, model):
    for key in scenario.child_insiders:
        assert model.objects.visible_to(scenario.people[key].user).exists(), key
    for key in scenario.child_outsiders:
        visible = model.objects.visible_to(scenario.people[key].user)
        assert not visible.filter(pk__in=_child_pks(scenario, model)).exists(), key


def _child_pks(scenario, model):
    return {
        Child: [scenario.child.pk],
        Case: [scenario.case.pk],
        JourneyEvent: [scenario.event.pk],
    }[model]


def test_adopters_are_visible_to_insiders_only(scenario):
    for key in scenario.adopter_insiders:
        assert Adopter.objects.visible_to(scenario.people[key].user).exists(), key
    for key in scenario.adopter_outsiders:
        assert not Adopter.objects.visible_to(scenario.people[key].user).exists(), key


def test_a_practitioner_sees_a_child_through_a_closed_case_of_theirs(scenario):
    colleague = scenario.people["colleague"]
    CaseFactory(
        team=scenario.case.team,
        child=scenario.child,
        allocated_worker=colleague,
        status="closed",
        closed_on=scenario.case.opened_on,
        opened_on=scenario.case.opened_on,
    )
    assert Child.objects.visible_to(colleague.user).filter(pk=scenario.child.pk).exists()


def test_a_user_with_no_staff_record_sees_nothing(scenario, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x")
    assert not Child.objects.visible_to(user).exists()
    assert not Case.objects.visible_to(user).exists()


def test_the_regional_lead_sees_no_child_level_record_even_in_their_own_organisation(scenario):
    lead = StaffMemberFactory(
        team=None, service=None, organisation=scenario.child.organisation, regional_lead=True
    )
    assert not Child.objects.visible_to(lead.user).exists()
    assert not Case.objects.visible_to(lead.user).exists()


def test_the_access_log_is_read_by_qa_and_senior_leaders_of_the_organisation(scenario):
    child = scenario.child
    access_log_write(
        user=scenario.people["practitioner"].user,
        path="/children/1/",
        action=AccessLog.Action.VIEWED,
        subjects=[Subject(child.organisation_id, child=child.pk, adopter=None)],
    )
    for key in ("qa", "senior_leader"):
        assert AccessLog.objects.visible_to(scenario.people[key].user).count() == 1
    for key in (
        "practitioner",
        "team_manager",
        "business_support",
        "other_org_qa",
        "other_org_senior_leader",
        "regional_lead",
    ):
        assert not AccessLog.objects.visible_to(scenario.people[key].user).exists(), key


@pytest.mark.parametrize("model", [Service, Team, StaffMember])
def test_services_teams_and_staff_are_listed_to_their_own_organisation(scenario, model):
    """The filter choices of the case list and the access log read these: a member of
    staff lists their own organisation's, a regional lead none, a superuser all."""
    own = model.objects.filter(organisation=scenario.case.organisation)
    for key in ("qa", "team_manager", "practitioner", "business_support"):
        visible = model.objects.visible_to(scenario.people[key].user)
        assert set(visible) == set(own), key
    for key in ("other_org_qa", "other_org_manager"):
        visible = model.objects.visible_to(scenario.people[key].user)
        assert visible.exists(), key
        assert not visible.filter(pk__in=own).exists(), key
    assert not model.objects.visible_to(scenario.people["regional_lead"].user).exists()
    superuser = StaffMemberFactory().user
    superuser.is_superuser = True
    assert model.objects.visible_to(superuser).count() == model.objects.count()
