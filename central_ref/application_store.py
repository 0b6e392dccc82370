"""Online applications' tables and what the routes (applications.py) do with them.

The applicant, the answers and the materials' list are sealed at rest (sealing.py) with the
application's id as context, each file's bytes with its index too, and a report's reason with
its seq; the applicant's ID is also kept as a keyed digest (``applicant_key``), the citizen's
query code as a SHA-256 only. A hall's report locks the application's row (``FOR UPDATE``;
SQLite's writers are serial), so a retry racing its original is recorded once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, MetaData, String, Text, select
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from central_ref.appointments import CODE_ALPHABET
from central_ref.clock import now
from central_ref.models import BIG_ID, NAMING_CONVENTION, UtcDateTime
from central_ref.rules import format_utc
from central_ref.store import Store

CODE_LENGTH = 10
SUBMITTED = "submitted"  # the state until the hall's first report


class _Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class OnlineApplication(_Base):
    __tablename__ = "online_applications"

    seq: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)  # the cursor
    id: Mapped[str] = mapped_column(String(36), unique=True)
    hall: Mapped[str] = mapped_column(String(64), index=True)
    code_sha256: Mapped[str] = mapped_column(String(64))
    bundle: Mapped[str] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(16))
    # {"applicant", "answers", "materials"} sealed: content_context().
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    applicant_key: Mapped[str] = mapped_column(String(64), index=True)  # keyed digest of the ID
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ApplicationFile(_Base):
    __tablename__ = "online_application_files"
    __table_args__ = (Unique("application", "idx"),)

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    application: Mapped[int] = mapped_column(ForeignKey("online_applications.seq"))
    idx: Mapped[int] = mapped_column(Integer)  # the material's index in the application
    content_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)  # sealed: file_context()


class ApplicationEvent(_Base):
    __tablename__ = "online_application_events"
    __table_args__ = (Unique("application", "seq"),)

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    application: Mapped[int] = mapped_column(ForeignKey("online_applications.seq"))
    seq: Mapped[int] = mapped_column(BIG_ID)  # the hall's number of the report
    state: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str | None] = mapped_column(Text)  # sealed: event_context()
    missing: Mapped[list[str] | None] = mapped_column(JSON)
    pickup: Mapped[dict[str, str] | None] = mapped_column(JSON)
    workstation: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


def create_tables(store: Store) -> None:
    _Base.metadata.create_all(store.engine)


def content_context(app_id: str) -> str:
    return f"application:{app_id}"


def file_context(app_id: str, index: int) -> str:
    return f"application:{app_id}:file:{index}"


def event_context(app_id: str, seq: int) -> str:
    return f"application:{app_id}:event:{seq}"


def code_digest(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def store_application(
    store: Store, hall: str, fields: dict[str, Any], files: dict[int, tuple[bytes, str]]
) -> dict[str, str]:
    """Store a checked application (``fields``: bundle, mode, applicant, answers, materials as
    sent but without the files' content) and its decoded ``files`` (index: bytes, type).
    Returns the 201 answer's body."""
    app_id, at = str(uuid.uuid4()), now()
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    materials: list[dict[str, Any]] = []
    for index, m in enumerate(fields["materials"]):
        if index in files:
            data = files[index][0]
            file = {"name": m["file"]["name"], "size": len(data)}
            file["sha256"] = hashlib.sha256(data).hexdigest()
            materials.append({"index": index, "code": m["code"], "file": file})
        else:
            materials.append({"index": index, "code": m["code"], "resource": m["resource"]})
    applicant, sealer = fields["applicant"], store.sealer
    content = {"applicant": applicant, "answers": fields["answers"], "materials": materials}
    row = OnlineApplication(
        id=app_id,
        hall=hall,
        code_sha256=code_digest(code),
        bundle=fields["bundle"],
        mode=fields["mode"],
        state=SUBMITTED,
        content=sealer.seal_json(content, content_context(app_id)),
        applicant_key=sealer.keyed_digest(
            f"{applicant['kind']}:{applicant['id']}", "application-applicant"
        ),
        received_at=at,
    )
    sealed = [
        (index, kind, sealer.seal_bytes(data, file_context(app_id, index)))
        for index, (data, kind) in files.items()
    ]

    def work(s: Session) -> None:
        s.add(row)
        s.flush()
        for index, kind, data in sealed:
            s.add(ApplicationFile(application=row.seq, idx=index, content_type=kind, data=data))

    store.write(work)
    return {"id": app_id, "code": code, "received_at": format_utc(at)}


def _owned(s: Session, hall: str, app_id: str, lock: bool = False) -> OnlineApplication | None:
    query = select(OnlineApplication).where(
        OnlineApplication.id == app_id, OnlineApplication.hall == hall
    )
    return s.scalars(query.with_for_update() if lock else query).first()


def citizen_view(store: Store, app_id: str, code: str) -> dict[str, Any] | None:
    """The citizen's view of an application (None unless ``code`` is its query code)."""
    with store.read() as s:
        a = s.scalars(select(OnlineApplication).where(OnlineApplication.id == app_id)).first()
        if a is None or not hmac.compare_digest(a.code_sha256, code_digest(code)):
            return None
        events = s.scalars(
            select(ApplicationEvent)
            .where(ApplicationEvent.application == a.seq)
            .order_by(ApplicationEvent.seq)
        ).all()
        return {
            "id": a.id,
            "bundle": a.bundle,
            "mode": a.mode,
            "state": a.state,
            "received_at": format_utc(a.received_at),
            "events": [
                {
                    "state": e.state,
                    "at": format_utc(e.at),
                    "reason": store.sealer.open_text(e.reason, event_context(a.id, e.seq)),
                    "missing": e.missing,
                    "pickup": e.pickup,
                }
                for e in events
            ],
        }


def hall_page(store: Store, hall: str, after: int, limit: int) -> dict[str, Any]:
    """The hall's applications with seq > ``after``, oldest first, with their personal data."""
    with store.read() as s:
        rows = s.scalars(
            select(OnlineApplication)
            .where(OnlineApplication.hall == hall, OnlineApplication.seq > after)
            .order_by(OnlineApplication.seq)
            .limit(limit)
        ).all()
        items = [
            {
                "seq": a.seq,
                "id": a.id,
                "bundle": a.bundle,
                "mode": a.mode,
                **store.sealer.open_json(a.content, content_context(a.id)),
                "received_at": format_utc(a.received_at),
            }
            for a in rows
        ]
    return {"applications": items, "next": rows[-1].seq if len(rows) == limit else None}


def file_of(store: Store, hall: str, app_id: str, index: int) -> tuple[bytes, str] | None:
    """A material's bytes and content type (None: no such file of the hall's applications)."""
    with store.read() as s:
        a = _owned(s, hall, app_id)
        f = None
        if a is not None:
            f = s.scalars(
                select(ApplicationFile).where(
                    ApplicationFile.application == a.seq, ApplicationFile.idx == index
                )
            ).first()
        if f is None:
            return None
        return store.sealer.open_bytes(f.data, file_context(app_id, index)), f.content_type


def record_state(
    store: Store, hall: str, app_id: str, report: dict[str, Any], workstation: str
) -> bool | None:
    """Record the hall's report (seq, state, at, reason, missing, pickup): True when recorded,
    False when its seq was recorded before (nothing changes), None: no such application."""

    def work(s: Session) -> bool | None:
        a = _owned(s, hall, app_id, lock=True)
        if a is None:
            return None
        seq = report["seq"]
        seen = s.scalars(
            select(ApplicationEvent.id).where(
                ApplicationEvent.application == a.seq, ApplicationEvent.seq == seq
            )
        ).first()
        if seen is not None:
            return False
        s.add(
            ApplicationEvent(
                application=a.seq,
                seq=seq,
                state=report["state"],
                at=report["at"],
                reason=store.sealer.seal_text(report["reason"], event_context(a.id, seq)),
                missing=report["missing"],
                pickup=report["pickup"],
                workstation=workstation,
                recorded_at=now(),
            )
        )
        s.flush()
        a.state = s.scalars(
            select(ApplicationEvent.state)
            .where(ApplicationEvent.application == a.seq)
            .order_by(ApplicationEvent.seq.desc())
            .limit(1)
        ).one()
        return True

    return store.write(work)
