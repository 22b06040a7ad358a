"""A supervision audit on the rota: the QA manager adds the activity to the QA rules,
and opening the month makes each such slot an audit of someone's supervision, which its
submission fulfils."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from audits.models import Audit, AuditType
from rota.models import Activity, RotaSlot
from rota.selectors import SlotState, state_annotation
from rota.services import month_open, rota_generate, rules_for, supervisee_for
from tests.audits.supervision import supervision_tool

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(scenario):
    """practitioner -> team_manager -> service_manager: the service manager audits the
    supervision the team manager gives."""
    people = scenario.people
    people["practitioner"].line_manager = people["team_manager"]
    people["practitioner"].save()
    people["team_manager"].line_manager = people["service_manager"]
    people["team_manager"].save()
    return people


def _slot(scenario, manager) -> RotaSlot:
    # A month the default QA rules do not pause (August and December are).
    month = scenario.rota.starts_on
    while month.month in rules_for(manager.organisation).paused_months:
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return RotaSlot.objects.create(
        rota=scenario.rota,
        organisation=manager.organisation,
        manager=manager,
        month=month,
        activity=Activity.SUPERVISION_AUDIT,
    )


def test_a_manager_audits_the_supervision_their_own_reports_give(chain):
    assert supervisee_for(chain["service_manager"]) == chain["practitioner"]


def test_nobody_audits_the_supervision_they_give_themselves(chain):
    assert supervisee_for(chain["team_manager"]) != chain["practitioner"]


def test_opening_the_month_makes_the_slot_a_supervision_audit(scenario, chain):
    tool = supervision_tool(chain["qa"])
    slot = _slot(scenario, chain["service_manager"])
    month_open(month=slot.month)
    slot.refresh_from_db()
    audit = slot.audit
    assert slot.status == RotaSlot.Status.OPEN
    assert audit is not None
    assert (audit.supervisee, audit.auditor, audit.tool) == (
        chain["practitioner"],
        chain["service_manager"],
        tool,
    )
    assert audit.audit_type == AuditType.SUPERVISION
    assert audit.period_end == slot.month - datetime.timedelta(days=1)
    assert audit.line_manager == chain["team_manager"]


def test_opening_the_month_twice_makes_one_audit(scenario, chain):
    supervision_tool(chain["qa"])
    slot = _slot(scenario, chain["service_manager"])
    month_open(month=slot.month)
    month_open(month=slot.month)
    assert Audit.objects.filter(supervisee__isnull=False).count() == 1


def test_without_a_supervision_tool_the_slot_opens_with_no_audit(scenario, chain):
    slot = _slot(scenario, chain["service_manager"])
    month_open(month=slot.month)
    slot.refresh_from_db()
    assert slot.status == RotaSlot.Status.OPEN
    assert slot.audit is None


def test_submitting_the_audit_fulfils_the_slot(scenario, chain):
    supervision_tool(chain["qa"])
    slot = _slot(scenario, chain["service_manager"])
    month_open(month=slot.month)
    slot.refresh_from_db()
    Audit.objects.filter(pk=slot.audit_id).update(
        status=Audit.Status.SUBMITTED, overall_grade="good"
    )
    today = timezone.localdate()
    state = RotaSlot.objects.annotate(state=state_annotation(today)).get(pk=slot.pk).state
    assert state == SlotState.DONE


def test_the_qa_rules_put_supervision_audits_on_a_generated_rota(scenario, chain):
    org = chain["qa"].organisation
    scenario.rota.delete()
    rules = rules_for(org)
    rules.activities = [Activity.PRACTICE_OBSERVATION, Activity.SUPERVISION_AUDIT]
    rules.save()
    rota = rota_generate(organisation=org, starts_on=scenario.rota.starts_on, by=chain["qa"])
    assert rota.slots.filter(activity=Activity.SUPERVISION_AUDIT).exists()
