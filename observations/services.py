"""Writes of practice observations: open one (by hand, or the rota's monthly opening),
record it (autosaved; two editors never overwrite each other), ask for and write the
practitioner's reflection, submit, moderate, and track the actions.

Each step that hands the observation to someone tells them through cases.notifications.
Messages are e-mailed, so they name the people doing the work, never the child.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from cases.grades import Grade
from cases.models import Case, Notification, StaffMember
from cases.notifications import notify
from core.autosave import Conflict, SaveResult
from observations.models import Observation, ObservationAction, Setting
from observations.rules import (
    completes_action,
    is_observer,
    is_practitioner,
    may,
    moderates,
)

if TYPE_CHECKING:
    from rules import Predicate

__all__ = ["Conflict", "SaveResult"]

# The observer's record, autosaved together under `Observation.revision`.
RECORD_FIELDS = ("went_well", "even_better_if", "impact_on_child", "grade", "family_view")


class ObservationStateError(Exception):
    """The observation's state does not allow this; the message says why, for the page."""


def _check(
    *, by: StaffMember, perm: str, obj: Observation, who: Predicate, not_you: str, not_now: str
) -> None:
    """Refuse unless `by` may take the action, saying whether it is not theirs to take or
    not now."""
    if not may(by.user, perm, obj):
        raise ObservationStateError(not_now if who(by.user, obj) else not_you)


def _locked(observation: Observation) -> Observation:
    return Observation.objects.select_for_update().get(pk=observation.pk)


def _check_people(
    *, observer: StaffMember, practitioner: StaffMember | None, case: Case | None
) -> None:
    if practitioner is not None:
        if practitioner.organisation_id != observer.organisation_id:
            raise ObservationStateError("Choose a practitioner from your own organisation")
        if practitioner.pk == observer.pk:
            raise ObservationStateError("Choose someone other than yourself to observe")
    if case is not None and not Case.objects.visible_to(observer.user).filter(pk=case.pk).exists():
        raise ObservationStateError("Choose a case you can see")


@transaction.atomic
def observation_create(
    *,
    observer: StaffMember,
    due_on: datetime.date,
    practitioner: StaffMember | None = None,
    setting: str = "",
    observed_on: datetime.date | None = None,
    case: Case | None = None,
) -> Observation:
    """A draft observation. The rota opens one with the observer and due date only; a
    manager starting one by hand says whom they observed, where and when."""
    _check_people(observer=observer, practitioner=practitioner, case=case)
    observation = Observation(
        organisation_id=observer.organisation_id,
        observer=observer,
        practitioner=practitioner,
        setting=setting,
        observed_on=observed_on,
        case=case,
        due_on=due_on,
    )
    observation.full_clean()
    observation.save()
    return observation


@transaction.atomic
def observation_details_save(
    *,
    observation: Observation,
    by: StaffMember,
    practitioner: StaffMember,
    setting: str,
    observed_on: datetime.date,
    case: Case | None,
) -> Observation:
    """Whom the observer watched, where, when, and the case where there is one."""
    observation = _locked(observation)
    _check(
        by=by,
        perm="observations.edit_observation",
        obj=observation,
        who=is_observer,
        not_you="Only the observer can change this observation",
        not_now="This observation has been submitted",
    )
    if (
        observation.status == Observation.Status.AWAITING_REFLECTION
        and practitioner.pk != observation.practitioner_id
    ):
        raise ObservationStateError(
            "The practitioner has been asked for their reflection: it cannot be someone else now"
        )
    _check_people(observer=observation.observer, practitioner=practitioner, case=case)
    if setting not in Setting.values:
        raise ObservationStateError("Choose where you observed the practice")
    if observed_on > timezone.localdate():
        raise ObservationStateError("The date observed must be today or in the past")
    observation.practitioner = practitioner
    observation.setting = setting
    observation.observed_on = observed_on
    observation.case = case
    observation.full_clean()
    observation.save()
    return observation


def _field_label(name: str) -> str:
    field = Observation._meta.get_field(name)
    assert isinstance(field, models.Field)
    return str(field.verbose_name).capitalize()


def _history_name(record: models.Model | None) -> str:
    """Who made a historical record (django-simple-history's `history_user`)."""
    user = getattr(record, "history_user", None)
    return (user.get_full_name() or user.get_username()) if user else "someone"


def _conflicts(
    observation: Observation, changed: dict[str, str], by: StaffMember, revision: int
) -> list[Conflict]:
    last = observation.history.select_related("history_user").first()
    return [
        Conflict(
            key=name,
            label=_field_label(name),
            theirs=getattr(observation, name),
            yours=yours,
            their_revision=revision,
            changed_by=_history_name(last),
            changed_at=last.history_date if last else None,
            by_you=last is not None and last.history_user_id == by.user_id,
        )
        for name, yours in changed.items()
    ]


@transaction.atomic
def observation_save(
    *, observation: Observation, by: StaffMember, base_revision: int, values: dict[str, str]
) -> SaveResult:
    """Save the observer's record: what went well, even better if, the impact on the child,
    the grade and the family's view. If someone saved it since the editor loaded
    `base_revision`, nothing is overwritten: each changed field comes back as a conflict
    with both versions."""
    observation = _locked(observation)
    _check(
        by=by,
        perm="observations.edit_observation",
        obj=observation,
        who=is_observer,
        not_you="Only the observer can change this observation",
        not_now="This observation has been submitted",
    )
    if values.get("grade") and values["grade"] not in Grade.values:
        raise ObservationStateError("Choose a grade from the list")
    result = SaveResult()
    changed = {
        name: value
        for name, value in values.items()
        if name in RECORD_FIELDS and getattr(observation, name) != value
    }
    if changed and observation.revision != base_revision:
        result.conflicts = _conflicts(observation, changed, by, observation.revision)
        result.revisions["record"] = base_revision
        return result
    if changed:
        for name, value in changed.items():
            setattr(observation, name, value)
        observation.revision += 1
        observation.save()
        result.saved = list(changed)
    result.revisions["record"] = observation.revision
    return result


@transaction.atomic
def reflection_save(
    *, observation: Observation, by: StaffMember, base_revision: int, text: str
) -> SaveResult:
    """Save the practitioner's reflection, with its own lock: the observer's saves never
    conflict with it."""
    observation = _locked(observation)
    _check(
        by=by,
        perm="observations.reflect",
        obj=observation,
        who=is_practitioner,
        not_you="Only the practitioner observed can write this reflection",
        not_now="This observation has been submitted",
    )
    result = SaveResult()
    if observation.reflection == text:
        result.revisions["reflection"] = observation.reflection_revision
        return result
    if observation.reflection_revision != base_revision:
        result.conflicts = _conflicts(
            observation, {"reflection": text}, by, observation.reflection_revision
        )
        result.revisions["reflection"] = base_revision
        return result
    observation.reflection = text
    observation.reflection_revision += 1
    observation.reflection_at = timezone.now()
    observation.save()
    result.saved = ["reflection"]
    result.revisions["reflection"] = observation.reflection_revision
    return result


@transaction.atomic
def observation_ask_for_reflection(*, observation: Observation, by: StaffMember) -> Observation:
    """The observer asks the practitioner for their reflection (optional: an observation
    may be submitted without one)."""
    observation = _locked(observation)
    _check(
        by=by,
        perm="observations.ask_for_reflection",
        obj=observation,
        who=is_observer,
        not_you="Only the observer can ask for the practitioner's reflection",
        not_now="Record whom you observed first, before the observation is submitted",
    )
    observation.status = Observation.Status.AWAITING_REFLECTION
    observation.save(update_fields=["status", "updated_at"])
    notify(
        recipient=observation.practitioner,
        kind=Notification.Kind.ASSIGNMENT,
        subject=(
            f"{by.display_name} would like your reflection on their observation of your practice"
        ),
        url=reverse("observations:reflection", kwargs={"observation_pk": observation.pk}),
        key=f"observation:{observation.pk}:reflection-asked",
    )
    return observation


def submission_errors(observation: Observation) -> list[tuple[str, str]]:
    """What stops the observer submitting, as (link, message)."""
    details = reverse("observations:details", kwargs={"observation_pk": observation.pk})
    record = reverse("observations:record", kwargs={"observation_pk": observation.pk})
    errors = []
    if observation.practitioner_id is None:
        errors.append((f"{details}#id_practitioner", "Choose the practitioner you observed"))
    if not observation.setting:
        errors.append((f"{details}#id_setting", "Choose where you observed the practice"))
    if observation.observed_on is None:
        errors.append((f"{details}#id_observed_on", "Enter the date you observed the practice"))
    for name, message in (
        ("went_well", "Say what went well"),
        ("even_better_if", "Say what would make it even better"),
        ("impact_on_child", "Describe the impact on the child"),
    ):
        if not getattr(observation, name).strip():
            errors.append((f"{record}#id_{name}", message))
    if not observation.grade:
        errors.append((f"{record}#id_grade", "Choose a grade"))
    return errors


class ObservationIncomplete(Exception):
    """Submission refused: each error is (link to what is missing, message)."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(f"{len(errors)} things missing")
        self.errors = errors


@transaction.atomic
def observation_submit(*, observation: Observation, by: StaffMember) -> Observation:
    """Submit to the QA service. Fulfils the rota slot the observation came from (the
    rota reads the observation's status)."""
    observation = _locked(observation)
    _check(
        by=by,
        perm="observations.submit_observation",
        obj=observation,
        who=is_observer,
        not_you="Only the observer can submit this observation",
        not_now="This observation has already been submitted",
    )
    errors = submission_errors(observation)
    if errors:
        raise ObservationIncomplete(errors)
    observation.status = Observation.Status.SUBMITTED
    observation.submitted_at = timezone.now()
    observation.save(update_fields=["status", "submitted_at", "updated_at"])
    notify(
        recipient=observation.practitioner,
        kind=Notification.Kind.INFORMATION,
        subject=f"{by.display_name} has submitted their observation of your practice",
        url=observation.get_absolute_url(),
        key=f"observation:{observation.pk}:submitted",
    )
    return observation


@transaction.atomic
def observation_moderate(
    *, observation: Observation, by: StaffMember, agrees: bool, grade: str, feedback: str
) -> Observation:
    """QA moderation of a submitted observation: whether the moderator agrees with the
    grade (and the grade they would give if not) and feedback to the observer. The
    observer's grade stands."""
    observation = _locked(observation)
    _check(
        by=by,
        perm="observations.moderate_observation",
        obj=observation,
        who=moderates,
        not_you="Only the QA service of this organisation can moderate observations",
        not_now="Only a submitted observation can be moderated",
    )
    if not agrees and grade not in Grade.values:
        raise ObservationStateError("Choose the grade you would give")
    if not feedback.strip():
        raise ObservationStateError("Enter your feedback to the observer")
    observation.moderation_agrees = agrees
    observation.moderated_grade = observation.grade if agrees else grade
    observation.moderation_feedback = feedback
    observation.moderated_by = by
    observation.moderated_at = timezone.now()
    observation.status = Observation.Status.MODERATED
    observation.save()
    notify(
        recipient=observation.observer,
        kind=Notification.Kind.INFORMATION,
        subject=f"{by.display_name} has moderated your practice observation",
        body="Read the QA service's feedback on the observation.",
        url=f"{observation.get_absolute_url()}#moderation",
        key=f"observation:{observation.pk}:moderated",
    )
    return observation


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


@transaction.atomic
def action_add(
    *,
    observation: Observation,
    description: str,
    owner: StaffMember,
    due_on: datetime.date,
    by: StaffMember,
) -> ObservationAction:
    _check(
        by=by,
        perm="observations.add_action",
        obj=observation,
        who=is_observer,
        not_you="Only the observer can add actions to this observation",
        not_now="This observation has been moderated",
    )
    if owner.organisation_id != observation.organisation_id:
        raise ObservationStateError("Choose someone from the observation's organisation")
    action = ObservationAction(
        organisation_id=observation.organisation_id,
        observation=observation,
        description=description,
        owner=owner,
        due_on=due_on,
        created_by=by,
    )
    action.full_clean()
    action.save()
    if owner.pk != by.pk:
        # The description is free text that may name the child: the message does not.
        notify(
            recipient=owner,
            kind=Notification.Kind.ASSIGNMENT,
            subject=(
                f"{by.display_name} has given you an action from a practice observation, "
                f"due {_day(due_on)}"
            ),
            url=action.get_absolute_url(),
            key=f"observation-action:{action.pk}:assigned",
        )
    return action


@transaction.atomic
def action_complete(
    *, action: ObservationAction, by: StaffMember, note: str = ""
) -> ObservationAction:
    if not may(by.user, "observations.complete_action", action):
        if not completes_action(by.user, action):
            raise ObservationStateError("Only the action's owner or the observer can complete it")
        return action  # Done already.
    action.status = ObservationAction.Status.DONE
    action.done_on = timezone.localdate()
    action.done_note = note
    action.save()
    return action
