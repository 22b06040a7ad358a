"""The header's navigation, built from the entries each app registers
(core.registry.navigation), in groups so the header stays on one line.

A group shows in the header as one link, to the first of its pages the person may open;
on any page of the group, a sub navigation lists the group's pages.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from core import registry


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: str | None = None
    # The header group it belongs to (its label); entries of one group sit together.
    group: str = ""
    order: int = 100


@functools.lru_cache(maxsize=256)
def _url(url_name: str, prefix: str, urlconf: str) -> str:
    """An entry's address: the same for every request under one prefix and URL map, so
    worked out once, not for each of some 30 entries on every page."""
    return reverse(url_name, urlconf=urlconf)


def _matches(path: str, url: str) -> bool:
    return path == url if url == "/" else path.startswith(url)


def navigation_for(request: Any) -> dict[str, Any]:
    """{"items": header links, "sub_items": the current group's pages (or [])}."""
    user = request.user
    entries = sorted(
        (e for e in registry.navigation if not e.permission or user.has_perm(e.permission)),
        key=lambda e: e.order,
    )
    prefix, urlconf = get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    pages = [{"entry": e, "url": _url(e.url_name, prefix, urlconf)} for e in entries]
    # The current page is the longest matching URL (/audits/mine/ is not also /audits/).
    current = max(
        (p for p in pages if _matches(request.path, p["url"])),
        key=lambda p: len(p["url"]),
        default=None,
    )
    groups: dict[str, list[dict[str, Any]]] = {}
    for page in pages:
        groups.setdefault(page["entry"].group or page["entry"].label, []).append(page)
    items, sub_items = [], []
    for label, members in groups.items():
        active = current is not None and current in members
        items.append(
            {
                "label": label,
                "url": members[0]["url"],
                "active": active,
                # "page" when the header link is this very page, else it marks the section.
                "page": active and current is members[0],
            }
        )
        if active and len(members) > 1:
            sub_items = [
                {"label": p["entry"].label, "url": p["url"], "active": p is current}
                for p in members
            ]
    return {"items": items, "sub_items": sub_items, "sub_label": _label_of(current)}


def _label_of(page: dict[str, Any] | None) -> str:
    if page is None:
        return ""
    return page["entry"].group or page["entry"].label
