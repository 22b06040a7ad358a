"""The catalogue, the nightly recompute that stores indicator values, and the alert rules
that propose focused audits from them."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from performance.indicators import ADOPTER_JOURNEY, CATALOGUE, KPQS, Kind, Oba, Polarity
from performance.models import AlertRule, FocusedAuditProposal, IndicatorValue
from performance.selectors_indicators import records
from performance.services.alerts import alert_rules_run, trigger_reason
from performance.services.indicators import MONTHS, indicators_recompute
from tests.performance.indicator_builders import APRIL, AS_OF, MAY, D, Level, Org, event, visit
from tests.performance.indicator_builders import Kind as EventKind
from themes.models import ThematicReview

LONDON = ZoneInfo("Europe/London")
MORNING = datetime.datetime(2026, 5, 15, 2, 0, tzinfo=LONDON)
NOON = datetime.datetime(2026, 5, 15, 12, 0, tzinfo=LONDON)
EVENING = datetime.datetime(2026, 5, 15, 20, 0, tzinfo=LONDON)


# The catalogue


def test_the_catalogue_answers_every_question():
    assert len(CATALOGUE) >= 25
    kpqs = {indicator.kpq for indicator in CATALOGUE.values()}
    assert set(KPQS) <= kpqs
    assert set(KPQS) == set(range(1, 11))
    adopter_journey = [i for i in CATALOGUE.values() if i.kpq == ADOPTER_JOURNEY]
    assert len(adopter_journey) >= 3
    assert kpqs <= {*KPQS, ADOPTER_JOURNEY}


@pytest.mark.parametrize("slug", sorted(CATALOGUE))
def test_every_indicator_is_fully_described(slug):
    indicator = CATALOGUE[slug]
    assert indicator.slug == slug
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert len(slug) <= 60  # IndicatorValue.indicator
    assert indicator.name.strip()
    assert indicator.definition.strip()
    assert indicator.numerator.strip()
    assert indicator.polarity in Polarity.LABELS
    assert indicator.oba in Oba.LABELS
    assert indicator.kind in {Kind.PERCENTAGE, Kind.AVERAGE, Kind.COUNT, Kind.PER_WORKER}
    # Everything but a count is a fraction, and says what it is out of.
    assert bool(indicator.denominator.strip()) == (indicator.kind != Kind.COUNT)
    assert callable(indicator.facts)


def test_slugs_are_unique():
    from performance.indicators import adopters, care, children, workforce

    slugs = [i.slug for module in (children, workforce, care, adopters) for i in module.INDICATORS]
    assert len(slugs) == len(set(slugs)) == len(CATALOGUE)


def test_every_indicator_has_an_arithmetic_test():
    """A new indicator needs a hand-built test in one of the indicator test files."""
    here = Path(__file__).parent
    text = "".join(
        (here / f"test_indicators_{name}.py").read_text()
        for name in ("children", "workforce", "care", "adopters")
    )
    untested = [slug for slug in CATALOGUE if f'"{slug}"' not in text]
    assert untested == []


# Recomputing


@pytest.fixture
def area(db, time_machine):
    """An organisation on the morning of Friday 15 May 2026: a referral and two visits
    in team one, a visit in team two."""
    time_machine.move_to(MORNING, tick=False)
    org = Org.build()
    org.second_team = org.add_team()
    org.worker_one = org.worker()
    org.referred = org.case(worker=org.worker_one)
    event(org.referred, EventKind.REFERRAL, D(2026, 4, 1))
    org.not_yet_referred = org.case()
    visit(org.case(), D(2026, 4, 20))
    org.team_two_visit = visit(org.case(team=org.second_team), D(2026, 4, 14))
    return org


def _stamps() -> dict[int, datetime.datetime]:
    return dict(IndicatorValue.objects.values_list("pk", "computed_at"))


def _value(slug: str, level: str = Level.ORGANISATION, month=APRIL, **unit) -> IndicatorValue:
    return IndicatorValue.objects.get(indicator=slug, level=level, month=month, **unit)


def test_recompute_stores_every_value(area):
    totals = indicators_recompute(day=AS_OF)

    assert totals["created"] == IndicatorValue.objects.count() > 0
    assert (totals["updated"], totals["deleted"], totals["proposals"]) == (0, 0, 0)
    organisation_values = IndicatorValue.objects.filter(level=Level.ORGANISATION)
    assert organisation_values.count() == len(CATALOGUE) * MONTHS
    referrals = _value("referrals")
    assert (referrals.numerator, referrals.denominator, referrals.value) == (1, None, 1.0)
    team_two = _value("children-seen", Level.TEAM, team=area.second_team)
    assert (team_two.numerator, team_two.denominator, team_two.value) == (1, 1, 100.0)
    assert team_two.service_id == area.service.pk
    service = _value("children-seen", Level.SERVICE, service=area.service)
    assert (service.numerator, service.denominator, service.value) == (2, 2, 100.0)
    assert _value("referrals", month=MAY).value == 0.0
    assert {v.computed_at for v in organisation_values} == {MORNING}


def test_a_second_run_the_same_day_changes_nothing(area, time_machine):
    indicators_recompute(day=AS_OF)
    before = _stamps()

    time_machine.move_to(NOON, tick=False)
    totals = indicators_recompute(day=AS_OF)

    assert (totals["created"], totals["updated"], totals["deleted"]) == (0, 0, 0)
    assert totals["proposals"] == 0
    assert _stamps() == before


def test_a_changed_record_updates_only_the_values_it_affects(area, time_machine):
    indicators_recompute(day=AS_OF)
    time_machine.move_to(NOON, tick=False)
    event(area.not_yet_referred, EventKind.REFERRAL, D(2026, 4, 20))

    totals = indicators_recompute(day=AS_OF)

    affected = {
        "referrals",
        "referral-decision-1-day",
        "re-referrals-12-months",
        "seen-within-5-days",
        "recorded-within-2-days",
    }
    assert (totals["created"], totals["updated"], totals["deleted"]) == (0, 15, 0)
    changed = IndicatorValue.objects.filter(computed_at=NOON)
    assert {(v.indicator, v.level, v.month) for v in changed} == {
        (slug, level, APRIL) for slug in affected for level in Level.values
    }
    assert {v.team_id for v in changed if v.level == Level.TEAM} == {area.team.pk}
    referrals = _value("referrals", Level.TEAM, team=area.team)
    assert (referrals.numerator, referrals.value) == (2, 2.0)
    decisions = _value("referral-decision-1-day")
    assert (decisions.numerator, decisions.denominator, decisions.value) == (0, 2, 0.0)


def test_a_team_with_nothing_left_to_count_loses_its_value(area, time_machine):
    indicators_recompute(day=AS_OF)
    time_machine.move_to(NOON, tick=False)
    area.team_two_visit.delete()

    totals = indicators_recompute(day=AS_OF)

    # Team two's April values for the three indicators counting visits go; the
    # organisation's and the service's change.
    assert (totals["created"], totals["updated"], totals["deleted"]) == (0, 6, 3)
    team_two_april = IndicatorValue.objects.filter(team=area.second_team, month=APRIL)
    assert not team_two_april.filter(
        indicator__in=["children-seen", "children-seen-alone", "recorded-within-2-days"]
    ).exists()
    # Its open case is still counted.
    assert team_two_april.filter(indicator="unallocated-cases").exists()
    seen = _value("children-seen")
    assert (seen.numerator, seen.denominator, seen.value) == (1, 1, 100.0)


def test_a_team_holding_cases_of_two_services_is_one_value_under_its_own_service(
    area, time_machine
):
    """A case can sit in another service than its team's (a team moved, an import): the
    team still has one value, filed under the service the team belongs to now."""
    elsewhere = area.add_service()
    moved = area.case(team=area.second_team)
    moved.service = elsewhere
    moved.save()
    visit(moved, D(2026, 4, 16), seen=False)

    indicators_recompute(day=AS_OF)

    team_two = _value("children-seen", Level.TEAM, team=area.second_team)
    assert (team_two.numerator, team_two.denominator, team_two.service_id) == (
        1,
        2,
        area.service.pk,
    )
    # Each service still counts its own cases.
    assert _value("children-seen", Level.SERVICE, service=area.service).denominator == 2
    assert _value("children-seen", Level.SERVICE, service=elsewhere).denominator == 1
    # The records behind the team's figure are the same two visits.
    reader = area.worker(senior_leader=True).user
    found = records(
        reader,
        CATALOGUE["children-seen"],
        area.organisation,
        APRIL,
        service=area.service,
        team=area.second_team,
    )
    assert found is not None
    assert (sorted(fact.case_id for fact in found.facts), found.hidden) == (
        sorted([area.team_two_visit.case_id, moved.pk]),
        0,
    )

    # The team moves to the other service: its values follow it, with nothing else new.
    time_machine.move_to(NOON, tick=False)
    area.second_team.service = elsewhere
    area.second_team.save()
    totals = indicators_recompute(day=AS_OF)

    assert totals["created"] == totals["deleted"] == 0
    team_two = _value("children-seen", Level.TEAM, team=area.second_team)
    assert (team_two.denominator, team_two.service_id) == (2, elsewhere.pk)
    assert not IndicatorValue.objects.filter(
        level=Level.TEAM, team=area.second_team, service=area.service
    ).exists()


# Alert rules


@pytest.fixture
def worsening(db, time_machine):
    """Children seen at visits falls month by month: January 100%, February 75%,
    March 50%, April 25%. Nothing was visited in December."""
    time_machine.move_to(MORNING, tick=False)
    org = Org.build()
    org.qa = org.worker(qa=True)
    for month, seen in [(1, [True]), (2, [True, True, True, False]), (3, [True, False])]:
        for day, was_seen in enumerate(seen, start=5):
            visit(org.case(), D(2026, month, day), seen=was_seen)
    for day, was_seen in enumerate([True, False, False, False], start=7):
        visit(org.case(), D(2026, 4, day), seen=was_seen)
    return org


def _rule(org: Org, **fields) -> AlertRule:
    fields.setdefault("indicator", "children-seen")
    fields.setdefault("created_by", org.qa)
    return AlertRule.objects.create(organisation=org.organisation, **fields)


def test_alert_rules_propose_once_per_rule_and_month(worsening, time_machine):
    org = worsening
    below = _rule(org, threshold=80.0)
    falling = _rule(org, worsening_months=3)
    _rule(org, worsening_months=4)  # needs December, which has no value
    _rule(org, threshold=20.0)  # 25% is better than 20%
    _rule(org, indicator="referrals", threshold=0.0)  # a count has no better direction
    _rule(org, threshold=80.0, active=False)
    elsewhere = Org.build()
    stranger = _rule(org, threshold=80.0, created_by=elsewhere.worker(qa=True))

    totals = indicators_recompute(day=AS_OF)

    assert totals["proposals"] == 3
    proposals = FocusedAuditProposal.objects.order_by("pk")
    assert [(p.rule_id, p.month) for p in proposals] == [
        (below.pk, APRIL),
        (falling.pk, APRIL),
        (stranger.pk, APRIL),
    ]
    first, second, third = proposals
    assert first.reason == (
        "Visits where the child was seen was 25.0% in April 2026, worse than the "
        "threshold of 80.0%."
    )
    assert second.reason == (
        "Visits where the child was seen has got worse 3 months running to April 2026: "
        "100.0%, then 75.0%, then 50.0%, then 25.0%."
    )
    # Both reach the thematic planner; a rule set by someone of another organisation
    # is listed but not sent.
    themes = ThematicReview.objects.filter(
        organisation=org.organisation, source=ThematicReview.Source.INDICATOR
    )
    assert themes.count() == 2
    assert {t.get_absolute_url() for t in themes} == {first.planner_url, second.planner_url}
    assert all(t.proposed_by == org.qa for t in themes)
    # Each theme is about the indicator whose alert proposed it (the board links them).
    by_url = {t.get_absolute_url(): t for t in themes}
    assert by_url[first.planner_url].indicators == [first.indicator]
    assert by_url[second.planner_url].indicators == [second.indicator]
    assert third.planner_url == ""

    # Never twice: not by the recompute again, nor by the rules on their own.
    time_machine.move_to(EVENING, tick=False)
    assert indicators_recompute(day=AS_OF)["proposals"] == 0
    assert alert_rules_run(day=AS_OF) == {"created": 0}
    assert FocusedAuditProposal.objects.count() == 3
    assert ThematicReview.objects.filter(source=ThematicReview.Source.INDICATOR).count() == 2


def test_alert_rules_propose_again_for_the_next_month(worsening, time_machine):
    org = worsening
    rule = _rule(org, threshold=80.0)
    indicators_recompute(day=AS_OF)

    time_machine.move_to(datetime.datetime(2026, 6, 15, 2, 0, tzinfo=LONDON), tick=False)
    visit(org.case(), D(2026, 5, 11), seen=True)  # May: 100%, better than the threshold
    assert indicators_recompute(day=D(2026, 6, 15))["proposals"] == 0

    time_machine.move_to(datetime.datetime(2026, 7, 15, 2, 0, tzinfo=LONDON), tick=False)
    visit(org.case(), D(2026, 6, 10), seen=False)  # June: 0%
    assert indicators_recompute(day=D(2026, 7, 15))["proposals"] == 1
    assert list(rule.proposals.order_by("month").values_list("month", flat=True)) == [
        APRIL,
        D(2026, 6, 1),
    ]


def test_worsening_must_be_every_month_running():
    indicator = CATALOGUE["children-seen"]
    rule = AlertRule(indicator="children-seen", worsening_months=3)

    def series(*values):
        return [(D(2026, month, 1), v) for month, v in enumerate(values, start=1)]

    assert trigger_reason(rule, indicator, series(100.0, 75.0, 50.0, 25.0))
    assert not trigger_reason(rule, indicator, series(100.0, 75.0, 75.0, 25.0))  # a flat month
    assert not trigger_reason(rule, indicator, series(75.0, 50.0, 25.0))  # too few months
    assert not trigger_reason(rule, indicator, series(100.0, None, 50.0, 25.0))
    assert not trigger_reason(rule, indicator, series(25.0, 50.0, 75.0, None))
    assert not trigger_reason(rule, indicator, [])
    # Lower is better for re-referrals: rising is worse.
    rule = AlertRule(indicator="re-referrals-12-months", worsening_months=2, threshold=30.0)
    re_referrals = CATALOGUE["re-referrals-12-months"]
    assert "worse than the threshold of 30.0%" in trigger_reason(
        rule, re_referrals, series(10.0, 31.0)
    )
    assert "got worse 2 months running" in trigger_reason(rule, re_referrals, series(1, 2, 3))
    assert not trigger_reason(rule, re_referrals, series(3.0, 2.0, 1.0))
