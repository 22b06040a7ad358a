"""Values a view hands to a GOV.UK component instead of HTML: the templates render them,
so no view builds markup (and nothing typed by a person can reach a page unescaped)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    """A link, with an optional line of secondary text under it."""

    text: str
    href: str
    hint: str = ""


@dataclass(frozen=True)
class Tag:
    """A GOV.UK tag: its text and colour (a govuk-tag-- modifier, or "" for the default)."""

    text: str
    colour: str = ""
