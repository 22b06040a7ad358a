"""Apps plug in one way: they register with core.registry from their AppConfig, and the
pages of the lower layers read the registry, never the apps."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core import registry
from core.navigation import NavEntry, navigation_for


def test_registering_twice_keeps_one_and_replaced_restores():
    point = registry.ExtensionPoint("test")
    point.register("a")
    point.register("a")
    assert list(point) == ["a"]
    with point.replaced(["b"]):
        assert list(point) == ["b"]
    assert list(point) == ["a"]


def test_every_app_registers_what_it_adds():
    panels = {panel.__module__ for panel in registry.record_panels}
    assert {"audits.panels", "performance.panels"} <= panels
    cards = {card.__module__ for card in registry.home_cards}
    assert {"audits.home", "performance.home"} <= cards
    loaders = [loader.__module__ for loader in registry.demo_loaders]
    assert loaders.index("audits.demo") < loaders.index("performance.demo")
    assert len(registry.reminder_sources) >= 6
    assert {e.url_name for e in registry.navigation} >= {"home", "cases:case_list"}


@pytest.mark.django_db
def test_the_header_shows_groups_and_a_group_page_lists_its_pages(rf, scenario):
    request = rf.get(reverse("audits:tool_list"))
    request.user = scenario.people["qa"].user
    nav = navigation_for(request)
    labels = [item["label"] for item in nav["items"]]
    assert labels.count("Audits") == 1
    assert "Audit tools" not in labels  # inside the group, not in the header
    # The header stays on one line: QA's eight labels fit from 960 px wide (measured in
    # Chromium with the Board group added: the last ends at 881 px of 930).
    assert len(labels) <= 8
    assert [item for item in nav["items"] if item["active"]][0]["label"] == "Audits"
    sub = {item["label"]: item for item in nav["sub_items"]}
    assert sub["Audit tools"]["active"]
    assert not sub["All audits"]["active"]


@pytest.mark.django_db
def test_a_group_shows_only_the_pages_the_person_may_open(rf, scenario):
    request = rf.get(reverse("audits:my_audits"))
    request.user = scenario.people["practitioner"].user
    nav = navigation_for(request)
    pages = {item["label"] for item in nav["sub_items"]}
    assert "Audit tools" not in pages
    assert "Escalations" not in pages


@pytest.mark.django_db
def test_an_entry_needing_a_permission_nobody_holds_is_never_shown(rf, scenario):
    entry = NavEntry("Secret", "home", "cases.no_such_permission", "", 1)
    with registry.navigation.replaced([*registry.navigation, entry]):
        request = rf.get("/")
        request.user = scenario.people["qa"].user
        assert "Secret" not in [item["label"] for item in navigation_for(request)["items"]]


def test_navigation_addresses_follow_the_script_prefix():
    from django.urls import set_script_prefix

    from core.navigation import _url

    set_script_prefix("/qa/")
    try:
        assert _url("cases:case_list", "/qa/", "qaportal.urls") == "/qa/cases/"
    finally:
        set_script_prefix("/")
    assert _url("cases:case_list", "/", "qaportal.urls") == "/cases/"
