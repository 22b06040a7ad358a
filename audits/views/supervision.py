"""Supervision QA (seed 002, 2.5): starting an audit of a staff member's supervision
records. Doing it, submitting it and the rest are the pages of every audit
(audits/views/audit.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from audits import selectors
from audits.forms.supervision import StartSupervisionAuditForm
from audits.services import audits as services
from cases.querysets import staff_of


@require_http_methods(["GET", "POST"])
def supervision_audit_start(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("audits.start_audit"):
        raise PermissionDenied
    staff = staff_of(request.user)
    tools = selectors.supervision_tools(user=request.user)
    form = StartSupervisionAuditForm(
        request.POST or None,
        supervisees=selectors.supervisee_choices(user=request.user),
        tools=tools,
        auditors=selectors.supervision_auditor_choices(user=request.user),
        initial={"auditor": staff.pk if staff else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            audit = services.supervision_audit_create(
                supervisee=data["supervisee"],
                tool=data["tool"],
                auditor=data["auditor"],
                due_on=data["due_on"],
                period_start=data["period_start"],
                period_end=data["period_end"],
            )
        except services.AuditStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Supervision audit started")
            return redirect(audit.get_absolute_url())
    return render(
        request, "audits/supervision/start.html", {"form": form, "has_tools": tools.exists()}
    )
