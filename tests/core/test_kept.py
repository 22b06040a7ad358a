"""core.kept: markup kept by a digest of what it shows, in this process, bounded."""

from __future__ import annotations

import datetime

from core.kept import KeptMarkup, digest


def test_the_same_key_renders_once_and_a_new_key_renders_again():
    kept = KeptMarkup(4)
    calls: list[str] = []

    def render(text: str):
        return lambda: calls.append(text) or f"<p>{text}</p>"

    assert kept.get("a", render("one")) == "<p>one</p>"
    assert kept.get("a", render("two")) == "<p>one</p>"
    assert kept.get("b", render("two")) == "<p>two</p>"
    assert calls == ["one", "two"]


def test_no_key_is_never_kept():
    kept = KeptMarkup(4)
    calls: list[int] = []
    for n in range(3):
        kept.get(None, lambda n=n: calls.append(n) or str(n))
    assert calls == [0, 1, 2]
    assert len(kept) == 0


def test_the_least_recently_read_copy_goes_first():
    kept = KeptMarkup(2)
    kept.get("a", lambda: "A")
    kept.get("b", lambda: "B")
    kept.get("a", lambda: "not read")
    kept.get("c", lambda: "C")
    assert len(kept) == 2
    assert kept.get("a", lambda: "again") == "A"
    assert kept.get("b", lambda: "B again") == "B again"


def test_digest_tells_apart_what_repr_tells_apart():
    day = datetime.date(2026, 1, 1)
    assert digest("a", 1, day) == digest("a", 1, day)
    assert digest("a", 1, day) != digest("a", "1", day)
    assert digest(("a", "b")) != digest("a", "b")
