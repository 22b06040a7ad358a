"""The regional view: suppression of small numbers, who reads which organisations, the
scorecard's arithmetic, the small multiples, and that no child-level data reaches it."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import Organisation
from governance import board, regional
from governance.regional import SUPPRESSED, suppress
from performance.models import IndicatorValue, Target
from tests.factories import (
    AdopterFactory,
    CaseFactory,
    ChildFactory,
    GradedAuditFactory,
    ObservationFactory,
    OrganisationFactory,
    ProcessChangeFactory,
    RegionFactory,
    ServiceFactory,
    StaffMemberFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 6)
NOVEMBER = datetime.date(2026, 11, 1)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(
        datetime.datetime(2026, 12, 6, 10, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _team(organisation: Organisation):
    return TeamFactory(service=ServiceFactory(organisation=organisation))


def _audits(team, day: datetime.date, good: int, not_good: int) -> None:
    for i in range(good + not_good):
        GradedAuditFactory(
            case=CaseFactory(team=team),
            submitted_at=_at(day),
            overall_grade="good" if i < good else "inadequate",
        )


def _value(organisation, slug: str, month: datetime.date, numerator: int, denominator: int):
    IndicatorValue.objects.create(
        organisation=organisation,
        indicator=slug,
        level=IndicatorValue.Level.ORGANISATION,
        month=month,
        numerator=numerator,
        denominator=denominator,
        value=round(100 * numerator / denominator, 4),
    )


# Suppression.


def test_a_count_below_five_is_suppressed():
    assert str(suppress(4)) == SUPPRESSED
    assert str(suppress(0)) == SUPPRESSED
    assert str(suppress(5)) == "5"
    assert str(suppress(1234)) == "1,234"


def test_a_percentage_of_fewer_than_five_is_suppressed():
    shown = suppress(2, 4)
    assert (shown.count, shown.denominator, shown.percent) == (SUPPRESSED, SUPPRESSED, SUPPRESSED)
    assert str(shown) == SUPPRESSED
    assert suppress(0, 0).suppressed


def test_a_percentage_with_fewer_than_five_counted_is_suppressed():
    """Shown beside its denominator, 3 of 40 as 7.5% would give the count away."""
    shown = suppress(3, 40)
    assert shown.percent == SUPPRESSED
    assert shown.denominator == "40"
    assert str(shown) == SUPPRESSED


def test_a_percentage_of_five_or_more_is_shown():
    assert str(suppress(5, 8)) == "62.5% (5 of 8)"
    assert not suppress(5, 5).suppressed


def test_which_points_are_hidden():
    assert regional.hides(4, 100, kind="percentage")
    assert regional.hides(50, 4, kind="per_worker")
    assert not regional.hides(5, 5, kind="percentage")
    assert regional.hides(4, None, kind="count")
    assert not regional.hides(5, None, kind="count")


# Who reads which organisations.


def _region():
    region = RegionFactory()
    councils = [
        OrganisationFactory(region=region, name=f"Partner council {n}") for n in range(1, 4)
    ]
    agency = OrganisationFactory(
        region=region, name="Partner adoption agency", kind=Organisation.Kind.ADOPTION_AGENCY
    )
    return region, councils, agency


def _person(organisation, **role):
    return StaffMemberFactory(team=None, service=None, organisation=organisation, **role)


def test_a_regional_lead_reads_their_regions_organisations():
    region, councils, agency = _region()
    OrganisationFactory(name="Elsewhere council")
    lead = _person(agency, regional_lead=True)
    assert regional.partner_organisations(lead.user) == sorted(
        [*councils, agency], key=lambda o: o.name
    )


def test_an_agencys_partner_board_is_its_regions_councils_and_itself():
    region, councils, agency = _region()
    OrganisationFactory(
        region=region, name="Another agency", kind=Organisation.Kind.ADOPTION_AGENCY
    )
    OrganisationFactory(name="Elsewhere council")
    for role in ({"qa": True}, {"senior_leader": True}):
        person = _person(agency, **role)
        assert set(regional.partner_organisations(person.user)) == {*councils, agency}


def test_council_staff_read_no_partner_organisations():
    _, councils, _ = _region()
    assert regional.partner_organisations(_person(councils[0], qa=True).user) == []


# The scorecard's arithmetic.


def test_the_scorecard_adds_up_the_last_six_and_twelve_complete_months():
    _, councils, _ = _region()
    team = _team(councils[0])
    _audits(team, datetime.date(2026, 11, 3), good=4, not_good=2)  # in both windows
    _audits(team, datetime.date(2026, 5, 3), good=0, not_good=1)  # 7 months back: 12 only
    _audits(team, datetime.date(2026, 4, 3), good=2, not_good=0)  # 8 months back: 12 only
    _audits(team, datetime.date(2025, 11, 3), good=9, not_good=0)  # 13 months back: neither
    _audits(team, datetime.date(2026, 12, 2), good=9, not_good=0)  # this month: neither
    card = regional.scorecards(organisations=councils, today=TODAY)[0]
    audits = next(c for c in card.quality if c.title == "Audits graded good or better")
    six, twelve = audits.windows
    assert (six.count, six.denominator, six.percent) == (SUPPRESSED, "6", SUPPRESSED)
    assert str(twelve) == "66.7% (6 of 9)"
    other = regional.scorecards(organisations=councils, today=TODAY)[1]
    assert all(str(w) == SUPPRESSED for c in other.quality for w in c.windows)


def test_the_scorecard_shows_the_latest_complete_months_indicators_against_target():
    _, councils, _ = _region()
    first, second = councils[0], councils[1]
    _value(first, "visits-in-timescale", NOVEMBER, 45, 60)  # 75%
    _value(first, "visits-in-timescale", datetime.date(2026, 12, 1), 60, 60)  # incomplete
    Target.objects.create(
        organisation=first, indicator="visits-in-timescale", value=80, starts_on=NOVEMBER
    )
    _value(second, "visits-in-timescale", NOVEMBER, 3, 4)  # suppressed
    Target.objects.create(
        organisation=second, indicator="visits-in-timescale", value=80, starts_on=NOVEMBER
    )
    cards = regional.scorecards(organisations=[first, second], today=TODAY)
    visits = [c for c in cards[0].indicators if c.title.startswith("Visits")][0]
    assert (visits.value, visits.target, visits.status) == ("75.0%", "80.0%", "worse")
    hidden = [c for c in cards[1].indicators if c.title.startswith("Visits")][0]
    assert (hidden.value, hidden.status) == (SUPPRESSED, "")


# Small multiples.


def test_a_month_with_fewer_than_five_counted_is_left_out_of_the_limits():
    _, councils, _ = _region()
    team = _team(councils[0])
    for month in range(1, 12):
        _audits(team, datetime.date(2026, month, 10), good=5, not_good=5)
    _audits(team, datetime.date(2025, 12, 10), good=4, not_good=0)  # 4 of 4: held back
    measure = board.measure_of("audit-grades")
    charts = regional.small_multiples(measure, organisations=councils[:1], today=TODAY, months=13)
    c = charts[0]
    assert c.suppressed == 2  # December 2025, and this month (nothing counted yet)
    december = c.chart.points[0]
    assert december.value is None
    assert december.numerator is None
    assert c.chart.points[1].mean == pytest.approx(0.5)  # 4 of 4 not in the mean
    row = c.figure.rows[0]
    assert (row.value, row.signal) == (SUPPRESSED, regional.SUPPRESSED_SIGNAL)
    assert "4 of 4" not in str(c.figure)


def test_each_organisations_own_process_changes_recalculate_its_limits():
    _, councils, _ = _region()
    ProcessChangeFactory(
        organisation=councils[0], measure="audit-grades", changed_on=datetime.date(2026, 6, 1)
    )
    measure = board.measure_of("audit-grades")
    charts = regional.small_multiples(measure, organisations=councils[:2], today=TODAY, months=12)
    assert charts[0].chart.recalculated_from == (datetime.date(2026, 6, 1),)
    assert charts[1].chart.recalculated_from == ()


# The pages.


def _rich(councils) -> list[str]:
    """Children, adopters, audits and observations with names to look for."""
    secrets = []
    for n, council in enumerate(councils):
        team = _team(council)
        child = ChildFactory(
            organisation=council,
            reference=f"SECRETREF{n}",
            given_name=f"Zebedee{n}",
            family_name=f"Quillfeather{n}",
        )
        case = CaseFactory(team=team, child=child)
        adopter = AdopterFactory(
            organisation=council, reference=f"ADOPTREF{n}", household_name=f"Honeysett{n}"
        )
        CaseFactory(team=team, child=None, adopter=adopter)
        for day in (3, 10, 17, 24, 28):
            GradedAuditFactory(case=case, submitted_at=_at(datetime.date(2026, 11, day)))
            ObservationFactory(
                practitioner=StaffMemberFactory(team=team),
                case=case,
                observed_on=datetime.date(2026, 11, day),
                status="submitted",
                grade="good",
            )
        _value(council, "visits-in-timescale", NOVEMBER, 40, 50)
        secrets += [
            child.reference,
            child.given_name,
            child.family_name,
            adopter.reference,
            adopter.household_name,
        ]
    return secrets


RECORD_PREFIXES = (
    "/cases/",
    "/children/",
    "/adopters/",
    "/audits/",
    "/observations/",
    "/feedback/",
    "/complaints/",
    "/compliments/",
    "/challenges/",
    "/panel-evaluations/",
    "/practice-events/",
    "/questionnaires/",
    "/actions/",
    "/staff-voice/",
    "/indicators/",
    "/board/",
    "/rota/",
    "/themes/",
)


def _main(response) -> str:
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


def _pages() -> list[str]:
    return [
        reverse("governance:regional"),
        *(reverse("governance:regional_measure", args=[slug]) for slug in board.MEASURES),
    ]


def test_no_child_level_field_or_link_reaches_the_regional_view(client):
    _, councils, agency = _region()
    secrets = _rich(councils)
    client.force_login(_person(agency, regional_lead=True).user)
    for url in _pages():
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in secrets:
            assert secret not in body, (url, secret)
        main = _main(response)
        hrefs = re.findall(r'href="([^"]*)"', main)
        assert hrefs, url
        for href in hrefs:
            assert href.startswith(("#", "/regional/")), (url, href)
            assert not href.startswith(RECORD_PREFIXES), (url, href)


def test_the_scorecard_names_each_partner_and_links_its_measures(client):
    _, councils, agency = _region()
    _rich(councils)
    client.force_login(_person(agency, regional_lead=True).user)
    body = client.get(reverse("governance:regional")).content.decode()
    for organisation in [*councils, agency]:
        assert f'id="{regional.anchor(organisation)}"' in body
    assert "80.0% (40 of 50)" not in body  # an indicator shows its value, not its counts
    assert "80.0%" in body
    measure = client.get(reverse("governance:regional_measure", args=["audit-grades"]))
    assert regional.scorecard_url(councils[0]) in measure.content.decode()


def test_a_regional_lead_of_another_region_sees_none_of_these_organisations(client):
    _, councils, agency = _region()
    _rich(councils)
    elsewhere = OrganisationFactory(name="Faraway council")
    client.force_login(_person(elsewhere, regional_lead=True).user)
    for url in _pages():
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        for organisation in [*councils, agency]:
            assert organisation.name not in body, url
        assert "Faraway council" in body


@pytest.mark.parametrize("role", ["qa", "senior_leader", "business_support"])
def test_council_staff_may_not_read_the_regional_view(client, role):
    _, councils, _ = _region()
    client.force_login(_person(councils[0], **{role: True}).user)
    for url in _pages()[:2]:
        assert client.get(url).status_code == 403


def test_an_agencys_practitioners_and_managers_may_not_read_it(client):
    _, _, agency = _region()
    team = _team(agency)
    for person in (StaffMemberFactory(team=team), StaffMemberFactory(team=team, team_manager=True)):
        client.force_login(person.user)
    for url in _pages()[:2]:
        assert client.get(url).status_code == 403


def test_an_agencys_qa_reads_its_partner_board(client):
    _, councils, agency = _region()
    client.force_login(_person(agency, qa=True).user)
    body = client.get(reverse("governance:regional")).content.decode()
    assert all(o.name in body for o in [*councils, agency])


def test_an_unknown_measure_is_not_found(client):
    _, _, agency = _region()
    client.force_login(_person(agency, regional_lead=True).user)
    assert client.get(reverse("governance:regional_measure", args=["nothing"])).status_code == 404


@pytest.mark.parametrize("size", [1, 3])
def test_regional_pages_run_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, size
):
    region = RegionFactory()
    councils = [OrganisationFactory(region=region) for _ in range(size * 2)]
    _rich(councils[:size])
    lead = _person(councils[0], regional_lead=True)
    client.force_login(lead.user)
    for url in _pages()[:3]:
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200


@time_machine.travel(datetime.datetime(2026, 11, 18, 12, tzinfo=datetime.UTC))
def test_the_scorecards_count_each_councils_plan_with_small_numbers_suppressed():
    from governance import plan as plan_reads
    from governance.models import PlanAction

    region = RegionFactory()
    big, small = OrganisationFactory(region=region), OrganisationFactory(region=region)
    today = datetime.date(2026, 11, 18)

    def actions(organisation, n, **fields):
        for _ in range(n):
            PlanAction.objects.create(
                organisation=organisation, title="A", source="plan", raised_on=today, **fields
            )

    actions(big, 6, due_on=today - datetime.timedelta(days=3))  # open and overdue
    actions(big, 2, due_on=today + datetime.timedelta(days=3))  # open, not overdue
    actions(big, 5, status="completed", completed_on=today - datetime.timedelta(days=40))
    actions(big, 1, status="completed", completed_on=today - datetime.timedelta(days=400))
    actions(small, 2, due_on=today - datetime.timedelta(days=3))
    counts = plan_reads.progress_by_organisation(organisation_ids=[big.pk, small.pk], today=today)
    assert counts[big.pk] == {"open": 8, "overdue": 6, "completed": 5, "impact": 0}
    cards = {
        c.organisation: c for c in regional.scorecards(organisations=[big, small], today=today)
    }
    assert [(label, str(shown)) for label, shown in cards[big].plan] == [
        ("Open actions", "8"),
        ("Overdue", "6"),
        ("Completed in the last 12 months", "5"),
        ("Impact evidenced in the last 12 months", "<5"),
    ]
    assert all(str(shown) == "<5" for _, shown in cards[small].plan)
