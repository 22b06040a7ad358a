"""The audit lists: my audits, the filtered audit list with its figures, and the export."""

from __future__ import annotations

import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audits.export import COLUMNS, CONTENT_TYPE
from audits.figures import audit_figures, good_or_better_by_month, grade_distribution
from audits.models import Audit, AuditAction, AuditTool, AuditType, Grade
from core.figures import percent
from tests.factories import CaseFactory, ChildFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
SUBMITTED = Audit.Status.SUBMITTED


def at(year: int, month: int, day: int = 15, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=LONDON)


def make_audit(scenario, **fields) -> Audit:
    """An audit of the scenario's child with its tool, changed by `fields`."""
    case = fields.pop("case", scenario.case)
    values = {
        "organisation": case.organisation,
        "case": case,
        "tool": scenario.tool,
        "auditor": scenario.people["team_manager"],
        "practitioner": case.allocated_worker,
        "line_manager": scenario.people["team_manager"],
        "due_on": timezone.localdate() + datetime.timedelta(days=20),
        "audit_type": AuditType.REGULAR,
    }
    values.update(fields)
    return Audit.objects.create(**values)


def graded(scenario, grade: str, when: datetime.datetime, **fields) -> Audit:
    return make_audit(scenario, status=SUBMITTED, overall_grade=grade, submitted_at=when, **fields)


def other_org_audit(scenario, **fields) -> Audit:
    manager = scenario.people["other_org_manager"]
    tool = AuditTool.objects.create(
        organisation=manager.organisation,
        code="b-review",
        name="B review",
        status=AuditTool.Status.PUBLISHED,
    )
    case = CaseFactory(
        team=manager.team,
        child=ChildFactory(organisation=manager.organisation, reference="SECRET-B-1"),
    )
    return make_audit(
        scenario,
        case=case,
        tool=tool,
        auditor=manager,
        practitioner=None,
        line_manager=None,
        **fields,
    )


def known_grades(scenario) -> None:
    """3 outstanding, 5 good, 1 RI, 1 inadequate: January 4 of 6, February 4 of 4."""
    for grade in (Grade.OUTSTANDING,) * 3 + (
        Grade.GOOD,
        Grade.REQUIRES_IMPROVEMENT,
        Grade.INADEQUATE,
    ):
        graded(scenario, grade, at(2026, 1))
    for _ in range(4):
        graded(scenario, Grade.GOOD, at(2026, 2))


def login(client, scenario, key: str) -> None:
    client.force_login(scenario.people[key].user)


def listed(response) -> set[int]:
    return {audit.pk for audit in response.context["page_obj"].paginator.object_list}


def figures_of(client, scenario, params=None):
    login(client, scenario, "qa")
    return client.get(reverse("audits:audit_list"), params or {}).context["figures"]


# The arithmetic


@pytest.mark.parametrize(
    ("count", "total", "expected"),
    [
        (1, 8, 13),
        (5, 8, 63),
        (3, 8, 38),
        (2, 3, 67),
        (1, 3, 33),
        (0, 5, 0),
        (8, 10, 80),
        (0, 0, None),
    ],
)
def test_percentages_are_whole_numbers_with_halves_rounded_up(count, total, expected):
    assert percent(count, total) == expected


def test_the_grade_distribution_counts_each_grade_of_the_known_audits(client, scenario):
    known_grades(scenario)
    grades = figures_of(client, scenario).grades
    assert grades.total == 10
    assert [(row.grade, row.count, row.percent) for row in grades.rows] == [
        (Grade.OUTSTANDING, 3, 30),
        (Grade.GOOD, 5, 50),
        (Grade.REQUIRES_IMPROVEMENT, 1, 10),
        (Grade.INADEQUATE, 1, 10),
    ]
    assert (grades.good_or_better, grades.good_or_better_percent) == (8, 80)


def test_good_or_better_by_month_on_the_known_audits(client, scenario):
    known_grades(scenario)
    months = figures_of(client, scenario).by_month.months
    assert [(m.month, m.good_or_better, m.not_yet_good, m.percent) for m in months] == [
        (datetime.date(2026, 1, 1), 4, 2, 67),
        (datetime.date(2026, 2, 1), 4, 0, 100),
    ]


def test_ungraded_and_draft_graded_audits_are_left_out_of_the_figures(client, scenario):
    known_grades(scenario)
    make_audit(scenario, status=Audit.Status.IN_PROGRESS, overall_grade=Grade.INADEQUATE)
    figures = figures_of(client, scenario)
    assert figures.grades.total == 10
    assert figures.grades.rows[3].count == 1
    assert figures.by_month.total == 10


def test_another_organisations_audits_are_never_counted(client, scenario):
    known_grades(scenario)
    other_org_audit(
        scenario, status=SUBMITTED, overall_grade=Grade.INADEQUATE, submitted_at=at(2026, 1)
    )
    figures = figures_of(client, scenario)
    assert figures.grades.total == 10
    assert figures.grades.rows[3].count == 1


def test_months_without_submissions_inside_the_range_show_zero(client, scenario):
    graded(scenario, Grade.GOOD, at(2026, 1))
    graded(scenario, Grade.INADEQUATE, at(2026, 3))
    months = figures_of(client, scenario).by_month.months
    assert [(m.month.month, m.total, m.percent) for m in months] == [
        (1, 1, 100),
        (2, 0, None),
        (3, 1, 0),
    ]


def test_a_submission_counts_in_its_london_month_at_the_boundaries(client, scenario):
    # 00:30 on 1 June in London (BST) is 23:30 on 31 May in UTC: June's.
    graded(scenario, Grade.GOOD, at(2026, 6, day=1, hour=0).replace(minute=30))
    # 23:59 on 31 May in London is May's; 00:00 on 1 July is July's.
    graded(scenario, Grade.INADEQUATE, at(2026, 5, day=31, hour=23).replace(minute=59))
    graded(scenario, Grade.GOOD, at(2026, 7, day=1, hour=0))
    # In winter London is on UTC: 00:00 on 1 December is December's.
    graded(scenario, Grade.INADEQUATE, at(2026, 12, day=1, hour=0))
    months = figures_of(client, scenario).by_month.months
    shown = {m.month: (m.good_or_better, m.not_yet_good) for m in months}
    assert shown[datetime.date(2026, 5, 1)] == (0, 1)
    assert shown[datetime.date(2026, 6, 1)] == (1, 0)
    assert shown[datetime.date(2026, 7, 1)] == (1, 0)
    assert shown[datetime.date(2026, 11, 1)] == (0, 0)
    assert shown[datetime.date(2026, 12, 1)] == (0, 1)


def test_only_the_latest_twelve_months_show_and_older_audits_are_counted_apart(client, scenario):
    graded(scenario, Grade.GOOD, at(2025, 1))
    graded(scenario, Grade.GOOD, at(2026, 3))
    figures = figures_of(client, scenario)
    months = figures.by_month.months
    assert len(months) == 12
    assert (months[0].month, months[-1].month) == (
        datetime.date(2025, 4, 1),
        datetime.date(2026, 3, 1),
    )
    assert figures.grades.total == 2
    assert figures.not_shown_by_month == 1


def test_a_submission_just_after_midnight_in_london_counts_in_the_new_month(scenario):
    # 23:30 UTC on 31 March is 00:30 on 1 April, British Summer Time.
    graded(scenario, Grade.GOOD, datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC))
    months = audit_figures(Audit.objects.filter(organisation=scenario.case.organisation)).by_month
    assert [m.month for m in months.months] == [datetime.date(2026, 4, 1)]


def test_the_list_figures_read_grades_and_months_in_two_queries_as_each_alone_would(
    scenario, django_assert_num_queries
):
    known_grades(scenario)
    audits = Audit.objects.filter(organisation=scenario.case.organisation)
    with django_assert_num_queries(2):
        together = audit_figures(audits)
    assert together.grades == grade_distribution(audits)
    assert together.by_month == good_or_better_by_month(audits)
    assert together.grades.total == 10
    assert together.by_month.total == 10


def test_the_figures_follow_the_filters(client, scenario):
    known_grades(scenario)
    grades = figures_of(client, scenario, {"month": "", "submitted_from": "2026-02-01"}).grades
    assert (grades.total, grades.good_or_better_percent) == (4, 100)


def test_the_page_shows_each_figure_as_a_chart_and_a_table(client, scenario):
    known_grades(scenario)
    login(client, scenario, "qa")
    body = client.get(reverse("audits:audit_list")).content.decode()
    assert body.count('role="img"') == 2
    assert 'aria-labelledby="chart-grades-title chart-grades-desc"' in body
    assert "Audits by overall grade</caption>" in body
    assert "Good or better, by month submitted</caption>" in body
    assert "67% (4 of 6)" in body
    assert "<strong>80%</strong> were good or better (8 of 10)" in body


def test_the_bar_chart_tag_scales_bars_and_labels_them():
    html = Template("{% load govuk %}{% bar_chart 'Things' 'Counts of things.' rows %}").render(
        Context({"rows": [("Apples", 4, "4 (80%)"), ("Pears", 1, "1 (20%)")]})
    )
    assert 'role="img"' in html
    assert '<title id="chart-things-title">Things</title>' in html
    assert "Counts of things. Apples: 4 (80%); Pears: 1 (20%)." in html
    assert 'width="70.0%"' in html
    assert 'width="17.5%"' in html


# The audit list


def test_people_without_the_permission_are_refused_the_list_and_the_export(client, scenario):
    for key in ("practitioner", "business_support", "regional_lead"):
        login(client, scenario, key)
        assert client.get(reverse("audits:audit_list")).status_code == 403, key
        assert client.get(reverse("audits:audit_export")).status_code == 403, key


def test_the_list_shows_the_audits_the_person_may_see(client, scenario):
    login(client, scenario, "team_manager")
    response = client.get(reverse("audits:audit_list"))
    assert response.status_code == 200
    assert listed(response) == {scenario.audit.pk}
    assert scenario.child.reference in response.content.decode()


def test_another_organisations_audits_are_never_listed(client, scenario):
    foreign = other_org_audit(scenario)
    login(client, scenario, "qa")
    response = client.get(reverse("audits:audit_list"))
    assert foreign.pk not in listed(response)
    assert "SECRET-B-1" not in response.content.decode()


@pytest.fixture
def mixed(scenario):
    """Audits that differ in one way each from the scenario's (regular, assigned) one."""
    second_version = AuditTool.objects.create(
        organisation=scenario.tool.organisation,
        code=scenario.tool.code,
        version=2,
        name=scenario.tool.name,
        status=AuditTool.Status.DRAFT,
    )
    other_tool = AuditTool.objects.create(
        organisation=scenario.tool.organisation,
        code="thematic-review",
        name="Thematic review",
        status=AuditTool.Status.PUBLISHED,
    )
    return {
        "base": scenario.audit,
        "thematic": make_audit(scenario, audit_type=AuditType.THEMATIC, tool=other_tool),
        "version_two": make_audit(scenario, tool=second_version),
        "good": graded(scenario, Grade.GOOD, timezone.now() - datetime.timedelta(days=70)),
        "inadequate": graded(scenario, Grade.INADEQUATE, timezone.now()),
        "draft_inadequate": make_audit(
            scenario, status=Audit.Status.IN_PROGRESS, overall_grade=Grade.INADEQUATE
        ),
        "adopter": make_audit(scenario, case=scenario.adopter_case, practitioner=None),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"audit_type": "thematic"}, {"thematic"}),
        ({"grade": "inadequate"}, {"inadequate"}),
        ({"status": "in_progress"}, {"draft_inadequate"}),
        ({"q": "Scopetest Household"}, {"adopter"}),
        ({"q": "adopt-a-001"}, {"adopter"}),
    ],
)
def test_each_filter_narrows_the_list(client, scenario, mixed, params, expected):
    login(client, scenario, "qa")
    response = client.get(reverse("audits:audit_list"), params)
    assert not response.context["filter"].form.errors
    assert listed(response) == {mixed[key].pk for key in expected}


def test_the_tool_filter_takes_every_version_of_a_tool(client, scenario, mixed):
    login(client, scenario, "qa")
    response = client.get(reverse("audits:audit_list"), {"tool": scenario.tool.code})
    assert mixed["version_two"].pk in listed(response)
    assert mixed["base"].pk in listed(response)
    assert mixed["thematic"].pk not in listed(response)


def test_the_team_filter_takes_the_case_team(client, scenario, mixed):
    login(client, scenario, "qa")
    response = client.get(reverse("audits:audit_list"), {"team": scenario.adopter_case.team.pk})
    assert listed(response) == {mixed["adopter"].pk}


def test_the_month_filter_takes_audits_submitted_that_month(client, scenario, mixed):
    login(client, scenario, "qa")
    this_month = timezone.localdate().strftime("%Y-%m")
    response = client.get(reverse("audits:audit_list"), {"month": this_month})
    assert listed(response) == {mixed["inadequate"].pk}


def test_the_submitted_dates_filter_from_and_to(client, scenario, mixed):
    login(client, scenario, "qa")
    cut = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    url = reverse("audits:audit_list")
    assert listed(client.get(url, {"submitted_from": cut})) == {mixed["inadequate"].pk}
    assert listed(client.get(url, {"submitted_to": cut})) == {mixed["good"].pk}


def test_nonsense_filter_values_are_reported_and_the_valid_ones_still_apply(
    client, scenario, mixed
):
    login(client, scenario, "qa")
    response = client.get(
        reverse("audits:audit_list"),
        {
            "grade": "banana",
            "tool": "b-review",
            "submitted_from": "31/02/2026",
            "status": "submitted",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    for message in (
        "Select a grade from the list",
        "Select an audit tool from the list",
        "Submitted from must be a real date",
    ):
        assert message in body
    assert listed(response) == {mixed["good"].pk, mixed["inadequate"].pk}


def test_a_to_date_before_the_from_date_is_reported_and_the_from_date_applies(
    client, scenario, mixed
):
    login(client, scenario, "qa")
    today = timezone.localdate()
    response = client.get(
        reverse("audits:audit_list"),
        {"submitted_from": today.isoformat(), "submitted_to": "2020-01-01"},
    )
    assert "Submitted to must be the same as or after submitted from" in response.content.decode()
    assert listed(response) == {mixed["inadequate"].pk}


def test_another_organisations_team_is_not_a_valid_filter(client, scenario):
    login(client, scenario, "qa")
    foreign_team = scenario.people["other_org_manager"].team
    response = client.get(reverse("audits:audit_list"), {"team": foreign_team.pk})
    assert "Select a team from the list" in response.content.decode()


def test_sorting_by_grade_puts_the_best_first_and_ungraded_last(client, scenario, mixed):
    login(client, scenario, "qa")
    response = client.get(reverse("audits:audit_list"), {"sort": "grade"})
    order = [audit.pk for audit in response.context["page_obj"]]
    assert order[:2] == [mixed["good"].pk, mixed["inadequate"].pk]
    assert response.context["current_sort"] == "grade"


def test_every_column_sorts_both_ways(client, scenario, mixed):
    login(client, scenario, "qa")
    for column in (
        "child",
        "tool",
        "type",
        "auditor",
        "team",
        "due",
        "status",
        "grade",
        "submitted",
    ):
        for sort in (column, f"-{column}"):
            response = client.get(reverse("audits:audit_list"), {"sort": sort})
            assert response.context["current_sort"] == sort
            assert response.context["page_obj"].paginator.count == len(mixed)


def test_the_list_pages_in_twenty_fives(client, scenario):
    for _ in range(30):
        make_audit(scenario)
    login(client, scenario, "qa")
    url = reverse("audits:audit_list")
    first = client.get(url).context["page_obj"]
    second = client.get(url, {"page": 2}).context["page_obj"]
    assert (len(first), len(second)) == (25, 6)
    assert not {a.pk for a in first} & {a.pk for a in second}


def test_htmx_requests_get_the_results_and_the_parts_outside_them(client, scenario):
    login(client, scenario, "qa")
    response = client.get(reverse("audits:audit_list"), {"grade": "x"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    for part in (
        "filter-errors",
        "selected-filters",
        "audit-figures",
        "audit-count",
        "audit-download",
    ):
        assert f'id="{part}" hx-swap-oob="innerHTML"' in body
    assert "Select a grade from the list" in body


def test_the_download_link_carries_the_filters_but_not_the_page(client, scenario):
    login(client, scenario, "qa")
    response = client.get(reverse("audits:audit_list"), {"status": "assigned", "page": "1"})
    assert f'href="{reverse("audits:audit_export")}?status=assigned"' in response.content.decode()


def test_the_selected_filters_can_each_be_removed(client, scenario, mixed):
    login(client, scenario, "qa")
    response = client.get(reverse("audits:audit_list"), {"status": "submitted", "grade": "good"})
    chosen = {f["label"]: f for f in response.context["selected_filters"]}
    assert chosen["Status"]["value"] == "Submitted"
    assert chosen["Status"]["remove"] == "grade=good"


# The export


def read_export(response) -> list[tuple]:
    assert response["Content-Type"] == CONTENT_TYPE
    sheet = load_workbook(BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def test_the_export_has_the_header_and_one_row_per_filtered_audit(client, scenario, mixed):
    login(client, scenario, "qa")
    response = client.get(reverse("audits:audit_export"), {"grade": "good"})
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="audits-{today}.xlsx"'
    rows = read_export(response)
    assert rows[0] == tuple(heading for heading, _ in COLUMNS)
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    good = mixed["good"]
    assert row["Audit ID"] == good.pk
    assert row["Child or adopter ID"] == scenario.child.reference
    assert row["Case team"] == scenario.case.team.name
    assert row["Service"] == scenario.case.service.name
    assert (row["Audit tool"], row["Tool version"]) == (scenario.tool.name, 1)
    assert row["Overall grade"] == "Good"
    assert row["Good or better"] == "Yes"
    # Real dates: Excel can sort and filter them.
    assert row["Due date"].date() == good.due_on
    assert row["Submitted date"].date() == timezone.localdate(good.submitted_at)


def test_the_export_header_is_bold_and_the_columns_have_widths(client, scenario):
    login(client, scenario, "qa")
    sheet = load_workbook(BytesIO(client.get(reverse("audits:audit_export")).content)).active
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["B"].width == COLUMNS[1][1]


def test_the_export_leaves_draft_grades_blank(client, scenario, mixed):
    login(client, scenario, "qa")
    response = client.get(reverse("audits:audit_export"), {"status": "in_progress"})
    rows = read_export(response)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Overall grade"] is None
    assert row["Good or better"] is None


def test_the_export_never_has_another_organisations_audits(client, scenario):
    foreign = other_org_audit(scenario)
    login(client, scenario, "qa")
    ids = [row[0] for row in read_export(client.get(reverse("audits:audit_export")))[1:]]
    assert ids == [scenario.audit.pk]
    assert foreign.pk not in ids


def test_the_export_keeps_text_that_looks_like_a_formula_as_text(client, scenario):
    make_audit(scenario, theme='=HYPERLINK("http://example.com")')
    login(client, scenario, "qa")
    response = client.get(reverse("audits:audit_export"), {"q": scenario.child.reference})
    sheet = load_workbook(BytesIO(response.content)).active
    themes = [cell.value for cell in sheet["P"]]
    assert '=HYPERLINK("http://example.com")' in themes
    assert all(cell.data_type == "s" for cell in sheet["P"] if cell.value)


def test_the_export_with_nonsense_filters_applies_the_valid_ones(client, scenario, mixed):
    login(client, scenario, "qa")
    response = client.get(reverse("audits:audit_export"), {"grade": "banana", "status": "final"})
    assert response.status_code == 200
    assert len(read_export(response)) == 1


# My audits


def test_my_audits_shows_the_auditor_what_to_complete_with_overdue_ones_tagged(client, scenario):
    login(client, scenario, "team_manager")
    response = client.get(reverse("audits:my_audits"))
    body = response.content.decode()
    assert response.status_code == 200
    assert [a.pk for a in response.context["to_complete"]] == [scenario.audit.pk]
    assert scenario.audit.get_absolute_url() in body
    # The scenario's audit was due when the case opened, 100 days ago.
    assert "Overdue" in body


def test_the_home_card_tags_an_audit_to_complete_that_is_overdue(client, scenario):
    login(client, scenario, "team_manager")
    response = client.get("/")
    body = response.content.decode()
    card = body[body.index("My audits") : body.index("All my audits and actions")]
    assert scenario.audit.get_absolute_url() in card
    # Due when the case opened, 100 days ago: the card says so, as "My audits" does.
    assert "Overdue" in card


def test_my_audits_shows_the_practitioner_reflections_and_actions(client, scenario):
    login(client, scenario, "practitioner")
    response = client.get(reverse("audits:my_audits"))
    body = response.content.decode()
    assert [a.pk for a in response.context["to_reflect"]] == [scenario.audit.pk]
    assert [a.pk for a in response.context["actions"]] == [scenario.action.pk]
    assert "Update the chronology" in body
    assert scenario.action.get_absolute_url() in body
    assert "You have no audits to complete." in body


def test_my_audits_shows_oversight_acknowledgement_and_finished_audits(client, scenario):
    submitted = graded(scenario, Grade.GOOD, timezone.now())
    final = make_audit(
        scenario,
        status=Audit.Status.FINAL,
        overall_grade=Grade.GOOD,
        submitted_at=timezone.now(),
        oversight_at=timezone.now(),
    )
    login(client, scenario, "team_manager")
    manager = client.get(reverse("audits:my_audits")).context
    assert [a.pk for a in manager["to_oversee"]] == [submitted.pk]
    assert [a.pk for a in manager["finished"]] == [final.pk]
    login(client, scenario, "practitioner")
    practitioner = client.get(reverse("audits:my_audits")).context
    assert [a.pk for a in practitioner["to_acknowledge"]] == [final.pk]


def test_my_audits_says_so_in_plain_words_when_there_is_nothing(client, scenario):
    login(client, scenario, "regional_lead")
    response = client.get(reverse("audits:my_audits"))
    body = response.content.decode()
    assert response.status_code == 200
    for words in (
        "You have no audits to complete.",
        "You have no reflections to add.",
        "You have no audits to respond to.",
        "You have no audits to acknowledge.",
        "You have no open actions.",
        "You have no finished audits yet.",
    ):
        assert words in body


# Query bounds


def many_audits(scenario, count: int) -> None:
    """`count` audits in every state, naming the team manager and the practitioner."""
    states = [
        {"status": Audit.Status.ASSIGNED},
        {"status": Audit.Status.IN_PROGRESS},
        {"status": SUBMITTED, "overall_grade": Grade.GOOD},
        {"status": Audit.Status.MODERATED, "overall_grade": Grade.INADEQUATE},
        {"status": Audit.Status.FINAL, "overall_grade": Grade.OUTSTANDING},
    ]
    now = timezone.now()
    audits = []
    for index in range(count):
        state = dict(states[index % len(states)])
        if state.get("overall_grade"):
            state["submitted_at"] = now - datetime.timedelta(days=index % 400)
        if state["status"] == Audit.Status.FINAL:
            state["oversight_at"] = now
        audits.append(
            Audit(
                organisation=scenario.case.organisation,
                case=scenario.case if index % 2 else scenario.adopter_case,
                tool=scenario.tool,
                auditor=scenario.people["team_manager"],
                practitioner=scenario.people["practitioner"],
                line_manager=scenario.people["team_manager"],
                due_on=now.date(),
                **state,
            )
        )
    created = Audit.objects.bulk_create(audits)
    AuditAction.objects.bulk_create(
        AuditAction(
            organisation=audit.organisation,
            audit=audit,
            description=f"Action {audit.pk}",
            owner=scenario.people["practitioner"],
            due_on=now.date(),
        )
        for audit in created[::5]
    )


@pytest.mark.parametrize("count", [10, 1000])
@pytest.mark.parametrize(
    "query",
    [{"sort": "-grade", "page": "2"}, {}, {"page": "2"}],
    ids=["filtered", "as-it-opens", "as-it-opens-page-2"],
)
def test_the_audit_list_runs_a_fixed_number_of_queries(
    client, scenario, django_assert_max_num_queries, count, query
):
    """Rows of children and of adopters, in every state: a column a row shows that the
    list's query leaves out would cost a query per row."""
    many_audits(scenario, count)
    login(client, scenario, "qa")
    # 17: the monthly figures read the first and last submission, then the months.
    with django_assert_max_num_queries(17):
        response = client.get(reverse("audits:audit_list"), query)
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert len(page.object_list) == min(page.paginator.count, 25) > 0


@pytest.mark.parametrize("count", [10, 1000])
@pytest.mark.parametrize("person", ["team_manager", "practitioner"])
def test_my_audits_runs_a_fixed_number_of_queries(
    client, scenario, django_assert_max_num_queries, count, person
):
    many_audits(scenario, count)
    login(client, scenario, person)
    # 12 for the page, 4 more for the access log entry (savepoint,
    # entry, its children, its adopters, release: 5, but the page had 1 to spare).
    with django_assert_max_num_queries(16):
        response = client.get(reverse("audits:my_audits"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [10, 1000])
def test_the_export_runs_a_fixed_number_of_queries(
    client, scenario, django_assert_max_num_queries, count
):
    many_audits(scenario, count)
    login(client, scenario, "qa")
    # One more for the access log entry listing everyone in the file, which costs 6
    # queries whatever the count: the cases' ids, savepoint, entry, its children, its
    # adopters, release (the page had 5 to spare).
    with django_assert_max_num_queries(11):
        response = client.get(reverse("audits:audit_export"), {"status": "final"})
    assert len(read_export(response)) == count // 5 + 1


@pytest.mark.parametrize("role", ["qa", "team_manager", "practitioner", "senior_leader"])
def test_the_home_counts_are_the_visible_audits_that_name_the_person(scenario, role):
    """The card reads only the rows naming the person (auditor, practitioner, line
    manager); each count must still be what the whole visible set gives."""
    from django.db.models import Q

    from audits.selectors import audit_work_summary

    user = scenario.people[role].user
    staff = scenario.people[role]
    visible = Audit.objects.visible_to(user)
    expected = {
        "to_complete": visible.filter(auditor=staff, status__in=Audit.EDITABLE).count(),
        "to_reflect": visible.filter(practitioner=staff, status__in=Audit.EDITABLE).count(),
        "to_oversee": visible.filter(
            line_manager=staff, status__in=Audit.AWAITING_OVERSIGHT
        ).count(),
        "to_acknowledge": visible.filter(
            Q(practitioner=staff, status=Audit.Status.FINAL, acknowledged_at__isnull=True)
        ).count(),
    }
    counts = audit_work_summary(user=user)["counts"]
    assert {key: counts[key] for key in expected} == expected


def _card_audits(scenario, auditor, count: int) -> None:
    """`count` audits of each kind (a child's, an adopter household's, a supervision) for
    `auditor` to complete, and as many submitted, waiting for moderation."""
    supervisee = scenario.people["practitioner"]
    now = timezone.now()
    for n in range(count):
        # Each round due a day after the one before, so the first rows shown hold every kind.
        due_on = now.date() + datetime.timedelta(days=n)
        for status, submitted_at in ((Audit.Status.ASSIGNED, None), (SUBMITTED, now)):
            graded = {"overall_grade": Grade.GOOD} if submitted_at else {}
            times = {"status": status, "submitted_at": submitted_at, "due_on": due_on, **graded}
            make_audit(scenario, auditor=auditor, **times)
            make_audit(scenario, auditor=auditor, case=scenario.adopter_case, **times)
            Audit.objects.create(
                organisation=supervisee.organisation,
                tool=scenario.tool,
                auditor=auditor,
                supervisee=supervisee,
                line_manager=scenario.people["team_manager"],
                audit_type=AuditType.SUPERVISION,
                period_start=now.date() - datetime.timedelta(days=30),
                period_end=now.date(),
                **times,
            )


@pytest.mark.parametrize("role", ["qa", "team_manager"])
@time_machine.travel(datetime.datetime(2026, 11, 18, 10, tzinfo=datetime.UTC), tick=False)
def test_the_home_card_reads_as_many_queries_for_many_audits_as_for_few(client, scenario, role):
    """Its rows (to complete, and QA's moderation queue) read what they show in the
    query that lists them: a column left out would cost a query per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = scenario.people[role]
    login(client, scenario, role)

    def home() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/")
        assert response.status_code == 200
        return len(queries), response.content.decode()

    _card_audits(scenario, person, 1)
    home()  # The first view after signing in reads what later ones need not.
    few, _ = home()
    _card_audits(scenario, person, 4)
    many, body = home()
    # The access log's entry may name no household when the rows shown are all
    # children's: one query fewer, never more.
    assert many <= few
    assert "Supervision of" in body
    assert scenario.adopter_case.adopter.household_name in body
    if role == "qa":
        assert "waiting for moderation" in body


def test_each_row_links_its_child_household_or_supervisee_to_the_audit(scenario):
    """`{% audit_subject_link %}`: the name (escaped), what was audited for a screen
    reader (the tool's name with "audit" said once) and the record's reference."""
    link = Template("{% load audits %}{% audit_subject_link audit %}")
    child = scenario.audit
    child.case.child.given_name = "<b>Amy"
    html = link.render(Context({"audit": child}))
    assert f'href="{child.get_absolute_url()}"' in html
    assert "&lt;b&gt;Amy" in html
    assert "<b>" not in html
    assert f": {child.tool.name} audit</span>" in html
    assert f"Child {child.case.child.reference}" in html
    adopters = make_audit(scenario, case=scenario.adopter_case)
    adopters.tool.name = "Household file audit"
    html = link.render(Context({"audit": adopters}))
    assert ": Household file audit</span>" in html
    assert f"Adopters {scenario.adopter_case.adopter.reference}" in html


def test_a_team_managers_audits_are_told_apart_before_any_case_is_read(scenario):
    """The team's cases are a subquery of ids, so the count reads no case row, and the
    list joins the cases (for what its rows show) after the filter's joins: joined
    first, every audit of the organisation was joined to its case before the filter."""
    from audits import selectors

    user = scenario.people["team_manager"].user
    count_sql = str(Audit.objects.visible_to(user).order_by().values("pk").query)
    assert 'JOIN "cases_case"' not in count_sql
    assert '"audits_audit"."case_id" IN (SELECT' in count_sql
    listed = str(selectors.audits_listed(user).query)
    supervisee = listed.index('ON ("audits_audit"."supervisee_id"')
    assert listed.index('JOIN "cases_case"') > supervisee
