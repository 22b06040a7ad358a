"""Parts of a child's or adopter's record that other apps contribute.

`cases` imports no other app, so an app that has something to show on a record (final
audits, observations...) registers a panel here from its AppConfig.ready(). A panel is
a callable (request, subject, cases) -> (template name, context) or None to show nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string

Panel = Callable[[Any, Any, list], "tuple[str, dict[str, Any]] | None"]

RECORD_PANELS: list[Panel] = []


def register_record_panel(panel: Panel) -> Panel:
    if panel not in RECORD_PANELS:
        RECORD_PANELS.append(panel)
    return panel


def record_panels(request: Any, subject: Any, cases: list) -> list[str]:
    """Each registered panel rendered to HTML, in the order they registered."""
    shown = []
    for panel in RECORD_PANELS:
        rendered = panel(request, subject, cases)
        if rendered is not None:
            template, context = rendered
            shown.append(render_to_string(template, context, request=request))
    return shown
