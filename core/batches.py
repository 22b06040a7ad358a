"""Cutting a stream of rows into batches for bulk writes (itertools.batched arrives in
Python 3.12; this is it for 3.11, giving lists)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of `size` items in order, the last one shorter; reads `items` lazily."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
