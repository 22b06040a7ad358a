"""Scoping has one opening (cases.querysets.scope_of): superusers see every row, a user
without a staff record none, a member of staff what the queryset's scope_for says. The
case filter other apps combine (`case_scope`) and each queryset's `visible_to` answer
alike, for every person."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from audits.models import Audit, AuditAction, AuditTool
from cases.models import Case, Service, StaffMember, Team
from cases.querysets import case_scope
from performance.models import Target
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _readers(scenario):
    people = {key: person.user for key, person in scenario.people.items()}
    people["superuser"] = UserFactory(is_superuser=True)
    people["no staff record"] = UserFactory()
    people["anonymous"] = AnonymousUser()
    return people


def _ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_case_scope_and_visible_to_agree(scenario):
    for key, user in _readers(scenario).items():
        assert _ids(Case.objects.filter(case_scope(user))) == _ids(Case.objects.visible_to(user)), (
            key
        )


def test_the_opening_is_the_same_for_every_organisation_owned_queryset(scenario):
    everything = UserFactory(is_superuser=True)
    nobody = UserFactory()
    for model in (Audit, AuditAction, AuditTool, Case, StaffMember, Team, Service, Target):
        rows = _ids(model.objects.all())
        assert _ids(model.objects.visible_to(everything)) == rows, model
        assert not _ids(model.objects.visible_to(nobody)), model
        assert not _ids(model.objects.visible_to(AnonymousUser())), model


def test_the_regional_lead_sees_no_audit_tool_or_action(scenario):
    lead = scenario.people["regional_lead"].user
    for model in (Audit, AuditAction, AuditTool):
        assert not model.objects.visible_to(lead).exists(), model


def test_the_people_an_audit_names_see_it_outside_their_case_scope(scenario):
    audit = scenario.audit
    outsider = scenario.people["other_team_manager"]
    assert not Case.objects.visible_to(outsider.user).filter(pk=audit.case_id).exists()
    assert not Audit.objects.visible_to(outsider.user).filter(pk=audit.pk).exists()
    Audit.objects.filter(pk=audit.pk).update(line_manager=outsider)
    assert Audit.objects.visible_to(outsider.user).filter(pk=audit.pk).exists()
