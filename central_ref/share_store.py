"""The shared data's tables and their operations (the HTTP side is sharing.py).

``share_records``: one subject's record in one resource, found by ``subject_key`` (HMAC-SHA256
of the subject's kind and ID under a subkey of the data key, sealing.py: never the ID, nor a
plain hash anyone could compute from a guessed ID); the holder's name and the field values
sealed with the resource and that key as context; a licence's number, verification code and
issue date. ``share_calls``: every answered call about a known resource, written in the same
transaction as its lookup, with no personal data at all.

``seed`` writes records (``central-ref share-seed``); ``lookup_and_record`` answers a call,
generating a record on the fly in synthetic mode (share_synth); ``ShareFaults`` holds the
injected faults, which ``POST /api/v1/share/_faults`` may change while the server runs.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any, TypedDict

from sqlalchemy import JSON, Date, Integer, MetaData, String, UniqueConstraint, delete, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from central_ref.clock import HALL_TZ, now
from central_ref.models import BIG_ID, NAMING_CONVENTION, UtcDateTime
from central_ref.share_resources import RESOURCES, Resource, SubjectKind, check_subject
from central_ref.share_synth import generate, issued_on, licence_number, subject_name
from central_ref.store import Store

OUTCOMES = ("ok", "no_record", "refused", "invalid")
MAX_LATENCY_MS = 120_000


class ShareOptions(TypedDict, total=False):
    """``create_app``'s keyword arguments for the gateway (the ``serve`` options alike)."""

    share_down: Iterable[str]  # --share-down: these resources answer 503 resource_unavailable
    share_no_record: Iterable[str]  # --share-no-record: these answer 404 no_record to everyone
    share_latency_ms: int  # --share-latency-ms: extra delay on share calls only
    share_synthetic: bool  # --share-synthetic: a record made on the fly for any valid subject


def check_codes(codes: Iterable[str], what: str) -> frozenset[str]:
    """Resource codes (each may be ``A,B``) checked against the registry; ValueError if unknown."""
    found = {c.strip() for item in codes for c in item.split(",") if c.strip()}
    unknown = sorted(found - RESOURCES.keys())
    if unknown:
        raise ValueError(f"{what}: unknown resource {', '.join(unknown)}")
    return frozenset(found)


class ShareFaults:
    """The gateway's injected faults; changed at runtime by ``POST /api/v1/share/_faults``."""

    def __init__(
        self, down: Iterable[str] = (), no_record: Iterable[str] = (), latency_ms: int = 0
    ) -> None:
        self._lock = threading.Lock()
        self.down: frozenset[str] = frozenset()
        self.no_record: frozenset[str] = frozenset()
        self.latency_ms = 0
        self.update(down=down, no_record=no_record, latency_ms=latency_ms)

    def update(
        self,
        *,
        down: Iterable[str] | None = None,
        no_record: Iterable[str] | None = None,
        latency_ms: int | None = None,
    ) -> None:
        """Replace the given settings (None keeps one); ValueError for an unknown code."""
        new_down = check_codes(down, "share_down") if down is not None else None
        new_none = check_codes(no_record, "share_no_record") if no_record is not None else None
        if latency_ms is not None and not 0 <= latency_ms <= MAX_LATENCY_MS:
            raise ValueError(f"share_latency_ms: 0 to {MAX_LATENCY_MS}")
        with self._lock:
            self.down = self.down if new_down is None else new_down
            self.no_record = self.no_record if new_none is None else new_none
            self.latency_ms = self.latency_ms if latency_ms is None else latency_ms

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "down": sorted(self.down),
                "no_record": sorted(self.no_record),
                "latency_ms": self.latency_ms,
            }


class _Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ShareRecord(_Base):
    """One subject's record in one resource: keyed lookup, sealed content, the licence's ids."""

    __tablename__ = "share_records"
    __table_args__ = (UniqueConstraint("resource", "subject_key"),)

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    resource: Mapped[str] = mapped_column(String(80))
    subject_kind: Mapped[str] = mapped_column(String(8))
    subject_key: Mapped[str] = mapped_column(String(64))  # HMAC, see subject_key()
    # {"name", "values"} sealed with "share:" + resource + ":" + subject_key as context.
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    licence_number: Mapped[str | None] = mapped_column(String(64))
    verification_code: Mapped[str | None] = mapped_column(String(32), index=True)
    issued: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ShareCall(_Base):
    """One answered call about a known resource. No personal data: no ID, no name, no field."""

    __tablename__ = "share_calls"

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    workstation: Mapped[str] = mapped_column(String(64))
    resource: Mapped[str] = mapped_column(String(80))
    case_ref: Mapped[str | None] = mapped_column(String(64))  # None when the body was invalid
    purpose: Mapped[str | None] = mapped_column(String(200))
    material: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(12))  # OUTCOMES
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    duration_ms: Mapped[int] = mapped_column(Integer)


def create_tables(store: Store) -> None:
    _Base.metadata.create_all(store.engine)


def subject_key(store: Store, kind: str, id_number: str) -> str:
    """The keyed lookup of a subject (HMAC-SHA256 under a subkey of the data key)."""
    return str(store.sealer.keyed_digest(f"{kind}:{id_number}", "share-subject"))


def verification_code(store: Store, resource: str, kind: str, id_number: str) -> str:
    """A licence's 核验码: 16 of [A-Z2-7], keyed (nobody computes it from a known ID)."""
    digest = store.sealer.keyed_digest(f"{resource}:{kind}:{id_number}", "share-verify")
    return base64.b32encode(bytes.fromhex(digest)[:10]).decode("ascii")


def _context(resource: str, key: str) -> str:
    return f"share:{resource}:{key}"


def _made(
    store: Store, res: Resource, kind: str, id_number: str, name: str, today: date
) -> dict[str, Any]:
    """A record's content and licence ids, generated (share_synth)."""
    values = generate(res, kind, id_number, name, today)
    licence = res.kind == "licence"
    return {
        "name": name,
        "values": values,
        "licence_number": licence_number(res, id_number) if licence else None,
        "verification_code": verification_code(store, res.code, kind, id_number)
        if licence
        else None,
        "issued": issued_on(res, values, id_number, today) if licence else None,
    }


def seed(
    store: Store,
    kind: SubjectKind,
    id_number: str,
    name: str,
    codes: Iterable[str] = (),
) -> int:
    """Add (or replace) the subject's records: in ``codes``, or every resource of its kind.

    Values are generated from the ID (share_synth). ValueError for a bad subject, an unknown
    code or a resource that does not take this kind of subject. Returns the records written."""
    id_number = check_subject(kind, id_number)
    name = name.strip()
    if not name or len(name) > 100 or not name.isprintable():
        raise ValueError("--name: 1 to 100 printable characters")
    chosen = check_codes(codes, "--resource")
    targets = [RESOURCES[c] for c in sorted(chosen)] if chosen else None
    if targets is None:
        targets = [r for r in RESOURCES.values() if kind in r.subjects]
    wrong = [r.code for r in targets if kind not in r.subjects]
    if wrong:
        raise ValueError(f"--resource: {', '.join(wrong)} takes no {kind}")
    create_tables(store)
    key = subject_key(store, kind, id_number)
    at = now()
    today = at.astimezone(HALL_TZ).date()

    def work(s: Session) -> int:
        for res in targets:
            made = _made(store, res, kind, id_number, name, today)
            content = {"name": name, "values": made["values"]}
            s.execute(
                delete(ShareRecord).where(
                    ShareRecord.resource == res.code, ShareRecord.subject_key == key
                )
            )
            s.add(
                ShareRecord(
                    resource=res.code,
                    subject_kind=kind,
                    subject_key=key,
                    content=store.sealer.seal_json(content, _context(res.code, key)),
                    licence_number=made["licence_number"],
                    verification_code=made["verification_code"],
                    issued=made["issued"],
                    created_at=at,
                )
            )
        return len(targets)

    return store.write(work)


def lookup_and_record(
    store: Store,
    res: Resource,
    kind: str,
    id_number: str,
    call: dict[str, Any],
    *,
    synthetic: bool,
    no_record: bool,
    started: float,
) -> dict[str, Any] | None:
    """The subject's record in ``res`` (None: no record), with the call written to
    ``share_calls`` in the same transaction. ``call`` holds workstation, case_ref, purpose and
    material; ``started`` is the call's ``time.monotonic()`` start."""
    key = subject_key(store, kind, id_number)
    at = now()

    def work(s: Session) -> dict[str, Any] | None:
        found: dict[str, Any] | None = None
        if not no_record:
            row = s.scalars(
                select(ShareRecord).where(
                    ShareRecord.resource == res.code, ShareRecord.subject_key == key
                )
            ).first()
            if row is not None:
                content = store.sealer.open_json(row.content, _context(res.code, key))
                found = {
                    **content,
                    "licence_number": row.licence_number,
                    "verification_code": row.verification_code,
                    "issued": row.issued,
                }
            elif synthetic:
                name = subject_name(kind, id_number)
                found = _made(store, res, kind, id_number, name, at.astimezone(HALL_TZ).date())
        record_call(s, res.code, "ok" if found else "no_record", call, started, at)
        return found

    return store.write(work)


def record_call(
    s: Session,
    resource: str,
    outcome: str,
    call: dict[str, Any],
    started: float,
    at: datetime | None = None,
) -> None:
    """Add one ``share_calls`` row to the session's transaction."""
    s.add(
        ShareCall(
            workstation=call["workstation"],
            resource=resource,
            case_ref=call.get("case_ref"),
            purpose=call.get("purpose"),
            material=call.get("material"),
            outcome=outcome,
            at=at or now(),
            duration_ms=max(0, round((time.monotonic() - started) * 1000)),
        )
    )


def call_counts(store: Store, first: date, last: date) -> list[dict[str, Any]]:
    """Calls per (resource, outcome) made on local (Asia/Shanghai) dates first..last."""
    from sqlalchemy import func

    start = datetime.combine(first, dtime(0), tzinfo=HALL_TZ)
    end = datetime.combine(last + timedelta(days=1), dtime(0), tzinfo=HALL_TZ)
    with store.read() as s:
        rows = s.execute(
            select(ShareCall.resource, ShareCall.outcome, func.count())
            .where(ShareCall.at >= start, ShareCall.at < end)
            .group_by(ShareCall.resource, ShareCall.outcome)
            .order_by(ShareCall.resource, ShareCall.outcome)
        ).all()
    return [{"resource": r, "outcome": o, "count": int(n)} for r, o, n in rows]
