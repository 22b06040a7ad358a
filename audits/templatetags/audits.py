"""Display helpers for audit pages: `{% load audits %}`.

- `{{ mapping|get_item:key }}`: a dict lookup in a template.
- `{% answer_display question value %}`: an answer as a person reads it (the label of a
  grade or choice, a date written out, text with its line breaks).
"""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.template.defaultfilters import date as format_date
from django.template.defaultfilters import linebreaksbr
from django.utils.html import escape

from audits.models import ToolQuestion

register = template.Library()


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.simple_tag
def answer_display(question: ToolQuestion, value: str) -> str:
    if question.options:
        return escape(dict(question.options).get(value, value))
    if question.kind == ToolQuestion.Kind.DATE:
        try:
            return format_date(datetime.date.fromisoformat(value), "j F Y")
        except ValueError:
            return escape(value)
    return linebreaksbr(value, autoescape=True)
