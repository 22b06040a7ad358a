"""No page sends anyone off this site, whatever `next` a request carries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.redirects import safe_next
from tests.test_access import LIST_URLS, OBJECT_URLS, _url

OFFSITE = ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "/\\evil.example"]


def _is_offsite(location: str) -> bool:
    return not location.startswith("/") or location.startswith(("//", "/\\"))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args"), [*OBJECT_URLS, *LIST_URLS])
def test_no_page_follows_an_offsite_next(client, scenario, name, args):
    url = _url(name, args, scenario)[0] if args else reverse(name)
    client.force_login(scenario.people["qa"].user)
    for target in OFFSITE:
        for response in (client.get(url, {"next": target}), client.post(url, {"next": target})):
            assert response.status_code < 500, (name, target)
            if response.status_code in (301, 302, 303, 307, 308):
                assert not _is_offsite(response["Location"]), (name, target, response["Location"])


@pytest.mark.parametrize("target", [*OFFSITE, "", "https://testserver.evil/"])
def test_safe_next_falls_back_for_anything_not_on_this_site(rf, target):
    request = rf.post("/x/", {"next": target})
    assert safe_next(request, "/home/") == "/home/"


def test_safe_next_keeps_a_path_on_this_site(rf):
    request = rf.post("/x/", {"next": "/audits/?page=2#action-4"})
    assert safe_next(request, "/home/") == "/audits/?page=2#action-4"
