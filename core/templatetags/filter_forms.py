"""``{% filter_form form %}``: a list page's filter form, rendered through crispy-forms-gds
as ``{% crispy form %}`` would, and kept by what it shows.

A filter form is the same few selects and boxes on every view of a list, and rendering
it through crispy-forms-gds's templates was a third of a list page's time. The markup
depends only on the form: each field's name, label, hint, widget and its attributes, the
value given, the choices offered and any error, and the helper's settings. Those, read
from the form on every request (the choices from the database, as the render would),
make the key; the same key always means the same markup, so a kept copy is never stale.
Copies are kept in this process only (`core.kept`), the last `KEPT` of them, never in a
shared cache: a search box can hold what someone typed.

A form whose helper has a layout of its own renders afresh every time.
"""

from __future__ import annotations

from typing import Any

from crispy_forms.utils import render_crispy_form
from django import template
from django.forms.widgets import ChoiceWidget
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.kept import Kept, digest

register = template.Library()

KEPT = 256
_kept: Kept[str] = Kept(KEPT)


def _choices(field: Any) -> tuple[Any, ...]:
    """The choices the widget shows (none for a box the name is typed into, whatever
    the field accepts)."""
    choices = getattr(field, "choices", None)
    if choices is None or not isinstance(field.widget, ChoiceWidget):
        return ()
    # Read once: the widget renders from this list, where a model choice field would
    # query again (and list() would count them first, in a query of its own).
    choices = [choice for choice in choices]
    field.widget.choices = choices
    return tuple((str(value), str(label)) for value, label in choices)


def form_key(form: Any) -> str | None:
    """What the form's markup depends on, as a digest; None when it cannot be known."""
    helper = getattr(form, "helper", None)
    if helper is not None and helper.layout is not None:
        return None
    parts: list[Any] = [
        type(form).__module__,
        type(form).__qualname__,
        get_language(),
        form.is_bound,
        form.prefix,
        sorted((k, repr(v)) for k, v in vars(helper).items()) if helper is not None else None,
        [str(e) for e in form.non_field_errors()] if form.is_bound else [],
    ]
    for bound in form:
        field = bound.field
        widget = field.widget
        parts.append(
            (
                bound.name,
                bound.html_name,
                bound.auto_id,
                str(bound.label),
                str(bound.help_text),
                type(widget).__module__,
                type(widget).__qualname__,
                getattr(widget, "input_type", None),
                sorted((k, repr(v)) for k, v in widget.attrs.items()),
                field.required,
                field.disabled,
                repr(bound.value()),
                _choices(field),
                [str(e) for e in bound.errors],
            )
        )
    return digest(*parts)


@register.simple_tag
def filter_form(form: Any) -> SafeString:
    """The form as ``{% crispy form %}`` renders it, from the page's context nothing: the
    markup is the form's alone."""
    return mark_safe(
        _kept.get(form_key(form), lambda: render_crispy_form(form, getattr(form, "helper", None)))
    )
