"""What other apps add to the pages of `cases`: panels on a child's or adopter's record,
cards on the home page, and the open actions of every app on "My actions". `cases` imports
no other app: each app registers its panels, cards and action sources in core.registry
from its AppConfig.ready(), and these render them in order.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from core import registry


def record_panels(request: HttpRequest, subject: Any, cases: list) -> list[str]:
    """Each registered record panel rendered to HTML (those with something to show)."""
    shown = []
    for panel in registry.record_panels:
        rendered = panel(request, subject, cases)
        if rendered is not None:
            template, context = rendered
            shown.append(render_to_string(template, context, request=request))
    return shown


def home_cards(
    request: HttpRequest, staff: Any, today: datetime.date
) -> tuple[list[str], list[Any]]:
    """Each registered home card rendered to HTML, and the cases the cards name."""
    shown, cases = [], []
    for card_for in registry.home_cards:
        card = card_for(request=request, staff=staff, today=today)
        if card is not None:
            shown.append(render_to_string(card.template, card.context, request=request))
            cases.extend(card.cases)
    return shown, cases


def open_actions(request: HttpRequest) -> list[registry.ActionItem]:
    """The signed-in person's open actions from every registered source (audit findings,
    observations, ...), soonest due first."""
    items = [item for source in registry.action_sources for item in source(user=request.user)]
    return sorted(items, key=lambda item: (item.due_on, item.source, item.title))
