"""Practice focused days and weeks: who sees them, planning, visits, findings, actions,
the summary, and refusals that write nothing."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from observations import events
from observations.models import PracticeEvent, PracticeFinding

pytestmark = pytest.mark.django_db


def _sees(scenario, key):
    user = scenario.people[key].user
    return PracticeEvent.objects.visible_to(user).filter(pk=scenario.practice_event.pk).exists()


def test_qa_senior_leaders_and_managers_of_covered_teams_see_the_event(scenario):
    for key in scenario.practice_event_insiders:
        assert _sees(scenario, key), key


def test_another_team_or_council_cannot_see_the_event(scenario):
    for key in scenario.practice_event_outsiders:
        assert not _sees(scenario, key), key


def test_a_week_covering_a_service_is_seen_by_its_teams_managers_only(scenario):
    """A week that covers a whole service visits each of its teams: their managers see it,
    a manager of a team in another service does not."""
    team = scenario.case.team
    event = events.event_create(
        by=scenario.people["qa"],
        kind="practice_week",
        title="Service week",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=4),
        teams=[],
        services=[team.service],
        leaders=[scenario.people["senior_leader"]],
    )

    def sees(key):
        user = scenario.people[key].user
        return PracticeEvent.objects.visible_to(user).filter(pk=event.pk).exists()

    assert sees("team_manager")
    assert sees("service_manager")
    assert not sees("other_service_manager")
    assert not sees("practitioner")
    if scenario.people["other_team_manager"].team.service_id != team.service_id:
        assert not sees("other_team_manager")


def test_a_leader_records_visit_notes_and_a_finding(scenario):
    leader = scenario.people["senior_leader"]
    visit = events.visit_notes_save(visit=scenario.practice_visit, by=leader, notes="Spoke to 4.")
    events.finding_add(
        event=scenario.practice_event,
        by=leader,
        kind=PracticeFinding.Kind.WORRY,
        theme="oversight",
        text="Supervision is not recorded consistently.",
    )
    summary = events.event_summary(event=scenario.practice_event)
    assert visit.notes == "Spoke to 4."
    assert [(t.theme, t.working_well, t.worries) for t in summary.themes] == [("oversight", 0, 1)]


def test_someone_else_may_not_record_the_visit(scenario):
    with pytest.raises(events.EventStateError):
        events.visit_notes_save(
            visit=scenario.practice_visit, by=scenario.people["team_manager"], notes="Mine"
        )
    scenario.practice_visit.refresh_from_db()
    assert scenario.practice_visit.notes == ""


def test_a_visit_outside_the_events_dates_is_refused(scenario):
    with pytest.raises(events.EventStateError):
        events.visit_assign(
            event=scenario.practice_event,
            by=scenario.people["qa"],
            leader=scenario.people["senior_leader"],
            team=scenario.practice_visit.team,
            visit_on=scenario.practice_event.ends_on + datetime.timedelta(days=1),
        )


def test_an_assigned_observation_is_the_leaders_and_counts_in_the_summary(scenario):
    observation = events.observation_assign(
        event=scenario.practice_event,
        by=scenario.people["qa"],
        observer=scenario.people["senior_leader"],
        practitioner=scenario.people["colleague"],
    )
    summary = events.event_summary(event=scenario.practice_event)
    assert observation.practice_event == scenario.practice_event
    assert summary.observations == [observation]


def test_event_actions_join_my_actions(scenario):
    items = events.event_action_items(user=scenario.people["team_manager"].user)
    assert [item.source for item in items] == ["Spring practice week"]


def test_qa_plans_an_event_through_the_form(client, scenario):
    client.force_login(scenario.people["qa"].user)
    today = timezone.localdate()
    response = client.post(
        reverse("observations:event_new"),
        {
            "kind": "focused_day",
            "title": "Autumn focused day",
            "starts_on_0": today.day,
            "starts_on_1": today.month,
            "starts_on_2": today.year,
            "ends_on_0": today.day,
            "ends_on_1": today.month,
            "ends_on_2": today.year,
            "services": [scenario.case.service_id],
            "leaders": [scenario.people["senior_leader"].pk],
        },
    )
    event = PracticeEvent.objects.get(title="Autumn focused day")
    assert response.status_code == 302
    assert scenario.case.team_id in events.covered_team_ids(event)


def test_a_bad_event_form_writes_nothing_and_says_why(client, scenario):
    client.force_login(scenario.people["qa"].user)
    before = PracticeEvent.objects.count()
    response = client.post(
        reverse("observations:event_new"),
        {
            "kind": "nonsense",
            "starts_on_0": "31",
            "starts_on_1": "2",
            "starts_on_2": "2026",
            "leaders": ["x"],
        },
    )
    assert response.status_code == 400
    assert "Enter a title" in response.content.decode()
    assert PracticeEvent.objects.count() == before


def test_the_summary_takes_a_bounded_number_of_queries(
    client, scenario, django_assert_max_num_queries
):
    for n in range(5):
        events.finding_add(
            event=scenario.practice_event,
            by=scenario.people["qa"],
            kind=PracticeFinding.Kind.WORKING_WELL,
            theme="childs_voice",
            text=f"Finding {n}",
        )
    client.force_login(scenario.people["senior_leader"].user)
    with django_assert_max_num_queries(30):
        response = client.get(scenario.practice_event.get_absolute_url())
    assert response.status_code == 200


def test_changes_to_an_event_and_its_findings_are_kept(scenario):
    qa = scenario.people["qa"]
    event = scenario.practice_event
    events.event_update(
        event=event,
        by=qa,
        kind=event.kind,
        title="Summer practice week",
        starts_on=event.starts_on,
        ends_on=event.ends_on,
        teams=list(event.teams.all()),
        services=[],
        leaders=list(event.leaders.all()),
    )
    finding = events.finding_add(
        event=event, by=qa, kind="working_well", theme="recording", text="Up to date."
    )
    titles = list(event.history.order_by("history_date").values_list("title", flat=True))
    assert titles == ["Spring practice week", "Summer practice week"]
    assert finding.history.get().text == "Up to date."
