"""Every kind of report from its real builder, end to end: generated from the scenario's
records, shown as a page, a PDF and a workbook that say the same figures, with no child's
or adopter's details anywhere in them."""

from __future__ import annotations

import datetime
import subprocess
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from governance import report_builders, reports
from governance.models import Report
from tests.factories import GradedAuditFactory
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

APRIL_1 = datetime.date(2027, 4, 1)  # Every kind falls due on this day.


@pytest.mark.parametrize("kind", list(report_builders.KINDS))
def test_each_kind_generates_and_renders_the_same_figures_everywhere(
    client, scenario, kind, django_capture_on_commit_callbacks
):
    Report.objects.all().delete()
    organisation = scenario.case.organisation
    period = report_builders.period_for(kind, APRIL_1)
    inside = timezone.make_aware(datetime.datetime.combine(period.end, datetime.time(12)))
    GradedAuditFactory(case=scenario.case, overall_grade="good", submitted_at=inside)
    with time_machine.travel(
        timezone.make_aware(datetime.datetime.combine(APRIL_1, datetime.time(9))), tick=False
    ):
        with django_capture_on_commit_callbacks(execute=True):
            report = reports.report_request(organisation, kind, APRIL_1)
    assert report is not None
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT, report.error
    assert report.period_label == period.label
    content = reports.content_of(report)
    assert content is not None
    assert content.sections
    client.force_login(scenario.people["qa"].user)
    page = visible_text(client.get(report.get_absolute_url()))
    for section in content.sections:
        assert section.title in page
    for figure in (f for s in content.sections for f in s.figures):
        assert figure.label in page
    for text, _url in (e for s in content.sections for e in s.evidence):
        assert text in page
    pdf = client.get(reverse("governance:report_pdf", kwargs={"report_pk": report.pk}))
    assert pdf.status_code == 200
    pdf_text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=b"".join(pdf.streaming_content) if pdf.streaming else pdf.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert content.sections[0].title in pdf_text
    assert organisation.name in pdf_text
    xlsx = client.get(reverse("governance:report_xlsx", kwargs={"report_pk": report.pk}))
    book = load_workbook(BytesIO(xlsx.content), read_only=True)
    cells = {
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    }
    tables = [t for s in content.sections for t in s.tables]
    if tables:
        assert tables[0].caption in cells or tables[0].columns[0] in cells
    # Nothing about the child or the adopter.
    for text in (page, pdf_text, " ".join(cells)):
        assert scenario.child.reference not in text
        assert scenario.child.family_name not in text
        assert scenario.adopter.reference not in text
