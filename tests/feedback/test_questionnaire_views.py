"""Questionnaire pages: the list and its filters, one questionnaire with its links and
answers, the family's page behind the one-use link, a paper copy's answers, and the
scores (their arithmetic, and the questionnaires behind each figure)."""

from __future__ import annotations

import datetime
import html
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from cases.models import AccessLog, FamilyLink
from feedback import questionnaires as q
from feedback.figures_questionnaires import (
    average,
    half_start,
    halves_to,
    parse_half,
    score_figures,
)
from feedback.models import Questionnaire, QuestionnaireAnswer
from tests.factories import QuestionnaireFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 18)
EXIT_POST = {
    "q_information": "4",
    "q_preparation": "5",
    "q_assessment": "4",
    "q_panel": "3",
    "q_matching": "4",
    "q_introductions": "2",
    "q_support": "3",
    "q_overall": "4",
    "comments": "Our worker was brilliant; introductions felt rushed.",
}


@pytest.fixture(autouse=True)
def frozen():
    cache.clear()
    moment = datetime.datetime(2026, 11, 18, 10, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        yield


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _detail_url(questionnaire: Questionnaire) -> str:
    return reverse("feedback:questionnaire_detail", kwargs={"questionnaire_pk": questionnaire.pk})


def _answered(questionnaire: Questionnaire, scores: dict[str, int], on: datetime.date) -> None:
    QuestionnaireAnswer.objects.bulk_create(
        QuestionnaireAnswer(
            organisation_id=questionnaire.organisation_id,
            questionnaire=questionnaire,
            question=key,
            score=score,
        )
        for key, score in scores.items()
    )
    questionnaire.status = Questionnaire.Status.ANSWERED
    questionnaire.answered_on = on
    questionnaire.save()


# The family's page.


def _make_link(client, questionnaire: Questionnaire) -> str:
    worker = questionnaire.case.allocated_worker
    client.force_login(worker.user)
    response = client.post(
        reverse("feedback:questionnaire_link_new", kwargs={"questionnaire_pk": questionnaire.pk}),
        {"recipient": "Sarah and James", "days": "14"},
    )
    assert response.status_code == 200
    url = re.search(r'id="new-link-url" type="text" value="([^"]+)"', response.content.decode())
    assert url is not None
    client.logout()
    return url.group(1)


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_the_family_answers_through_the_link_once(client):
    questionnaire = QuestionnaireFactory()
    path = _path(_make_link(client, questionnaire))
    # Shown once: the detail page afterwards lists the link but not its address.
    client.force_login(questionnaire.case.allocated_worker.user)
    later = _text(client.get(_detail_url(questionnaire)))
    assert path not in later
    assert "Sarah and James" in later
    client.logout()

    page = client.get(path)
    assert page.status_code == 200
    body = _text(page)
    assert "Your adoption journey" in body
    assert "Introductions" in body
    assert "Very good" in body
    assert "Very poor" in body
    for secret in (
        questionnaire.case.adopter.household_name,
        questionnaire.case.adopter.reference,
    ):
        assert secret not in body

    response = client.post(path, EXIT_POST)
    assert response.status_code == 302
    questionnaire.refresh_from_db()
    assert questionnaire.status == Questionnaire.Status.ANSWERED
    assert questionnaire.channel == Questionnaire.Channel.LINK
    assert questionnaire.answered_on == TODAY
    assert questionnaire.comments == EXIT_POST["comments"]
    assert dict(questionnaire.answers.values_list("question", "score"))["introductions"] == 2
    assert FamilyLink.objects.get().status == "Used"

    assert client.get(path).status_code == 404
    assert client.post(path, EXIT_POST).status_code == 404
    assert QuestionnaireAnswer.objects.count() == 8

    client.force_login(questionnaire.case.allocated_worker.user)
    seen = _text(client.get(_detail_url(questionnaire)))
    assert "The family's answers" in seen
    assert "Poor</strong> (2 out of 5)" in seen
    assert EXIT_POST["comments"] in seen


def test_the_family_is_told_what_they_missed_and_the_link_still_works(client):
    questionnaire = QuestionnaireFactory()
    path = _path(_make_link(client, questionnaire))
    response = client.post(path, {**EXIT_POST, "q_panel": "", "q_overall": "9"})
    assert response.status_code == 200
    body = _text(response)
    assert "Choose an answer for ‘The adoption panel’" in body
    assert "Choose an answer for ‘Your adoption journey overall’" in body
    assert body.count('class="govuk-error-summary"') == 1
    questionnaire.refresh_from_db()
    assert questionnaire.is_waiting
    assert client.get(path).status_code == 200


def test_a_second_link_stops_working_once_the_first_is_answered(client):
    questionnaire = QuestionnaireFactory()
    first = _path(_make_link(client, questionnaire))
    second = _path(_make_link(client, questionnaire))
    assert client.post(first, EXIT_POST).status_code == 302
    assert client.get(second).status_code == 404
    statuses = sorted(link.status for link in FamilyLink.objects.all())
    assert statuses == ["Used", "Withdrawn"]


# Staff pages.


def test_staff_make_and_withdraw_links(client):
    questionnaire = QuestionnaireFactory()
    worker = questionnaire.case.allocated_worker
    client.force_login(worker.user)
    url = reverse("feedback:questionnaire_link_new", kwargs={"questionnaire_pk": questionnaire.pk})
    bad = client.post(url, {"days": "90"})
    assert bad.status_code == 400
    assert "The link must work for between 1 and 60 days" in _text(bad)
    assert not FamilyLink.objects.exists()
    client.post(url, {"days": "7"})
    link = FamilyLink.objects.get()
    withdraw = reverse(
        "feedback:questionnaire_link_withdraw", kwargs={"questionnaire_pk": questionnaire.pk}
    )
    assert client.post(withdraw, {"link": "nonsense"}).status_code == 302
    response = client.post(withdraw, {"link": str(link.pk)}, follow=True)
    assert "Link withdrawn" in _text(response)
    link.refresh_from_db()
    assert link.status == "Withdrawn"


def test_staff_enter_a_paper_copy(client):
    questionnaire = QuestionnaireFactory()
    client.force_login(questionnaire.case.allocated_worker.user)
    url = reverse("feedback:questionnaire_paper", kwargs={"questionnaire_pk": questionnaire.pk})
    assert client.get(url).status_code == 200
    tomorrow = TODAY + datetime.timedelta(days=1)
    future = {
        **EXIT_POST,
        "answered_on_0": str(tomorrow.day),
        "answered_on_1": str(tomorrow.month),
        "answered_on_2": str(tomorrow.year),
    }
    response = client.post(url, future)
    assert response.status_code == 400
    assert "must be today or earlier" in _text(response)
    good = {**future, "answered_on_0": "10"}
    response = client.post(url, good)
    assert response.status_code == 302
    questionnaire.refresh_from_db()
    assert questionnaire.channel == Questionnaire.Channel.PAPER
    assert questionnaire.answered_on == datetime.date(2026, 11, 10)
    # Answered: nothing more to send, enter or close.
    assert client.get(url).status_code == 403
    page = _text(client.get(_detail_url(questionnaire)))
    assert "Make a link" not in page


def test_staff_close_a_questionnaire_without_an_answer(client):
    questionnaire = QuestionnaireFactory()
    client.force_login(questionnaire.case.allocated_worker.user)
    url = reverse("feedback:questionnaire_close", kwargs={"questionnaire_pk": questionnaire.pk})
    response = client.post(url, follow=True)
    assert "Closed without an answer" in _text(response)
    assert client.post(url).status_code == 403


def test_the_detail_page_is_in_the_access_log(client):
    questionnaire = QuestionnaireFactory()
    client.force_login(questionnaire.case.allocated_worker.user)
    client.get(_detail_url(questionnaire))
    entry = AccessLog.objects.get()
    assert list(entry.adopters.all()) == [questionnaire.case.adopter]


def test_the_list_filters_and_pages_within_bounds(client, django_assert_max_num_queries):
    first = QuestionnaireFactory()
    case = first.case
    for n in range(30):
        QuestionnaireFactory(
            case=case,
            kind=Questionnaire.Kind.AFTER_PANEL if n % 2 else Questionnaire.Kind.EXIT,
        )
    client.force_login(case.allocated_worker.user)
    url = reverse("feedback:questionnaire_list")
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert "31 questionnaires" in _text(response)
    with django_assert_max_num_queries(14):
        response = client.get(url, {"kind": "after_panel", "page": "2"})
    assert "15 questionnaires" in _text(response)
    for garbage in ({"kind": "<script>"}, {"status": "maybe"}, {"half": "2026-05"}, {"page": "x"}):
        response = client.get(url, garbage)
        assert response.status_code == 200
        assert "31 questionnaires" in _text(response)


def test_the_list_shows_only_what_the_reader_sees(client):
    mine = QuestionnaireFactory(case__adopter__household_name="Ashdown")
    theirs = QuestionnaireFactory(
        case__organisation=mine.organisation, case__adopter__household_name="Brackley"
    )
    client.force_login(mine.case.allocated_worker.user)
    body = _text(client.get(reverse("feedback:questionnaire_list")))
    assert mine.case.adopter.household_name in body
    assert theirs.case.adopter.household_name not in body
    other = StaffMemberFactory(team=theirs.case.team)
    assert client.get(_detail_url(mine)).status_code == 200
    client.force_login(other.user)
    assert client.get(_detail_url(mine)).status_code == 404


# Scores.


def test_half_years_run_april_to_september_and_october_to_march():
    assert half_start(datetime.date(2026, 4, 1)) == datetime.date(2026, 4, 1)
    assert half_start(datetime.date(2026, 9, 30)) == datetime.date(2026, 4, 1)
    assert half_start(datetime.date(2026, 10, 1)) == datetime.date(2026, 10, 1)
    assert half_start(datetime.date(2027, 3, 31)) == datetime.date(2026, 10, 1)
    halves = halves_to(TODAY)
    assert [h.key for h in halves] == ["2025-04", "2025-10", "2026-04", "2026-10"]
    assert halves[-1].label == "October 2026 to March 2027"
    assert halves[0].end == datetime.date(2025, 9, 30)
    assert parse_half("2026-10") == halves[-1]
    assert parse_half("2026-05") is None
    assert parse_half("nonsense") is None


def test_averages_are_to_one_decimal_place_halves_rounded_up():
    assert average(9, 2) == Decimal("4.5")
    assert average(5, 3) == Decimal("1.7")  # 1.666...
    assert average(49, 20) == Decimal("2.5")  # 2.45 rounds up
    assert average(0, 0) is None


def test_the_score_figures_add_up(scenario):
    case = scenario.adopter_case
    this_half = datetime.date(2026, 10, 20)
    last_half = datetime.date(2026, 5, 2)
    _answered(
        QuestionnaireFactory(case=case, kind="after_panel"),
        {"prepared": 4, "welcome": 5, "questions": 3, "outcome": 5},
        this_half,
    )
    _answered(
        QuestionnaireFactory(case=case, kind="after_panel"),
        {"prepared": 5, "welcome": 5, "questions": 2, "outcome": 4},
        this_half,
    )
    _answered(
        QuestionnaireFactory(case=case, kind="after_panel"),
        {"prepared": 1, "welcome": 2, "questions": 2, "outcome": 3},
        last_half,
    )
    # Waiting (the scenario's, and this one), answered too long ago, and another
    # organisation's: not counted.
    QuestionnaireFactory(case=case, kind="after_panel")
    _answered(
        QuestionnaireFactory(case=case, kind="after_panel"),
        {"prepared": 1, "welcome": 1, "questions": 1, "outcome": 1},
        datetime.date(2025, 3, 31),
    )
    _answered(
        QuestionnaireFactory(kind="after_panel"),
        {"prepared": 1, "welcome": 1, "questions": 1, "outcome": 1},
        this_half,
    )
    figures = score_figures(user=scenario.people["qa"].user, today=TODAY)
    panel = next(k for k in figures.kinds if k.kind == "after_panel")
    by_key = {row.key: row.by_half for row in panel.questions}
    # Halves: April 2025, October 2025, April 2026, October 2026.
    assert by_key["prepared"][3].average == Decimal("4.5")
    assert by_key["prepared"][3].answers == 2
    assert by_key["questions"][3].average == Decimal("2.5")
    assert by_key["prepared"][2].average == Decimal("1.0")
    assert by_key["prepared"][0].answers == 0
    # Every answer of the kind: (4+5+3+5+5+5+2+4) / 8 = 33 / 8 = 4.125 -> 4.1.
    assert panel.overall[3].total == 33
    assert panel.overall[3].average == Decimal("4.1")
    assert panel.answered == [0, 0, 1, 2]
    exit_scores = next(k for k in figures.kinds if k.kind == "exit")
    assert not exit_scores.has_answers
    # A reader of another organisation sees none of it; one of the case's team, all.
    other = score_figures(user=scenario.people["other_org_qa"].user, today=TODAY)
    assert not any(k.has_answers for k in other.kinds)
    worker = score_figures(user=scenario.people["adoption_worker"].user, today=TODAY)
    assert next(k for k in worker.kinds if k.kind == "after_panel").answered == [0, 0, 1, 2]


def test_the_scores_page_shows_each_figure_with_the_questionnaires_behind_it(
    client, scenario, django_assert_max_num_queries
):
    case = scenario.adopter_case
    for n in range(6):
        _answered(
            QuestionnaireFactory(case=case, kind="preparation"),
            {"content": 4, "presenters": 5, "useful": 3 + n % 2, "overall": 4},
            datetime.date(2026, 10, 5 + n),
        )
    client.force_login(scenario.people["qa"].user)
    url = reverse("feedback:questionnaire_scores")
    with django_assert_max_num_queries(10):
        response = client.get(url)
    body = _text(response)
    assert "<svg" in body
    # useful: (3+4+3+4+3+4) / 6 = 3.5.
    assert "3.5 out of 5 (6 answers)" in body
    behind = (
        f"{reverse('feedback:questionnaire_list')}?kind=preparation&status=answered&half=2026-10"
    )
    assert html.escape(behind) in response.content.decode() or behind in body
    listed = client.get(behind)
    assert "6 questionnaires" in _text(listed)
    # An earlier half-year's charts; a made-up one shows this half-year's.
    assert client.get(url, {"half": "2026-04"}).status_code == 200
    assert client.get(url, {"half": "1999-04"}).status_code == 200
    assert client.get(url, {"half": "<script>"}).status_code == 200


@pytest.mark.parametrize(
    ("username", "status"),
    [("practitioner", 403), ("regional_lead", 403), ("team_manager", 200), ("qa", 200)],
)
def test_who_may_read_the_scores(client, scenario, username, status):
    client.force_login(scenario.people[username].user)
    assert client.get(reverse("feedback:questionnaire_scores")).status_code == status


def test_the_regional_lead_has_no_questionnaire_list(client, scenario):
    client.force_login(scenario.people["regional_lead"].user)
    assert client.get(reverse("feedback:questionnaire_list")).status_code == 403


def test_a_questionnaire_the_worker_cannot_send_has_no_controls(client, scenario):
    questionnaire = scenario.questionnaire
    client.force_login(scenario.people["senior_leader"].user)
    body = _text(client.get(_detail_url(questionnaire)))
    assert "Make a link" not in body
    url = reverse("feedback:questionnaire_link_new", kwargs={"questionnaire_pk": questionnaire.pk})
    assert client.post(url, {"days": "7"}).status_code == 403
    assert q.questionnaire_records(user=scenario.people["senior_leader"].user).count() == 1
