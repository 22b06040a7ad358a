"""The Quality Improvement Action Plan's pages: the plan by priority, the actions (overdue,
due soon, completed...), an action with its updates, evidence and re-audits, priorities,
external reviews with their recommendations, and the quarterly monitoring view."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import access_note
from cases.models import StaffMember
from cases.permissions import require_perm, require_staff
from core.months import add_months, month_start
from feedback import selectors as feedback_selectors
from governance import plan
from governance.forms.plan import (
    ActionForm,
    EditForm,
    EvidenceForm,
    PriorityForm,
    ReAuditForm,
    ReviewForm,
    UpdateForm,
)
from governance.models import RAG_COLOURS, PlanAction
from governance.rules import may
from performance.selectors_indicators import CATALOGUE

PAGE_SIZE = 25


def _action(request: HttpRequest, plan_action_pk: int) -> PlanAction:
    return get_object_or_404(plan.actions(user=request.user), pk=plan_action_pk)


def _with_rag(action: PlanAction, today: datetime.date) -> tuple[PlanAction, str, str]:
    """The action, its RAG today in words ("Red: overdue" when it is) and its tag colour."""
    rag = action.rag_on(today)
    overdue = rag == PlanAction.Rag.RED and action.due_on is not None and action.due_on < today
    words = "Red: overdue" if overdue else rag.capitalize()
    return action, words, RAG_COLOURS.get(rag, "grey")


def _priorities(request: HttpRequest) -> Any:
    return plan.priorities(user=request.user)


@require_http_methods(["GET"])
def plan_overview(request: HttpRequest) -> HttpResponse:
    require_perm(request, "governance.view_plan")
    staff = require_staff(request)
    today = timezone.localdate()
    return render(
        request,
        "governance/plan/overview.html",
        {
            "overview": plan.overview(user=request.user, today=today),
            "can_manage": may(request.user, "governance.manage_plan", staff.organisation),
            "views": plan.VIEWS,
        },
    )


@require_http_methods(["GET"])
def action_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "governance.view_plan")
    require_staff(request)
    today = timezone.localdate()
    view = request.GET.get("view", "open")
    view = view if view in plan.VIEWS else "open"
    priority = request.GET.get("priority", "")
    source = request.GET.get("source", "")
    rows = plan.action_list(
        user=request.user, today=today, view=view, priority=priority, source=source
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    actions = list(page.object_list)
    access_note(request, cases=[a.case for a in actions if a.case_id])
    chosen_priority = next((p for p in _priorities(request) if str(p.pk) == priority), None)
    return render(
        request,
        "governance/plan/action_list.html",
        {
            "page_obj": page,
            "actions": [_with_rag(a, today) for a in actions],
            "view": view,
            "view_label": plan.VIEWS[view],
            "views": plan.VIEWS,
            "priority": priority,
            "chosen_priority": chosen_priority,
            "source": source if source in PlanAction.Source.values else "",
            "source_label": dict(PlanAction.Source.choices).get(source, ""),
            "today": today,
        },
    )


def _update_statuses(action: PlanAction) -> list[tuple[str, str]]:
    """The statuses an update may move an action to: an action that closes at its source
    is completed there, not here."""
    if not action.is_open:
        return []
    options = [(PlanAction.Status.IN_PROGRESS, "In progress")]
    if not action.closes_in_source:
        options.append((PlanAction.Status.COMPLETED, "Completed"))
    options.append((PlanAction.Status.WITHDRAWN, "Withdrawn"))
    return options


def _action_page(
    request: HttpRequest, action: PlanAction, status: int = 200, **forms: Any
) -> HttpResponse:
    today = timezone.localdate()
    user = request.user
    can_manage = may(user, "governance.manage_plan", action)
    can_update = may(user, "governance.update_action", action)
    re_audits = list(action.re_audits.select_related("theme", "requested_by__user"))
    comparisons = [plan.comparison(re_audit=r) for r in re_audits]
    cases = [action.case] if action.case_id else []
    for c in comparisons:
        cases += [row["case"] for row in c.rows]
    access_note(request, cases=cases)
    if can_update and "update_form" not in forms and action.is_open:
        forms["update_form"] = UpdateForm(statuses=_update_statuses(action))
    if can_manage and "evidence_form" not in forms and action.status == PlanAction.Status.COMPLETED:
        forms["evidence_form"] = _evidence_form(request, action)
    originals = plan.original_audits(action=action)
    if can_manage and "re_audit_form" not in forms and action.status != PlanAction.Status.WITHDRAWN:
        forms["re_audit_form"] = ReAuditForm(same_cases=bool(originals))
    return render(
        request,
        "governance/plan/action_detail.html",
        {
            "action": action,
            "rag": _with_rag(action, today),
            "updates": action.updates.select_related("written_by__user"),
            "evidence": _evidence(action),
            "comparisons": comparisons,
            "originals": originals,
            "can_manage": can_manage,
            "can_update": can_update,
            **forms,
        },
        status=status,
    )


def _evidence(action: PlanAction) -> list[Any]:
    """The action's evidence, each indicator's name beside its key."""
    items = list(action.evidence.select_related("added_by__user", "feedback"))
    for item in items:
        indicator = CATALOGUE.get(item.indicator)
        item.indicator_name = indicator.name if indicator else item.indicator
    return items


def _evidence_form(request: HttpRequest, action: PlanAction, data: Any = None) -> EvidenceForm:
    return EvidenceForm(
        data,
        re_audits=action.re_audits.all(),
        indicators=[(slug, i.name) for slug, i in CATALOGUE.items()],
        feedback=feedback_selectors.feedback_for_evidence(user=request.user),
        months=[add_months(month_start(timezone.localdate()), -n) for n in range(1, 25)],
    )


@require_http_methods(["GET"])
def action_detail(request: HttpRequest, plan_action_pk: int) -> HttpResponse:
    require_perm(request, "governance.view_plan")
    return _action_page(request, _action(request, plan_action_pk))


def _staff_choices(staff: StaffMember) -> Any:
    """The people an action or a priority may go to: the organisation's own staff."""
    return (
        StaffMember.objects.filter(organisation_id=staff.organisation_id, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    if not may(request.user, "governance.manage_plan", staff.organisation):
        raise PermissionDenied
    source = request.GET.get("source", PlanAction.Source.PLAN)
    if source not in PlanAction.ENTERED_SOURCES:
        source = PlanAction.Source.PLAN
    review = None
    if source == PlanAction.Source.INSPECTION:
        key = request.GET.get("review", "")
        review = get_object_or_404(
            plan.reviews(user=request.user), pk=int(key) if key.isdigit() else 0
        )
    form = ActionForm(
        request.POST or None,
        source=source,
        staff=_staff_choices(staff),
        priorities=_priorities(request),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = plan.action_create(
                organisation=staff.organisation,
                by=staff,
                source=source,
                title=data["title"],
                detail=data["detail"],
                owner=data["owner"],
                due_on=data["due_on"],
                priority=data["priority"],
                review=review,
                decided_by=data.get("decided_by", ""),
                decided_on=data.get("decided_on"),
            )
        except plan.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The action is in the plan")
            return redirect(action)
    headings = {
        PlanAction.Source.INSPECTION: "Add a recommendation",
        PlanAction.Source.BOARD: "Add a board decision",
        PlanAction.Source.PLAN: "Add an action to the plan",
    }
    return render(
        request,
        "governance/plan/action_new.html",
        {"form": form, "heading": headings[PlanAction.Source(source)], "review": review},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, plan_action_pk: int) -> HttpResponse:
    action = _action(request, plan_action_pk)
    staff = require_staff(request)
    if not may(request.user, "governance.manage_plan", action):
        raise PermissionDenied
    initial = {
        "revision": action.revision,
        "priority": action.priority_id,
        "title": action.title,
        "detail": action.detail,
        "owner": action.owner_id,
        "due_on": action.due_on,
    }
    form = EditForm(
        request.POST or None,
        initial=initial,
        action=action,
        staff=_staff_choices(staff),
        priorities=_priorities(request),
    )
    theirs = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan.action_edit(
                action=action,
                by=staff,
                revision=data["revision"],
                priority=data["priority"],
                title=data.get("title"),
                owner=data.get("owner"),
                due_on=data.get("due_on"),
                detail=data.get("detail"),
            )
        except plan.PlanConflict as conflict:
            theirs = conflict.current
            form.add_error(None, str(conflict))
            # Saving again now saves over theirs, knowingly.
            form.data = form.data.copy()
            form.data["revision"] = str(theirs.revision)
        except plan.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The action is saved")
            return redirect(action)
    access_note(request, cases=[action.case] if action.case_id else [])
    return render(
        request,
        "governance/plan/action_edit.html",
        {"form": form, "action": action, "theirs": theirs},
        status=409 if theirs else (400 if form.is_bound and form.errors else 200),
    )


@require_POST
def action_update(request: HttpRequest, plan_action_pk: int) -> HttpResponse:
    action = _action(request, plan_action_pk)
    staff = require_staff(request)
    if not may(request.user, "governance.update_action", action):
        raise PermissionDenied
    form = UpdateForm(request.POST, statuses=_update_statuses(action))
    if form.is_valid():
        try:
            plan.update_add(
                action=action,
                by=staff,
                text=form.cleaned_data["text"],
                rag=form.cleaned_data["rag"],
                status=form.cleaned_data.get("status") or "",
            )
        except plan.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your update is saved")
            return redirect(action)
    return _action_page(request, action, status=400, update_form=form)


@require_POST
def action_evidence(request: HttpRequest, plan_action_pk: int) -> HttpResponse:
    action = _action(request, plan_action_pk)
    staff = require_staff(request)
    if not may(request.user, "governance.manage_plan", action):
        raise PermissionDenied
    form = _evidence_form(request, action, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            plan.evidence_add(
                action=action,
                by=staff,
                kind=data["kind"],
                summary=data["summary"],
                re_audit=data.get("re_audit"),
                indicator=data.get("indicator") or "",
                before_month=data.get("before_month"),
                after_month=data.get("after_month"),
                feedback=data.get("feedback"),
            )
        except plan.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The evidence is linked to the action")
            return redirect(action)
    return _action_page(request, action, status=400, evidence_form=form)


@require_POST
def action_impact(request: HttpRequest, plan_action_pk: int) -> HttpResponse:
    action = _action(request, plan_action_pk)
    staff = require_staff(request)
    if not may(request.user, "governance.manage_plan", action):
        raise PermissionDenied
    try:
        plan.impact_mark(action=action, by=staff)
    except plan.PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The action's impact is evidenced")
    return redirect(action)


@require_POST
def action_re_audit(request: HttpRequest, plan_action_pk: int) -> HttpResponse:
    action = _action(request, plan_action_pk)
    staff = require_staff(request)
    if not may(request.user, "governance.manage_plan", action):
        raise PermissionDenied
    form = ReAuditForm(request.POST, same_cases=bool(plan.original_audits(action=action)))
    if _re_audit_asked(request, form, staff, action=action):
        return redirect(action)
    return _action_page(request, action, status=400, re_audit_form=form)


def _re_audit_asked(
    request: HttpRequest, form: ReAuditForm, staff: StaffMember, **subject: Any
) -> bool:
    """Ask for the re-audit the form describes, of `action=` or `priority=`; False, with
    the reason on the form, when it cannot be."""
    if not form.is_valid():
        return False
    try:
        plan.re_audit_request(
            by=staff, mode=form.cleaned_data["mode"], due_on=form.cleaned_data["due_on"], **subject
        )
    except plan.PlanError as error:
        form.add_error(None, str(error))
        return False
    messages.success(request, "The re-audit is asked for")
    return True


@require_http_methods(["GET", "POST"])
def plan_gather(request: HttpRequest) -> HttpResponse:
    """Gather every app's actions into the plan now (the nightly job does it too); GET
    asks first."""
    staff = require_staff(request)
    if not may(request.user, "governance.manage_plan", staff.organisation):
        raise PermissionDenied
    if request.method == "GET":
        return render(request, "governance/plan/gather.html")
    counts = plan.plan_gather(day=timezone.localdate(), organisation_id=staff.organisation_id)
    messages.success(
        request,
        f"Actions gathered: {counts['added']} new, {counts['updated']} changed at their "
        f"source, {counts['closed']} no longer open there",
    )
    return redirect("governance:plan")


@require_http_methods(["GET", "POST"])
def priority_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "governance.view_plan")
    staff = require_staff(request)
    can_manage = may(request.user, "governance.manage_plan", staff.organisation)
    form = PriorityForm(
        request.POST or None, staff=_staff_choices(staff), submit="Add the priority"
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                plan.priority_save(organisation=staff.organisation, by=staff, **form.cleaned_data)
            except plan.PlanError as error:
                form.add_error("title", str(error))
            else:
                messages.success(request, "The priority is added")
                return redirect("governance:priority_list")
    return render(
        request,
        "governance/plan/priority_list.html",
        {"priorities": _priorities(request), "form": form, "can_manage": can_manage},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def priority_detail(request: HttpRequest, priority_pk: int) -> HttpResponse:
    require_perm(request, "governance.view_plan")
    staff = require_staff(request)
    priority = get_object_or_404(_priorities(request), pk=priority_pk)
    can_manage = may(request.user, "governance.manage_plan", priority)
    initial = {
        "title": priority.title,
        "description": priority.description,
        "lead": priority.lead_id,
    }
    form = PriorityForm(request.POST or None, staff=_staff_choices(staff), initial=initial)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                plan.priority_save(
                    organisation=staff.organisation,
                    by=staff,
                    priority=priority,
                    **form.cleaned_data,
                )
            except plan.PlanError as error:
                form.add_error("title", str(error))
            else:
                messages.success(request, "The priority is saved")
                return redirect(priority)
    return _priority_page(request, priority, form, can_manage)


def _priority_page(
    request: HttpRequest,
    priority: Any,
    form: PriorityForm,
    can_manage: bool,
    re_audit_form: ReAuditForm | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    overview = plan.overview(user=request.user, today=today)
    row = next((r for r in overview.rows if r.priority == priority), None)
    comparisons = [
        plan.comparison(re_audit=r)
        for r in priority.re_audits.select_related("theme", "requested_by__user")
    ]
    access_note(request, cases=[line["case"] for c in comparisons for line in c.rows])
    if can_manage and re_audit_form is None:
        re_audit_form = ReAuditForm(same_cases=bool(plan.priority_audits(priority=priority)))
    bad = (form.is_bound and form.errors) or (re_audit_form is not None and re_audit_form.errors)
    return render(
        request,
        "governance/plan/priority_detail.html",
        {
            "priority": priority,
            "form": form,
            "can_manage": can_manage,
            "row": row,
            "comparisons": comparisons,
            "re_audit_form": re_audit_form,
        },
        status=400 if bad else 200,
    )


@require_POST
def priority_re_audit(request: HttpRequest, priority_pk: int) -> HttpResponse:
    """Ask for a re-audit of everything under a priority."""
    staff = require_staff(request)
    priority = get_object_or_404(_priorities(request), pk=priority_pk)
    if not may(request.user, "governance.manage_plan", priority):
        raise PermissionDenied
    form = ReAuditForm(request.POST, same_cases=bool(plan.priority_audits(priority=priority)))
    if _re_audit_asked(request, form, staff, priority=priority):
        return redirect(priority)
    edit = PriorityForm(staff=_staff_choices(staff), initial={"title": priority.title})
    return _priority_page(request, priority, edit, True, re_audit_form=form)


@require_http_methods(["GET", "POST"])
def review_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "governance.view_plan")
    staff = require_staff(request)
    can_manage = may(request.user, "governance.manage_plan", staff.organisation)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            review = plan.review_create(
                organisation=staff.organisation, by=staff, **form.cleaned_data
            )
            messages.success(request, "The review is saved: now add its recommendations")
            return redirect(review)
    return render(
        request,
        "governance/plan/review_list.html",
        {"reviews": plan.reviews(user=request.user), "form": form, "can_manage": can_manage},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET"])
def review_detail(request: HttpRequest, review_pk: int) -> HttpResponse:
    require_perm(request, "governance.view_plan")
    review = get_object_or_404(plan.reviews(user=request.user), pk=review_pk)
    today = timezone.localdate()
    recommendations = plan.actions(user=request.user).filter(review=review).order_by("pk")
    return render(
        request,
        "governance/plan/review_detail.html",
        {
            "review": review,
            "recommendations": [_with_rag(a, today) for a in recommendations],
            "can_manage": may(request.user, "governance.manage_plan", review),
        },
    )


def _quarter_choices(today: datetime.date) -> list[tuple[str, str, datetime.date]]:
    first, _ = plan.quarter_bounds(today)
    starts = [add_months(first, -3 * n) for n in range(8)]
    return [
        (f"{d.year}-{(d.month - 1) // 3 + 1}", f"{d:%B} to {add_months(d, 2):%B %Y}", d)
        for d in starts
    ]


@require_http_methods(["GET"])
def quarterly(request: HttpRequest) -> HttpResponse:
    require_perm(request, "governance.view_plan")
    require_staff(request)
    today = timezone.localdate()
    choices = _quarter_choices(today)
    chosen = next((c for c in choices if c[0] == request.GET.get("quarter")), choices[0])
    rows = plan.quarterly(user=request.user, start=chosen[2])
    totals = {
        name: sum(getattr(r, name) for r in rows)
        for name in ("raised", "completed", "impact", "open_at_end", "overdue_at_end", "updates")
    }
    return render(
        request,
        "governance/plan/quarterly.html",
        {"choices": choices, "chosen": chosen, "rows": rows, "totals": totals},
    )
