import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLog
from tests.factories import (
    AdopterFactory,
    CaseFactory,
    ChildFactory,
    JourneyEventFactory,
    StaffMemberFactory,
    TeamFactory,
)
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def _login(client, scenario, key):
    client.force_login(scenario.people[key].user)


def test_the_case_list_shows_the_teams_cases(client, scenario):
    _login(client, scenario, "team_manager")
    response = client.get(reverse("cases:case_list"))
    assert response.status_code == 200
    assert scenario.child.reference in response.content.decode()


def test_the_case_list_filters_by_team(client, scenario):
    _login(client, scenario, "qa")
    other_team = scenario.adopter_case.team
    response = client.get(reverse("cases:case_list"), {"team": other_team.pk})
    body = response.content.decode()
    assert scenario.adopter.reference in body
    assert scenario.child.reference not in body


def test_unallocated_cases_are_listed_unless_the_box_asks_for_them_only(client, scenario):
    unallocated = CaseFactory(team=scenario.case.team, allocated_worker=None)
    _login(client, scenario, "team_manager")
    url = reverse("cases:case_list")
    everything = client.get(url, {"page": "1"}).context["page_obj"].object_list
    assert unallocated in everything
    assert scenario.case in everything
    only = client.get(url, {"unallocated": "on"}).context["page_obj"].object_list
    assert list(only) == [unallocated]


def test_the_case_list_searches_by_reference(client, scenario):
    _login(client, scenario, "qa")
    response = client.get(reverse("cases:case_list"), {"q": scenario.child.reference})
    assert response.context["page_obj"].paginator.count == 1


def test_the_case_list_sorts_by_a_column(client, scenario):
    _login(client, scenario, "qa")
    response = client.get(reverse("cases:case_list"), {"sort": "-opened_on"})
    assert response.context["current_sort"] == "-opened_on"


def test_the_case_list_sorts_children_and_adopters_by_name_and_by_worker(client, scenario):
    team = scenario.case.team
    organisation = team.organisation
    worker_b = StaffMemberFactory(team=team, user__last_name="Bell")
    worker_a = StaffMemberFactory(team=team, user__last_name="Abbas")
    cases = [
        CaseFactory(team=team, child__family_name="Young", allocated_worker=worker_a),
        CaseFactory(
            team=team,
            child=None,
            adopter=AdopterFactory(organisation=organisation, household_name="Morris"),
            allocated_worker=worker_b,
        ),
        CaseFactory(team=team, child__family_name="Adeyemi", child__given_name="Zara"),
        CaseFactory(team=team, child__family_name="Adeyemi", child__given_name="Amal"),
    ]
    _login(client, scenario, "qa")
    url = reverse("cases:case_list")

    def listed(sort):
        page = client.get(url, {"team": team.pk, "sort": sort}).context["page_obj"]
        return [c for c in page.object_list if c in cases]

    assert listed("subject") == [cases[3], cases[2], cases[1], cases[0]]
    assert listed("-subject") == [cases[0], cases[1], cases[2], cases[3]]
    by_worker = listed("worker")
    assert by_worker.index(cases[0]) < by_worker.index(cases[1])
    assert listed("-worker").index(cases[1]) < listed("-worker").index(cases[0])


def test_the_case_list_counts_its_cases_from_the_case_table_alone(client, scenario):
    """The count behind the pages needs no join to names, even when sorted by one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _login(client, scenario, "qa")
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("cases:case_list"), {"sort": "subject"})
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    assert counts
    assert all("JOIN" not in sql for sql in counts)


def test_a_nonsense_filter_value_is_reported_and_the_rest_still_apply(client, scenario):
    _login(client, scenario, "qa")
    response = client.get(reverse("cases:case_list"), {"team": "banana", "status": "open"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Select a team from the list" in body
    assert "govuk-error-summary" in body


def test_a_team_from_another_organisation_is_not_a_valid_filter(client, scenario):
    _login(client, scenario, "qa")
    foreign_team = scenario.people["other_org_manager"].team
    response = client.get(reverse("cases:case_list"), {"team": foreign_team.pk})
    assert "Select a team from the list" in response.content.decode()


def test_htmx_requests_get_only_the_results(client, scenario):
    _login(client, scenario, "qa")
    response = client.get(reverse("cases:case_list"), {"team": "banana"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert scenario.child.reference in body
    # The parts outside the results are refreshed out of band, so none go stale.
    assert 'id="filter-errors" hx-swap-oob="innerHTML"' in body
    assert "Select a team from the list" in body
    assert 'id="selected-filters" hx-swap-oob="innerHTML"' in body
    assert 'id="case-count" hx-swap-oob="innerHTML"' in body


def test_the_regional_lead_cannot_open_the_case_list(client, scenario):
    _login(client, scenario, "regional_lead")
    assert client.get(reverse("cases:case_list")).status_code == 403


def test_opening_a_childs_record_writes_the_access_log(client, scenario):
    _login(client, scenario, "team_manager")
    client.get(scenario.child.get_absolute_url())
    entry = AccessLog.objects.get()
    assert entry.user == scenario.people["team_manager"].user
    assert list(entry.children.all()) == [scenario.child]
    assert entry.action == AccessLog.Action.VIEWED
    assert entry.organisation == scenario.child.organisation


def test_a_refused_record_writes_no_access_log(client, scenario):
    _login(client, scenario, "other_team_manager")
    assert client.get(scenario.child.get_absolute_url()).status_code == 404
    assert not AccessLog.objects.exists()


def test_the_child_record_shows_the_journey_and_flags_late_recording(client, scenario):
    occurred = datetime.date(2026, 3, 2)  # a Monday
    JourneyEventFactory(
        case=scenario.case,
        kind="review",
        occurred_on=occurred,
        recorded_on=occurred + datetime.timedelta(days=7),
    )
    JourneyEventFactory(
        case=scenario.case, occurred_on=occurred, recorded_on=occurred, seen=True, seen_alone=False
    )
    _login(client, scenario, "practitioner")
    body = client.get(scenario.child.get_absolute_url()).content.decode()
    assert "moj-timeline" in body
    assert "Recorded late" in body
    assert "Not seen alone" in body


def test_recorded_two_working_days_later_over_a_weekend_is_not_late(client, scenario):
    friday = datetime.date(2026, 3, 6)
    JourneyEventFactory(
        case=scenario.case,
        kind="review",
        occurred_on=friday,
        recorded_on=friday + datetime.timedelta(days=4),
    )  # Tuesday
    _login(client, scenario, "practitioner")
    assert "Recorded late" not in client.get(scenario.child.get_absolute_url()).content.decode()


def test_the_access_log_page_lists_views_for_qa(client, scenario):
    _login(client, scenario, "practitioner")
    client.get(scenario.child.get_absolute_url())
    _login(client, scenario, "qa")
    response = client.get(reverse("cases:access_log"), {"reference": scenario.child.reference})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 1


def test_the_access_log_page_is_refused_to_practitioners(client, scenario):
    _login(client, scenario, "practitioner")
    assert client.get(reverse("cases:access_log")).status_code == 403


def test_a_record_that_does_not_exist_is_a_404(client, scenario):
    _login(client, scenario, "qa")
    assert client.get(reverse("cases:child_detail", kwargs={"child_pk": 999999})).status_code == 404
    assert client.get("/children/not-a-number/").status_code == 404


@pytest.mark.parametrize(
    "role",
    [
        "practitioner",
        "team_manager",
        "service_manager",
        "qa",
        "senior_leader",
        "business_support",
        "regional_lead",
    ],
)
def test_every_role_has_a_home_page(client, scenario, role):
    _login(client, scenario, role)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "My work" in response.content.decode()


def test_the_practitioner_home_page_lists_their_visits_due(client, scenario):
    long_ago = timezone.localdate() - datetime.timedelta(days=60)
    JourneyEventFactory(case=scenario.case, occurred_on=long_ago, recorded_on=long_ago)
    scenario.event.delete()
    _login(client, scenario, "practitioner")
    work = client.get(reverse("home")).context["work"]
    assert [c.pk for c in work["visits_due"]] == [scenario.case.pk]
    assert work["visits_due"][0].visit_overdue


def test_the_regional_home_page_counts_each_organisation(client, scenario):
    _login(client, scenario, "regional_lead")
    rows = {r["name"]: r for r in client.get(reverse("home")).context["work"]["organisations"]}
    assert rows["Council A"]["open_child_cases"] == 1
    assert rows["Council A"]["open_adopter_cases"] == 1
    assert rows["Council A"]["looked_after"] == 1
    assert rows["Council B"]["open_child_cases"] == 0


def test_the_regional_counts_take_open_cases_only_and_each_organisation_of_the_region(
    client, scenario
):
    from cases.selectors import regional_summary
    from tests.factories import OrganisationFactory, ServiceFactory, TeamFactory

    region = scenario.people["regional_lead"].organisation.region
    partner = OrganisationFactory(region=region, name="Partner council")
    looked_after = TeamFactory(service=ServiceFactory(organisation=partner, kind="looked_after"))
    protection = TeamFactory(service=ServiceFactory(organisation=partner, kind="child_protection"))
    CaseFactory.create_batch(3, team=looked_after)
    CaseFactory(team=protection, journey_stage="approved")
    closed_on = timezone.localdate()
    CaseFactory(team=protection, status="closed", closed_on=closed_on, journey_stage="approved")
    CaseFactory(team=looked_after, status="closed", closed_on=closed_on)
    quiet = OrganisationFactory(region=region, name="Quiet council")
    OrganisationFactory(name="Elsewhere council")  # another region

    rows = {r["name"]: r for r in regional_summary(user=scenario.people["regional_lead"].user)}
    assert rows["Partner council"] == {
        "name": "Partner council",
        "kind": "council",
        "open_child_cases": 4,
        "open_adopter_cases": 0,
        "looked_after": 3,
        "approved_waiting": 1,
    }
    assert rows[quiet.name]["open_child_cases"] == 0
    assert "Elsewhere council" not in rows
    assert list(rows) == sorted(rows)


def _children(scenario, count):
    team = scenario.case.team
    workers = [StaffMemberFactory(team=team) for _ in range(5)]
    for i in range(count):
        case = CaseFactory(team=team, allocated_worker=workers[i % 5])
        JourneyEventFactory(case=case)


@pytest.mark.parametrize("count", [10, 1000])
def test_the_case_list_runs_a_bounded_number_of_queries(
    client, scenario, count, django_assert_max_num_queries
):
    _children(scenario, count)
    _login(client, scenario, "qa")
    # 12 for the page, 3 more for the access log entry (savepoint,
    # entry, its children, its adopters, release: 5, but the page had 2 to spare).
    with django_assert_max_num_queries(15):
        response = client.get(reverse("cases:case_list"), {"status": "open", "sort": "worker"})
    assert response.context["page_obj"].paginator.count == count + 2


@pytest.mark.parametrize("count", [10, 1000])
def test_the_child_record_runs_a_bounded_number_of_queries(
    client, scenario, count, django_assert_max_num_queries
):
    _children(scenario, count)
    for _ in range(30):
        JourneyEventFactory(case=scenario.case)
    _login(client, scenario, "team_manager")
    # One more than the old one-subject entry: the child goes in the entry's list; one
    # more for the practice observations panel; one for the challenges panel; three for
    # the feedback panel (its feedback, their themes, whether the reader may ask the
    # family); three for the complaints panel; one for the questionnaires panel.
    with django_assert_max_num_queries(23):
        assert client.get(scenario.child.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("role", ["team_manager", "qa", "practitioner"])
def test_the_home_page_runs_a_bounded_number_of_queries(
    client, scenario, role, django_assert_max_num_queries
):
    _children(scenario, 200)
    _login(client, scenario, role)
    # 14 for the page, 3 more for the access log entry (savepoint,
    # entry, its children, its adopters, release: 5, but the page had 2 to spare), and up
    # to 3 for the observations card (its counts, open actions, the next few to complete),
    # and 2 for the feedback card (the oldest few waiting for a response, and their count),
    # and one each for the complaints, challenges and questionnaires cards (a team manager
    # reads all three; each row carries the total, so no count).
    with django_assert_max_num_queries(25):
        assert client.get(reverse("home")).status_code == 200


def test_a_team_in_another_organisation_does_not_leak_into_filter_choices(client, scenario):
    TeamFactory(name="Secret foreign team")
    ChildFactory(family_name="Foreignchild")
    _login(client, scenario, "qa")
    body = client.get(reverse("cases:case_list")).content.decode()
    assert "Secret foreign team" not in body


def test_the_journey_can_show_milestones_or_visits_only(client, scenario):
    JourneyEventFactory(case=scenario.case, kind="placement_started", placement_type="foster")
    JourneyEventFactory(case=scenario.case, kind="supervision")
    _login(client, scenario, "practitioner")
    url = scenario.child.get_absolute_url()
    kinds = {
        view: [e.event.kind for e in client.get(url, {"events": view}).context["timeline"]]
        for view in ("all", "milestones", "visits", "nonsense")
    }
    assert sorted(kinds["all"]) == ["placement_started", "supervision", "visit"]
    assert kinds["milestones"] == ["placement_started"]
    assert kinds["visits"] == ["visit"]
    assert kinds["nonsense"] == kinds["all"]


def test_the_worker_filter_is_a_name_typed_in_not_a_list_of_every_worker(client, scenario):
    worker = scenario.people["practitioner"]
    worker.user.first_name, worker.user.last_name = "Ngozi", "Okafor-Brown"
    worker.user.save()
    others = StaffMemberFactory.create_batch(5, team=scenario.case.team)
    theirs = CaseFactory(team=scenario.case.team, allocated_worker=worker)
    someone_elses = CaseFactory(
        team=scenario.case.team, allocated_worker=scenario.people["colleague"]
    )
    _login(client, scenario, "qa")
    url = reverse("cases:case_list")
    body = client.get(url).content.decode()
    assert 'name="worker_name"' in body
    assert '<select name="worker"' not in body
    assert not [o for o in others if o.display_name in page_text(client.get(url))]
    # Words of the name in any order and case, each part of the first or family name.
    for typed in ("okafor", "ngozi OKAFOR", "  brown ngo "):
        listed = set(client.get(url, {"worker_name": typed}).context["page_obj"].object_list)
        assert theirs in listed, typed
        assert someone_elses not in listed, typed
    assert not client.get(url, {"worker_name": "okafor smith"}).context["page_obj"].object_list


def test_a_link_to_one_workers_cases_shows_them_as_a_selected_filter(client, scenario):
    worker = scenario.people["practitioner"]
    _login(client, scenario, "team_manager")
    response = client.get(reverse("cases:case_list"), {"worker": worker.pk, "status": "open"})
    assert {c.allocated_worker_id for c in response.context["page_obj"]} == {worker.pk}
    assert {"label": "Allocated worker", "value": worker.display_name} in [
        {k: f[k] for k in ("label", "value")} for f in response.context["selected_filters"]
    ]
    # Someone outside the organisation is refused, with a message, and the rest applies.
    outsider = scenario.people["other_org_manager"]
    refused = client.get(reverse("cases:case_list"), {"worker": outsider.pk, "status": "open"})
    assert "is not one of your staff" in page_text(refused)
    assert refused.context["page_obj"].paginator.count > 0


def test_a_made_up_order_alone_is_ignored_without_an_empty_error_summary(client, scenario):
    _login(client, scenario, "qa")
    response = client.get(reverse("cases:case_list"), {"sort": "banana"})
    assert "govuk-error-summary" not in response.content.decode()
    assert response.context["page_obj"].paginator.count > 0
