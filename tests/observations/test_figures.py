"""Observation figures and coverage: known observations in, exact numbers out; each
figure agrees with the records behind it; the query count does not grow with the data.

The known world, on 15 March 2026 (observed since 15 September 2025 counts as observed
in the last six months; a manager is up to date with an observation since 1 February):

service S1: team A (manager mA; practitioners a1..a4), team B (manager mB; b1, b2),
            service manager sm1 (no team)
service S2: team C (manager mC; c1; c2 has left)
another council: team D (d1)
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.urls import reverse

from cases.grades import Grade
from observations import figures, selectors
from observations.models import Observation, Setting
from tests.factories import (
    ObservationFactory,
    ServiceFactory,
    StaffMemberFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 15)
# The pages read today: noon on DAY in London.
ON_DAY = time_machine.travel(datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC), tick=False)
SUBMITTED = Observation.Status.SUBMITTED
MODERATED = Observation.Status.MODERATED


def _observe(observer, practitioner, on, grade, status=SUBMITTED, setting=Setting.HOME_VISIT):
    return ObservationFactory(
        observer=observer,
        practitioner=practitioner,
        observed_on=on,
        due_on=on,
        grade=grade,
        status=status,
        setting=setting,
    )


@pytest.fixture
def world():
    s1 = ServiceFactory(name="S1")
    s2 = ServiceFactory(name="S2", organisation=s1.organisation)
    team_a = TeamFactory(service=s1, name="A")
    team_b = TeamFactory(service=s1, name="B")
    team_c = TeamFactory(service=s2, name="C")
    org = s1.organisation
    w = SimpleNamespace(org=org, s1=s1, s2=s2, team_a=team_a, team_b=team_b, team_c=team_c)
    w.mA = StaffMemberFactory(team=team_a, team_manager=True)
    w.mB = StaffMemberFactory(team=team_b, team_manager=True)
    w.mC = StaffMemberFactory(team=team_c, team_manager=True)
    w.sm1 = StaffMemberFactory(team=None, service=s1, organisation=org, service_manager=True)
    w.qa = StaffMemberFactory(team=None, service=None, organisation=org, qa=True)
    a = [StaffMemberFactory(team=team_a, line_manager=w.mA) for _ in range(4)]
    b = [StaffMemberFactory(team=team_b, line_manager=w.mB) for _ in range(2)]
    c1 = StaffMemberFactory(team=team_c)
    StaffMemberFactory(team=team_c, user__is_active=False)
    w.a, w.b, w.c1 = a, b, c1
    # a1: on the first day that keeps mA up to date.
    _observe(w.mA, a[0], datetime.date(2026, 2, 1), Grade.OUTSTANDING)
    # a2: one day too long ago to count as observed.
    _observe(w.mA, a[1], datetime.date(2025, 9, 14), Grade.GOOD, status=MODERATED)
    # a3: exactly six months ago: observed.
    _observe(
        w.mA,
        a[2],
        datetime.date(2025, 9, 15),
        Grade.REQUIRES_IMPROVEMENT,
        setting=Setting.GROUP_WORK,
    )
    # a4: only a draft, which does not count.
    _observe(w.mA, a[3], datetime.date(2026, 3, 10), Grade.GOOD, status=Observation.Status.DRAFT)
    # b1: the day before February: mB is behind.
    _observe(w.mB, b[0], datetime.date(2026, 1, 31), Grade.GOOD, setting=Setting.SUPERVISION)
    # sm1 observes team manager mA: sm1 up to date; mA is no practitioner.
    _observe(w.sm1, w.mA, datetime.date(2026, 3, 1), Grade.INADEQUATE)
    # c1: observed after the day the figures are for.
    _observe(w.mC, c1, datetime.date(2026, 3, 16), Grade.GOOD)
    # Another council's practitioner, never observed, and their manager.
    other = StaffMemberFactory()
    StaffMemberFactory(team=other.team, team_manager=True)
    return w


def _coverage(person):
    return selectors.coverage_figures(user=person.user, day=DAY)


def _counts(row):
    return (row.practitioners, row.not_observed, row.managers, row.behind)


# Coverage arithmetic


def test_coverage_by_team_for_qa(world):
    rows = {row.name: _counts(row) for row in _coverage(world.qa).by_team}
    assert rows == {"A": (4, 2, 1, 0), "B": (2, 1, 1, 1), "C": (1, 1, 1, 1)}


def test_coverage_by_service_and_in_total_for_qa(world):
    coverage = _coverage(world.qa)
    assert {row.name: _counts(row) for row in coverage.by_service} == {
        "S1": (6, 3, 3, 1),
        "S2": (1, 1, 1, 1),
    }
    assert _counts(coverage.total) == (7, 4, 4, 2)
    s1 = coverage.by_service[0]
    assert (s1.observed_percent, s1.up_to_date_percent) == (50, 67)
    assert (coverage.total.observed_percent, coverage.total.up_to_date_percent) == (43, 50)


def test_a_team_manager_sees_their_teams_coverage_only(world):
    coverage = _coverage(world.mB)
    assert [row.name for row in coverage.by_team] == ["B"]
    assert _counts(coverage.total) == (2, 1, 1, 1)


def test_a_service_manager_sees_their_services_coverage_only(world):
    coverage = _coverage(world.sm1)
    assert [row.name for row in coverage.by_service] == ["S1"]
    assert _counts(coverage.total) == (6, 3, 3, 1)


def test_a_practitioner_sees_no_coverage(world):
    assert _counts(_coverage(world.a[0]).total) == (0, 0, 0, 0)


def test_the_figures_agree_with_the_people_behind_them(world):
    user = world.qa.user
    coverage = _coverage(world.qa)
    for row in coverage.by_team:
        not_observed = selectors.coverage_people(
            user=user, day=DAY, managers=False, team=row.key, only_missing=True
        )
        behind = selectors.coverage_people(
            user=user, day=DAY, managers=True, team=row.key, only_missing=True
        )
        assert (not_observed.count(), behind.count()) == (row.not_observed, row.behind)
    for row in coverage.by_service:
        everyone = selectors.coverage_people(user=user, day=DAY, managers=False, service=row.key)
        managers = selectors.coverage_people(user=user, day=DAY, managers=True, service=row.key)
        assert (everyone.count(), managers.count()) == (row.practitioners, row.managers)
    not_observed = selectors.coverage_people(user=user, day=DAY, managers=False, only_missing=True)
    assert set(not_observed) == {world.a[1], world.a[3], world.b[1], world.c1}


def test_the_people_list_shows_when_each_was_last_observed(world):
    people = selectors.coverage_people(
        user=world.qa.user, day=DAY, managers=False, team=world.team_a.pk
    )
    last = {person.pk: person.last_on for person in people}
    assert last[world.a[1].pk] == datetime.date(2025, 9, 14)
    assert last[world.a[3].pk] is None


def test_coverage_takes_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    for _ in range(3):
        team = TeamFactory(service=world.s2)
        manager = StaffMemberFactory(team=team, team_manager=True)
        for _ in range(4):
            _observe(manager, StaffMemberFactory(team=team), DAY, Grade.GOOD)
    with django_assert_max_num_queries(4):
        coverage = _coverage(world.qa)
    assert len(coverage.by_team) == 6


# Observation figures arithmetic


def test_the_grade_distribution_counts_submitted_and_moderated_observations(world):
    grades = selectors.observation_figures(user=world.qa.user, today=DAY).grades
    assert grades.total == 6
    assert [(row.grade, row.count, row.percent) for row in grades.rows] == [
        (Grade.OUTSTANDING, 1, 17),
        (Grade.GOOD, 3, 50),
        (Grade.REQUIRES_IMPROVEMENT, 1, 17),
        (Grade.INADEQUATE, 1, 17),
    ]
    assert (grades.good_or_better, grades.good_or_better_percent) == (4, 67)


def test_good_or_better_by_month_observed(world):
    months = selectors.observation_figures(user=world.qa.user, today=DAY).months.months
    assert len(months) == 12
    assert months[0].month == datetime.date(2025, 4, 1)
    shown = {m.key: (m.good_or_better, m.not_yet_good, m.percent) for m in months if m.total}
    assert shown == {
        "2025-09": (1, 1, 50),
        "2026-01": (1, 0, 100),
        "2026-02": (1, 0, 100),
        "2026-03": (1, 1, 50),
    }


def test_observations_by_setting(world):
    settings = selectors.observation_figures(user=world.qa.user, today=DAY).settings
    counts = {row.setting: (row.count, row.percent) for row in settings if row.count}
    assert counts == {
        Setting.HOME_VISIT: (4, 67),
        Setting.GROUP_WORK: (1, 17),
        Setting.SUPERVISION: (1, 17),
    }
    assert settings[0].setting == Setting.HOME_VISIT


def test_a_team_manager_counts_only_the_observations_they_may_see(world):
    figures_b = selectors.observation_figures(user=world.mB.user, today=DAY)
    assert figures_b.grades.total == 1


def test_the_observation_figures_take_a_bounded_number_of_queries(
    world, django_assert_max_num_queries
):
    for _ in range(20):
        _observe(world.mC, world.c1, DAY, Grade.GOOD)
    with django_assert_max_num_queries(3):
        figures.observation_figures(Observation.objects.all(), today=DAY)


def test_each_grade_figure_agrees_with_the_filtered_list(world, client):
    client.force_login(world.qa.user)
    grades = selectors.observation_figures(user=world.qa.user, today=DAY).grades
    for row in grades.rows:
        listed = selectors.observation_list_filtered(
            user=world.qa.user, status="finished", grade=row.grade.value
        )
        assert listed.count() == row.count
        response = client.get(
            reverse("observations:observation_list"), {"status": "finished", "grade": row.grade}
        )
        assert f"{row.count} observation" in response.content.decode()


# The pages


@ON_DAY
def test_the_coverage_page_shows_the_figures_with_links(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.qa.user)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("observations:coverage"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body
    link = f"{reverse('observations:coverage_practitioners')}?service={world.s1.pk}&amp;missing=1"
    assert f'<a class="govuk-link" href="{link}">3<' in body


@ON_DAY
def test_the_people_page_lists_the_people_behind_a_figure(world, client):
    client.force_login(world.qa.user)
    response = client.get(
        reverse("observations:coverage_practitioners"), {"team": world.team_a.pk, "missing": "1"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert world.a[1].display_name in body
    assert world.a[0].display_name not in body


def test_garbage_filters_on_the_people_page_are_ignored(world, client):
    client.force_login(world.qa.user)
    response = client.get(
        reverse("observations:coverage_managers"), {"team": "1 OR 1=1", "service": "9" * 30}
    )
    assert response.status_code == 200


def test_practitioners_and_regional_leads_may_not_open_coverage(world, client):
    client.force_login(world.a[0].user)
    assert client.get(reverse("observations:coverage")).status_code == 403
