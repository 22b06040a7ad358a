"""Doing an audit: the task list, each section (autosaved), findings, actions, submission,
the line manager's oversight, acknowledgement, the final report and its PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST

from audits import history, selectors
from audits.forms.audit import (
    ActionForm,
    FindingsForm,
    ModerationForm,
    OversightForm,
    SectionForm,
    StartAuditForm,
)
from audits.forms.family_link import FamilyLinkForm
from audits.models import Audit, AuditAction, Respondent
from audits.parts import audit_parts
from audits.rules import (
    AuditSection,
    awaits_oversight,
    is_auditor,
    is_practitioner,
    may,
    moderates,
)
from audits.services import audits as services
from cases.access import access_note
from cases.models import AccessLog, StaffMember
from cases.querysets import staff_of
from core.redirects import redirect_next


def _audit(request: HttpRequest, audit_pk: int) -> Audit:
    return get_object_or_404(selectors.audit_records(user=request.user), pk=audit_pk)


def _page(
    request: HttpRequest, audit: Audit, template: str, context: dict, status: int = 200
) -> HttpResponse:
    """A page of an audit. Every one is about the audited child's or adopter's case, so
    every one is written to the access log (the autosave status line is not a page)."""
    access_note(request, cases=[audit.case] if audit.case else [])
    return render(request, template, context, status=status)


@require_http_methods(["GET"])
def audit_detail(request: HttpRequest, audit_pk: int) -> HttpResponse:
    audit = _audit(request, audit_pk)
    staff = staff_of(request.user)
    if audit.is_editable:
        parts = audit_parts(audit=audit, staff=staff)
        return _page(
            request,
            audit,
            "audits/audit/task_list.html",
            {
                "audit": audit,
                "parts": parts,
                "completed": sum(1 for part in parts if part.complete),
                "can_add_action": may(request.user, "audits.add_action", audit),
                "can_submit": may(request.user, "audits.submit_audit", audit),
                "actions": _actions(request, audit),
            },
        )
    return _page(request, audit, "audits/audit/report.html", _report_context(request, audit))


def _actions(request: HttpRequest, audit: Audit) -> list[AuditAction]:
    """The audit's actions, each with `can_complete` for its "Mark as done" button."""
    actions = selectors.audit_actions(audit=audit)
    for action in actions:
        action.can_complete = may(request.user, "audits.complete_action", action)
    return actions


def _report_context(request: HttpRequest, audit: Audit) -> dict:
    user = request.user
    return {
        "audit": audit,
        "sections": selectors.audit_sections(audit=audit),
        "actions": _actions(request, audit),
        "can_respond": may(user, "audits.give_oversight", audit),
        "can_acknowledge": may(user, "audits.acknowledge_audit", audit),
        "can_see_history": user.has_perm("audits.view_audit_history"),
        "can_moderate": may(user, "audits.moderate_audit", audit),
    }


def _section_or_404(audit: Audit, section_pk: int):
    section = selectors.audit_section(audit=audit, section_pk=section_pk)
    if section is None:
        raise Http404("No such section")
    return section


@login_not_required
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, audit_pk: int, section_pk: int) -> HttpResponse:
    """One section of the audit. Autosave posts here with htmx; so does "Save"."""
    if not request.user.is_authenticated:
        # Autosave after the session has ended: say so, keep the text in the browser.
        if request.htmx:
            return _autosave_status(request, state="signed_out", status=200)
        return redirect_to_login(request.get_full_path())
    audit = _audit(request, audit_pk)
    section = _section_or_404(audit, section_pk)
    if request.method == "GET":
        return section_page(request, audit, section)
    if not may(request.user, "audits.fill_section", AuditSection(audit, section)):
        raise PermissionDenied
    answers = selectors.audit_answers(audit=audit)
    return _save_section(request, audit, section, answers, staff_of(request.user))


def section_page(
    request: HttpRequest, audit: Audit, section, *, status: int = 200, **family: object
) -> HttpResponse:
    """A section as it stands (GET), with `family` for its part on links made for the
    family: `link_form` with its errors, or the `new_link` just made."""
    editable = may(request.user, "audits.fill_section", AuditSection(audit, section))
    answers = selectors.audit_answers(audit=audit)
    form = SectionForm(
        section=section, answers=answers, disabled=not editable, entered_by=_entered_by(audit)
    )
    return _render_section(request, audit, section, form, editable, answers, status, **family)


def _entered_by(audit: Audit):
    """Who entered an answer, as the family-feedback part shows it: either the auditor or
    the practitioner may write there, so each answer says whose it is."""

    def describe(answer) -> str:
        if answer.updated_by_id is None and answer.family_link_id and answer.value:
            when = timezone.localtime(answer.updated_at)
            at = f"{date_format(when, 'H:i')} on {date_format(when, 'j F Y')}"
            return f"Given by the family themselves through a one-use link, {at}"
        if answer.updated_by_id is None or not answer.value:
            return ""
        if answer.updated_by_id == audit.auditor_id:
            role = ", the auditor"
        elif answer.updated_by_id == audit.practitioner_id:
            role = ", the practitioner"
        else:
            role = ""
        when = timezone.localtime(answer.updated_at)
        at = f"{date_format(when, 'H:i')} on {date_format(when, 'j F Y')}"
        return f"Entered by {answer.updated_by.display_name}{role}, {at}"

    return describe


def _save_section(request, audit, section, answers, staff) -> HttpResponse:
    form = SectionForm(
        request.POST, section=section, answers=answers, entered_by=_entered_by(audit)
    )
    if not form.is_valid():
        if request.htmx:
            return _autosave_status(request, state="invalid", form=form)
        return _render_section(request, audit, section, form, True, answers, status=400)
    try:
        result = services.answers_save(audit=audit, section=section, by=staff, values=form.values())
    except services.AuditStateError as error:
        if request.htmx:
            return _autosave_status(request, state="refused", message=str(error))
        messages.error(request, str(error))
        return redirect(audit.get_absolute_url())
    if request.htmx:
        state = "conflict" if result.conflicts else "saved"
        return _autosave_status(request, state=state, result=result)
    if result.conflicts:
        return _render_conflicts(request, audit, section, form, result)
    return redirect(_after_save(request, audit, section))


def _after_save(request: HttpRequest, audit: Audit, section) -> str:
    """Where "Save and continue" goes: the next part, the findings after the last section."""
    if request.POST.get("then") == "next":
        sections = selectors.tool_section_list(tool=audit.tool)
        index = next(i for i, s in enumerate(sections) if s.pk == section.pk)
        if index + 1 < len(sections):
            following = sections[index + 1]
            return reverse(
                "audits:section", kwargs={"audit_pk": audit.pk, "section_pk": following.pk}
            )
        return reverse("audits:findings", kwargs={"audit_pk": audit.pk})
    return audit.get_absolute_url()


def _render_section(
    request,
    audit,
    section,
    form,
    editable,
    answers,
    status=200,
    conflicts=None,
    **family,
) -> HttpResponse:
    parts = audit_parts(audit=audit, staff=staff_of(request.user))
    part = next(p for p in parts if p.section is not None and p.section.pk == section.pk)
    return _page(
        request,
        audit,
        "audits/audit/section.html",
        {
            "audit": audit,
            "section": section,
            "form": form,
            "editable": editable,
            "part": part,
            "count": len(parts),
            "next_part": parts[part.number] if part.number < len(parts) else None,
            "other_filler": _other_filler(audit, section, request),
            "conflicts": conflicts or [],
            "conflicts_by_others": [c for c in conflicts or [] if not c.by_you],
            "last_saved": max((a.updated_at for a in answers.values()), default=None),
            "storage_key": f"qaportal:audit:{audit.pk}:section:{section.pk}",
            **_family_links(request, audit, section, **family),
        },
        status=status,
    )


def _family_links(
    request: HttpRequest, audit: Audit, section, link_form=None, new_link=None
) -> dict:
    """The family's part of an audit of a case: the one-use links made for the family to
    answer it themselves, and the form to make one for whoever may."""
    if section.respondent != Respondent.FAMILY or audit.case_id is None:
        return {}
    can_link = may(request.user, "audits.link_family", AuditSection(audit, section))
    return {
        "family_part": True,
        "family_links": selectors.family_links(user=request.user, audit=audit),
        "can_link": can_link,
        "link_form": link_form or (FamilyLinkForm() if can_link else None),
        "new_link": new_link,
    }


def _other_filler(audit: Audit, section, request: HttpRequest) -> StaffMember | None:
    """In the family-feedback part, the other of the two people who may write there."""
    staff = staff_of(request.user)
    if section.respondent != Respondent.FAMILY or staff is None or audit.practitioner is None:
        return None
    if staff.pk == audit.auditor_id:
        return audit.practitioner
    return audit.auditor if staff.pk == audit.practitioner_id else None


def _render_conflicts(request, audit, section, form, result) -> HttpResponse:
    """Both versions side by side: theirs as saved, yours still in the form to keep or
    merge. The form now carries their revision, so saving it again is not a conflict."""
    data = request.POST.copy()
    for conflict in result.conflicts:
        question_id = conflict.key.removeprefix("q-")
        data[f"rev-{question_id}"] = str(conflict.their_revision)
    answers = selectors.audit_answers(audit=audit)
    form = SectionForm(data, section=section, answers=answers, entered_by=_entered_by(audit))
    form.is_valid()
    return _render_section(
        request, audit, section, form, True, answers, status=409, conflicts=result.conflicts
    )


def _autosave_status(
    request: HttpRequest,
    *,
    state: str,
    result: services.SaveResult | None = None,
    form: SectionForm | FindingsForm | None = None,
    message: str = "",
    status: int = 200,
) -> HttpResponse:
    """The autosave answer: a status line, and the new revisions out of band. htmx does
    not swap error statuses, so problems travel as 200 with an HX-Trigger event."""
    response = render(
        request,
        "audits/partials/autosave_status.html",
        {
            "state": state,
            "result": result,
            "form": form,
            "message": message,
            "saved_at": timezone.localtime(),
            "page_url": request.get_full_path(),
        },
        status=status,
    )
    response["HX-Trigger-After-Swap"] = f"autosave-{state.replace('_', '-')}"
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def findings(request: HttpRequest, audit_pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        if request.htmx:
            return _autosave_status(request, state="signed_out")
        return redirect_to_login(request.get_full_path())
    audit = _audit(request, audit_pk)
    staff = staff_of(request.user)
    editable = may(request.user, "audits.edit_findings", audit)
    initial = {f: getattr(audit, f) for f in services.FINDINGS_FIELDS}
    initial["revision"] = audit.revision
    if request.method == "GET":
        form = FindingsForm(initial=initial, disabled=not editable)
        return _render_findings(request, audit, form, editable)
    if not editable:
        raise PermissionDenied
    form = FindingsForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            return _autosave_status(request, state="invalid", form=form)
        return _render_findings(request, audit, form, editable, status=400)
    values = {f: form.cleaned_data.get(f) or "" for f in services.FINDINGS_FIELDS}
    result = services.findings_save(
        audit=audit, by=staff, base_revision=form.cleaned_data.get("revision") or 0, values=values
    )
    if request.htmx:
        return _autosave_status(
            request, state="conflict" if result.conflicts else "saved", result=result
        )
    if result.conflicts:
        data = request.POST.copy()
        data["revision"] = str(result.conflicts[0].their_revision)
        form = FindingsForm(data)
        form.is_valid()
        return _render_findings(
            request, audit, form, editable, status=409, conflicts=result.conflicts
        )
    return redirect(audit.get_absolute_url())


def _render_findings(request, audit, form, editable, status=200, conflicts=None) -> HttpResponse:
    parts = audit_parts(audit=audit, staff=staff_of(request.user))
    return _page(
        request,
        audit,
        "audits/audit/findings.html",
        {
            "audit": audit,
            "part": parts[-1],
            "count": len(parts),
            "form": form,
            "editable": editable,
            "conflicts": conflicts or [],
            "conflicts_by_others": [c for c in conflicts or [] if not c.by_you],
            "storage_key": f"qaportal:audit:{audit.pk}:findings",
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, audit_pk: int) -> HttpResponse:
    audit = _audit(request, audit_pk)
    staff = staff_of(request.user)
    if staff is None or not may(request.user, "audits.add_action", audit):
        raise PermissionDenied
    form = ActionForm(request.POST or None, audit=audit)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_add(
                audit=audit,
                description=form.cleaned_data["description"],
                owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
                by=staff,
            )
        except services.AuditStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Action added")
            return redirect(f"{audit.get_absolute_url()}#actions")
    return _page(request, audit, "audits/audit/action_new.html", {"audit": audit, "form": form})


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, audit_pk: int) -> HttpResponse:
    audit = _audit(request, audit_pk)
    staff = staff_of(request.user)
    if staff is None or not is_auditor(request.user, audit):
        raise PermissionDenied
    if not may(request.user, "audits.submit_audit", audit):
        return redirect(audit.get_absolute_url())
    errors = services.submission_errors(audit)
    if request.method == "POST":
        try:
            audit = services.audit_submit(audit=audit, by=staff)
        except services.AuditIncomplete as refused:
            errors = refused.errors
        except services.AuditStateError as error:
            messages.error(request, str(error))
            return redirect(audit.get_absolute_url())
        else:
            messages.success(
                request,
                f"Audit submitted. {audit.line_manager.display_name} has been asked to give "
                "management oversight.",
            )
            return redirect(audit.get_absolute_url())
    waiting = services.reflection_missing(audit)
    tried = request.method == "POST"
    if not tried:
        # Before a try, the page says what it waits for below; the summary lists only
        # what the auditor can do.
        errors = [(link, message) for link, message in errors if not link.endswith("#reflection")]
    return _page(
        request,
        audit,
        "audits/audit/submit.html",
        {
            "audit": audit,
            "errors": errors,
            "tried": tried,
            "waiting": waiting,
            "reminded": services.last_reflection_reminder(audit) if waiting else None,
        },
        status=400 if errors and tried else 200,
    )


@require_POST
def remind_practitioner(request: HttpRequest, audit_pk: int) -> HttpResponse:
    """The auditor asks the practitioner for their reflection (a notification)."""
    audit = _audit(request, audit_pk)
    staff = staff_of(request.user)
    if staff is None or not is_auditor(request.user, audit):
        raise PermissionDenied
    try:
        sent = services.audit_remind_practitioner(audit=audit, by=staff)
    except services.AuditStateError as error:
        messages.error(request, str(error))
        return redirect(reverse("audits:submit", kwargs={"audit_pk": audit.pk}))
    name = audit.practitioner.display_name
    if sent:
        messages.success(request, f"{name} has been sent a reminder to write their reflection")
    else:
        messages.info(request, f"{name} has already been reminded today")
    return redirect(reverse("audits:submit", kwargs={"audit_pk": audit.pk}))


@require_http_methods(["GET", "POST"])
def oversight(request: HttpRequest, audit_pk: int) -> HttpResponse:
    audit = _audit(request, audit_pk)
    staff = staff_of(request.user)
    if staff is None or not may(request.user, "audits.give_oversight", audit):
        if not awaits_oversight(request.user, audit):
            # Not (or no longer) waiting for oversight: the audit itself says where it stands.
            return redirect(audit.get_absolute_url())
        raise PermissionDenied
    form = OversightForm(request.POST or None, audit=audit)
    if request.method == "POST" and form.is_valid():
        directions = [
            services.Direction(description=d, owner=o, due_on=due)
            for d, o, due in form.directions()
        ]
        try:
            services.audit_oversight(
                audit=audit,
                by=staff,
                text=form.cleaned_data["oversight"],
                agrees=form.cleaned_data["agrees"],
                grade=form.cleaned_data.get("grade") or "",
                directions=directions,
            )
        except services.AuditStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your oversight has been recorded. The audit is final.")
            return redirect(audit.get_absolute_url())
    context = _report_context(request, audit)
    context.update({"form": form, "direction_numbers": range(1, OversightForm.DIRECTIONS + 1)})
    return _page(request, audit, "audits/audit/oversight.html", context)


@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest, audit_pk: int) -> HttpResponse:
    audit = _audit(request, audit_pk)
    context = _report_context(request, audit)
    staff = staff_of(request.user)
    if staff is None or not moderates(request.user, audit):
        raise PermissionDenied
    if not context["can_moderate"]:
        return redirect(audit.get_absolute_url())
    form = ModerationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.audit_moderate(
                audit=audit,
                by=staff,
                grade=form.cleaned_data["moderated_grade"],
                feedback=form.cleaned_data["moderation_feedback"],
            )
        except services.AuditStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Moderation recorded. The auditor can read your feedback.")
            return redirect(audit.get_absolute_url())
    context["form"] = form
    return _page(request, audit, "audits/audit/moderate.html", context)


@require_POST
def acknowledge(request: HttpRequest, audit_pk: int) -> HttpResponse:
    audit = _audit(request, audit_pk)
    staff = staff_of(request.user)
    if staff is None or not is_practitioner(request.user, audit):
        raise PermissionDenied
    try:
        services.audit_acknowledge(
            audit=audit, by=staff, comment=request.POST.get("acknowledgement", "")[:5000]
        )
    except services.AuditStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "You have acknowledged this audit")
    return redirect(audit.get_absolute_url())


@require_POST
def action_done(request: HttpRequest, action_pk: int) -> HttpResponse:
    action = get_object_or_404(selectors.action_records(user=request.user), pk=action_pk)
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied
    try:
        services.action_complete(action=action, by=staff, note=request.POST.get("note", "")[:2000])
    except services.AuditStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Action marked as done")
    return redirect_next(request, action.get_absolute_url())


@require_http_methods(["GET"])
def audit_pdf(request: HttpRequest, audit_pk: int) -> HttpResponse:
    from audits.pdf import audit_pdf_bytes

    audit = _audit(request, audit_pk)
    pdf = audit_pdf_bytes(request, _report_context(request, audit))
    access_note(
        request, cases=[audit.case] if audit.case else [], action=AccessLog.Action.DOWNLOADED
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="audit-{audit.pk}.pdf"'
    return response


@require_http_methods(["GET"])
def audit_history(request: HttpRequest, audit_pk: int) -> HttpResponse:
    audit = _audit(request, audit_pk)
    if not request.user.has_perm("audits.view_audit_history"):
        raise PermissionDenied
    return _page(
        request,
        audit,
        "audits/audit/history.html",
        {"audit": audit, "changes": history.audit_changes(audit=audit)},
    )


@require_http_methods(["GET", "POST"])
def audit_start(request: HttpRequest) -> HttpResponse:
    """Start an audit of a case: from a child's record (?case=) or by the QA manager."""
    if not request.user.has_perm("audits.start_audit"):
        raise PermissionDenied
    if not (request.GET.get("case") or request.POST.get("case")):
        return _choose_case(request)
    case = get_object_or_404(
        selectors.case_to_audit(user=request.user),
        pk=_int_or_404(request.GET.get("case") or request.POST.get("case")),
    )
    staff = staff_of(request.user)
    form = StartAuditForm(
        request.POST or None,
        tools=selectors.published_tools(user=request.user).filter(
            organisation_id=case.organisation_id
        ),
        auditors=selectors.auditor_choices(user=request.user, case=case),
        initial={"auditor": staff.pk if staff else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.audit_create(
                case=case,
                tool=form.cleaned_data["tool"],
                auditor=form.cleaned_data["auditor"],
                due_on=form.cleaned_data["due_on"],
                audit_type=form.cleaned_data["audit_type"],
                theme=form.cleaned_data["theme"],
            )
        except services.AuditStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Audit started")
            return redirect(audit.get_absolute_url())
    access_note(request, cases=[case])
    return render(request, "audits/audit/start.html", {"case": case, "form": form})


def _choose_case(request: HttpRequest) -> HttpResponse:
    """No case given: find open cases by the child's or adopter's ID."""
    reference = request.GET.get("reference", "").strip()[:40]
    cases = []
    error = ""
    if "reference" in request.GET:
        if not reference:
            error = "Enter the child's or adopter's ID"
        else:
            cases = selectors.open_cases_by_reference(user=request.user, reference=reference)
            if not cases:
                error = "No open case you can see has that ID"
            access_note(request, cases=cases, action=AccessLog.Action.SEARCHED)
    return render(
        request,
        "audits/audit/start_choose.html",
        {"reference": reference, "cases": cases, "error": error},
    )


def _int_or_404(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError as error:
        raise Http404 from error
