"""The service navigation: each entry shows to those holding its permission.

Apps add their pages here as they arrive, so the header stays one list.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.urls import reverse


class NavEntry(NamedTuple):
    label: str
    url_name: str
    permission: str | None


NAVIGATION = (
    NavEntry("Home", "home", None),
    NavEntry("Cases", "cases:case_list", "cases.view_case_records"),
    NavEntry("Access log", "cases:access_log", "cases.view_accesslog"),
    NavEntry("My audits", "audits:my_audits", "audits.view_my_audits"),
    NavEntry("Audits", "audits:audit_list", "audits.view_audit_list"),
    NavEntry("Audit tools", "audits:tool_list", "audits.view_tools"),
    NavEntry("Escalations", "audits:escalation_list", "audits.view_escalations"),
    NavEntry("Thematic reviews", "audits:theme_list", "audits.view_themes"),
    NavEntry("QA rota", "audits:rota_list", "audits.view_rota"),
    NavEntry("Performance", "performance:indicator_list", "performance.view_indicators"),
)


def nav_items(request: Any) -> list[dict[str, Any]]:
    user = request.user
    items = []
    for entry in NAVIGATION:
        if entry.permission and not user.has_perm(entry.permission):
            continue
        url = reverse(entry.url_name)
        matches = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"label": entry.label, "url": url, "active": matches})
    # Only the longest matching entry is current (/audits/mine/ is not also /audits/).
    matching = [item for item in items if item["active"]]
    if len(matching) > 1:
        longest = max(matching, key=lambda item: len(item["url"]))
        for item in matching:
            item["active"] = item is longest
    return items
