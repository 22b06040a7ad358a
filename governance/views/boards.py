"""The boards' pages: the list, a board (members, meetings, the reports it received), a
board's form, and a meeting (its agenda, minutes and decisions) with its forms. Board
business only, never a child's details (so no access log)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.models import StaffMember
from cases.permissions import require_perm, require_staff
from governance import boards
from governance.forms.boards import (
    AgendaItemForm,
    BoardForm,
    DecisionForm,
    MeetingEditForm,
    MeetingForm,
    MinutesForm,
    StaffFilterForm,
)
from governance.models import Board, Meeting
from governance.rules import may


def _board(request: HttpRequest, board_pk: int) -> Board:
    require_perm(request, "governance.view_boards")
    return get_object_or_404(boards.boards(user=request.user), pk=board_pk)


def _meeting(request: HttpRequest, meeting_pk: int) -> Meeting:
    require_perm(request, "governance.view_boards")
    return get_object_or_404(boards.meetings(user=request.user), pk=meeting_pk)


@require_http_methods(["GET"])
def board_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "governance.view_boards")
    staff = require_staff(request)
    return render(
        request,
        "governance/boards/list.html",
        {
            "boards": boards.board_list(user=request.user, today=timezone.localdate()),
            "can_manage": may(request.user, "governance.manage_boards", staff.organisation),
        },
    )


@require_http_methods(["GET"])
def board_detail(request: HttpRequest, board_pk: int) -> HttpResponse:
    board = _board(request, board_pk)
    return render(
        request,
        "governance/boards/detail.html",
        {
            "board": board,
            "members": boards.board_members(board=board),
            "meetings": boards.meetings_of(board=board, today=timezone.localdate()),
            "reports": boards.board_reports(user=request.user, board=board),
            "can_manage": may(request.user, "governance.manage_boards", board),
        },
    )


def _board_form_page(request: HttpRequest, staff: StaffMember, board: Board | None) -> HttpResponse:
    organisation_id = staff.organisation_id if board is None else board.organisation_id
    everyone = boards.staff_choices(organisation_id=organisation_id)
    filter_form = StaffFilterForm(
        request.GET,
        teams=boards.team_choices(organisation_id=organisation_id),
        roles=boards.ROLE_CHOICES,
    )
    filters = filter_form.filters()
    shown = boards.member_choices(organisation_id=organisation_id, board=board, **filters)
    initial: dict[str, Any] = {"kind": Board.Kind.OTHER, "frequency": Board.Frequency.MONTHLY}
    initial["active"] = True
    if board is not None:
        initial = {
            "name": board.name,
            "kind": board.kind,
            "frequency": board.frequency,
            "purpose": board.purpose,
            "chair": board.chair_id,
            "members": boards.current_member_pks(board=board),
            "active": board.active,
        }
    data = request.POST if request.method == "POST" else None
    form = BoardForm(data, initial=initial, staff=everyone, shown=shown)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = boards.board_save(
                    organisation_id=organisation_id,
                    by=staff,
                    board=board,
                    **{k: form.cleaned_data[k] for k in ("name", "kind", "frequency", "purpose")},
                    chair=form.cleaned_data["chair"],
                    members=form.cleaned_data["members"],
                    active=form.cleaned_data["active"],
                )
            except boards.BoardError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"{saved.name} is saved")
                return redirect(saved)
        status = 400
    return render(
        request,
        "governance/boards/form.html",
        {
            "board": board,
            "form": form,
            "filter_form": filter_form,
            "filtered": bool(any(filters.values())),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def board_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "governance.view_boards")
    staff = require_staff(request)
    if not may(request.user, "governance.manage_boards", staff.organisation):
        raise PermissionDenied
    return _board_form_page(request, staff, None)


@require_http_methods(["GET", "POST"])
def board_edit(request: HttpRequest, board_pk: int) -> HttpResponse:
    board = _board(request, board_pk)
    staff = require_staff(request)
    if not may(request.user, "governance.manage_boards", board):
        raise PermissionDenied
    return _board_form_page(request, staff, board)


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, board_pk: int) -> HttpResponse:
    board = _board(request, board_pk)
    staff = require_staff(request)
    if not may(request.user, "governance.manage_boards", board):
        raise PermissionDenied
    form = MeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        meeting = boards.meeting_create(
            board=board,
            by=staff,
            date=form.cleaned_data["date"],
            time=form.cleaned_data["time"],
            place=form.cleaned_data["place"],
        )
        messages.success(request, "The meeting is scheduled: now add its agenda")
        return redirect("governance:meeting_agenda", meeting_pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "governance/boards/meeting_new.html", {"board": board, "form": form}, status=status
    )


def _meeting_page(
    request: HttpRequest,
    meeting: Meeting,
    *,
    status: int = 200,
    minutes_form: MinutesForm | None = None,
    decision_form: DecisionForm | None = None,
    conflict: str = "",
) -> HttpResponse:
    can_edit = may(request.user, "governance.edit_meeting", meeting)
    items = list(boards.agenda(meeting=meeting))
    readable = boards.readable_reports(
        user=request.user, pks=[i.report_id for i in items if i.report_id]
    )
    if can_edit and not meeting.status == Meeting.Status.CANCELLED and minutes_form is None:
        minutes_form = MinutesForm(
            initial={"revision": meeting.revision, "minutes": meeting.minutes}
        )
    if can_edit and meeting.is_held and decision_form is None:
        decision_form = _decision_form(meeting)
    return render(
        request,
        "governance/boards/meeting.html",
        {
            "meeting": meeting,
            "board": meeting.board,
            "items": [
                {
                    "item": item,
                    "report_readable": item.report_id in readable,
                    "returns_url": boards.returns_url(item.returns_month)
                    if item.returns_month
                    else "",
                }
                for item in items
            ],
            "decisions": boards.decisions(meeting=meeting),
            "can_edit": can_edit,
            "minutes_form": minutes_form if can_edit else None,
            "decision_form": decision_form if can_edit else None,
            "conflict": conflict,
        },
        status=status,
    )


def _decision_form(meeting: Meeting, data: Any = None) -> DecisionForm:
    return DecisionForm(
        data,
        staff=boards.staff_choices(organisation_id=meeting.organisation_id),
        priorities=boards.priority_choices(organisation_id=meeting.organisation_id),
    )


@require_http_methods(["GET"])
def meeting_detail(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    return _meeting_page(request, _meeting(request, meeting_pk))


def _editor(request: HttpRequest, meeting: Meeting) -> StaffMember:
    staff = require_staff(request)
    if not may(request.user, "governance.edit_meeting", meeting):
        raise PermissionDenied
    return staff


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = _meeting(request, meeting_pk)
    staff = _editor(request, meeting)
    initial = {
        "date": meeting.date,
        "time": meeting.time.strftime("%H:%M") if meeting.time else "",
        "place": meeting.place,
        "status": meeting.status,
        "revision": meeting.revision,
    }
    form = MeetingEditForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                boards.meeting_edit(
                    meeting=meeting,
                    by=staff,
                    revision=form.cleaned_data["revision"],
                    date=form.cleaned_data["date"],
                    time=form.cleaned_data["time"],
                    place=form.cleaned_data["place"],
                    status=form.cleaned_data["status"],
                )
            except boards.MeetingConflict as conflict:
                form = _with_revision(MeetingEditForm, request, conflict.current.revision)
                form.add_error(None, str(conflict))
                status = 409
            except boards.BoardError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "The meeting is saved")
                return redirect(meeting)
    return render(
        request,
        "governance/boards/meeting_edit.html",
        {"meeting": meeting, "form": form},
        status=status,
    )


def _with_revision(form_class: Any, request: HttpRequest, revision: int, **kwargs: Any) -> Any:
    """The editor's form again, carrying the revision they now have to beat (their text
    kept, nothing lost)."""
    data = request.POST.copy()
    data["revision"] = str(revision)
    form = form_class(data, **kwargs)
    form.is_valid()
    return form


def _agenda_page(
    request: HttpRequest,
    meeting: Meeting,
    *,
    form: AgendaItemForm | None = None,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    items = list(boards.agenda(meeting=meeting))
    return render(
        request,
        "governance/boards/agenda.html",
        {
            "meeting": meeting,
            "items": items,
            "form": form or _item_form(request, meeting, initial={"revision": meeting.revision}),
            "errors": [("", error)] if error else [],
        },
        status=status,
    )


def _item_form(
    request: HttpRequest, meeting: Meeting, data: Any = None, **kwargs: Any
) -> AgendaItemForm:
    return AgendaItemForm(
        data,
        staff=boards.staff_choices(organisation_id=meeting.organisation_id),
        reports=boards.report_choices(user=request.user),
        priorities=boards.priority_choices(organisation_id=meeting.organisation_id),
        months=boards.agenda_months(today=timezone.localdate()),
        **kwargs,
    )


def _item_pk(request: HttpRequest) -> int:
    value = request.POST.get("item", "")
    return int(value) if value.isdigit() and len(value) < 10 else 0


def _revision(request: HttpRequest) -> int:
    value = request.POST.get("revision", "")
    return int(value) if value.isdigit() and len(value) < 10 else 0


def _agenda_add(request: HttpRequest, meeting: Meeting, staff: StaffMember) -> HttpResponse:
    form = _item_form(request, meeting, request.POST)
    if not form.is_valid():
        return _agenda_page(request, meeting, form=form, status=400)
    data = form.cleaned_data
    try:
        boards.agenda_item_add(
            meeting=meeting,
            by=staff,
            revision=data["revision"],
            title=data["title"],
            presenter=data["presenter"],
            notes=data["notes"],
            report=data["report"],
            returns_month=data["returns_month"],
            priority=data["priority"],
        )
    except boards.MeetingConflict as conflict:
        form = _item_form(request, meeting, _posted_with(request, conflict.current.revision))
        form.is_valid()
        form.add_error(None, str(conflict))
        return _agenda_page(request, conflict.current, form=form, status=409)
    except boards.BoardError as error:
        form.add_error(None, str(error))
        return _agenda_page(request, meeting, form=form, status=400)
    messages.success(request, "The item is added to the agenda")
    return redirect("governance:meeting_agenda", meeting_pk=meeting.pk)


@require_http_methods(["GET", "POST"])
def meeting_agenda(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """The agenda editor: add, remove and move items; publish it to the members."""
    meeting = _meeting(request, meeting_pk)
    staff = _editor(request, meeting)
    if request.method == "GET":
        return _agenda_page(request, meeting)
    action = request.POST.get("action", "add")
    if action == "add":
        return _agenda_add(request, meeting, staff)
    revision, item_pk = _revision(request), _item_pk(request)
    try:
        if action == "remove":
            boards.agenda_item_remove(meeting=meeting, by=staff, revision=revision, item_pk=item_pk)
        elif action in ("up", "down"):
            boards.agenda_item_move(
                meeting=meeting, by=staff, revision=revision, item_pk=item_pk, up=action == "up"
            )
        elif action == "publish":
            boards.agenda_publish(meeting=meeting, by=staff, revision=revision)
            messages.success(request, "The agenda is published: the members and the chair are told")
            return redirect(meeting)
        else:
            return _agenda_page(
                request, meeting, status=400, error="Choose what to do with the agenda"
            )
    except boards.MeetingConflict as conflict:
        return _agenda_page(request, conflict.current, status=409, error=str(conflict))
    except boards.BoardError as error:
        return _agenda_page(request, meeting, status=400, error=str(error))
    messages.success(request, "The agenda is saved")
    return redirect("governance:meeting_agenda", meeting_pk=meeting.pk)


def _posted_with(request: HttpRequest, revision: int) -> Any:
    data = request.POST.copy()
    data["revision"] = str(revision)
    return data


@require_POST
def meeting_minutes(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = _meeting(request, meeting_pk)
    staff = _editor(request, meeting)
    form = MinutesForm(request.POST)
    if not form.is_valid():
        return _meeting_page(request, meeting, status=400, minutes_form=form)
    try:
        boards.minutes_record(
            meeting=meeting,
            by=staff,
            revision=form.cleaned_data["revision"],
            minutes=form.cleaned_data["minutes"],
        )
    except boards.MeetingConflict as conflict:
        form = _with_revision(MinutesForm, request, conflict.current.revision)
        form.add_error(None, str(conflict))
        return _meeting_page(
            request, conflict.current, status=409, minutes_form=form, conflict=str(conflict)
        )
    except boards.BoardError as error:
        form.add_error(None, str(error))
        return _meeting_page(request, meeting, status=400, minutes_form=form)
    messages.success(request, "The minutes are saved and the meeting is marked held")
    return redirect(meeting)


@require_POST
def meeting_decision(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = _meeting(request, meeting_pk)
    staff = _editor(request, meeting)
    form = _decision_form(meeting, request.POST)
    if not form.is_valid():
        return _meeting_page(request, meeting, status=400, decision_form=form)
    try:
        decision = boards.decision_record(
            meeting=meeting,
            by=staff,
            text=form.cleaned_data["text"],
            owner=form.cleaned_data["owner"],
            due_on=form.cleaned_data["due_on"],
            priority=form.cleaned_data["priority"],
        )
    except boards.BoardError as error:
        form.add_error(None, str(error))
        return _meeting_page(request, meeting, status=400, decision_form=form)
    if decision.plan_action_id:
        messages.success(request, "The decision is recorded and added to the improvement plan")
    else:
        messages.success(request, "The decision is recorded")
    return redirect(
        f"{reverse('governance:meeting_detail', kwargs={'meeting_pk': meeting.pk})}#decisions"
    )
