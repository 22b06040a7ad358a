"""360-degree feedback on a manager's supervision: anonymous, once each, and shown only as
aggregates of a closed round with at least five answers."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.models import (
    FEEDBACK_QUESTIONS,
    Agreement,
    SupervisionFeedbackReceipt,
    SupervisionFeedbackResponse,
    SupervisionFeedbackRound,
)
from audits.selectors import feedback_results
from audits.services.feedback import FeedbackError, feedback_answer, feedback_round_open
from cases.models import Notification, StaffMember
from tests.factories import StaffMemberFactory
from tests.pages import page_text

pytestmark = pytest.mark.django_db

COMMENTS = ["Less cancelling", "More reflection", "Quieter room", "Written up sooner", "Fine"]


@pytest.fixture
def supervisees(scenario):
    """The team manager supervises the practitioner and five more of team T1 (and the
    scenario's own round on their supervision is gone)."""
    scenario.feedback_round.delete()
    manager = scenario.people["team_manager"]
    more = [
        StaffMemberFactory(team=manager.team, line_manager=manager, user__username=f"sup{n}")
        for n in range(5)
    ]
    return [scenario.people["practitioner"], *more]


@pytest.fixture
def feedback(scenario, supervisees):
    return feedback_round_open(
        manager=scenario.people["team_manager"],
        by=scenario.people["qa"],
        closes_on=timezone.localdate() + datetime.timedelta(days=7),
    )


def _answer(feedback, people, value=Agreement.AGREE):
    for person, comment in zip(people, COMMENTS, strict=False):
        feedback_answer(
            feedback=feedback,
            by=person,
            answers={
                "regular": value,
                "reflective": value,
                "clear": value,
                "supportive": value,
            },
            comment=comment,
        )


def _close(feedback):
    SupervisionFeedbackRound.objects.filter(pk=feedback.pk).update(
        closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    feedback.refresh_from_db()


def test_opening_a_round_asks_every_supervisee(scenario, supervisees, feedback):
    assert feedback.invited == len(supervisees)
    asked = Notification.objects.filter(key__startswith=f"feedback:{feedback.pk}:invite:")
    assert {n.recipient_id for n in asked} == {s.pk for s in supervisees}
    assert all(n.url.endswith(f"/{feedback.pk}/answer/") for n in asked)


def test_a_round_needs_five_supervisees(scenario):
    with pytest.raises(FeedbackError, match="supervises 1 people"):
        feedback_round_open(
            manager=scenario.people["team_manager"],
            by=scenario.people["qa"],
            closes_on=timezone.localdate() + datetime.timedelta(days=7),
        )


def test_another_teams_manager_cannot_open_a_round(scenario, supervisees):
    with pytest.raises(FeedbackError, match="Only the QA service"):
        feedback_round_open(
            manager=scenario.people["team_manager"],
            by=scenario.people["other_team_manager"],
            closes_on=timezone.localdate() + datetime.timedelta(days=7),
        )


def test_the_managers_own_line_manager_can_open_one(scenario, supervisees):
    manager = scenario.people["team_manager"]
    manager.line_manager = scenario.people["service_manager"]
    manager.save()
    opened = feedback_round_open(
        manager=manager,
        by=scenario.people["service_manager"],
        closes_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    assert opened.opened_by == scenario.people["service_manager"]


def test_one_round_at_a_time(scenario, feedback):
    with pytest.raises(FeedbackError, match="already open"):
        feedback_round_open(
            manager=scenario.people["team_manager"],
            by=scenario.people["qa"],
            closes_on=timezone.localdate() + datetime.timedelta(days=3),
        )


def test_each_supervisee_answers_once(supervisees, feedback):
    _answer(feedback, supervisees[:1])
    with pytest.raises(FeedbackError, match="already answered"):
        _answer(feedback, supervisees[:1])
    assert SupervisionFeedbackResponse.objects.count() == 1


def test_only_supervisees_answer(scenario, feedback):
    with pytest.raises(FeedbackError, match="Only the people"):
        _answer(feedback, [scenario.people["colleague"]])


def test_a_closed_round_takes_no_answers(supervisees, feedback):
    _close(feedback)
    with pytest.raises(FeedbackError, match="closed"):
        _answer(feedback, supervisees[:1])


def test_nothing_kept_links_an_answer_to_a_person(supervisees, feedback):
    _answer(feedback, supervisees[:2])
    response_fields = {f.name for f in SupervisionFeedbackResponse._meta.get_fields()}
    assert response_fields == {
        "id",
        "round",
        "regular",
        "reflective",
        "clear",
        "supportive",
        "comment",
    }
    receipt_fields = {f.name for f in SupervisionFeedbackReceipt._meta.get_fields()}
    assert receipt_fields == {"id", "round", "token"}
    tokens = SupervisionFeedbackReceipt.objects.values_list("token", flat=True)
    ids = {str(s.pk) for s in supervisees} | {s.user.username for s in supervisees}
    assert not any(token in ids or len(token) != 64 for token in tokens)


def test_four_answers_show_nothing(supervisees, feedback):
    _answer(feedback, supervisees[:4])
    _close(feedback)
    assert feedback_results(feedback=feedback) is None


def test_five_answers_of_a_closed_round_show_aggregates(supervisees, feedback):
    _answer(feedback, supervisees[:5])
    assert feedback_results(feedback=feedback) is None  # still open
    _close(feedback)
    results = feedback_results(feedback=feedback)
    assert results.answered == 5
    first = results.questions[0]
    assert first.agree_percent == 100
    assert ("Agree", 5, 100) in first.spread
    assert sorted(results.comments) == sorted(COMMENTS)


def _page(client, person, feedback):
    client.force_login(person.user)
    return client.get(reverse("audits:feedback_detail", args=[feedback.pk]))


def test_the_results_page_with_four_answers_shows_no_answer(
    client, scenario, supervisees, feedback
):
    _answer(feedback, supervisees[:4])
    _close(feedback)
    page = _page(client, scenario.people["qa"], feedback).content.decode()
    assert not any(comment in page for comment in COMMENTS)
    assert "Agree" not in page.replace("agree", "")


def test_the_results_page_never_names_who_answered(client, scenario, supervisees, feedback):
    _answer(feedback, supervisees[:5])
    _close(feedback)
    for key in ("qa", "team_manager", "senior_leader"):
        response = _page(client, scenario.people[key], feedback)
        page = page_text(response)
        assert response.status_code == 200
        assert all(comment in page for comment in COMMENTS)
        assert not any(s.display_name in page for s in supervisees)


def test_supervisees_answer_but_never_read_results(client, scenario, supervisees, feedback):
    person = supervisees[0]
    client.force_login(person.user)
    url = reverse("audits:feedback_answer", args=[feedback.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"regular": 5, "reflective": 4, "clear": 3, "supportive": 2, "comment": "Thanks"},
    )
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert SupervisionFeedbackResponse.objects.filter(round=feedback).count() == 1
    again = client.get(url).content.decode()
    assert "Send my answers" not in again
    assert _page(client, person, feedback).status_code == 403


@pytest.mark.parametrize(
    "key",
    [
        "other_team_manager",
        "other_service_manager",
        "business_support",
        "other_org_qa",
        "regional_lead",
    ],
)
def test_another_team_or_council_cannot_see_a_round(client, scenario, feedback, key):
    person = scenario.people[key]
    assert (
        not SupervisionFeedbackRound.objects.visible_to(person.user).filter(pk=feedback.pk).exists()
    )
    client.force_login(person.user)
    assert client.get(reverse("audits:feedback_detail", args=[feedback.pk])).status_code == 404


def test_qa_opens_a_round_from_its_page(client, scenario, supervisees):
    client.force_login(scenario.people["qa"].user)
    url = reverse("audits:feedback_new")
    assert client.get(url).status_code == 200
    closes = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        url,
        {
            "manager": scenario.people["team_manager"].pk,
            "closes_on_0": closes.day,
            "closes_on_1": closes.month,
            "closes_on_2": closes.year,
        },
    )
    opened = SupervisionFeedbackRound.objects.get(manager=scenario.people["team_manager"])
    assert response.status_code == 302
    assert response["Location"] == opened.get_absolute_url()


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_runs_a_fixed_number_of_queries(
    client, scenario, supervisees, django_assert_max_num_queries, count
):
    manager = scenario.people["team_manager"]
    SupervisionFeedbackRound.objects.bulk_create(
        SupervisionFeedbackRound(
            organisation=manager.organisation,
            manager=manager,
            opened_by=scenario.people["qa"],
            closes_on=timezone.localdate() - datetime.timedelta(days=n + 1),
            invited=6,
        )
        for n in range(count)
    )
    for key in ("qa", "practitioner"):
        client.force_login(scenario.people[key].user)
        with django_assert_max_num_queries(12):
            assert client.get(reverse("audits:feedback_list")).status_code == 200


def test_an_unanswered_questionnaire_says_which_question_each_mistake_is(
    client, supervisees, feedback
):
    client.force_login(supervisees[0].user)
    url = reverse("audits:feedback_answer", args=[feedback.pk])
    errors = client.post(url, {"comment": ""}).context["form"].errors
    messages = [errors[name][0] for name, _ in FEEDBACK_QUESTIONS]
    assert len(set(messages)) == len(FEEDBACK_QUESTIONS)
    assert messages[0] == (
        "Choose how far you agree that my supervision happens regularly and is rarely "
        "cancelled or moved"
    )


def test_the_list_offers_the_supervisee_their_questionnaire(client, supervisees, feedback):
    client.force_login(supervisees[1].user)
    page = client.get(reverse("audits:feedback_list")).content.decode()
    assert reverse("audits:feedback_answer", args=[feedback.pk]) in page
    assert isinstance(supervisees[1], StaffMember)


def test_a_supervisee_following_the_link_after_it_closed_is_told_so(
    client, scenario, supervisees, feedback
):
    _close(feedback)
    url = reverse("audits:feedback_answer", args=[feedback.pk])
    client.force_login(supervisees[0].user)
    response = client.get(url)
    assert response.status_code == 200
    assert "This questionnaire has closed" in page_text(response)
    assert "Send my answers" not in page_text(response)
    refused = client.post(url, {"regular": 5, "reflective": 4, "clear": 3, "supportive": 2})
    assert "This questionnaire has closed" in page_text(refused)
    assert not SupervisionFeedbackResponse.objects.filter(round=feedback).exists()
    client.force_login(scenario.people["colleague"].user)
    assert client.get(url).status_code in (403, 404)
