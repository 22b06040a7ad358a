"""The form renderer (settings.FORM_RENDERER): Django's own, with its commonest widget
templates written out in Python.

Django renders a select by including a template for each option and another for each
option's attributes; a filter form of a few selects and inputs took several milliseconds
of every list page that way. These functions produce the same markup as Django's
templates (`tests/core/test_form_renderer.py` renders every widget both ways and compares
them), escaping each value as the template would. Any other template, or a widget whose
option template is not Django's, goes through the templates as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _attrs(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html"""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(parts)


def _input(widget: Mapping[str, Any]) -> str:
    """django/forms/widgets/input.html"""
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>\n'
    )


def _option(option: Mapping[str, Any]) -> str:
    """django/forms/widgets/select_option.html"""
    return (
        f'<option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>\n"
    )


def _select(widget: Mapping[str, Any]) -> str | None:
    """django/forms/widgets/select.html, or None for options of another template."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION_TEMPLATE:
                return None
            parts.append(f"\n  {_option(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _textarea(widget: Mapping[str, Any]) -> str:
    """django/forms/widgets/textarea.html"""
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    name = conditional_escape(widget["name"])
    return f'<textarea name="{name}"{_attrs(widget["attrs"])}>\n{value}</textarea>\n'


WRITTEN_OUT: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/input.html": _input,
    "django/forms/widgets/textarea.html": _textarea,
    # The templates that only include input.html (the renderer strips what surrounds it).
    **{
        f"django/forms/widgets/{kind}.html": _input
        for kind in ("text", "hidden", "number", "email", "search", "url", "password", "date")
    },
}


class FormRenderer(DjangoTemplates):
    def render(
        self, template_name: str, context: dict[str, Any], request: Any = None
    ) -> SafeString:
        write = WRITTEN_OUT.get(template_name)
        if write is not None and "widget" in context:
            written = write(context["widget"])
            if written is not None:
                # As Django's renderer does with a template's output.
                return mark_safe(written.strip())
        return mark_safe(super().render(template_name, context, request))
