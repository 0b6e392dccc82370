"""The reference backend's own store: the idempotent ingest and the (scoped) queries.

This is a test double, so its schema is made with ``metadata.create_all`` on start instead of
migrations (the desk application's own database always uses Alembic). It runs on SQLite (a
file, WAL, ``BEGIN IMMEDIATE`` for writers) or PostgreSQL (``postgresql+psycopg://``).

Idempotency rests on the database, not on the process: ``received_cases.uuid`` is UNIQUE and
new cases go in with ``INSERT ... ON CONFLICT DO NOTHING``, so two requests racing with the same
UUID (a retry overtaking a slow original) store it once; the loser sees the winner's row.

Reads take a ``scope``: a workstation's name limits them to the cases that workstation sent
(a ``created`` or ``replayed`` arrival of its own), ``None`` means every case (the auditor,
and the operator commands). There is deliberately no default.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Engine,
    create_engine,
    delete,
    func,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    InterfaceError,
    NoSuchModuleError,
    OperationalError,
    StatementError,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from central_ref.engine import (
    SQLITE_BUSY_TIMEOUT_MS,
    normalize_url,
    redact,
    retryable,
    sqlite_setup,
)
from central_ref.models import (
    Base,
    CaseDetail,
    CaseRow,
    ConflictingVersion,
    ConflictRow,
    DayDigest,
    Outcome,
    Receipt,
    ReceivedCase,
    Status,
    case_row,
)
from central_ref.rules import ValidCase, uuid_digest

__all__ = ["CaseDetail", "CaseRow", "DayDigest", "Outcome", "Store", "normalize_url", "redact"]

log = logging.getLogger("central_ref.store")
T = TypeVar("T")

# Write transactions that lose a lock race (PostgreSQL deadlock or serialization failure,
# SQLite "database is locked" after the busy timeout) are retried this many times in all.
WRITE_ATTEMPTS = 4
# SQLite allows 32766 bound parameters; PostgreSQL 65535. Stay well below both.
_IN_CHUNK = 900


def _refused_data(exc: StatementError) -> bool:
    """Whether the database refused this data (a value it cannot bind or store), as opposed to
    being unreachable, overloaded or losing a lock race."""
    if isinstance(exc, OperationalError | InterfaceError):
        return False
    return not getattr(exc, "connection_invalidated", False)


def _visible_to(scope: str | None) -> ColumnElement[bool]:
    """The cases a reader may see: all for ``None``; else the principal ``scope``'s own (case
    ids are scoped per principal)."""
    if scope is None:
        return true()
    return ReceivedCase.workstation == scope


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Store:
    """The backend's database: engine, units of work, and the operations the API needs."""

    def __init__(self, url: str, *, data_key_file: str | None = None) -> None:
        self.url = normalize_url(url)
        self._data_key_file = data_key_file
        self._sealer: Any = None
        parsed = make_url(self.url)
        self.dialect = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise ValueError(f"unsupported database {redact(url)}: use sqlite:/// or postgresql://")
        kwargs: dict[str, Any] = {}
        # A lock around every unit of work, only for in-memory SQLite (one shared connection).
        self._serial: threading.Lock | None = None
        if self.dialect == "sqlite":
            kwargs["connect_args"] = {
                "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
                "check_same_thread": False,  # FastAPI runs sync endpoints on worker threads
            }
            if parsed.database in (None, "", ":memory:"):
                kwargs["poolclass"] = StaticPool
                self._serial = threading.Lock()
            else:  # the cases' names and IDs are sealed, but case numbers are not: owner-only
                with contextlib.suppress(FileExistsError, FileNotFoundError):
                    os.close(os.open(parsed.database, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
        else:
            kwargs["pool_pre_ping"] = True
            kwargs["connect_args"] = {"connect_timeout": 5}
        try:
            self.engine: Engine = create_engine(self.url, **kwargs)
        except (NoSuchModuleError, ImportError) as exc:
            raise ValueError(f"unsupported database URL {redact(url)}: {exc}") from exc
        if self.dialect == "sqlite":
            sqlite_setup(self.engine)
        self._write_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(
            self.engine.execution_options(read_only=True), expire_on_commit=False
        )

    # -- plumbing ------------------------------------------------------------------------------

    @property
    def sealer(self) -> Any:
        """Payloads carry names and ID numbers: sealed at rest (central_ref.sealing); the key
        is found on first use (``serve`` asks at start, so a missing one stops it there)."""
        if self._sealer is None:
            from central_ref.sealing import sealer_for

            self._sealer = sealer_for(self.url, self._data_key_file)
        return self._sealer

    def create_schema(self) -> None:
        """Create the tables if missing (idempotent; a test double needs no migrations)."""
        with self._serial or nullcontext():
            Base.metadata.create_all(self.engine)

    def dispose(self) -> None:
        """Close all pooled connections."""
        self.engine.dispose()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (a deferred BEGIN on SQLite: readers never block writers)."""
        with self._serial or nullcontext(), self._read_sessions.begin() as session:
            yield session

    def write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one write transaction, retrying it whole after a lost lock race."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with self._serial or nullcontext(), self._write_sessions.begin() as session:
                    return work(session)
            except OperationalError as exc:
                if attempt == WRITE_ATTEMPTS or not retryable(exc):
                    raise
                log.warning("write transaction retried (attempt %d): %s", attempt, exc.orig)
                time.sleep(0.05 * attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def _insert(self, model: type[Base]) -> Any:
        """The dialect's INSERT, which has ``on_conflict_do_nothing/_update`` on both."""
        if self.dialect == "postgresql":
            return postgresql.insert(model)
        return sqlite.insert(model)

    # -- ingest --------------------------------------------------------------------------------

    def ingest(
        self, cases: list[ValidCase], workstation: str, *, owner: str | None = None
    ) -> list[Outcome]:
        """Store a batch of validated cases; one ``Outcome`` per case, in the given order.

        Case ids are scoped per ``owner`` (the sender's hall; default: ``workstation``). A new
        UUID is stored (``created``); the same UUID with the same canonical digest is a
        ``replayed``; with another digest a ``conflict`` whose version is kept for review.
        Every arrival counts in ``received_count``, within one batch too.
        """
        if not cases:
            return []
        hall = owner or workstation
        try:
            return self.write(lambda session: self._ingest(session, cases, workstation, hall))
        except StatementError as exc:
            if not _refused_data(exc):
                raise  # the database is unwell, not the data: the client retries the batch
            if len(cases) == 1:
                # Only the exception's class: its text holds the SQL parameters (personal data).
                log.warning(
                    "%s: case %s could not be stored: %s",
                    workstation,
                    cases[0].uuid,
                    type(getattr(exc, "orig", None) or exc).__name__,
                )
                return [Outcome(cases[0].uuid, "invalid", None, "case: could not be stored")]
        # One case the database refuses must not fail the others: store them one at a time
        # (in order, so repeated uuids still count as in one batch).
        return [
            outcome for case in cases for outcome in self.ingest([case], workstation, owner=hall)
        ]

    def _lock_rows(
        self, session: Session, uuids: list[str], workstation: str
    ) -> dict[str, tuple[int, str, int]]:
        """uuid -> (id, digest, received_count) of the stored cases, row-locked in uuid order.

        Locking in one global order (sorted UUIDs) keeps two overlapping batches on PostgreSQL
        from deadlocking; SQLite's BEGIN IMMEDIATE already serialises writers.
        """
        found: dict[str, tuple[int, str, int]] = {}
        for start in range(0, len(uuids), _IN_CHUNK):
            chunk = uuids[start : start + _IN_CHUNK]
            stmt = (
                select(
                    ReceivedCase.uuid,
                    ReceivedCase.id,
                    ReceivedCase.payload_sha256,
                    ReceivedCase.received_count,
                )
                .where(ReceivedCase.workstation == workstation, ReceivedCase.uuid.in_(chunk))
                .order_by(ReceivedCase.uuid)
                .with_for_update()
            )
            for uuid, row_id, sha, count in session.execute(stmt):
                found[uuid] = (row_id, sha, count)
        return found

    def _ingest(
        self, session: Session, cases: list[ValidCase], workstation: str, owner: str
    ) -> list[Outcome]:
        now = _utcnow()
        arrivals = Counter(case.uuid for case in cases)
        first: dict[str, ValidCase] = {}
        for case in cases:
            first.setdefault(case.uuid, case)
        uuids = sorted(arrivals)
        stored = self._lock_rows(session, uuids, owner)

        created: set[str] = set()
        missing = [uuid for uuid in uuids if uuid not in stored]
        if missing:
            # The first occurrence in the batch is the version stored; its count already
            # includes the batch's later arrivals of the same UUID.
            values = [
                {
                    "uuid": uuid,
                    "case_no": first[uuid].case_no,
                    "concluded_at": first[uuid].concluded_at,
                    "concluded_date": first[uuid].concluded_date,
                    "payload": self.sealer.seal_json(first[uuid].payload, f"{owner}:{uuid}"),
                    "payload_sha256": first[uuid].sha256,
                    "received_count": arrivals[uuid],
                    "first_received_at": now,
                    "last_received_at": now,
                    "workstation": owner,
                }
                for uuid in missing
            ]
            stmt = (
                self._insert(ReceivedCase)
                .on_conflict_do_nothing(index_elements=["workstation", "uuid"])
                .returning(ReceivedCase.uuid, ReceivedCase.id)
            )
            for uuid, row_id in session.execute(stmt, values):
                created.add(uuid)
                stored[uuid] = (row_id, first[uuid].sha256, 0)
            lost = [uuid for uuid in missing if uuid not in created]
            if lost:
                # A concurrent request stored these first (PostgreSQL waited for its commit):
                # from here on they are ordinary replays or conflicts of that version.
                stored.update(self._lock_rows(session, lost, owner))

        outcomes: list[Outcome] = []
        seen: Counter[str] = Counter()
        receipts: list[dict[str, Any]] = []
        conflicts: dict[tuple[int, str], tuple[ValidCase, int]] = {}
        for case in cases:
            row_id, stored_sha, base = stored[case.uuid]
            seen[case.uuid] += 1
            count = base + seen[case.uuid]
            if case.uuid in created and seen[case.uuid] == 1:
                status: Status = "created"
            elif case.sha256 == stored_sha:
                status = "replayed"
            else:
                status = "conflict"
                key = (row_id, case.sha256)
                previous = conflicts.get(key)
                conflicts[key] = (case, (previous[1] if previous else 0) + 1)
            error = (
                "a different version of this uuid is already stored; kept for review"
                if status == "conflict"
                else None
            )
            outcomes.append(Outcome(case.uuid, status, count, error))
            receipts.append(
                {
                    "case_id": row_id,
                    "workstation": workstation,
                    "received_at": now,
                    "outcome": status,
                    "payload_sha256": case.sha256,
                }
            )

        # Counters of rows that existed before this batch (rows we inserted already carry it).
        bumps = [
            {"id": stored[uuid][0], "received_count": stored[uuid][2] + arrivals[uuid]}
            for uuid in uuids
            if uuid not in created
        ]
        if bumps:
            session.execute(
                update(ReceivedCase),
                [{**bump, "last_received_at": now} for bump in bumps],
            )
        session.execute(self._insert(Receipt), receipts)
        if conflicts:
            self._keep_conflicts(session, conflicts, workstation, now)
        return outcomes

    def _keep_conflicts(
        self,
        session: Session,
        conflicts: dict[tuple[int, str], tuple[ValidCase, int]],
        workstation: str,
        now: datetime,
    ) -> None:
        stmt = self._insert(ConflictingVersion)
        stmt = stmt.on_conflict_do_update(
            index_elements=["case_id", "payload_sha256"],
            set_={
                "received_count": ConflictingVersion.received_count + stmt.excluded.received_count,
                "last_received_at": stmt.excluded.last_received_at,
            },
        )
        rows = [
            {
                "case_id": case_id,
                "payload_sha256": sha,
                "case_no": case.case_no,
                "concluded_at": case.concluded_at,
                "payload": self.sealer.seal_json(case.payload, f"conflict:{case_id}:{sha}"),
                "received_count": n,
                "first_received_at": now,
                "last_received_at": now,
                "workstation": workstation,
            }
            for (case_id, sha), (case, n) in sorted(conflicts.items())
        ]
        session.execute(stmt, rows)

    # -- queries -------------------------------------------------------------------------------

    def list_cases(
        self, after: int, limit: int, *, scope: str | None
    ) -> tuple[list[CaseRow], str | None]:
        """Cases ``scope`` may read, in order of first arrival after cursor ``after``; ``next``
        is None at the end."""
        with self.read() as session:
            rows = session.scalars(
                select(ReceivedCase)
                .where(ReceivedCase.id > after, _visible_to(scope))
                .order_by(ReceivedCase.id)
                .limit(limit + 1)
            ).all()
            listed = [case_row(row) for row in rows[:limit]]
        next_cursor = listed[-1].cursor if len(rows) > limit else None
        return listed, next_cursor

    def get_case(self, uuid: str, *, scope: str | None) -> CaseDetail | None:
        """One stored case with its payload and conflicting versions, or None when it was
        never stored or ``scope`` may not read it (the two are not told apart).

        A workstation sees only the conflicting versions it sent itself: another one's
        version of the case is that other workstation's data.
        """
        with self.read() as session:
            row = session.scalars(
                select(ReceivedCase)
                .where(ReceivedCase.uuid == uuid, _visible_to(scope))
                .order_by(ReceivedCase.id)  # an auditor: the first hall's, should two share it
            ).first()
            if row is None:
                return None
            own = true() if scope is None else ConflictingVersion.workstation == scope
            versions = session.scalars(
                select(ConflictingVersion)
                .where(ConflictingVersion.case_id == row.id, own)
                .order_by(ConflictingVersion.id)
            ).all()
            return CaseDetail(
                row=case_row(row),
                payload=self.sealer.open_json(row.payload, f"{row.workstation}:{row.uuid}"),
                payload_sha256=row.payload_sha256,
                conflicts=[
                    ConflictRow(
                        payload_sha256=v.payload_sha256,
                        case_no=v.case_no,
                        concluded_at=v.concluded_at,
                        payload=self.sealer.open_json(
                            v.payload, f"conflict:{v.case_id}:{v.payload_sha256}"
                        ),
                        received_count=v.received_count,
                        first_received_at=v.first_received_at,
                        last_received_at=v.last_received_at,
                        workstation=v.workstation,
                    )
                    for v in versions
                ],
            )

    def uuids_between(
        self, first_day: date, last_day: date, *, scope: str | None
    ) -> dict[date, list[str]]:
        """Local date -> UUIDs of the cases ``scope`` may read concluded that day (both ends
        inclusive)."""
        by_day: dict[date, list[str]] = {}
        with self.read() as session:
            rows = session.execute(
                select(ReceivedCase.concluded_date, ReceivedCase.uuid).where(
                    ReceivedCase.concluded_date >= first_day,
                    ReceivedCase.concluded_date <= last_day,
                    _visible_to(scope),
                )
            )
            for day, uuid in rows:
                by_day.setdefault(day, []).append(uuid)
        return by_day

    def day_digests(self, first_day: date, last_day: date, *, scope: str | None) -> list[DayDigest]:
        """Per local date with at least one case ``scope`` may read: their count and digest."""
        by_day = self.uuids_between(first_day, last_day, scope=scope)
        return [
            DayDigest(day, len(uuids), uuid_digest(uuids)) for day, uuids in sorted(by_day.items())
        ]

    def stats(self) -> dict[str, int]:
        """Counts for operators and tests."""
        with self.read() as session:
            cases, arrivals = session.execute(
                select(
                    func.count(ReceivedCase.id),
                    func.coalesce(func.sum(ReceivedCase.received_count), 0),
                )
            ).one()
            retried = session.scalar(
                select(func.count(ReceivedCase.id)).where(ReceivedCase.received_count > 1)
            )
            versions = session.scalar(select(func.count(ConflictingVersion.id)))
            receipts = session.scalar(select(func.count(Receipt.id)))
        return {
            "cases": int(cases),
            "arrivals": int(arrivals),
            "retried_cases": int(retried or 0),
            "conflicting_versions": int(versions or 0),
            "receipts": int(receipts or 0),
        }

    def forget_latest(self, n: int) -> list[str]:
        """Delete the ``n`` most recently first-received cases with their history.

        Simulates restoring a backup taken before they arrived (the client's ``sync
        reconcile`` must then re-send them). Returns the deleted UUIDs.
        """

        def work(session: Session) -> list[str]:
            rows = session.execute(
                select(ReceivedCase.id, ReceivedCase.uuid).order_by(ReceivedCase.id.desc()).limit(n)
            ).all()
            ids = [row_id for row_id, _ in rows]
            for start in range(0, len(ids), _IN_CHUNK):
                chunk = ids[start : start + _IN_CHUNK]
                # Explicit child deletes: SQLite enforces ON DELETE CASCADE only with a pragma.
                session.execute(delete(Receipt).where(Receipt.case_id.in_(chunk)))
                session.execute(
                    delete(ConflictingVersion).where(ConflictingVersion.case_id.in_(chunk))
                )
                session.execute(delete(ReceivedCase).where(ReceivedCase.id.in_(chunk)))
            return [uuid for _, uuid in rows]

        return self.write(work)
