"""Status tags: each model's GOV.UK tag colours are declared once, beside its statuses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar


class StatusTag:
    """Mixin for a model whose `status` shows as a GOV.UK tag: templates use
    `{% govuk_tag obj.get_status_display obj.status_colour %}`."""

    STATUS_COLOURS: ClassVar[Mapping[str, str]] = {}
    DEFAULT_COLOUR: ClassVar[str] = "grey"

    @property
    def status_colour(self) -> str:
        return self.STATUS_COLOURS.get(getattr(self, "status", ""), self.DEFAULT_COLOUR)
