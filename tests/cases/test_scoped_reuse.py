"""visible_to builds each reader's scoped queryset once per process and copies it after:
the copy must be the very query a fresh build gives, for every scoped model and every
role, and nothing done to a copy may reach the one kept."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import EmptyResultSet

from cases import querysets
from cases.models import Case, StaffMember, Team
from cases.querysets import OrganisationQuerySet

pytestmark = pytest.mark.django_db

SCOPED_MODELS = [
    model
    for model in apps.get_models()
    if isinstance(model._default_manager.all(), OrganisationQuerySet)
]


def _sql(queryset) -> str:
    try:
        return str(queryset.query)
    except EmptyResultSet:  # none(): the reader sees nothing here
        return "nothing"


def _fresh(model, user):
    """visible_to with nothing kept: the scope applied by filter() there and then."""
    querysets._SCOPED.clear()
    return model._default_manager.visible_to(user)


def test_every_scoped_model_is_covered():
    assert len(SCOPED_MODELS) > 40


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda model: model._meta.label)
def test_a_kept_scope_is_the_query_a_fresh_build_gives(scenario, model):
    for key, person in scenario.people.items():
        fresh = _sql(_fresh(model, person.user))
        kept = model._default_manager.visible_to(person.user)  # built and kept
        again = model._default_manager.visible_to(person.user)  # a copy of the kept one
        assert _sql(kept) == fresh, key
        assert _sql(again) == fresh, key
        assert sorted(again.values_list("pk", flat=True)) == sorted(
            model._default_manager.filter(pk__in=_fresh(model, person.user)).values_list(
                "pk", flat=True
            )
        ), key


def test_the_kept_queryset_is_never_handed_out_or_changed(scenario):
    user = scenario.people["team_manager"].user
    querysets._SCOPED.clear()
    first = Case.objects.visible_to(user)
    (kept,) = querysets._SCOPED._kept.values()
    second = Case.objects.visible_to(user)
    assert first is not kept
    assert second is not kept
    assert first.query is not second.query
    before = str(kept.query)
    list(second.filter(status="open").select_related("child").order_by("-opened_on")[:5])
    assert str(kept.query) == before
    assert kept._result_cache is None
    assert str(Case.objects.visible_to(user).query) == before


def test_a_queryset_with_anything_done_to_it_is_filtered_as_it_is(scenario):
    user = scenario.people["team_manager"].user
    querysets._SCOPED.clear()
    narrowed = Case.objects.filter(status="open").visible_to(user)
    assert not querysets._SCOPED
    assert "status" in str(narrowed.query)
    assert set(narrowed) == set(Case.objects.visible_to(user).filter(status="open"))


def test_a_reader_whose_team_changes_gets_their_new_teams_scope(scenario):
    manager = scenario.people["team_manager"]
    before = set(Case.objects.visible_to(manager.user))
    assert before
    other = Team.objects.create(
        organisation=manager.organisation, service=manager.team.service, name="Another team"
    )
    manager.team = other
    manager.save()
    user = StaffMember.objects.select_related("user").get(pk=manager.pk).user
    assert set(Case.objects.visible_to(user)) == set()
    assert str(Case.objects.visible_to(user).query) == str(_fresh(Case, user).query)


def test_scope_keys_tell_values_and_their_types_apart():
    from django.db.models import Exists, OuterRef, Q

    key = querysets._scope_key
    assert key(Q(team_id=1)) == key(Q(team_id=1))
    assert key(Q(team_id=1)) != key(Q(team_id=2))
    assert key(Q(flag=True)) != key(Q(flag=1))
    assert key(Q(team_id=1) | Q(service_id=1)) != key(Q(team_id=1) & Q(service_id=1))
    assert key(~Q(team_id=1)) != key(Q(team_id=1))
    assert key(Q(kind__in=("a", "b"))) != key(Q(kind__in=("a", "c")))
    # A subquery's values are not plain: such a scope is filtered afresh each time.
    assert key(Q(Exists(Case.objects.filter(pk=OuterRef("pk"))))) is None
    assert key(Q(organisation=object())) is None


def test_a_scope_of_case_ids_is_keyed_by_the_cases_scope():
    from django.db.models import Q

    key, cases_in = querysets._scope_key, querysets.CasesIn
    assert key(Q(case_id__in=cases_in(Q(team_id=1)))) == key(Q(case_id__in=cases_in(Q(team_id=1))))
    assert key(Q(case_id__in=cases_in(Q(team_id=1)))) != key(Q(case_id__in=cases_in(Q(team_id=2))))
    assert key(Q(case_id__in=cases_in(Q(team_id=1)))) != key(
        Q(case_id__in=cases_in(Q(service_id=1)))
    )
    with pytest.raises(ValueError, match="plain lookups"):
        cases_in(Q(pk__in=Case.objects.all()))
