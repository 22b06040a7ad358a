"""Learning briefs: QA writes and publishes; publishing tells the audience only, once;
staff see the briefs addressed to them; reading is recorded and counted by team; a
thematic review's findings start a brief (a review the user cannot see: 404); bad
input, conflicts and query bounds."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Notification
from governance import briefs
from governance.models import BriefRead, LearningBrief
from tests.factories import LearningBriefFactory, StaffMemberFactory
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


def _draft(scenario, **kwargs) -> LearningBrief:
    brief = LearningBriefFactory(
        organisation=scenario.people["qa"].organisation, whole_organisation=False, **kwargs
    )
    brief.teams.add(scenario.case.team)
    return brief


def test_publishing_tells_the_audience_only_and_once(client, scenario):
    brief = _draft(scenario)
    client.force_login(scenario.people["qa"].user)
    url = reverse("governance:brief_publish", args=[brief.pk])
    assert client.post(url, {"revision": brief.revision}).status_code == 302
    brief.refresh_from_db()
    assert brief.is_published
    assert client.post(url, {"revision": brief.revision}).status_code == 400
    told = {
        n.recipient.user.username
        for n in Notification.objects.filter(key__startswith=f"learning-brief:{brief.pk}:")
    }
    assert told == {"practitioner", "colleague", "team_manager"}  # T1's staff


def test_a_brief_for_a_service_reaches_its_teams_staff(scenario):
    brief = LearningBriefFactory(
        organisation=scenario.people["qa"].organisation, whole_organisation=False
    )
    brief.services.add(scenario.case.team.service)
    names = set(briefs.audience(brief).values_list("user__username", flat=True))
    assert {"practitioner", "colleague", "team_manager", "other_team_manager"} <= names
    assert "service_manager" in names
    assert not names & {"cp_practitioner", "adoption_worker", "other_org_manager"}


def test_staff_see_only_the_briefs_addressed_to_them(client, scenario):
    brief = scenario.learning_brief
    client.force_login(scenario.people["practitioner"].user)
    assert brief.title in visible_text(client.get(reverse("governance:brief_list")))
    client.force_login(scenario.people["cp_practitioner"].user)
    assert brief.title not in visible_text(client.get(reverse("governance:brief_list")))
    assert client.get(brief.get_absolute_url()).status_code == 404
    client.force_login(scenario.people["other_org_qa"].user)
    assert client.get(brief.get_absolute_url()).status_code == 404


def test_a_practitioner_cannot_write_or_publish(client, scenario):
    brief = _draft(scenario)
    client.force_login(scenario.people["practitioner"].user)
    assert client.get(reverse("governance:brief_new")).status_code == 403
    response = client.post(
        reverse("governance:brief_publish", args=[brief.pk]), {"revision": brief.revision}
    )
    assert response.status_code == 404  # a draft is QA's: not even visible
    brief.refresh_from_db()
    assert not brief.is_published


def test_reading_is_recorded_once_and_counted_by_team(client, scenario):
    brief = scenario.learning_brief
    for key in ("practitioner", "practitioner", "team_manager"):
        client.force_login(scenario.people[key].user)
        assert client.get(brief.get_absolute_url()).status_code == 200
    # QA reads it too, but is not in the audience: no receipt.
    client.force_login(scenario.people["qa"].user)
    response = client.get(brief.get_absolute_url())
    assert BriefRead.objects.filter(brief=brief).count() == 2
    rows = briefs.reads_by_team(brief=brief)
    assert [(r.team, r.read, r.audience, r.percent) for r in rows] == [("T1", 2, 3, 67)]
    text = visible_text(response)
    assert "Who has read it" in text
    assert "67%" in text


def test_a_review_starts_a_brief_with_its_findings(client, scenario):
    theme = scenario.theme
    theme.findings = "Plans lacked the child's voice."
    theme.save()
    client.force_login(scenario.people["qa"].user)
    response = client.get(reverse("governance:brief_new"), {"review": theme.pk})
    assert response.status_code == 200
    assert "Plans lacked the child&#x27;s voice." in response.content.decode()
    client.force_login(scenario.people["other_org_qa"].user)
    response = client.get(reverse("governance:brief_new"), {"review": theme.pk})
    assert response.status_code == 404
    assert client.get(reverse("governance:brief_new"), {"review": "x"}).status_code == 404


def test_bad_input_is_refused_with_a_message_and_nothing_written(client, scenario):
    client.force_login(scenario.people["qa"].user)
    url = reverse("governance:brief_new")
    response = client.post(url, {"title": "", "whole_organisation": "no"})
    assert response.status_code == 400
    text = visible_text(response)
    assert "Enter a title for the brief" in text
    assert "Choose at least one service or team" in text
    other_team = scenario.people["other_org_manager"].team
    response = client.post(
        url, {"title": "T", "whole_organisation": "no", "teams": [other_team.pk]}
    )
    assert response.status_code == 400
    assert "Choose your organisation" in visible_text(response)
    assert not LearningBrief.objects.filter(status="draft").exists()


def test_publishing_needs_every_part_written(client, scenario):
    brief = _draft(scenario, questions="")
    client.force_login(scenario.people["qa"].user)
    response = client.post(
        reverse("governance:brief_publish", args=[brief.pk]), {"revision": brief.revision}
    )
    assert response.status_code == 400
    assert "Questions for your team" in visible_text(response)
    assert not Notification.objects.exists()


def test_two_editors_conflict_and_the_second_keeps_their_text(client, scenario):
    brief = _draft(scenario)
    stale = brief.revision
    briefs.brief_save(
        brief=brief,
        by=scenario.people["qa"],
        revision=stale,
        data={"title": "Theirs", "whole_organisation": True},
    )
    client.force_login(
        StaffMemberFactory(qa=True, organisation=brief.organisation, team=None, service=None).user
    )
    data = {"title": "Mine", "found": "My findings", "whole_organisation": "yes", "revision": stale}
    response = client.post(reverse("governance:brief_edit", args=[brief.pk]), data)
    assert response.status_code == 409
    assert "My findings" in response.content.decode()
    brief.refresh_from_db()
    assert brief.title == "Theirs"
    # Autosave (htmx) says so in its status line instead.
    response = client.post(
        reverse("governance:brief_edit", args=[brief.pk]), data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "saved this brief after you opened it" in visible_text(response)
    # With the revision it now has, the autosave saves.
    data["revision"] = brief.revision
    response = client.post(
        reverse("governance:brief_edit", args=[brief.pk]), data, HTTP_HX_REQUEST="true"
    )
    assert "Saved at" in visible_text(response)
    brief.refresh_from_db()
    assert brief.title == "Mine"


def test_the_pages_run_a_bounded_number_of_queries(client, scenario, django_assert_max_num_queries):
    organisation = scenario.people["qa"].organisation
    for n in range(25):
        LearningBriefFactory(
            organisation=organisation,
            status="published",
            published_at=scenario.learning_brief.published_at,
        )
        BriefRead.objects.create(
            organisation=organisation,
            brief=scenario.learning_brief,
            staff=StaffMemberFactory(team=scenario.case.team),
        ) if n < 5 else None
    draft = _draft(scenario)
    for key in ("qa", "practitioner"):
        client.force_login(scenario.people[key].user)
        with django_assert_max_num_queries(16):
            assert client.get(reverse("governance:brief_list")).status_code == 200
        with django_assert_max_num_queries(20):
            assert client.get(scenario.learning_brief.get_absolute_url()).status_code == 200
    client.force_login(scenario.people["qa"].user)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("governance:brief_edit", args=[draft.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("governance:brief_new")).status_code == 200
