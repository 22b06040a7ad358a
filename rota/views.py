"""The QA rota: the organisation's rotas, its QA rules, a rota as a grid of managers by
months, one slot with its history and changes, and the compliance figures.

QA, senior leaders and managers read the rota; only the QA service generates rotas,
edits the rules and changes slots, always through rota/services.py. A rota or
slot of another organisation is a 404; the pages are a 403 for anyone else.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.access import access_note
from cases.models import StaffMember
from cases.permissions import require_perm, require_staff
from cases.querysets import staff_of
from core.components import Link, Tag
from rota import reminders, selectors, services
from rota.forms import (
    MONTHS,
    TIERS,
    DeferForm,
    GenerateForm,
    ReassignForm,
    RotaFilterForm,
    RulesForm,
    SkipForm,
    SlotChangeForm,
    SwapCaseForm,
)
from rota.models import Activity, QARules, Rota, RotaSlot
from rota.services import RotaError

VIEW_ROTA = "rota.view_rota"
MANAGE_ROTA = "rota.manage_rota"
SLOT_TEMPLATE = "rota/slot_detail.html"
LIST_TEMPLATE = "rota/rota_list.html"
# Which field a refusal of the rules belongs to, by the start of the service's message.
RULES_ERROR_FIELDS = (
    ("Leave at least one month", "paused_months"),
    ("Choose at least one QA activity", "activities"),
    ("Choose at least one tier", "eligible_tiers"),
    ("Enter a quota", "quota"),
)


def _crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("home")), ("QA rota", reverse("rota:rota_list")), *more]


def _rota_crumb(rota: Rota) -> tuple[str, str]:
    return (str(rota), rota.get_absolute_url())


# The list of rotas, and generating one.


@require_http_methods(["GET", "POST"])
def rota_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW_ROTA)
    today = timezone.localdate()
    can_manage = request.user.has_perm(MANAGE_ROTA)
    form = None
    if can_manage:
        form = GenerateForm(
            request.POST if request.method == "POST" else None,
            months=selectors.start_months(today),
            action=reverse("rota:rota_list"),
        )
    if request.method == "POST":
        require_perm(request, MANAGE_ROTA)
        if response := _generate(request, form):
            return response
    context = {
        "rotas": list(selectors.rota_list(user=request.user, today=today)),
        "form": form,
        "can_manage": can_manage,
        "crumbs": _crumbs()[:1] + [("QA rota", "")],
    }
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, LIST_TEMPLATE, context, status=status)


def _generate(request: HttpRequest, form: GenerateForm) -> HttpResponse | None:
    staff = require_staff(request)
    if not form.is_valid():
        return None
    try:
        rota = services.rota_generate(
            organisation=staff.organisation, starts_on=form.cleaned_data["starts_on"], by=staff
        )
    except RotaError as error:
        form.add_error("starts_on", str(error))
        return None
    slots = rota.slots.count()
    managers = rota.slots.values("manager_id").distinct().count()
    messages.success(
        request,
        f"{rota} generated: {slots} slot{'s' if slots != 1 else ''} for {managers} "
        f"manager{'s' if managers != 1 else ''}",
    )
    return redirect(rota.get_absolute_url())


# The QA rules.


def _rules_rows(rules: QARules) -> list[tuple[str, Any]]:
    months = dict(MONTHS)
    activities = dict(Activity.choices)
    tiers = dict(TIERS)
    per = "month" if rules.quota_period == QARules.QuotaPeriod.MONTH else "quarter"
    return [
        ("Paused months", [months[m] for m in sorted(rules.paused_months or ()) if m in months]),
        ("QA activities", [str(activities[a]) for a in rules.activities if a in activities]),
        ("Managers on the rota", [str(tiers[t]) for t in rules.eligible_tiers if t in tiers]),
        ("Quota", f"{rules.quota} QA activit{'y' if rules.quota == 1 else 'ies'} a {per}"),
        ("Reminder", f"{rules.reminder_days} days before due"),
        ("Escalation", f"{rules.escalation_days} days overdue"),
    ]


@require_http_methods(["GET", "POST"])
def rota_rules(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW_ROTA)
    staff = require_staff(request)
    rules = selectors.rules_read(staff.organisation)
    can_manage = request.user.has_perm(MANAGE_ROTA)
    if request.method == "POST":
        require_perm(request, MANAGE_ROTA)
    form = None
    if can_manage:
        form = RulesForm(
            request.POST if request.method == "POST" else None,
            initial=RulesForm.initial_for(rules),
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.rules_update(organisation=staff.organisation, by=staff, **form.cleaned_data)
        except RotaError as error:
            form.add_error(_rules_error_field(str(error)), str(error))
        else:
            messages.success(request, "QA rules saved. They apply to rotas generated from now on")
            return redirect("rota:rota_rules")
    context = {
        "rules": rules,
        "rows": _rules_rows(rules),
        "form": form,
        "can_manage": can_manage,
        "crumbs": _crumbs(("QA rules", "")),
    }
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, "rota/rules.html", context, status=status)


def _rules_error_field(message: str) -> str | None:
    return next((name for start, name in RULES_ERROR_FIELDS if message.startswith(start)), None)


# One rota.


@require_GET
def rota_detail(request: HttpRequest, rota_pk: int) -> HttpResponse:
    require_perm(request, VIEW_ROTA)
    rota = get_object_or_404(selectors.rota_records(user=request.user), pk=rota_pk)
    filter_form = RotaFilterForm(
        request.GET or None,
        teams=selectors.organisation_teams(rota.organisation),
        services=selectors.organisation_services(rota.organisation),
    )
    chosen = filter_form.values()
    filters = selectors.GridFilters(
        team=chosen.get("team"),
        service=chosen.get("service"),
        activity=chosen.get("activity", ""),
        state=chosen.get("status", ""),
    )
    rules = selectors.rules_read(rota.organisation)
    grid = selectors.rota_grid(rota=rota, rules=rules, today=timezone.localdate(), filters=filters)
    context = {
        "rota": rota,
        "grid": grid,
        "filter_form": filter_form,
        "filtered": filters.any,
        "can_manage": request.user.has_perm(MANAGE_ROTA),
        "crumbs": _crumbs((str(rota), "")),
    }
    return render(request, "rota/rota_detail.html", context)


@require_GET
def rota_compliance(request: HttpRequest, rota_pk: int) -> HttpResponse:
    require_perm(request, VIEW_ROTA)
    rota = get_object_or_404(selectors.rota_records(user=request.user), pk=rota_pk)
    compliance = selectors.rota_compliance(
        rota=rota, rules=selectors.rules_read(rota.organisation), today=timezone.localdate()
    )
    context = {
        "rota": rota,
        "compliance": compliance,
        "groups": [
            ("manager", "By manager", "Manager", "Slots by manager", compliance.by_manager),
            ("team", "By team", "Team", "Slots by team", compliance.by_team),
            (
                "service",
                "By service",
                "Service",
                "Slots by service",
                compliance.by_service,
            ),
        ],
        "crumbs": _crumbs(_rota_crumb(rota), ("Compliance", "")),
    }
    return render(request, "rota/compliance.html", context)


# One slot.

FORMS: dict[str, type[SlotChangeForm]] = {
    form.action: form for form in (SwapCaseForm, ReassignForm, DeferForm, SkipForm)
}


def _is_changeable(slot: RotaSlot) -> bool:
    return slot.status in (RotaSlot.Status.PLANNED, RotaSlot.Status.DEFERRED)


def _actions(slot: RotaSlot) -> list[str]:
    """The changes a slot of its activity can have (only a practice review has a case)."""
    return [a for a in FORMS if a != "swap" or slot.activity == Activity.PRACTICE_REVIEW]


def _form_kwargs(action: str, slot: RotaSlot, rules: QARules) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"url": reverse("rota:slot_change", kwargs={"slot_pk": slot.pk})}
    if action == "reassign":
        kwargs["managers"] = selectors.reassign_choices(slot=slot, rules=rules)
    elif action == "defer":
        kwargs["months"] = selectors.defer_choices(slot=slot, rules=rules)
    return kwargs


def _slot_context(
    request: HttpRequest, slot: RotaSlot, posted: SlotChangeForm | None = None
) -> dict[str, Any]:
    can_change = (
        request.user.has_perm(MANAGE_ROTA)
        and staff_of(request.user) is not None
        and _is_changeable(slot)
    )
    forms: dict[str, SlotChangeForm] = {}
    if can_change:
        rules = selectors.rules_read(slot.organisation)
        for action in _actions(slot):
            if posted is not None and posted.action == action:
                forms[action] = posted
            else:
                forms[action] = FORMS[action](**_form_kwargs(action, slot, rules))
    return {
        "slot": slot,
        "rota": slot.rota,
        "history": selectors.slot_history(slot=slot),
        "rows": _slot_rows(request, slot),
        "can_manage": request.user.has_perm(MANAGE_ROTA),
        "can_change": can_change,
        "forms": forms,
        "posted": posted,
        "crumbs": _crumbs(_rota_crumb(slot.rota), (str(slot), "")),
    }


def _case_value(request: HttpRequest, slot: RotaSlot) -> Any:
    case = slot.case
    if case is None:
        return "No case chosen yet"
    if selectors.may_open_case(user=request.user, slot=slot):
        access_note(request, cases=[case])
        return Link(
            str(case.subject), case.get_absolute_url(), f"{case.service.name}, {case.team.name}"
        )
    return f"A case of {case.team.name}. You cannot open it: it is outside your caseload"


def _audit_value(request: HttpRequest, slot: RotaSlot) -> Any:
    audit = slot.audit
    if audit is None:
        return "Not opened yet" if slot.status != RotaSlot.Status.OPEN else "No audit"
    text = f"{audit.get_status_display()}, due {date_format(audit.due_on, 'j F Y')}"
    if selectors.may_open_audit(user=request.user, slot=slot):
        return Link(text, audit.get_absolute_url())
    return text


def _observation_value(request: HttpRequest, slot: RotaSlot) -> Any:
    observation = slot.observation
    if observation is None:
        return "Not opened yet" if slot.status != RotaSlot.Status.OPEN else "No observation"
    text = f"{observation.get_status_display()}, due {date_format(observation.due_on, 'j F Y')}"
    if selectors.may_open_observation(user=request.user, slot=slot):
        return Link(text, observation.get_absolute_url())
    return text


def _slot_rows(request: HttpRequest, slot: RotaSlot) -> list[tuple[str, Any]]:
    manager = slot.manager
    rows: list[tuple[str, Any]] = [
        ("Manager", f"{manager.display_name} ({manager.get_role_display()})"),
        ("Month", selectors.month_label(slot.month)),
        ("Activity", slot.get_activity_display()),
        ("Status", _tag(slot)),
    ]
    if slot.activity == Activity.PRACTICE_REVIEW:
        rows += [
            ("Case", _case_value(request, slot)),
            ("Why this case", slot.pick_reason),
            ("Audit", _audit_value(request, slot)),
        ]
    if slot.activity == Activity.PRACTICE_OBSERVATION:
        rows.append(("Observation", _observation_value(request, slot)))
    if slot.activity == Activity.SUPERVISION_AUDIT:
        rows.append(("Audit", _audit_value(request, slot)))
    if slot.change_reason:
        rows.append(("Last change", slot.change_reason))
    return rows


def _tag(slot: RotaSlot) -> Tag:
    return Tag(slot.state_label, slot.state_colour)


def _slot(request: HttpRequest, slot_pk: int) -> RotaSlot:
    slot = selectors.slot_get(user=request.user, slot_pk=slot_pk, today=timezone.localdate())
    if slot is None:
        raise Http404("No such slot")
    return slot


@require_GET
def slot_detail(request: HttpRequest, slot_pk: int) -> HttpResponse:
    require_perm(request, VIEW_ROTA)
    slot = _slot(request, slot_pk)
    return render(request, SLOT_TEMPLATE, _slot_context(request, slot))


@require_POST
def slot_change(request: HttpRequest, slot_pk: int) -> HttpResponse:
    """Swap the case, reassign, defer or skip: the posted `action` says which. The
    service has the last word; its refusal shows in the error summary."""
    require_perm(request, MANAGE_ROTA)
    slot = _slot(request, slot_pk)
    staff = require_staff(request)
    action = request.POST.get("action", "")
    if action not in _actions(slot):
        messages.error(request, "Choose a change from the slot's page")
        return redirect(slot.get_absolute_url())
    rules = selectors.rules_read(slot.organisation)
    form = FORMS[action](request.POST, **_form_kwargs(action, slot, rules))
    if form.is_valid():
        try:
            done = _apply(form, slot, staff)
        except RotaError as error:
            form.add_error(None, str(error))
        else:
            if done:
                messages.success(request, done)
                return redirect(slot.get_absolute_url())
    slot = _slot(request, slot_pk)
    return render(request, SLOT_TEMPLATE, _slot_context(request, slot, form), status=400)


def _apply(form: SlotChangeForm, slot: RotaSlot, staff: StaffMember) -> str:
    """Call the service for the form's change; return the message for the page, or ""
    (with an error on the form) when the change cannot be asked for."""
    reason = form.cleaned_data["reason"]
    if isinstance(form, SwapCaseForm):
        case = selectors.open_case_by_reference(
            organisation_id=slot.organisation_id, reference=form.cleaned_data["reference"]
        )
        if case is None:
            form.add_error("reference", "No open case of this organisation has that ID")
            return ""
        services.slot_swap_case(slot=slot, case=case, by=staff, reason=reason)
        return f"Case changed to {case.subject.reference}"
    if isinstance(form, ReassignForm):
        manager = form.cleaned_data["manager"]
        services.slot_reassign(slot=slot, manager=manager, by=staff, reason=reason)
        return f"Slot reassigned to {manager.display_name}"
    if isinstance(form, DeferForm):
        month = form.cleaned_data["to_month"]
        services.slot_defer(slot=slot, to_month=month, by=staff, reason=reason)
        return f"Slot deferred to {selectors.month_label(month)}"
    services.slot_skip(slot=slot, by=staff, reason=reason)
    return "Slot skipped. It will not open"


# The QA escalation list: open audits, oversight and actions more than the escalation
# days overdue.

ESCALATIONS_PAGE_SIZE = 25


@require_GET
def escalation_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("rota.view_escalations"):
        raise PermissionDenied
    today = timezone.localdate()
    rules = reminders.escalation_rules(user=request.user)
    rows = reminders.escalation_list(user=request.user, today=today, rules=rules)
    page = Paginator(rows, ESCALATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = reminders.escalated_items(page.object_list, today=today)
    access_note(request, cases=[item.case for item in page.object_list if item.case])
    days = {r.escalation_days for r in rules.values()}
    reminder_days = {r.reminder_days for r in rules.values()}
    context = {
        "page_obj": page,
        "escalation_days": days.pop() if len(days) == 1 else None,
        "reminder_days": reminder_days.pop() if len(reminder_days) == 1 else None,
    }
    return render(request, "rota/escalations.html", context)
