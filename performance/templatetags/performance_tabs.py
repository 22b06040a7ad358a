"""The sub navigation shared by every performance page: ``{% performance_tabs %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

register = template.Library()

# (label, url name, permission): each shows to those holding its permission.
TABS = (
    ("Indicators", "performance:indicator_list", "performance.view_indicators"),
    ("Targets and benchmarks", "performance:targets", "performance.view_indicators"),
    ("Focused audits", "performance:proposals", "performance.view_indicators"),
    ("Data quality", "performance:quality_dashboard", "performance.view_data_quality"),
    ("Imports", "performance:import_list", "performance.view_import_runs"),
)


@register.inclusion_tag("components/sub_navigation.html", takes_context=True)
def performance_tabs(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    items = []
    for label, url_name, permission in TABS:
        if not request.user.has_perm(permission):
            continue
        url = reverse(url_name)
        items.append({"label": label, "url": url, "active": request.path.startswith(url)})
    # Only the longest matching tab is current (/performance/ contains every other tab).
    matching = [item for item in items if item["active"]]
    for item in matching:
        item["active"] = item is max(matching, key=lambda i: len(i["url"]))
    return {"items": items, "label": "Performance"}
