from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audits.selectors import audit_work_summary
from cases.access import access_note
from cases.selectors import my_work
from performance.selectors_quality import open_by_rule
from performance.services.imports.selectors import import_run_list


def _business_support(user: Any) -> dict[str, Any]:
    """Their data to follow up, counted by the data-quality page's own selector so each
    figure matches the list it links to, and their latest import."""
    quality = open_by_rule(user=user)
    return {
        "quality": quality,
        "quality_total": sum(row["count"] for row in quality),
        "last_import": import_run_list(user=user).first(),
    }


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """My work: what is assigned to the signed-in person and what is due."""
    today = timezone.localdate()
    work = my_work(user=request.user, today=today)
    audit_work = audit_work_summary(user=request.user)
    shown = [*work.get("cases", []), *work.get("visits_due", [])]
    shown += [audit.case for audit in audit_work.get("next_due", [])]
    shown += [audit.case for audit in audit_work.get("moderation", {}).get("audits", [])]
    access_note(request, cases=shown)
    if work["kind"] == "business_support":
        work.update(_business_support(request.user))
    context = {"work": work, "audit_work": audit_work, "today": today}
    return render(request, "home.html", context)


@require_GET
@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
