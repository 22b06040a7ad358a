"""Writing practice observations: starting one, the observer's record and its conflicts,
the practitioner's reflection, submission, QA moderation and actions."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases.models import Notification
from observations import services
from observations.models import Observation, ObservationAction, Setting
from tests.factories import (
    CaseFactory,
    ObservationFactory,
    OrganisationFactory,
    StaffMemberFactory,
)

pytestmark = pytest.mark.django_db

RECORD = {
    "went_well": "Clear and warm with the family.",
    "even_better_if": "The child had been seen alone.",
    "impact_on_child": "The child knows who to call.",
    "grade": "good",
    "family_view": "",
}


def _recorded(observation: Observation) -> Observation:
    services.observation_save(
        observation=observation, by=observation.observer, base_revision=0, values=RECORD
    )
    observation.refresh_from_db()
    return observation


def test_a_manager_starts_an_observation_of_someone_in_their_organisation(scenario):
    observation = services.observation_create(
        observer=scenario.people["team_manager"],
        due_on=timezone.localdate(),
        practitioner=scenario.people["colleague"],
        setting=Setting.GROUP_WORK,
        observed_on=timezone.localdate(),
    )
    assert observation.organisation == scenario.people["team_manager"].organisation
    assert observation.status == Observation.Status.DRAFT


def test_nobody_observes_someone_of_another_council(scenario):
    with pytest.raises(services.ObservationStateError, match="your own organisation"):
        services.observation_create(
            observer=scenario.people["team_manager"],
            due_on=timezone.localdate(),
            practitioner=scenario.people["other_org_manager"],
        )


def test_the_case_must_be_one_the_observer_can_see(scenario):
    other_team_case = CaseFactory(team=scenario.people["other_team_manager"].team)
    with pytest.raises(services.ObservationStateError, match="a case you can see"):
        services.observation_create(
            observer=scenario.people["team_manager"],
            due_on=timezone.localdate(),
            practitioner=scenario.people["practitioner"],
            case=other_team_case,
        )


def test_saving_the_record_counts_a_revision():
    observation = ObservationFactory()
    result = services.observation_save(
        observation=observation, by=observation.observer, base_revision=0, values=RECORD
    )
    observation.refresh_from_db()
    assert result.saved
    assert not result.conflicts
    assert observation.revision == 1
    assert result.revisions == {"record": 1}
    assert observation.history.count() == 2


def test_a_second_editor_gets_a_conflict_and_nothing_is_overwritten():
    observation = _recorded(ObservationFactory())
    result = services.observation_save(
        observation=observation,
        by=observation.observer,
        base_revision=0,
        values={**RECORD, "went_well": "My own different text."},
    )
    observation.refresh_from_db()
    assert observation.went_well == RECORD["went_well"]
    [conflict] = result.conflicts
    assert conflict.key == "went_well"
    assert conflict.theirs == RECORD["went_well"]
    assert conflict.yours == "My own different text."
    assert conflict.their_revision == 1
    # Saving again from the conflict page, at their revision, keeps the merged text.
    services.observation_save(
        observation=observation,
        by=observation.observer,
        base_revision=1,
        values={**RECORD, "went_well": "Merged text."},
    )
    observation.refresh_from_db()
    assert observation.went_well == "Merged text."


def test_only_the_observer_changes_the_record():
    observation = ObservationFactory()
    with pytest.raises(services.ObservationStateError, match="Only the observer"):
        services.observation_save(
            observation=observation, by=observation.practitioner, base_revision=0, values=RECORD
        )


def test_the_practitioners_reflection_never_conflicts_with_the_observers_record():
    observation = ObservationFactory()
    services.reflection_save(
        observation=observation, by=observation.practitioner, base_revision=0, text="I learned."
    )
    result = services.observation_save(
        observation=observation, by=observation.observer, base_revision=0, values=RECORD
    )
    observation.refresh_from_db()
    assert not result.conflicts
    assert observation.reflection == "I learned."
    assert observation.went_well == RECORD["went_well"]


def test_only_the_practitioner_writes_their_reflection():
    observation = ObservationFactory()
    with pytest.raises(services.ObservationStateError, match="Only the practitioner"):
        services.reflection_save(
            observation=observation, by=observation.observer, base_revision=0, text="Not mine."
        )


def test_asking_for_a_reflection_tells_the_practitioner():
    observation = ObservationFactory()
    services.observation_ask_for_reflection(observation=observation, by=observation.observer)
    observation.refresh_from_db()
    assert observation.status == Observation.Status.AWAITING_REFLECTION
    assert Notification.objects.filter(recipient=observation.practitioner).count() == 1


def test_submission_is_refused_with_what_is_missing():
    observation = ObservationFactory(practitioner=None, observer=StaffMemberFactory(), setting="")
    with pytest.raises(services.ObservationIncomplete) as refused:
        services.observation_submit(observation=observation, by=observation.observer)
    messages = [message for _, message in refused.value.errors]
    assert "Choose the practitioner you observed" in messages
    assert "Choose where you observed the practice" in messages
    assert "Say what went well" in messages
    assert "Choose a grade" in messages


def test_a_complete_observation_is_submitted_without_a_reflection():
    observation = _recorded(ObservationFactory())
    services.observation_submit(observation=observation, by=observation.observer)
    observation.refresh_from_db()
    assert observation.status == Observation.Status.SUBMITTED
    assert observation.submitted_at is not None
    with pytest.raises(services.ObservationStateError, match="already been submitted"):
        services.observation_submit(observation=observation, by=observation.observer)


def _submitted() -> Observation:
    observation = _recorded(ObservationFactory())
    return services.observation_submit(observation=observation, by=observation.observer)


def test_qa_of_the_organisation_moderates_a_submitted_observation():
    observation = _submitted()
    qa = StaffMemberFactory(qa=True, team=None, service=None, organisation=observation.organisation)
    services.observation_moderate(
        observation=observation,
        by=qa,
        agrees=False,
        grade="requires_improvement",
        feedback="The child was not seen alone.",
    )
    observation.refresh_from_db()
    assert observation.status == Observation.Status.MODERATED
    assert observation.grade == "good"  # the observer's grade stands
    assert observation.moderated_grade == "requires_improvement"
    assert Notification.objects.filter(
        recipient=observation.observer, key__endswith=":moderated"
    ).exists()


def test_qa_of_another_council_cannot_moderate():
    observation = _submitted()
    other_qa = StaffMemberFactory(
        qa=True, team=None, service=None, organisation=OrganisationFactory()
    )
    with pytest.raises(services.ObservationStateError, match="QA service of this organisation"):
        services.observation_moderate(
            observation=observation, by=other_qa, agrees=True, grade="", feedback="Fine."
        )


def test_a_draft_cannot_be_moderated():
    observation = ObservationFactory()
    qa = StaffMemberFactory(qa=True, team=None, service=None, organisation=observation.organisation)
    with pytest.raises(services.ObservationStateError, match="Only a submitted"):
        services.observation_moderate(
            observation=observation, by=qa, agrees=True, grade="", feedback="Fine."
        )


def test_an_action_goes_to_its_owner_and_is_completed_by_them():
    observation = ObservationFactory()
    action = services.action_add(
        observation=observation,
        description="Direct work with the child",
        owner=observation.practitioner,
        due_on=timezone.localdate() + datetime.timedelta(days=10),
        by=observation.observer,
    )
    assert Notification.objects.filter(recipient=observation.practitioner).exists()
    services.action_complete(action=action, by=observation.practitioner, note="Done on Monday")
    action.refresh_from_db()
    assert action.status == ObservationAction.Status.DONE
    assert action.done_on == timezone.localdate()


def test_nobody_else_completes_an_action(scenario):
    observation = ObservationFactory()
    action = services.action_add(
        observation=observation,
        description="Direct work",
        owner=observation.practitioner,
        due_on=timezone.localdate(),
        by=observation.observer,
    )
    with pytest.raises(services.ObservationStateError, match="owner or the observer"):
        services.action_complete(action=action, by=scenario.people["colleague"])
