"""Markup (or a worked-out figure) kept by what it shows: `Kept` holds rendered HTML, or
any value that never changes once made, under a digest of everything it depends on, in
this process only.

A page part that is the same on most views (a list's filter form, an SPC chart of a
month's figures) costs far more to render through templates than to describe. The caller
reads what the part shows (its values, choices, links, labels, the language) on every
request and passes it to `digest`; the same digest always means the same markup, so a
kept copy is never stale, and any change in what is shown is a new key. Copies stay in
the process, the last `size` of them, never in a shared cache: a part may hold what
someone typed.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.utils.functional import Promise
from django.utils.safestring import SafeData


def digest(*parts: Any) -> str:
    """A key for `parts`: each must have a `repr` that says all of what it is (strings,
    numbers, dates, tuples of them, frozen dataclasses of them)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


class Unknown(Exception):
    """A value whose markup its description may not fix."""


_PLAIN = (type(None), bool, int, float, decimal.Decimal, datetime.date, datetime.time)
_EXACT = frozenset(_PLAIN)


def described(value: Any) -> Any:
    """`value` as plain data that says all it shows: strings (marked safe or not),
    numbers, dates and times, enumeration members, lists, tuples, sets and dicts of them, and
    dataclasses of them (by their fields: a dataclass's properties must be worked out
    from its fields alone). Anything else (a model instance, a queryset, a function)
    raises Unknown: what it shows cannot be told from what it is."""
    kind = type(value)
    # The commonest first, by exact type (an enumeration member is never one of these).
    if kind in _EXACT:
        return value
    if kind is str:
        return ("text", value)
    return _described(value, kind)


def _described(value: Any, kind: type) -> Any:
    if isinstance(value, enum.Enum):
        return ("enum", kind.__qualname__, described(value.value))
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, str):
        # Safe text is drawn as it is, other text escaped: the same words, other markup.
        return ("safe" if isinstance(value, SafeData) else "text", str(value))
    if isinstance(value, Promise):
        return ("text", str(value))
    if isinstance(value, list | tuple):
        return (type(value).__name__, [described(item) for item in value])
    if isinstance(value, set | frozenset):
        return ("set", sorted((described(item) for item in value), key=repr))
    if isinstance(value, dict):
        return ("dict", [(described(k), described(v)) for k, v in value.items()])
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            f"{kind.__module__}.{kind.__qualname__}",
            [(name, described(getattr(value, name))) for name in _field_names(kind)],
        )
    raise Unknown(kind.__qualname__)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return names


def key_of(*parts: Any) -> str | None:
    """A digest of `parts` as `described` gives them, or None where one is Unknown."""
    try:
        return digest(*(described(part) for part in parts))
    except Unknown:
        return None


T = TypeVar("T")


class Kept(Generic[T]):
    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[str, T] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._kept)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def get(self, key: str | None, render: Callable[[], T]) -> T:
        """The markup kept under `key`, or `render()`'s, kept. A key of None (what the
        markup depends on cannot be known) renders every time."""
        if key is not None:
            kept = self.find(key)
            if kept is not None:
                return kept
        rendered = render()
        if key is not None:
            self.keep(key, rendered)
        return rendered

    def find(self, key: str) -> T | None:
        """What is kept under `key` (now the most recently used), or None."""
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
            return kept

    def keep(self, key: str, value: T) -> None:
        """Keep `value` under `key`, the oldest going first once `size` are kept."""
        with self._lock:
            self._kept[key] = value
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)


class _KeysOnce:
    """`key_of(value)` for values that never change once made (a frozen dataclass of
    tuples, numbers, strings and dates, such as a kept chart), worked out once for each
    object: the same object comes back from a `Kept` on every view. Kept by the object's
    id with the object itself, so the id cannot be taken by another while it is kept."""

    def __init__(self, size: int) -> None:
        self._keys: Kept[tuple[Any, str | None]] = Kept(size)

    def __call__(self, value: Any) -> str | None:
        return self._keys.get(str(id(value)), lambda: (value, key_of(value)))[1]


key_once = _KeysOnce(512)
