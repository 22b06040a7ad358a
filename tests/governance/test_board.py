"""The board dashboard: its figures' arithmetic, the incomplete month, scoping and
query bounds."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from governance import board, figures
from governance.report_builders import common_mq
from tests.factories import (
    CaseFactory,
    GradedAuditFactory,
    ObservationFactory,
    OrganisationFactory,
    ServiceFactory,
    StaffMemberFactory,
    TeamFactory,
)
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 6)


@pytest.fixture(autouse=True)
def _frozen():
    moment = datetime.datetime(2026, 12, 6, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        yield


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _audit(team, day: datetime.date, grade: str = "good", **kwargs):
    return GradedAuditFactory(
        case=CaseFactory(team=team), submitted_at=_at(day), overall_grade=grade, **kwargs
    )


def test_audit_grades_count_good_or_better_by_month_and_organisation():
    team = TeamFactory()
    other = TeamFactory()
    org, other_org = team.organisation.pk, other.organisation.pk
    _audit(team, datetime.date(2026, 10, 3), "good")
    _audit(team, datetime.date(2026, 10, 20), "outstanding")
    _audit(team, datetime.date(2026, 10, 31), "inadequate")
    _audit(team, datetime.date(2026, 11, 1), "requires_improvement")
    _audit(other, datetime.date(2026, 11, 5), "good")
    _audit(team, datetime.date(2026, 8, 5), "good")  # before the range
    series = figures.proportion_by_month(
        figures.audit_grades([org, other_org]),
        organisation_ids=[org, other_org],
        first=datetime.date(2026, 10, 1),
        last=datetime.date(2026, 12, 1),
    )
    assert [(m.numerator, m.denominator) for m in series[org]] == [(2, 3), (0, 1), (0, 0)]
    assert [(m.numerator, m.denominator) for m in series[other_org]] == [(0, 0), (1, 1), (0, 0)]


def test_audit_grades_by_service_and_team():
    team = TeamFactory()
    sibling = TeamFactory(service=team.service)
    elsewhere = TeamFactory(service=ServiceFactory(organisation=team.organisation))
    day = datetime.date(2026, 11, 10)
    _audit(team, day, "good")
    _audit(sibling, day, "inadequate")
    _audit(elsewhere, day, "good")
    org = team.organisation.pk
    source = figures.audit_grades([org])
    by_service = figures.proportion_by_unit(
        source, organisation_id=org, month=datetime.date(2026, 11, 1)
    )
    mine = by_service[team.service_id]
    assert (mine.numerator, mine.denominator) == (1, 2)
    assert by_service[elsewhere.service_id].denominator == 1
    by_team = figures.proportion_by_unit(
        source, organisation_id=org, month=datetime.date(2026, 11, 1), service_id=team.service_id
    )
    assert set(by_team) == {team.pk, sibling.pk}
    only_team = figures.proportion_by_month(
        source,
        organisation_ids=[org],
        first=datetime.date(2026, 11, 1),
        last=datetime.date(2026, 11, 1),
        team_id=sibling.pk,
    )
    assert (only_team[org][0].numerator, only_team[org][0].denominator) == (0, 1)


def test_an_audit_counts_for_the_team_its_case_was_in_when_it_was_submitted():
    team = TeamFactory()
    elsewhere = TeamFactory(service=ServiceFactory(organisation=team.organisation))
    audit = _audit(team, datetime.date(2026, 11, 10), "good")
    # The case moves to a team in another service after the audit.
    audit.case.team, audit.case.service = elsewhere, elsewhere.service
    audit.case.save()
    org = team.organisation.pk
    month = datetime.date(2026, 11, 1)
    by_service = figures.proportion_by_unit(
        figures.audit_grades([org]), organisation_id=org, month=month
    )
    assert {k: (v.numerator, v.denominator) for k, v in by_service.items()} == {
        team.service_id: (1, 1)
    }
    by_team = figures.proportion_by_unit(
        figures.audit_grades([org]), organisation_id=org, month=month, service_id=team.service_id
    )
    assert {k: v.denominator for k, v in by_team.items()} == {team.pk: 1}
    # The monthly report's audits by service count it where the board does.
    audits = common_mq.graded_audits(team.organisation, month, datetime.date(2026, 11, 30))
    assert common_mq.by_service(audits, common_mq.service_expression(), Q()) == {
        team.service_id: (1, 1)
    }


@pytest.mark.parametrize("slug", ["audit-grades", "observation-grades", "moderation-agreement"])
def test_each_services_chart_counts_what_that_service_alone_counts(slug):
    """The measure page reads every service's months in one grouped query: each must be
    what a query for that service alone gives, months with nothing in them included."""
    team = TeamFactory()
    sibling = TeamFactory(service=team.service)
    elsewhere = TeamFactory(service=ServiceFactory(organisation=team.organisation))
    ServiceFactory(organisation=team.organisation)  # nothing counted in it
    OrganisationFactory()
    moderated = _at(datetime.date(2026, 11, 12))
    for unit, day, grade in [
        (team, datetime.date(2026, 9, 30), "good"),
        (team, datetime.date(2026, 11, 1), "inadequate"),
        (sibling, datetime.date(2026, 11, 10), "outstanding"),
        (elsewhere, datetime.date(2026, 10, 4), "requires_improvement"),
        (elsewhere, datetime.date(2026, 12, 1), "good"),
    ]:
        _audit(unit, day, grade, moderated_grade=grade, moderated_at=moderated)
        ObservationFactory(
            practitioner=StaffMemberFactory(team=unit),
            observed_on=day,
            grade=grade,
            status="submitted",
        )
    organisation = team.organisation
    measure = board.MEASURES[slug]
    whole, together = board.service_charts(
        measure, organisation=organisation, today=TODAY, months=6
    )
    # The organisation's chart, added up from its services', is what its own query gives.
    [alone] = board.measure_charts(
        [measure], organisation_id=organisation.pk, today=TODAY, months=6
    )
    assert (whole.title, whole.rows) == (alone.title, alone.rows)
    if slug == "audit-grades":  # September to December: 1 of 1, 0 of 1, 1 of 2, 1 of 1
        assert [r.point.value for r in whole.rows] == [1.0, 0.0, 0.5, 1.0]
    one_by_one = [
        board.measure_charts(
            [measure],
            organisation_id=organisation.pk,
            today=TODAY,
            months=6,
            service_id=service.pk,
            title=service.name,
        )[0]
        for service in board.services_of(organisation)
    ]
    assert [c.title for c in together] == [c.title for c in one_by_one]
    assert [c.rows for c in together] == [c.rows for c in one_by_one]
    # The team and its sibling share a service; the last service counted nothing.
    assert [c.has_values for c in together].count(True) == 2


def test_moderation_agreement_counts_the_moderators_who_gave_the_auditors_grade():
    team = TeamFactory()
    day = _at(datetime.date(2026, 11, 10))
    _audit(team, datetime.date(2026, 11, 1), "good", moderated_grade="good", moderated_at=day)
    _audit(
        team,
        datetime.date(2026, 11, 1),
        "good",
        moderated_grade="requires_improvement",
        moderated_at=day,
    )
    _audit(team, datetime.date(2026, 11, 1), "good")  # not moderated
    org = team.organisation.pk
    series = figures.proportion_by_month(
        figures.moderation_agreement([org]),
        organisation_ids=[org],
        first=datetime.date(2026, 11, 1),
        last=datetime.date(2026, 11, 1),
    )
    assert (series[org][0].numerator, series[org][0].denominator) == (1, 2)


def test_observation_grades_count_finished_observations_by_month_observed():
    practitioner = StaffMemberFactory()
    for grade, status in (
        ("good", "submitted"),
        ("inadequate", "moderated"),
        ("good", "draft"),
    ):
        ObservationFactory(
            practitioner=practitioner,
            observed_on=datetime.date(2026, 11, 4),
            grade=grade,
            status=status,
        )
    org = practitioner.organisation_id
    series = figures.proportion_by_month(
        figures.observation_grades([org]),
        organisation_ids=[org],
        first=datetime.date(2026, 11, 1),
        last=datetime.date(2026, 11, 1),
    )
    assert (series[org][0].numerator, series[org][0].denominator) == (1, 2)


def test_the_current_month_is_marked_incomplete_and_left_out_of_the_limits():
    team = TeamFactory()
    for months_ago in range(1, 14):
        day = datetime.date(2026, 12, 1) - datetime.timedelta(days=30 * months_ago)
        _audit(team, day, "good")
        _audit(team, day, "inadequate")
    _audit(team, datetime.date(2026, 12, 2), "inadequate")  # this month: one, not good
    measure = board.MEASURES["audit-grades"]
    chart = board.measure_charts(
        [measure], organisation_id=team.organisation.pk, today=TODAY, months=24
    )[0]
    last = chart.chart.points[-1]
    assert last.period == datetime.date(2026, 12, 1)
    assert last.incomplete
    assert not last.signals
    assert chart.latest.point.period == datetime.date(2026, 11, 1)


def test_targets_in_force_change_over_time():
    targets = [(datetime.date(2026, 1, 1), 80.0), (datetime.date(2026, 6, 1), 90.0)]
    assert figures.target_on(targets, datetime.date(2025, 12, 1)) is None
    assert figures.target_on(targets, datetime.date(2026, 5, 1)) == 80.0
    assert figures.target_on(targets, datetime.date(2026, 6, 1)) == 90.0


# Pages.


def _leader(team, **kwargs):
    return StaffMemberFactory(
        team=None, service=None, organisation=team.organisation, senior_leader=True, **kwargs
    )


def _pages(team, leader):
    month = "2026-11"
    return [
        reverse("governance:board"),
        reverse("governance:board_measure", args=["audit-grades"]),
        reverse("governance:board_measure", args=["visits-in-timescale"]),
        reverse("governance:board_month", args=["audit-grades", month]),
        reverse("governance:board_month", args=["audit-grades", month])
        + f"?service={team.service_id}",
        reverse("governance:board_month", args=["audit-grades", month]) + f"?team={team.pk}",
        reverse("governance:board_month", args=["visits-in-timescale", month]) + f"?team={team.pk}",
    ]


def _fill(team, n: int) -> None:
    for i in range(n):
        _audit(team, datetime.date(2026, 11, 1 + i % 28), "good" if i % 2 else "inadequate")


@pytest.mark.parametrize("size", [2, 12])
def test_board_pages_run_a_bounded_number_of_queries(client, django_assert_max_num_queries, size):
    team = TeamFactory()
    _fill(team, size)
    leader = _leader(team)
    client.force_login(leader.user)
    for url in _pages(team, leader):
        with django_assert_max_num_queries(40):
            response = client.get(url)
        assert response.status_code == 200, url


def test_the_team_page_lists_the_audits_behind_the_figure(client):
    team = TeamFactory()
    audit = _audit(team, datetime.date(2026, 11, 3), "good")
    client.force_login(_leader(team).user)
    url = reverse("governance:board_month", args=["audit-grades", "2026-11"])
    response = client.get(url + f"?team={team.pk}")
    assert audit.get_absolute_url() in response.content.decode()
    assert audit.case.child.family_name in visible_text(response)


def test_another_organisations_team_is_not_found(client):
    team = TeamFactory()
    other = TeamFactory()
    client.force_login(_leader(team).user)
    url = reverse("governance:board_month", args=["audit-grades", "2026-11"])
    assert client.get(url + f"?team={other.pk}").status_code == 404
    assert client.get(url + f"?service={other.service_id}").status_code == 404


def test_a_future_or_malformed_month_is_not_found(client):
    team = TeamFactory()
    client.force_login(_leader(team).user)
    for month in ("2027-01", "2026-13", "26-11", "abcd-ef"):
        url = reverse("governance:board_month", args=["audit-grades", month])
        assert client.get(url).status_code == 404, month


@pytest.mark.parametrize("role", ["team_manager", "service_manager", "regional_lead"])
def test_others_may_not_read_the_board(client, role):
    team = TeamFactory()
    other_team = TeamFactory(service=team.service)
    person = StaffMemberFactory(team=team, **{role: True})
    client.force_login(person.user)
    assert client.get(reverse("governance:board")).status_code == 403
    url = reverse("governance:board_month", args=["audit-grades", "2026-11"])
    assert client.get(url + f"?team={other_team.pk}").status_code == 403


def test_another_organisations_records_never_reach_the_board(client):
    team = TeamFactory()
    other = TeamFactory(service=ServiceFactory(organisation=OrganisationFactory()))
    theirs = _audit(other, datetime.date(2026, 11, 3), "good")
    client.force_login(_leader(team).user)
    body = client.get(
        reverse("governance:board_month", args=["audit-grades", "2026-11"])
    ).content.decode()
    assert theirs.case.child.family_name not in body


def test_a_measure_with_nothing_counted_says_so_rather_than_draw_an_empty_chart(client):
    team = TeamFactory()
    _audit(team, datetime.date(2026, 11, 3), "good")
    client.force_login(_leader(team).user)
    body = client.get(reverse("governance:board")).content.decode()
    # Audits were graded; nothing was moderated.
    assert body.count("Nothing was counted in the months shown, so there is no chart.") >= 1
    charts = board.measure_charts(
        [board.MEASURES["moderation-agreement"], board.MEASURES["audit-grades"]],
        organisation_id=team.service.organisation_id,
        today=TODAY,
        months=12,
    )
    assert [c.has_values for c in charts] == [False, True]
