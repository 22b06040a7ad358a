"""GOV.UK and MOJ Design System components as template tags.

Load with ``{% load govuk %}``. Each component is one template in
``templates/components/``; the tags here only shape their arguments. The two that a
table repeats on every row, the tag and the sortable header, build their few elements
with ``format_html`` instead (the same markup, escaped the same way, without a template
render per cell).

Query strings
    ``{% query_replace request key value %}``
        The current query string (no leading ``?``) with ``key`` set to ``value``,
        or removed when ``value`` is None or "". ``page`` is dropped unless ``key``
        is ``page``. Use as ``href="?{% query_replace request 'status' 'open' %}"``.

GOV.UK components
    ``{% summary_list rows classes="" %}``
        ``rows``: iterable of ``(key, value)`` or ``(key, value, (url, text))``; the
        third item adds a "Change"-style link whose hidden text is the key. A value may
        be safe HTML. None, "" and empty lists show "Not recorded"; True/False show
        "Yes"/"No".
    ``{% govuk_tag text colour=None classes="" %}``
        ``colour``: grey, green, turquoise, blue, light-blue, purple, pink, red,
        orange or yellow ("light_blue" also works); anything else gives the default tag.
    ``{% pagination page_obj request %}``
        GOV.UK pagination for a Django ``Page``: previous, numbered pages with ellipses,
        next. Keeps the other GET parameters. Renders nothing for a single page.
    ``{% sortable_th label field request current_sort classes="" %}``
        A ``<th scope="col" aria-sort=...>`` holding a link that sorts by ``field``
        (``?sort=field``, or ``?sort=-field`` when already ascending), keeping the other
        GET parameters and dropping ``page``. ``current_sort`` is the active sort
        string, e.g. ``"-opened_on"``.
    ``{% govuk_back_link url text="Back" %}``
    ``{% govuk_inset text %}``  (``text`` may be safe HTML)
    ``{% govuk_details summary open=False %}...{% endgovuk_details %}``
    ``{% govuk_error_summary errors title="There is a problem" %}``
        ``errors``: iterable of ``(href, message)``, e.g. ``("#id_name", "Enter a name")``.
    ``{% govuk_time value format="j M Y" %}``
        ``<time datetime="2026-12-07">7 Dec 2026</time>``: a date, or an aware datetime's
        local day; nothing for None. Each day's markup is worked out once per format and
        language.
    ``{% govuk_service_name %}``
        ``settings.SERVICE_NAME``; for pages rendered without context processors (500).

MOJ components
    ``{% moj_sub_navigation items label="Secondary navigation" %}``
        ``items``: iterable of dicts ``{"label", "url", "active"}``.
    ``{% moj_timeline items heading_level=2 %}``
        ``items``: iterable of dicts ``{"id", "title", "byline", "date", "description",
        "tags"}``; ``date`` is a date or datetime, ``description`` safe HTML or plain text
        (line breaks kept), ``tags`` a list of ``(text, colour)``. Optional keys may be
        missing.

Helpers
    ``{% auth_form_errors form as errors %}``
        GOV.UK wording for Django's ``AuthenticationForm`` errors: a dict with
        ``summary`` (list of ``(href, message)``), ``username`` and ``password``
        (the message to show on each field, or None).
    ``{{ timedelta|duration_words }}``
        ``timedelta(minutes=30)`` -> ``"30 minutes"``; ``timedelta(hours=1, minutes=5)``
        -> ``"1 hour 5 minutes"``.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.conf import settings
from django.template.defaultfilters import linebreaks_filter
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeData, SafeString
from django.utils.timezone import is_aware, localtime
from django.utils.translation import get_language

from core.components import Link, Tag

register = template.Library()

TAG_COLOURS = frozenset(
    {
        "grey",
        "green",
        "turquoise",
        "blue",
        "light-blue",
        "purple",
        "pink",
        "red",
        "orange",
        "yellow",
    }
)

EMPTY_VALUE = "Not recorded"


def _query_string(request: Any, key: str, value: Any) -> str:
    params = request.GET.copy()
    if key != "page":
        params.pop("page", None)
    if value is None or value == "":
        params.pop(key, None)
    else:
        params[key] = str(value)
    return params.urlencode()


@register.simple_tag
def query_replace(request: Any, key: str, value: Any) -> str:
    return _query_string(request, key, value)


def _tag_colour(colour: str | None) -> str:
    if not colour:
        return ""
    colour = str(colour).strip().lower().replace("_", "-").replace(" ", "-")
    return colour if colour in TAG_COLOURS else ""


@register.simple_tag
def govuk_tag(text: Any, colour: str | None = None, classes: str = "") -> str:
    """As components/tag.html (which includes use)."""
    colour = _tag_colour(colour)
    css = (
        "govuk-tag"
        + (f" govuk-tag--{colour}" if colour else "")
        + (f" {classes}" if classes else "")
    )
    return format_html('<strong class="{}">{}</strong>', css, text)


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set | frozenset):
        return not value
    return False


def _display_value(value: Any) -> Any:
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return value


@register.inclusion_tag("components/summary_list.html")
def summary_list(rows: Iterable[Any], classes: str = "") -> dict[str, Any]:
    shaped = []
    for key, value, *rest in rows:
        action = None
        if rest and rest[0]:
            url, text = rest[0]
            action = {"url": url, "text": text}
        shaped.append(
            {
                "key": key,
                "value": EMPTY_VALUE if _is_empty(value) else _display_value(value),
                "empty": _is_empty(value),
                "link": value if isinstance(value, Link) else None,
                "tag": value if isinstance(value, Tag) else None,
                "action": action,
            }
        )
    any_actions = any(row["action"] for row in shaped)
    return {"rows": shaped, "any_actions": any_actions, "classes": classes}


@register.inclusion_tag("components/pagination.html")
def pagination(page_obj: Any, request: Any) -> dict[str, Any]:
    paginator = page_obj.paginator
    if paginator.num_pages <= 1:
        return {"show": False}
    items: list[dict[str, Any]] = []
    for number in paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1):
        if number == paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append(
                {
                    "number": number,
                    "href": "?" + _query_string(request, "page", number),
                    "current": number == page_obj.number,
                }
            )
    previous_href = next_href = None
    if page_obj.has_previous():
        previous_href = "?" + _query_string(request, "page", page_obj.previous_page_number())
    if page_obj.has_next():
        next_href = "?" + _query_string(request, "page", page_obj.next_page_number())
    return {
        "show": True,
        "items": items,
        "previous_href": previous_href,
        "next_href": next_href,
    }


@register.simple_tag
def sortable_th(
    label: Any, field: str, request: Any, current_sort: str | None, classes: str = ""
) -> str:
    """A server-side sortable column header (looks like the MOJ sortable table)."""
    current_sort = current_sort or ""
    if current_sort == field:
        aria_sort, target = "ascending", f"-{field}"
    elif current_sort == f"-{field}":
        aria_sort, target = "descending", field
    else:
        aria_sort, target = "none", field
    return format_html(
        '<th scope="col" class="govuk-table__header app-sortable-header{}" aria-sort="{}">'
        '<a class="app-sortable-header__link" href="{}">{}</a></th>',
        f" {classes}" if classes else "",
        aria_sort,
        "?" + _query_string(request, "sort", target),
        label,
    )


@register.inclusion_tag("components/sub_navigation.html")
def moj_sub_navigation(
    items: Iterable[Mapping[str, Any]], label: str = "Secondary navigation"
) -> dict[str, Any]:
    return {"items": list(items), "label": label}


def _govuk_time(value: datetime.datetime) -> str:
    # GOV.UK style is "3:05pm"; Django's "a" format gives "p.m.".
    suffix = "am" if value.hour < 12 else "pm"
    return f"{value.hour % 12 or 12}:{value.minute:02d}{suffix}"


def _timeline_date(value: Any) -> dict[str, str] | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if is_aware(value):
            value = localtime(value)
        return {
            "iso": value.isoformat(timespec="minutes"),
            "text": f"{date_format(value, 'j F Y')} at {_govuk_time(value)}",
        }
    if isinstance(value, datetime.date):
        return {"iso": value.isoformat(), "text": date_format(value, "j F Y")}
    return {"iso": str(value), "text": str(value)}


def _timeline_description(value: Any) -> Any:
    if value is None or value == "":
        return ""
    if isinstance(value, SafeData):
        return value
    return linebreaks_filter(value, autoescape=True)


@register.inclusion_tag("components/timeline.html")
def moj_timeline(items: Iterable[Mapping[str, Any]], heading_level: int = 2) -> dict[str, Any]:
    shaped = []
    for item in items:
        shaped.append(
            {
                "id": item.get("id"),
                "title": item.get("title", ""),
                "byline": item.get("byline"),
                "date": _timeline_date(item.get("date")),
                "description": _timeline_description(item.get("description")),
                "tags": [
                    {"text": text, "colour": _tag_colour(colour)}
                    for text, colour in item.get("tags") or ()
                ],
            }
        )
    return {"items": shaped, "heading_level": int(heading_level)}


@register.inclusion_tag("components/back_link.html")
def govuk_back_link(url: str, text: str = "Back") -> dict[str, Any]:
    return {"url": url, "text": text}


@register.inclusion_tag("components/inset.html")
def govuk_inset(text: Any) -> dict[str, Any]:
    return {"text": text}


@register.inclusion_tag("components/error_summary.html")
def govuk_error_summary(
    errors: Iterable[tuple[str, Any]], title: str = "There is a problem"
) -> dict[str, Any]:
    return {"errors": [{"href": href, "text": text} for href, text in errors], "title": title}


@register.simple_tag
def govuk_service_name() -> str:
    return getattr(settings, "SERVICE_NAME", "Quality assurance")


class DetailsNode(template.Node):
    def __init__(
        self,
        summary: template.base.FilterExpression,
        is_open: template.base.FilterExpression | None,
        nodelist: template.NodeList,
    ) -> None:
        self.summary = summary
        self.is_open = is_open
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        # A tag's node always renders inside a template, so there is one.
        assert context.template is not None
        component = context.template.engine.get_template("components/details.html")
        values = {
            "summary": self.summary.resolve(context),
            "open": bool(self.is_open.resolve(context)) if self.is_open else False,
            "body": self.nodelist.render(context),
        }
        with context.push(**values):
            return component.render(context)


@register.tag("govuk_details")
def govuk_details(parser: template.base.Parser, token: template.base.Token) -> DetailsNode:
    """``{% govuk_details summary [open=expr] %}...{% endgovuk_details %}``."""
    bits = token.split_contents()
    if len(bits) not in (2, 3):
        raise template.TemplateSyntaxError(
            "govuk_details takes a summary and an optional open=<expression>"
        )
    summary = parser.compile_filter(bits[1])
    is_open = None
    if len(bits) == 3:
        name, _, expression = bits[2].partition("=")
        if name != "open" or not expression:
            raise template.TemplateSyntaxError("govuk_details: the only option is open=...")
        is_open = parser.compile_filter(expression)
    nodelist = parser.parse(("endgovuk_details",))
    parser.delete_first_token()
    return DetailsNode(summary, is_open, nodelist)


AUTH_MESSAGES = {
    ("username", "required"): "Enter your username",
    ("password", "required"): "Enter your password",
    ("__all__", "invalid_login"): "Enter a correct username and password",
    ("__all__", "inactive"): "Your account is not active. Ask your QA team to reactivate it",
}


@register.simple_tag
def auth_form_errors(form: Any) -> dict[str, Any]:
    fields: dict[str, str | None] = {"username": None, "password": None}
    for name, errors in form.errors.as_data().items():
        for error in errors:
            message = AUTH_MESSAGES.get((name, error.code))
            if message is None:
                message = " ".join(str(text) for text in error.messages)
            # A failed sign-in belongs to neither field alone; show it on the first.
            target = "username" if name == "__all__" else name
            if target in fields and fields[target] is None:
                fields[target] = message
    summary = [
        (f"#{form[name].id_for_label}", message) for name, message in fields.items() if message
    ]
    return {"summary": summary, **fields}


@functools.lru_cache(maxsize=2048)
def _time_element(day: datetime.date, format: str, language: str | None) -> SafeString:
    return format_html('<time datetime="{}">{}</time>', day.isoformat(), date_format(day, format))


@register.simple_tag
def govuk_time(value: datetime.date | None, format: str = "j M Y") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = (localtime(value) if is_aware(value) else value).date()
    return _time_element(value, format, get_language())


@register.filter
def duration_words(value: datetime.timedelta | None) -> str:
    if not value:
        return ""
    minutes = max(1, round(value.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


BAR_CHART_ROW_HEIGHT = 56
# Bars take up to this share of the width; the rest is for the label at the bar's end.
BAR_CHART_BAR_SPACE = 70


@register.inclusion_tag("components/bar_chart.html")
def bar_chart(
    title: str,
    description: str,
    rows: Iterable[tuple[Any, int | float, Any]],
    max_value: int | float | None = None,
    chart_id: str = "",
) -> dict[str, Any]:
    """``{% bar_chart title description rows max_value=None chart_id="" %}``

    A horizontal bar chart as inline SVG (no JavaScript). ``rows``: iterable of
    ``(label, value, value_label)``; each row shows its label above a bar whose length is
    ``value`` out of ``max_value`` (default: the largest value), with ``value_label``
    written at the bar's end. Screen readers get ``title`` and ``description`` followed
    by every label and value label. Always give the same figures in a table as well.
    """
    # Imported here so this tag stays a self-contained addition to the module.
    from django.utils.text import slugify

    rows = list(rows)
    values = [float(value or 0) for _, value, _ in rows]
    scale = float(max_value) if max_value else max(values, default=0.0)
    chart_id = chart_id or "chart-" + slugify(title)
    shaped = []
    for index, ((label, _, value_label), value) in enumerate(zip(rows, values, strict=True)):
        share = min(max(value / scale, 0.0), 1.0) if scale else 0.0
        width = round(share * BAR_CHART_BAR_SPACE, 2)
        top = index * BAR_CHART_ROW_HEIGHT
        shaped.append(
            {
                "label": label,
                "value_label": value_label,
                "label_y": top + 18,
                "bar_y": top + 26,
                "text_y": top + 43,
                "width": width,
                "text_x": round(width + 1.5, 2),
            }
        )
    spoken = "; ".join(f"{row['label']}: {row['value_label']}" for row in shaped)
    return {
        "id": chart_id,
        "title": title,
        "description": f"{description} {spoken}." if spoken else description,
        "rows": shaped,
        "height": len(shaped) * BAR_CHART_ROW_HEIGHT + 6,
    }
