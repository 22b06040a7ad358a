"""The demo data: idempotent, with working logins, and with what the later checks look for."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.test import RequestFactory
from django.utils import timezone

from cases.models import Case, Child, JourneyEvent, Organisation, Service, StaffMember
from core.dates import working_days_between
from tests import testdb

# Its tests share one loaded demo (a module fixture): on one xdist worker it is loaded
# once, not once on each (make test runs with --dist loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-load")]

DEMO_ROLES = {
    "qa.manager": "qa",
    "team.manager": "team_manager",
    "practitioner": "practitioner",
    "senior.leader": "senior_leader",
    "business.support": "business_support",
    "regional.lead": "regional_lead",
    "other.manager": "team_manager",
}
SAME_COUNCIL = ("qa.manager", "team.manager", "practitioner", "senior.leader", "business.support")


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    models = list(apps.get_app_config("cases").get_models()) + [get_user_model()]
    return {model._meta.label: model._default_manager.count() for model in models}


def staff(username: str) -> StaffMember:
    return StaffMember.objects.select_related("organisation", "team__service").get(
        user__username=username
    )


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[str]:
    """The small demo, loaded once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = load()
        testdb.check_constraints_now()
        yield output
        transaction.set_rollback(True)


def test_first_run_reports_what_it_loaded(demo):
    assert "Kestrelford City Council: 28 staff, 170 children" in demo
    assert "Adopt Thornvale" in demo


def test_second_run_changes_no_row_counts(demo):
    before = row_counts()

    output = load()

    assert "already present" in output
    assert row_counts() == before


def test_second_run_changes_no_case_or_event(demo):
    def snapshot() -> tuple[list[tuple], list[tuple]]:
        return (
            list(Case.objects.order_by("pk").values_list()),
            list(JourneyEvent.objects.order_by("pk").values_list()),
        )

    before = snapshot()

    load()

    assert snapshot() == before


def test_interrupted_load_is_completed_not_duplicated(demo):
    before = row_counts()
    organisation = Organisation.objects.get(slug="marrowby")
    children = list(organisation.children.order_by("-reference")[:5])
    cases = Case.objects.filter(child__in=children)
    # Audits, complaints, challenges, panel items and questionnaires protect their cases;
    # the apps are looked up by name, as cases never imports them.
    apps.get_model("audits", "Audit").objects.filter(case__in=cases).delete()
    for model in ("Complaint", "Challenge", "PanelItem", "Questionnaire"):
        apps.get_model("feedback", model).objects.filter(case__in=cases).delete()
    JourneyEvent.objects.filter(case__in=cases).delete()
    cases.delete()
    Child.objects.filter(pk__in=[c.pk for c in children]).delete()

    load()

    after = row_counts()
    for label in ("cases.Child", "cases.Case", "cases.JourneyEvent", "cases.StaffMember"):
        assert after[label] == before[label], label


@pytest.mark.parametrize(("username", "role"), DEMO_ROLES.items())
def test_demo_login_authenticates_with_its_role(demo, username, role):
    request = RequestFactory().post("/accounts/login/")

    user = authenticate(request, username=username, password="qaportal-demo")

    assert user is not None
    assert user.staff.role == role


def test_five_demo_logins_share_the_first_council(demo):
    organisations = {staff(username).organisation.slug for username in SAME_COUNCIL}

    assert organisations == {"kestrelford"}
    assert staff("regional.lead").organisation.kind == Organisation.Kind.ADOPTION_AGENCY
    assert staff("other.manager").organisation != staff("team.manager").organisation


def test_practitioner_works_in_team_managers_team_with_ten_to_fifteen_cases(demo):
    practitioner = staff("practitioner")
    manager = staff("team.manager")

    open_cases = Case.objects.filter(allocated_worker=practitioner, status="open").count()

    assert practitioner.team == manager.team
    assert practitioner.line_manager == manager
    assert manager.tier == StaffMember.Tier.TEAM
    assert manager.team.service.kind in (Service.Kind.CHILD_PROTECTION, Service.Kind.LOOKED_AFTER)
    assert 10 <= open_cases <= 15


def test_every_role_is_staffed_with_line_managers(demo):
    roles = set(StaffMember.objects.values_list("role", flat=True))
    practitioners = StaffMember.objects.filter(role="practitioner")

    assert roles == set(StaffMember.Role.values)
    assert not practitioners.filter(line_manager__isnull=True).exists()
    assert not practitioners.exclude(line_manager__role="team_manager").exists()
    assert StaffMember.objects.filter(role="senior_leader", tier=4).count() >= 3


def test_some_events_are_recorded_more_than_two_working_days_late(demo):
    slow = JourneyEvent.objects.filter(recorded_on__gt=F("occurred_on") + datetime.timedelta(2))

    late = [e for e in slow if working_days_between(e.occurred_on, e.recorded_on) > 2]

    assert len(late) > 0.05 * JourneyEvent.objects.count()


def test_visits_include_seen_not_alone_and_not_recorded(demo):
    visits = JourneyEvent.objects.filter(kind=JourneyEvent.Kind.VISIT)

    assert visits.filter(seen=True, seen_alone=False).exists()
    assert visits.filter(seen__isnull=True).exists()


def test_some_children_have_no_ethnicity_or_legal_status(demo):
    assert Child.objects.filter(ethnicity="").exists()
    assert Child.objects.filter(legal_status="").exists()


def test_events_are_dated_in_order_up_to_today(demo):
    today = timezone.localdate()
    events = JourneyEvent.objects.all()

    assert not events.filter(recorded_on__lt=F("occurred_on")).exists()
    assert not events.filter(recorded_on__gt=today).exists()
    assert (
        not events.filter(occurred_on__lt=F("case__opened_on"))
        .exclude(kind=JourneyEvent.Kind.PLACEMENT_STARTED)
        .exists()
    )
    assert not events.filter(occurred_on__gt=F("case__closed_on")).exists()


def test_a_few_placements_start_before_the_child_became_looked_after(demo):
    early = 0
    for case in Case.objects.filter(events__kind="became_looked_after").prefetch_related("events"):
        kinds = {
            e.kind: e.occurred_on
            for e in sorted(case.events.all(), key=lambda e: e.occurred_on, reverse=True)
        }
        if kinds.get("placement_started", datetime.date.max) < kinds["became_looked_after"]:
            early += 1

    assert 1 <= early <= 0.03 * Child.objects.count()


def test_cases_have_one_or_two_per_child_and_a_few_unallocated(demo):
    open_cases = Case.objects.filter(status="open")
    cases_per_child = Child.objects.annotate(n=Count("cases")).values_list("n", flat=True)

    assert set(cases_per_child) == {1, 2}
    assert open_cases.filter(allocated_worker__isnull=True).exists()
    assert open_cases.filter(allocated_worker__isnull=True).count() < 0.08 * open_cases.count()
    assert not Case.objects.filter(
        Q(allocated_worker__isnull=False) & ~Q(allocated_worker__team=F("team"))
    ).exists()


def test_large_size_tops_up_the_first_council(demo):
    others = {
        org.slug: (org.children.count(), org.cases.count())
        for org in Organisation.objects.exclude(slug="kestrelford")
    }

    load("--size", "large", "--children", "260")
    after_first = row_counts()
    output = load("--size", "large", "--children", "260")

    kestrelford = Organisation.objects.get(slug="kestrelford")
    assert kestrelford.children.count() == 260
    assert kestrelford.teams.count() == 20
    assert kestrelford.staff.filter(role="practitioner").count() > 200
    assert {
        org.slug: (org.children.count(), org.cases.count())
        for org in Organisation.objects.exclude(slug="kestrelford")
    } == others
    assert "already present" in output
    assert row_counts() == after_first
