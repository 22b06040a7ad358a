import pytest
from django.urls import reverse

from core.auth import client_address
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


def _from(client, address, username, password, *, proxy="10.0.0.2"):
    """A sign-in that reached the service through one proxy, as in production."""
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=address,
    )


def test_behind_a_proxy_one_address_locked_out_does_not_lock_out_another(client, settings):
    settings.QAPORTAL_TRUSTED_PROXY_COUNT = 1
    person = StaffMemberFactory()
    for _ in range(5):
        _from(client, "203.0.113.7", person.user.username, "wrong")
    assert _from(client, "203.0.113.7", person.user.username, PASSWORD).status_code == 429
    assert _from(client, "198.51.100.9", person.user.username, PASSWORD).status_code == 302


def test_behind_a_proxy_a_forged_forwarded_address_does_not_dodge_the_lock_out(client, settings):
    settings.QAPORTAL_TRUSTED_PROXY_COUNT = 1
    person = StaffMemberFactory()
    for attempt in range(5):
        # The client writes its own X-Forwarded-For; the proxy appends the real address.
        _from(client, f"192.0.2.{attempt}, 203.0.113.7", person.user.username, "wrong")
    forged = _from(client, "192.0.2.99, 203.0.113.7", person.user.username, PASSWORD)
    assert forged.status_code == 429


def test_with_no_trusted_proxy_the_forwarded_header_is_ignored(client, settings):
    settings.QAPORTAL_TRUSTED_PROXY_COUNT = 0
    person = StaffMemberFactory()
    for attempt in range(5):
        _from(client, f"192.0.2.{attempt}", person.user.username, "wrong", proxy="203.0.113.7")
    locked = _from(client, "192.0.2.99", person.user.username, PASSWORD, proxy="203.0.113.7")
    assert locked.status_code == 429


@pytest.mark.parametrize(
    ("forwarded", "count", "expected"),
    [
        ("203.0.113.7", 1, "203.0.113.7"),
        ("1.2.3.4, 203.0.113.7", 1, "203.0.113.7"),
        ("1.2.3.4, 203.0.113.7, 10.0.0.9", 2, "203.0.113.7"),
        ("", 1, "10.0.0.2"),
        ("not-an-address", 1, "10.0.0.2"),
        ("203.0.113.7", 2, "10.0.0.2"),
        ("2001:db8::1", 1, "2001:db8::1"),
    ],
)
def test_the_client_address_counts_trusted_proxies_from_the_right(
    rf, settings, forwarded, count, expected
):
    settings.QAPORTAL_TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
