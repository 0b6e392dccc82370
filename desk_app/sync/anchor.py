"""The audit trail's head leaves the building: each sync pass sends it to the platform, which
keeps the furthest one it saw per hall and refuses one that goes backwards (central_ref.anchors);
``desk-app audit verify --against-central`` then compares the local trail with it.

The head row beside the entries shows a deleted entry, but whoever deletes the tail can set the
head back too; once the head has reached the platform, that cut shows as soon as the trail is
compared with it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass

from sqlalchemy import func, select

from desk_app.security.keys import HallKeyError
from desk_app.services.common.protection import cipher
from desk_app.store import Database
from desk_app.store.identity_models import AuditEntry, AuditHead
from desk_app.sync.client import CentralClient, CentralError

log = logging.getLogger(__name__)
PATH = "/api/v1/audit/head"


def signature(seq: int, digest: str) -> str:
    """The hall's MAC of its head, under the audit key (the platform keeps it, cannot make it)."""
    key = cipher().audit_key()
    return hmac.new(key, f"audit-head:{seq}:{digest}".encode(), hashlib.sha256).hexdigest()


def send_head(db: Database, client: CentralClient) -> str:
    """Send the local head; returns ``stored``, ``same``, ``behind`` or ``fork`` (the platform
    holds a head this trail no longer reaches: logged as an error), ``empty`` (no entry yet),
    ``no-key`` or ``unsupported`` (a backend without the endpoint)."""
    with db.read() as s:
        head = s.get(AuditHead, 1)
        if head is None:
            return "empty"
        seq, digest = head.seq, head.hash
    try:
        body: dict[str, object] = {"seq": seq, "hash": digest, "signature": signature(seq, digest)}
    except HallKeyError:
        return "no-key"
    held = client.call("GET", PATH)
    if held.status_code == 200:  # extend what the platform holds, if this chain still holds it
        anchored = held.json()
        a_seq, a_hash = int(anchored["seq"]), str(anchored["hash"])
        with db.read() as s:
            mine = s.scalar(select(AuditEntry.hash).where(AuditEntry.seq == a_seq))
        if mine != a_hash:
            log.error(
                "the platform holds audit head %d, which this hall's trail no longer holds: "
                "run desk-app audit verify --against-central",
                a_seq,
            )
            return "behind" if mine is None else "fork"
        if a_seq == seq:
            return "same"
        body |= {"prev_seq": a_seq, "prev_hash": a_hash}
    elif held.status_code not in (404,):
        raise CentralError(client.scrub(f"audit head: HTTP {held.status_code}"))
    resp = client.call("PUT", PATH, json=body)
    if resp.status_code == 404:
        return "unsupported"
    if resp.status_code == 200:
        return str(resp.json().get("status", "stored"))
    if resp.status_code == 409:
        answer = resp.json()
        log.error(
            "the platform holds audit head %s of this hall; the local trail's head is %d: "
            "run desk-app audit verify --against-central",
            answer.get("seq"),
            seq,
        )
        return str(answer.get("error", "behind"))
    raise CentralError(client.scrub(f"audit head: HTTP {resp.status_code}"))


@dataclass(frozen=True)
class Comparison:
    """``central``: match (the platform's head is the local head), ahead (the local trail has
    gone on from it), behind (the local trail no longer holds it: entries cut or rewritten) or
    unknown (no head there yet); ``bad``: the stretch the local trail lacks, if any."""

    central: str
    bad: tuple[tuple[int, int], ...] = ()


def against_central(db: Database, client: CentralClient) -> Comparison:
    resp = client.call("GET", PATH)
    if resp.status_code == 404:
        return Comparison("unknown")
    if resp.status_code != 200:
        raise CentralError(client.scrub(f"audit head: HTTP {resp.status_code}"))
    answer = resp.json()
    seq, digest = int(answer["seq"]), str(answer["hash"])
    with db.read() as s:
        last = s.scalar(select(func.max(AuditEntry.seq))) or 0
        at_seq = s.scalar(select(AuditEntry.hash).where(AuditEntry.seq == seq))
    if at_seq is None:
        return Comparison("behind", ((last + 1, seq),) if seq > last else ((seq, seq),))
    if at_seq != digest:
        return Comparison("behind", ((seq, seq),))
    return Comparison("match" if last == seq else "ahead")
