"""The home page: every figure is a link to the list behind it, and that list shows the
same number; QA see the audits waiting for moderation; business support see the
data-quality page's own counts and a way to the imports."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit, AuditType, Grade
from audits.selectors import audit_work_summary, moderation_queue
from cases.models import Case, JourneyEvent
from performance.models import DataQualityIssue
from performance.services.quality import data_quality_run
from tests.factories import CaseFactory, ChildFactory, JourneyEventFactory

pytestmark = pytest.mark.django_db

# A link whose text starts with a number: a figure on the page and where it leads.
FIGURE = re.compile(
    r'<a class="govuk-link[^"]*" href="(?P<href>[^"#]+)">\s*'
    r'(?:<span class="app-figure__number">)?(?P<number>[\d,]+)\b'
)
MANAGER_FIGURES = {"?status=open", "?status=open&unallocated=true", "?visit=overdue", "?visit=due"}


def _login(client, scenario, key: str):
    client.force_login(scenario.people[key].user)
    return scenario.people[key]


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _caseload(scenario) -> None:
    """Open cases with visits overdue, due soon and not due, one with no worker, and a
    closed case, in the practitioner's team."""
    team, worker = scenario.case.team, scenario.people["practitioner"]
    for last_visit in (90, 60, 38, 5):
        case = CaseFactory(team=team, allocated_worker=worker)
        on = _days_ago(last_visit)
        JourneyEventFactory(case=case, occurred_on=on, recorded_on=on)
    CaseFactory(team=team, allocated_worker=None, opened_on=_days_ago(3))
    CaseFactory(
        team=team, allocated_worker=worker, status=Case.Status.CLOSED, closed_on=_days_ago(1)
    )


def _figures(body: str) -> dict[str, int]:
    return {
        html.unescape(match["href"]): int(match["number"].replace(",", ""))
        for match in FIGURE.finditer(body)
    }


def _listed(client, href: str) -> int:
    response = client.get(href)
    assert response.status_code == 200, href
    return response.context["page_obj"].paginator.count


@pytest.mark.parametrize(
    "role", ["team_manager", "service_manager", "qa", "senior_leader", "business_support"]
)
def test_every_figure_on_the_home_page_links_to_a_list_that_shows_the_same_number(
    client, scenario, role
):
    _caseload(scenario)
    data_quality_run(day=timezone.localdate())
    _login(client, scenario, role)
    figures = _figures(client.get(reverse("home")).content.decode())
    case_list = reverse("cases:case_list")
    assert {case_list + query for query in MANAGER_FIGURES} <= set(figures)
    for href, number in figures.items():
        assert _listed(client, href) == number, href


def test_the_practitioners_figures_link_to_their_own_cases(client, scenario):
    _caseload(scenario)
    _login(client, scenario, "practitioner")
    body = client.get(reverse("home")).content.decode()
    figures = _figures(body)
    assert reverse("cases:case_list") + "?visit=due" in figures
    assert re.search(r'href="/cases/\?status=open">All \d+ of my open cases', body)
    for href, number in figures.items():
        assert _listed(client, href) == number, href


def test_the_overdue_visit_filter_lists_the_cases_whose_visit_is_late(client, scenario):
    _caseload(scenario)
    _login(client, scenario, "team_manager")
    response = client.get(reverse("cases:case_list"), {"visit": "overdue"})
    overdue = {case.pk for case in response.context["page_obj"]}
    work = client.get(reverse("home")).context["work"]
    assert overdue == {case.pk for case in work["visits_due"] if case.visit_overdue}
    assert len(overdue) == work["visits_overdue_count"] == 2


def test_the_home_pages_audit_counts_link_to_their_lists(client, scenario):
    _login(client, scenario, "team_manager")
    body = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("audits:my_audits")}#to-complete">1 audit to complete</a>' in body


# Business support: the data-quality page's counts, and the imports.


def _records_to_follow_up(scenario) -> None:
    """Visits and children that look incomplete to a simple count but break no rule: a
    visit where the child was not seen (so "seen alone" does not apply), a visit older
    than the rules look back, and a child with no ethnicity whose cases are all closed;
    and one of each that does break its rule."""
    case = scenario.case
    JourneyEventFactory(case=case, seen=False, seen_alone=None)
    long_ago = _days_ago(200)
    JourneyEventFactory(case=case, seen=None, seen_alone=None, occurred_on=long_ago)
    JourneyEventFactory(case=case, seen=True, seen_alone=None)
    gone = ChildFactory(organisation=case.organisation, ethnicity="")
    CaseFactory(team=case.team, child=gone, status=Case.Status.CLOSED, closed_on=_days_ago(1))
    here = ChildFactory(organisation=case.organisation, ethnicity="")
    CaseFactory(team=case.team, child=here)


def test_business_support_counts_what_the_data_quality_page_counts(client, scenario):
    _records_to_follow_up(scenario)
    data_quality_run(day=timezone.localdate())
    _login(client, scenario, "business_support")
    # The figures come from performance's card on the home page (performance/home.py).
    work = client.get(reverse("home")).context["follow_up"]
    counts = {row["rule__name"]: row for row in work["quality"]}
    visits = counts["Visit without seen or seen alone"]
    ethnicity = counts["Child's ethnicity not recorded"]
    assert (visits["count"], ethnicity["count"]) == (1, 1)
    dashboard = reverse("performance:quality_dashboard")
    assert _listed(client, f"{dashboard}?rule={visits['rule_id']}") == 1
    assert _listed(client, f"{dashboard}?rule={ethnicity['rule_id']}") == 1
    open_issues = DataQualityIssue.objects.filter(status__in=DataQualityIssue.ACTIVE_STATUSES)
    assert work["quality_total"] == open_issues.count() == _listed(client, dashboard)
    # The simple counts the home page used to show were larger than the page's.
    visits_missing = JourneyEvent.objects.filter(kind="visit", seen_alone__isnull=True).count()
    assert visits_missing == 3


def test_business_support_home_page_links_to_the_imports(client, scenario):
    _login(client, scenario, "business_support")
    body = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("performance:import_list")}">Import case data</a>' in body
    assert scenario.import_run.get_absolute_url() in body


# QA: the moderation queue.


def _submitted(scenario, days_ago: int, **fields) -> Audit:
    values = {
        "organisation": scenario.case.organisation,
        "case": scenario.case,
        "tool": scenario.tool,
        "auditor": scenario.people["team_manager"],
        "practitioner": scenario.people["practitioner"],
        "line_manager": scenario.people["team_manager"],
        "due_on": _days_ago(days_ago),
        "audit_type": AuditType.REGULAR,
        "status": Audit.Status.SUBMITTED,
        "overall_grade": Grade.GOOD,
        "submitted_at": timezone.now() - datetime.timedelta(days=days_ago),
    }
    return Audit.objects.create(**{**values, **fields})


def test_the_qa_home_page_lists_the_audits_waiting_for_moderation_longest_first(client, scenario):
    newer = _submitted(scenario, 2)
    older = _submitted(scenario, 9)
    _submitted(scenario, 20, status=Audit.Status.MODERATED, moderated_grade=Grade.GOOD)
    _login(client, scenario, "qa")
    response = client.get(reverse("home"))
    queue = response.context["audit_work"]["moderation"]
    assert queue["count"] == 2
    assert [audit.pk for audit in queue["audits"]] == [older.pk, newer.pk]
    body = response.content.decode()
    assert "Audits waiting for moderation" in body
    assert older.get_absolute_url() in body
    href = reverse("audits:audit_list") + "?status=submitted&sort=submitted"
    assert _figures(body)[href] == 2 == _listed(client, href)


def test_the_qa_services_moderation_count_comes_with_its_own_audit_counts(
    scenario, django_assert_num_queries
):
    for days_ago in (2, 9, 15):
        _submitted(scenario, days_ago)
    _submitted(scenario, 20, status=Audit.Status.MODERATED, moderated_grade=Grade.GOOD)
    qa = scenario.people["qa"].user
    # The counts with the moderation count, the open actions, the queue's rows.
    with django_assert_num_queries(3):
        summary = audit_work_summary(user=qa)
    assert summary["moderation"]["count"] == 3 == moderation_queue(user=qa).count()
    assert len(summary["moderation"]["audits"]) == 3
    assert "awaiting_moderation" not in summary["counts"]


def test_the_moderation_queue_is_the_qa_services_own_organisations(client, scenario):
    other = scenario.people["other_org_qa"]
    _submitted(scenario, 3)
    client.force_login(other.user)
    assert client.get(reverse("home")).context["audit_work"]["moderation"]["count"] == 0


def test_only_the_qa_service_has_a_moderation_queue(client, scenario):
    _submitted(scenario, 3)
    _login(client, scenario, "team_manager")
    response = client.get(reverse("home"))
    assert "moderation" not in response.context["audit_work"]
    assert "waiting for moderation" not in response.content.decode()


@pytest.mark.parametrize("role", ["business_support", "qa"])
def test_the_home_page_runs_a_bounded_number_of_queries(
    client, scenario, role, django_assert_max_num_queries
):
    _caseload(scenario)
    for _ in range(30):
        _records_to_follow_up(scenario)
        _submitted(scenario, 4)
    data_quality_run(day=timezone.localdate())
    _login(client, scenario, role)
    # 19, and one each for the feedback card, the panel feedback card and the complaints
    # card (customer care's responses due soon; its rows carry their total), and business
    # support's data-quality rules read by name after their counts.
    with django_assert_max_num_queries(23):
        assert client.get(reverse("home")).status_code == 200
