"""The rollup's stored histograms (domain/histogram.py) give the nearest-rank percentiles and
the "at most T" counts of the values they were made from, for any union of them."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from desk_app.domain import histogram as h
from desk_app.domain.statistics import nearest_rank


@pytest.mark.parametrize("seed", range(40))
def test_percentiles_of_a_union_are_those_of_the_values(seed):
    rng = random.Random(seed)
    parts = [
        [int(rng.expovariate(1 / rng.choice([5, 300, 3000]))) for _ in range(rng.randint(0, 60))]
        for _ in range(rng.randint(1, 6))
    ]
    blobs = [h.encode(Counter(p)) for p in parts]
    values = sorted(v for p in parts for v in p)
    target = rng.choice([0, 59, 60, 1200, 1230, 10**6])
    got = h.read(blobs, (1, 50, 90, 95, 100), at_most=target)
    assert got.n == len(values)
    assert got.percentiles == {p: nearest_rank(values, p) for p in (1, 50, 90, 95, 100)}
    assert got.at_most == sum(1 for v in values if v <= target)
    merged = h.merge(blobs)
    assert (h.decode(merged) if merged else {}) == dict(Counter(values))


def test_the_worked_example_of_the_docs():
    blob = h.encode(Counter([60, 120, 300, 900]))
    got = h.read([blob, None], (50, 90), at_most=300)
    assert (got.percentiles, got.at_most) == ({50: 120, 90: 900}, 3)
    assert h.read([], (50,)).percentiles == {50: None}


@pytest.mark.parametrize("seed", range(10))
def test_a_union_with_a_stray_huge_value_is_read_exactly(seed):
    # A value past the dense array's limit (a clock put right by years) takes the sorted path.
    rng = random.Random(seed)
    parts = [[rng.randint(0, 4000) for _ in range(rng.randint(1, 40))] for _ in range(4)]
    parts[rng.randrange(4)].append(h._DENSE_LIMIT + rng.randint(0, 10**9))
    blobs = [h.encode(Counter(p)) for p in parts]
    values = sorted(v for p in parts for v in p)
    for target in (0, 2000, h._DENSE_LIMIT + 10**9):
        got = h.read(blobs, (1, 50, 99, 100), at_most=target)
        assert got.percentiles == {p: nearest_rank(values, p) for p in (1, 50, 99, 100)}
        assert got.at_most == sum(1 for v in values if v <= target)
    assert h.decode(h.merge(blobs)) == dict(Counter(values))
    assert h.merge(blobs) == h.encode(Counter(values))


def _first_layout(counts: Counter) -> bytes:
    # The rows rolled up before the compact layout: 32-bit words, a bucket header first.
    import struct

    values = sorted(counts)
    header: list[int] = []
    for v in values:
        if header and header[-3] == v // 60:
            header[-2] += counts[v]
            header[-1] += 1
        else:
            header += (v // 60, counts[v], 1)
    words = [len(header) // 3, *header, *values, *(counts[v] for v in values)]
    return struct.pack(f"<{len(words)}I", *words)


@pytest.mark.parametrize("seed", range(10))
def test_rows_of_the_first_layout_read_as_before_beside_new_ones(seed):
    rng = random.Random(seed)
    parts = [
        Counter(int(rng.expovariate(1 / rng.choice([5, 300, 90000]))) for _ in range(50))
        for _ in range(4)
    ]
    blobs = [_first_layout(parts[0]), h.encode(parts[1]), _first_layout(parts[2]),
             h.encode(parts[3])]  # fmt: skip
    values = sorted(v for p in parts for v, c in p.items() for _ in range(c))
    got = h.read(blobs, (1, 50, 95, 100), at_most=600)
    assert got.percentiles == {p: nearest_rank(values, p) for p in (1, 50, 95, 100)}
    assert got.at_most == sum(1 for v in values if v <= 600)
    assert h.decode(blobs[0]) == dict(parts[0])
    assert h.merge(blobs) == h.encode(Counter(values))


def test_the_compact_layout_takes_the_narrowest_widths():
    small = h.encode(Counter({5: 3, 70: 200}))  # values below 2**16, counts below 2**8
    assert len(small) == 4 + 2 * 2 + 2 * 1
    wide = h.encode({70_000: 1, 3: 70_000})  # a value past 18 hours, a count past 2**16
    assert len(wide) == 4 + 2 * 4 + 2 * 4
    assert h.decode(wide) == {3: 70_000, 70_000: 1}
    with pytest.raises(ValueError):
        h.encode({1: 2**32})


def test_encode_sorted_gives_the_bytes_of_encode():
    # The counting of today's tickets encodes from NumPy's sorted pairs: the same stored bytes.
    import numpy as np

    for counts in (Counter([0, 5, 5, 65_535]), Counter({7: 300, 70_000: 1}), Counter({3: 1})):
        values = np.array(sorted(counts), np.int64)
        got = h.encode_sorted(values, np.array([counts[v] for v in values.tolist()], np.int64))
        assert got == h.encode(counts)
    assert h.encode_sorted(np.array([], np.int64), np.array([], np.int64)) is None
