"""The QA manager's tool builder: list the tools, read one, and change a draft version.

Managers may read tools; only the QA role changes them, and only through the services in
audits/services/tools.py. A published version never changes: "Start a new version" copies
it into a draft. Moves answer htmx with the sections block, and everything else is a plain
form post that also works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models.enums import TextChoices
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from audits import selectors
from audits.forms.audit import SectionForm as AnswerForm
from audits.forms.tools import QuestionForm, SectionForm, ToolForm
from audits.models import AuditTool, AuditType, ToolQuestion, ToolSection
from audits.services import tools as services
from audits.services.tools import ToolError
from cases.models import Service
from cases.permissions import require_perm
from cases.querysets import staff_of

VIEW_TOOLS = "audits.view_tools"
MANAGE_TOOLS = "audits.manage_tools"

DETAIL_TEMPLATE = "audits/tools/tool_detail.html"
FORM_TEMPLATE = "audits/tools/form.html"
REMOVE_TEMPLATE = "audits/tools/remove.html"
PUBLISH_TEMPLATE = "audits/tools/publish.html"

# A tag's text where it is shorter than the status's label.
TAG_TEXT = {AuditTool.Status.RETIRED: "Replaced"}

Errors = list[tuple[str | None, str]]


# Lookups: the permission first (403), then the user's organisation (404).


def _get_tool(request: HttpRequest, tool_pk: int, perm: str = VIEW_TOOLS) -> AuditTool:
    require_perm(request, perm)
    return get_object_or_404(selectors.tool_records(user=request.user), pk=tool_pk)


def _get_section(request: HttpRequest, section_pk: int) -> ToolSection:
    require_perm(request, MANAGE_TOOLS)
    return get_object_or_404(selectors.tool_sections(user=request.user), pk=section_pk)


def _get_question(request: HttpRequest, question_pk: int) -> ToolQuestion:
    require_perm(request, MANAGE_TOOLS)
    return get_object_or_404(selectors.tool_questions(user=request.user), pk=question_pk)


def _not_post(request: HttpRequest) -> HttpResponse | None:
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def _detail_url(tool: AuditTool, anchor: str = "") -> str:
    url = reverse("audits:tool_detail", kwargs={"tool_pk": tool.pk})
    return f"{url}#{anchor}" if anchor else url


# Shaping for the pages.


def _labels(values: Iterable[str], choices: type[TextChoices]) -> list[str]:
    names = dict(choices.choices)
    return [str(names.get(value, value)) for value in values]


def _tag(tool: AuditTool) -> tuple[str, str]:
    return TAG_TEXT.get(tool.status, tool.get_status_display()), tool.status_colour


def _when_by(when: Any, who: Any) -> str:
    if when is None:
        return ""
    text = date_format(localtime(when), "j F Y")
    return f"{text} by {who.display_name}" if who else text


def _locked_message(tool: AuditTool) -> str:
    """Why this version cannot change, for a page that would change it; "" for a draft."""
    if tool.status == AuditTool.Status.PUBLISHED:
        return (
            f"Version {tool.version} is published, so it cannot be changed. "
            "Start a new version of the tool to make changes."
        )
    if tool.status == AuditTool.Status.RETIRED:
        return (
            f"Version {tool.version} has been replaced by a newer version, so it cannot be changed."
        )
    return ""


def _summary_rows(tool: AuditTool, editable: bool) -> list[tuple[Any, ...]]:
    edit_url = reverse("audits:tool_edit", kwargs={"tool_pk": tool.pk})

    def change(field: str) -> tuple[str, str] | None:
        return (f"{edit_url}#id_{field}", "Change") if editable else None

    rows: list[tuple[Any, ...]] = [
        ("Name", tool.name, change("name")),
        ("Description", tool.description, change("description")),
        ("Audit types", _labels(tool.audit_types, AuditType), change("audit_types")),
        ("Services", _labels(tool.service_kinds, Service.Kind), change("service_kinds")),
        ("Version", str(tool.version)),
        ("Status", tool.get_status_display()),
        ("Created", _when_by(tool.created_at, tool.created_by)),
    ]
    if tool.published_at:
        rows.append(("Published", _when_by(tool.published_at, tool.published_by)))
    return rows


def _question_rows(question: ToolQuestion) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [("Answer", question.get_kind_display())]
    if question.kind == ToolQuestion.Kind.CHOICE:
        rows.append(("Choices", [str(choice) for choice in question.choices]))
    rows.append(("Must be answered", question.required))
    if question.guidance:
        rows.append(("Guidance", question.guidance))
    return rows


def _detail_context(
    request: HttpRequest, tool: AuditTool, errors: Errors | None = None
) -> dict[str, Any]:
    can_manage = request.user.has_perm(MANAGE_TOOLS)
    editable = can_manage and tool.status == AuditTool.Status.DRAFT
    sections = selectors.tool_section_list(tool=tool)
    for section in sections:
        for question in section.questions.all():
            question.rows = _question_rows(question)
    versions = list(selectors.tool_versions(user=request.user, tool=tool))
    for version in versions:
        version.tag = _tag(version)
    problems = services.tool_problems(tool) if editable else []
    return {
        "tool": tool,
        "tag": _tag(tool),
        "summary_rows": _summary_rows(tool, editable),
        "sections": sections,
        "question_count": sum(len(section.questions.all()) for section in sections),
        "versions": versions,
        "open_draft": next((v for v in versions if v.status == AuditTool.Status.DRAFT), None),
        "can_manage": can_manage,
        "editable": editable,
        "problems": problems,
        "errors": errors or [],
        "crumbs": [
            ("Home", reverse("home")),
            ("Audit tools", reverse("audits:tool_list")),
            (f"{tool.name} (version {tool.version})", ""),
        ],
    }


# The list of tools.


def tool_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW_TOOLS)
    tools = list(selectors.tool_list(user=request.user))
    for tool in tools:
        tool.tag = _tag(tool)
        tool.type_labels = _labels(tool.audit_types, AuditType)
        tool.service_labels = _labels(tool.service_kinds, Service.Kind)
    context = {"tools": tools, "can_manage": request.user.has_perm(MANAGE_TOOLS)}
    return render(request, "audits/tools/tool_list.html", context)


# One tool.


def tool_detail(request: HttpRequest, tool_pk: int) -> HttpResponse:
    tool = _get_tool(request, tool_pk)
    return render(request, DETAIL_TEMPLATE, _detail_context(request, tool))


def tool_publish(request: HttpRequest, tool_pk: int) -> HttpResponse:
    """GET: the draft as auditors will see it, and what publishing means (it cannot be
    undone), with the button that publishes. POST: publish."""
    tool = _get_tool(request, tool_pk, MANAGE_TOOLS)
    if request.method == "GET":
        return render(request, PUBLISH_TEMPLATE, _publish_context(request, tool))
    if refused := _not_post(request):
        return refused
    try:
        tool = services.tool_publish(tool=tool, by=staff_of(request.user))
    except ToolError as error:
        tool.refresh_from_db()
        still_draft = tool.status == AuditTool.Status.DRAFT
        problems = services.tool_problems(tool) if still_draft else []
        errors = [("#sections", problem) for problem in problems or [str(error)]]
        return render(request, DETAIL_TEMPLATE, _detail_context(request, tool, errors))
    messages.success(request, f"Version {tool.version} of {tool.name} is published")
    return redirect(_detail_url(tool))


def _publish_context(request: HttpRequest, tool: AuditTool) -> dict[str, Any]:
    sections = selectors.tool_section_list(tool=tool)
    previews = [
        {
            "section": section,
            "form": AnswerForm(section=section, answers={}, disabled=True),
        }
        for section in sections
    ]
    replaces = selectors.tool_published_version(user=request.user, tool=tool)
    draft = tool.status == AuditTool.Status.DRAFT
    return {
        "tool": tool,
        "draft": draft,
        "locked": _locked_message(tool),
        "problems": services.tool_problems(tool) if draft else [],
        "previews": previews,
        "part_count": len(sections) + 1,
        "replaces": replaces,
        "back_url": _detail_url(tool),
    }


def tool_new_version(request: HttpRequest, tool_pk: int) -> HttpResponse:
    tool = _get_tool(request, tool_pk, MANAGE_TOOLS)
    if refused := _not_post(request):
        return refused
    try:
        draft = services.tool_new_version(tool=tool, by=staff_of(request.user))
    except ToolError as error:
        errors = [(None, str(error))]
        return render(request, DETAIL_TEMPLATE, _detail_context(request, tool, errors))
    messages.success(request, f"You can now change version {draft.version} of {draft.name}")
    return redirect(_detail_url(draft))


# Forms: the tool's details, a section, a question.


def _form_page(
    request: HttpRequest,
    *,
    form_class: type[Form],
    initial: dict[str, Any] | None,
    save: Callable[[dict[str, Any]], str],
    tool: AuditTool | None,
    heading: str,
    submit: str = "Save",
) -> HttpResponse:
    """Show the form; on a valid post call `save` (a service) and go where it says.

    A ToolError from the service joins the form's error summary.
    """
    locked = ""
    if request.method == "POST":
        form = form_class(request.POST, submit=submit)
        if form.is_valid():
            try:
                return redirect(save(form.cleaned_data))
            except ToolError as error:
                form.add_error(None, str(error))
    else:
        form = form_class(initial=initial, submit=submit)
        locked = _locked_message(tool) if tool else ""
    back_url = _detail_url(tool) if tool else reverse("audits:tool_list")
    context = {
        "form": form,
        "tool": tool,
        "heading": heading,
        "locked": locked,
        "back_url": back_url,
    }
    return render(request, FORM_TEMPLATE, context)


def tool_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, MANAGE_TOOLS)
    staff = staff_of(request.user)
    if staff is None:
        # A tool belongs to an organisation; an account without one cannot make tools.
        raise PermissionDenied

    def save(data: dict[str, Any]) -> str:
        tool = services.tool_create(organisation=staff.organisation, created_by=staff, **data)
        messages.success(request, f"{tool.name} created. Add its sections and questions")
        return _detail_url(tool)

    return _form_page(
        request,
        form_class=ToolForm,
        initial=None,
        save=save,
        tool=None,
        heading="Create an audit tool",
        submit="Create tool",
    )


def tool_edit(request: HttpRequest, tool_pk: int) -> HttpResponse:
    tool = _get_tool(request, tool_pk, MANAGE_TOOLS)

    def save(data: dict[str, Any]) -> str:
        services.tool_update(tool=tool, **data)
        return _detail_url(tool)

    return _form_page(
        request,
        form_class=ToolForm,
        initial=ToolForm.initial_for(tool),
        save=save,
        tool=tool,
        heading="Change the tool's details",
    )


def section_new(request: HttpRequest, tool_pk: int) -> HttpResponse:
    tool = _get_tool(request, tool_pk, MANAGE_TOOLS)

    def save(data: dict[str, Any]) -> str:
        section = services.section_add(tool=tool, **data)
        return _detail_url(tool, f"section-{section.pk}")

    return _form_page(
        request,
        form_class=SectionForm,
        initial=None,
        save=save,
        tool=tool,
        heading="Add a section",
        submit="Add section",
    )


def section_edit(request: HttpRequest, section_pk: int) -> HttpResponse:
    section = _get_section(request, section_pk)

    def save(data: dict[str, Any]) -> str:
        services.section_update(section=section, **data)
        return _detail_url(section.tool, f"section-{section.pk}")

    return _form_page(
        request,
        form_class=SectionForm,
        initial=SectionForm.initial_for(section),
        save=save,
        tool=section.tool,
        heading="Change the section",
    )


def question_new(request: HttpRequest, section_pk: int) -> HttpResponse:
    section = _get_section(request, section_pk)

    def save(data: dict[str, Any]) -> str:
        question = services.question_add(section=section, **data)
        return _detail_url(section.tool, f"question-{question.pk}")

    return _form_page(
        request,
        form_class=QuestionForm,
        initial=None,
        save=save,
        tool=section.tool,
        heading=f"Add a question to “{section.title}”",
        submit="Add question",
    )


def question_edit(request: HttpRequest, question_pk: int) -> HttpResponse:
    question = _get_question(request, question_pk)

    def save(data: dict[str, Any]) -> str:
        services.question_update(question=question, **data)
        return _detail_url(question.section.tool, f"question-{question.pk}")

    return _form_page(
        request,
        form_class=QuestionForm,
        initial=QuestionForm.initial_for(question),
        save=save,
        tool=question.section.tool,
        heading="Change the question",
    )


# Removing: a confirmation page, then a post.


def _remove_page(
    request: HttpRequest,
    *,
    tool: AuditTool,
    remove: Callable[[], None],
    done: str,
    context: dict[str, Any],
) -> HttpResponse:
    errors: Errors = []
    locked = _locked_message(tool)
    if request.method == "POST":
        try:
            remove()
        except ToolError as error:
            errors = [(None, str(error))]
            locked = ""
        else:
            messages.success(request, context["removed_message"])
            return redirect(done)
    context = {
        **context,
        "tool": tool,
        "errors": errors,
        "locked": locked,
        "back_url": _detail_url(tool),
    }
    return render(request, REMOVE_TEMPLATE, context)


def section_remove(request: HttpRequest, section_pk: int) -> HttpResponse:
    section = _get_section(request, section_pk)
    questions = section.questions.count()
    return _remove_page(
        request,
        tool=section.tool,
        remove=lambda: services.section_remove(section=section),
        done=_detail_url(section.tool, "sections"),
        context={
            "heading": f"Are you sure you want to remove the section “{section.title}”?",
            "what": "section",
            "consequence": (
                f"Its {questions} question{'s' if questions != 1 else ''} will be removed too."
                if questions
                else ""
            ),
            "removed_message": f"Section “{section.title}” removed",
        },
    )


def question_remove(request: HttpRequest, question_pk: int) -> HttpResponse:
    question = _get_question(request, question_pk)
    section = question.section
    return _remove_page(
        request,
        tool=section.tool,
        remove=lambda: services.question_remove(question=question),
        done=_detail_url(section.tool, f"section-{section.pk}"),
        context={
            "heading": f"Are you sure you want to remove the question “{question.text}”?",
            "what": "question",
            "consequence": f"It will be removed from the section “{section.title}”.",
            "removed_message": "Question removed",
        },
    )


# Moving: up or down among its neighbours.


def _focus(index: int, count: int, up: bool) -> str:
    """Keep keyboard focus on the button pressed, or on the other one at either end."""
    if up:
        return "up" if index > 0 else "down"
    return "down" if index < count - 1 else "up"


def _moved(
    request: HttpRequest,
    tool: AuditTool,
    item: ToolSection | ToolQuestion,
    errors: Errors,
    up: bool,
) -> HttpResponse:
    context = _detail_context(request, tool, errors)
    is_section = isinstance(item, ToolSection)
    if is_section:
        siblings = context["sections"]
        what = "Section"
    else:
        section = next(s for s in context["sections"] if s.pk == item.section_id)
        siblings = list(section.questions.all())
        what = "Question"
    index, moved = next((i, s) for i, s in enumerate(siblings) if s.pk == item.pk)
    if not errors:
        moved.focus = _focus(index, len(siblings), up)
        context["status_message"] = (
            f"{what} moved {'up' if up else 'down'}. "
            f"It is now {what.lower()} {index + 1} of {len(siblings)}."
        )
    return render(request, "audits/tools/partials/sections_swap.html", context)


def _move(
    request: HttpRequest, tool: AuditTool, item: ToolSection | ToolQuestion, anchor: str
) -> HttpResponse:
    if refused := _not_post(request):
        return refused
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return redirect(_detail_url(tool, anchor))
    up = direction == "up"
    errors: Errors = []
    try:
        services.item_move(item=item, up=up)
    except ToolError as error:
        errors = [(None, str(error))]
        tool.refresh_from_db()
    if request.htmx:
        return _moved(request, tool, item, errors, up)
    if errors:
        return render(request, DETAIL_TEMPLATE, _detail_context(request, tool, errors))
    return redirect(_detail_url(tool, anchor))


def section_move(request: HttpRequest, section_pk: int) -> HttpResponse:
    section = _get_section(request, section_pk)
    return _move(request, section.tool, section, f"section-{section.pk}")


def question_move(request: HttpRequest, question_pk: int) -> HttpResponse:
    question = _get_question(request, question_pk)
    return _move(request, question.section.tool, question, f"question-{question.pk}")
