"""Exact histograms of whole seconds for the statistics rollup (docs/statistics.md).

A histogram is a multiset of non-negative whole seconds (the waits or the service times of a
group of tickets). Stored as bytes, it keeps every value with its count, so the nearest-rank
percentiles and the "at most T seconds" counts of any union of histograms are exactly those of
the tickets themselves. A union of many (a summary over years merges thousands) is counted with
NumPy: the stored values and counts are read in place, added up in an array indexed by the second
and searched by running count, so its cost is the bytes read, not a Python step per value.

Layout (little-endian): a 32-bit word ``0x80000000 | value_width << 8 | count_width``, then the
distinct values ascending, each ``value_width`` bytes (2, or 4 when one is 65,536 s or more),
then their counts, each ``count_width`` bytes (1, 2 or 4, the narrowest that holds the largest).
A month of a busy window's waits takes about 3 bytes per distinct second instead of 8.

Rows rolled up before that layout (a word B below 2**31, then B × (bucket, count, distinct
values), the values, the counts, all 32-bit) are still read; ``stats rebuild`` rewrites them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

_COMPACT = 0x80000000
_DTYPES = {1: "<u1", 2: "<u2", 4: "<u4"}


def _width(top: int) -> int:
    return 1 if top < 1 << 8 else 2 if top < 1 << 16 else 4


def _encode_arrays(values: np.ndarray, counts: np.ndarray) -> bytes:
    """The bytes of distinct values (ascending) and their counts (none zero)."""
    wv = max(2, _width(int(values[-1])))
    wc = _width(int(counts.max()))
    if int(counts.max()) >= 1 << 32 or int(values[-1]) >= 1 << 32:
        raise ValueError("a histogram holds values and counts below 2**32")
    head = np.array([_COMPACT | wv << 8 | wc], "<u4").tobytes()
    return head + values.astype(_DTYPES[wv]).tobytes() + counts.astype(_DTYPES[wc]).tobytes()


def encode(counts: Mapping[int, int]) -> bytes | None:
    """The bytes of a histogram ``{second: count}`` (None when empty)."""
    values = sorted(v for v, c in counts.items() if c)
    if not values:
        return None
    return _encode_arrays(
        np.array(values, np.uint64), np.array([counts[v] for v in values], np.uint64)
    )


def encode_sorted(values: np.ndarray, counts: np.ndarray) -> bytes | None:
    """The bytes of distinct non-negative values, ascending, and their counts (none zero)."""
    return _encode_arrays(values, counts) if len(values) else None


def _parts(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    """A stored histogram's values and counts, read in place."""
    word = int.from_bytes(blob[:4], "little")
    if word & _COMPACT:
        wv, wc = (word >> 8) & 0xFF, word & 0xFF
        nv = (len(blob) - 4) // (wv + wc)
        return (
            np.frombuffer(blob, _DTYPES[wv], nv, 4),
            np.frombuffer(blob, _DTYPES[wc], nv, 4 + wv * nv),
        )
    at = 4 + 12 * word  # the first layout: skip its bucket header
    nv = (len(blob) - at) >> 3
    return np.frombuffer(blob, "<u4", nv, at), np.frombuffer(blob, "<u4", nv, at + 4 * nv)


def decode(blob: bytes) -> dict[int, int]:
    """The ``{second: count}`` of stored bytes."""
    values, counts = _parts(blob)
    return dict(zip(values.tolist(), counts.tolist(), strict=True))


def _arrays(blobs: Iterable[bytes | None]) -> tuple[np.ndarray, np.ndarray, bool] | None:
    """The values and counts of stored histograms, concatenated (a value may repeat unless
    there was a single one: the third item)."""
    parts = [_parts(blob) for blob in blobs if blob]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0][0], parts[0][1], True
    values = np.concatenate([p[0] for p in parts])
    counts = np.concatenate([p[1].astype(np.uint32, copy=False) for p in parts])
    return values, counts, False


# A union whose largest value is below this is counted in a dense array indexed by the second
# (np.bincount: a few milliseconds for a thousand histograms); a stray larger value (a clock
# put right by years) takes the sorted path instead of a huge array.
_DENSE_LIMIT = 1 << 22


class _Union:
    """The cumulative counts of a union of histograms, by value."""

    def __init__(self, values: np.ndarray, counts: np.ndarray, distinct: bool) -> None:
        self.keys: np.ndarray | None  # None: dense, the index is the value
        if distinct:  # one histogram: its values are distinct and ascending already
            self.keys = values
            self.cum = np.cumsum(counts, dtype=np.int64)
        elif int(values.max()) < _DENSE_LIMIT:
            self.keys = None
            # float64 weights: sums of whole counts are exact below 2**53
            self.cum = np.cumsum(np.bincount(values, weights=counts))
        else:
            order = np.argsort(values, kind="stable")
            self.keys = values[order]
            self.cum = np.cumsum(counts[order], dtype=np.int64)
        self.n = int(self.cum[-1])

    def value_at_rank(self, rank: int) -> int:
        i = int(np.searchsorted(self.cum, rank))  # the first value whose running count reaches it
        return i if self.keys is None else int(self.keys[i])

    def at_most(self, t: int) -> int:
        if t < 0:
            return 0
        if self.keys is None:
            return int(self.cum[min(t, len(self.cum) - 1)])
        j = int(np.searchsorted(self.keys, t, side="right"))
        return int(self.cum[j - 1]) if j else 0

    def distinct(self) -> tuple[np.ndarray, np.ndarray]:
        """The distinct values ascending and their counts."""
        if self.keys is None:
            dense = np.diff(self.cum, prepend=0.0)
            values = np.flatnonzero(dense)
            return values, dense[values].astype(np.uint64)
        values, first = np.unique(self.keys, return_index=True)
        ends = np.append(first[1:], len(self.keys)) - 1
        totals = self.cum[ends] - np.append(0, self.cum[ends][:-1])
        return values, totals.astype(np.uint64)


def merge(blobs: Iterable[bytes | None]) -> bytes | None:
    """One histogram of the union of several (the month's from its days)."""
    got = _arrays(blobs)
    if got is None:
        return None
    values, counts = _Union(*got).distinct()
    keep = counts > 0
    if not keep.all():
        values, counts = values[keep], counts[keep]
    return _encode_arrays(values, counts) if len(values) else None


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
    the union of stored histograms."""
    got = _arrays(blobs)
    if got is None:
        return Reading(0, dict.fromkeys(percentiles), 0)
    union = _Union(*got)
    n = union.n
    if n == 0:
        return Reading(0, dict.fromkeys(percentiles), 0)
    result: dict[float, int | None] = {
        p: union.value_at_rank(min(max(1, math.ceil(p / 100 * n)), n)) for p in percentiles
    }
    return Reading(n, result, 0 if at_most is None else union.at_most(at_most))
