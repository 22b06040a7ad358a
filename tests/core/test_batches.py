"""core.batches.batched: the one way bulk writes cut their rows into batches."""

from core.batches import batched


def test_batches_keep_order_and_the_last_is_shorter():
    assert list(batched(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]


def test_nothing_gives_no_batch_and_a_generator_is_read_lazily():
    assert list(batched([], 3)) == []
    read = []

    def rows():
        for n in range(5):
            read.append(n)
            yield n

    first = next(batched(rows(), 2))
    assert first == [0, 1]
    assert read == [0, 1]
