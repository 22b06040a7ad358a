"""The data-quality pages: who sees which issues, the dashboard's figures and filters, the
issue page's follow-up forms (errors, success, conflicts) and bounded queries."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import Notification
from performance.models import DataQualityIssue, DataQualityNote
from performance.services.quality import data_quality_rules_sync, issue_resolve
from tests.factories import (
    AdopterCaseFactory,
    CaseFactory,
    DataQualityIssueFactory,
    DataQualityNoteFactory,
    StaffMemberFactory,
)
from tests.pages import page_text

pytestmark = pytest.mark.django_db

Status = DataQualityIssue.Status
DASHBOARD = reverse("performance:quality_dashboard")


def _login(client, scenario, key):
    client.force_login(scenario.people[key].user)


def _url(issue: DataQualityIssue, action: str = "") -> str:
    if not action:
        return issue.get_absolute_url()
    return reverse(f"performance:quality_issue_{action}", kwargs={"issue_pk": issue.pk})


def _listed(response) -> set[int]:
    return {issue.pk for issue in response.context["page_obj"].object_list}


@pytest.fixture
def issues(scenario):
    """Besides the scenario's issue (child's case, team T1, practitioner's): one on an
    unallocated case of T1, one on team T2 and one in organisation B."""
    t1 = scenario.case.team
    t2 = scenario.people["other_team_manager"].team
    tb = scenario.people["other_org_manager"].team
    return {
        "mine": scenario.dq_issue,
        "t1_unallocated": DataQualityIssueFactory(case=CaseFactory(team=t1)),
        "t2": DataQualityIssueFactory(case=CaseFactory(team=t2)),
        "other_org": DataQualityIssueFactory(case=CaseFactory(team=tb)),
    }


@pytest.mark.parametrize(
    ("person", "sees"),
    [
        ("business_support", {"mine", "t1_unallocated", "t2"}),
        ("qa", {"mine", "t1_unallocated", "t2"}),
        ("senior_leader", {"mine", "t1_unallocated", "t2"}),
        ("service_manager", {"mine", "t1_unallocated", "t2"}),
        ("team_manager", {"mine", "t1_unallocated"}),
        ("other_team_manager", {"t2"}),
        ("practitioner", {"mine"}),
        ("colleague", set()),
        ("other_org_qa", {"other_org"}),
        ("other_org_manager", {"other_org"}),
    ],
)
def test_each_person_sees_the_issues_on_the_cases_they_can_see(
    client, scenario, issues, person, sees
):
    _login(client, scenario, person)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert _listed(response) == {issues[key].pk for key in sees}
    # The list's count is the figures' total: the same open and chased issues.
    assert response.context["page_obj"].paginator.count == len(sees)
    assert response.context["open_total"] == len(sees)


@pytest.mark.parametrize("person", ["regional_lead", "cp_practitioner"])
def test_people_outside_the_issue_see_it_nowhere(client, scenario, issues, person):
    _login(client, scenario, person)
    response = client.get(DASHBOARD)
    if response.status_code == 200:
        assert not _listed(response)
        assert scenario.child.reference not in page_text(response)
    else:
        assert response.status_code == 403
    assert client.get(_url(issues["mine"])).status_code in (403, 404)


def test_the_regional_lead_and_reviewers_have_no_data_quality_page(client, scenario):
    _login(client, scenario, "regional_lead")
    assert client.get(DASHBOARD).status_code == 403


def test_another_organisation_cannot_open_or_act_on_an_issue(client, scenario):
    issue = scenario.dq_issue
    _login(client, scenario, "other_org_qa")
    assert client.get(_url(issue)).status_code == 404
    for action in ("note", "chase", "resolve", "wont_fix"):
        response = client.post(
            _url(issue, action), {f"{action}-text": "x", f"{action}-revision": 0}
        )
        assert response.status_code == 404, action
    assert not issue.notes.exists()


@pytest.mark.parametrize("person", ["practitioner", "team_manager", "senior_leader"])
def test_readers_cannot_follow_up(client, scenario, person):
    issue = scenario.dq_issue
    _login(client, scenario, person)
    page = client.get(_url(issue))
    assert page.status_code == 200
    assert not page.context["forms"]
    response = client.post(_url(issue, "resolve"), {"resolve-revision": 0})
    assert response.status_code == 403
    issue.refresh_from_db()
    assert issue.status == Status.OPEN


def test_the_dashboard_counts_open_issues_by_team_and_rule(client, scenario, issues):
    DataQualityIssueFactory(
        case=scenario.case, rule=issues["t2"].rule, key="event:1", status=Status.CHASED
    )
    DataQualityIssueFactory(
        case=scenario.case,
        rule=issues["t2"].rule,
        key="event:2",
        status=Status.FIXED,
        closed_on=timezone.localdate(),
    )
    _login(client, scenario, "business_support")
    response = client.get(DASHBOARD)
    by_team = {
        row["team__name"]: (row["count"], row["chased"]) for row in response.context["by_team"]
    }
    assert by_team == {"T1": (3, 1), "T2": (1, 0)}
    by_rule = {row["rule__name"]: row["count"] for row in response.context["by_rule"]}
    assert by_rule[issues["t2"].rule.name] == 2
    assert response.context["open_total"] == 4
    body = page_text(response)
    assert 'id="table-team"' in body
    assert 'id="table-rule"' in body
    assert "app-bar-chart" in body
    assert 'id="table-trend"' in body
    assert "Data quality" in body
    assert 'aria-current="page"' in body


@pytest.fixture
def mid_november():
    """A fixed day, set before the scenario's issue is raised (five days earlier): on the
    first five days of a month that issue would fall in the month before."""
    moment = datetime.datetime(2026, 11, 18, 10, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        yield moment.date()


def test_the_trend_counts_issues_open_at_each_month_end(mid_november, client, scenario):
    today = timezone.localdate()
    assert today == mid_november
    last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
    DataQualityIssueFactory(case=scenario.case, key="a", raised_on=last_month_end)
    DataQualityIssueFactory(
        case=scenario.case,
        key="b",
        raised_on=last_month_end - datetime.timedelta(days=40),
        status=Status.RESOLVED,
        closed_on=last_month_end,
    )
    _login(client, scenario, "qa")
    trend = client.get(DASHBOARD).context["trend"]
    assert len(trend) == 6
    assert trend[-1].on == today
    assert trend[-1].count == 2  # the scenario's issue and "a"
    assert trend[-2].on == last_month_end
    assert trend[-2].count == 1  # "a"; "b" closed that day
    assert trend[-3].count == 1  # "b"


def test_the_list_is_oldest_first(client, scenario):
    newest = scenario.dq_issue
    older = DataQualityIssueFactory(
        case=scenario.case, key="x", raised_on=newest.raised_on - datetime.timedelta(days=3)
    )
    _login(client, scenario, "business_support")
    listed = list(client.get(DASHBOARD).context["page_obj"].object_list)
    assert listed == [older, newest]


def test_filters_by_rule_team_status_and_mine(client, scenario, issues):
    resolved = DataQualityIssueFactory(
        case=scenario.case, key="r", status=Status.RESOLVED, closed_on=timezone.localdate()
    )
    _login(client, scenario, "business_support")
    t2 = issues["t2"]
    assert _listed(client.get(DASHBOARD, {"rule": t2.rule_id})) == {t2.pk}
    assert _listed(client.get(DASHBOARD, {"team": t2.team_id})) == {t2.pk}
    assert _listed(client.get(DASHBOARD, {"status": "resolved"})) == {resolved.pk}
    assert resolved.pk in _listed(client.get(DASHBOARD, {"status": "all"}))
    assert resolved.pk not in _listed(client.get(DASHBOARD))
    _login(client, scenario, "practitioner")
    assert _listed(client.get(DASHBOARD, {"mine": "on"})) == {issues["mine"].pk}


def test_sorting_by_team(client, scenario, issues):
    _login(client, scenario, "qa")
    listed = list(client.get(DASHBOARD, {"sort": "-team"}).context["page_obj"].object_list)
    assert listed[0] == issues["t2"]


@pytest.mark.parametrize(
    "params",
    [
        {"rule": "x"},
        {"team": "1 OR 1=1"},
        {"status": "maybe"},
        {"sort": "password"},
        {"page": "-1"},
        {"mine": "perhaps"},
        {"team": "9" * 30},
    ],
)
def test_bad_filters_are_explained_not_a_500(client, scenario, issues, params):
    _login(client, scenario, "business_support")
    response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    if set(params) - {"page", "mine"}:
        assert "govuk-error-summary" in page_text(response)


def test_the_issue_page_shows_the_record_and_how_to_fix_it(client, scenario):
    issue = scenario.dq_issue
    DataQualityNoteFactory(issue=issue, author=scenario.people["business_support"], text="Rang")
    _login(client, scenario, "business_support")
    response = client.get(_url(issue))
    body = page_text(response)
    assert response.status_code == 200
    assert scenario.child.get_absolute_url() in body
    assert issue.rule.how_to_fix in body
    assert "moj-timeline" in body
    assert "Rang" in body
    assert set(response.context["forms"]) == {"note", "chase", "resolve", "wont_fix"}
    assert response.context["chase_recipient"] == scenario.people["practitioner"]


def test_add_a_note_then_redirect_with_a_success_message(client, scenario):
    issue = scenario.dq_issue
    _login(client, scenario, "business_support")
    response = client.post(_url(issue, "note"), {"note-text": "Left a voicemail"}, follow=True)
    assert response.redirect_chain == [(_url(issue), 302)]
    assert "Note added" in page_text(response)
    assert issue.notes.get().text == "Left a voicemail"


def test_chase_then_resolve_through_the_pages(client, scenario):
    issue = scenario.dq_issue
    _login(client, scenario, "business_support")
    response = client.post(
        _url(issue, "chase"), {"chase-revision": 0, "chase-text": ""}, follow=True
    )
    assert "Reminder sent to" in page_text(response)
    assert Notification.objects.get().recipient == scenario.people["practitioner"]
    issue.refresh_from_db()
    response = client.post(
        _url(issue, "resolve"),
        {"resolve-revision": issue.revision, "resolve-text": "Recorded now"},
        follow=True,
    )
    assert "Issue marked resolved" in page_text(response)
    issue.refresh_from_db()
    assert issue.status == Status.RESOLVED
    assert response.context["forms"].keys() == {"note"}


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("note", {"note-text": ""}, "Enter a note"),
        ("note", {"note-text": "x" * 2001}, "A note must be 2000 characters or fewer"),
        (
            "wont_fix",
            {"wont_fix-text": "  ", "wont_fix-revision": 0},
            "Enter why it will not be fixed",
        ),
        ("resolve", {"resolve-revision": "abc"}, "Enter a whole number"),
    ],
)
def test_bad_input_shows_the_error_summary(client, scenario, action, data, message):
    _login(client, scenario, "business_support")
    response = client.post(_url(scenario.dq_issue, action), data)
    assert response.status_code == 400
    body = page_text(response)
    assert "govuk-error-summary" in body
    assert message in body
    assert f'href="#id_{action}-text"' in body
    assert "<title>Error:" in body


def test_a_post_by_someone_who_opened_a_stale_page_gets_a_conflict(client, scenario):
    issue = scenario.dq_issue
    opened_at = issue.revision
    other = StaffMemberFactory(
        team=None, service=None, organisation=issue.organisation, business_support=True
    )
    issue_resolve(issue=issue, by=other, base_revision=opened_at, text="Done")
    _login(client, scenario, "business_support")
    response = client.post(
        _url(issue, "wont_fix"),
        {"wont_fix-revision": opened_at, "wont_fix-text": "Family refused to say"},
    )
    assert response.status_code == 409
    body = page_text(response)
    assert f"{other.display_name} marked this issue resolved" in body
    # The issue is closed now, so the text waits in the note box, linked from the summary.
    assert response.context["forms"].keys() == {"note"}
    assert "Family refused to say" in body
    assert 'href="#id_note-text"' in body
    issue.refresh_from_db()
    assert (issue.status, issue.closed_by) == (Status.RESOLVED, other)


def test_after_a_conflict_on_an_open_issue_submitting_again_works(client, scenario):
    issue = scenario.dq_issue
    _login(client, scenario, "business_support")
    client.post(_url(issue, "chase"), {"chase-revision": 0})
    response = client.post(_url(issue, "resolve"), {"resolve-revision": 0, "resolve-text": "Fixed"})
    assert response.status_code == 409
    form = response.context["forms"]["resolve"]
    assert form["revision"].value() == "1"
    assert form["text"].value() == "Fixed"
    again = client.post(_url(issue, "resolve"), {"resolve-revision": 1, "resolve-text": "Fixed"})
    assert again.status_code == 302


def _many_issues(scenario, count: int) -> None:
    """Issues of children and (every fifth) of adopter households, assigned to one of
    four workers or (every seventh) to nobody."""
    team = scenario.case.team
    rules = [DataQualityIssueFactory.build().rule for _ in range(3)]
    for rule in rules:
        rule.save()
    workers = [StaffMemberFactory(team=team) for _ in range(4)]
    for n in range(count):
        worker = None if n % 7 == 0 else workers[n % 4]
        if n % 5 == 0:
            case = AdopterCaseFactory(team=team, allocated_worker=worker)
            key = f"adopter:{case.adopter_id}"
        else:
            case = CaseFactory(team=team, allocated_worker=worker)
            key = f"child:{case.child_id}"
        DataQualityIssueFactory(case=case, rule=rules[n % 3], key=key)


@pytest.mark.parametrize("count", [10, 200])
@pytest.mark.parametrize(
    "query",
    [{"sort": "assigned", "status": "all"}, {}, {"page": "2"}],
    ids=["filtered", "as-it-opens", "as-it-opens-page-2"],
)
def test_the_dashboard_runs_a_bounded_number_of_queries(
    client, scenario, count, query, django_assert_max_num_queries
):
    """A column a row of the list shows that the list's query leaves out would cost a
    query per row."""
    data_quality_rules_sync()
    _many_issues(scenario, count)
    _login(client, scenario, "business_support")
    # The counts by rule and by team each read their names in a query of their own.
    with django_assert_max_num_queries(18):
        response = client.get(DASHBOARD, query)
    page = response.context["page_obj"]
    assert page.paginator.count == count + 1
    assert len(page.object_list) == min(page.paginator.count, 25)


@pytest.mark.parametrize("count", [10, 200])
def test_the_issue_page_runs_a_bounded_number_of_queries(
    client, scenario, count, django_assert_max_num_queries
):
    issue = scenario.dq_issue
    people = [
        StaffMemberFactory(
            team=None, service=None, organisation=issue.organisation, business_support=True
        )
        for _ in range(3)
    ]
    for n in range(count):
        DataQualityNoteFactory(
            issue=issue, author=people[n % 3] if n % 4 else None, kind=DataQualityNote.Kind.NOTE
        )
    _login(client, scenario, "business_support")
    with django_assert_max_num_queries(14):
        assert client.get(_url(issue)).status_code == 200


def test_an_issue_with_nobody_to_chase_says_so(client, scenario):
    issue = DataQualityIssueFactory(
        case=CaseFactory(team=scenario.people["other_team_manager"].team, allocated_worker=None)
    )
    _login(client, scenario, "business_support")
    response = client.get(_url(issue))
    assert response.context["chase_recipient"] == scenario.people["other_team_manager"]
    # Move the manager away: now nobody is left to chase.
    issue.case.team.members.filter(role="team_manager").update(team=scenario.case.team)
    response = client.get(_url(issue))
    assert "chase" not in response.context["forms"]
    assert "There is nobody to chase" in page_text(response)
    refused = client.post(_url(issue, "chase"), {"chase-revision": 0})
    assert refused.status_code == 400
    assert "There is nobody to chase" in page_text(refused)


# The panel on the child's record


def test_the_childs_record_lists_its_open_issues(client, scenario):
    issue = scenario.dq_issue
    closed = DataQualityIssueFactory(case=scenario.case, key="case:closed")
    issue_resolve(issue=closed, by=scenario.people["business_support"], base_revision=0)
    _login(client, scenario, "practitioner")

    page = client.get(scenario.child.get_absolute_url()).content.decode()

    assert 'id="data-quality"' in page
    assert issue.get_absolute_url() in page
    assert closed.get_absolute_url() not in page


@pytest.mark.parametrize("person", ["regional_lead", "colleague"])
def test_the_panel_is_not_shown_to_those_who_do_not_read_issues(client, scenario, person):
    """The regional lead has no data-quality pages; a colleague on another caseload may
    not see the issue (or, here, the record at all)."""
    _login(client, scenario, person)
    response = client.get(scenario.child.get_absolute_url())
    assert scenario.dq_issue.get_absolute_url() not in page_text(response)


def test_a_record_with_nothing_to_put_right_has_no_panel(client, scenario):
    scenario.dq_issue.delete()
    _login(client, scenario, "practitioner")
    assert 'id="data-quality"' not in client.get(scenario.child.get_absolute_url()).content.decode()
