"""Feedback pages: the list, recording feedback, one piece of feedback with its response
and themes, asking a family through a one-use link, the figures, the themes the
organisation keeps, and "you said, we did" (the staff pages and the page for families)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import links
from cases import selectors as case_selectors
from cases.access import access_note
from cases.models import Case, FamilyLink
from cases.permissions import require_perm, require_staff
from cases.querysets import staff_of
from core.redirects import redirect_next
from feedback import figures, voices
from feedback.forms.voices import (
    FeedbackFilterForm,
    FeedbackForm,
    LinkForm,
    RespondForm,
    ThemeForm,
    ThemesForm,
    YouSaidForm,
)
from feedback.models import Feedback, YouSaidWeDid
from feedback.rules import may

PAGE_SIZE = 25


def _organisation_id(request: HttpRequest) -> int:
    return require_staff(request).organisation_id


def _feedback(request: HttpRequest, feedback_pk: int) -> Feedback:
    return get_object_or_404(voices.feedback_list(user=request.user), pk=feedback_pk)


def _note_cases(request: HttpRequest, feedback: Any) -> None:
    access_note(request, cases=[f.case for f in feedback if f.case_id is not None])


# The list and the figures.


def _filter_form(request: HttpRequest) -> FeedbackFilterForm:
    organisation_id = _organisation_id(request)
    form = FeedbackFilterForm(
        request.GET or None,
        services=voices.service_choices(organisation_id=organisation_id),
        themes=voices.theme_choices(organisation_id=organisation_id),
    )
    form.is_valid()
    return form


def _narrow(form: FeedbackFilterForm) -> voices.FeedbackFilter:
    service = form.value("service")
    theme = form.value("theme")
    responded = {"yes": True, "no": False}.get(form.value("responded") or "")
    return voices.FeedbackFilter(
        source=form.value("source") or "",
        sentiment=form.value("sentiment") or "",
        channel=form.value("channel") or "",
        journey_stage=form.value("journey_stage") or "",
        service_id=service.pk if service else None,
        team_id=form.value("team"),
        theme_id=theme.pk if theme else None,
        since=form.value("since"),
        until=form.value("until"),
        responded=responded,
    )


@require_GET
def feedback_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "feedback.view_feedback")
    form = _filter_form(request)
    feedback = voices.feedback_filtered(user=request.user, narrow=_narrow(form))
    page = Paginator(feedback, PAGE_SIZE).get_page(request.GET.get("page"))
    _note_cases(request, page.object_list)
    return render(
        request,
        "feedback/feedback_list.html",
        {
            "form": form,
            "page_obj": page,
            "can_record": request.user.has_perm("feedback.record_feedback"),
            "can_read_figures": request.user.has_perm("feedback.view_feedback_figures"),
        },
    )


@require_GET
def feedback_figures(request: HttpRequest) -> HttpResponse:
    require_perm(request, "feedback.view_feedback_figures")
    organisation_id = _organisation_id(request)
    services = voices.service_choices(organisation_id=organisation_id)
    result = figures.feedback_figures(
        voices.feedback_list(user=request.user),
        today=timezone.localdate(),
        service_names={s.pk: s.name for s in services},
    )
    return render(request, "feedback/figures.html", {"figures": result})


# Recording, reading and answering feedback.


@require_http_methods(["GET", "POST"])
def feedback_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "feedback.record_feedback")
    staff = require_staff(request)
    organisation_id = staff.organisation_id
    initial = {"received_on": timezone.localdate(), "case_reference": request.GET.get("case", "")}
    form = FeedbackForm(
        request.POST or None,
        initial=initial,
        services=voices.service_choices(organisation_id=organisation_id),
        teams=voices.team_choices(organisation_id=organisation_id),
        themes=voices.theme_choices(organisation_id=organisation_id),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = None
        if data["case_reference"]:
            case = case_selectors.case_by_reference(
                user=request.user, reference=data["case_reference"]
            )
            if case is None:
                form.add_error(
                    "case_reference",
                    "There is no child or adopter with that ID whose record you can see",
                )
        if not form.errors:
            feedback = voices.feedback_record(
                organisation_id=organisation_id,
                recorded_by=staff,
                details=voices.FeedbackDetails(
                    source=data["source"],
                    channel=data["channel"],
                    received_on=data["received_on"],
                    said=data["said"],
                    sentiment=data["sentiment"],
                    person_name=data["person_name"],
                    case=case,
                    team=data["team"],
                    service=data["service"],
                    journey_stage=data["journey_stage"],
                    themes=tuple(data["themes"]),
                ),
            )
            messages.success(request, "Feedback saved")
            return redirect(feedback.get_absolute_url())
    return render(request, "feedback/feedback_new.html", {"form": form})


def _detail(
    request: HttpRequest,
    feedback: Feedback,
    *,
    respond_form: RespondForm | None = None,
    themes_form: ThemesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if feedback.case_id is not None:
        access_note(request, cases=[feedback.case])
    can_respond = may(request.user, "feedback.respond_feedback", feedback)
    themes = voices.theme_choices(organisation_id=feedback.organisation_id)
    respond_form = respond_form or RespondForm(
        initial={
            "response": feedback.response,
            "responded_on": feedback.responded_on or timezone.localdate(),
        }
    )
    respond_form.helper.form_action = reverse(
        "feedback:feedback_respond", kwargs={"feedback_pk": feedback.pk}
    )
    themes_form = themes_form or ThemesForm(
        themes=themes, initial={"themes": list(feedback.themes.all())}
    )
    themes_form.helper.form_action = reverse(
        "feedback:feedback_themes", kwargs={"feedback_pk": feedback.pk}
    )
    context = {
        "feedback": feedback,
        "can_respond": can_respond,
        "respond_form": respond_form,
        "themes_form": themes_form,
        "pairings": list(feedback.you_said_we_did.all()),
        "can_write_you_said": request.user.has_perm("feedback.manage_you_said"),
    }
    return render(request, "feedback/feedback_detail.html", context, status=status)


@require_GET
def feedback_detail(request: HttpRequest, feedback_pk: int) -> HttpResponse:
    require_perm(request, "feedback.view_feedback")
    return _detail(request, _feedback(request, feedback_pk))


@require_POST
def feedback_respond(request: HttpRequest, feedback_pk: int) -> HttpResponse:
    feedback = _feedback(request, feedback_pk)
    if not may(request.user, "feedback.respond_feedback", feedback):
        raise PermissionDenied
    form = RespondForm(request.POST)
    if not form.is_valid():
        return _detail(request, feedback, respond_form=form, status=400)
    voices.feedback_respond(
        feedback=feedback,
        by=staff_of(request.user),
        response=form.cleaned_data["response"],
        responded_on=form.cleaned_data["responded_on"],
    )
    messages.success(request, "Response saved")
    return redirect(feedback.get_absolute_url())


@require_POST
def feedback_themes(request: HttpRequest, feedback_pk: int) -> HttpResponse:
    feedback = _feedback(request, feedback_pk)
    if not may(request.user, "feedback.respond_feedback", feedback):
        raise PermissionDenied
    form = ThemesForm(
        request.POST, themes=voices.theme_choices(organisation_id=feedback.organisation_id)
    )
    if not form.is_valid():
        return _detail(request, feedback, themes_form=form, status=400)
    voices.feedback_set_themes(feedback=feedback, themes=list(form.cleaned_data["themes"]))
    messages.success(request, "Themes saved")
    return redirect(feedback.get_absolute_url())


# Asking a family: a one-use link made from their case.


def _case(request: HttpRequest, case_pk: int) -> Case:
    return get_object_or_404(
        case_selectors.case_list(user=request.user).select_related("child", "adopter"),
        pk=case_pk,
    )


@require_http_methods(["GET", "POST"])
def feedback_ask(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    if not may(request.user, "feedback.ask_for_feedback", case):
        raise PermissionDenied
    access_note(request, cases=[case])
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = links.family_link_create(
            case=case,
            purpose=voices.LINK_PURPOSE,
            created_by=staff_of(request.user),
            days=form.cleaned_data["days"],
            audience=form.cleaned_data["audience"],
            recipient=form.cleaned_data["recipient"],
        )
        # The link is shown this once: only its digest is kept.
        return render(request, "feedback/link_made.html", {"case": case, "made": made})
    return render(
        request,
        "feedback/feedback_ask.html",
        {
            "case": case,
            "form": form,
            "links": list(voices.feedback_links(user=request.user, case=case)),
        },
    )


@require_POST
def link_withdraw(request: HttpRequest, link_pk: int) -> HttpResponse:
    link = get_object_or_404(FamilyLink.objects.visible_to(request.user), pk=link_pk)
    if not may(request.user, "feedback.ask_for_feedback", link.case):
        raise PermissionDenied
    try:
        links.family_link_withdraw(link=link)
        messages.success(request, "Link withdrawn: it will not open now")
    except links.LinkError as error:
        messages.error(request, str(error))
    return redirect_next(
        request, default=reverse("feedback:feedback_ask", kwargs={"case_pk": link.case_id})
    )


# Themes.


@require_http_methods(["GET", "POST"])
def theme_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "feedback.view_feedback")
    can_manage = request.user.has_perm("feedback.manage_themes")
    form = ThemeForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                voices.theme_save(organisation_id=_organisation_id(request), **form.cleaned_data)
                messages.success(request, "Theme added")
                return redirect("feedback:theme_list")
            except voices.FeedbackError as error:
                form.add_error("name", str(error))
    return render(
        request,
        "feedback/theme_list.html",
        {"themes": voices.theme_list(user=request.user), "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def theme_edit(request: HttpRequest, feedback_theme_pk: int) -> HttpResponse:
    require_perm(request, "feedback.manage_themes")
    theme = get_object_or_404(voices.theme_list(user=request.user), pk=feedback_theme_pk)
    form = ThemeForm(
        request.POST or None,
        initial={"name": theme.name, "description": theme.description, "active": theme.active},
    )
    if request.method == "POST" and form.is_valid():
        try:
            voices.theme_save(
                organisation_id=theme.organisation_id, theme=theme, **form.cleaned_data
            )
            messages.success(request, "Theme saved")
            return redirect("feedback:theme_list")
        except voices.FeedbackError as error:
            form.add_error("name", str(error))
    return render(
        request,
        "feedback/theme_edit.html",
        {"theme": theme, "form": form},
        status=400 if form.errors else 200,
    )


# "You said, we did".


def _entry(request: HttpRequest, you_said_pk: int) -> YouSaidWeDid:
    return get_object_or_404(voices.you_said_list(user=request.user), pk=you_said_pk)


@require_GET
def you_said_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "feedback.view_you_said")
    staff = require_staff(request)
    entries = Paginator(voices.you_said_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "feedback/you_said_list.html",
        {
            "page_obj": entries,
            "organisation": staff.organisation,
            "can_manage": request.user.has_perm("feedback.manage_you_said"),
        },
    )


def _you_said_form(
    request: HttpRequest,
    entry: YouSaidWeDid | None,
    organisation_id: int,
    template: str,
    extra: dict[str, Any],
) -> HttpResponse:
    initial = {}
    if entry is not None:
        initial = {"you_said": entry.you_said, "we_did": entry.we_did, "theme": entry.theme}
    form = YouSaidForm(
        request.POST or None,
        initial=initial,
        themes=voices.theme_choices(organisation_id=organisation_id),
    )
    answered: list[Feedback] = extra.get("answered", [])
    if request.method == "POST" and form.is_valid():
        entry = voices.you_said_save(
            organisation_id=organisation_id,
            by=staff_of(request.user),
            entry=entry,
            feedback=answered,
            **form.cleaned_data,
        )
        messages.success(request, "Saved. Publish it when it is ready for families to read.")
        return redirect(entry.get_absolute_url())
    return render(
        request,
        template,
        {"form": form, "entry": entry, **extra},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def you_said_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "feedback.manage_you_said")
    answered = []
    feedback_pk = request.GET.get("feedback", "")
    if feedback_pk.isdigit():
        answered = list(voices.feedback_list(user=request.user).filter(pk=int(feedback_pk)))
        _note_cases(request, answered)
    return _you_said_form(
        request,
        None,
        _organisation_id(request),
        "feedback/you_said_new.html",
        {"answered": answered},
    )


@require_http_methods(["GET", "POST"])
def you_said_detail(request: HttpRequest, you_said_pk: int) -> HttpResponse:
    require_perm(request, "feedback.view_you_said")
    entry = _entry(request, you_said_pk)
    answered = list(voices.feedback_list(user=request.user).filter(you_said_we_did=entry))
    _note_cases(request, answered)
    can_manage = request.user.has_perm("feedback.manage_you_said")
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    if not can_manage:
        return render(
            request,
            "feedback/you_said_detail.html",
            {"entry": entry, "answered": answered, "form": None},
        )
    return _you_said_form(
        request,
        entry,
        entry.organisation_id,
        "feedback/you_said_detail.html",
        {"answered": answered, "can_manage": True},
    )


@require_POST
def you_said_publish(request: HttpRequest, you_said_pk: int) -> HttpResponse:
    require_perm(request, "feedback.manage_you_said")
    entry = _entry(request, you_said_pk)
    publish = request.POST.get("publish") == "yes"
    voices.you_said_publish(entry=entry, publish=publish, day=timezone.localdate())
    messages.success(
        request,
        "Published on the page for families" if publish else "Taken off the page for families",
    )
    return redirect(entry.get_absolute_url())


@login_not_required
@require_GET
def you_said_public(request: HttpRequest, organisation_slug: str) -> HttpResponse:
    """The organisation's "you said, we did" page for families: published entries only,
    nothing about any child or family."""
    organisation = voices.organisation_by_slug(organisation_slug)
    if organisation is None:
        raise Http404
    entries = Paginator(voices.you_said_published(organisation=organisation), PAGE_SIZE)
    return render(
        request,
        "feedback/you_said_public.html",
        {
            "page_obj": entries.get_page(request.GET.get("page")),
            "organisation_name": organisation.name,
        },
    )
