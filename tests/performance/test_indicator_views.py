"""The indicator pages: catalogue, indicator with drill-down, the records behind a figure,
KPQ narratives, targets and benchmarks, focused-audit proposals; scoping and query bounds."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from performance.models import AlertRule, Benchmark, FocusedAuditProposal, KpqNarrative, Target
from performance.services.indicators import indicators_recompute
from tests.factories import CaseFactory, JourneyEventFactory
from tests.pages import page_text

TODAY = datetime.date(2026, 11, 20)
OCTOBER = datetime.date(2026, 10, 1)

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def today():
    with time_machine.travel(
        datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield TODAY


def _referrals(case, days: list[int]) -> None:
    """Referrals of the case's child on the given days of October 2026."""
    for day in days:
        on = datetime.date(2026, 10, day)
        JourneyEventFactory(case=case, kind="referral", occurred_on=on, recorded_on=on)


def _visits(case, n: int, seen_alone: bool = True) -> None:
    for i in range(n):
        on = datetime.date(2026, 10, 1) + datetime.timedelta(days=i * 3)
        JourneyEventFactory(
            case=case,
            kind="visit",
            occurred_on=on,
            recorded_on=on,
            seen=True,
            seen_alone=seen_alone,
        )


def _login(client, scenario, key: str):
    client.force_login(scenario.people[key].user)
    return scenario.people[key]


def test_catalogue_shows_the_months_values_against_target(client, scenario, today):
    _referrals(scenario.case, [1, 8])
    Target.objects.create(
        organisation=scenario.case.organisation, indicator="referrals", value=5, starts_on=OCTOBER
    )
    indicators_recompute(day=today)
    _login(client, scenario, "senior_leader")
    response = client.get(reverse("performance:indicator_list"), {"month": "2026-10"})
    assert response.status_code == 200
    body = page_text(response)
    assert "Question 5: Are children seen often enough and alone?" in body
    assert "Referrals received" in body
    row = body[body.index("Referrals received") :]
    assert ">2<" in row[:800].replace(" ", "")  # two referrals in October
    assert "No target set" in body


def test_catalogue_filters_by_oba_question(client, scenario, today):
    _login(client, scenario, "qa")
    body = client.get(reverse("performance:indicator_list"), {"oba": "how_much"}).content.decode()
    assert "Referrals received" in body
    assert "Re-referrals within 12 months" not in body


def test_indicator_page_drills_from_organisation_to_service_and_team(client, scenario, today):
    _referrals(scenario.case, [1, 2, 3])
    indicators_recompute(day=today)
    _login(client, scenario, "qa")
    url = reverse("performance:indicator_detail", args=["referrals"])
    body = page_text(client.get(url, {"month": "2026-10"}))
    assert "October 2026: 3" in body
    service = scenario.case.service
    assert f"service={service.pk}" in body
    body = page_text(client.get(url, {"month": "2026-10", "service": service.pk}))
    assert f"team={scenario.case.team_id}" in body
    body = page_text(client.get(url, {"month": "2026-10", "team": scenario.case.team_id}))
    assert "October 2026: 3" in body
    assert scenario.case.team.name in body


def test_drilling_into_another_organisations_team_is_a_404(client, scenario, today):
    _login(client, scenario, "other_org_qa")
    url = reverse("performance:indicator_detail", args=["referrals"])
    assert client.get(url, {"team": scenario.case.team_id}).status_code == 404
    assert client.get(url, {"service": scenario.case.service_id}).status_code == 404
    records = reverse("performance:indicator_records", args=["referrals"])
    assert client.get(records, {"team": scenario.case.team_id}).status_code == 404


@pytest.mark.parametrize(
    "query", [{"team": "x"}, {"service": "-1"}, {"month": "2026-13"}, {"month": "1999-01"}]
)
def test_bad_queries_never_give_a_500(client, scenario, today, query):
    _login(client, scenario, "qa")
    url = reverse("performance:indicator_detail", args=["referrals"])
    assert client.get(url, query).status_code in (200, 404)


def test_unknown_indicator_or_question_is_a_404(client, scenario, today):
    _login(client, scenario, "qa")
    assert client.get(reverse("performance:indicator_detail", args=["nope"])).status_code == 404
    assert client.get(reverse("performance:kpq_detail", args=[12])).status_code == 404


def test_records_behind_a_figure_are_the_childrens_own_and_scoped(client, scenario, today):
    _referrals(scenario.case, [1])
    # A family name nobody else on the page can have (a random one may be a worker's).
    other = CaseFactory(
        team=scenario.people["colleague"].team,
        allocated_worker=scenario.people["colleague"],
        child__family_name="Hiddenfield",
    )
    _referrals(other, [2])
    indicators_recompute(day=today)
    records = reverse("performance:indicator_records", args=["referrals"])
    _login(client, scenario, "qa")
    body = page_text(client.get(records, {"month": "2026-10"}))
    assert scenario.child.family_name in body
    assert other.child.family_name in body
    # The practitioner sees their own child and is told one more record is hidden.
    _login(client, scenario, "practitioner")
    body = page_text(client.get(records, {"month": "2026-10"}))
    assert scenario.child.family_name in body
    assert other.child.family_name not in body
    assert "1 more is in cases you cannot open" in body
    # Another organisation's reader sees nothing of organisation A.
    _login(client, scenario, "other_org_qa")
    body = page_text(client.get(records, {"month": "2026-10"}))
    assert scenario.child.family_name not in body
    assert other.child.family_name not in body


def test_narrative_saves_and_a_second_writer_gets_a_conflict(client, scenario, today):
    url = reverse("performance:kpq_detail", args=[5]) + "?month=2026-10"
    _login(client, scenario, "business_support")
    response = client.post(url, {"text": "Visits improved.", "revision": 0})
    assert response.status_code == 302
    narrative = KpqNarrative.objects.get(kpq=5, month=OCTOBER)
    assert narrative.text == "Visits improved."
    assert narrative.revision == 1
    # A second writer who opened the page before that save.
    _login(client, scenario, "qa")
    response = client.post(url, {"text": "Seen alone is down.", "revision": 0})
    assert response.status_code == 409
    body = page_text(response)
    assert "Visits improved." in body
    assert "Seen alone is down." in body
    assert KpqNarrative.objects.get(pk=narrative.pk).text == "Visits improved."


def test_readers_without_the_permission_cannot_write_the_narrative(client, scenario, today):
    _login(client, scenario, "practitioner")
    url = reverse("performance:kpq_detail", args=[5])
    assert "Save analysis" not in page_text(client.get(url))
    assert client.post(url, {"text": "x", "revision": 0}).status_code == 403


def test_setting_a_target_and_refusing_a_bad_one(client, scenario, today):
    _login(client, scenario, "business_support")
    url = reverse("performance:targets")
    bad = {
        "form": "target",
        "target-indicator": "re-referrals-12-months",
        "target-value": "150",
        "target-starts_on_0": "1",
        "target-starts_on_1": "4",
        "target-starts_on_2": "2026",
    }
    response = client.post(url, bad)
    assert response.status_code == 200
    assert "A percentage must be between 0 and 100" in page_text(response)
    assert not Target.objects.exists()
    response = client.post(url, {**bad, "target-value": "18", "target-starts_on_0": "15"})
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.value, target.starts_on) == (18.0, datetime.date(2026, 4, 1))


def _csv(text: str, name: str = "benchmarks.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_benchmark_file_is_imported_whole_or_not_at_all(client, scenario, today):
    _login(client, scenario, "business_support")
    url = reverse("performance:targets")
    header = "indicator,kind,period,value,source\n"
    good = "re-referrals-12-months,england,2024-25,22.4,DfE\n"
    bad = "no-such-indicator,england,2024-25,1,DfE\nicpc-15-days,mars,2024,1,x\n"
    response = client.post(url, {"form": "file", "file-file": _csv(header + good + bad)})
    body = page_text(response)
    assert response.status_code == 200
    assert "Row 3, indicator" in body
    assert "Row 4, kind" in body
    assert not Benchmark.objects.exists()
    response = client.post(url, {"form": "file", "file-file": _csv(header + good)})
    assert response.status_code == 302
    assert Benchmark.objects.get().value == 22.4
    # The same file again changes nothing.
    client.post(url, {"form": "file", "file-file": _csv(header + good)})
    assert Benchmark.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00b\x00a\x00d", "saved as UTF-8"),
        (b"name,value\nx,1\n", "The first row must be"),
        (b"indicator,kind,period,value,source\n", "no rows under its header"),
    ],
)
def test_bad_benchmark_files_get_a_clear_message(client, scenario, today, content, message):
    _login(client, scenario, "business_support")
    upload = SimpleUploadedFile("b.csv", content, content_type="text/csv")
    response = client.post(reverse("performance:targets"), {"form": "file", "file-file": upload})
    assert message in page_text(response)
    assert not Benchmark.objects.exists()


def test_benchmarks_show_on_the_indicator_page(client, scenario, today):
    Benchmark.objects.create(
        organisation=scenario.case.organisation,
        indicator="re-referrals-12-months",
        kind="neighbours",
        period="2024-25",
        value=21.0,
        source="LAIT",
    )
    _login(client, scenario, "team_manager")
    body = client.get(
        reverse("performance:indicator_detail", args=["re-referrals-12-months"])
    ).content.decode()
    assert "Statistical neighbours" in body
    assert "21.0%" in body
    assert "LAIT" in body


def test_alert_rules_are_added_stopped_and_proposals_dismissed(client, scenario, today):
    _login(client, scenario, "qa")
    url = reverse("performance:proposals")
    response = client.post(url, {"indicator": "icpc-15-days"})
    assert "Enter a threshold, a number of months, or both" in page_text(response)
    response = client.post(url, {"indicator": "icpc-15-days", "worsening_months": "3"})
    assert response.status_code == 302
    rule = AlertRule.objects.get(indicator="icpc-15-days")
    client.post(reverse("performance:rule_stop", args=[rule.pk]))
    assert not AlertRule.objects.get(pk=rule.pk).active
    client.post(reverse("performance:proposal_dismiss", args=[scenario.proposal.pk]))
    assert FocusedAuditProposal.objects.get(pk=scenario.proposal.pk).status == "dismissed"


def test_business_support_cannot_add_alert_rules(client, scenario, today):
    _login(client, scenario, "business_support")
    response = client.post(
        reverse("performance:proposals"), {"indicator": "icpc-15-days", "threshold": "50"}
    )
    assert response.status_code == 403


def _many_cases(scenario, n: int) -> None:
    for i in range(n):
        case = CaseFactory(
            team=scenario.case.team, allocated_worker=scenario.people["practitioner"]
        )
        _referrals(case, [1 + i % 28])
        _visits(case, 2, seen_alone=bool(i % 2))


@pytest.mark.parametrize("n", [2, 60])
def test_pages_run_a_bounded_number_of_queries(
    client, scenario, today, n, django_assert_max_num_queries
):
    _many_cases(scenario, n)
    indicators_recompute(day=today)
    _login(client, scenario, "qa")
    pages = [
        (reverse("performance:indicator_list"), {}),
        (
            reverse("performance:indicator_detail", args=["children-seen-alone"]),
            {"month": "2026-10"},
        ),
        (
            reverse("performance:indicator_detail", args=["children-seen-alone"]),
            {"month": "2026-10", "service": scenario.case.service_id},
        ),
        (
            reverse("performance:indicator_records", args=["children-seen-alone"]),
            {"month": "2026-10"},
        ),
        (reverse("performance:kpq_detail", args=[5]), {"month": "2026-10"}),
        (reverse("performance:targets"), {}),
        (reverse("performance:proposals"), {}),
    ]
    for url, query in pages:
        with django_assert_max_num_queries(20):
            assert client.get(url, query).status_code == 200
