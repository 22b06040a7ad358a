"""The access log: one entry per response that shows or downloads children's or adopters'
details (cases/access.py), and the page QA read it on. Which views write it: the URL walk
in tests/test_access.py."""

from __future__ import annotations

import datetime
from io import BytesIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audits.models import Audit, AuditType
from cases.access import AccessLogMiddleware, access_note
from cases.models import AccessLog, Case, Child
from cases.selectors import ACCESS_LOG_NAMES
from cases.services import Subject, access_log_write
from tests.factories import CaseFactory, ChildFactory, UserFactory

pytestmark = pytest.mark.django_db


def _respond(status: int, user, **noted) -> HttpResponse:
    """A response of `status` from a view that noted `noted`, through the middleware."""

    def view(request):
        access_note(request, **noted)
        return HttpResponse(status=status)

    request = RequestFactory().get("/somewhere/", {"q": "CHILD-A-001"})
    request.user = user
    return AccessLogMiddleware(view)(request)


def _children(scenario, count: int) -> list[Case]:
    """`count` open cases of new children in the child's team, made in bulk."""
    team = scenario.case.team
    children = Child.objects.bulk_create(
        ChildFactory.build_batch(count, organisation=team.organisation)
    )
    return Case.objects.bulk_create(
        CaseFactory.build(team=team, child=child, allocated_worker=scenario.people["practitioner"])
        for child in children
    )


# The mechanism


@pytest.mark.parametrize("status", [200, 400, 409])
def test_a_response_showing_records_writes_one_entry_naming_them(scenario, status):
    user = scenario.people["qa"].user
    _respond(status, user, subjects=[scenario.child], cases=[scenario.adopter_case])
    entry = AccessLog.objects.get()
    assert entry.user == user
    assert entry.organisation == scenario.child.organisation
    assert entry.action == AccessLog.Action.VIEWED
    assert entry.path == "/somewhere/?q=CHILD-A-001"
    assert list(entry.children.all()) == [scenario.child]
    assert list(entry.adopters.all()) == [scenario.adopter]


@pytest.mark.parametrize("status", [302, 403, 404, 405, 500])
def test_a_refusal_redirect_or_error_writes_nothing_whatever_was_noted(scenario, status):
    _respond(status, scenario.people["qa"].user, subjects=[scenario.child])
    assert not AccessLog.objects.exists()


def test_nothing_is_written_for_an_anonymous_visitor(scenario):
    _respond(200, AnonymousUser(), subjects=[scenario.child])
    assert not AccessLog.objects.exists()


def test_a_response_that_noted_nothing_writes_nothing(scenario):
    _respond(200, scenario.people["qa"].user)
    assert not AccessLog.objects.exists()


def test_the_same_child_noted_twice_is_listed_once_with_the_strongest_action(scenario):
    def view(request):
        access_note(request, subjects=[scenario.child])
        access_note(request, cases=[scenario.case], action=AccessLog.Action.DOWNLOADED)
        access_note(request, cases=[scenario.case], action=AccessLog.Action.SEARCHED)
        return HttpResponse()

    request = RequestFactory().get("/")
    request.user = scenario.people["qa"].user
    AccessLogMiddleware(view)(request)
    entry = AccessLog.objects.get()
    assert entry.action == AccessLog.Action.DOWNLOADED
    assert list(entry.children.all()) == [scenario.child]


def test_records_of_two_organisations_make_one_entry_for_each(scenario):
    foreign = CaseFactory(team=scenario.people["other_org_manager"].team)
    _respond(200, UserFactory(is_superuser=True), cases=[scenario.case, foreign])
    entries = {entry.organisation_id: entry for entry in AccessLog.objects.all()}
    assert set(entries) == {scenario.case.organisation_id, foreign.organisation_id}
    assert list(entries[foreign.organisation_id].children.all()) == [foreign.child]


def test_noting_without_the_middleware_is_refused_not_lost(scenario):
    request = RequestFactory().get("/")
    request.user = scenario.people["qa"].user
    with pytest.raises(ImproperlyConfigured):
        access_note(request, subjects=[scenario.child])


@pytest.mark.parametrize("count", [3, 500])
def test_writing_an_entry_costs_the_same_queries_for_any_number_of_children(
    scenario, count, django_assert_max_num_queries
):
    cases = _children(scenario, count)
    subjects = [Subject(c.organisation_id, child=c.child_id, adopter=None) for c in cases]
    # Savepoint, entry, its children (two INSERTs past SQLite's 999 parameters), release.
    with django_assert_max_num_queries(5):
        access_log_write(
            user=scenario.people["qa"].user,
            path="/audits/export.xlsx",
            action=AccessLog.Action.DOWNLOADED,
            subjects=subjects,
        )
    assert AccessLog.objects.get().children.count() == count


# The views


@pytest.mark.parametrize("count", [3, 500])
def test_an_export_writes_one_entry_listing_every_child_in_the_file(
    client, scenario, count, django_assert_max_num_queries
):
    now = timezone.now()
    Audit.objects.bulk_create(
        Audit(
            organisation=case.organisation,
            case=case,
            tool=scenario.tool,
            auditor=scenario.people["team_manager"],
            due_on=now.date(),
            audit_type=AuditType.REGULAR,
        )
        for case in _children(scenario, count)
    )
    qa = scenario.people["qa"].user
    client.force_login(qa)
    # The children's INSERT is one on PostgreSQL, two past SQLite's 999 parameters.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("audits:audit_export"))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    in_file = {row[2] for row in rows[1:]}
    entry = AccessLog.objects.get()
    assert entry.user == qa
    assert entry.action == AccessLog.Action.DOWNLOADED
    assert {child.reference for child in entry.children.all()} == in_file
    assert len(in_file) == count + 1  # and the scenario's child


def test_the_case_list_searched_by_a_reference_is_logged_as_a_search(client, scenario):
    client.force_login(scenario.people["qa"].user)
    client.get(reverse("cases:case_list"), {"q": scenario.child.reference})
    entry = AccessLog.objects.get()
    assert entry.action == AccessLog.Action.SEARCHED
    assert list(entry.children.all()) == [scenario.child]
    assert not entry.adopters.exists()
    assert entry.path.endswith(f"?q={scenario.child.reference}")


def test_every_page_of_the_case_list_is_logged_with_the_records_on_it(client, scenario):
    _children(scenario, 30)
    client.force_login(scenario.people["qa"].user)
    shown = client.get(reverse("cases:case_list"), {"page": "2"}).context["page_obj"]
    entry = AccessLog.objects.get()
    assert entry.action == AccessLog.Action.VIEWED
    listed = {*entry.children.all(), *entry.adopters.all()}
    assert listed == {case.subject for case in shown.object_list}


def test_a_refused_audit_writes_nothing(client, scenario):
    client.force_login(scenario.people["colleague"].user)
    assert client.get(scenario.audit.get_absolute_url()).status_code == 404
    client.force_login(scenario.people["practitioner"].user)
    submit = reverse("audits:submit", kwargs={"audit_pk": scenario.audit.pk})
    assert client.get(submit).status_code == 403
    assert not AccessLog.objects.exists()


def test_the_audit_pdf_is_logged_as_a_download_of_its_child(client, scenario):
    client.force_login(scenario.people["team_manager"].user)
    url = reverse("audits:audit_pdf", kwargs={"audit_pk": scenario.audit.pk})
    assert client.get(url)["Content-Type"] == "application/pdf"
    entry = AccessLog.objects.get()
    assert entry.action == AccessLog.Action.DOWNLOADED
    assert list(entry.children.all()) == [scenario.child]


def test_autosaving_a_section_writes_nothing(client, scenario):
    """The autosave status line shows no details; the section's page was logged."""
    audit = scenario.audit
    client.force_login(audit.auditor.user)
    section = scenario.tool.sections.first()
    url = reverse("audits:section", kwargs={"audit_pk": audit.pk, "section_pk": section.pk})
    response = client.post(url, {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert not AccessLog.objects.exists()


# The access log page


def _logged(scenario, user_key: str, subjects: list[Subject], **fields) -> AccessLog:
    entry = access_log_write(
        user=scenario.people[user_key].user,
        path=fields.pop("path", "/cases/"),
        action=fields.pop("action", AccessLog.Action.VIEWED),
        subjects=subjects,
    )[0]
    if fields:
        AccessLog.objects.filter(pk=entry.pk).update(**fields)
    return entry


def _subjects(cases: list[Case]) -> list[Subject]:
    return [Subject(c.organisation_id, child=c.child_id, adopter=c.adopter_id) for c in cases]


def test_the_page_finds_an_export_by_any_child_in_it(client, scenario):
    many = _children(scenario, ACCESS_LOG_NAMES + 5)
    _logged(scenario, "qa", _subjects([scenario.case, *many]), action="downloaded")
    _logged(scenario, "practitioner", _subjects([scenario.adopter_case]))
    client.force_login(scenario.people["qa"].user)
    url = reverse("cases:access_log")
    response = client.get(url, {"reference": many[-1].child.reference})
    assert response.context["page_obj"].paginator.count == 1
    body = response.content.decode()
    assert "Downloaded" in body
    assert "and 6 more" in body
    adopter = client.get(url, {"reference": scenario.adopter.reference.lower()})
    assert adopter.context["page_obj"].paginator.count == 1
    assert str(scenario.adopter) in adopter.content.decode()


def test_the_page_filters_by_action(client, scenario):
    _logged(scenario, "qa", _subjects([scenario.case]), action="searched")
    _logged(scenario, "qa", _subjects([scenario.case]))
    client.force_login(scenario.people["senior_leader"].user)
    response = client.get(reverse("cases:access_log"), {"action": "searched"})
    assert [e.action for e in response.context["page_obj"]] == ["searched"]


def test_the_page_lists_each_entry_once_however_many_names_match(client, scenario):
    _logged(scenario, "qa", _subjects([scenario.case, scenario.adopter_case]))
    client.force_login(scenario.people["qa"].user)
    response = client.get(reverse("cases:access_log"), {"page": "1"})
    assert response.context["page_obj"].paginator.count == 1


@pytest.mark.parametrize("count", [5, 300])
def test_the_page_runs_a_bounded_number_of_queries(
    client, scenario, count, django_assert_max_num_queries
):
    cases = _children(scenario, count)
    yesterday = timezone.now() - datetime.timedelta(days=1)
    for _ in range(60):
        _logged(scenario, "practitioner", _subjects(cases), viewed_at=yesterday)
    client.force_login(scenario.people["qa"].user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("cases:access_log"))
    assert response.status_code == 200
    assert all(len(e.names) == min(count, ACCESS_LOG_NAMES) for e in response.context["page_obj"])
