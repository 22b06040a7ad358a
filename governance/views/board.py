"""The board dashboard (views only: reads in governance.board)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cases.access import access_note
from cases.models import Organisation, Service, Team
from cases.permissions import require_perm
from governance import board, plan
from governance.forms.board import RangeForm
from themes import selectors as theme_selectors

VIEW_BOARD = "governance.view_board"


def _organisation(request: HttpRequest) -> Organisation:
    require_perm(request, VIEW_BOARD)
    organisation = board.board_organisation(request.user)
    if organisation is None:
        raise Http404("No organisation")
    return organisation


def _measure(slug: str) -> board.Measure:
    measure = board.measure_of(slug)
    if measure is None:
        raise Http404("No such measure")
    return measure


def _id(request: HttpRequest, key: str) -> int | None:
    value = request.GET.get(key, "")
    if not value:
        return None
    if not value.isdigit() or len(value) > 12:
        raise Http404(f"No such {key}")
    return int(value)


def _unit(request: HttpRequest, organisation: Organisation) -> tuple[Service | None, Team | None]:
    """The service or team drilled into (?service=, ?team=), of the reader's organisation."""
    team_id, service_id = _id(request, "team"), _id(request, "service")
    if team_id is not None:
        team = board.team_of(organisation, team_id)
        if team is None:
            raise Http404("No such team")
        return team.service, team
    if service_id is not None:
        service = board.service_of(organisation, service_id)
        if service is None:
            raise Http404("No such service")
        return service, None
    return None, None


@require_GET
def board_page(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = RangeForm(request.GET or None)
    months = form.months_shown()
    today = timezone.localdate()
    page = board.board(user=request.user, organisation=organisation, today=today, months=months)
    return render(
        request,
        "governance/board/board.html",
        {
            "board": page,
            "form": form,
            "plan": plan.overview(user=request.user, today=today),
            "can_record_changes": request.user.has_perm("governance.manage_process_changes"),
        },
    )


@require_GET
def board_measure(request: HttpRequest, measure: str) -> HttpResponse:
    organisation = _organisation(request)
    found = _measure(measure)
    form = RangeForm(request.GET or None)
    months = form.months_shown()
    today = timezone.localdate()
    chart, services = board.service_charts(
        found, organisation=organisation, today=today, months=months
    )
    context = {
        "measure": found,
        "chart": chart,
        "services": services,
        "triangulation": (
            board.triangulation(found, user=request.user, organisation=organisation, today=today)
            if found.is_indicator
            else None
        ),
        "themes": (
            board.themes_about(user=request.user, slug=found.slug) if found.is_indicator else []
        ),
        "organisation": organisation,
        "form": form,
    }
    return render(request, "governance/board/measure.html", context)


@require_GET
def board_month(request: HttpRequest, measure: str, month: str) -> HttpResponse:
    organisation = _organisation(request)
    found = _measure(measure)
    today = timezone.localdate()
    day = board.parse_month(month, today)
    if day is None:
        raise Http404("No such month")
    service, team = _unit(request, organisation)
    context = {
        "measure": found,
        "month": day,
        "month_label": board.month_label(day),
        "incomplete": day == today.replace(day=1),
        "organisation": organisation,
        "service": service,
        "team": team,
    }
    if team is None:
        context["units"] = board.month_split(
            found, organisation=organisation, month=day, today=today, service=service
        )
        context["unit_kind"] = "team" if service else "service"
    else:
        records = board.month_records(
            found,
            user=request.user,
            organisation=organisation,
            month=day,
            today=today,
            service=service,
            team=team,
        )
        context["records"] = records
        access_note(
            request,
            cases=[
                row.case
                for row in records.rows
                if getattr(row, "case_id", None) in records.visible_case_ids
            ],
        )
    return render(request, "governance/board/month.html", context)


@require_GET
def board_theme(request: HttpRequest, theme_pk: int) -> HttpResponse:
    """A thematic review beside the trends of the indicators it is about."""
    organisation = _organisation(request)
    theme = get_object_or_404(theme_selectors.theme_list(user=request.user), pk=theme_pk)
    form = RangeForm(request.GET or None)
    figures = board.theme_figures(
        theme=theme,
        organisation=organisation,
        today=timezone.localdate(),
        months=form.months_shown(),
    )
    return render(
        request,
        "governance/board/theme.html",
        {"figures": figures, "theme": theme, "form": form, "organisation": organisation},
    )
