"""The scheduled reports' pages: the list (with QA's "Generate a report"), a report (its
progress while it is generated, then its frozen figures with QA's narrative), a
section's narrative, publishing to boards, generating again, and the PDF and workbook.
Reports hold counts and grades, never a child's or an adopter's details (so no access
log)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from cases.permissions import require_perm, require_staff
from cases.querysets import staff_of
from core.autosave_views import autosave_answer
from governance import report_pdf as pdf_of
from governance import report_workbook, reports
from governance.forms.reports import LATEST, GenerateForm, NarrativeForm, PublishForm
from governance.models import Report
from governance.rules import may

VIEW = "governance.view_reports"
MANAGE = "governance.manage_reports"
POLL_SECONDS = 2


def _htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request (django-htmx's middleware sets `request.htmx`)."""
    return bool(getattr(request, "htmx", False))


def _report(request: HttpRequest, report_pk: int) -> Report:
    require_perm(request, VIEW)
    report = reports.report_for_page(user=request.user, report_pk=report_pk)
    if report is None:
        raise Http404
    return report


def _managed(request: HttpRequest, report_pk: int) -> tuple[Report, Any]:
    report = _report(request, report_pk)
    staff = require_staff(request)
    if not may(request.user, MANAGE, report):
        raise PermissionDenied
    return report, staff


def _choice(value: str | None, choices: list[str]) -> str:
    return value if value in choices else ""


@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    """The reports the reader may see; QA's form to generate one (POST)."""
    require_perm(request, VIEW)
    may_generate = may(request.user, MANAGE, None) and staff_of(request.user) is not None
    form = None
    if may_generate:
        form = GenerateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        staff = require_staff(request)
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            return _generate(request, staff, form)
    kind = _choice(request.GET.get("kind"), list(Report.Kind.values))
    status = _choice(request.GET.get("status"), list(Report.Status.values))
    rows = reports.report_list(user=request.user, kind=kind, status=status)
    page = Paginator(rows, reports.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "kind": kind,
        "status": status,
        "kinds": Report.Kind.choices,
        "statuses": Report.Status.choices,
        "form": form,
    }
    status_code = 400 if form is not None and form.is_bound else 200
    return render(request, "governance/reports/list.html", context, status=status_code)


def _generate(request: HttpRequest, staff: Any, form: GenerateForm) -> HttpResponse:
    data = form.cleaned_data
    day = timezone.localdate() if data["when"] == LATEST else data["day"]
    made = reports.report_request(staff.organisation, data["kind"], day, by=staff)
    if made is None:
        period = reports.report_builders.period_for(data["kind"], day)
        existing = (
            reports.reports(user=request.user)
            .filter(kind=data["kind"], period_start=period.start)
            .order_by("-version")
            .first()
        )
        if existing is None:
            raise Http404
        messages.info(
            request,
            "This report has already been generated for that period: here it is. "
            "Use \u201cGenerate again\u201d for a new version.",
        )
        return redirect(existing)
    messages.success(request, "The report is being generated")
    return redirect(made)


@require_GET
def report_detail(request: HttpRequest, report_pk: int) -> HttpResponse:
    report = _report(request, report_pk)
    if _htmx(request) and request.GET.get("progress"):
        if not report.in_progress:
            return HttpResponseClientRefresh()
        return render(
            request,
            "governance/reports/partials/progress.html",
            {"report": report, "poll_seconds": POLL_SECONDS},
        )
    content = reports.content_of(report)
    latest = getattr(report, "latest_version", None) or report.version
    manages = may(request.user, MANAGE, report)
    problem = reports.editable_problem(report, latest)
    context = {
        "report": report,
        "content": content,
        "sections": (
            reports.sections_view(content, reports.narratives_of(report)) if content else []
        ),
        "latest_version": latest,
        "superseded": latest != report.version,
        "manages": manages,
        "may_edit": manages and not problem,
        "may_regenerate": manages and not report.in_progress,
        "poll_seconds": POLL_SECONDS,
        "boards": list(report.boards.order_by("name")) if report.status == "published" else [],
    }
    return render(request, "governance/reports/detail.html", context)


@require_POST
def report_retry(request: HttpRequest, report_pk: int) -> HttpResponse:
    report, _ = _managed(request, report_pk)
    try:
        reports.report_retry(report=report)
    except reports.ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The report is being generated again")
    return redirect(report)


@require_POST
def report_regenerate(request: HttpRequest, report_pk: int) -> HttpResponse:
    report, staff = _managed(request, report_pk)
    try:
        made = reports.report_regenerate(report=report, by=staff)
    except reports.ReportError as error:
        messages.error(request, str(error))
        return redirect(report)
    messages.success(request, f"Version {made.version} is being generated")
    return redirect(made)


@require_http_methods(["GET", "POST"])
def report_narrative(request: HttpRequest, report_pk: int, section_key: str) -> HttpResponse:
    """QA's narrative for one section: autosaved with htmx, or saved with the button."""
    report, staff = _managed(request, report_pk)
    section = reports.section_of(report, section_key)
    if section is None:
        raise Http404
    problem = reports.editable_problem(report, getattr(report, "latest_version", None))
    current = reports.narratives_of(report).get(section_key)
    context: dict[str, Any] = {
        "report": report,
        "section": section,
        "problem": problem,
        "current": current,
        "storage_key": f"qaportal:report:{report.pk}:{section_key}",
        "conflicts": [],
    }
    if request.method == "GET":
        initial = {"text": current.text if current else "", "revision": _revision(current)}
        context["form"] = NarrativeForm(initial=initial, label=section.title)
        return render(request, "governance/reports/narrative.html", context)
    if problem:
        return _refused(request, report, context, problem)
    form = NarrativeForm(request.POST, label=section.title)
    context["form"] = form
    if not form.is_valid():
        if _htmx(request):
            return _status(request, state="invalid", form=form)
        return render(request, "governance/reports/narrative.html", context, status=400)
    try:
        result = reports.narrative_save(
            report=report,
            section_key=section_key,
            by=staff,
            text=form.cleaned_data["text"],
            base_revision=form.cleaned_data["revision"],
        )
    except reports.ReportError as error:
        return _refused(request, report, context, str(error))
    if _htmx(request):
        return _status(request, state="conflict" if result.conflicts else "saved", result=result)
    if result.conflicts:
        data = request.POST.copy()
        data["revision"] = str(result.conflicts[0].their_revision)
        form = NarrativeForm(data, label=section.title)
        form.is_valid()
        context.update(
            form=form,
            conflicts=result.conflicts,
            conflicts_by_others=[c for c in result.conflicts if not c.by_you],
        )
        return render(request, "governance/reports/narrative.html", context, status=409)
    messages.success(request, f"Narrative saved for \u201c{section.title}\u201d")
    return redirect(f"{report.get_absolute_url()}#section-{section_key}")


def _revision(current: Any) -> int:
    return current.revision if current is not None else 1


def _refused(
    request: HttpRequest, report: Report, context: dict[str, Any], message: str
) -> HttpResponse:
    if _htmx(request):
        return _status(request, state="refused", message=message)
    messages.error(request, message)
    return redirect(report)


def _status(request: HttpRequest, *, state: str, **context: Any) -> HttpResponse:
    return autosave_answer(
        request, "governance/reports/partials/autosave_status.html", state=state, **context
    )


@require_http_methods(["GET", "POST"])
def report_publish(request: HttpRequest, report_pk: int) -> HttpResponse:
    report, staff = _managed(request, report_pk)
    problem = reports.editable_problem(report, getattr(report, "latest_version", None))
    if problem:
        messages.error(request, problem)
        return redirect(report)
    boards = reports.publishable_boards(report)
    form = PublishForm(request.POST if request.method == "POST" else None, boards=boards)
    if request.method == "POST" and form.is_valid():
        try:
            published = reports.report_publish(
                report=report, by=staff, boards=form.cleaned_data["boards"]
            )
        except reports.ReportError as error:
            form.add_error(None, str(error))
        else:
            names = ", ".join(b.name for b in form.cleaned_data["boards"])
            messages.success(request, f"Published to {names}")
            return redirect(published)
    status = 400 if form.is_bound else 200
    context = {"report": report, "form": form, "has_boards": boards.exists()}
    return render(request, "governance/reports/publish.html", context, status=status)


def _ready(request: HttpRequest, report_pk: int) -> Report:
    report = _report(request, report_pk)
    if not report.is_ready:
        raise Http404
    return report


@require_GET
def report_pdf(request: HttpRequest, report_pk: int) -> HttpResponse:
    report = _ready(request, report_pk)
    pdf = pdf_of.report_pdf_bytes(request, report)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = reports.filename_of(report, "pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def report_xlsx(request: HttpRequest, report_pk: int) -> HttpResponse:
    report = _ready(request, report_pk)
    response = HttpResponse(
        report_workbook.report_workbook_bytes(report), content_type=report_workbook.CONTENT_TYPE
    )
    filename = reports.filename_of(report, "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
