"""``{% kept "template.html" name=value ... %}``: a partial rendered from the values given
and nothing else of the page, kept by what they are (`core.kept`).

For the figures of a page (tables and charts of counts by month, grade or rule), which
cost more to render through templates than to describe, and are the same on most views.
The values must be plain data (`core.kept.described`: text, numbers, dates, lists and
dataclasses of them); the partial sees only them, never the request. Where a value is
anything else the partial is rendered afresh each time, exactly as it would be kept.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.kept import Kept, key_of

register = template.Library()

KEPT = 256
_kept: Kept[str] = Kept(KEPT)


@register.simple_tag
def kept(template_name: str, **values: Any) -> SafeString:
    key = key_of(template_name, get_language(), sorted(values.items()))
    return mark_safe(_kept.get(key, lambda: get_template(template_name).render(values)))
