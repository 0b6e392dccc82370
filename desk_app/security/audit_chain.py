"""A hash chain over the append-only audit trail: altered, deleted or reordered entries show.

Entry ``n`` stores ``hash_n = H(hash_{n-1}, n, at, actor, action, target, detail)``, with
``hash_0 = GENESIS``. Changing an entry changes its hash, so its own check or the next entry's
``prev_hash`` fails; deleting an entry leaves a gap in ``seq`` or a ``prev_hash`` that no longer
matches; moving one breaks both.

*Why a canonical encoding.* The hash must depend on the entry's content only, not on how it was
written: PostgreSQL's ``jsonb`` reorders keys and drops spaces, SQLite keeps the text as given,
Python dicts keep insertion order, a timestamp comes back tz-aware from one database and naive
from the other. The payload is therefore a JSON array (so ``"ab" + "c"`` and ``"a" + "bc"``
differ) with sorted keys, no spaces, UTF-8 kept as is, and times in UTC with microseconds.

*Keyed or not.* With ``key=None`` ``H`` is SHA-256: it catches accidents and casual edits, but
anyone who can write the table can recompute every hash after an edit. With a key (from the hall
key file, ``FieldCipher.audit_key()``) ``H`` is HMAC-SHA256, and forging needs the key too.

*What a chain alone cannot see.* Deleting the *last* entries leaves a shorter but valid chain.
Keep the head ``(seq, hash)`` somewhere the database writer cannot rewrite (the daily report,
the central backend, a printed line) and pass it as ``expected_head`` to catch that.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
SCHEME = "desk-app-audit/v1"


@dataclass(frozen=True)
class AuditRecord:
    """One audit entry as stored: ``detail`` is a JSON object (or None), ``at`` a datetime."""

    seq: int
    at: datetime
    actor: str | None
    action: str
    target: str | None
    detail: Mapping[str, Any] | None
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class VerifyResult:
    """``ok``; ``entries`` read; ``first_bad``: the first bad seq (or where a gap begins);
    ``bad``: every bad stretch as (first seq, last seq), in order."""

    ok: bool
    entries: int
    first_bad: int | None
    bad: tuple[tuple[int, int], ...] = ()


def canonical_time(at: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC; a naive datetime is taken as UTC (SQLite)."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, non-ASCII kept, NaN refused: one text per value."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def entry_hash(
    prev_hash: str,
    seq: int,
    at_iso: str,
    actor: str | None,
    action: str,
    target: str | None,
    detail_json: str,
    *,
    key: bytes | None = None,
) -> str:
    """64 hex digits over the canonical payload; HMAC-SHA256 when ``key`` is given.

    ``at_iso`` is :func:`canonical_time` of the entry's time, ``detail_json``
    :func:`canonical_json` of its detail (``"null"`` for none).
    """
    payload = canonical_json(
        [SCHEME, prev_hash, seq, at_iso, actor, action, target, detail_json]
    ).encode("utf-8")
    if key is not None:
        return hmac.new(key, payload, hashlib.sha256).hexdigest()
    return hashlib.sha256(payload).hexdigest()


def record_hash(record: AuditRecord, *, key: bytes | None = None) -> str:
    """The hash ``record`` should carry, from its fields and its ``prev_hash``."""
    return entry_hash(
        record.prev_hash,
        record.seq,
        canonical_time(record.at),
        record.actor,
        record.action,
        record.target,
        canonical_json(None if record.detail is None else dict(record.detail)),
        key=key,
    )


def next_record(
    previous: AuditRecord | None,
    at: datetime,
    actor: str | None,
    action: str,
    target: str | None,
    detail: Mapping[str, Any] | None = None,
    *,
    key: bytes | None = None,
) -> AuditRecord:
    """The entry that follows ``previous`` (None: the first entry, seq 1), hash filled in.

    ``detail`` must be JSON-serialisable and hold no personal data in clear (use pseudonyms).
    """
    seq = 1 if previous is None else previous.seq + 1
    prev_hash = GENESIS if previous is None else previous.hash
    detail_copy = None if detail is None else json.loads(canonical_json(dict(detail)))
    draft = AuditRecord(seq, at, actor, action, target, detail_copy, prev_hash, "")
    return AuditRecord(
        seq, at, actor, action, target, detail_copy, prev_hash, record_hash(draft, key=key)
    )


def verify_chain(
    records: Iterable[AuditRecord],
    *,
    key: bytes | None = None,
    expected_head: tuple[int, str] | None = None,
) -> VerifyResult:
    """Check ``records`` in the order given (read them ordered by ``seq``), to the end.

    The first record must be seq 1 chained to :data:`GENESIS`; each next one seq + 1, chained
    to its predecessor's hash, and carrying its own correct hash (keyed when ``key`` is given).
    Every bad stretch is reported, not only the first, so a later edit cannot hide behind an
    earlier one: a record whose own hash fails, one not chained to the record before it, and a
    gap (the missing seqs). ``expected_head`` ``(seq, hash)``, kept elsewhere, also catches a
    truncated end. ``entries`` counts every record read.
    """
    entries = 0
    bad: list[tuple[int, int]] = []

    def mark(first: int, last: int) -> None:
        if bad and first <= bad[-1][1] + 1:
            bad[-1] = (bad[-1][0], max(bad[-1][1], last))
        else:
            bad.append((first, last))

    prev_hash = GENESIS
    expected_seq = 1
    head_seen = False
    for record in records:
        entries += 1
        if record.seq < expected_seq:  # a repeated or out-of-place record
            mark(record.seq, record.seq)
            continue
        linked = record.prev_hash == prev_hash
        if record.seq > expected_seq:  # a gap: what is missing is bad, not the record after it
            mark(expected_seq, record.seq - 1)
            linked = True
        if not linked or not _hash_ok(record, key):
            mark(record.seq, record.seq)
        if expected_head is not None and record.seq == expected_head[0]:
            head_seen = True
            if record.hash != expected_head[1]:
                mark(record.seq, record.seq)
        prev_hash = record.hash
        expected_seq = record.seq + 1
    if expected_head is not None and not head_seen and expected_head[0] >= expected_seq:
        mark(expected_seq, expected_head[0])  # the chain ends before the head recorded elsewhere
    ranges = tuple(sorted(bad))
    return VerifyResult(not ranges, entries, ranges[0][0] if ranges else None, ranges)


def _hash_ok(record: AuditRecord, key: bytes | None) -> bool:
    try:
        expected = record_hash(record, key=key)
    except (TypeError, ValueError):  # a detail that is not JSON any more
        return False
    return record.hash == expected  # stored data, not a secret probe: no constant-time need
