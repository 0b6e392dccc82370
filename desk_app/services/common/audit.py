"""The audit trail: who did what, appended in the same transaction as the act itself.

Entries are hash-chained (desk_app.security.audit_chain), keyed with the hall key's audit key,
so an edited or deleted entry shows in ``verify`` and cannot be re-forged without the key. The
head row (last seq and hash) is locked by every append, which serialises writers and shows a
deleted tail. Entries hold no personal data in clear: people appear as keyed pseudonyms.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import clock
from desk_app.security.audit_chain import (
    AuditRecord,
    VerifyResult,
    canonical_json,
    next_record,
    verify_chain,
)
from desk_app.security.authz import require
from desk_app.security.roles import Actor, Operation
from desk_app.services.common.protection import cipher, require_hall_key
from desk_app.store import Database
from desk_app.store.identity_models import AuditEntry, AuditHead

SYSTEM = "system"  # the actor of entries no person caused (setup mode, the sync loop)
HALL_TIME_TOLERANCE_S = 60  # a hall time further from the real one is recorded beside it


@dataclass(frozen=True)
class AuditLine:
    seq: int
    at: datetime
    actor: str
    action: str
    target: str | None
    detail: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": clock.iso(self.at),
            "actor": self.actor,
            "action": self.action,
            "target": self.target,
            "detail": self.detail,
        }


def record(
    s: Session,
    actor: Actor | str | None,
    action: str,
    target: str | None = None,
    detail: Mapping[str, Any] | None = None,
    *,
    at: datetime | None = None,
) -> None:
    """Append one entry inside the caller's transaction (it commits or rolls back with it).

    The entry's time is the computer's real clock, never ``DESK_APP_NOW``: a trail cannot be
    back-dated out of a ``--since`` filter. When the hall time of the act (``at``, or the hall's
    clock) differs from it by more than a minute, the entry also records it as ``hall_at``."""
    code = actor if isinstance(actor, str) else (actor.code if actor else SYSTEM)
    real = clock.real_now()
    hall = at or clock.now()
    if hall.tzinfo is None:  # a naive time is UTC, as the store reads SQLite's back
        hall = hall.replace(tzinfo=UTC)
    details = dict(detail or {})
    if abs((hall - real).total_seconds()) > HALL_TIME_TOLERANCE_S:
        details["hall_at"] = clock.iso(hall)
    require_hall_key(s)  # an entry signed with another key would break the chain for good
    head = s.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one_or_none()
    previous = None
    if head is not None:
        previous = AuditRecord(head.seq, clock.now(), None, "", None, None, "", head.hash)
    entry = next_record(
        previous,
        real,
        code,
        action,
        target,
        details,
        key=cipher().audit_key(),
    )
    s.add(
        AuditEntry(
            seq=entry.seq,
            at=entry.at,
            actor=code,
            action=action,
            target=target,
            detail=canonical_json(entry.detail),
            prev_hash=entry.prev_hash,
            hash=entry.hash,
        )
    )
    if head is None:
        s.add(AuditHead(id=1, seq=entry.seq, hash=entry.hash))
    else:
        head.seq, head.hash = entry.seq, entry.hash


def reveal_reason(db: Database, reason: str | None, action: str, target: str) -> str:
    """The stated reason of a reveal, checked: free text with at least two letters, digits or
    CJK characters ("." or "-" is no reason). A refusal is audited too, in its own transaction,
    so trying to see personal data without saying why leaves a trace."""
    from desk_app.domain.errors import Refused
    from desk_app.domain.validators import checked_text

    text = checked_text(reason or "", "reason", "理由", free=True) or ""
    if sum(ch.isalnum() for ch in text) >= 2:
        return text
    with db.begin() as s:
        record(s, db.actor, action + ".refused", target[:64], {"reason": text[:100]})
    raise Refused(
        "查看完整个人信息须说明理由 (--reason, 至少两个字)",
        "a reveal needs a --reason (at least two letters or characters)",
    )


def entries(
    db: Database,
    *,
    since: datetime | None = None,
    by: str | None = None,
    action: str | None = None,
    limit: int = 1000,
) -> list[AuditLine]:
    """The newest ``limit`` entries that match (by time, actor code and action), oldest first."""
    require(db.actor, Operation.AUDIT_LIST)
    q = select(AuditEntry).order_by(AuditEntry.seq.desc())
    if since is not None:
        q = q.where(AuditEntry.at >= since)
    if by:
        q = q.where(AuditEntry.actor == by)
    if action:
        q = q.where(AuditEntry.action == action)
    with db.read() as s:
        rows = list(reversed(s.execute(q.limit(limit)).scalars().all()))
        return [
            AuditLine(r.seq, r.at, r.actor, r.action, r.target, json.loads(r.detail or "{}"))
            for r in rows
        ]


def _records(s: Session) -> Iterator[AuditRecord]:
    for r in s.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars().yield_per(2000):
        yield AuditRecord(
            r.seq, r.at, r.actor, r.action, r.target, json.loads(r.detail), r.prev_hash, r.hash
        )


def verify(db: Database) -> VerifyResult:
    """Check every entry's hash and link, and that the chain reaches the head row."""
    actor = db.actor
    require(actor, Operation.AUDIT_VERIFY)
    with db.read() as s:
        head = s.get(AuditHead, 1)
        expected = (head.seq, head.hash) if head is not None else None
        result = verify_chain(_records(s), key=cipher().audit_key(), expected_head=expected)
    with db.begin() as s:
        detail = {"ok": result.ok, "first_bad": result.first_bad, "bad": list(result.bad)}
        record(s, actor, "audit.verify", None, detail)
    return result
