import pytest
from django.urls import reverse

from tests.factories import PASSWORD, StaffMemberFactory

pytestmark = pytest.mark.django_db


def _sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_correct_password_signs_in_and_lands_on_my_work(client):
    person = StaffMemberFactory()
    response = _sign_in(client, person.user.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_wrong_password_is_refused_with_a_clear_message(client):
    person = StaffMemberFactory()
    response = _sign_in(client, person.user.username, "wrong")
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Enter a correct username and password" in body


def test_empty_fields_are_refused_with_a_message_for_each(client):
    body = _sign_in(client, "", "").content.decode()
    assert "Enter your username" in body
    assert "Enter your password" in body


def test_five_failures_lock_the_account_even_with_the_right_password(client):
    person = StaffMemberFactory()
    for _ in range(5):
        _sign_in(client, person.user.username, "wrong")
    response = _sign_in(client, person.user.username, PASSWORD)
    assert response.status_code == 429
    assert "locked" in response.content.decode().lower()


def test_signing_out_needs_a_post_and_returns_to_sign_in(client):
    person = StaffMemberFactory()
    client.force_login(person.user)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_the_health_check_needs_no_sign_in(client):
    assert client.get(reverse("healthz")).json() == {"status": "ok"}


def test_an_unknown_address_is_a_404_page_in_the_shell(client):
    client.force_login(StaffMemberFactory().user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
