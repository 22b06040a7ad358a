"""Scheduled reports' pages: the list (filters, QA's "Generate a report"), a report (its
sections, figures, charts and tables, narrative; progress while generating; failure),
writing narrative (autosave, conflicts, bad input), publishing to boards, the PDF and the
workbook parsed back, a frozen report after records change, and query bounds."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases.models import Notification
from governance import report_builders, reports
from governance.models import Board, Report, ReportNarrative
from governance.report_workbook import sheet_name
from tests.factories import GradedAuditFactory, ReportFactory
from tests.governance import report_builder_fixture as fixture
from tests.pages import page_text, visible_text

pytestmark = pytest.mark.django_db

Status = Report.Status
JAN_4 = datetime.date(2027, 1, 4)
FIXTURE = "tests.governance.report_builder_fixture"


def at(day: datetime.date, hour: int = 9) -> time_machine.travel:
    return time_machine.travel(
        timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), tick=False
    )


@pytest.fixture
def scenario(scenario):
    """The scenario without its ready-made report (the tests make their own)."""
    Report.objects.all().delete()
    return scenario


@pytest.fixture(autouse=True)
def builders(monkeypatch):
    for kind, (title, _) in list(report_builders.KINDS.items()):
        monkeypatch.setitem(report_builders.KINDS, kind, (title, FIXTURE))


@pytest.fixture
def report(scenario):
    return ReportFactory(
        organisation=scenario.case.organisation,
        generated_at=timezone.make_aware(datetime.datetime.combine(JAN_4, datetime.time(10))),
    )


@pytest.fixture
def board(scenario):
    board = Board.objects.create(
        organisation=scenario.case.organisation,
        name="Quality Improvement Board",
        chair=scenario.people["senior_leader"],
    )
    board.members.add(scenario.people["team_manager"])
    return board


def _as(client, scenario, key):
    client.force_login(scenario.people[key].user)
    return client


def audits_of(organisation) -> int:
    from audits.models import Audit

    return Audit.objects.filter(organisation=organisation).count()


# The list.


def test_qa_generates_the_latest_quarterly_report_from_the_list(
    client, scenario, django_capture_on_commit_callbacks
):
    with at(JAN_4), django_capture_on_commit_callbacks(execute=True):
        # Signed in on the day (a session from the real today may have run out by then).
        _as(client, scenario, "qa")
        response = client.post(
            reverse("governance:report_list"), {"kind": "quarterly", "when": "latest"}
        )
    assert response.status_code == 302, visible_text(response)[:3000]
    made = Report.objects.get()
    assert response["Location"] == made.get_absolute_url()
    assert (made.kind, made.period_label, made.requested_by) == (
        "quarterly",
        "October to December 2026",
        scenario.people["qa"],
    )
    made.refresh_from_db()
    assert made.status == Status.DRAFT
    # Asking again opens the one there is.
    with at(JAN_4):
        _as(client, scenario, "qa")
        again = client.post(
            reverse("governance:report_list"),
            {"kind": "quarterly", "when": "day", "day_0": "10", "day_1": "2", "day_2": "2027"},
        )
    assert again["Location"] == made.get_absolute_url()
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select which report to generate"),
        ({"kind": "weekly", "when": "latest"}, "Select which report to generate"),
        ({"kind": "monthly"}, "Select which period the report covers"),
        ({"kind": "monthly", "when": "day"}, "Enter the day the report is generated on"),
        (
            {"kind": "monthly", "when": "day", "day_0": "31", "day_1": "2", "day_2": "2027"},
            "Enter a real date",
        ),
        (
            {"kind": "monthly", "when": "day", "day_0": "1", "day_1": "2", "day_2": "1066"},
            "Enter a day between the years 2000 and 2100",
        ),
    ],
)
def test_the_generate_form_rejects_bad_input_and_makes_nothing(client, scenario, data, message):
    _as(client, scenario, "qa")
    response = client.post(reverse("governance:report_list"), data)
    assert response.status_code == 400
    assert message in visible_text(response)
    assert not Report.objects.exists()


def test_only_qa_may_generate(client, scenario):
    _as(client, scenario, "senior_leader")
    page = client.get(reverse("governance:report_list"))
    assert "Generate a report" not in visible_text(page)
    response = client.post(reverse("governance:report_list"), {"kind": "monthly", "when": "latest"})
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_the_list_filters_by_kind_and_status_and_marks_superseded_versions(
    client, scenario, report, django_assert_max_num_queries
):
    organisation = scenario.case.organisation
    ReportFactory(organisation=organisation, version=2)
    ReportFactory(organisation=organisation, kind="monthly", status=Status.FAILED, content={})
    for i in range(30):
        ReportFactory(
            organisation=organisation,
            kind="monthly",
            period_start=datetime.date(2020, 1, 1) + datetime.timedelta(days=40 * i),
            period_label=f"Month {i}",
        )
    _as(client, scenario, "qa")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("governance:report_list"))
    text = visible_text(response)
    assert "33 reports" in text
    assert "(superseded by version 2)" in text
    quarterly = visible_text(client.get(reverse("governance:report_list"), {"kind": "quarterly"}))
    assert "2 reports" in quarterly
    failed = visible_text(client.get(reverse("governance:report_list"), {"status": "failed"}))
    assert "1 report " in failed


# A report.


def test_a_report_shows_its_sections_figures_charts_tables_and_narrative(
    client, scenario, report, django_assert_max_num_queries
):
    ReportNarrative.objects.create(
        organisation=report.organisation,
        report=report,
        section_key="quality",
        text="<b>Visits</b> are better.",
    )
    _as(client, scenario, "qa")
    with django_assert_max_num_queries(14):
        response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    text = visible_text(response)
    html = page_text(response)
    assert "Fixture report: October to December 2026" in text
    assert "Council A" in text
    assert "Version 1" in text
    assert "4 January 2027, 10:00" in text
    assert "How much QA activity was done against the rota?" in text
    assert f"{audits_of(report.organisation)} audits were recorded for Council A." in text
    assert 'href="/audits/"' in html  # the figure links to its records
    assert 'href="/audits/?grade=outstanding"' in html  # a table row's link
    assert html.count("<svg") == 2  # a bar and a line chart
    assert "Audits by grade" in text
    assert "Requires improvement" in text
    assert "Visits on time by month" in text
    assert "82.5" in text
    # The narrative, escaped.
    assert "<b>Visits</b> are better." in text
    assert "<b>Visits</b>" not in response.content.decode()
    assert "Write the narrative for How much did we do?" in text
    assert "Publish to boards" in text


def test_while_generating_the_page_shows_progress_and_polls(client, scenario):
    report = ReportFactory(
        organisation=scenario.case.organisation,
        status=Status.GENERATING,
        started_at=timezone.now(),
        progress_done=1,
        progress_total=4,
        content={},
    )
    _as(client, scenario, "qa")
    page = client.get(report.get_absolute_url())
    assert "1 of 4 sections (25%)" in visible_text(page)
    assert f'hx-get="{report.get_absolute_url()}?progress=1"' in page_text(page)
    assert "Refresh the page" in visible_text(page)
    partial = client.get(f"{report.get_absolute_url()}?progress=1", HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    assert "1 of 4 sections" in visible_text(partial)
    Report.objects.filter(pk=report.pk).update(status=Status.DRAFT)
    done = client.get(f"{report.get_absolute_url()}?progress=1", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_a_failed_report_shows_qa_the_error_and_try_again(
    client, scenario, django_capture_on_commit_callbacks
):
    report = ReportFactory(
        organisation=scenario.case.organisation,
        status=Status.FAILED,
        error="ValueError: no figures",
        content={},
    )
    _as(client, scenario, "qa")
    page = visible_text(client.get(report.get_absolute_url()))
    assert "The report could not be generated" in page
    assert "ValueError: no figures" in page
    assert "Try again" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("governance:report_retry", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    assert reports.content_of(report).title == fixture.TITLE
    _as(client, scenario, "senior_leader")
    report.status, report.error = Status.FAILED, "ValueError: no figures"
    report.save()
    page = visible_text(client.get(report.get_absolute_url()))
    assert "ValueError" not in page
    assert "Try again" not in page


# Narrative.


def test_qa_writes_a_sections_narrative_and_autosave_answers_htmx(client, scenario, report):
    url = reverse("governance:report_narrative", args=[report.pk, "activity"])
    _as(client, scenario, "qa")
    page = client.get(url)
    assert page.status_code == 200
    assert "How much did we do?" in visible_text(page)
    autosaved = client.post(url, {"text": "Draft words.", "revision": "1"}, HTTP_HX_REQUEST="true")
    assert "Saved at" in visible_text(autosaved)
    assert 'data-value="2"' in autosaved.content.decode()
    response = client.post(url, {"text": "Final words.", "revision": "2"})
    assert response.status_code == 302
    narrative = ReportNarrative.objects.get(report=report, section_key="activity")
    assert (narrative.text, narrative.revision, narrative.written_by) == (
        "Final words.",
        3,
        scenario.people["qa"],
    )
    assert "Final words." in visible_text(client.get(report.get_absolute_url()))


def test_a_second_editor_gets_a_409_with_both_texts_kept(client, scenario, report):
    url = reverse("governance:report_narrative", args=[report.pk, "activity"])
    other_qa = scenario.people["qa"]
    reports.narrative_save(
        report=report,
        section_key="activity",
        by=other_qa,
        text="Theirs, saved first.",
        base_revision=1,
    )
    _as(client, scenario, "qa")
    response = client.post(url, {"text": "Mine, typed meanwhile.", "revision": "1"})
    assert response.status_code == 409
    text = visible_text(response)
    assert "Theirs, saved first." in text
    assert "Mine, typed meanwhile." in page_text(response)
    assert ReportNarrative.objects.get(report=report).text == "Theirs, saved first."
    # Saving again from the conflict page (the revision it now holds) keeps theirs aside.
    assert 'value="2"' in page_text(response)
    again = client.post(url, {"text": "Mine, typed meanwhile.", "revision": "2"})
    assert again.status_code == 302
    assert ReportNarrative.objects.get(report=report).text == "Mine, typed meanwhile."


@pytest.mark.parametrize(
    "data",
    [
        {"text": "x" * 20001, "revision": "1"},
        {"text": "ok", "revision": "nope"},
        {"text": "ok"},
        {"text": "ok", "revision": "99999999999999999999"},
    ],
)
def test_bad_narrative_input_is_refused_without_writing(client, scenario, report, data):
    _as(client, scenario, "qa")
    url = reverse("governance:report_narrative", args=[report.pk, "activity"])
    response = client.post(url, data)
    assert response.status_code == 400
    assert "There is a problem" in visible_text(response)
    assert not ReportNarrative.objects.exists()


def test_unknown_sections_and_other_people_get_nothing(client, scenario, report):
    _as(client, scenario, "qa")
    assert (
        client.get(reverse("governance:report_narrative", args=[report.pk, "nope"])).status_code
        == 404
    )
    _as(client, scenario, "senior_leader")
    url = reverse("governance:report_narrative", args=[report.pk, "activity"])
    assert client.post(url, {"text": "Mine.", "revision": "1"}).status_code == 403
    assert not ReportNarrative.objects.exists()


# Publishing, and the board member reading it.


def test_qa_publishes_to_a_board_whose_member_then_reads_it(client, scenario, report, board):
    reports.narrative_save(
        report=report,
        section_key="activity",
        by=scenario.people["qa"],
        text="The narrative for the board.",
        base_revision=1,
    )
    _as(client, scenario, "team_manager")
    assert client.get(report.get_absolute_url()).status_code == 404
    _as(client, scenario, "qa")
    url = reverse("governance:report_publish", args=[report.pk])
    form = client.get(url)
    assert "Quality Improvement Board" in visible_text(form)
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"boards": ["999999"]}).status_code == 400
    response = client.post(url, {"boards": [str(board.pk)]})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.PUBLISHED
    told = Notification.objects.filter(key=f"report-published:{report.pk}")
    assert {n.recipient.user.username for n in told} == {"team_manager", "senior_leader"}
    # No more narrative, no second publishing.
    page = visible_text(client.get(report.get_absolute_url()))
    assert "Write the narrative" not in page
    assert "Publish to boards" not in page
    narrative_url = reverse("governance:report_narrative", args=[report.pk, "activity"])
    client.post(narrative_url, {"text": "Late.", "revision": "2"})
    assert ReportNarrative.objects.get(report=report).text == "The narrative for the board."
    _as(client, scenario, "team_manager")
    listed = visible_text(client.get(reverse("governance:report_list")))
    assert "Quality of Practice report" in listed
    assert "1 report" in listed
    read = visible_text(client.get(report.get_absolute_url()))
    assert "The narrative for the board." in read
    assert "Published" in read
    assert "Quality Improvement Board" in read
    _as(client, scenario, "practitioner")
    assert client.get(report.get_absolute_url()).status_code == 404


def test_generate_again_from_the_page_makes_version_two_and_marks_version_one(
    client, scenario, report, django_capture_on_commit_callbacks
):
    _as(client, scenario, "qa")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("governance:report_regenerate", args=[report.pk]))
    second = Report.objects.get(version=2)
    assert response["Location"] == second.get_absolute_url()
    old = visible_text(client.get(report.get_absolute_url()))
    assert "superseded by version 2" in old
    assert "Write the narrative" not in old


# The PDF and the workbook.


def _pdf_text(content: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils, scripts/bootstrap.sh --system) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_the_pdf_has_the_header_page_numbers_figures_tables_and_narrative(
    client, scenario, report, tmp_path
):
    ReportNarrative.objects.create(
        organisation=report.organisation,
        report=report,
        section_key="activity",
        text="Audits are on track.",
    )
    _as(client, scenario, "qa")
    response = client.get(reverse("governance:report_pdf", args=[report.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "report-council-a-quarterly-2026-10-v1.pdf" in response["Content-Disposition"]
    text = _pdf_text(response.content, tmp_path)
    pages = text.count("\f") + (0 if text.endswith("\f") else 1)
    assert "Council A: Fixture report, October to December 2026" in text
    assert f"Page 1 of {pages}" in text
    assert f"{audits_of(report.organisation)} audits were recorded for Council A." in text
    assert "Requires improvement" in text
    assert "82.5" in text
    assert "Audits are on track." in text


def test_the_workbook_has_a_cover_and_a_sheet_per_table_with_numbers_as_numbers(
    client, scenario, report
):
    _as(client, scenario, "qa")
    response = client.get(reverse("governance:report_xlsx", args=[report.pk]))
    book = load_workbook(BytesIO(response.content))
    cover = book["Cover"]
    facts = {row[0]: row[1] for row in cover.iter_rows(min_row=1, max_row=8, values_only=True)}
    assert facts["Report"] == fixture.TITLE
    assert facts["Organisation"] == "Council A"
    assert facts["Period"] == "October to December 2026"
    assert facts["Version"] == 1
    assert facts["Generated"] == datetime.datetime.combine(JAN_4, datetime.time(10))
    assert book.sheetnames == [
        "Cover",
        "Audits by grade a draft summary",
        "Visits on time by month",
        "Audits by grade a draft sum (2)",
    ]
    grades = list(book["Audits by grade a draft summary"].iter_rows(min_row=3, values_only=True))
    assert grades == [tuple(row) for row in fixture.GRADES]
    months = list(book["Visits on time by month"].iter_rows(min_row=3, values_only=True))
    assert months[1] == ("Nov 2026", 82.5)
    team = list(book["Audits by grade a draft sum (2)"].iter_rows(min_row=3, values_only=True))
    # Text that looks like a formula stays text.
    assert team[0][2] == "=SUM(A1:A2)"
    assert book["Audits by grade a draft sum (2)"]["C3"].data_type == "s"


def test_sheet_names_are_what_excel_accepts():
    taken = {"cover"}
    assert sheet_name("Cover", taken) == "Cover (2)"
    name = sheet_name("A very long caption: with [brackets] and / slashes * ?", taken)
    assert len(name) <= 31
    assert not set(name) & set("[]:*?/\\")
    assert sheet_name("'''", taken) == "Table"


def test_the_report_is_frozen_when_records_change_and_version_two_has_the_new_figures(
    client, scenario, report, tmp_path, django_capture_on_commit_callbacks
):
    organisation = report.organisation
    before = audits_of(organisation)
    _as(client, scenario, "qa")
    pdf_before = _pdf_text(
        client.get(reverse("governance:report_pdf", args=[report.pk])).content, tmp_path
    )
    GradedAuditFactory.create_batch(5, case=scenario.case)
    page = visible_text(client.get(report.get_absolute_url()))
    assert f"{before} audits were recorded" in page
    pdf = _pdf_text(
        client.get(reverse("governance:report_pdf", args=[report.pk])).content, tmp_path
    )
    assert f"{before} audits were recorded" in pdf
    assert pdf == pdf_before
    book = load_workbook(
        BytesIO(client.get(reverse("governance:report_xlsx", args=[report.pk])).content)
    )
    assert book["Audits by grade a draft sum (2)"]["B3"].value == before
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("governance:report_regenerate", args=[report.pk]))
    second = Report.objects.get(version=2)
    assert f"{before + 5} audits were recorded" in visible_text(
        client.get(second.get_absolute_url())
    )
    book = load_workbook(
        BytesIO(client.get(reverse("governance:report_xlsx", args=[second.pk])).content)
    )
    assert book["Audits by grade a draft sum (2)"]["B3"].value == before + 5
    assert f"{before} audits were recorded" in visible_text(client.get(report.get_absolute_url()))


def test_downloads_of_a_report_not_yet_generated_are_404(client, scenario):
    report = ReportFactory(
        organisation=scenario.case.organisation, status=Status.QUEUED, content={}
    )
    _as(client, scenario, "qa")
    assert client.get(reverse("governance:report_pdf", args=[report.pk])).status_code == 404
    assert client.get(reverse("governance:report_xlsx", args=[report.pk])).status_code == 404
