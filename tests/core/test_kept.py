"""core.kept: markup kept by a digest of what it shows, in this process, bounded."""

from __future__ import annotations

import datetime

from core.kept import Kept, digest


def test_the_same_key_renders_once_and_a_new_key_renders_again():
    kept = Kept[str](4)
    calls: list[str] = []

    def render(text: str):
        return lambda: calls.append(text) or f"<p>{text}</p>"

    assert kept.get("a", render("one")) == "<p>one</p>"
    assert kept.get("a", render("two")) == "<p>one</p>"
    assert kept.get("b", render("two")) == "<p>two</p>"
    assert calls == ["one", "two"]


def test_no_key_is_never_kept():
    kept = Kept[str](4)
    calls: list[int] = []
    for n in range(3):
        kept.get(None, lambda n=n: calls.append(n) or str(n))
    assert calls == [0, 1, 2]
    assert len(kept) == 0


def test_the_least_recently_read_copy_goes_first():
    kept = Kept[str](2)
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


# What a value shows: `described` and `key_of`.


def test_safe_text_and_plain_text_are_told_apart():
    from django.utils.safestring import mark_safe

    from core.kept import key_of

    assert key_of("<b>x</b>") != key_of(mark_safe("<b>x</b>"))
    assert key_of("x") == key_of("x")


def test_dataclasses_enums_and_dates_are_described_by_what_they_hold():
    from audits.figures import GradeCount, GradeDistribution
    from cases.grades import Grade
    from core.kept import key_of

    def distribution(count: int) -> GradeDistribution:
        return GradeDistribution(
            rows=[GradeCount(grade=Grade.GOOD, count=count, percent=100)], total=count
        )

    assert key_of(distribution(3)) == key_of(distribution(3))
    assert key_of(distribution(3)) != key_of(distribution(4))
    assert key_of(datetime.date(2026, 1, 1)) != key_of(datetime.date(2026, 2, 1))


def test_a_record_or_anything_else_gives_no_key(db):
    from core.kept import key_of
    from tests.factories import OrganisationFactory

    assert key_of(OrganisationFactory()) is None
    assert key_of([1, object()]) is None
    assert key_of({"rows": [lambda: 1]}) is None


def test_sets_are_described_by_their_members_in_any_order():
    from core.kept import key_of

    assert key_of(frozenset({"shift", "trend"})) == key_of(frozenset({"trend", "shift"}))
    assert key_of(frozenset({"shift"})) != key_of(frozenset({"trend"}))
    assert key_of(frozenset({"shift"})) != key_of(("shift",))


# `key_once`: the key of a value that never changes, worked out once for each object.


def test_key_once_is_the_values_key_worked_out_once_per_object(monkeypatch):
    import dataclasses

    from core import kept

    @dataclasses.dataclass(frozen=True)
    class Point:
        day: datetime.date
        value: float | None
        signals: frozenset[str]

    first = (Point(datetime.date(2026, 1, 1), 0.5, frozenset({"run"})),)
    same = (Point(datetime.date(2026, 1, 1), 0.5, frozenset({"run"})),)
    other = (Point(datetime.date(2026, 1, 1), 0.6, frozenset({"run"})),)
    once = kept._KeysOnce(2)
    worked_out: list[object] = []
    real_key_of = kept.key_of
    monkeypatch.setattr(kept, "key_of", lambda v: worked_out.append(v) or real_key_of(v))

    assert once(first) == real_key_of(first) == once(same)
    assert once(first) == real_key_of(first)
    assert worked_out == [first, same]  # the second read of `first` is the kept key
    assert once(other) != once(first)


def test_key_once_of_what_cannot_be_described_is_none():
    from core.kept import _KeysOnce

    once = _KeysOnce(4)
    assert once((object(),)) is None


def test_the_first_objects_go_first_and_an_object_is_held_while_its_key_is():
    from core.kept import _KeysOnce

    once = _KeysOnce(2)
    values = [("a",), ("b",), ("c",)]
    for value in values:
        once(value)
    assert len(once._keys) == 2
    assert [held for held, _ in once._keys._kept.values()] == values[1:]


def test_described_tells_an_enumeration_member_from_its_value():
    import enum

    from core.kept import key_of

    class Kind(enum.IntEnum):
        ONE = 1

    class Word(enum.StrEnum):
        ONE = "one"

    assert key_of(Kind.ONE) != key_of(1)
    assert key_of(Word.ONE) != key_of("one")
    assert key_of(True) != key_of(1)
    assert key_of(1.0) != key_of(1)
