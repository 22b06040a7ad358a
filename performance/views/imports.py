"""Views: case-data imports. The list of runs with the upload form, one run (its progress,
then its result or problems), the problems as a CSV report, the blank templates and the
guide to the files and codes.

Business support upload; business support and QA read the runs of their organisation
(a run of another organisation is a 404). Everything is written by
performance/services/imports, in the Celery task the upload queues.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from cases.models import Child, JourneyEvent, StaffMember
from cases.permissions import require_perm
from cases.querysets import staff_of
from performance.forms_imports import MAX_UPLOAD_BYTES, UploadForm, UploadSizeLimit
from performance.models import ImportRun
from performance.services.imports import codes, import_run_create, selectors
from performance.services.imports.layouts import LAYOUTS, all_layouts, template_csv

VIEW_RUNS = "performance.view_import_runs"
IMPORT = "performance.import_case_data"
RUNS_PER_PAGE = 20
PROBLEMS_PER_PAGE = 50
POLL_SECONDS = 2
TEMPLATES = tuple(LAYOUTS)


# Pages.


def _importer(request: HttpRequest) -> StaffMember | None:
    """The member of staff who may upload here, or None."""
    staff = staff_of(request.user)
    return staff if staff is not None and request.user.has_perm(IMPORT) else None


@csrf_exempt  # checked by _import_list, once the upload size limit is in place
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW_RUNS)
    if request.method == "POST":
        if _importer(request) is None:
            raise PermissionDenied
        request.upload_handlers.insert(0, UploadSizeLimit(request))
    return _import_list(request)


@csrf_protect
def _import_list(request: HttpRequest) -> HttpResponse:
    staff = _importer(request)
    form = None
    if staff is not None:
        teams = selectors.import_teams(organisation=staff.organisation)
        bound = request.method == "POST"
        form = UploadForm(
            request.POST if bound else None,
            request.FILES if bound else None,
            teams=teams,
            too_large=getattr(request, "uploads_too_large", ()),
        )
        if bound and form.is_valid():
            try:
                run = import_run_create(
                    uploaded_by=staff,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    second_upload=form.cleaned_data.get("episodes_file"),
                    team=form.cleaned_data.get("team"),
                    collection_year=form.cleaned_data.get("collection_year"),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(run.get_absolute_url())
    runs = Paginator(selectors.import_run_list(user=request.user), RUNS_PER_PAGE)
    context = {
        "form": form,
        "can_import": staff is not None,
        "page_obj": runs.get_page(request.GET.get("page")),
        "templates": _templates(),
    }
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, "performance/imports/list.html", context, status=status)


def _templates() -> list[dict[str, str]]:
    return [
        {
            "title": layout.title,
            "url": reverse(f"performance:import_template_{layout.key}"),
            "name": layout.template_name,
        }
        for layout in all_layouts(timezone.localdate())
    ]


@require_GET
def import_detail(request: HttpRequest, import_pk: int) -> HttpResponse:
    require_perm(request, VIEW_RUNS)
    run = get_object_or_404(selectors.import_run_records(user=request.user), pk=import_pk)
    progress = selectors.import_progress(run=run)
    if request.htmx:
        if not run.in_progress:
            # Done: reload the whole page, which shows the result.
            return HttpResponseClientRefresh()
        context = {"run": run, "progress": progress, "poll_seconds": POLL_SECONDS}
        return render(request, "performance/imports/partials/progress.html", context)
    problems = Paginator(selectors.import_problems(run=run), PROBLEMS_PER_PAGE)
    context = {
        "run": run,
        "progress": progress,
        "poll_seconds": POLL_SECONDS,
        "problems": problems.get_page(request.GET.get("page")),
        # A run caught part-way and started again may still hold an earlier attempt's counts.
        "sections": [] if run.in_progress else _sections(run),
        **_return_details(run),
        "summary_rows": _summary_rows(run),
        "can_import": _importer(request) is not None,
    }
    return render(request, "performance/imports/detail.html", context)


def _summary_rows(run: ImportRun) -> list[tuple[str, Any]]:
    rows = [
        ("What", run.get_kind_display()),
        ("File" if not run.second_file_name else "Files", run.file_names),
        ("Uploaded by", run.uploaded_by.display_name if run.uploaded_by else None),
        ("Uploaded", _when(run.created_at)),
        ("Status", run.get_status_display()),
        ("SHA-256 fingerprint", run.sha256),
    ]
    if not run.in_progress:
        rows.insert(-1, ("Rows in the file", f"{run.rows_total:,}"))
    if run.kind == ImportRun.Kind.SSDA903:
        rows.insert(2, ("Team for new cases", str(run.team) if run.team else None))
        rows.insert(3, ("Collection year and its codes", _collection_year(run)))
    seconds = (run.details or {}).get("seconds") or {}
    if seconds:
        taken = ", ".join(f"{what} {value:g} s" for what, value in seconds.items())
        rows.append(("Time taken", taken))
    return rows


def _collection_year(run: ImportRun) -> str | None:
    year = (run.details or {}).get("collection_year")
    if not year:
        return f"{codes.year_name(run.collection_year)}, as chosen" if run.collection_year else None
    if year["stated"]:
        return f"{year['name']}, as chosen on the upload form"
    if year.get("latest"):
        latest = datetime.date.fromisoformat(year["latest"])
        return f"{year['name']}, the year of the latest date in the file ({latest:%d/%m/%Y})"
    return f"{year['name']}, the current collection year"


def _when(moment: Any) -> str:
    local = timezone.localtime(moment)
    return f"{date_format(local, 'j F Y')} at {local:%H:%M}"


def _return_details(run: ImportRun) -> dict[str, Any]:
    """SSDA903: the events by kind, the children by legal status and what was removed,
    in words."""
    details = {} if run.in_progress else run.details or {}
    kinds = dict(JourneyEvent.Kind.choices)
    statuses = dict(Child.LegalStatus.choices)
    return {
        "removed": _removed(details.get("removed"), kinds),
        "event_kinds": [
            (str(kinds.get(kind, kind)), count)
            for kind, count in (details.get("events_by_kind") or {}).items()
        ],
        "legal_statuses": [
            (f"{code}: {statuses.get(code, '')}" if code else "Not recorded", count)
            for code, count in (details.get("legal_statuses") or {}).items()
        ],
    }


def _removed(removed: dict[str, Any] | None, kinds: dict[str, str]) -> dict[str, Any] | None:
    """What a corrected return no longer has: counts, and the first records one by one."""
    if not removed:
        return None
    rows = []
    for item in removed.get("listed", []):
        on = datetime.date.fromisoformat(item["on"])
        if item["what"] == "case":
            fate = "closed on the day it opened (it holds other records)"
            what = (
                f"Period of care opened {on:%d/%m/%Y}: {fate if item.get('closed') else 'removed'}"
            )
        else:
            what = f"{kinds.get(item['kind'], item['kind'])} on {on:%d/%m/%Y}"
        rows.append((item["child"], what))
    total = removed.get("events", 0) + removed.get("cases", 0)
    return {
        "total": total,
        "events": removed.get("events", 0),
        "cases": removed.get("cases", 0),
        "cases_closed": removed.get("cases_closed", 0),
        "rows": rows,
        "more": total - len(rows),
    }


SECTION_TITLES = {"children": "Children", "cases": "Cases", "events": "Journey events"}


def _sections(run: ImportRun) -> list[dict[str, Any]]:
    """The counts by record type, for the result table."""
    details = run.details or {}
    return [
        {"title": title, **details[key]}
        for key, title in SECTION_TITLES.items()
        if isinstance(details.get(key), dict)
    ]


@require_GET
def import_report(request: HttpRequest, import_pk: int) -> StreamingHttpResponse:
    require_perm(request, VIEW_RUNS)
    run = get_object_or_404(selectors.import_run_records(user=request.user), pk=import_pk)
    response = StreamingHttpResponse(
        selectors.import_report_lines(run=run), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-problems.csv"'
    return response


@require_GET
def import_template(request: HttpRequest, key: str) -> HttpResponse:
    require_perm(request, VIEW_RUNS)
    name = f"{key.replace('_', '-')}.csv"
    response = HttpResponse(template_csv(key), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def import_guide(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW_RUNS)
    guides = [
        {"layout": layout, "template_url": reverse(f"performance:import_template_{layout.key}")}
        for layout in all_layouts(timezone.localdate())
    ]
    staff = staff_of(request.user)
    context = {
        "guides": guides,
        "max_upload_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        "staff": selectors.import_staff(organisation_id=staff.organisation_id) if staff else [],
    }
    return render(request, "performance/imports/guide.html", context)
