"""One-use family links (cases/links.py): made from a case, opened without an account,
answered once; a guessed, used, expired or withdrawn token opens nothing and says nothing.
"""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django import forms
from django.core.cache import cache
from django.urls import reverse

from cases import links
from cases.models import FamilyLink
from core import registry
from core.forms import gds_helper
from tests.factories import CaseFactory, StaffMemberFactory

NOT_VALID = "This link does not work"
ANSWERS: list[tuple[int, str]] = []


class SayForm(forms.Form):
    said = forms.CharField(
        label="What do you want to tell us?",
        max_length=200,
        error_messages={"required": "Tell us something, or close this page"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper()


PURPOSE = registry.LinkPurpose(
    key="test-say",
    label="Say something",
    form=lambda link, data: SayForm(data),
    save=lambda link, form: ANSWERS.append((link.pk, form.cleaned_data["said"])),
    template="cases/public/form.html",
    title=lambda link: "Tell us what you think",
)


@pytest.fixture(autouse=True)
def purpose():
    ANSWERS.clear()
    cache.clear()
    with registry.link_purposes.replaced([*registry.link_purposes, PURPOSE]):
        yield


@pytest.fixture
def made(db):
    case = CaseFactory()
    staff = StaffMemberFactory(organisation=case.organisation, team=case.team)
    return links.family_link_create(case=case, purpose="test-say", created_by=staff)


def _url(token: str) -> str:
    return reverse("family_link", kwargs={"token": token})


def test_only_a_digest_of_the_token_is_kept(made):
    link = FamilyLink.objects.get()
    assert made.token not in {link.token_digest, link.recipient}
    assert link.token_digest == links.token_digest(made.token)
    assert made.url.endswith(f"/have-your-say/{made.token}/")
    assert len(made.token) >= 40


def test_a_family_answers_once_without_an_account(client, made):
    case = made.link.case
    page = client.get(_url(made.token))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Tell us what you think" in body
    # Nothing of the record: not the child's name, reference or the organisation's staff pages.
    for secret in (case.child.reference, case.child.family_name, case.child.given_name):
        assert secret not in body
    assert "Sign out" not in body

    response = client.post(_url(made.token), {"said": "My worker listens"})
    assert response.status_code == 302
    assert response["Location"] == reverse("family_link_thanks")
    assert ANSWERS == [(made.link.pk, "My worker listens")]
    made.link.refresh_from_db()
    assert made.link.used_at is not None
    assert made.link.status == "Used"

    # The link is used up: it neither opens nor takes a second answer.
    again = client.get(_url(made.token))
    assert again.status_code == 404
    assert NOT_VALID in again.content.decode()
    second = client.post(_url(made.token), {"said": "Again"})
    assert second.status_code == 404
    assert len(ANSWERS) == 1


def test_bad_input_keeps_the_link_and_says_what_to_do(client, made):
    response = client.post(_url(made.token), {"said": ""})
    assert response.status_code == 200
    assert "Tell us something, or close this page" in response.content.decode()
    made.link.refresh_from_db()
    assert made.link.used_at is None
    assert ANSWERS == []


def test_a_guessed_token_looks_like_a_used_one(client, made):
    client.post(_url(made.token), {"said": "Thanks"})
    used = client.get(_url(made.token))
    guessed = client.get(_url("x" * 43))
    assert used.status_code == guessed.status_code == 404
    # The same page, apart from the per-request CSRF token htmx is handed.
    assert _without_csrf(used) == _without_csrf(guessed)


def _without_csrf(response) -> str:
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", response.content.decode())


@pytest.mark.django_db
def test_a_link_expires_after_its_days(client):
    case = CaseFactory()
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC), tick=False):
        made = links.family_link_create(case=case, purpose="test-say", created_by=None, days=3)
    with time_machine.travel(datetime.datetime(2026, 12, 4, 8, tzinfo=datetime.UTC), tick=False):
        assert client.get(_url(made.token)).status_code == 200
    with time_machine.travel(datetime.datetime(2026, 12, 4, 10, tzinfo=datetime.UTC), tick=False):
        assert client.get(_url(made.token)).status_code == 404
        assert client.post(_url(made.token), {"said": "late"}).status_code == 404
    assert ANSWERS == []


def test_a_withdrawn_link_opens_nothing(client, made):
    links.family_link_withdraw(link=made.link)
    assert client.get(_url(made.token)).status_code == 404


def test_a_used_link_cannot_be_withdrawn(client, made):
    client.post(_url(made.token), {"said": "Hello"})
    with pytest.raises(links.LinkError):
        links.family_link_withdraw(link=made.link)


@pytest.mark.django_db
def test_links_are_made_only_for_registered_purposes_and_sensible_days():
    case = CaseFactory()
    with pytest.raises(links.LinkError):
        links.family_link_create(case=case, purpose="nothing-here", created_by=None)
    with pytest.raises(links.LinkError):
        links.family_link_create(case=case, purpose="test-say", created_by=None, days=0)
    with pytest.raises(links.LinkError):
        links.family_link_create(
            case=case, purpose="test-say", created_by=None, days=links.MAX_DAYS + 1
        )
    assert not FamilyLink.objects.exists()


def test_a_link_whose_purpose_is_gone_opens_nothing(client, made):
    with registry.link_purposes.replaced([]):
        assert client.get(_url(made.token)).status_code == 404


def test_guessing_is_cut_off(client, made):
    for n in range(links.RATE_MAX_INVALID):
        assert client.get(_url(f"guess-{n}")).status_code == 404
    refused = client.get(_url("guess-last"))
    assert refused.status_code == 429
    # The address is refused even a real link until the window passes.
    assert client.get(_url(made.token)).status_code == 429


@pytest.mark.django_db
def test_everyone_gets_the_same_answer_for_a_guessed_token(client, scenario):
    cache.clear()
    url = _url("guessed-token-guessed-token-guessed-token-x")
    assert client.get(url).status_code == 404
    for person in scenario.people.values():
        client.force_login(person.user)
        cache.clear()
        response = client.get(url)
        assert response.status_code == 404, person
        assert NOT_VALID in response.content.decode()


def test_the_thank_you_page_needs_no_account(client):
    response = client.get(reverse("family_link_thanks"))
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()


def test_links_are_seen_with_their_case(made):
    case = made.link.case
    insider = StaffMemberFactory(
        organisation=case.organisation, team=case.team, role="team_manager"
    )
    outsider = StaffMemberFactory(role="team_manager")
    assert list(links.links_for(user=insider.user, case=case, purpose="test-say")) == [made.link]
    assert not FamilyLink.objects.visible_to(outsider.user).exists()
