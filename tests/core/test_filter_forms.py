"""`{% filter_form %}` renders exactly what `{% crispy %}` renders, and keeps a copy only
for the same form: another value, choice, error or language gives fresh markup."""

import pytest
from django.http import QueryDict
from django.template import Context, Template
from django.utils import translation

from audits.filters import AuditFilter
from audits.selectors import audit_list
from cases.filters import AccessLogFilter, CaseFilter
from cases.listing import filter_form_helper
from cases.selectors import access_log_list, case_list
from core.templatetags import filter_forms
from performance.forms_quality import IssueFilter
from performance.selectors_quality import issue_list
from tests.factories import TeamFactory

CRISPY = Template("{% load crispy_forms_tags %}{% crispy form %}")
KEPT = Template("{% load filter_forms %}{% filter_form form %}")

FILTERS = {
    "cases": (CaseFilter, case_list),
    "audits": (AuditFilter, audit_list),
    "issues": (IssueFilter, issue_list),
    "access log": (AccessLogFilter, access_log_list),
}
QUERIES = [
    "",
    "q=Smith&status=open",
    "team=999999&sort=nonsense",
    "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&page=2",
]


def form_for(name, user, query):
    filterset_class, rows = FILTERS[name]
    data = QueryDict(query) if query else None
    filterset = filterset_class(data, queryset=rows(user=user), user=user)
    return filter_form_helper(filterset).form


@pytest.fixture(autouse=True)
def nothing_kept():
    filter_forms._kept.clear()
    yield
    filter_forms._kept.clear()


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("name", list(FILTERS))
def test_kept_markup_is_what_crispy_renders(scenario, name, query):
    user = scenario.people["qa"].user
    expected = CRISPY.render(Context({"form": form_for(name, user, query)}))
    first = KEPT.render(Context({"form": form_for(name, user, query)}))
    again = KEPT.render(Context({"form": form_for(name, user, query)}))
    assert first == expected
    assert again == expected
    assert "<script>" not in again


def test_a_copy_is_kept_once_per_form(scenario):
    user = scenario.people["qa"].user
    KEPT.render(Context({"form": form_for("cases", user, "status=open")}))
    KEPT.render(Context({"form": form_for("cases", user, "status=open")}))
    assert len(filter_forms._kept) == 1
    KEPT.render(Context({"form": form_for("cases", user, "status=closed")}))
    assert len(filter_forms._kept) == 2


def test_a_new_choice_shows_at_once(scenario):
    user = scenario.people["qa"].user
    before = KEPT.render(Context({"form": form_for("cases", user, "")}))
    TeamFactory(service=scenario.people["service_manager"].service, name="Brand new team")
    after = KEPT.render(Context({"form": form_for("cases", user, "")}))
    assert "Brand new team" not in before
    assert "Brand new team" in after


def test_another_person_sees_their_own_choices(scenario):
    """Council B's teams are never in council A's form, kept or not."""
    mine = KEPT.render(Context({"form": form_for("cases", scenario.people["qa"].user, "")}))
    theirs = KEPT.render(
        Context({"form": form_for("cases", scenario.people["other_org_qa"].user, "")})
    )
    assert ">TB<" not in mine
    assert mine != theirs


def test_errors_and_language_are_part_of_the_key(scenario):
    user = scenario.people["qa"].user
    good = KEPT.render(Context({"form": form_for("cases", user, "")}))
    refused = KEPT.render(Context({"form": form_for("cases", user, "team=999999")}))
    assert "govuk-error-message" not in good
    assert "govuk-error-message" in refused
    with translation.override("cy"):
        KEPT.render(Context({"form": form_for("cases", user, "")}))
    assert len(filter_forms._kept) == 3


def test_the_kept_copies_are_bounded(scenario, monkeypatch):
    monkeypatch.setattr(filter_forms._kept, "size", 3)
    user = scenario.people["qa"].user
    for n in range(6):
        KEPT.render(Context({"form": form_for("cases", user, f"q=name{n}")}))
    assert len(filter_forms._kept) == 3
