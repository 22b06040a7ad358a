"""Observation pages: starting one, autosave and its conflicts, submission, moderation,
the list's query count, the record panel and the home card."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from observations.models import Observation
from tests.factories import ObservationFactory

pytestmark = pytest.mark.django_db


def _url(name: str, observation: Observation) -> str:
    return reverse(f"observations:{name}", kwargs={"observation_pk": observation.pk})


RECORD = {
    "went_well": "Warm and clear.",
    "even_better_if": "Seen alone.",
    "impact_on_child": "Knows what happens next.",
    "grade": "good",
    "family_view": "",
}


def test_a_manager_starts_an_observation_naming_a_case_they_see(client, scenario):
    client.force_login(scenario.people["team_manager"].user)
    today = timezone.localdate()
    response = client.post(
        reverse("observations:observation_new"),
        {
            "practitioner": scenario.people["colleague"].pk,
            "setting": "group_work",
            "observed_on_0": today.day,
            "observed_on_1": today.month,
            "observed_on_2": today.year,
            "case_reference": scenario.child.reference,
        },
    )
    observation = Observation.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == _url("record", observation)
    assert observation.case == scenario.case
    assert observation.practitioner == scenario.people["colleague"]


def test_a_case_out_of_the_observers_sight_is_refused_by_its_id(client, scenario):
    client.force_login(scenario.people["other_team_manager"].user)
    today = timezone.localdate()
    response = client.post(
        reverse("observations:observation_new"),
        {
            "practitioner": scenario.people["colleague"].pk,
            "setting": "home_visit",
            "observed_on_0": today.day,
            "observed_on_1": today.month,
            "observed_on_2": today.year,
            "case_reference": scenario.child.reference,
        },
    )
    assert response.status_code == 400
    assert "No case you can see has that ID" in response.content.decode()


def test_autosave_answers_with_the_time_and_the_new_revision(client, scenario):
    observation = scenario.observation
    client.force_login(scenario.people["team_manager"].user)
    response = client.post(
        _url("record", observation),
        {**RECORD, "went_well": "Changed.", "revision": observation.revision},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Trigger-After-Swap"] == "autosave-saved"
    assert f'data-revision-update="record" data-value="{observation.revision + 1}"' in (
        response.content.decode()
    )


def test_a_second_editor_gets_a_clear_conflict_and_keeps_their_text(client, scenario):
    observation = scenario.observation
    stale = observation.revision
    client.force_login(scenario.people["team_manager"].user)
    client.post(_url("record", observation), {**RECORD, "went_well": "First.", "revision": stale})
    # The same person in another tab, still at the old revision: autosave says so.
    response = client.post(
        _url("record", observation),
        {**RECORD, "went_well": "Second.", "revision": stale},
        headers={"HX-Request": "true"},
    )
    assert response["HX-Trigger-After-Swap"] == "autosave-conflict"
    assert "Your text here is kept" in response.content.decode()
    # Saving the page shows both versions side by side; nothing is lost.
    response = client.post(
        _url("record", observation), {**RECORD, "went_well": "Second.", "revision": stale}
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "First." in body
    assert "Second." in body
    observation.refresh_from_db()
    assert observation.went_well == "First."


def test_autosave_after_the_session_ends_says_so(client, scenario):
    response = client.post(
        _url("record", scenario.observation), RECORD, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "You have been signed out" in response.content.decode()


def test_the_practitioner_writes_a_reflection_and_the_observer_submits(client, scenario):
    observation = scenario.observation
    client.force_login(scenario.people["practitioner"].user)
    response = client.post(
        _url("reflection", observation), {"reflection": "I learned.", "revision": 0}
    )
    assert response.status_code == 302
    assert client.post(_url("submit", observation)).status_code == 403
    client.force_login(scenario.people["team_manager"].user)
    response = client.post(_url("submit", observation))
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.status == Observation.Status.SUBMITTED
    assert observation.reflection == "I learned."


def test_qa_moderates_from_the_observation(client, scenario):
    observation = scenario.observation
    client.force_login(scenario.people["team_manager"].user)
    client.post(_url("submit", observation))
    client.force_login(scenario.people["qa"].user)
    response = client.post(
        _url("moderate", observation), {"agrees": "yes", "grade": "", "feedback": "Well evidenced."}
    )
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.status == Observation.Status.MODERATED
    assert observation.moderated_grade == "good"
    page = client.get(observation.get_absolute_url()).content.decode()
    assert "Well evidenced." in page


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_runs_a_bounded_number_of_queries(
    client, scenario, count, django_assert_max_num_queries
):
    manager = scenario.people["team_manager"]
    for _ in range(count):
        ObservationFactory(observer=manager, practitioner=scenario.people["colleague"])
    for key in ("team_manager", "qa", "practitioner"):
        client.force_login(scenario.people[key].user)
        with django_assert_max_num_queries(14):
            response = client.get(reverse("observations:observation_list"))
        assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 10])
def test_the_observation_page_runs_a_bounded_number_of_queries(
    client, scenario, count, django_assert_max_num_queries
):
    from observations.services import action_add

    for n in range(count):
        action_add(
            observation=scenario.observation,
            description=f"Action {n}",
            owner=scenario.people["colleague"],
            due_on=timezone.localdate(),
            by=scenario.people["team_manager"],
        )
    client.force_login(scenario.people["team_manager"].user)
    with django_assert_max_num_queries(30):
        response = client.get(scenario.observation.get_absolute_url())
    assert response.status_code == 200


def test_the_list_filters_by_status_and_month(client, scenario):
    client.force_login(scenario.people["qa"].user)
    month = scenario.observation.observed_on.strftime("%Y-%m")
    response = client.get(
        reverse("observations:observation_list"), {"status": "draft", "month": month}
    )
    assert response.context["page_obj"].paginator.count == 1
    response = client.get(reverse("observations:observation_list"), {"status": "submitted"})
    assert response.context["page_obj"].paginator.count == 0


def test_the_childs_record_lists_the_observations_of_the_case(client, scenario):
    url = reverse("cases:child_detail", kwargs={"child_pk": scenario.child.pk})
    client.force_login(scenario.people["team_manager"].user)
    assert "Practice observations" in client.get(url).content.decode()
    # Business support see the child but not observations of practice.
    client.force_login(scenario.people["business_support"].user)
    assert "Practice observations" not in client.get(url).content.decode()


def test_the_home_page_card_counts_observations_to_complete(client, scenario):
    client.force_login(scenario.people["team_manager"].user)
    body = client.get(reverse("home")).content.decode()
    assert "1 observation to complete" in body
    client.force_login(scenario.people["practitioner"].user)
    body = client.get(reverse("home")).content.decode()
    assert "1 open observation action" in body


def test_my_actions_page_shows_every_sources_actions(client, scenario):
    client.force_login(scenario.people["practitioner"].user)
    body = client.get(reverse("cases:my_actions")).content.decode()
    assert "Update the chronology" in body
    assert "Plan direct work with the child" in body
