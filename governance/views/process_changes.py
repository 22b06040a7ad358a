"""QA's page of an organisation's process changes: list, add and delete (views only:
reads and writes in governance.process_changes)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from cases.permissions import require_staff
from governance import board
from governance import process_changes as changes
from governance.forms.process_changes import ProcessChangeForm
from governance.rules import may

MANAGE = "governance.manage_process_changes"


@require_http_methods(["GET", "POST"])
def process_change_list(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    if not may(request.user, MANAGE, None):
        raise PermissionDenied
    organisation = staff.organisation
    form = ProcessChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            changes.process_change_create(
                organisation=organisation, recorded_by=staff, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("changed_on", error)
        else:
            messages.success(request, "Process change recorded")
            return redirect("governance:process_changes")
    rows = [
        (change, board.measure_of(change.measure))
        for change in changes.process_change_list(user=request.user, organisation=organisation)
    ]
    context = {"organisation": organisation, "rows": rows, "form": form}
    return render(request, "governance/board/process_change_list.html", context)


@require_http_methods(["GET", "POST"])
def process_change_delete(request: HttpRequest, process_change_pk: int) -> HttpResponse:
    staff = require_staff(request)
    change = get_object_or_404(
        changes.process_change_list(user=request.user, organisation=staff.organisation),
        pk=process_change_pk,
    )
    if not may(request.user, MANAGE, change):
        raise PermissionDenied
    if request.method == "POST":
        changes.process_change_delete(change=change)
        messages.success(request, "Process change deleted")
        return redirect("governance:process_changes")
    context = {"change": change, "measure": board.measure_of(change.measure)}
    return render(request, "governance/board/process_change_delete.html", context)
