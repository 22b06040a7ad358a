"""What every filtered, sorted, paginated list page shares (cases, audits, and later
lists): stable ordering, the filter form's helper, and the MOJ "selected filters" tags."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import Expression, QuerySet
from django.utils.formats import date_format

from core.forms import gds_helper

# Query parameters that are not filters: dropped from "remove this filter" links.
NOT_FILTERS = ("page",)


def stable_order(queryset: QuerySet) -> QuerySet:
    """Add the primary key to the ordering so pages never overlap or skip rows."""
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    return queryset.order_by(*ordering, "pk")


class ExpressionOrderingFilter(django_filters.OrderingFilter):
    """A list's column sort. A column that sorts by a computed value (a name from one of
    two tables, a rank) names its expressions in `expressions`: they go into ORDER BY
    alone, never annotated onto the rows, so the list's count (the pages) leaves out the
    joins they need."""

    def __init__(
        self, *args: Any, expressions: dict[str, tuple[Expression, ...]], **kwargs: Any
    ) -> None:
        self.expressions = expressions
        super().__init__(*args, **kwargs)

    def get_ordering_value(self, param: str) -> Any:
        descending = param.startswith("-")
        found = self.expressions.get(param.lstrip("-"))
        if found is None:
            return super().get_ordering_value(param)
        return [e.desc() if descending else e.asc() for e in found]

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        # "?sort=," arrives as empty names: no sort asked for, the list's own order.
        params = [param for param in value or () if param]
        if not params:
            return qs
        ordering: list[Any] = []
        for param in params:
            found = self.get_ordering_value(param)
            ordering.extend(found if isinstance(found, list) else [found])
        return qs.order_by(*ordering)


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
