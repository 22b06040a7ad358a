"""What every filtered, sorted, paginated list page shares (cases, audits, and later
lists): stable ordering, the filter form's helper, and the MOJ "selected filters" tags."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.formats import date_format

from core.forms import gds_helper

# Query parameters that are not filters: dropped from "remove this filter" links.
NOT_FILTERS = ("page",)


def stable_order(queryset: QuerySet) -> QuerySet:
    """Add the primary key to the ordering so pages never overlap or skip rows."""
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    return queryset.order_by(*ordering, "pk")


def filter_form_helper(filterset: Any) -> Any:
    """The filter form renders inside the page's own <form>, with no CSRF token (GET)."""
    filterset.form.helper = gds_helper()
    return filterset


def _shown(value: Any, field: Any) -> str:
    if value is True:
        return "Yes"
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if hasattr(field, "choices") and not hasattr(value, "pk"):
        return str(dict(field.choices).get(value, value))
    return str(value)


def selected_filters(filterset: Any) -> list[dict[str, str]]:
    """Applied filters as (label, value, link that removes it) for the MOJ filter panel.
    Valid filters are listed even when another value was refused."""
    if not filterset.is_bound:
        return []
    filterset.form.is_valid()
    chosen = []
    for name, value in filterset.form.cleaned_data.items():
        if name == "sort" or value in (None, "", [], False):
            continue
        field = filterset.form.fields[name]
        params = filterset.data.copy()
        params.pop(name, None)
        for key in NOT_FILTERS:
            params.pop(key, None)
        chosen.append(
            {"label": str(field.label), "value": _shown(value, field), "remove": params.urlencode()}
        )
    return chosen
