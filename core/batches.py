"""Cutting a stream of rows into batches for bulk writes (itertools.batched arrives in
Python 3.12; this is it for 3.11, giving lists), and reading a queryset's rows a batch
at a time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

T = TypeVar("T")
M = TypeVar("M", bound="Model")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of `size` items in order, the last one shorter; reads `items` lazily."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def in_batches(queryset: QuerySet[M], size: int = 500) -> Iterator[M]:
    """Every row of `queryset`, read `size` at a time in primary key order (memory stays
    bounded however many rows match)."""
    last_pk = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_pk).order_by("pk")[:size])
        yield from batch
        if len(batch) < size:
            return
        last_pk = batch[-1].pk
