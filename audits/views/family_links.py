"""One-use links for the family to answer their part of an audit themselves: make one
(shown once, on the section's page, never in an address or a message kept for the next
page) and withdraw one. The family's own page is the public link page (cases/views.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from audits.forms.family_link import FamilyLinkForm, WithdrawLinkForm
from audits.models import Audit, Respondent, ToolSection
from audits.rules import AuditSection, may
from audits.services import family_links as services
from audits.views.audit import _audit, _section_or_404, section_page
from cases.models import StaffMember
from cases.querysets import staff_of


def _family_part(
    request: HttpRequest, audit_pk: int, section_pk: int
) -> tuple[Audit, ToolSection, StaffMember]:
    audit = _audit(request, audit_pk)
    section = _section_or_404(audit, section_pk)
    if section.respondent != Respondent.FAMILY or audit.case_id is None:
        raise Http404("Not the family's part of an audit of a case")
    staff = staff_of(request.user)
    if staff is None or not may(request.user, "audits.link_family", AuditSection(audit, section)):
        raise PermissionDenied
    return audit, section, staff


def _links_url(audit: Audit, section: ToolSection) -> str:
    url = reverse("audits:section", kwargs={"audit_pk": audit.pk, "section_pk": section.pk})
    return f"{url}#family-links"


@require_POST
def family_link_new(request: HttpRequest, audit_pk: int, section_pk: int) -> HttpResponse:
    audit, section, staff = _family_part(request, audit_pk, section_pk)
    form = FamilyLinkForm(request.POST)
    if form.is_valid():
        try:
            made = services.family_link_make(
                audit=audit,
                section=section,
                by=staff,
                audience=form.cleaned_data["audience"],
                days=form.cleaned_data["days"],
                recipient=form.cleaned_data["recipient"],
            )
        except services.AuditStateError as error:
            form.add_error(None, str(error))
        else:
            return section_page(request, audit, section, new_link=made)
    return section_page(request, audit, section, status=400, link_form=form)


@require_POST
def family_link_withdraw(request: HttpRequest, audit_pk: int, section_pk: int) -> HttpResponse:
    audit, section, staff = _family_part(request, audit_pk, section_pk)
    form = WithdrawLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a link to withdraw")
        return redirect(_links_url(audit, section))
    try:
        services.family_link_withdraw(
            audit=audit, section=section, by=staff, link_id=form.cleaned_data["link"]
        )
    except services.AuditStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Link withdrawn: it no longer opens")
    return redirect(_links_url(audit, section))
