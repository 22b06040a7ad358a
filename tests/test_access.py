"""Every URL in the project, tried by people outside the scope of the objects it shows.

The test walks the URL resolver, so a new URL joins it by existing. A URL whose
arguments it cannot fill from the scenario fails the test: add the argument to
`ARGUMENTS` (and the people who may and may not see the object to the scenario).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import testdb
from tests.scenario import Scenario, build_scenario

# Each URL argument names the scenario object it takes, and who may / may not see it.
ARGUMENTS: dict[str, tuple[Callable[[Scenario], int], str]] = {
    "child_pk": (lambda s: s.child.pk, "child"),
    "adopter_pk": (lambda s: s.adopter.pk, "adopter"),
    "audit_pk": (lambda s: s.audit.pk, "audit"),
    "action_pk": (lambda s: s.action.pk, "audit"),
    "tool_pk": (lambda s: s.tool.pk, "tool"),
    "section_pk": (lambda s: s.tool.sections.first().pk, "tool"),
    "question_pk": (lambda s: s.tool.sections.first().questions.first().pk, "tool"),
    "theme_pk": (lambda s: s.theme.pk, "theme"),
    "rota_pk": (lambda s: s.rota.pk, "rota"),
    "slot_pk": (lambda s: s.slot.pk, "rota"),
    "import_pk": (lambda s: s.import_run.pk, "import"),
    "issue_pk": (lambda s: s.dq_issue.pk, "child"),
    # Indicator pages show the reader's own organisation's figures: only people who may
    # read no figures at all are outsiders (scope across organisations: test_indicator_views).
    "slug": (lambda s: "visits-in-timescale", "indicator"),
    "kpq": (lambda s: 5, "indicator"),
    "rule_pk": (lambda s: s.alert_rule.pk, "alert"),
    "proposal_pk": (lambda s: s.proposal.pk, "alert"),
    "observation_pk": (lambda s: s.observation.pk, "observation"),
    "observation_action_pk": (lambda s: s.observation_action.pk, "observation"),
    "round_pk": (lambda s: s.feedback_round.pk, "feedback"),
    "event_pk": (lambda s: s.practice_event.pk, "practice_event"),
    "visit_pk": (lambda s: s.practice_visit.pk, "practice_event"),
    "event_action_pk": (lambda s: s.practice_event_action.pk, "practice_event"),
    "feedback_pk": (lambda s: s.voice.pk, "child"),
    "case_pk": (lambda s: s.case.pk, "child"),
    "link_pk": (lambda s: s.family_link.pk, "child"),
    "feedback_theme_pk": (lambda s: s.feedback_theme.pk, "feedback_theme"),
    "you_said_pk": (lambda s: s.you_said.pk, "you_said"),
    "complaint_pk": (lambda s: s.complaint.pk, "complaint"),
    "complaint_action_pk": (lambda s: s.complaint_action.pk, "complaint"),
    "compliment_pk": (lambda s: s.compliment.pk, "complaint"),
    "panel_meeting_pk": (lambda s: s.panel_meeting.pk, "panel_meeting"),
    "panel_item_pk": (lambda s: s.panel_item.pk, "panel_item"),
    "challenge_pk": (lambda s: s.challenge.pk, "challenge"),
    "challenge_action_pk": (lambda s: s.challenge_action.pk, "challenge"),
    # Raising a challenge on the child's case: for the independent chair alone.
    "challenge_case_pk": (lambda s: s.case.pk, "challenge_case"),
    "survey_pk": (lambda s: s.survey.pk, "survey"),
    "questionnaire_pk": (lambda s: s.questionnaire.pk, "questionnaire"),
    "plan_action_pk": (lambda s: s.plan_action.pk, "plan_action"),
    "priority_pk": (lambda s: s.plan_priority.pk, "plan"),
    "review_pk": (lambda s: s.plan_review.pk, "plan"),
    # The board shows the reader's own organisation's figures: outsiders are those who
    # may not read a board at all (across organisations: tests/governance/test_board.py).
    "measure": (lambda s: "audit-grades", "board"),
    "month": (lambda s: "2026-01", "board"),
    # The regional view: a measure's charts for every organisation of the reader's region
    # (another region's lead, and the agency's partner board: tests/governance/test_regional.py).
    "regional_measure": (lambda s: "audit-grades", "regional"),
    "process_change_pk": (lambda s: s.process_change.pk, "process_change"),
    "return_pk": (lambda s: s.exceptions_return.pk, "exceptions_return"),
    # Scheduled reports (a published report of council A, and its first section).
    "report_pk": (lambda s: s.report.pk, "report"),
    "section_key": (lambda s: "activity", "report"),
    # Boards and meetings; learning briefs (branch boards).
    "board_pk": (lambda s: s.board_record.pk, "board_record"),
    "meeting_pk": (lambda s: s.meeting.pk, "board_record"),
    "brief_pk": (lambda s: s.learning_brief.pk, "learning_brief"),
    # The Performance and Outcomes cascade above the service: a level's page shows the
    # reader's own organisation's month (across organisations: test_returns_cascade.py).
    "cascade_level": (lambda s: "head-of-service", "cascade"),
    "return_action_pk": (lambda s: s.return_action.pk, "return_action"),
}
# When a URL takes several arguments, the first kind here names whose scope it is in.
SUBJECT_ORDER = (
    "report",
    "exceptions_return",
    # Boards and meetings; learning briefs (branch boards).
    "board_record",
    "learning_brief",
    "return_action",
    "cascade",
    "plan_action",
    "plan",
    "feedback",
    "feedback_theme",
    "you_said",
    "complaint",
    "challenge",
    "challenge_case",
    "survey",
    "questionnaire",
    "observation",
    "practice_event",
    "panel_meeting",
    "panel_item",
    "audit",
    "tool",
    "theme",
    "rota",
    "alert",
    "process_change",
    "board",
    "regional",
    "indicator",
    "child",
    "adopter",
    "import",
)

# The arguments of the public URLs below (a guessed token opens nothing).
PUBLIC_ARGUMENTS: dict[str, tuple[Callable[[Scenario], object], str]] = {
    "token": (lambda s: "not-a-real-token", "public"),
    "organisation_slug": (lambda s: s.case.organisation.slug, "public"),
}

# URLs open to anyone, signed in or not, that show no case data. The one-use link pages
# open by their token alone, for whoever holds it: tests/test_family_links.py proves a
# guessed, used, expired or withdrawn token opens nothing, for everyone.
PUBLIC = {
    "login",
    "logout",
    "healthz",
    "family_link",
    "family_link_thanks",
    # Published "you said, we did" entries, written for families: no one's details.
    "feedback:you_said_public",
}


def _walk(
    patterns, prefix: str = "", namespace: str | None = None
) -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns == "admin":
                continue
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, entry


def project_urls() -> list[tuple[str, list[str]]]:
    """(url name, argument names) for every named URL outside the admin."""
    seen = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        seen[name] = list(pattern.pattern.converters)
    return sorted(seen.items())


URLS = project_urls()
OBJECT_URLS = [(name, args) for name, args in URLS if args and name not in PUBLIC]
LIST_URLS = [(name, args) for name, args in URLS if not args and name not in PUBLIC]


@pytest.fixture(scope="module")
def shared_scenario(django_db_setup, django_db_blocker) -> Iterator[Scenario]:
    """One scenario for the whole walk, inside a transaction rolled back at the end; each
    test runs in a savepoint within it (pytest-django's), so whatever a test writes is
    undone before the next. Building the scenario for each of the walk's thousand tests
    cost most of the suite's time."""
    with django_db_blocker.unblock(), transaction.atomic():
        scenario = build_scenario()
        testdb.check_constraints_now()
        yield scenario
        transaction.set_rollback(True)


@pytest.fixture
def scenario(shared_scenario: Scenario, db) -> Scenario:
    return shared_scenario


def test_every_url_argument_is_known():
    unknown = {arg for _, args in OBJECT_URLS for arg in args if arg not in ARGUMENTS}
    assert not unknown, f"add these URL arguments to ARGUMENTS in {__file__}: {unknown}"


def test_the_walk_finds_the_case_pages():
    names = {name for name, _ in URLS}
    assert {"cases:case_list", "cases:child_detail", "cases:adopter_detail"} <= names


def _url(name: str, args: list[str], scenario: Scenario) -> tuple[str, str]:
    kwargs = {arg: ARGUMENTS[arg][0](scenario) for arg in args}
    subjects = {ARGUMENTS[arg][1] for arg in args}
    return reverse(name, kwargs=kwargs), next(k for k in SUBJECT_ORDER if k in subjects)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args"), OBJECT_URLS)
def test_people_out_of_scope_get_403_or_404(client, scenario, name, args):
    url, subject = _url(name, args, scenario)
    for key in getattr(scenario, f"{subject}_outsiders"):
        client.force_login(scenario.people[key].user)
        response = client.get(url)
        if response.status_code == 405:
            # A POST-only page refuses GET before looking anything up: try the POST.
            response = client.post(url)
        assert response.status_code in (403, 404), f"{key} got {response.status_code} at {url}"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args"), OBJECT_URLS)
def test_people_in_scope_find_it(client, scenario, name, args):
    """Insiders find the object (no 404); some pages are for one of them only (403),
    take POST only (405) or send them on (302), but at least one insider can use each."""
    url, subject = _url(name, args, scenario)
    statuses = {}
    for key in getattr(scenario, f"{subject}_insiders"):
        client.force_login(scenario.people[key].user)
        statuses[key] = client.get(url).status_code
    assert all(code in (200, 302, 403, 405) for code in statuses.values()), statuses
    assert any(code in (200, 302, 405) for code in statuses.values()), statuses


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args"), [*OBJECT_URLS, *LIST_URLS])
def test_anonymous_users_are_sent_to_sign_in(client, scenario, name, args):
    url = _url(name, args, scenario)[0] if args else reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args"), LIST_URLS)
def test_list_pages_show_nothing_out_of_scope(client, scenario, name, args):
    """Outsiders to the child or adopter get a refusal, or a page without them on it."""
    for key in set(scenario.child_outsiders) & set(scenario.adopter_outsiders):
        client.force_login(scenario.people[key].user)
        response = client.get(reverse(name))
        assert response.status_code in (200, 403), f"{key} got {response.status_code}"
        body = _readable(response)
        for secret in (
            scenario.child.reference,
            scenario.child.family_name,
            scenario.adopter.reference,
            scenario.adopter.household_name,
        ):
            assert secret not in body, f"{key} saw {secret} at {name}"


def _readable(response) -> str:
    """The page's text, or every cell of a spreadsheet download."""
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        from io import BytesIO

        from openpyxl import load_workbook

        sheet = load_workbook(BytesIO(response.content), read_only=True).active
        return " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
    if response.streaming:
        return html.unescape(b"".join(response.streaming_content).decode())
    return html.unescape(response.content.decode())


@pytest.mark.django_db
def test_the_admin_is_for_superusers_only(client, scenario):
    for person in scenario.people.values():
        person.user.is_staff = True
        person.user.save()
        client.force_login(person.user)
        response = client.get(reverse("admin:cases_child_changelist"))
        assert response.status_code == 302, person.user.username


# The list pages QA may not read, and who reads them instead.
LIST_READERS = {"governance:regional": "regional_lead"}

GARBAGE = [
    {"page": "-1"},
    {"page": "abc"},
    {"page": "99999999999999999999"},
    {"sort": "password"},
    {"sort": "-"},
    {"team": "1 OR 1=1"},
    {"team": "-5"},
    {"worker": "\x00"},
    {"status": "maybe"},
    {"stage": "<script>"},
    {"q": "x" * 5000},
    {"q": "%' OR '1'='1"},
    {"unallocated": "perhaps"},
    {"viewed_from": "31/02/2026"},
    {"person": "[]"},
    {"reference": "\u202e"},
    {"events": "../../etc"},
    {"service": "9" * 30},
    {"action": "<script>"},
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args"), LIST_URLS)
def test_garbage_query_strings_never_give_a_500(client, scenario, name, args):
    client.force_login(scenario.people[LIST_READERS.get(name, "qa")].user)
    for params in GARBAGE:
        response = client.get(reverse(name), params)
        assert response.status_code == 200, (name, params)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args"), OBJECT_URLS)
def test_garbage_query_strings_on_record_pages_never_give_a_500(client, scenario, name, args):
    client.force_login(scenario.people["qa"].user)
    url = _url(name, args, scenario)[0]
    for params in GARBAGE:
        assert client.get(url, params).status_code < 500, (name, params)


QUERY_KEYS = [
    "page",
    "sort",
    "team",
    "service",
    "worker",
    "worker_name",
    "status",
    "stage",
    "q",
    "unallocated",
    "person",
    "reference",
    "viewed_from",
    "action",
    "events",
]


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=st.dictionaries(st.sampled_from(QUERY_KEYS), st.text(max_size=40), max_size=5))
def test_any_query_string_on_the_case_list_is_answered_without_a_500(client, scenario, params):
    client.force_login(scenario.people["qa"].user)
    assert client.get(reverse("cases:case_list"), params).status_code == 200


def _pdf_words(content: bytes) -> str:
    import subprocess

    try:
        done = subprocess.run(
            ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
        )
    except FileNotFoundError:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return done.stdout.decode()


def _shows(response, scenario) -> set[str]:
    """Which of the scenario's child and adopter a response shows or downloads. A PDF
    (only an audit's report) is taken to show its audit's child."""
    if response.get("Content-Type", "").startswith("application/pdf"):
        if 'filename="report-' not in response.get("Content-Disposition", ""):
            return {"child"}
        # A scheduled report's PDF (governance) holds counts and grades: read its words.
        body = _pdf_words(response.content)
    else:
        body = _readable(response)
    shown = set()
    if scenario.child.reference in body or scenario.child.family_name in body:
        shown.add("child")
    if scenario.adopter.reference in body or scenario.adopter.household_name in body:
        shown.add("adopter")
    return shown


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args"), [*OBJECT_URLS, *LIST_URLS])
def test_every_page_showing_a_child_or_adopter_writes_the_access_log(client, scenario, name, args):
    """Each insider who is shown the child or adopter gets exactly one entry naming them,
    written by that request for that person (see cases/access.py)."""
    from cases.models import AccessLog

    if args:
        url, subject = _url(name, args, scenario)
        people = getattr(scenario, f"{subject}_insiders")
    else:
        url = reverse(name)
        people = dict.fromkeys([*scenario.child_insiders, *scenario.adopter_insiders])
    for key in people:
        user = scenario.people[key].user
        client.force_login(user)
        before = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.get(url)
        if response.status_code != 200:
            continue
        shown = _shows(response, scenario)
        if not shown:
            continue
        written = list(AccessLog.objects.filter(pk__gt=before))
        assert len(written) == 1, f"{url} for {key} wrote {len(written)} entries, not one"
        entry = written[0]
        assert entry.user == user, f"{url} for {key} wrote an entry for {entry.user}"
        listed = {*entry.children.all(), *entry.adopters.all()}
        for kind in shown:
            assert getattr(scenario, kind) in listed, (
                f"{url} showed {key} the {kind} and its access log entry does not name them"
            )
