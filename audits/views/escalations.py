"""The QA escalation list: open audits, oversight and actions more than the escalation days
overdue."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audits import reminders
from cases.access import access_note

PAGE_SIZE = 25


@require_GET
def escalation_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("audits.view_escalations"):
        raise PermissionDenied
    today = timezone.localdate()
    rules = reminders.escalation_rules(user=request.user)
    rows = reminders.escalation_list(user=request.user, today=today, rules=rules)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = reminders.escalated_items(page.object_list, today=today)
    access_note(request, cases=[item.case for item in page.object_list])
    days = {r.escalation_days for r in rules.values()}
    reminder_days = {r.reminder_days for r in rules.values()}
    context = {
        "page_obj": page,
        "escalation_days": days.pop() if len(days) == 1 else None,
        "reminder_days": reminder_days.pop() if len(reminder_days) == 1 else None,
    }
    return render(request, "audits/escalations.html", context)
