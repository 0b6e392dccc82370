"""Exact histograms of whole seconds for the statistics rollup (docs/statistics.md).

A histogram is a multiset of non-negative whole seconds (the waits or the service times of a
group of tickets). Stored as bytes, it keeps every value with its count, so the nearest-rank
percentiles and the "at most T seconds" counts of any union of histograms are exactly those of
the tickets themselves. The values are grouped in buckets of ``BUCKET_S`` seconds with a small
header (bucket, count, values in it), so a percentile of many stored histograms adds up the
headers and reads the values of only the bucket the rank falls in.

Layout, little-endian unsigned 32-bit integers: the number of buckets B; B × (bucket, count,
distinct values); the distinct values ascending; their counts.
"""

from __future__ import annotations

import math
import struct
import sys
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

BUCKET_S = 60
_BIG = sys.byteorder == "big"


def _ints(data: bytes | memoryview) -> array[int]:
    a = array("I")
    a.frombytes(data)
    if _BIG:
        a.byteswap()
    return a


def _bytes(values: Iterable[int]) -> bytes:
    a = array("I", values)
    if _BIG:
        a.byteswap()
    return a.tobytes()


def encode(counts: Mapping[int, int]) -> bytes | None:
    """The bytes of a histogram ``{second: count}`` (None when empty)."""
    values = sorted(v for v, c in counts.items() if c)
    if not values:
        return None
    header: list[int] = []
    for v in values:
        b = v // BUCKET_S
        if header and header[-3] == b:
            header[-2] += counts[v]
            header[-1] += 1
        else:
            header += (b, counts[v], 1)
    return (
        struct.pack("<I", len(header) // 3)
        + _bytes(header)
        + _bytes(values)
        + _bytes(counts[v] for v in values)
    )


def decode(blob: bytes) -> dict[int, int]:
    """The ``{second: count}`` of stored bytes."""
    (nb,) = struct.unpack_from("<I", blob)
    header = _ints(memoryview(blob)[4 : 4 + 12 * nb])
    nv = sum(header[2::3])
    start = 4 + 12 * nb
    values = _ints(memoryview(blob)[start : start + 4 * nv])
    counts = _ints(memoryview(blob)[start + 4 * nv : start + 8 * nv])
    return dict(zip(values, counts, strict=True))


def merge(blobs: Iterable[bytes | None]) -> bytes | None:
    """One histogram of the union of several (the month's from its days)."""
    total: Counter[int] = Counter()
    for b in blobs:
        if b:
            total.update(decode(b))
    return encode(total)


@dataclass
class _Part:
    blob: bytes
    buckets: array[int]  # bucket ids ascending
    sizes: array[int]  # distinct values per bucket
    values_at: int  # offset of the values
    nv: int


@dataclass(frozen=True)
class Reading:
    """What the figures need of a union of histograms."""

    n: int
    percentiles: dict[float, int | None]
    at_most: int  # values <= the threshold asked for


def read(
    blobs: Sequence[bytes | None], percentiles: Sequence[float], at_most: int | None = None
) -> Reading:
    """Nearest-rank percentiles (docs/statistics.md) and the count of values <= ``at_most`` of
    the union of stored histograms, reading only the buckets the answers fall in."""
    parts: list[_Part] = []
    totals: dict[int, int] = {}
    for blob in blobs:
        if not blob:
            continue
        (nb,) = struct.unpack_from("<I", blob)
        header = _ints(memoryview(blob)[4 : 4 + 12 * nb])
        ids, counts, sizes = header[0::3], header[1::3], header[2::3]
        for b, c in zip(ids, counts, strict=True):
            totals[b] = totals.get(b, 0) + c
        parts.append(_Part(blob, ids, sizes, 4 + 12 * nb, sum(sizes)))
    n = sum(totals.values())
    order = sorted(totals)
    cumulative = []
    running = 0
    for b in order:
        running += totals[b]
        cumulative.append(running)
    fine: dict[int, list[tuple[int, int]]] = {}

    def values_in(b: int) -> list[tuple[int, int]]:
        got = fine.get(b)
        if got is None:
            merged: Counter[int] = Counter()
            for p in parts:
                i = bisect_left(p.buckets, b)
                if i == len(p.buckets) or p.buckets[i] != b:
                    continue
                before, k = sum(p.sizes[:i]), p.sizes[i]
                at = p.values_at + 4 * before
                vals = _ints(memoryview(p.blob)[at : at + 4 * k])
                at = p.values_at + 4 * (p.nv + before)
                counts = _ints(memoryview(p.blob)[at : at + 4 * k])
                merged.update(dict(zip(vals, counts, strict=True)))
            got = fine[b] = sorted(merged.items())
        return got

    result: dict[float, int | None] = {}
    for p in percentiles:
        if n == 0:
            result[p] = None
            continue
        rank = min(max(1, math.ceil(p / 100 * n)), n)
        i = bisect_left(cumulative, rank)
        left = rank - (cumulative[i - 1] if i else 0)
        for value, count in values_in(order[i]):
            left -= count
            if left <= 0:
                result[p] = value
                break
    within = 0
    if at_most is not None and n:
        edge = at_most // BUCKET_S
        i = bisect_left(order, edge)
        within = cumulative[i - 1] if i else 0
        if i < len(order) and order[i] == edge:
            within += sum(c for v, c in values_in(edge) if v <= at_most)
    return Reading(n, result, within)
