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
