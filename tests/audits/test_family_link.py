"""The family's part of a collaborative practice review answered by the family themselves,
through a one-use link made from the part's page: their answers land in the audit, the
link works once, and nothing is taken once the audit is submitted or the part answered."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from audits.models import FAMILY_LINK_PURPOSE, Answer, Audit, Respondent, ToolQuestion
from audits.services import audits as services
from audits.services import family_links
from audits.services.tools import question_add, section_add, tool_new_version, tool_publish
from cases.models import FamilyLink, Notification
from tests.pages import page_text

pytestmark = pytest.mark.django_db

LISTENED = "Did you feel listened to?"
WORDS = "What would you like us to know?"
WHEN = "When did we last meet?"


@pytest.fixture(autouse=True)
def _no_rate_limit_left_over():
    cache.clear()


@pytest.fixture
def audit(scenario):
    """The scenario's tool with a family part of three questions (one required), audited
    by the team manager; the practitioner is allocated."""
    qa = scenario.people["qa"]
    draft = tool_new_version(tool=scenario.tool, by=qa)
    family = section_add(
        tool=draft,
        title="Parent and child feedback",
        guidance="The auditor records what they say.",
        respondent=Respondent.FAMILY,
    )
    question_add(section=family, text=LISTENED, kind=ToolQuestion.Kind.YES_NO)
    question_add(
        section=family,
        text=WORDS,
        kind=ToolQuestion.Kind.TEXT,
        guidance="Their words, not a summary.",
        required=False,
    )
    question_add(section=family, text=WHEN, kind=ToolQuestion.Kind.DATE, required=False)
    tool = tool_publish(tool=draft, by=qa)
    return services.audit_create(
        case=scenario.case,
        tool=tool,
        auditor=scenario.people["team_manager"],
        due_on=timezone.localdate() + datetime.timedelta(days=20),
        audit_type="regular",
    )


def _links():
    return FamilyLink.objects.filter(purpose=FAMILY_LINK_PURPOSE)


def _family(audit):
    return audit.tool.sections.get(respondent=Respondent.FAMILY)


def _question(audit, text):
    return _family(audit).questions.get(text=text)


def _section_url(audit, section=None):
    section = section or _family(audit)
    return reverse("audits:section", kwargs={"audit_pk": audit.pk, "section_pk": section.pk})


def _new_url(audit, section=None):
    section = section or _family(audit)
    return reverse(
        "audits:family_link_new", kwargs={"audit_pk": audit.pk, "section_pk": section.pk}
    )


def _withdraw_url(audit):
    return reverse(
        "audits:family_link_withdraw",
        kwargs={"audit_pk": audit.pk, "section_pk": _family(audit).pk},
    )


def _make(client, scenario, audit, key="team_manager", **data):
    client.force_login(scenario.people[key].user)
    response = client.post(_new_url(audit), {"audience": "adult", "days": "14", **data})
    return response


def _token_path(response) -> str:
    """The family's address as the page shows it once, without the site's base."""
    url = re.search(r'id="new-link-url" type="text" value="([^"]+)"', page_text(response))
    assert url, "the new link is not on the page"
    return "/" + url.group(1).split("/", 3)[3]


def _answers(audit, q):
    return {
        f"{_question(audit, LISTENED).field_name}": q.get("listened", "yes"),
        f"{_question(audit, WORDS).field_name}": q.get("words", "They came when they said."),
        f"{_question(audit, WHEN).field_name}_0": q.get("day", ""),
        f"{_question(audit, WHEN).field_name}_1": q.get("month", ""),
        f"{_question(audit, WHEN).field_name}_2": q.get("year", ""),
    }


def test_the_family_answer_through_the_link_and_it_shows_in_their_part(client, scenario, audit):
    made = _make(client, scenario, audit, recipient="Mum")
    assert made.status_code == 200
    path = _token_path(made)
    link = _links().get()
    assert (link.purpose, link.target_id, link.recipient) == (FAMILY_LINK_PURPOSE, audit.pk, "Mum")

    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    body = page_text(page)
    # The questions as the QA manager wrote them; the auditors' guidance and the record
    # are not on it.
    assert LISTENED in body
    assert f"{WORDS} (optional)" in body
    for secret in (
        scenario.child.reference,
        scenario.child.family_name,
        scenario.child.given_name,
        "Their words, not a summary",
        "The auditor records",
        audit.tool.name,
    ):
        assert secret not in body
    sent = client.post(path, _answers(audit, {"day": "2", "month": "12", "year": "2026"}))
    assert sent.status_code == 302
    assert sent["Location"] == reverse("family_link_thanks")

    stored = {a.question.text: a for a in Answer.objects.filter(audit=audit)}
    assert stored[LISTENED].value == "yes"
    assert stored[WORDS].value == "They came when they said."
    assert stored[WHEN].value == "2026-12-02"
    assert all(a.family_link_id == link.pk and a.updated_by is None for a in stored.values())
    audit.refresh_from_db()
    assert audit.status == Audit.Status.IN_PROGRESS
    note = Notification.objects.get(recipient=scenario.people["team_manager"])
    assert note.url == _section_url(audit)
    assert scenario.child.family_name not in note.subject + note.body

    # The practitioner, who may also record the family's part, reads it as the family's.
    client.force_login(scenario.people["practitioner"].user)
    section = page_text(client.get(_section_url(audit)))
    assert "They came when they said." in section
    assert "Given by the family themselves through a one-use link" in section
    assert "Used" in section


def test_the_link_refuses_a_second_use(client, scenario, audit):
    path = _token_path(_make(client, scenario, audit))
    client.logout()
    assert client.post(path, _answers(audit, {})).status_code == 302
    again = client.post(path, _answers(audit, {"words": "Again"}))
    assert again.status_code == 404
    assert "This link does not work" in page_text(again)
    assert client.get(path).status_code == 404
    assert Answer.objects.get(audit=audit, question__text=WORDS).value == (
        "They came when they said."
    )


def test_bad_answers_are_refused_with_messages_and_nothing_kept(client, scenario, audit):
    path = _token_path(_make(client, scenario, audit))
    client.logout()
    response = client.post(
        path, _answers(audit, {"listened": "", "words": "", "day": "31", "month": "2"})
    )
    body = page_text(response)
    assert response.status_code == 200
    assert f"Choose an answer to “{LISTENED}”" in body
    assert "Enter a real date" in body or "Enter the day, month and year" in body
    assert not Answer.objects.filter(audit=audit).exists()
    assert _links().get().used_at is None


def test_a_submitted_audit_takes_no_answers_and_says_so(client, scenario, audit):
    path = _token_path(_make(client, scenario, audit))
    Audit.objects.filter(pk=audit.pk).update(
        status=Audit.Status.SUBMITTED, overall_grade="good", submitted_at=timezone.now()
    )
    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    assert "We cannot take your answers now" in page_text(page)
    assert LISTENED not in page_text(page)
    sent = client.post(path, _answers(audit, {}))
    assert sent.status_code == 200
    assert "The review these questions were for has been finished" in page_text(sent)
    assert not Answer.objects.filter(audit=audit).exists()
    assert _links().get().used_at is None


def test_a_part_answered_meanwhile_keeps_its_answers(client, scenario, audit):
    path = _token_path(_make(client, scenario, audit))
    services.answers_save(
        audit=audit,
        section=_family(audit),
        by=scenario.people["practitioner"],
        values={_question(audit, WORDS).pk: ("Mum said on the phone: fine", 0)},
    )
    client.logout()
    sent = client.post(path, _answers(audit, {}))
    assert sent.status_code == 200
    assert "These questions have already been answered" in page_text(sent)
    assert Answer.objects.get(audit=audit).value == "Mum said on the phone: fine"


def test_an_auditor_who_loaded_the_part_before_the_family_answered_gets_a_conflict(scenario, audit):
    link = family_links.family_link_make(
        audit=audit,
        section=_family(audit),
        by=scenario.people["team_manager"],
        audience="child",
        days=7,
    ).link
    family_links.family_answers_from_link(
        link=link, values={_question(audit, WORDS).pk: "I like my worker"}
    )
    result = services.answers_save(
        audit=audit,
        section=_family(audit),
        by=scenario.people["team_manager"],
        values={_question(audit, WORDS).pk: ("Notes from my visit", 0)},
    )
    assert result.conflicts[0].changed_by == "the family, through a one-use link"
    assert Answer.objects.get(audit=audit).value == "I like my worker"


def test_someone_who_may_not_see_the_audit_cannot_make_a_link(client, scenario, audit):
    for key in ("colleague", "other_org_manager"):
        response = _make(client, scenario, audit, key=key)
        assert response.status_code == 404
    assert not _links().exists()


def test_a_reader_who_does_not_fill_the_part_cannot_make_a_link(client, scenario, audit):
    assert _make(client, scenario, audit, key="qa").status_code == 403
    client.force_login(scenario.people["qa"].user)
    page = page_text(client.get(_section_url(audit)))
    assert "Links made for the family" in page
    assert "Make a link for the family" not in page
    assert not _links().exists()


def test_links_are_made_only_from_the_family_part(client, scenario, audit):
    auditors = audit.tool.sections.get(respondent=Respondent.AUDITOR)
    client.force_login(scenario.people["team_manager"].user)
    response = client.post(_new_url(audit, auditors), {"audience": "adult", "days": "14"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"audience": ""}, "Choose who the link is for"),
        ({"audience": "stranger"}, "Choose who the link is for"),
        ({"days": ""}, "Enter how many days the link should work for"),
        ({"days": "0"}, "The link must work for between 1 and 60 days"),
        ({"days": "61"}, "The link must work for between 1 and 60 days"),
        ({"days": "soon"}, "Enter how many days as a number, like 14"),
        ({"recipient": "x" * 81}, "Write 80 characters or fewer"),
    ],
)
def test_bad_link_requests_are_refused_with_messages(client, scenario, audit, data, message):
    response = _make(client, scenario, audit, **data)
    assert response.status_code == 400
    assert message in page_text(response)
    assert not _links().exists()


def test_no_link_for_a_part_already_answered_or_a_submitted_audit(client, scenario, audit):
    services.answers_save(
        audit=audit,
        section=_family(audit),
        by=scenario.people["team_manager"],
        values={_question(audit, LISTENED).pk: ("yes", 0)},
    )
    response = _make(client, scenario, audit)
    assert response.status_code == 400
    assert "The family's part already has answers" in page_text(response)
    Answer.objects.all().delete()
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.SUBMITTED, overall_grade="good")
    assert _make(client, scenario, audit).status_code == 403
    assert not _links().exists()


def test_a_link_is_withdrawn_and_no_longer_opens(client, scenario, audit):
    path = _token_path(_make(client, scenario, audit))
    link = _links().get()
    response = client.post(_withdraw_url(audit), {"link": link.pk})
    assert response.status_code == 302
    assert response["Location"].endswith("#family-links")
    link.refresh_from_db()
    assert link.withdrawn_at is not None
    client.logout()
    assert client.get(path).status_code == 404


def test_only_the_audits_own_links_are_withdrawn(client, scenario, audit):
    other = family_links.family_link_make(
        audit=audit,
        section=_family(audit),
        by=scenario.people["team_manager"],
        audience="adult",
        days=3,
    ).link
    other.target_id = audit.pk + 1000
    other.save()
    client.force_login(scenario.people["team_manager"].user)
    response = client.post(_withdraw_url(audit), {"link": other.pk}, follow=True)
    assert "That link is not one of this audit's" in page_text(response)
    response = client.post(_withdraw_url(audit), {"link": "many"}, follow=True)
    assert "Choose a link to withdraw" in page_text(response)
    other.refresh_from_db()
    assert other.withdrawn_at is None


def test_answering_stops_the_audits_other_links(client, scenario, audit):
    first = _token_path(_make(client, scenario, audit))
    second = _token_path(_make(client, scenario, audit))
    client.logout()
    assert client.post(second, _answers(audit, {})).status_code == 302
    assert client.get(first).status_code == 404


def test_the_part_lists_its_links_in_bounded_queries(
    client, scenario, audit, django_assert_max_num_queries
):
    for _ in range(5):
        family_links.family_link_make(
            audit=audit,
            section=_family(audit),
            by=scenario.people["team_manager"],
            audience="adult",
            days=3,
        )
    client.force_login(scenario.people["team_manager"].user)
    with django_assert_max_num_queries(40):
        response = client.get(_section_url(audit))
    assert page_text(response).count("Waiting for an answer") == 5


def test_the_history_says_the_family_gave_their_answers(client, scenario, audit):
    path = _token_path(_make(client, scenario, audit))
    client.logout()
    client.post(path, _answers(audit, {}))
    client.force_login(scenario.people["qa"].user)
    page = page_text(client.get(reverse("audits:audit_history", kwargs={"audit_pk": audit.pk})))
    assert "The family, through a one-use link" in page
    assert "They came when they said." in page


def test_a_childs_link_has_simpler_words_around_the_same_questions(client, scenario, audit):
    path = _token_path(_make(client, scenario, audit, audience="child"))
    client.logout()
    body = page_text(client.get(path))
    assert "Tell us what you think" in body
    assert "There are no right or wrong answers" in body
    assert LISTENED in body
