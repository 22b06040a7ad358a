"""The one way an app plugs into the others: extension points it registers with, from its
AppConfig.ready().

Lower layers never import higher ones, so whatever a page or a job gathers from every
app (panels on a child's record, cards on the home page, navigation entries, reminder
sources, open actions, demo data) is registered here by the app that provides it, and read
from here by the page or job that shows it.

    from core import registry

    class ObservationsConfig(AppConfig):
        def ready(self) -> None:
            registry.record_panels.register(observations_panel)
            registry.navigation.register(NavEntry("Observations", "observations:list", ...))

Items keep their registration order (INSTALLED_APPS order), and registering the same item
twice keeps one.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class ExtensionPoint(Generic[T]):
    def __init__(self, name: str) -> None:
        self.name = name
        self._items: list[T] = []

    def register(self, item: T) -> T:
        """Add `item` (once); returns it, so a function can be registered as it is defined."""
        if item not in self._items:
            self._items.append(item)
        return item

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, item: object) -> bool:
        return item in self._items

    @contextlib.contextmanager
    def replaced(self, items: list[T]) -> Iterator[None]:
        """Tests: these items only, for the length of a `with` block."""
        kept = self._items
        self._items = list(items)
        try:
            yield
        finally:
            self._items = kept


@dataclass(frozen=True)
class HomeCard:
    """What a home-page card shows: a template and its context, and the cases whose
    children or adopters it names (the home page notes them in the access log)."""

    template: str
    context: dict[str, Any]
    cases: Sequence[Any] = field(default=())


@dataclass(frozen=True)
class ActionItem:
    """One open action, as every app's actions are listed together: what to do, where it
    comes from ("Audit: Practice review", "Practice observation"), whose it is, by when,
    and the page it is on. `cases`: the cases whose children or adopters the page that
    lists it names (through its source), for the access log."""

    title: str
    source: str
    owner: str
    due_on: datetime.date
    url: str
    cases: Sequence[Any] = field(default=())

    def is_overdue(self, today: datetime.date) -> bool:
        return self.due_on < today


@dataclass(frozen=True)
class LinkPurpose:
    """What a one-use family link (cases.FamilyLink) opens, registered by the app whose
    record the answers belong to: `form(link, data)` builds the form (unbound when `data`
    is None), `save(link, form)` stores a valid form's answers (inside the transaction that
    marks the link used), `template` renders it for the family (context: form, title,
    audience, organisation_name; never the record), `title(link)` is its heading in plain
    words, and `label` names it to staff."""

    key: str
    label: str
    form: Callable[[Any, Any], Any]
    save: Callable[[Any, Any], None]
    template: str
    title: Callable[[Any], str]


@dataclass(frozen=True)
class ImprovementItem:
    """One action raised anywhere (an audit finding, an observation, a complaint, a
    thematic review's findings, a data-quality theme...), as the improvement plan gathers
    it: `key` is stable and unique within its organisation ("audit-action:42"), `source`
    names the kind (the plan's source choices: "audit", "oversight", "moderation",
    "observation", "practice_event", "thematic", "complaint", "dispute", "data_quality"),
    `url` is the page it is on and `case_id` the case it is about (or None). `done_on` is
    when it was done where the source tracks that itself (`closes_in_source`); otherwise
    the plan keeps its status."""

    key: str
    source: str
    title: str
    url: str
    raised_on: datetime.date
    owner_id: int | None = None
    due_on: datetime.date | None = None
    done_on: datetime.date | None = None
    case_id: int | None = None
    closes_in_source: bool = True


def link_purpose(key: str) -> LinkPurpose | None:
    """The registered purpose called `key`, or None."""
    return next((purpose for purpose in link_purposes if purpose.key == key), None)


# A panel on a child's or adopter's record: (request, subject, cases) -> (template name,
# context) to render, or None to show nothing.
record_panels: ExtensionPoint[Any] = ExtensionPoint("record panels")
# A card on the home page ("my work"): (request, staff, today) -> HomeCard or None.
home_cards: ExtensionPoint[Any] = ExtensionPoint("home page cards")
# An entry in the header's navigation: core.navigation.NavEntry.
navigation: ExtensionPoint[Any] = ExtensionPoint("navigation")
# Work that earns reminders and escalations each night:
# (*, organisation_id, rules, day) -> Iterable[cases.notifications.Message].
reminder_sources: ExtensionPoint[Any] = ExtensionPoint("reminder and escalation sources")
# Open actions owned by the signed-in person, from one app (audit findings, observations...):
# (*, user) -> Iterable[ActionItem]. Pages list every source's together, soonest due first.
action_sources: ExtensionPoint[Any] = ExtensionPoint("open action sources")
# Actions raised in one app that the improvement plan gathers (governance):
# (*, organisation_id) -> Iterable[ImprovementItem], every item open or done.
improvement_sources: ExtensionPoint[Any] = ExtensionPoint("improvement plan sources")
# An app's demo data: (*, stdout, size) -> None, called by `load_demo` after the cases.
demo_loaders: ExtensionPoint[Any] = ExtensionPoint("demo data loaders")
# What one-use family links open (feedback, questionnaires, a practice review's family
# part): LinkPurpose, looked up by its key with `link_purpose`.
link_purposes: ExtensionPoint[LinkPurpose] = ExtensionPoint("one-use link purposes")
