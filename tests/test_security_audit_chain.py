"""The audit trail's hash chain: what it catches, and what it cannot see on its own."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest

from desk_app.security.audit_chain import (
    GENESIS,
    AuditRecord,
    canonical_json,
    canonical_time,
    entry_hash,
    next_record,
    record_hash,
    verify_chain,
)

T0 = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)
KEY = hashlib.sha256(b"hall audit key for tests").digest()
EVENTS = [
    ("admin", "login.ok", "admin", None),
    ("admin", "staff.add", "s01", {"role": "counter"}),
    ("s01", "login.failed", "s01", {"reason": "password"}),
    ("s01", "login.ok", "s01", {"window": 3}),
    ("s01", "case.decide", "YJS-20250303-0001", {"decision": "accept"}),
    (
        "sup01",
        "case.reveal",
        "YJS-20250303-0001",
        {"reason": "核对身份", "who": "a1b2c3d4e5f60718"},
    ),
    ("admin", "settings.set", "recall_limit", {"old": "3", "new": "4"}),
]


def _chain(key: bytes | None = None) -> list[AuditRecord]:
    records: list[AuditRecord] = []
    for i, (actor, action, target, detail) in enumerate(EVENTS):
        prev = records[-1] if records else None
        at = T0 + timedelta(minutes=i)
        records.append(next_record(prev, at, actor, action, target, detail, key=key))
    return records


def _reforge(records: list[AuditRecord], start: int, key: bytes | None) -> list[AuditRecord]:
    """What someone with write access does after an edit: recompute hashes from ``start`` on."""
    out = records[:start]
    for r in records[start:]:
        prev_hash = out[-1].hash if out else GENESIS
        draft = dataclasses.replace(r, prev_hash=prev_hash)
        out.append(dataclasses.replace(draft, hash=record_hash(draft, key=key)))
    return out


@pytest.mark.parametrize("key", [None, KEY])
def test_intact_chain_verifies(key):
    records = _chain(key)
    assert [r.seq for r in records] == list(range(1, len(EVENTS) + 1))
    assert records[0].prev_hash == GENESIS
    result = verify_chain(records, key=key)
    assert (result.ok, result.entries, result.first_bad) == (True, 7, None)


def test_empty_chain_is_ok():
    result = verify_chain([])
    assert (result.ok, result.entries, result.first_bad) == (True, 0, None)


@pytest.mark.parametrize("key", [None, KEY])
def test_altered_detail_is_found(key):
    records = _chain(key)
    records[4] = dataclasses.replace(records[4], detail={"decision": "reject"})
    result = verify_chain(records, key=key)
    assert (result.ok, result.entries, result.first_bad) == (False, 7, 5)


@pytest.mark.parametrize(
    "field", [("actor", "h01"), ("action", "login.ok"), ("target", "x"), ("seq", 99)]
)
def test_any_altered_field_is_found(field):
    records = _chain()
    name, value = field
    records[2] = dataclasses.replace(records[2], **{name: value})
    assert verify_chain(records).first_bad == 3


def test_altered_time_is_found_but_representation_is_not_content():
    records = _chain()
    records[3] = dataclasses.replace(records[3], at=records[3].at + timedelta(seconds=1))
    assert verify_chain(records).first_bad == 4
    # The same instant read back naive (SQLite) or in another zone (PostgreSQL) is unchanged.
    shanghai = timezone(timedelta(hours=8))
    same = [
        dataclasses.replace(
            r, at=r.at.replace(tzinfo=None) if r.seq % 2 else r.at.astimezone(shanghai)
        )
        for r in _chain()
    ]
    assert verify_chain(same).ok


def test_detail_key_order_and_spacing_do_not_matter():
    records = _chain()
    r = records[6]
    assert list(r.detail) == ["new", "old"]  # stored sorted by next_record
    records[6] = dataclasses.replace(r, detail={"old": "3", "new": "4"})  # read back reordered
    assert verify_chain(records).ok
    assert canonical_json({"b": 1, "a": "张"}) == '{"a":"张","b":1}'


def test_deleted_middle_entry_is_found():
    records = _chain()
    del records[3]  # seq 4
    result = verify_chain(records)
    assert (result.ok, result.entries, result.first_bad) == (False, 6, 4)


def test_deleted_first_entry_is_found():
    assert verify_chain(_chain()[1:]).first_bad == 1


def test_deleted_middle_entry_with_renumbering_is_found():
    records = _chain()
    del records[3]
    renumbered = [dataclasses.replace(r, seq=i + 1) for i, r in enumerate(records)]
    assert verify_chain(renumbered).first_bad == 4  # its prev_hash is the deleted entry's hash


def test_deleted_entry_with_self_consistent_rehash_is_found_by_the_link():
    """Each entry's own hash is recomputed, but the link to its predecessor is left stale."""
    records = _chain()
    del records[3]
    renumbered = []
    for i, r in enumerate(records):
        draft = dataclasses.replace(r, seq=i + 1)
        renumbered.append(dataclasses.replace(draft, hash=record_hash(draft)))
    assert verify_chain(renumbered).first_bad == 4


def test_reordered_entries_are_found():
    records = _chain()
    records[2], records[3] = records[3], records[2]
    assert verify_chain(records).first_bad == 3
    swapped_content = _chain()
    a, b = swapped_content[2], swapped_content[3]
    swapped_content[2] = dataclasses.replace(b, seq=3, prev_hash=a.prev_hash)
    swapped_content[3] = dataclasses.replace(a, seq=4, prev_hash=b.prev_hash)
    assert verify_chain(swapped_content).first_bad == 3


def test_deleted_last_entry_is_not_detectable_by_the_chain_alone():
    """Documented limit: truncation leaves a valid shorter chain.

    Keep the head (seq, hash) outside the database writer's reach (daily report, central
    backend) and pass it as expected_head.
    """
    records = _chain()
    head = (records[-1].seq, records[-1].hash)
    truncated = records[:-1]
    result = verify_chain(truncated)
    assert (result.ok, result.entries, result.first_bad) == (True, 6, None)
    with_head = verify_chain(truncated, expected_head=head)
    assert (with_head.ok, with_head.first_bad) == (False, 7)
    assert verify_chain(records, expected_head=head).ok
    assert verify_chain(records, expected_head=(3, "f" * 64)).first_bad == 3


def test_unkeyed_chain_can_be_reforged_after_an_edit():
    """Why the key matters: without one, a writer recomputes every hash and nothing shows."""
    records = _chain()
    records[4] = dataclasses.replace(records[4], detail={"decision": "reject"})
    assert verify_chain(_reforge(records, 4, key=None)).ok


def test_keyed_chain_forged_without_the_key_is_found():
    records = _chain(KEY)
    records[4] = dataclasses.replace(records[4], detail={"decision": "reject"})
    forged = _reforge(records, 4, key=None)  # the attacker lacks the hall key
    assert verify_chain(forged, key=KEY).first_bad == 5
    wrong_key = _reforge(records, 4, key=hashlib.sha256(b"guess").digest())
    assert verify_chain(wrong_key, key=KEY).first_bad == 5
    assert verify_chain(_reforge(records, 4, key=KEY), key=KEY).ok  # only the key holder can


def test_keyed_and_unkeyed_hashes_differ():
    assert verify_chain(_chain(KEY)).first_bad == 1
    assert verify_chain(_chain(None), key=KEY).first_bad == 1


def test_entry_hash_is_unambiguous_and_documented_inputs():
    at = canonical_time(T0)
    assert at == "2025-03-03T01:00:00.000000Z"
    a = entry_hash(GENESIS, 1, at, "ab", "c", None, "null")
    b = entry_hash(GENESIS, 1, at, "a", "bc", None, "null")
    assert a != b and len(a) == 64
    record = next_record(None, T0, "ab", "c", None)
    assert record.hash == a


def test_next_record_copies_detail():
    detail = {"k": "v"}
    record = next_record(None, T0, "admin", "x", None, detail)
    detail["k"] = "changed"
    assert verify_chain([record]).ok


def test_non_json_detail_fails_at_build_time():
    with pytest.raises((TypeError, ValueError)):
        next_record(None, T0, "admin", "x", None, {"bad": float("nan")})
