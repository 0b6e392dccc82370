"""The outbox of concluded cases and its delivery to the central backend.

Crash safety: a run *leases* due rows (moves their next attempt a minute ahead) in one short
transaction, sends them, then records each answer in another. A process killed at any instant
leaves rows either pending (sent again later: the backend deduplicates on the case UUID) or
sent (only after the backend acknowledged). A row is never marked sent early, so nothing is
skipped; a resend is harmless, so nothing is doubled in effect.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from desk_app.domain import clock
from desk_app.domain.errors import Refused
from desk_app.security.authz import require
from desk_app.security.crypto import DecryptionError
from desk_app.security.roles import Operation
from desk_app.services.cases.payload import PAYLOAD_CONTEXT
from desk_app.services.common.protection import unseal_json
from desk_app.store import Database
from desk_app.store.case_models import Case, CaseFile, SyncOutbox
from desk_app.store.models import Setting
from desk_app.sync.client import CentralAuthError, CentralClient, CentralError, CentralRejected
from desk_app.sync.views import DeadLetter, SyncReport, SyncStatus


# A run that dies keeps its rows for this long; a live run answers well within it (two full
# request timeouts plus a margin), so two workers never send the same rows at once.
def lease_for(connect_s: float, read_s: float) -> timedelta:
    return timedelta(seconds=2 * (connect_s + read_s) + 5)


ISOLATE_AFTER = 3  # a row whose batch failed this often is sent on its own (poison isolation)


def backoff(attempts: int, base_s: float, max_s: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with full jitter: many halls coming back online don't retry in step."""
    ceiling = min(max_s, base_s * (2 ** max(0, attempts - 1)))
    return (rng or random).uniform(ceiling / 2, ceiling)


def _set_state(s: Any, key: str, value: str | None) -> None:
    row = s.get(Setting, key)
    if value is None:
        if row is not None:
            s.delete(row)
    elif row is None:
        s.add(Setting(key=key, value=value))
    else:
        row.value = value


def _lease(
    db: Database, now: datetime, limit: int, lease: timedelta
) -> list[tuple[int, int, dict]]:
    with db.begin() as s:
        rows = s.scalars(
            select(SyncOutbox)
            .where(SyncOutbox.state == "pending", SyncOutbox.next_attempt_at <= now)
            .order_by(SyncOutbox.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        leased = []
        for r in rows:
            # Unsealed only here, just before sending; the row keeps its token. A missing key
            # (HallKeyError) stops the run; a token altered at rest can never be sent.
            try:
                payload = unseal_json(r.payload, PAYLOAD_CONTEXT)
            except DecryptionError as exc:
                r.state, r.last_error = "dead", f"数据无法解密 / payload does not decrypt: {exc}"
                continue
            r.next_attempt_at = now + lease
            leased.append((r.id, r.attempts, payload))
        return leased


def _record(
    db: Database,
    now: datetime,
    outcomes: dict[int, tuple[str, str | None]],
    config_backoff: tuple[float, float],
) -> None:
    """outcomes: row id -> ("sent" | "dead" | "retry", reason)."""
    with db.begin() as s:
        for row_id, (what, reason) in outcomes.items():
            r = s.get(SyncOutbox, row_id)
            if r is None or r.state != "pending":
                continue
            if what == "sent":
                r.state, r.sent_at, r.last_error = "sent", now, None
            elif what == "dead":
                r.state, r.last_error = "dead", reason
            else:
                r.attempts += 1
                r.last_error = reason
                r.next_attempt_at = now + timedelta(seconds=backoff(r.attempts, *config_backoff))
        if any(w == "sent" for w, _ in outcomes.values()):
            _set_state(s, "sync.last_success", clock.iso(now))
            _set_state(s, "sync.auth_failed", None)
        errors = [r for w, r in outcomes.values() if w == "retry" and r]
        if errors:
            _set_state(s, "sync.last_error", f"{clock.iso(now)} {errors[-1]}"[:500])


def run_once(db: Database, client: CentralClient, *, now: datetime | None = None) -> SyncReport:
    """One pass over the due rows (at most one batch plus isolated rows). Raises
    CentralAuthError on 401 after releasing the leases: retrying in a loop cannot help."""
    require(db.actor, Operation.SYNC_RUN)
    now = now or clock.now()
    cfg = client.config
    leased = _lease(db, now, cfg.batch_size, lease_for(cfg.connect_timeout_s, cfg.read_timeout_s))
    outcomes: dict[int, tuple[str, str | None]] = {}
    by_uuid = {payload["uuid"]: row_id for row_id, _a, payload in leased}
    batch = [(rid, p) for rid, a, p in leased if a < ISOLATE_AFTER]
    alone = [(rid, p) for rid, a, p in leased if a >= ISOLATE_AFTER]
    try:
        if batch:
            try:
                for res in client.upload_batch([p for _r, p in batch]):
                    rid = by_uuid.get(res.uuid)
                    if rid is None:
                        continue
                    outcomes[rid] = _verdict(res.status, res.error)
                for rid, _p in batch:  # an answer that left a case out: try again later
                    outcomes.setdefault(rid, ("retry", "missing from the batch answer"))
            except CentralAuthError:
                raise
            except CentralError as exc:
                for rid, _p in batch:
                    outcomes[rid] = ("retry", str(exc)[:300])
        for rid, payload in alone:
            try:
                res = client.upload_one(payload)
                outcomes[rid] = _verdict(res.status, res.error)
            except CentralRejected as exc:
                outcomes[rid] = ("dead", str(exc))
            except CentralAuthError:
                raise
            except CentralError as exc:
                outcomes[rid] = ("retry", str(exc)[:300])
    except CentralAuthError:
        with db.begin() as s:
            for rid, _a, _p in leased:
                row = s.get(SyncOutbox, rid)
                if row is not None and rid not in outcomes:
                    row.next_attempt_at = now
            _set_state(s, "sync.auth_failed", clock.iso(now))
        _record(db, now, outcomes, (cfg.backoff_base_s, cfg.backoff_max_s))
        raise
    _record(db, now, outcomes, (cfg.backoff_base_s, cfg.backoff_max_s))
    st = status(db)
    failed = sum(1 for w, _ in outcomes.values() if w == "retry")
    sent = sum(1 for w, _ in outcomes.values() if w == "sent")
    return SyncReport(sent, st.pending, failed, st.dead)


def _verdict(status_: str, error: str | None) -> tuple[str, str | None]:
    if status_ in ("created", "replayed"):
        return "sent", None
    if status_ == "conflict":
        return "dead", "409 同一编号内容不同, 中心已留存待核查 / conflict kept for review"
    if status_ == "invalid":
        return "dead", f"中心判定数据无效 / invalid: {error}"
    return "retry", f"unknown status {status_}"


def drain(db: Database, client: CentralClient, *, max_passes: int = 1000) -> SyncReport:
    """Send until nothing is due (or a pass sends nothing): ``sync run --once``."""
    total_sent = total_failed = 0
    report = SyncReport(0, 0, 0, 0)
    for _ in range(max_passes):
        report = run_once(db, client)
        total_sent += report.sent
        total_failed += report.failed
        if report.sent == 0 or report.pending == 0:
            break
    return SyncReport(total_sent, report.pending, total_failed, report.dead)


def status(db: Database) -> SyncStatus:
    """Counts and the last success, for the status indicator and ``sync status``."""
    require(db.actor, Operation.SYNC_STATUS)
    with db.read() as s:
        counts = dict(
            s.execute(select(SyncOutbox.state, func.count()).group_by(SyncOutbox.state)).all()
        )
        state = {
            k: v
            for k, v in s.execute(
                select(Setting.key, Setting.value).where(Setting.key.like("sync.%"))
            ).all()
        }
        files_owed, files_dead = s.execute(
            select(func.count(), func.count(CaseFile.dead_at)).where(
                CaseFile.delivered_at.is_(None), CaseFile.purged_at.is_(None)
            )
        ).one()
    return SyncStatus(
        pending=int(counts.get("pending", 0)),
        sent=int(counts.get("sent", 0)),
        dead=int(counts.get("dead", 0)),
        last_success=state.get("sync.last_success"),
        last_error=state.get("sync.last_error"),
        auth_failed=state.get("sync.auth_failed"),
        files_pending=int(files_owed) - int(files_dead),
        files_dead=int(files_dead),
    )


def dead_letters(db: Database) -> list[DeadLetter]:
    require(db.actor, Operation.SYNC_DEAD)
    with db.read() as s:
        rows = s.execute(
            select(
                SyncOutbox.id,
                Case.case_no,
                Case.bundle_name,
                SyncOutbox.last_error,
                SyncOutbox.attempts,
                SyncOutbox.created_at,
            )
            .join(Case, Case.id == SyncOutbox.case_id)
            .where(SyncOutbox.state == "dead")
            .order_by(SyncOutbox.id)
        ).all()
        return [
            DeadLetter(id=i, case_no=no, bundle=b, reason=err, attempts=a, created_at=clock.iso(c))
            for i, no, b, err, a, c in rows
        ]


def retry_dead(db: Database, row_id: int, *, now: datetime | None = None) -> None:
    """Put a dead letter back in the queue (after the cause was fixed)."""
    require(db.actor, Operation.SYNC_RETRY)
    now = now or clock.now()
    with db.begin() as s:
        r = s.get(SyncOutbox, row_id)
        if r is None or r.state != "dead":
            raise Refused(f"没有待处理的失败记录 {row_id}", f"no dead letter {row_id}")
        r.state, r.attempts, r.next_attempt_at = "pending", 0, now


def resolve_dead(db: Database, row_id: int, note: str, *, now: datetime | None = None) -> None:
    """Close a dead letter by hand (e.g. settled with the platform's operators). ``sent_at``
    records when it was settled: the retention period of its personal data starts then."""
    require(db.actor, Operation.SYNC_RESOLVE)
    now = now or clock.now()
    with db.begin() as s:
        r = s.get(SyncOutbox, row_id)
        if r is None or r.state != "dead":
            raise Refused(f"没有待处理的失败记录 {row_id}", f"no dead letter {row_id}")
        r.state, r.sent_at = "resolved", now
        r.last_error = f"{r.last_error} | resolved: {note}"


def reconcile(
    db: Database, client: CentralClient, since: date, *, now: datetime | None = None
) -> dict[str, int]:
    """Ask the backend which cases concluded since ``since`` it holds; re-queue the ones it
    lacks although they were acknowledged (a backend restored from an older backup), then send
    them."""
    require(db.actor, Operation.SYNC_RECONCILE)
    now = now or clock.now()
    until = clock.hall_day(now)
    held = client.digest(since, until)
    start = clock.day_start(since)
    with db.begin() as s:
        rows = s.execute(
            select(SyncOutbox, Case.id)
            .join(Case, Case.id == SyncOutbox.case_id)
            .where(SyncOutbox.state == "sent", Case.concluded_at >= start)
        ).all()
        lacking = [r for r, cid in rows if str(cid) not in held]
        for r in lacking:
            r.state, r.attempts, r.next_attempt_at, r.sent_at = "pending", 0, now, None
    report = drain(db, client)
    return {
        "checked": len(rows),
        "missing": len(lacking),
        "sent": report.sent,
        "pending": report.pending,
    }
