"""The final audit as a PDF (WeasyPrint), from the same context as the report page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string


def audit_pdf_bytes(request: HttpRequest, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("audits/audit/report_pdf.html", context, request=request)
    # Static files are read from disk, so the PDF needs no web server to fetch them.
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
