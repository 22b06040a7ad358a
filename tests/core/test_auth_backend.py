"""core.auth.PasswordBackend.get_user: the signed-in user of each request, read with their
member of staff, organisation, team and service in one query."""

from __future__ import annotations

import pytest

from cases.models import StaffMember
from cases.querysets import staff_of
from core.auth import PasswordBackend
from tests.factories import PASSWORD, StaffMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_their_staff_organisation_team_and_service(
    django_assert_num_queries,
):
    staff = StaffMemberFactory(team_manager=True)
    with django_assert_num_queries(1):
        user = PasswordBackend().get_user(staff.user.pk)
        assert user is not None
        found = staff_of(user)
        assert found == staff
        assert found.organisation.name == staff.organisation.name
        assert found.team.name == staff.team.name
        assert found.service.name == staff.service.name


def test_a_user_with_no_staff_record_is_still_signed_in():
    user = UserFactory()
    found = PasswordBackend().get_user(user.pk)
    assert found == user
    assert staff_of(found) is None


def test_an_inactive_or_missing_user_is_nobody():
    user = UserFactory(is_active=False)
    assert PasswordBackend().get_user(user.pk) is None
    assert PasswordBackend().get_user(987654321) is None


def test_each_request_reads_the_user_afresh(django_assert_num_queries):
    """The query is compiled once (core.prepared) but read on every request: a move to
    another team, or a deactivation, shows on the next one."""
    staff = StaffMemberFactory(team_manager=True)
    other_team = StaffMemberFactory().team
    assert staff_of(PasswordBackend().get_user(staff.user.pk)).team == staff.team
    StaffMember.objects.filter(pk=staff.pk).update(team=other_team)
    with django_assert_num_queries(1):
        assert staff_of(PasswordBackend().get_user(staff.user.pk)).team.name == other_team.name
    type(staff.user).objects.filter(pk=staff.user.pk).update(is_active=False)
    assert PasswordBackend().get_user(staff.user.pk) is None


def test_signing_in_through_the_form_uses_it(client):
    staff = StaffMemberFactory(qa=True)
    response = client.post(
        "/accounts/login/", {"username": staff.user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_backend"] == "core.auth.PasswordBackend"
    assert client.get("/").status_code == 200
