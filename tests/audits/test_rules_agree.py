"""Each action on an audit is one rule (audits/rules.py): the page offers the button
exactly when posting it succeeds, and exactly when the service accepts it, for every
person and every status of the audit."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit, AuditAction
from audits.services import audits as services
from cases.models import StaffMember
from tests.pages import page_text

pytestmark = pytest.mark.django_db

PEOPLE = (
    "practitioner",
    "colleague",
    "team_manager",
    "service_manager",
    "qa",
    "senior_leader",
    "other_org_qa",
)
STATUSES = tuple(Audit.Status)


@dataclass(frozen=True)
class Action:
    name: str
    # The words of the button or link the page shows when the action is offered.
    offered_by: str
    url: Callable[[Audit, AuditAction], str]
    data: Callable[[StaffMember], dict[str, str]]
    done: Callable[[Audit, AuditAction, StaffMember], bool]
    service: Callable[[Audit, AuditAction, StaffMember], object]


def _in_a_week() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=7)


ACTIONS = (
    Action(
        "moderate",
        "Moderate this audit",
        lambda audit, action: reverse("audits:moderate", args=[audit.pk]),
        lambda by: {"moderated_grade": "good", "moderation_feedback": "Well evidenced"},
        lambda audit, action, by: audit.moderated_by_id == by.pk,
        lambda audit, action, by: services.audit_moderate(
            audit=audit, by=by, grade="good", feedback="Well evidenced"
        ),
    ),
    Action(
        "give oversight",
        "Respond with management oversight",
        lambda audit, action: reverse("audits:oversight", args=[audit.pk]),
        lambda by: {"agrees": "yes", "oversight": "Agreed."},
        lambda audit, action, by: audit.oversight_by_id == by.pk,
        lambda audit, action, by: services.audit_oversight(
            audit=audit, by=by, text="Agreed.", agrees=True, directions=[]
        ),
    ),
    Action(
        "acknowledge",
        "Acknowledge this audit",
        lambda audit, action: reverse("audits:acknowledge", args=[audit.pk]),
        lambda by: {"acknowledgement": "Read it"},
        lambda audit, action, by: audit.acknowledged_at is not None,
        lambda audit, action, by: services.audit_acknowledge(audit=audit, by=by),
    ),
    Action(
        "add an action",
        "Add an action",
        lambda audit, action: reverse("audits:action_new", args=[audit.pk]),
        lambda by: {
            "description": "Visit the school",
            "owner": str(by.pk),
            "due_on_0": str(_in_a_week().day),
            "due_on_1": str(_in_a_week().month),
            "due_on_2": str(_in_a_week().year),
        },
        lambda audit, action, by: audit.actions.filter(description="Visit the school").exists(),
        lambda audit, action, by: services.action_add(
            audit=audit, description="Visit the school", owner=by, due_on=_in_a_week(), by=by
        ),
    ),
    Action(
        "complete an action",
        "Mark as done",
        lambda audit, action: reverse("audits:action_done", args=[action.pk]),
        lambda by: {"note": "Done"},
        lambda audit, action, by: (
            AuditAction.objects.get(pk=action.pk).status == AuditAction.Status.DONE
        ),
        lambda audit, action, by: services.action_complete(
            action=AuditAction.objects.get(pk=action.pk), by=by
        ),
    ),
)


def _rolled_back(call: Callable[[], object]) -> object:
    """Run `call` and undo what it wrote, so the next check starts from the same audit."""
    with transaction.atomic():
        result = call()
        transaction.set_rollback(True)
    return result


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("key", PEOPLE)
def test_the_page_the_view_and_the_service_agree(client, scenario, key, status):
    audit = scenario.audit
    graded = status not in Audit.EDITABLE
    Audit.objects.filter(pk=audit.pk).update(status=status, overall_grade="good" if graded else "")
    audit.refresh_from_db()
    person = scenario.people[key]
    client.force_login(person.user)
    page = client.get(audit.get_absolute_url())
    shown = page_text(page) if page.status_code == 200 else ""
    for action in ACTIONS:
        offered = action.offered_by in shown

        def post(action: Action = action) -> bool:
            client.post(action.url(audit, scenario.action), action.data(person))
            fresh = Audit.objects.get(pk=audit.pk)
            return action.done(fresh, scenario.action, person)

        def serve(action: Action = action) -> bool:
            fresh = Audit.objects.get(pk=audit.pk)
            try:
                action.service(fresh, scenario.action, person)
            except services.AuditStateError:
                return False
            return action.done(Audit.objects.get(pk=audit.pk), scenario.action, person)

        succeeded = _rolled_back(post)
        accepted = _rolled_back(serve)
        assert (offered, succeeded, accepted) in ((True, True, True), (False, False, False)), (
            f"{action.name} by {key} of a {status} audit: "
            f"offered {offered}, posted {succeeded}, service {accepted}"
        )


def test_each_action_is_offered_to_someone(client, scenario):
    """The agreement above is not empty: every action is offered to its person."""
    audit = scenario.audit
    expected = {
        "moderate": ("qa", Audit.Status.SUBMITTED),
        "give oversight": (audit.line_manager.user.username, Audit.Status.SUBMITTED),
        "acknowledge": ("practitioner", Audit.Status.FINAL),
        "add an action": ("team_manager", Audit.Status.IN_PROGRESS),
        "complete an action": ("practitioner", Audit.Status.FINAL),
    }
    for action in ACTIONS:
        key, status = expected[action.name]
        Audit.objects.filter(pk=audit.pk).update(
            status=status, overall_grade="" if status in Audit.EDITABLE else "good"
        )
        client.force_login(scenario.people[key].user)
        assert action.offered_by in page_text(client.get(audit.get_absolute_url())), action.name
