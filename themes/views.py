"""The thematic review planner: the QA manager's monthly spotlights.

QA, managers and senior leaders read the planner and may propose a theme. Only the QA
service agrees, schedules, declines, samples and writes up, through the services in
themes/services.py. A theme of another organisation is a 404; the planner is a
403 for anyone else.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST

from audits.selectors import GRADE_COLOURS, given_grade, published_tools_of
from cases.access import access_note
from cases.models import StaffMember
from cases.permissions import require_perm, require_staff
from cases.querysets import staff_of
from core.months import month_end
from performance.selectors_indicators import CATALOGUE
from themes import selectors as themes
from themes import services
from themes.forms import DeclineForm, FindingsForm, SampleForm, ThemeForm, case_ids
from themes.models import ThematicReview
from themes.services import ThemeError

VIEW_THEMES = "themes.view_themes"
MANAGE_THEMES = "themes.manage_themes"
DETAIL_TEMPLATE = "themes/theme_detail.html"
SAMPLE_TEMPLATE = "themes/theme_sample.html"

Status = ThematicReview.Status
ACTIONS = ("agree", "schedule", "decline", "complete")

Errors = list[tuple[str, str]]


# Lookups: the permission first (403), then the user's organisation (404).


def _theme(request: HttpRequest, theme_pk: int, perm: str = VIEW_THEMES) -> ThematicReview:
    require_perm(request, perm)
    theme = get_object_or_404(themes.theme_records(user=request.user), pk=theme_pk)
    return theme


def _tools(theme_or_staff: ThematicReview | StaffMember) -> Any:
    return published_tools_of(organisation_id=theme_or_staff.organisation_id).order_by(
        "name", "code"
    )


def _detail_url(theme: ThematicReview, anchor: str = "") -> str:
    url = reverse("themes:theme_detail", kwargs={"theme_pk": theme.pk})
    return f"{url}#{anchor}" if anchor else url


def _crumbs(theme: ThematicReview | None = None, *more: tuple[str, str]) -> list[tuple[str, str]]:
    crumbs = [("Home", reverse("home")), ("Thematic reviews", reverse("themes:theme_list"))]
    if theme is not None:
        crumbs.append((theme.title, _detail_url(theme)))
    return crumbs + list(more)


# The planner.


@require_http_methods(["GET"])
def theme_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW_THEMES)
    planner = themes.theme_planner(user=request.user, today=timezone.localdate())
    context = {
        "planner": planner,
        "crowded_message": _crowded_message(planner),
        "can_manage": request.user.has_perm(MANAGE_THEMES),
        "can_propose": staff_of(request.user) is not None,
    }
    return render(request, "themes/theme_list.html", context)


def _crowded_message(planner: themes.Planner) -> str:
    crowded = planner.crowded_months
    if not crowded:
        return ""
    names = " and ".join(month.label for month in crowded)
    have = "has" if len(crowded) == 1 else "each have"
    return (
        f"{names} {have} more than one theme scheduled. One theme a month is the norm, "
        "so the dip samples do not compete for auditors' time."
    )


def _months(theme: ThematicReview | None = None) -> list:
    months = themes.next_months(timezone.localdate())
    if theme is not None and theme.month and theme.month not in months:
        months.insert(0, theme.month)
    return months


@require_http_methods(["GET", "POST"])
def theme_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW_THEMES)
    staff = require_staff(request)
    form = ThemeForm(
        request.POST or None, tools=_tools(staff), months=_months(), submit="Propose theme"
    )
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.theme_propose(
                organisation=staff.organisation, proposed_by=staff, **form.cleaned_data
            )
        except ThemeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"“{theme.title}” proposed. The QA service will decide on it")
            return redirect(_detail_url(theme))
    context = {
        "form": form,
        "heading": "Propose a theme",
        "back_url": reverse("themes:theme_list"),
        "theme": None,
    }
    return render(request, "themes/theme_form.html", context, status=_status(form))


def _status(form: Any) -> int:
    return 400 if form.is_bound and form.errors else 200


@require_http_methods(["GET", "POST"])
def theme_edit(request: HttpRequest, theme_pk: int) -> HttpResponse:
    theme = _theme(request, theme_pk, MANAGE_THEMES)
    staff = require_staff(request)
    locked = theme.status not in services.OPEN_STATUSES
    form = ThemeForm(
        request.POST or None,
        initial=ThemeForm.initial_for(theme),
        tools=_tools(theme),
        months=_months(theme),
    )
    if request.method == "POST" and not locked and form.is_valid():
        try:
            services.theme_update(theme=theme, by=staff, **form.cleaned_data)
        except ThemeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Theme updated")
            return redirect(_detail_url(theme))
    context = {
        "form": form,
        "heading": "Change the theme",
        "back_url": _detail_url(theme),
        "theme": theme,
        "locked": (
            f"This theme is {theme.get_status_display().lower()}, so it cannot be changed."
            if locked
            else ""
        ),
    }
    return render(request, "themes/theme_form.html", context, status=_status(form))


# One theme.


def _summary_rows(theme: ThematicReview, editable: bool) -> list[tuple[Any, ...]]:
    edit_url = reverse("themes:theme_edit", kwargs={"theme_pk": theme.pk})

    def change(name: str) -> tuple[str, str] | None:
        return (f"{edit_url}#id_{name}", "Change") if editable else None

    source = theme.get_source_display()
    if theme.source_detail:
        source = f"{source}: {theme.source_detail}"
    tool = f"{theme.tool.name} (version {theme.tool.version})" if theme.tool_id else ""
    proposed = date_format(timezone.localtime(theme.created_at), "j F Y")
    if theme.proposed_by:
        proposed = f"{proposed} by {theme.proposed_by.display_name}"
    return [
        ("What the review should find out", theme.question, change("question")),
        ("Where the theme came from", source, change("source")),
        ("Month", themes.month_label(theme.month), change("month")),
        ("Audit tool", tool, change("tool")),
        ("Sample size", f"{theme.sample_size} cases", change("sample_size")),
        ("Indicators it is about", _indicator_names(theme), change("indicators")),
        ("Proposed", proposed),
    ]


def _indicator_names(theme: ThematicReview) -> str:
    """The names of the indicators the theme is about, or "None chosen"."""
    names = [CATALOGUE[slug].name for slug in theme.indicators if slug in CATALOGUE]
    return ", ".join(names) or "None chosen"


def _audit_rows(request: HttpRequest, theme: ThematicReview) -> list[Any]:
    audits = list(themes.theme_sample(user=request.user, theme=theme))
    for audit in audits:
        audit.grade_label = given_grade(audit)
        audit.grade_colour = GRADE_COLOURS.get(audit.grade_label, "")
    access_note(request, cases=[audit.case for audit in audits])
    return audits


def _actions(theme: ThematicReview, sampled: int) -> dict[str, bool]:
    """Which QA buttons the theme's status offers (the services have the last word)."""
    status = theme.status
    return {
        "agree": status == Status.PROPOSED,
        "schedule": status == Status.AGREED,
        "decline": status in (Status.PROPOSED, Status.AGREED)
        or (status == Status.SCHEDULED and not sampled),
        "sample": status == Status.SCHEDULED,
        "complete": status == Status.SCHEDULED,
    }


def _detail_context(
    request: HttpRequest,
    theme: ThematicReview,
    errors: Errors | None = None,
    decline_form: DeclineForm | None = None,
) -> dict[str, Any]:
    can_manage = request.user.has_perm(MANAGE_THEMES) and staff_of(request.user) is not None
    summary = themes.theme_summary(theme)
    audits = _audit_rows(request, theme)
    history = [
        {
            "title": change.label,
            "byline": change.who,
            "date": change.when,
            "description": change.note,
        }
        for change in themes.theme_history(theme=theme)
    ]
    return {
        "theme": theme,
        "summary_rows": _summary_rows(theme, can_manage and theme.status in services.OPEN_STATUSES),
        "summary": summary,
        "audits": audits,
        "hidden_audits": summary.sampled - len(audits),
        "history": history,
        "same_month": list(themes.themes_in_month(theme=theme)),
        "can_manage": can_manage,
        "actions": _actions(theme, summary.sampled) if can_manage else {},
        "decline_form": decline_form or DeclineForm(),
        "errors": errors or [],
        "crumbs": _crumbs(None, (theme.title, "")),
    }


@require_http_methods(["GET"])
def theme_detail(request: HttpRequest, theme_pk: int) -> HttpResponse:
    theme = _theme(request, theme_pk)
    return render(request, DETAIL_TEMPLATE, _detail_context(request, theme))


def _change_status(request: HttpRequest, theme: ThematicReview, action: str) -> str:
    """Call the service for `action`; return the message for the page."""
    staff = require_staff(request)
    if action == "agree":
        services.theme_agree(theme=theme, by=staff)
        return f"“{theme.title}” agreed. Choose its month and tool, then schedule it"
    if action == "schedule":
        theme = services.theme_schedule(theme=theme, by=staff)
        return f"“{theme.title}” scheduled for {themes.month_label(theme.month)}"
    if action == "complete":
        services.theme_complete(theme=theme, by=staff)
        return f"“{theme.title}” marked complete. Its findings are ready for the QA reports"
    raise ThemeError("Choose what to do with the theme")


@require_POST
def theme_status(request: HttpRequest, theme_pk: int) -> HttpResponse:
    theme = _theme(request, theme_pk, MANAGE_THEMES)
    action = request.POST.get("action", "")
    anchor = "#decide" if action in ACTIONS else "#main-content"
    decline_form = None
    try:
        if action == "decline":
            decline_form = DeclineForm(request.POST)
            if not decline_form.is_valid():
                message = decline_form.errors["reason"][0]
                return _refused(request, theme, "#id_decline-reason", message, decline_form)
            services.theme_decline(
                theme=theme, by=require_staff(request), reason=decline_form.cleaned_data["reason"]
            )
            done = f"“{theme.title}” declined"
        else:
            done = _change_status(request, theme, action)
    except ThemeError as error:
        return _refused(request, theme, anchor, str(error), decline_form)
    messages.success(request, done)
    if action == "schedule":
        _warn_if_crowded(request, theme)
    return redirect(_detail_url(theme))


def _warn_if_crowded(request: HttpRequest, theme: ThematicReview) -> None:
    theme.refresh_from_db(fields=["month"])
    others = list(themes.themes_in_month(theme=theme))
    if others:
        names = ", ".join(f"“{other.title}”" for other in others)
        messages.warning(
            request,
            f"{names} {'is' if len(others) == 1 else 'are'} also scheduled for "
            f"{themes.month_label(theme.month)}. One theme a month is the norm",
        )


def _refused(
    request: HttpRequest,
    theme: ThematicReview,
    href: str,
    message: str,
    decline_form: DeclineForm | None,
) -> HttpResponse:
    theme.refresh_from_db()
    context = _detail_context(request, theme, [(href, message)], decline_form)
    return render(request, DETAIL_TEMPLATE, context, status=400)


# The dip sample.


def _posted_picks(
    request: HttpRequest, theme: ThematicReview, ids: list[int], preview: list[Any]
) -> list[Any] | None:
    """The posted cases as picks, with the reasons from the preview where it has them;
    None when a case is not an open case of the theme's organisation."""
    shown = {pick.case.pk: pick for pick in preview}
    cases = themes.sample_cases(user=request.user, theme=theme, ids=ids)
    if len(cases) != len(ids):
        return None
    return [
        shown.get(pk) or themes.Pick(cases[pk], ["picked when the page was opened"], None, None)
        for pk in ids
    ]


@require_http_methods(["GET", "POST"])
def theme_sample(request: HttpRequest, theme_pk: int) -> HttpResponse:
    theme = _theme(request, theme_pk, MANAGE_THEMES)
    staff = require_staff(request)
    places = themes.sample_places(theme=theme)
    ready = theme.status == Status.SCHEDULED and theme.tool_id and theme.month
    preview = themes.sample_preview(theme=theme, size=places) if ready else []
    auditors = list(themes.sample_auditors(theme=theme))
    errors: Errors = []
    form = SampleForm(picks=preview, auditors=auditors)
    if request.method == "POST":
        ids = case_ids(request.POST.get("cases", ""))
        picks = _posted_picks(request, theme, ids, preview)
        if picks is None or not ids:
            errors = [("#sample", "The sample has changed since the page was opened. Check it")]
        else:
            form = SampleForm(request.POST, picks=picks, auditors=auditors)
            if form.is_valid():
                return _create_sample(request, theme, staff, form)
    context = {
        "theme": theme,
        "form": form,
        "ready": ready,
        "places": places,
        "already": theme.sample_size - places,
        "errors": errors,
        "due_on": month_end(theme.month) if theme.month else None,
        "crumbs": _crumbs(theme, ("Dip sample", "")),
    }
    status = 400 if errors or (form.is_bound and form.errors) else 200
    access_note(request, cases=[pick.case for pick in form.picks])
    return render(request, SAMPLE_TEMPLATE, context, status=status)


def _create_sample(
    request: HttpRequest, theme: ThematicReview, staff: StaffMember, form: SampleForm
) -> HttpResponse:
    assignments = [
        services.Assignment(case=case, auditor=auditor) for case, auditor in form.assignments()
    ]
    try:
        result = services.theme_sample_create(theme=theme, by=staff, assignments=assignments)
    except ThemeError as error:
        form.add_error(None, str(error))
        context = {
            "theme": theme,
            "form": form,
            "ready": True,
            "places": themes.sample_places(theme=theme),
            "already": theme.audits.count(),
            "errors": [],
            "due_on": month_end(theme.month),
            "crumbs": _crumbs(theme, ("Dip sample", "")),
        }
        access_note(request, cases=[pick.case for pick in form.picks])
        return render(request, SAMPLE_TEMPLATE, context, status=400)
    created = len(result.created)
    text = f"{created} audit{'s' if created != 1 else ''} created for “{theme.title}”"
    if result.skipped:
        text += f". {len(result.skipped)} already in the sample, so not created again"
    messages.success(request, text)
    return redirect(_detail_url(theme, "sample"))


# The findings.


@require_http_methods(["GET", "POST"])
def theme_findings(request: HttpRequest, theme_pk: int) -> HttpResponse:
    theme = _theme(request, theme_pk)
    can_write = (
        request.user.has_perm(MANAGE_THEMES)
        and staff_of(request.user) is not None
        and theme.status == Status.SCHEDULED
    )
    form = FindingsForm(initial={"findings": theme.findings}, disabled=not can_write)
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        form = FindingsForm(request.POST)
        if form.is_valid():
            if response := _save_findings(request, theme, form):
                return response
    summary = themes.theme_summary(theme)
    context = {
        "theme": theme,
        "form": form,
        "can_write": can_write,
        "summary": summary,
        "crumbs": _crumbs(theme, ("Findings", "")),
    }
    return render(request, "themes/theme_findings.html", context, status=_status(form))


def _save_findings(
    request: HttpRequest, theme: ThematicReview, form: FindingsForm
) -> HttpResponse | None:
    staff = require_staff(request)
    complete = "complete" in request.POST
    try:
        theme = services.theme_findings_save(
            theme=theme, by=staff, findings=form.cleaned_data["findings"]
        )
        if complete:
            services.theme_complete(theme=theme, by=staff)
    except ThemeError as error:
        form.add_error("findings" if complete else None, str(error))
        return None
    if complete:
        messages.success(request, f"Findings saved and “{theme.title}” marked complete")
    else:
        messages.success(request, "Findings saved")
    return redirect(_detail_url(theme))
