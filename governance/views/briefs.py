"""The learning briefs' pages: the briefs addressed to the reader, a brief (its reading
recorded; QA and senior leaders see how far it has reached, team by team), and QA's
form to write one (autosaved) and publish it. No child's details (so no access log)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cases.models import StaffMember
from cases.permissions import require_perm, require_staff
from cases.querysets import staff_of
from core.autosave_views import autosave_answer
from governance import briefs
from governance.forms.briefs import BriefForm
from governance.models import LearningBrief
from governance.rules import may


def _brief(request: HttpRequest, brief_pk: int) -> LearningBrief:
    require_perm(request, "governance.view_briefs")
    return get_object_or_404(briefs.briefs(user=request.user), pk=brief_pk)


def _writer(request: HttpRequest, obj: object) -> StaffMember:
    staff = require_staff(request)
    if not may(request.user, "governance.write_briefs", obj):
        raise PermissionDenied
    return staff


@require_http_methods(["GET"])
def brief_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "governance.view_briefs")
    staff = require_staff(request)
    page = Paginator(briefs.published_briefs(user=request.user), briefs.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    can_write = may(request.user, "governance.write_briefs", staff.organisation)
    return render(
        request,
        "governance/briefs/list.html",
        {
            "page_obj": page,
            "read": briefs.read_brief_pks(staff=staff, pks=[b.pk for b in page.object_list]),
            "drafts": briefs.draft_briefs(user=request.user)[:20] if can_write else [],
            "can_write": can_write,
        },
    )


def _form(request: HttpRequest, organisation_id: int, data: Any = None, **kwargs: Any) -> BriefForm:
    return BriefForm(
        data,
        reviews=briefs.review_choices(user=request.user),
        reports=briefs.report_choices(user=request.user),
        services=briefs.service_choices(organisation_id=organisation_id),
        teams=briefs.team_choices(organisation_id=organisation_id),
        **kwargs,
    )


def _write_args(form: BriefForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "data": {k: v for k, v in data.items() if k not in ("services", "teams", "revision")},
        "services": data.get("services") or [],
        "teams": data.get("teams") or [],
    }


@require_http_methods(["GET", "POST"])
def brief_new(request: HttpRequest) -> HttpResponse:
    """A new brief; `?review=<pk>` starts it from a thematic review's findings."""
    require_perm(request, "governance.view_briefs")
    staff = require_staff(request)
    _writer(request, staff.organisation)
    initial: dict[str, Any] = {"whole_organisation": "yes"}
    review_pk = request.GET.get("review", "")
    if review_pk:
        if not review_pk.isdigit() or len(review_pk) > 9:
            raise Http404
        review = briefs.review_findings(user=request.user, review_pk=int(review_pk))
        if review is None:
            raise Http404
        initial.update({"review": review.pk, "title": review.title, "found": review.findings})
    form = _form(request, staff.organisation_id, request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                brief = briefs.brief_create(
                    organisation_id=staff.organisation_id, by=staff, **_write_args(form)
                )
            except briefs.BriefError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Your draft is saved: it saves as you type from now on")
                return redirect("governance:brief_edit", brief_pk=brief.pk)
        return render(request, "governance/briefs/form.html", {"form": form}, status=400)
    return render(request, "governance/briefs/form.html", {"form": form})


def _initial(brief: LearningBrief) -> dict[str, Any]:
    return {
        **{name: getattr(brief, name) for name in briefs.TEXT_FIELDS},
        "review": brief.review_id,
        "report": brief.report_id,
        "whole_organisation": "yes" if brief.whole_organisation else "no",
        "services": list(brief.services.values_list("pk", flat=True)),
        "teams": list(brief.teams.values_list("pk", flat=True)),
        "revision": brief.revision,
    }


def _edit_page(
    request: HttpRequest,
    brief: LearningBrief,
    form: BriefForm,
    *,
    status: int = 200,
    theirs: LearningBrief | None = None,
) -> HttpResponse:
    return render(
        request,
        "governance/briefs/form.html",
        {
            "brief": brief,
            "form": form,
            "theirs": theirs,
            "storage_key": f"qaportal:brief:{brief.pk}",
        },
        status=status,
    )


def _htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request (django-htmx's middleware sets `request.htmx`)."""
    return bool(getattr(request, "htmx", False))


def _autosave(request: HttpRequest, state: str, **context: Any) -> HttpResponse:
    return autosave_answer(
        request, "governance/briefs/_autosave_status.html", state=state, **context
    )


@require_http_methods(["GET", "POST"])
def brief_edit(request: HttpRequest, brief_pk: int) -> HttpResponse:
    brief = _brief(request, brief_pk)
    staff = _writer(request, brief)
    if brief.is_published:
        messages.info(request, "This brief has been published: it can no longer be changed")
        return redirect(brief)
    if request.method == "GET":
        return _edit_page(
            request, brief, _form(request, brief.organisation_id, initial=_initial(brief))
        )
    form = _form(request, brief.organisation_id, request.POST)
    if not form.is_valid():
        if _htmx(request):
            return _autosave(request, "invalid", form=form)
        return _edit_page(request, brief, form, status=400)
    try:
        saved = briefs.brief_save(
            brief=brief,
            by=staff,
            revision=form.cleaned_data.get("revision") or 0,
            **_write_args(form),
        )
    except briefs.BriefConflict as conflict:
        if _htmx(request):
            return _autosave(request, "conflict", message=str(conflict))
        data = request.POST.copy()
        data["revision"] = str(conflict.current.revision)
        form = _form(request, brief.organisation_id, data)
        form.is_valid()
        form.add_error(None, str(conflict))
        return _edit_page(request, conflict.current, form, status=409, theirs=conflict.current)
    except briefs.BriefError as error:
        if _htmx(request):
            return _autosave(request, "refused", message=str(error))
        form.add_error(None, str(error))
        return _edit_page(request, brief, form, status=400)
    if _htmx(request):
        return _autosave(request, "saved", revision=saved.revision)
    messages.success(request, "Your draft is saved")
    return redirect(saved)


@require_POST
def brief_publish(request: HttpRequest, brief_pk: int) -> HttpResponse:
    brief = _brief(request, brief_pk)
    staff = _writer(request, brief)
    value = request.POST.get("revision", "")
    revision = int(value) if value.isdigit() and len(value) < 10 else 0
    try:
        published = briefs.brief_publish(brief=brief, by=staff, revision=revision)
    except briefs.BriefConflict as conflict:
        messages.error(request, str(conflict))
        return _detail(request, conflict.current, status=409, error=str(conflict))
    except briefs.BriefError as error:
        return _detail(request, brief, status=400, error=str(error))
    messages.success(request, "The brief is published: everyone it is for has been told")
    return redirect(published)


def _detail(
    request: HttpRequest, brief: LearningBrief, *, status: int = 200, error: str = ""
) -> HttpResponse:
    can_see_reads = may(request.user, "governance.view_brief_reads", brief)
    return render(
        request,
        "governance/briefs/detail.html",
        {
            "brief": brief,
            "can_write": may(request.user, "governance.write_briefs", brief),
            "reads": briefs.reads_by_team(brief=brief)
            if can_see_reads and brief.is_published
            else None,
            "errors": [("", error)] if error else [],
        },
        status=status,
    )


@require_http_methods(["GET"])
def brief_detail(request: HttpRequest, brief_pk: int) -> HttpResponse:
    brief = _brief(request, brief_pk)
    briefs.brief_read(brief=brief, staff=staff_of(request.user))
    return _detail(request, brief)
