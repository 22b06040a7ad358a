"""Display helpers for audit pages: `{% load audits %}`.

- `{{ mapping|get_item:key }}`: a dict lookup in a template.
- `{% answer_display question value %}`: an answer as a person reads it (the label of a
  grade or choice, a date written out, text with its line breaks).
- `{% audit_subject_link audit %}`: the audited child or adopter household (or the
  supervisee), linking to the audit, for each row of the audit lists: a tag, not an
  include per row, which cost a list page about 1.5 ms.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.template.defaultfilters import date as format_date
from django.template.defaultfilters import linebreaksbr
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

from audits.models import Audit, ToolQuestion

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


@register.simple_tag
def audit_subject_link(audit: Audit) -> SafeString:
    if audit.supervisee_id:
        name = audit.supervisee.display_name
        start, end = (format_date(day, "M Y") for day in (audit.period_start, audit.period_end))
        detail = f"Supervision {start} to {end}"
    elif audit.case.child_id:
        name, detail = audit.case.child.full_name, f"Child {audit.case.child.reference}"
    else:
        adopter = audit.case.adopter
        name, detail = adopter.household_name, f"Adopters {adopter.reference}"
    # "Case file audit", not "Case file audit audit", for a tool whose name says it.
    tool = audit.tool.name
    what = tool if tool.lower().endswith(" audit") else f"{tool} audit"
    return format_html(
        '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden">: {}'
        '</span></a>\n<span class="app-secondary-text">{}</span>',
        audit.get_absolute_url(),
        name,
        what,
        detail,
    )
