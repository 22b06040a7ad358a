"""Feedback, themes, the family's own way in through a one-use link, the figures, and
"you said, we did"."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cases.models import FamilyLink, Notification
from feedback import figures, voices
from feedback.models import Feedback, FeedbackTheme, YouSaidWeDid
from tests.factories import (
    CaseFactory,
    FeedbackFactory,
    FeedbackThemeFactory,
    StaffMemberFactory,
    TeamFactory,
)
from tests.pages import page_text

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 18)


@pytest.fixture(autouse=True)
def frozen():
    cache.clear()
    with time_machine.travel(datetime.datetime(2026, 11, 18, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def world():
    case = CaseFactory()
    team = case.team
    worker = StaffMemberFactory(team=team)
    case.allocated_worker = worker
    case.save()
    return {
        "case": case,
        "worker": worker,
        "manager": StaffMemberFactory(team=team, team_manager=True),
        "qa": StaffMemberFactory(team=team, qa=True),
        "other_manager": StaffMemberFactory(
            team=TeamFactory(organisation=case.organisation), team_manager=True
        ),
        "outsider_qa": StaffMemberFactory(qa=True),
        "regional": StaffMemberFactory(team=team, regional_lead=True),
    }


def test_feedback_is_seen_by_the_case_and_the_organisation_only(world):
    feedback = FeedbackFactory(case=world["case"])
    team_only = FeedbackFactory(
        case=None, organisation=world["case"].organisation, team=world["case"].team, service=None
    )

    def seen(key):
        return set(Feedback.objects.visible_to(world[key].user))

    assert seen("worker") == {feedback}
    assert seen("manager") == {feedback, team_only}
    assert seen("qa") == {feedback, team_only}
    assert seen("other_manager") == set()
    assert seen("outsider_qa") == set()
    assert seen("regional") == set()


def test_staff_record_feedback_about_a_case_they_can_see(client, world):
    theme = FeedbackThemeFactory(organisation=world["case"].organisation)
    client.force_login(world["manager"].user)
    data = {
        "source": "child",
        "said": "I want to see my brother more",
        "sentiment": "mixed",
        "channel": "conversation",
        "received_on_0": "12",
        "received_on_1": "11",
        "received_on_2": "2026",
        "case_reference": world["case"].child.reference,
        "themes": [theme.pk],
    }
    response = client.post(reverse("feedback:feedback_new"), data)
    feedback = Feedback.objects.get()
    assert response.status_code == 302
    assert response["Location"] == feedback.get_absolute_url()
    assert feedback.case == world["case"]
    assert feedback.team == world["case"].team
    assert feedback.journey_stage == world["case"].journey_stage
    assert feedback.recorded_by == world["manager"]
    assert list(feedback.themes.all()) == [theme]
    page = client.get(feedback.get_absolute_url())
    assert "I want to see my brother more" in page_text(page)


def test_bad_feedback_is_refused_with_a_message_and_nothing_saved(client, world):
    client.force_login(world["other_manager"].user)
    response = client.post(
        reverse("feedback:feedback_new"),
        {
            "source": "parent",
            "said": "",
            "sentiment": "cheerful",
            "channel": "conversation",
            "received_on_0": "1",
            "received_on_1": "1",
            "received_on_2": "2030",
            "case_reference": world["case"].child.reference,
        },
    )
    text = page_text(response)
    assert response.status_code == 200
    assert "Enter what they said" in text
    assert "Choose whether it was positive, mixed or negative" in text
    assert "must be today or in the past" in text
    assert not Feedback.objects.exists()
    # A case the recorder may not see is refused, not named.
    response = client.post(
        reverse("feedback:feedback_new"),
        {
            "source": "parent",
            "said": "Hello",
            "sentiment": "positive",
            "channel": "conversation",
            "received_on_0": "1",
            "received_on_1": "11",
            "received_on_2": "2026",
            "case_reference": world["case"].child.reference,
        },
    )
    assert "whose record you can see" in page_text(response)
    assert not Feedback.objects.exists()


def test_a_response_is_recorded_and_shown(client, world):
    feedback = FeedbackFactory(case=world["case"])
    client.force_login(world["worker"].user)
    url = reverse("feedback:feedback_respond", kwargs={"feedback_pk": feedback.pk})
    bad = client.post(url, {"response": " "})
    assert bad.status_code == 400
    assert "Enter the response you gave" in page_text(bad)
    client.post(
        url,
        {
            "response": "Called back",
            "responded_on_0": "17",
            "responded_on_1": "11",
            "responded_on_2": "2026",
        },
    )
    feedback.refresh_from_db()
    assert feedback.response == "Called back"
    assert feedback.responded_on == datetime.date(2026, 11, 17)
    assert feedback.responded_by == world["worker"]


def test_senior_leaders_read_but_do_not_answer(client, world):
    leader = StaffMemberFactory(team=world["case"].team, senior_leader=True)
    feedback = FeedbackFactory(case=world["case"])
    client.force_login(leader.user)
    assert client.get(feedback.get_absolute_url()).status_code == 200
    url = reverse("feedback:feedback_respond", kwargs={"feedback_pk": feedback.pk})
    assert client.post(url, {"response": "x"}).status_code == 403


def _make_link(client, world, audience="adult"):
    client.force_login(world["worker"].user)
    url = reverse("feedback:feedback_ask", kwargs={"case_pk": world["case"].pk})
    response = client.post(url, {"audience": audience, "recipient": "Mum", "days": "14"})
    assert response.status_code == 200
    link_url = re.search(r'value="(http[^"]+/have-your-say/[^"]+/)"', response.content.decode())
    assert link_url, "the made link is shown once"
    client.logout()
    return link_url.group(1).split("127.0.0.1:8000")[-1]


def test_a_parent_answers_a_one_use_link(client, world):
    path = _make_link(client, world)
    page = client.get(path)
    text = page_text(page)
    assert page.status_code == 200
    assert "Tell us what you think" in text
    assert "Really happy" in text
    for secret in (world["case"].child.reference, world["case"].child.family_name):
        assert secret not in text
    missing = client.post(path, {"good": "Nice"})
    assert "Choose the face that shows how you feel" in page_text(missing)
    assert "Choose who you are" in page_text(missing)
    done = client.post(path, {"rating": "2", "who": "parent", "better": "Ring me back"})
    assert done.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.source, feedback.rating, feedback.sentiment) == ("parent", 2, "negative")
    assert feedback.channel == "link"
    assert feedback.case == world["case"]
    assert feedback.said == "Could be better: Ring me back"
    assert feedback.link == FamilyLink.objects.get()
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {world["worker"].pk, world["manager"].pk}
    assert client.get(path).status_code == 404
    assert client.post(path, {"rating": "5", "who": "parent"}).status_code == 404
    assert Feedback.objects.count() == 1


def test_a_child_gets_the_simpler_form(client, world):
    path = _make_link(client, world, audience="child")
    text = page_text(client.get(path))
    assert "How do you feel about the help you get?" in text
    assert "Are you" not in text
    client.post(path, {"rating": "5", "good": "My worker is kind"})
    feedback = Feedback.objects.get()
    assert (feedback.source, feedback.sentiment, feedback.said) == (
        "child",
        "positive",
        "My worker is kind",
    )


def test_the_link_form_refuses_bad_days(client, world):
    client.force_login(world["worker"].user)
    url = reverse("feedback:feedback_ask", kwargs={"case_pk": world["case"].pk})
    response = client.post(url, {"audience": "adult", "days": "400"})
    assert "The link must work for between 1 and 60 days" in page_text(response)
    assert not FamilyLink.objects.exists()


def test_only_people_who_see_the_case_may_ask(client, world):
    url = reverse("feedback:feedback_ask", kwargs={"case_pk": world["case"].pk})
    client.force_login(world["other_manager"].user)
    assert client.get(url).status_code == 404
    client.force_login(StaffMemberFactory(team=world["case"].team, senior_leader=True).user)
    assert client.get(url).status_code == 403


def test_a_link_can_be_withdrawn(client, world):
    path = _make_link(client, world)
    link = FamilyLink.objects.get()
    client.force_login(world["worker"].user)
    client.post(reverse("feedback:link_withdraw", kwargs={"link_pk": link.pk}))
    client.logout()
    assert client.get(path).status_code == 404


def _spread(case, theme):
    # Two positive in October (one themed), one negative and one mixed in November, one
    # from last year (outside the twelve months), and one in another organisation.
    FeedbackFactory(case=case, received_on=datetime.date(2026, 10, 3))
    themed = FeedbackFactory(case=case, received_on=datetime.date(2026, 10, 20))
    themed.themes.add(theme)
    FeedbackFactory(
        case=case, received_on=datetime.date(2026, 11, 2), sentiment="negative", source="child"
    )
    FeedbackFactory(
        case=case,
        received_on=datetime.date(2026, 11, 17),
        sentiment="mixed",
        source="child",
        response="Thanks",
        responded_on=datetime.date(2026, 11, 18),
    )
    FeedbackFactory(case=case, received_on=datetime.date(2025, 11, 30))
    FeedbackFactory(received_on=datetime.date(2026, 11, 1))


def test_figures_count_what_the_reader_sees_in_the_last_twelve_months(world):
    theme = FeedbackThemeFactory(organisation=world["case"].organisation)
    _spread(world["case"], theme)
    result = figures.feedback_figures(
        voices.feedback_list(user=world["qa"].user),
        today=TODAY,
        service_names={world["case"].service_id: world["case"].service.name},
    )
    assert result.since == datetime.date(2025, 12, 1)
    assert (
        result.total.total,
        result.total.positive,
        result.total.mixed,
        result.total.negative,
    ) == (4, 2, 1, 1)
    assert result.total.positive_percent == 50
    assert result.awaiting_response == 3
    months = {m.key: (m.positive, m.mixed, m.negative) for m in result.months}
    assert len(months) == 12
    assert months[datetime.date(2026, 10, 1)] == (2, 0, 0)
    assert months[datetime.date(2026, 11, 1)] == (0, 1, 1)
    assert months[datetime.date(2026, 1, 1)] == (0, 0, 0)
    assert {(s.key, s.total) for s in result.by_source} == {("parent", 2), ("child", 2)}
    assert [(t.label, t.total) for t in result.by_theme] == [(theme.name, 1)]
    assert [(s.label, s.total) for s in result.by_service] == [(world["case"].service.name, 4)]


def test_each_figure_links_to_the_same_number_of_rows(client, world):
    theme = FeedbackThemeFactory(organisation=world["case"].organisation)
    _spread(world["case"], theme)
    client.force_login(world["qa"].user)
    page = client.get(reverse("feedback:feedback_figures"))
    assert page.status_code == 200
    body = page.content.decode()
    links = re.findall(r'href="(/feedback/\?[^"]+)">(\d+)<', body)
    assert len(links) > 20
    for href, number in links:
        listed = client.get(href.replace("&amp;", "&"))
        count = re.search(r'id="feedback-count">(\d+)', listed.content.decode())
        assert count, href
        assert count.group(1) == number, href


def test_pages_run_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    theme = FeedbackThemeFactory(organisation=world["case"].organisation)
    for _n in range(30):
        FeedbackFactory(case=CaseFactory(team=world["case"].team)).themes.add(theme)
    client.force_login(world["qa"].user)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("feedback:feedback_list")).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("feedback:feedback_figures")).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("feedback:you_said_list")).status_code == 200


def test_the_list_ignores_nonsense_filters(client, world):
    FeedbackFactory(case=world["case"])
    client.force_login(world["qa"].user)
    response = client.get(
        reverse("feedback:feedback_list"),
        {"source": "<script>", "since": "yesterday", "team": "-5", "theme": "x", "page": "99"},
    )
    assert response.status_code == 200
    assert 'id="feedback-count">1' in response.content.decode()


def test_themes_are_kept_by_qa(client, world):
    client.force_login(world["manager"].user)
    assert client.post(reverse("feedback:theme_list"), {"name": "X"}).status_code == 403
    client.force_login(world["qa"].user)
    client.post(reverse("feedback:theme_list"), {"name": "Being listened to", "active": "on"})
    again = client.post(reverse("feedback:theme_list"), {"name": "being listened to"})
    assert "already a theme with that name" in page_text(again)
    assert FeedbackTheme.objects.count() == 1


def test_you_said_we_did_is_published_for_families(client, world):
    feedback = FeedbackFactory(case=world["case"], said="Nobody rang back")
    leader = StaffMemberFactory(team=world["case"].team, senior_leader=True)
    client.force_login(leader.user)
    response = client.post(
        reverse("feedback:you_said_new") + f"?feedback={feedback.pk}",
        {"you_said": "Calls were not returned", "we_did": "A duty worker rings back the same day"},
    )
    entry = YouSaidWeDid.objects.get()
    assert response["Location"] == entry.get_absolute_url()
    assert list(entry.feedback.all()) == [feedback]
    public = reverse(
        "feedback:you_said_public", kwargs={"organisation_slug": world["case"].organisation.slug}
    )
    client.logout()
    assert "A duty worker rings back" not in page_text(client.get(public))
    client.force_login(leader.user)
    client.post(
        reverse("feedback:you_said_publish", kwargs={"you_said_pk": entry.pk}), {"publish": "yes"}
    )
    client.logout()
    page = client.get(public)
    text = page_text(page)
    assert page.status_code == 200
    assert "A duty worker rings back the same day" in text
    assert "Nobody rang back" not in text
    assert world["case"].child.family_name not in text
    assert (
        client.get(
            reverse("feedback:you_said_public", kwargs={"organisation_slug": "nowhere"})
        ).status_code
        == 404
    )


def test_the_record_shows_the_feedback_and_a_way_to_ask(client, world):
    FeedbackFactory(case=world["case"], said="Thank you for listening")
    client.force_login(world["worker"].user)
    page = client.get(world["case"].child.get_absolute_url())
    text = page_text(page)
    assert "Feedback from the family" in text
    assert "Thank you for listening" in text
    assert reverse("feedback:feedback_ask", kwargs={"case_pk": world["case"].pk}) in (
        page.content.decode()
    )


def test_the_home_page_lists_feedback_waiting_for_a_response(client, world):
    FeedbackFactory(case=world["case"], said="Please call me")
    client.force_login(world["manager"].user)
    text = page_text(client.get("/"))
    assert "Feedback waiting for a response" in text
    assert "Please call me" in text


@pytest.mark.parametrize("count", [3, 7])
def test_the_feedback_card_counts_all_waiting_and_shows_the_oldest_five(
    world, count, django_assert_max_num_queries
):
    """A page of rows, and a count only when there may be more: never a join of every
    row waiting, as a window count over the page's joins would be."""
    from django.test import RequestFactory

    from cases.models import StaffMember
    from feedback.home import feedback_card

    received = [timezone.localdate() - datetime.timedelta(days=30 - n) for n in range(count)]
    made = [FeedbackFactory(case=world["case"], received_on=day) for day in received]
    FeedbackFactory(case=world["case"], responded_on=timezone.localdate(), response="We called")
    staff = StaffMember.objects.select_related("user").get(pk=world["manager"].pk)
    request = RequestFactory().get("/")
    request.user = staff.user
    with django_assert_max_num_queries(2):
        card = feedback_card(request=request, staff=staff, today=timezone.localdate())
    assert card is not None
    assert card.context["feedback_waiting_count"] == count
    assert [f.pk for f in card.context["feedback_waiting"]] == [f.pk for f in made[:5]]
