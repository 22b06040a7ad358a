from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audits.selectors import audit_work_summary
from cases.access import access_note
from cases.selectors import my_work


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """My work: what is assigned to the signed-in person and what is due."""
    today = timezone.localdate()
    work = my_work(user=request.user, today=today)
    audit_work = audit_work_summary(user=request.user)
    shown = [*work.get("cases", []), *work.get("visits_due", [])]
    shown += [audit.case for audit in audit_work.get("next_due", [])]
    access_note(request, cases=shown)
    return render(request, "home.html", {"work": work, "audit_work": audit_work, "today": today})


@require_GET
@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
