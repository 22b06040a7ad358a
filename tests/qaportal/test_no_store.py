"""No browser or proxy keeps a copy of a page or download: they carry children's details."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.test_access import LIST_URLS, OBJECT_URLS, _url


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args"), [*OBJECT_URLS, *LIST_URLS])
def test_every_page_and_download_says_no_store(client, scenario, name, args):
    url, subject = _url(name, args, scenario) if args else (reverse(name), "child")
    for key in getattr(scenario, f"{subject}_insiders"):
        client.force_login(scenario.people[key].user)
        response = client.get(url)
        assert _no_store(response), (name, key, response.get("Cache-Control"))


@pytest.mark.django_db
def test_static_files_stay_cacheable(client):
    response = client.get("/static/js/qaportal.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_the_sign_in_page_says_no_store_too(client):
    assert _no_store(client.get(reverse("login")))
