"""A report as a PDF (WeasyPrint, as audits/pdf.py): the organisation's name and the
report's title in a running header, "Page N of M" in the footer, and each section with
its figures, tables (header rows repeated on each page), SVG charts and QA's narrative.
Drawn from the report's frozen content, so it never changes when records do."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string

from governance import reports
from governance.models import Report


def report_pdf_html(request: HttpRequest | None, report: Report) -> str:
    content = reports.content_of(report)
    if content is None:
        raise reports.ReportError("This report has not been generated yet")
    context = {
        "report": report,
        "content": content,
        "sections": reports.sections_view(content, reports.narratives_of(report)),
    }
    return render_to_string("governance/reports/report_pdf.html", context, request=request)


def report_pdf_bytes(request: HttpRequest | None, report: Report) -> bytes:
    from weasyprint import HTML

    html = report_pdf_html(request, report)
    # Static files are read from disk, so the PDF needs no web server to fetch them.
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf
