"""The demo's data-quality issues (performance/demo_quality.py): several rules find
something in the demo caseload, the first council has some follow-up, and loading again
the same day changes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.utils import timezone

from cases.demo import load_demo
from performance import demo_quality
from performance.models import DataQualityIssue, DataQualityNote
from tests import testdb

# Its tests share one loaded demo (a module fixture): on one xdist worker it is loaded
# once, not once on each (make test runs with --dist loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-quality")]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[dict]:
    """The small demo case data and its issues, loaded once and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(size="small")
        loaded = demo_quality.load(timezone.localdate())
        testdb.check_constraints_now()
        yield loaded
        transaction.set_rollback(True)


def test_the_demo_has_issues_for_several_rules(demo):
    rules = set(DataQualityIssue.objects.values_list("rule__slug", flat=True))
    assert len(rules) >= 5, rules
    assert demo["raised"] == DataQualityIssue.objects.count()


def test_the_issues_have_a_history_for_the_trend(demo):
    today = timezone.localdate()
    assert DataQualityIssue.objects.filter(raised_on__lt=today.replace(day=1)).exists()
    assert not DataQualityIssue.objects.filter(raised_on__gt=today).exists()


def test_business_support_has_followed_some_up(demo):
    kinds = set(DataQualityNote.objects.values_list("kind", flat=True))
    assert {"chase", "note", "resolved", "wont_fix"} <= kinds
    assert DataQualityIssue.objects.filter(status=DataQualityIssue.Status.CHASED).exists()


def test_loading_again_the_same_day_changes_nothing(demo):
    before = list(DataQualityIssue.objects.order_by("pk").values_list("pk", "status", "revision"))
    again = demo_quality.load(timezone.localdate())
    assert (again["raised"], again["fixed"], again["reopened"]) == (0, 0, 0)
    after = list(DataQualityIssue.objects.order_by("pk").values_list("pk", "status", "revision"))
    assert after == before
