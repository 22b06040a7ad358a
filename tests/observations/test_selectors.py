"""Who sees which observations (`visible_to`), the rules for each action, and the reads
built on them: the case an observation may name, the actions of every source together."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from cases.panels import open_actions
from observations import rules, selectors, services
from observations.models import Observation, ObservationAction
from tests.factories import ObservationFactory

pytestmark = pytest.mark.django_db


def _sees(scenario, key: str) -> bool:
    user = scenario.people[key].user
    return Observation.objects.visible_to(user).filter(pk=scenario.observation.pk).exists()


@pytest.mark.parametrize(
    "key", ["team_manager", "practitioner", "service_manager", "qa", "senior_leader"]
)
def test_the_people_it_names_their_managers_and_qa_see_an_observation(scenario, key):
    assert _sees(scenario, key)


@pytest.mark.parametrize(
    "key",
    [
        "colleague",
        "other_team_manager",
        "other_service_manager",
        "business_support",
        "cp_practitioner",
    ],
)
def test_another_team_or_service_cannot_see_an_observation(scenario, key):
    assert not _sees(scenario, key)


@pytest.mark.parametrize(
    "key", ["other_org_manager", "other_org_qa", "other_org_senior_leader", "regional_lead"]
)
def test_another_council_cannot_see_an_observation(scenario, key):
    assert not _sees(scenario, key)


def test_an_action_is_seen_with_its_observation_and_by_its_owner(scenario):
    action = scenario.observation_action
    for key in ("team_manager", "practitioner", "qa"):
        user = scenario.people[key].user
        assert ObservationAction.objects.visible_to(user).filter(pk=action.pk).exists(), key
    for key in ("other_team_manager", "other_org_qa"):
        user = scenario.people[key].user
        assert not ObservationAction.objects.visible_to(user).filter(pk=action.pk).exists(), key


def test_the_case_is_found_only_among_the_cases_the_observer_sees(scenario):
    reference = scenario.child.reference
    mine = selectors.case_by_reference(
        user=scenario.people["team_manager"].user, reference=reference
    )
    theirs = selectors.case_by_reference(
        user=scenario.people["other_team_manager"].user, reference=reference
    )
    assert mine == scenario.case
    assert theirs is None


def test_the_rules_say_who_does_what_and_when(scenario):
    observation = scenario.observation
    manager = scenario.people["team_manager"].user
    practitioner = scenario.people["practitioner"].user
    qa = scenario.people["qa"].user
    assert rules.may(manager, "observations.edit_observation", observation)
    assert not rules.may(practitioner, "observations.edit_observation", observation)
    assert rules.may(practitioner, "observations.reflect", observation)
    assert not rules.may(manager, "observations.reflect", observation)
    assert rules.may(manager, "observations.submit_observation", observation)
    assert rules.may(manager, "observations.add_action", observation)
    assert not rules.may(qa, "observations.moderate_observation", observation)  # not yet
    services.observation_submit(observation=observation, by=scenario.people["team_manager"])
    observation.refresh_from_db()
    assert not rules.may(manager, "observations.edit_observation", observation)
    assert not rules.may(practitioner, "observations.reflect", observation)
    assert rules.may(qa, "observations.moderate_observation", observation)
    assert not rules.may(
        scenario.people["other_org_qa"].user, "observations.moderate_observation", observation
    )


def test_my_actions_lists_audit_and_observation_actions_together(scenario):
    request = RequestFactory().get("/actions/")
    request.user = scenario.people["practitioner"].user
    items = open_actions(request)
    name = scenario.people["practitioner"].display_name
    assert {(item.title, item.source) for item in items} == {
        ("Update the chronology", "Audit: Practice review"),
        ("Plan direct work with the child", f"Practice observation of {name}"),
        ("Update the care plan with the child", "Dispute resolution: Informal"),
    }
    assert [item.due_on for item in items] == sorted(item.due_on for item in items)
    assert all(item.owner == name for item in items)


def test_the_home_summary_counts_what_waits_on_each_person(scenario):
    summary = selectors.observation_work_summary(user=scenario.people["team_manager"].user)
    assert summary["counts"]["to_complete"] == 1
    assert summary["next_due"] == [scenario.observation]
    practitioner = selectors.observation_work_summary(user=scenario.people["practitioner"].user)
    assert practitioner["counts"]["actions"] == 1
    assert selectors.observation_work_summary(user=scenario.people["regional_lead"].user) == {}


def test_an_observation_the_rota_opened_is_seen_by_its_observer_only(scenario):
    observation = ObservationFactory(practitioner=None, observer=scenario.people["team_manager"])
    for key, sees in (("team_manager", True), ("qa", True), ("practitioner", False)):
        user = scenario.people[key].user
        assert Observation.objects.visible_to(user).filter(pk=observation.pk).exists() is sees
