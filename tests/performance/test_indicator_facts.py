"""The facts behind indicator values, stored by the nightly recompute beside the values,
and the records page that reads them."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from performance.indicators import CATALOGUE, Fact
from performance.indicators.source import Source
from performance.models import IndicatorFact, IndicatorValue
from performance.selectors_indicators import records
from performance.services.indicators import facts_in, indicators_recompute, window_for
from tests.factories import CaseFactory, JourneyEventFactory
from tests.pages import page_text
from tests.performance.indicator_builders import APRIL, AS_OF, D, Level, Org, event, visit
from tests.performance.indicator_builders import Kind as EventKind

MORNING = datetime.datetime(2026, 5, 15, 2, 0, tzinfo=datetime.UTC)
NOON = datetime.datetime(2026, 5, 15, 12, 0, tzinfo=datetime.UTC)
SLUGS = ["referrals", "children-seen", "children-seen-alone", "referral-decision-1-day"]


def _key(fact: Fact) -> tuple:
    return (
        fact.month,
        fact.case_id,
        fact.team_id,
        fact.service_id,
        bool(fact.counted),
        fact.measure,
        fact.worker_id,
        fact.note,
    )


FIELDS = ("month", "case_id", "team_id", "service_id", "counted", "measure", "worker_id", "note")


def _stored(slug: str | None = None) -> list[tuple]:
    rows = IndicatorFact.objects.all()
    if slug is not None:
        rows = rows.filter(indicator=slug)
    return sorted(rows.values_list(*FIELDS))


def _live(org: Org, slug: str, day: datetime.date = AS_OF) -> list[tuple]:
    source = Source(window_for(org.pk, day))
    return sorted(_key(fact) for fact in facts_in(CATALOGUE[slug], source))


@pytest.fixture
def area(db, time_machine):
    """An organisation on 15 May 2026: referrals and visits in two teams."""
    time_machine.move_to(MORNING, tick=False)
    org = Org.build()
    org.second_team = org.add_team()
    org.worker_one = org.worker()
    org.referred = org.case(worker=org.worker_one)
    event(org.referred, EventKind.REFERRAL, D(2026, 4, 1))
    org.not_yet_referred = org.case()
    org.visited = org.case()
    visit(org.visited, D(2026, 4, 20), alone=True)
    visit(org.visited, D(2026, 3, 20), alone=False)
    org.team_two_case = org.case(team=org.second_team)
    org.team_two_visit = visit(org.team_two_case, D(2026, 4, 14), alone=True)
    return org


def test_stored_facts_are_the_facts_the_values_are_counted_from(area):
    indicators_recompute(day=AS_OF)

    for slug in CATALOGUE:
        assert _stored(slug) == _live(area, slug), slug
    assert all(_stored(slug) for slug in SLUGS)
    # And they add up to the stored value.
    seen = IndicatorValue.objects.get(
        indicator="children-seen-alone", level=Level.ORGANISATION, month=APRIL
    )
    april = IndicatorFact.objects.filter(indicator="children-seen-alone", month=APRIL)
    assert (seen.numerator, seen.denominator) == (april.filter(counted=True).count(), 2)


def test_a_second_run_changes_no_fact(area, time_machine):
    indicators_recompute(day=AS_OF)
    before = list(IndicatorFact.objects.order_by("pk").values_list("pk", *FIELDS))

    time_machine.move_to(NOON, tick=False)
    indicators_recompute(day=AS_OF)

    assert list(IndicatorFact.objects.order_by("pk").values_list("pk", *FIELDS)) == before


def test_a_changed_record_replaces_its_facts_and_a_gone_one_takes_them_away(area, time_machine):
    indicators_recompute(day=AS_OF)
    time_machine.move_to(NOON, tick=False)
    area.team_two_visit.delete()
    event(area.not_yet_referred, EventKind.REFERRAL, D(2026, 4, 20))

    indicators_recompute(day=AS_OF)

    for slug in SLUGS:
        assert _stored(slug) == _live(area, slug), slug
    team_two_april = IndicatorFact.objects.filter(team=area.second_team, month=APRIL)
    assert not team_two_april.filter(indicator__in=["children-seen", "children-seen-alone"])
    assert IndicatorFact.objects.filter(
        indicator="referrals", case=area.not_yet_referred, month=APRIL
    ).exists()


def test_a_fact_moves_with_its_case_to_another_team(area, time_machine):
    indicators_recompute(day=AS_OF)
    time_machine.move_to(NOON, tick=False)
    area.team_two_case.team = area.team
    area.team_two_case.save()

    indicators_recompute(day=AS_OF)

    moved = IndicatorFact.objects.filter(case=area.team_two_case, indicator="children-seen")
    assert {fact.team_id for fact in moved} == {area.team.pk}
    reader = area.worker(senior_leader=True).user
    in_team_two = records(
        reader, CATALOGUE["children-seen"], area.organisation, APRIL, team=area.second_team
    )
    assert in_team_two is not None
    assert (in_team_two.total, in_team_two.hidden) == (0, 0)
    in_team_one = records(
        reader, CATALOGUE["children-seen"], area.organisation, APRIL, team=area.team
    )
    assert in_team_one is not None
    assert area.team_two_case.pk in {fact.case_id for fact in in_team_one.facts}


def test_other_teams_and_organisations_see_none_of_the_facts(area):
    indicators_recompute(day=AS_OF)
    other_team_manager = area.worker(team=area.second_team, team_manager=True).user
    other_organisation = Org.build().worker(qa=True).user

    team_one_facts = IndicatorFact.objects.exclude(team=area.second_team)
    assert team_one_facts.exists()
    assert (
        not IndicatorFact.objects.visible_to(other_team_manager)
        .filter(pk__in=team_one_facts)
        .exists()
    )
    assert not IndicatorFact.objects.visible_to(other_organisation).exists()
    found = records(other_team_manager, CATALOGUE["children-seen"], area.organisation, APRIL)
    assert found is not None
    assert (found.total, found.hidden) == (1, 1)


# The records page

TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def today():
    with time_machine.travel(
        datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield TODAY


def _cases_with_visits(scenario, n: int) -> None:
    for i in range(n):
        case = CaseFactory(
            team=scenario.case.team, allocated_worker=scenario.people["practitioner"]
        )
        for day in (1, 20):
            on = datetime.date(2026, 10, day)
            JourneyEventFactory(
                case=case,
                kind="visit",
                occurred_on=on,
                recorded_on=on,
                seen=True,
                seen_alone=bool(i % 2),
            )


def test_the_records_page_says_when_the_month_has_not_been_worked_out(client, scenario, today):
    _cases_with_visits(scenario, 2)
    client.force_login(scenario.people["qa"].user)
    url = reverse("performance:indicator_records", args=["children-seen-alone"])

    body = page_text(client.get(url, {"month": "2026-10"}))

    assert "have not been worked out yet" in body


def test_the_records_page_counts_what_the_indicator_page_shows(client, scenario, today):
    _cases_with_visits(scenario, 7)
    indicators_recompute(day=today)
    client.force_login(scenario.people["qa"].user)
    detail = reverse("performance:indicator_detail", args=["children-seen-alone"])
    url = reverse("performance:indicator_records", args=["children-seen-alone"])

    current = client.get(detail, {"month": "2026-10"}).context["current"]
    response = client.get(url, {"month": "2026-10"})

    assert (response.context["counted"], response.context["total"]) == (
        current["numerator"],
        current["denominator"],
    )
    window = window_for(scenario.case.organisation_id, today)
    live = [
        fact
        for fact in CATALOGUE["children-seen-alone"].facts(Source(window))
        if fact.month == datetime.date(2026, 10, 1)
    ]
    assert response.context["total"] == len(live)
    assert response.context["counted"] == sum(fact.counted for fact in live)
    rows = [item["fact"] for item in response.context["items"]]
    assert [fact.counted for fact in rows] == sorted((f.counted for f in rows), reverse=True)


@pytest.mark.parametrize("n", [3, 120])
def test_the_records_page_runs_a_bounded_number_of_queries(
    client, scenario, today, n, django_assert_max_num_queries
):
    _cases_with_visits(scenario, n)
    indicators_recompute(day=today)
    client.force_login(scenario.people["qa"].user)
    url = reverse("performance:indicator_records", args=["children-seen-alone"])
    for query in (
        {"month": "2026-10"},
        {"month": "2026-10", "page": "2"},
        {"month": "2026-10", "team": scenario.case.team_id},
    ):
        with django_assert_max_num_queries(16):
            response = client.get(url, query)
        assert response.status_code == 200
    assert len(response.context["items"]) == min(2 * n, 50)  # two visits a case
